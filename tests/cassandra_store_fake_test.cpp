// CassandraStore reading answers from a fake node that answers wrongly: every answer it did not
// ask for is a playstream::Error naming the node, never a read past the columns it sent.
// And what it writes for the listening index when a batch is refused, then acknowledged.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cql_driver_fake_node.hpp"
#include "store/cassandra_store.hpp"
#include "store/columns.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace playstream {
namespace {

namespace fake = cql::fake;
using cql::Opcode;

const cql::ColumnType text_type{cql::TypeId::Varchar, {}, {}, {}, {}};

// A Rows body of `columns` text columns named c0.., one row; with No_metadata, no column specs.
cql::Bytes text_rows(std::size_t columns, bool no_metadata) {
    return fake::reply::body([&](cql::Encoder& e) {
        e.write_int(2);
        e.write_int(no_metadata ? 0x0004 : 0x0001);
        e.write_int(static_cast<std::int32_t>(columns));
        if (!no_metadata) {
            e.write_string("ks");
            e.write_string("listening_history");
            for (std::size_t c = 0; c < columns; ++c) {
                e.write_string("c" + std::to_string(c));
                fake::reply::write_type(e, text_type);
            }
        }
        e.write_int(1);
        for (std::size_t c = 0; c < columns; ++c) e.write_bytes(fake::reply::text("x"));
    });
}

class CassandraStoreAgainstAWrongNode : public ::testing::Test {
protected:
    CassandraStoreAgainstAWrongNode() {
        node.set_hook([this](fake::Peer& peer, const fake::Request& r) {
            if (r.opcode != Opcode::Query || r.cql().find("ks.listening_history") == std::string::npos) return false;
            peer.reply(r, Opcode::Result, answer);
            return true;
        });
        node.start();
    }

    // What `call` throws: a playstream::Error naming the node.
    template <class Call>
    std::string error_of(Call call) {
        store::CassandraStore store({{node.endpoint()}, "ks"}, {});
        try {
            call(store);
        } catch (const Error& e) {
            const std::string message = e.what();
            EXPECT_TRUE(message.starts_with("cassandra " + node.endpoint() + ": ")) << message;
            return message;
        }
        ADD_FAILURE() << "no error";
        return {};
    }

    fake::Node node;
    cql::Bytes answer;
};

TEST_F(CassandraStoreAgainstAWrongNode, FewerColumnsThanAskedIsAnError) {
    answer = text_rows(3, false);
    const auto message = error_of([](store::Store& s) { s.sample(50); });
    EXPECT_NE(message.find("with the columns (c0, c1, c2)"), std::string::npos) << message;
    EXPECT_NE(error_of([](store::Store& s) { s.stats({"Ada", "2024-03-03", 10}); }).find("the columns"),
              std::string::npos);
}

TEST_F(CassandraStoreAgainstAWrongNode, NoMetadataIsAnError) {
    answer = text_rows(store::row_columns.size(), true);
    const auto message = error_of([](store::Store& s) { s.sample(50); });
    EXPECT_NE(message.find("22 columns without their metadata (No_metadata)"), std::string::npos) << message;
    answer = text_rows(1, true);
    error_of([](store::Store& s) { s.songs({"Ada", "2024-03-03", 10}); });
    error_of([](store::Store& s) { s.count_rows(); });
}

TEST_F(CassandraStoreAgainstAWrongNode, AResultWithoutRowsIsAnError) {
    answer = fake::reply::void_result();
    const auto message = error_of([](store::Store& s) { s.count_rows(); });
    EXPECT_NE(message.find("a result without rows"), std::string::npos) << message;
}

TEST_F(CassandraStoreAgainstAWrongNode, ACellOfTheWrongTypeIsAnError) {
    // The right column names, all text: stats reads floats.
    answer = fake::reply::body([](cql::Encoder& e) {
        e.write_int(2);
        e.write_int(0x0001);
        e.write_int(static_cast<std::int32_t>(store::feature_columns.size()));
        e.write_string("ks");
        e.write_string("listening_history");
        for (const auto name : store::feature_columns) {
            e.write_string(std::string(name));
            fake::reply::write_type(e, text_type);
        }
        e.write_int(1);
        for (std::size_t c = 0; c < store::feature_columns.size(); ++c) e.write_bytes(fake::reply::text("x"));
    });
    const auto message = error_of([](store::Store& s) { s.stats({"Ada", "2024-03-03", 10}); });
    EXPECT_NE(message.find("cannot read its answer"), std::string::npos) << message;
}

// The listening-index cache (store::WrittenIndex) learns only from acknowledgements: a batch the
// node refused sends its index upserts again when written again; once acknowledged, not again.
TEST(CassandraStoreIndexCache, ResendsTheIndexOfARefusedBatchAndNotOfAnAcknowledgedOne) {
    fake::Node node;
    std::mutex mutex;
    std::map<std::string, int> executes;  // by table
    std::map<cql::Bytes, std::string> tables;  // prepared id -> table
    std::atomic<bool> refuse{true};
    node.set_hook([&](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode == Opcode::Prepare) {
            const std::string text = r.cql();
            const auto into = text.find("ks.");
            const std::string table = text.substr(into + 3, text.find(' ', into) - into - 3);
            const auto id = fake::reply::text("id:" + table);
            {
                std::lock_guard lock(mutex);
                tables[id] = table;
            }
            peer.reply(r, Opcode::Result,
                       fake::reply::prepared(id, {0}, static_cast<std::size_t>(std::count(text.begin(), text.end(), '?'))));
            return true;
        }
        if (r.opcode != Opcode::Execute) return false;
        {
            std::lock_guard lock(mutex);
            ++executes[tables[r.execute().first]];
        }
        if (refuse) {
            peer.reply(r, Opcode::Error, fake::reply::error(cql::response::ErrorCode::Invalid, "refused by the test"));
        } else {
            peer.reply(r, Opcode::Result, fake::reply::void_result());
        }
        return true;
    });
    node.start();
    store::CassandraStore store({{node.endpoint()}, "ks"}, {});
    const catalog::Catalog catalog = testing::small_catalog();
    std::vector<model::EnrichedRow> rows;
    for (int i = 0; i < 6; ++i) {
        rows.push_back({.id = i, .name = i % 2 ? "Ada" : "Bo", .date = "2024-03-03", .hour = 10 + i % 3,
                        .time_ms = 0, .song = &catalog.songs()[0]});
    }
    auto counts = [&] {
        std::lock_guard lock(mutex);
        auto out = executes;
        executes.clear();
        return out;
    };
    EXPECT_THROW(store.write(rows), Error);
    auto sent = counts();
    EXPECT_EQ(sent["listening_history"], 6);
    EXPECT_EQ(sent["listening_users"], 2);
    EXPECT_EQ(sent["listening_hours"], 6);  // (Bo, 10), (Ada, 11), (Bo, 12), (Ada, 10), (Bo, 11), (Ada, 12)

    refuse = false;
    store.write(rows);  // the retry: the index entries go again, none of them was acknowledged
    sent = counts();
    EXPECT_EQ(sent["listening_history"], 6);
    EXPECT_EQ(sent["listening_users"], 2);
    EXPECT_EQ(sent["listening_hours"], 6);

    store.write(rows);  // acknowledged before: rows only
    sent = counts();
    EXPECT_EQ(sent["listening_history"], 6);
    EXPECT_EQ(sent["listening_users"], 0);
    EXPECT_EQ(sent["listening_hours"], 0);
}

}  // namespace
}  // namespace playstream
