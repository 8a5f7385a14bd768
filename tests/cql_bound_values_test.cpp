// Bound values serialized as they are added, and an EXECUTE frame given a new prepared id.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "cql/bound_values.hpp"
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
