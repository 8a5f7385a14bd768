// The CQL primitives of spec sections 3 and 6: decoder, encoder, column types, values.
#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

#include "cql/column_type.hpp"
#include "cql/decoder.hpp"
#include "cql/encoder.hpp"
#include "cql/error.hpp"
#include "cql/value.hpp"

namespace cql = playstream::cql;
using cql::Bytes;

namespace {

TEST(CqlDecoder, ReadsIntegersBigEndian) {
    const Bytes in{0x7f, 0x01, 0x02, 0xff, 0xff, 0xff, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 1};
    cql::Decoder d(in);
    EXPECT_EQ(d.read_byte(), 0x7f);
    EXPECT_EQ(d.read_short(), 0x0102);
    EXPECT_EQ(d.read_int(), -2);
    EXPECT_EQ(d.read_long(), std::numeric_limits<std::int64_t>::min() + 1);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(d.remaining(), 0u);
}

TEST(CqlDecoder, ShortIsUnsigned) {
    const Bytes in{0xff, 0xfe};
    cql::Decoder d(in);
    EXPECT_EQ(d.read_short(), 0xfffe);
}

TEST(CqlDecoder, TruncationIsStickyAndNamesWhatAndWhere) {
    const Bytes in{0x00, 0x05, 'a', 'b', 'c'};
    cql::Decoder d(in);
    EXPECT_EQ(d.read_string(), "");
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error(), "truncated [string] (needs 5 bytes, 3 left) at byte 2");
    // Later reads return empty values and keep the first error.
    EXPECT_EQ(d.read_int(), 0);
    EXPECT_EQ(d.error(), "truncated [string] (needs 5 bytes, 3 left) at byte 2");
}

