// Bound values serialized as they are added, and an EXECUTE frame given a new prepared id.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "cql/bound_values.hpp"
#include "cql/driver/statement.hpp"
#include "cql/encoder.hpp"
#include "cql/error.hpp"
#include "cql/request/execute.hpp"
#include "cql/request/query.hpp"

namespace cql = playstream::cql;
namespace req = playstream::cql::request;
using cql::Bytes;

namespace {

TEST(CqlBoundValues, SerializeAsToValueAndWriteValueDo) {
    cql::BoundValues added;
    added.add(std::int32_t{-2});
    added.add(std::int64_t{1} << 40);
    added.add(1.5f);
    added.add(2.25);
    added.add(true);
    added.add(std::string_view("héllo"));
    added.add(cql::null);
    added.add(cql::unset);
    const std::vector<cql::Value> values{cql::to_value(std::int32_t{-2}), cql::to_value(std::int64_t{1} << 40),
                                         cql::to_value(1.5f), cql::to_value(2.25), cql::to_value(true),
                                         cql::to_value("héllo"), cql::null, cql::unset};
    Bytes expected;
    cql::Encoder e(expected);
    for (const auto& v : values) e.write_value(v);
    EXPECT_EQ(Bytes(added.serialized().begin(), added.serialized().end()), expected);
    EXPECT_EQ(added.size(), values.size());
    EXPECT_EQ(cql::BoundValues(values).serialized().size(), expected.size());
    for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(added.at(i), values[i]) << i;
    EXPECT_EQ(added.cell(6), std::nullopt);
    EXPECT_EQ(added.cell(5)->size(), 6u);
    EXPECT_THROW(added.at(8), std::out_of_range);

    // Room reserved ahead is not a value: too little grows, too much is not serialized.
    for (const std::size_t room : {std::size_t{3}, std::size_t{1000}}) {
        cql::BoundValues reserved;
        reserved.reserve(room);
        for (const auto& v : values) reserved.add(v);
        EXPECT_EQ(Bytes(reserved.serialized().begin(), reserved.serialized().end()), expected) << room;
        EXPECT_EQ(reserved.at(7), values[7]) << room;
    }

    // Room in front and behind is not a value either, and the buffer given up ends with them.
    cql::BoundValues framed(20, 14);
    framed.reserve(3);
    for (const auto& v : values) framed.add(v);
    EXPECT_EQ(Bytes(framed.serialized().begin(), framed.serialized().end()), expected);
    EXPECT_EQ(framed.cell(5)->size(), 6u);
    EXPECT_EQ(framed.at(0), values[0]);
    const Bytes buffer = framed.release_buffer();
    ASSERT_EQ(buffer.size(), 20 + expected.size());
    EXPECT_GE(buffer.capacity(), buffer.size() + 14);
    EXPECT_EQ(Bytes(buffer.begin() + 20, buffer.end()), expected);
    EXPECT_TRUE(framed.empty());
}

// An EXECUTE written around values that kept room for it is the frame encode_frame writes, in
// the values' own buffer (not a copy of them); without that room it is encoded the usual way.
TEST(CqlBoundValues, AnExecuteFrameIsWrittenAroundValuesThatKeptRoomForIt) {
    const Bytes id{1, 2, 3, 4};
    const auto params = [&](cql::BoundValues values) {
        req::QueryParameters p;
        p.consistency = cql::Consistency::LocalQuorum;
        p.values = std::move(values);
        p.page_size = 5000;
        p.default_timestamp = 1234;
        return p;
    };
    const auto fill = [](cql::BoundValues& v) {
        v.add(std::string_view("key"));
        v.add(std::int32_t{7});
        v.add(2.5f);
    };
    cql::BoundValues plain;
    fill(plain);
    const Bytes expected = cql::encode_frame(req::Execute{id, params(plain)}, 0);

    cql::BoundValues roomy(req::execute_front_room(id.size()), req::execute_back_room);
    roomy.reserve(32);
    fill(roomy);
    const auto* values_at = roomy.serialized().data();
    const Bytes in_place = req::encode_execute(id, params(std::move(roomy)));
    EXPECT_EQ(in_place, expected);
    EXPECT_EQ(in_place.data() + req::execute_front_room(id.size()), values_at);  // the same buffer

    // A Statement of a prepared statement gives its values that room, as insert_for builds it.
    auto prepared = std::make_shared<playstream::cql::driver::PreparedStatement>();
    prepared->prepared.id = id;
    playstream::cql::driver::Statement statement(prepared, {});
    statement.values.reserve(32);
    fill(statement.values);
    const auto* statement_values_at = statement.values.serialized().data();
    const Bytes from_statement = req::encode_execute(id, params(std::move(statement.values)));
    EXPECT_EQ(from_statement, expected);
    EXPECT_EQ(from_statement.data() + req::execute_front_room(id.size()), statement_values_at);

    EXPECT_EQ(req::encode_execute(id, params(plain)), expected);  // no room: copied
    cql::BoundValues wrong_room(7, 0);
    fill(wrong_room);
    EXPECT_EQ(req::encode_execute(id, params(std::move(wrong_room))), expected);
    EXPECT_EQ(req::encode_execute(id, params({})), cql::encode_frame(req::Execute{id, params({})}, 0));
}

TEST(CqlBoundValues, AnExecuteFrameTakesANewPreparedIdAndKeepsEverythingElse) {
    const Bytes old_id{1, 2, 3};
    const Bytes new_id{9, 8, 7, 6, 5};
    req::Execute x;
    x.id = old_id;
    x.params.consistency = cql::Consistency::LocalQuorum;
    x.params.values = {cql::to_value("key"), cql::to_value(std::int32_t{7})};
    x.params.default_timestamp = 1234;
    const auto frame = cql::encode_frame(x, 0);
    EXPECT_EQ(Bytes(req::prepared_id(frame).begin(), req::prepared_id(frame).end()), old_id);
    x.id = new_id;
    EXPECT_EQ(req::with_prepared_id(frame, new_id), cql::encode_frame(x, 0));
    EXPECT_THROW(req::prepared_id(cql::encode_frame(req::Query{"SELECT 1", {}}, 0)), cql::ProtocolError);
    EXPECT_THROW(req::prepared_id(cql::ByteView(frame).first(11)), cql::ProtocolError);
}

}  // namespace
