// CQL v4 frames and messages against byte sequences written out from the spec.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string_view>
#include <variant>

#include "cql/error.hpp"
#include "cql/frame.hpp"
#include "cql/request/auth_response.hpp"
#include "cql/request/batch.hpp"
#include "cql/request/execute.hpp"
#include "cql/request/options.hpp"
#include "cql/request/prepare.hpp"
#include "cql/request/query.hpp"
#include "cql/request/register.hpp"
#include "cql/request/startup.hpp"
#include "cql/response.hpp"

namespace cql = playstream::cql;
namespace req = playstream::cql::request;
namespace res = playstream::cql::response;
using cql::Bytes;
using cql::Opcode;

namespace {

// Bytes written as the spec draws them: numbers are single bytes, strings their characters.
Bytes bytes(std::initializer_list<std::variant<int, std::string_view>> pieces) {
    Bytes out;
    for (const auto& p : pieces) {
        if (const auto* b = std::get_if<int>(&p)) {
            EXPECT_TRUE(*b >= 0 && *b <= 0xff) << *b;
            out.push_back(static_cast<std::uint8_t>(*b));
        } else {
            const auto s = std::get<std::string_view>(p);
            out.insert(out.end(), s.begin(), s.end());
        }
    }
    return out;
}

Bytes cat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// ---- Requests -----------------------------------------------------------------------------

TEST(CqlRequest, StartupFrameByteForByte) {
    EXPECT_EQ(cql::encode_frame(req::Startup{}, 0),
              bytes({0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x16,  // v4 request, STARTUP, 22 bytes
                     0x00, 0x01, 0x00, 0x0b, "CQL_VERSION", 0x00, 0x05, "3.0.0"}));
}

TEST(CqlRequest, StartupWithCompression) {
    req::Startup s;
    s.compression = "lz4";
    EXPECT_EQ(cql::encode_frame(s, 3),
              bytes({0x04, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x28, 0x00, 0x02, 0x00, 0x0b, "COMPRESSION",
                     0x00, 0x03, "lz4", 0x00, 0x0b, "CQL_VERSION", 0x00, 0x05, "3.0.0"}));
}

TEST(CqlRequest, OptionsHasAnEmptyBody) {
    EXPECT_EQ(cql::encode_frame(req::Options{}, 0x0102), bytes({0x04, 0x00, 0x01, 0x02, 0x05, 0x00, 0x00, 0x00, 0x00}));
}

TEST(CqlRequest, AuthResponseSaslPlain) {
    EXPECT_EQ(cql::encode_frame(req::AuthResponse::plain("cassandra", "s3cret"), 1),
              bytes({0x04, 0x00, 0x00, 0x01, 0x0f, 0x00, 0x00, 0x00, 0x15,  // 4 + 17 bytes
                     0x00, 0x00, 0x00, 0x11, 0x00, "cassandra", 0x00, "s3cret"}));
}

TEST(CqlRequest, QueryWithoutParameters) {
    req::Query q;
    q.cql = "USE ks";
    EXPECT_EQ(cql::encode_frame(q, 2), bytes({0x04, 0x00, 0x00, 0x02, 0x07, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00,
                                              0x00, 0x06, "USE ks", 0x00, 0x01, 0x00}));
}

TEST(CqlRequest, QueryWithEveryParameter) {
    req::Query q;
    q.cql = "SELECT 1";
    q.params.consistency = cql::Consistency::Quorum;
    q.params.values = {cql::to_value(std::int32_t{42}), cql::null};
    q.params.page_size = 5000;
    q.params.paging_state = Bytes{0xab, 0xcd};
    q.params.serial_consistency = cql::Consistency::LocalSerial;
    q.params.default_timestamp = 0x0102030405060708;
    EXPECT_EQ(cql::encode_frame(q, 0),
              bytes({0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x31,  // 49 bytes
                     0x00, 0x00, 0x00, 0x08, "SELECT 1",
                     0x00, 0x04,                                              // QUORUM
                     0x3d,                                                    // values|page|paging|serial|ts
                     0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x2a, 0xff, 0xff, 0xff, 0xff,
                     0x00, 0x00, 0x13, 0x88,                                  // page size 5000
                     0x00, 0x00, 0x00, 0x02, 0xab, 0xcd,                      // paging state
                     0x00, 0x09,                                              // LOCAL_SERIAL
                     0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}));
}

TEST(CqlRequest, PrepareAndRegister) {
    EXPECT_EQ(cql::encode_frame(req::Prepare{"SELECT 1"}, 0),
              bytes({0x04, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x08, "SELECT 1"}));
    EXPECT_EQ(cql::encode_frame(req::Register{{"TOPOLOGY_CHANGE", "STATUS_CHANGE"}}, 0),
              bytes({0x04, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x22, 0x00, 0x02, 0x00, 0x0f,
                     "TOPOLOGY_CHANGE", 0x00, 0x0d, "STATUS_CHANGE"}));
}

TEST(CqlRequest, ExecuteWithNullAndUnset) {
    const Bytes id{0xca, 0xfe};
    req::Execute x;
    x.id = id;
    x.params.consistency = cql::Consistency::LocalQuorum;
    x.params.skip_metadata = true;
    x.params.values = {cql::to_value(std::int64_t{1}), cql::null, cql::unset};
    EXPECT_EQ(cql::encode_frame(x, 7),
              bytes({0x04, 0x00, 0x00, 0x07, 0x0a, 0x00, 0x00, 0x00, 0x1d,  // 29 bytes
                     0x00, 0x02, 0xca, 0xfe, 0x00, 0x06, 0x03, 0x00, 0x03,
                     0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
                     0xff, 0xff, 0xff, 0xff,     // null
                     0xff, 0xff, 0xff, 0xfe}));  // unset
}

TEST(CqlRequest, UnloggedBatchWithTimestamp) {
    req::Batch b;
    b.type = req::BatchType::Unlogged;
    b.statements = {{{0x01}, {cql::to_value("a")}}, {{0x01}, {cql::to_value(std::int32_t{7})}}};
    b.default_timestamp = 16;
    EXPECT_EQ(cql::encode_frame(b, 0),
              bytes({0x04, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x27,  // 39 bytes
                     0x01, 0x00, 0x02,                                        // UNLOGGED, 2 statements
                     0x01, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, "a",
                     0x01, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07,
                     0x00, 0x01, 0x20,                                        // ONE, flags: timestamp
                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10}));
}

// The driver's batch of rows of one prepared statement: the same layout as req::Batch writes.
TEST(CqlRequest, PreparedBatchOfRowsIsTheSameFrameAsABatch) {
    req::Batch b;
    b.type = req::BatchType::Unlogged;
    b.statements = {{{0xab, 0xcd}, {cql::to_value("a"), cql::to_value(std::int32_t{7})}},
                    {{0xab, 0xcd}, {cql::to_value("bc"), cql::Value()}}};
    b.consistency = cql::Consistency::LocalQuorum;
    b.default_timestamp = 1234;
    // Two rows' values back to back, a null among them: "a" and 7 end at byte 5 + 8.
    const cql::BoundValues rows{cql::to_value("a"), cql::to_value(std::int32_t{7}), cql::to_value("bc"), cql::Value()};
    const std::vector<req::RowEnd> ends{{13, 2}, {rows.serialized().size(), 4}};
    const Bytes id{0xab, 0xcd};
    const Bytes frame = req::encode_prepared_batch(req::BatchType::Unlogged, id, rows, ends, cql::Consistency::LocalQuorum, 1234);
    EXPECT_EQ(frame, cql::encode_frame(b, 0));
    EXPECT_EQ(frame.capacity(), frame.size()) << "sized before it was written";
    EXPECT_EQ(Bytes(req::batch_prepared_id(frame).begin(), req::batch_prepared_id(frame).end()), id);
    // Rows of uneven counts (1 and 3 values, 3 and 1), ends out of order or short of the last
    // value, or no row, are refused rather than sent as some other batch.
    const std::size_t all = rows.serialized().size();
    for (const std::vector<req::RowEnd>& bad : std::vector<std::vector<req::RowEnd>>{
             {}, {{5, 1}, {all, 4}}, {{17, 3}, {all, 4}}, {{13, 2}, {17, 3}, {all, 4}}, {{all, 2}, {13, 4}},
             {{13, 2}, {20, 4}}}) {
        EXPECT_THROW(req::encode_prepared_batch(req::BatchType::Unlogged, id, rows, bad, cql::Consistency::One, 1),
                     std::invalid_argument)
            << bad.size() << " ends";
    }
}

// After a node prepared the statement again under a new id, every statement of the batch carries
// it, with the same values and parameters.
TEST(CqlRequest, PreparedBatchWithAnotherId) {
    const cql::BoundValues rows{cql::to_value("a"), cql::to_value(std::int32_t{7}), cql::to_value("bc"), cql::Value()};
    const std::vector<req::RowEnd> ends{{13, 2}, {rows.serialized().size(), 4}};
    const Bytes frame = req::encode_prepared_batch(req::BatchType::Unlogged, Bytes{0xab, 0xcd}, rows, ends,
                                                   cql::Consistency::One, 99);
    const Bytes new_id{1, 2, 3, 4, 5};
    const Bytes expected = req::encode_prepared_batch(req::BatchType::Unlogged, new_id, rows, ends, cql::Consistency::One, 99);
    EXPECT_EQ(req::batch_with_prepared_id(frame, new_id), expected);
    // The driver's one entry for either kind of frame (request/execute.hpp) takes a BATCH too.
    EXPECT_EQ(req::with_prepared_id(frame, new_id), expected);
    EXPECT_EQ(cql::Bytes(req::prepared_id(expected).begin(), req::prepared_id(expected).end()), new_id);
    // A frame cut short, or not a BATCH, is refused rather than read past its end.
    EXPECT_THROW(req::batch_with_prepared_id(cql::ByteView(frame).first(frame.size() - 20), new_id), cql::ProtocolError);
    EXPECT_THROW(req::batch_prepared_id(cql::encode_frame(req::Options{}, 0)), cql::ProtocolError);
    EXPECT_THROW(req::batch_prepared_id(cql::ByteView(frame).first(cql::header_size + 5)), cql::ProtocolError);
}

TEST(CqlRequest, LoggedBatchWithSerialConsistency) {
    req::Batch b;
    b.statements = {{{0x09, 0x08}, {}}};
    b.consistency = cql::Consistency::All;
    b.serial_consistency = cql::Consistency::Serial;
    EXPECT_EQ(cql::encode_frame(b, 0), bytes({0x04, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x0f, 0x00, 0x00,
                                              0x01, 0x01, 0x00, 0x02, 0x09, 0x08, 0x00, 0x00, 0x00, 0x05, 0x10,
                                              0x00, 0x08}));
}

TEST(CqlRequest, FramesAppendToABuffer) {
    Bytes out{0xee};
    cql::encode_frame(req::Options{}, 1, out);
    cql::encode_frame(req::Options{}, 2, out);
    EXPECT_EQ(out, bytes({0xee, 0x04, 0x00, 0x00, 0x01, 0x05, 0, 0, 0, 0, 0x04, 0x00, 0x00, 0x02, 0x05, 0, 0, 0, 0}));
}

TEST(CqlRequest, BadRequestsThrowAndLeaveTheBufferAlone) {
    Bytes out{0xee};
    EXPECT_THROW(cql::encode_frame(req::Options{}, -1, out), std::invalid_argument);
    req::Startup s;
    s.cql_version.assign(70000, 'x');
    EXPECT_THROW(cql::encode_frame(s, 0, out), std::length_error);
    req::Query q;
    for (int i = 0; i < 65536; ++i) q.params.values.add(cql::null);
    EXPECT_THROW(cql::encode_frame(q, 0, out), std::length_error);
    EXPECT_EQ(out, Bytes{0xee});
}

// ---- Frame header -------------------------------------------------------------------------

TEST(CqlFrameHeader, ParsesAResponseHeader) {
    const auto h = cql::parse_response_header(bytes({0x84, 0x08, 0x01, 0x02, 0x08, 0x00, 0x01, 0x00, 0x00}));
    EXPECT_EQ(h.version, 0x84);
    EXPECT_EQ(h.flags, cql::frame_flag::warning);
    EXPECT_EQ(h.stream, 0x0102);
    EXPECT_EQ(h.opcode, Opcode::Result);
    EXPECT_EQ(h.length, 65536u);
}

TEST(CqlFrameHeader, EventsComeOnStreamMinusOne) {
    EXPECT_EQ(cql::parse_response_header(bytes({0x84, 0, 0xff, 0xff, 0x0c, 0, 0, 0, 0})).stream, -1);
}

TEST(CqlFrameHeader, RefusesWhatIsNotAV4Response) {
    const auto parse = [](Bytes b) { return cql::parse_response_header(b); };
    EXPECT_THROW(parse(bytes({0x04, 0, 0, 0, 0x02, 0, 0, 0, 0})), cql::ProtocolError);  // a request
    EXPECT_THROW(parse(bytes({0x83, 0, 0, 0, 0x02, 0, 0, 0, 0})), cql::ProtocolError);  // v3
    EXPECT_THROW(parse(bytes({0x85, 0, 0, 0, 0x02, 0, 0, 0, 0})), cql::ProtocolError);  // v5
    EXPECT_THROW(parse(bytes({0x84, 0, 0, 0, 0x04, 0, 0, 0, 0})), cql::ProtocolError);  // no opcode 4
    EXPECT_THROW(parse(bytes({0x84, 0, 0, 0, 0x11, 0, 0, 0, 0})), cql::ProtocolError);
    EXPECT_THROW(parse(bytes({0x84, 0, 0, 0, 0x07, 0, 0, 0, 0})), cql::ProtocolError);  // QUERY
    EXPECT_THROW(parse(bytes({0x84, 0, 0, 0, 0x02, 0, 0, 0})), cql::ProtocolError);     // 8 bytes
}

TEST(CqlFrameHeader, BodyLengthIsCappedAt256MB) {
    EXPECT_EQ(cql::parse_response_header(bytes({0x84, 0, 0, 0, 0x08, 0x10, 0, 0, 0})).length, 256u << 20);
    EXPECT_THROW(cql::parse_response_header(bytes({0x84, 0, 0, 0, 0x08, 0x10, 0, 0, 1})), cql::ProtocolError);
    EXPECT_THROW(cql::parse_response_header(bytes({0x84, 0, 0, 0, 0x08, 0xff, 0xff, 0xff, 0xff})),
                 cql::ProtocolError);
}

// ---- Responses ----------------------------------------------------------------------------

cql::Response decode(Opcode op, const Bytes& body, std::uint8_t flags = 0) {
    cql::FrameHeader h;
    h.flags = flags;
    h.opcode = op;
    h.length = static_cast<std::uint32_t>(body.size());
    return cql::decode_response(h, body);
}

template <class T>
T decode_as(Opcode op, const Bytes& body, std::uint8_t flags = 0) {
    auto r = decode(op, body, flags);
    EXPECT_TRUE(std::holds_alternative<T>(r.body));
    return std::get<T>(std::move(r.body));
}

template <class T>
T decode_result(const Bytes& body) {
    auto r = decode_as<res::Result>(Opcode::Result, body);
    EXPECT_TRUE(std::holds_alternative<T>(r.kind));
    return std::get<T>(std::move(r.kind));
}

TEST(CqlResponse, ReadyFrame) {
    const auto frame = bytes({0x84, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00});
    const auto h = cql::parse_response_header(frame);
    const auto r = cql::decode_response(h, cql::ByteView(frame).subspan(cql::header_size));
    EXPECT_TRUE(std::holds_alternative<res::Ready>(r.body));
    EXPECT_FALSE(r.tracing_id);
    EXPECT_TRUE(r.warnings.empty());
}

const Bytes unavailable_body = bytes({0x00, 0x00, 0x10, 0x00, 0x00, 0x0b, "Cannot do 2", 0x00, 0x04,
                                      0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01});

TEST(CqlResponse, ErrorUnavailable) {
    const auto e = decode_as<res::Error>(Opcode::Error, unavailable_body);
    EXPECT_EQ(e.code, res::ErrorCode::Unavailable);
    EXPECT_EQ(e.message, "Cannot do 2");
    const auto& u = std::get<res::Error::Unavailable>(e.details);
    EXPECT_EQ(u.consistency, cql::Consistency::Quorum);
    EXPECT_EQ(u.required, 2);
    EXPECT_EQ(u.alive, 1);
    EXPECT_EQ(e.describe(), "Unavailable (0x1000): Cannot do 2");
}

TEST(CqlResponse, ErrorWriteAndReadTimeouts) {
    const auto w = decode_as<res::Error>(Opcode::Error, bytes({0x00, 0x00, 0x11, 0x00, 0x00, 0x01, "t", 0x00, 0x01,
                                                               0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x05, "BATCH"}));
    const auto& wt = std::get<res::Error::WriteTimeout>(w.details);
    EXPECT_EQ(wt.consistency, cql::Consistency::One);
    EXPECT_EQ(wt.received, 0);
    EXPECT_EQ(wt.block_for, 1);
    EXPECT_EQ(wt.write_type, "BATCH");

    const auto r = decode_as<res::Error>(Opcode::Error, bytes({0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x06,
                                                               0, 0, 0, 2, 0, 0, 0, 3, 0x00}));
    const auto& rt = std::get<res::Error::ReadTimeout>(r.details);
    EXPECT_EQ(rt.consistency, cql::Consistency::LocalQuorum);
    EXPECT_EQ(rt.received, 2);
    EXPECT_EQ(rt.block_for, 3);
    EXPECT_FALSE(rt.data_present);
}

// v4 has <numfailures> [int] here, not v5's reason map.
TEST(CqlResponse, ErrorReadAndWriteFailures) {
    const auto r = decode_as<res::Error>(Opcode::Error, bytes({0x00, 0x00, 0x13, 0x00, 0x00, 0x00, 0x00, 0x05,
                                                               0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 2, 0x01}));
    const auto& rf = std::get<res::Error::ReadFailure>(r.details);
    EXPECT_EQ(rf.consistency, cql::Consistency::All);
    EXPECT_EQ(rf.received, 1);
    EXPECT_EQ(rf.block_for, 3);
    EXPECT_EQ(rf.num_failures, 2);
    EXPECT_TRUE(rf.data_present);

    const auto w = decode_as<res::Error>(Opcode::Error, bytes({0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x04,
                                                               0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0x00, 0x0e,
                                                               "UNLOGGED_BATCH"}));
    const auto& wf = std::get<res::Error::WriteFailure>(w.details);
    EXPECT_EQ(wf.num_failures, 1);
    EXPECT_EQ(wf.write_type, "UNLOGGED_BATCH");
}

TEST(CqlResponse, ErrorFunctionFailureAlreadyExistsUnprepared) {
    const auto f = decode_as<res::Error>(Opcode::Error, bytes({0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x02,
                                                               "ks", 0x00, 0x02, "fn", 0x00, 0x02, 0x00, 0x03,
                                                               "int", 0x00, 0x04, "text"}));
    const auto& ff = std::get<res::Error::FunctionFailure>(f.details);
    EXPECT_EQ(ff.keyspace, "ks");
    EXPECT_EQ(ff.function, "fn");
    EXPECT_EQ(ff.arg_types, (std::vector<std::string>{"int", "text"}));

    const auto a = decode_as<res::Error>(Opcode::Error, bytes({0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x07,
                                                               "spotify", 0x00, 0x00}));
    const auto& ae = std::get<res::Error::AlreadyExists>(a.details);
    EXPECT_EQ(ae.keyspace, "spotify");
    EXPECT_EQ(ae.table, "");

    const auto u = decode_as<res::Error>(Opcode::Error,
                                         bytes({0x00, 0x00, 0x25, 0x00, 0x00, 0x00, 0x00, 0x02, 0xbe, 0xef}));
    EXPECT_EQ(std::get<res::Error::Unprepared>(u.details).id, (Bytes{0xbe, 0xef}));
}

TEST(CqlResponse, ErrorsWithOnlyAMessage) {
    for (const auto code : {res::ErrorCode::ServerError, res::ErrorCode::ProtocolError, res::ErrorCode::BadCredentials,
                            res::ErrorCode::Overloaded, res::ErrorCode::IsBootstrapping, res::ErrorCode::TruncateError,
                            res::ErrorCode::SyntaxError, res::ErrorCode::Unauthorized, res::ErrorCode::Invalid,
                            res::ErrorCode::ConfigError, static_cast<res::ErrorCode>(0x1600)}) {
        const auto raw = static_cast<std::uint32_t>(code);
        const auto e = decode_as<res::Error>(
            Opcode::Error, bytes({0, 0, static_cast<int>(raw >> 8), static_cast<int>(raw & 0xff), 0x00, 0x03, "msg"}));
        EXPECT_EQ(e.code, code);
        EXPECT_EQ(e.message, "msg");
        EXPECT_TRUE(std::holds_alternative<std::monostate>(e.details));
    }
    EXPECT_EQ(res::to_string(res::ErrorCode::BadCredentials), "Bad_credentials");
    EXPECT_EQ(res::to_string(static_cast<res::ErrorCode>(0x1600)), "Unknown");
}

TEST(CqlResponse, AuthenticateChallengeSuccess) {
    EXPECT_EQ(decode_as<res::Authenticate>(Opcode::Authenticate,
                                           bytes({0x00, 0x2f, "org.apache.cassandra.auth.PasswordAuthenticator"}))
                  .authenticator,
              req::password_authenticator);
    EXPECT_EQ(decode_as<res::AuthChallenge>(Opcode::AuthChallenge, bytes({0, 0, 0, 2, 0x01, 0x02})).token,
              (Bytes{0x01, 0x02}));
    EXPECT_FALSE(decode_as<res::AuthSuccess>(Opcode::AuthSuccess, bytes({0xff, 0xff, 0xff, 0xff})).token);
}

const Bytes supported_body = bytes({0x00, 0x02, 0x00, 0x0b, "COMPRESSION", 0x00, 0x02, 0x00, 0x06, "snappy", 0x00,
                                    0x03, "lz4", 0x00, 0x0b, "CQL_VERSION", 0x00, 0x01, 0x00, 0x05, "3.4.7"});

TEST(CqlResponse, Supported) {
    const auto s = decode_as<res::Supported>(Opcode::Supported, supported_body);
    EXPECT_EQ(s.options.at("COMPRESSION"), (std::vector<std::string>{"snappy", "lz4"}));
    EXPECT_EQ(s.options.at("CQL_VERSION"), (std::vector<std::string>{"3.4.7"}));
}

TEST(CqlResponse, VoidSetKeyspaceUnknownKind) {
    decode_result<res::Void>(bytes({0, 0, 0, 1}));
    EXPECT_EQ(decode_result<res::SetKeyspace>(bytes({0, 0, 0, 3, 0x00, 0x07, "spotify"})).keyspace, "spotify");
    EXPECT_THROW(decode(Opcode::Result, bytes({0, 0, 0, 6})), cql::ProtocolError);
}

// Rows, Global_tables_spec: spotify.listening_history (name text, hour int), two rows, one null cell.
const Bytes rows_body = bytes({0x00, 0x00, 0x00, 0x02,                                   // kind Rows
                               0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,           // flags, 2 columns
                               0x00, 0x07, "spotify", 0x00, 0x11, "listening_history",
                               0x00, 0x04, "name", 0x00, 0x0d, 0x00, 0x04, "hour", 0x00, 0x09,
                               0x00, 0x00, 0x00, 0x02,                                   // 2 rows
                               0x00, 0x00, 0x00, 0x03, "bob", 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x17,
                               0x00, 0x00, 0x00, 0x05, "alice", 0xff, 0xff, 0xff, 0xff});

TEST(CqlResponse, RowsWithMetadataAndTwoRows) {
    const auto rows = decode_result<res::Rows>(rows_body);
    ASSERT_EQ(rows.column_count(), 2u);
    ASSERT_EQ(rows.row_count(), 2u);
    EXPECT_FALSE(rows.metadata.paging_state);
    const auto& cols = rows.metadata.columns;
    ASSERT_EQ(cols.size(), 2u);
    EXPECT_EQ(cols[0].keyspace, "spotify");
    EXPECT_EQ(cols[1].table, "listening_history");
    EXPECT_EQ(cols[0].name, "name");
    EXPECT_EQ(cols[1].type.id, cql::TypeId::Int);
    EXPECT_EQ(cql::from_cell<std::string>(cols[0].type, rows.cell(0, 0)), "bob");
    EXPECT_EQ(cql::from_cell<std::int32_t>(cols[1].type, rows.cell(0, 1)), 23);
    EXPECT_EQ(cql::from_cell<std::string>(cols[0].type, rows.cell(1, 0)), "alice");
    EXPECT_FALSE(rows.cell(1, 1).has_value());
    EXPECT_THROW(rows.cell(2, 0), std::out_of_range);
    EXPECT_THROW(rows.cell(0, 2), std::out_of_range);
}

TEST(CqlResponse, AHalfReadRowsIsEmpty) {
    for (const std::size_t cut : {std::size_t{12}, rows_body.size() - 1}) {
        const Bytes prefix(rows_body.begin() + 4, rows_body.begin() + static_cast<std::ptrdiff_t>(cut));
        cql::Decoder d(prefix);
        const auto rows = res::Rows::decode(d);
        EXPECT_FALSE(d.ok());
        EXPECT_EQ(rows.row_count(), 0u);
        EXPECT_THROW(rows.cell(0, 0), std::out_of_range);
    }
}

const Bytes paged_rows_body = bytes({0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x06,  // Has_more_pages|No_metadata
                                     0x00, 0x00, 0x00, 0x01,                          // 1 column
                                     0x00, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03,        // paging state
                                     0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, "x"});

TEST(CqlResponse, RowsWithPagingStateAndNoMetadata) {
    const auto rows = decode_result<res::Rows>(paged_rows_body);
    EXPECT_EQ(rows.metadata.paging_state, (Bytes{1, 2, 3}));
    EXPECT_TRUE(rows.metadata.columns.empty());
    EXPECT_EQ(rows.column_count(), 1u);
    ASSERT_EQ(rows.row_count(), 1u);
    EXPECT_EQ(cql::to_bytes(rows.cell(0, 0)), Bytes{'x'});
}

TEST(CqlResponse, RowsWithPerColumnTablesAndNestedTypes) {
    const auto rows = decode_result<res::Rows>(bytes({
        0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x01, "a", 0x00, 0x01, "t", 0x00, 0x01, "m", 0x00, 0x21, 0x00, 0x0d, 0x00, 0x31, 0x00, 0x02, 0x00, 0x09,
        0x00, 0x00, 0x00, 0x04, "Dur!",                               // map<text, tuple<int, custom>>
        0x00, 0x01, "b", 0x00, 0x01, "u", 0x00, 0x01, "d", 0x00, 0x11,  // date
        0x00, 0x00, 0x00, 0x00}));
    ASSERT_EQ(rows.metadata.columns.size(), 2u);
    EXPECT_EQ(rows.metadata.columns[0].keyspace, "a");
    EXPECT_EQ(rows.metadata.columns[1].table, "u");
    EXPECT_EQ(cql::to_string(rows.metadata.columns[0].type), "map<text, tuple<int, 'Dur!'>>");
    EXPECT_EQ(cql::to_string(rows.metadata.columns[1].type), "date");
    EXPECT_EQ(rows.row_count(), 0u);
}

// Prepared: INSERT INTO spotify.t (hour, day, name) VALUES (?, ?, ?) with partition key
// (name, day): pk_indexes [2, 1]; the result metadata is empty (No_metadata, 0 columns).
const Bytes prepared_body = bytes({0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0xab, 0xcd,
                                   0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,  // Global_tables_spec, 3 markers
                                   0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x01,  // pk_indexes [2, 1]
                                   0x00, 0x07, "spotify", 0x00, 0x01, "t",
                                   0x00, 0x04, "hour", 0x00, 0x09, 0x00, 0x03, "day", 0x00, 0x0d,
                                   0x00, 0x04, "name", 0x00, 0x0d,
                                   0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00});

TEST(CqlResponse, PreparedWithPartitionKeyIndexes) {
    const auto p = decode_result<res::Prepared>(prepared_body);
    EXPECT_EQ(p.id, (Bytes{0xab, 0xcd}));
    EXPECT_EQ(p.pk_indexes, (std::vector<std::uint16_t>{2, 1}));
    ASSERT_EQ(p.variables.size(), 3u);
    EXPECT_EQ(p.variables[2].name, "name");
    EXPECT_EQ(p.variables[0].table, "t");
    EXPECT_EQ(p.result_metadata.column_count, 0u);
    EXPECT_TRUE(p.result_metadata.columns.empty());
}

TEST(CqlResponse, PreparedRefusesAPartitionKeyIndexPastTheMarkers) {
    auto body = prepared_body;
    body[21] = 0x03;  // pk_indexes [3, 1] with 3 markers
    EXPECT_THROW(decode(Opcode::Result, body), cql::ProtocolError);
}

TEST(CqlResponse, PreparedSelectCarriesResultMetadata) {
    const auto p = decode_result<res::Prepared>(bytes({
        0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x07, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, "k", 0x00, 0x01, "t", 0x00, 0x01, "n", 0x00, 0x0d,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, "k", 0x00, 0x01, "t",
        0x00, 0x04, "song", 0x00, 0x0d}));
    EXPECT_EQ(p.pk_indexes, (std::vector<std::uint16_t>{0}));
    ASSERT_EQ(p.result_metadata.columns.size(), 1u);
    EXPECT_EQ(p.result_metadata.columns[0].name, "song");
}

TEST(CqlResponse, SchemaChangeTargets) {
    const auto ks = decode_result<res::SchemaChange>(
        bytes({0, 0, 0, 5, 0x00, 0x07, "CREATED", 0x00, 0x08, "KEYSPACE", 0x00, 0x07, "spotify"}));
    EXPECT_EQ(ks.change_type, "CREATED");
    EXPECT_EQ(ks.keyspace, "spotify");
    EXPECT_EQ(ks.name, "");
    const auto table = decode_result<res::SchemaChange>(
        bytes({0, 0, 0, 5, 0x00, 0x07, "UPDATED", 0x00, 0x05, "TABLE", 0x00, 0x02, "ks", 0x00, 0x01, "t"}));
    EXPECT_EQ(table.name, "t");
    const auto fn = decode_result<res::SchemaChange>(bytes({0, 0, 0, 5, 0x00, 0x07, "DROPPED", 0x00, 0x08,
                                                            "FUNCTION", 0x00, 0x02, "ks", 0x00, 0x01, "f", 0x00,
                                                            0x01, 0x00, 0x03, "int"}));
    EXPECT_EQ(fn.argument_types, (std::vector<std::string>{"int"}));
    EXPECT_THROW(decode(Opcode::Result, bytes({0, 0, 0, 5, 0x00, 0x01, "X", 0x00, 0x04, "VIEW", 0x00, 0x01, "k"})),
                 cql::ProtocolError);
}

const Bytes topology_event_body = bytes({0x00, 0x0f, "TOPOLOGY_CHANGE", 0x00, 0x08, "NEW_NODE",
                                         0x04, 127, 0, 0, 2, 0x00, 0x00, 0x23, 0x52});

TEST(CqlResponse, Events) {
    const auto e = decode_as<res::Event>(Opcode::Event, topology_event_body);
    EXPECT_EQ(e.type, "TOPOLOGY_CHANGE");
    const auto& node = std::get<res::NodeChange>(e.change);
    EXPECT_EQ(node.change, "NEW_NODE");
    EXPECT_EQ(node.node, (cql::Inet{{127, 0, 0, 2}, 9042}));
    const auto s = decode_as<res::Event>(Opcode::Event, bytes({0x00, 0x0d, "SCHEMA_CHANGE", 0x00, 0x07, "DROPPED",
                                                               0x00, 0x08, "KEYSPACE", 0x00, 0x01, "k"}));
    EXPECT_EQ(std::get<res::SchemaChange>(s.change).keyspace, "k");
    EXPECT_THROW(decode(Opcode::Event, bytes({0x00, 0x03, "FOO"})), cql::ProtocolError);
}

// Tracing id, then warnings, then custom payload, then the message (spec 2.2).
const Bytes flagged_void_body =
    cat(bytes({0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
               0x00, 0x01, 0x00, 0x0d, "batch too big",
               0x00, 0x01, 0x00, 0x01, "k", 0x00, 0x00, 0x00, 0x01, 0x2a}),
        bytes({0x00, 0x00, 0x00, 0x01}));
constexpr std::uint8_t all_body_flags = cql::frame_flag::tracing | cql::frame_flag::warning |
                                        cql::frame_flag::custom_payload;

TEST(CqlResponse, TracingWarningsAndCustomPayloadPrecedeTheBody) {
    const auto r = decode(Opcode::Result, flagged_void_body, all_body_flags);
    ASSERT_TRUE(r.tracing_id);
    EXPECT_EQ(r.tracing_id->bytes[0], 0x10);
    EXPECT_EQ(r.tracing_id->bytes[15], 0x1f);
    EXPECT_EQ(r.warnings, (std::vector<std::string>{"batch too big"}));
    EXPECT_TRUE(std::holds_alternative<res::Void>(std::get<res::Result>(r.body).kind));
}

TEST(CqlResponse, TrailingBytesAreIgnored) {
    decode_result<res::Void>(bytes({0, 0, 0, 1, 0xde, 0xad}));
}

TEST(CqlResponse, RefusesCompressedOrMissizedBodies) {
    EXPECT_THROW(decode(Opcode::Ready, {}, cql::frame_flag::compression), cql::ProtocolError);
    cql::FrameHeader h;
    h.length = 4;
    EXPECT_THROW(cql::decode_response(h, Bytes{}), cql::ProtocolError);
}

TEST(CqlResponse, ForgedCountsFailFast) {
    // 2^31-1 rows of 2 columns in a 4-byte remainder.
    EXPECT_THROW(decode(Opcode::Result, bytes({0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 2, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0})),
                 cql::ProtocolError);
    // 2^31-1 column specs.
    EXPECT_THROW(decode(Opcode::Result, bytes({0, 0, 0, 2, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff, 0, 1, "k", 0, 1, "t"})),
                 cql::ProtocolError);
    // Negative row count.
    EXPECT_THROW(decode(Opcode::Result, bytes({0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})),
                 cql::ProtocolError);
    // Rows of zero columns: any count is cheap.
    EXPECT_EQ(decode_result<res::Rows>(bytes({0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff})).row_count(),
              0x7fffffffu);
}

// Every proper prefix of a valid body must be refused with a ProtocolError: never read past
// the end, never accepted as something shorter.
TEST(CqlResponse, EveryTruncationIsAProtocolError) {
    struct Case {
        Opcode op;
        Bytes body;
        std::uint8_t flags;
    };
    const std::vector<Case> cases{
        {Opcode::Error, unavailable_body, 0},
        {Opcode::Supported, supported_body, 0},
        {Opcode::Result, rows_body, 0},
        {Opcode::Result, paged_rows_body, 0},
        {Opcode::Result, prepared_body, 0},
        {Opcode::Result, flagged_void_body, all_body_flags},
        {Opcode::Event, topology_event_body, 0},
        {Opcode::Authenticate, bytes({0x00, 0x03, "abc"}), 0},
        {Opcode::AuthSuccess, bytes({0, 0, 0, 2, 0x01, 0x02}), 0},
    };
    for (const auto& c : cases) {
        ASSERT_NO_THROW(decode(c.op, c.body, c.flags));
        for (std::size_t n = 0; n < c.body.size(); ++n) {
            // A copy of exactly n bytes, so ASan sees any read past the end.
            const Bytes prefix(c.body.begin(), c.body.begin() + static_cast<std::ptrdiff_t>(n));
            EXPECT_THROW(decode(c.op, prefix, c.flags), cql::ProtocolError)
                << cql::to_string(c.op) << " truncated to " << n << " of " << c.body.size() << " bytes";
        }
    }
}

}  // namespace