TEST(CqlDecoder, StringsAndLongStrings) {
    const Bytes in{0x00, 0x02, 'h', 'i', 0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c', 0x00, 0x00};
    cql::Decoder d(in);
    EXPECT_EQ(d.read_string(), "hi");
    EXPECT_EQ(d.read_long_string(), "abc");
    EXPECT_EQ(d.read_string(), "");
    EXPECT_TRUE(d.ok());
}

TEST(CqlDecoder, NegativeLongStringLengthIsAnError) {
    const Bytes in{0xff, 0xff, 0xff, 0xff};
    cql::Decoder d(in);
    d.read_long_string();
    EXPECT_FALSE(d.ok());
}

TEST(CqlDecoder, BytesNullEmptyAndContent) {
    const Bytes in{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 2, 0xab, 0xcd};
    cql::Decoder d(in);
    EXPECT_FALSE(d.read_bytes().has_value());
    const auto empty = d.read_bytes();
    ASSERT_TRUE(empty.has_value());
    EXPECT_TRUE(empty->empty());
    const auto two = d.read_bytes();
    ASSERT_TRUE(two.has_value());
    EXPECT_EQ(Bytes(two->begin(), two->end()), (Bytes{0xab, 0xcd}));
    EXPECT_TRUE(d.ok());
}

TEST(CqlDecoder, BytesLengthsBelowMinusOneAreErrors) {
    for (const Bytes& in : {Bytes{0xff, 0xff, 0xff, 0xfe}, Bytes{0xff, 0xff, 0xff, 0xfd}, Bytes{0x80, 0, 0, 0}}) {
        cql::Decoder d(in);
        d.read_bytes();
        EXPECT_FALSE(d.ok());
    }
}

TEST(CqlDecoder, BytesLongerThanTheInputIsAnError) {
    const Bytes in{0x7f, 0xff, 0xff, 0xff, 1, 2, 3};
    cql::Decoder d(in);
    d.read_bytes();
    EXPECT_FALSE(d.ok());
}

TEST(CqlDecoder, ShortBytesAndUuid) {
    Bytes in{0x00, 0x01, 0x42};
    for (int i = 0; i < 16; ++i) in.push_back(static_cast<std::uint8_t>(i));
    cql::Decoder d(in);
    const auto sb = d.read_short_bytes();
    EXPECT_EQ(Bytes(sb.begin(), sb.end()), Bytes{0x42});
    const auto uuid = d.read_uuid();
    EXPECT_EQ(uuid.bytes[0], 0);
    EXPECT_EQ(uuid.bytes[15], 15);
    EXPECT_TRUE(d.ok());
}

TEST(CqlDecoder, StringListMapAndMultimap) {
    const Bytes in{0x00, 0x02, 0x00, 0x01, 'a', 0x00, 0x00,                        // list [a, ""]
                   0x00, 0x01, 0x00, 0x01, 'k', 0x00, 0x01, 'v',                     // map {k: v}
                   0x00, 0x01, 0x00, 0x01, 'm', 0x00, 0x02, 0x00, 0x01, 'x', 0x00, 0x01, 'y'};  // {m: [x, y]}
    cql::Decoder d(in);
    EXPECT_EQ(d.read_string_list(), (std::vector<std::string>{"a", ""}));
    EXPECT_EQ(d.read_string_map(), (cql::StringMap{{"k", "v"}}));
    EXPECT_EQ(d.read_string_multimap(), (cql::StringMultimap{{"m", {"x", "y"}}}));
    EXPECT_TRUE(d.ok());
}

TEST(CqlDecoder, ForgedListCountFailsBeforeAllocating) {
    const Bytes in{0xff, 0xff, 0x00, 0x00};
    cql::Decoder d(in);
    EXPECT_TRUE(d.read_string_list().empty());
    EXPECT_FALSE(d.ok());
}

TEST(CqlDecoder, InetV4V6AndBadSize) {
    const Bytes v4{4, 127, 0, 0, 1, 0x00, 0x00, 0x23, 0x52};
    cql::Decoder d4(v4);
    EXPECT_EQ(d4.read_inet(), (cql::Inet{{127, 0, 0, 1}, 9042}));
    EXPECT_TRUE(d4.ok());

    Bytes v6{16};
    for (int i = 0; i < 15; ++i) v6.push_back(0);
    v6.insert(v6.end(), {1, 0, 0, 0x23, 0x52});
    cql::Decoder d6(v6);
    EXPECT_EQ(d6.read_inet().address.size(), 16u);
    EXPECT_TRUE(d6.ok());

    const Bytes bad{5, 1, 2, 3, 4, 5, 0, 0, 0, 0};
    cql::Decoder db(bad);
    db.read_inet();
    EXPECT_FALSE(db.ok());
}

TEST(CqlDecoder, ConsistencyRange) {
    const Bytes in{0x00, 0x0a, 0x00, 0x0b};
    cql::Decoder d(in);
    EXPECT_EQ(d.read_consistency(), cql::Consistency::LocalOne);
    EXPECT_TRUE(d.ok());
    d.read_consistency();
    EXPECT_FALSE(d.ok());
    EXPECT_EQ(cql::to_string(cql::Consistency::LocalQuorum), "LOCAL_QUORUM");
}

TEST(CqlDecoder, CountsMustBeNonNegativeAndFit) {
    const Bytes negative{0xff, 0xff, 0xff, 0xff};
    cql::Decoder d1(negative);
    EXPECT_EQ(d1.read_count(1, "row"), 0u);
    EXPECT_FALSE(d1.ok());

    const Bytes too_many{0x00, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0};  // 3 x 4 bytes > 8 left
    cql::Decoder d2(too_many);
    d2.read_count(4, "cell");
    EXPECT_FALSE(d2.ok());
}

TEST(CqlEncoder, RoundTripsThroughTheDecoder) {
    Bytes buf;
    cql::Encoder e(buf);
    e.write_byte(0xfe);
    e.write_short(0xfffe);
    e.write_int(-123456);
    e.write_long(std::numeric_limits<std::int64_t>::min());
    e.write_string("héllo");
    e.write_long_string("a long string");
    e.write_bytes(Bytes{1, 2, 3});
    e.write_short_bytes(Bytes{9});
    e.write_string_list({"x", "yz"});
    e.write_string_map({{"a", "1"}, {"b", "2"}});
    e.write_consistency(cql::Consistency::EachQuorum);

    cql::Decoder d(buf);
    EXPECT_EQ(d.read_byte(), 0xfe);
    EXPECT_EQ(d.read_short(), 0xfffe);
    EXPECT_EQ(d.read_int(), -123456);
    EXPECT_EQ(d.read_long(), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(d.read_string(), "héllo");
    EXPECT_EQ(d.read_long_string(), "a long string");
    EXPECT_EQ(cql::to_bytes(d.read_bytes()), (Bytes{1, 2, 3}));
    const auto sb = d.read_short_bytes();
    EXPECT_EQ(Bytes(sb.begin(), sb.end()), Bytes{9});
    EXPECT_EQ(d.read_string_list(), (std::vector<std::string>{"x", "yz"}));
    EXPECT_EQ(d.read_string_map(), (cql::StringMap{{"a", "1"}, {"b", "2"}}));
    EXPECT_EQ(d.read_consistency(), cql::Consistency::EachQuorum);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(d.remaining(), 0u);
}

TEST(CqlEncoder, ValueNullIsMinusOneAndUnsetMinusTwo) {
    Bytes buf;
    cql::Encoder e(buf);
    e.write_value(cql::null);
    e.write_value(cql::unset);
    e.write_value(cql::to_value(std::int32_t{7}));
    EXPECT_EQ(buf, (Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 4, 0, 0, 0, 7}));
}

TEST(CqlEncoder, RefusesLengthsTheProtocolCannotExpress) {
    Bytes buf;
    cql::Encoder e(buf);
    EXPECT_THROW(e.write_string(std::string(65536, 'x')), std::length_error);
    EXPECT_NO_THROW(e.write_string(std::string(65535, 'x')));
    EXPECT_THROW(e.write_count(65536, "values"), std::length_error);
}

// Spec section 6: the serialized form of each type we bind.
TEST(CqlValue, SerializesAsSection6) {
    EXPECT_EQ(cql::to_value(std::int32_t{42}), cql::Value(Bytes{0, 0, 0, 0x2a}));
    EXPECT_EQ(cql::to_value(std::int32_t{-1}), cql::Value(Bytes{0xff, 0xff, 0xff, 0xff}));
    EXPECT_EQ(cql::to_value(std::int64_t{1700000000000}), cql::Value(Bytes{0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00}));
    EXPECT_EQ(cql::to_value(1.5f), cql::Value(Bytes{0x3f, 0xc0, 0, 0}));
    EXPECT_EQ(cql::to_value(-2.0), cql::Value(Bytes{0xc0, 0, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(cql::to_value(true), cql::Value(Bytes{1}));
    EXPECT_EQ(cql::to_value(false), cql::Value(Bytes{0}));
    EXPECT_EQ(cql::to_value("hé"), cql::Value(Bytes{'h', 0xc3, 0xa9}));
    cql::Uuid u;
    u.bytes[0] = 0xde;
    u.bytes[15] = 0xad;
    const auto uv = std::get<Bytes>(cql::to_value(u));
    ASSERT_EQ(uv.size(), 16u);
    EXPECT_EQ(uv[0], 0xde);
    EXPECT_EQ(uv[15], 0xad);
}

cql::ColumnType of(cql::TypeId id) { return cql::ColumnType{id, {}, {}, {}, {}}; }

template <class T>
std::optional<T> round_trip(cql::TypeId id, const T& v) {
    const auto bytes = std::get<Bytes>(cql::to_value(v));
    return cql::from_cell<T>(of(id), cql::ByteView(bytes));
}

TEST(CqlValue, RoundTripsEveryType) {
    EXPECT_EQ(round_trip(cql::TypeId::Int, std::int32_t{-5}), -5);
    EXPECT_EQ(round_trip(cql::TypeId::Bigint, std::int64_t{1} << 40), std::int64_t{1} << 40);
    EXPECT_EQ(round_trip(cql::TypeId::Counter, std::int64_t{-3}), -3);
    EXPECT_EQ(round_trip(cql::TypeId::Timestamp, std::int64_t{1700000000123}), 1700000000123);
    EXPECT_EQ(round_trip(cql::TypeId::Float, 0.25f), 0.25f);
    EXPECT_EQ(round_trip(cql::TypeId::Double, 0.812), 0.812);
    EXPECT_EQ(round_trip(cql::TypeId::Boolean, true), true);
    EXPECT_EQ(round_trip(cql::TypeId::Varchar, std::string("Blinding Lights")), "Blinding Lights");
    EXPECT_EQ(round_trip(cql::TypeId::Ascii, std::string("abc")), "abc");
    cql::Uuid u;
    u.bytes[3] = 7;
    EXPECT_EQ(round_trip(cql::TypeId::Timeuuid, u), u);
    EXPECT_EQ(round_trip(cql::TypeId::Uuid, u), u);
}

TEST(CqlValue, AnyNonZeroByteIsTrue) {
    const Bytes two{2};
    EXPECT_EQ(cql::from_cell<bool>(of(cql::TypeId::Boolean), cql::ByteView(two)), true);
}

TEST(CqlValue, NullCellIsNullopt) {
    EXPECT_FALSE(cql::from_cell<std::int32_t>(of(cql::TypeId::Int), std::nullopt).has_value());
    EXPECT_FALSE(cql::from_cell<std::string>(of(cql::TypeId::Varchar), std::nullopt).has_value());
}

TEST(CqlValue, WrongWidthIsAProtocolError) {
    const Bytes three{0, 0, 1};
    const Bytes four{0, 0, 0, 1};
    const Bytes empty;
    EXPECT_THROW(cql::from_cell<std::int32_t>(of(cql::TypeId::Int), cql::ByteView(three)), cql::ProtocolError);
    EXPECT_THROW(cql::from_cell<std::int32_t>(of(cql::TypeId::Int), cql::ByteView(empty)), cql::ProtocolError);
    EXPECT_THROW(cql::from_cell<std::int64_t>(of(cql::TypeId::Bigint), cql::ByteView(four)), cql::ProtocolError);
    EXPECT_THROW(cql::from_cell<double>(of(cql::TypeId::Double), cql::ByteView(four)), cql::ProtocolError);
    EXPECT_THROW(cql::from_cell<bool>(of(cql::TypeId::Boolean), cql::ByteView(empty)), cql::ProtocolError);
    EXPECT_THROW(cql::from_cell<cql::Uuid>(of(cql::TypeId::Uuid), cql::ByteView(four)), cql::ProtocolError);
}

TEST(CqlValue, WrongColumnTypeIsATypeError) {
    const Bytes four{0, 0, 0, 1};
    EXPECT_THROW(cql::from_cell<std::int64_t>(of(cql::TypeId::Int), cql::ByteView(four)), cql::TypeError);
    EXPECT_THROW(cql::from_cell<std::int32_t>(of(cql::TypeId::Varchar), cql::ByteView(four)), cql::TypeError);
    EXPECT_THROW(cql::from_cell<float>(of(cql::TypeId::Double), std::nullopt), cql::TypeError);
    EXPECT_THROW(cql::from_cell<std::string>(of(cql::TypeId::Blob), cql::ByteView(four)), cql::TypeError);
}

cql::ColumnType parse_type(const Bytes& in, bool expect_ok = true) {
    cql::Decoder d(in);
    auto t = cql::read_column_type(d);
    EXPECT_EQ(d.ok(), expect_ok) << d.error();
    return t;
}

TEST(CqlColumnType, NativeAndCollections) {
    EXPECT_EQ(to_string(parse_type({0x00, 0x0d})), "text");
    // map<text, list<int>>
    const auto map = parse_type({0x00, 0x21, 0x00, 0x0d, 0x00, 0x20, 0x00, 0x09});
    EXPECT_EQ(map.id, cql::TypeId::Map);
    ASSERT_EQ(map.params.size(), 2u);
    EXPECT_EQ(map.params[1].params.at(0).id, cql::TypeId::Int);
    EXPECT_EQ(to_string(map), "map<text, list<int>>");
    EXPECT_EQ(to_string(parse_type({0x00, 0x22, 0x00, 0x0c})), "set<uuid>");
}

TEST(CqlColumnType, TupleUdtAndCustom) {
    // tuple<bigint, double>
    EXPECT_EQ(to_string(parse_type({0x00, 0x31, 0x00, 0x02, 0x00, 0x02, 0x00, 0x07})), "tuple<bigint, double>");
    // UDT ks.pt {x int, tags set<text>}
    const auto udt = parse_type({0x00, 0x30, 0x00, 0x02, 'k', 's', 0x00, 0x02, 'p', 't', 0x00, 0x02,
                                 0x00, 0x01, 'x', 0x00, 0x09, 0x00, 0x04, 't', 'a', 'g', 's', 0x00, 0x22, 0x00, 0x0d});
    EXPECT_EQ(udt.keyspace, "ks");
    EXPECT_EQ(udt.name, "pt");
    EXPECT_EQ(udt.field_names, (std::vector<std::string>{"x", "tags"}));
    EXPECT_EQ(to_string(udt.params.at(1)), "set<text>");
    // A type we have no id for travels as custom: DurationType.
    const auto custom = parse_type({0x00, 0x00, 0x00, 0x05, 'D', 'u', 'r', 'T', 'y'});
    EXPECT_EQ(custom.id, cql::TypeId::Custom);
    EXPECT_EQ(custom.name, "DurTy");
}

TEST(CqlColumnType, UnknownIdsAreErrors) {
    parse_type({0x00, 0x0a}, false);  // text before v3
    parse_type({0x00, 0x15}, false);
    parse_type({0x00, 0x40}, false);
    parse_type({0x00, 0x21, 0x00, 0x0d}, false);  // map missing its value type
}

TEST(CqlColumnType, DeepNestingIsRefusedNotRecursedInto) {
    Bytes in;
    for (int i = 0; i < 100000; ++i) in.insert(in.end(), {0x00, 0x20});
    in.insert(in.end(), {0x00, 0x09});
    parse_type(in, false);

    Bytes fine;
    for (int i = 0; i < cql::max_type_depth; ++i) fine.insert(fine.end(), {0x00, 0x20});
    fine.insert(fine.end(), {0x00, 0x09});
    parse_type(fine, true);
}

}  // namespace
