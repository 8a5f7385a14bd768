// CassandraStore reading answers from a fake node that answers wrongly: every answer it did not
// ask for is a playstream::Error naming the node, never a read past the columns it sent.
// And what it writes for the listening index when a batch is refused, then acknowledged.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cql/byte_order.hpp"
#include "cql_driver_fake_cluster.hpp"
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

// The prepared id the store's statements on `table` get from reply_prepared.
cql::Bytes table_id(const std::string& table) { return fake::reply::text("id:" + table); }

// TABLE of a statement on ks.TABLE.
std::string table_of(const fake::Request& r) {
    const std::string text = r.cql();
    const auto into = text.find("ks.");
    return text.substr(into + 3, text.find(' ', into) - into - 3);
}

// Answers a PREPARE of a statement on ks.TABLE with table_id(TABLE).
void reply_prepared(fake::Peer& peer, const fake::Request& r) {
    const std::string text = r.cql();
    peer.reply(r, Opcode::Result,
               fake::reply::prepared(table_id(table_of(r)), {0},
                                     static_cast<std::size_t>(std::count(text.begin(), text.end(), '?'))));
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
            {
                std::lock_guard lock(mutex);
                tables[table_id(table_of(r))] = table_of(r);
            }
            reply_prepared(peer, r);
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

// Rows of one partition (name, date, hour) go as UNLOGGED batches no larger than the store's
// limit; rows of different partitions never share one; a lone row goes as an EXECUTE. Every row
// is sent once, a partition's rows in the order they came.
TEST(CassandraStoreBatches, OnePartitionPerBatchUnderTheSizeLimit) {
    fake::Node node;
    std::mutex mutex;
    std::vector<std::vector<std::vector<std::optional<cql::Bytes>>>> requests;  // history rows, per request
    std::vector<bool> was_batch;
    node.set_hook([&](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode == Opcode::Prepare) {
            reply_prepared(peer, r);
            return true;
        }
        std::vector<std::vector<std::optional<cql::Bytes>>> rows;
        if (r.opcode == Opcode::Execute && r.execute().first != table_id("listening_history")) {
            peer.reply(r, Opcode::Result, fake::reply::void_result());  // the listening index
            return true;
        }
        if (r.opcode == Opcode::Execute) {
            rows.push_back(r.execute().second);
        } else if (r.opcode == Opcode::Batch) {
            for (auto& [id, values] : r.batch()) {
                EXPECT_EQ(id, table_id("listening_history"));
                rows.push_back(values);
            }
        } else {
            return false;
        }
        {
            std::lock_guard lock(mutex);
            requests.push_back(std::move(rows));
            was_batch.push_back(r.opcode == Opcode::Batch);
        }
        peer.reply(r, Opcode::Result, fake::reply::void_result());
        return true;
    });
    node.start();
    store::CassandraStore store({{node.endpoint()}, "ks"}, {});
    const catalog::Catalog catalog = testing::small_catalog();
    std::vector<model::EnrichedRow> rows;
    auto add = [&](std::string name, int hour) {
        const auto id = static_cast<std::int64_t>(rows.size());
        rows.push_back({.id = id, .name = std::move(name), .date = "2024-03-03", .hour = hour, .time_ms = id,
                        .song = &catalog.songs()[0]});
    };
    // More of Ada at 10 than one batch holds: a row serializes to over 160 bytes (22 length
    // prefixes and the fixed-width values alone).
    const int ada_rows = static_cast<int>(store::CassandraStore::max_batch_value_bytes / 160) + 10;
    for (int i = 0; i < ada_rows; ++i) {  // Ada at 10 throughout, the others in between
        add("Ada", 10);
        if (i % 10 == 0) add("Bo", 10);
        if (i == 7) add("Cy", 11);
        if (i % 20 == 3) add("Ada", 11);
    }
    store.write(rows);

    std::lock_guard lock(mutex);
    std::vector<int> seen(rows.size());
    std::map<std::string, int> requests_of;
    for (std::size_t q = 0; q < requests.size(); ++q) {
        const auto& sent = requests[q];
        ASSERT_FALSE(sent.empty());
        EXPECT_EQ(was_batch[q], sent.size() > 1) << "request " << q;
        std::size_t bytes = 0;
        std::int64_t last_id = -1;
        std::string partition;
        for (const auto& values : sent) {
            ASSERT_EQ(values.size(), store::row_columns.size());
            const auto id = static_cast<std::int64_t>(cql::load_be<std::uint64_t>(values[4]->data()));
            ASSERT_TRUE(id >= 0 && id < static_cast<std::int64_t>(rows.size())) << id;
            ++seen[static_cast<std::size_t>(id)];
            const auto& row = rows[static_cast<std::size_t>(id)];
            const std::string key = row.name + "/" + row.date + "/" + std::to_string(row.hour);
            if (partition.empty()) partition = key;
            EXPECT_EQ(key, partition) << "two partitions in request " << q;
            EXPECT_GT(id, last_id) << "a partition's rows out of order";
            last_id = id;
            for (const auto& v : values) bytes += 4 + (v ? v->size() : 0);
        }
        EXPECT_LE(bytes, store::CassandraStore::max_batch_value_bytes) << "request " << q;
        ++requests_of[partition];
    }
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1) << "row " << i;
    // Ada at 10 does not fit one batch; each other partition fits one request.
    EXPECT_GE(requests_of["Ada/2024-03-03/10"], 2);
    EXPECT_EQ(requests_of["Bo/2024-03-03/10"], 1);
    EXPECT_EQ(requests_of["Ada/2024-03-03/11"], 1);
    EXPECT_EQ(requests_of["Cy/2024-03-03/11"], 1);
    EXPECT_EQ(requests_of.size(), 4u);
}

// A write of more partitions than the connection may have outstanding does not queue every
// request in the node: never more than 128 of its rows' requests at once, the rest waiting in the
// driver. write_async returns meanwhile (stream reads on while the node is busy).
TEST(CassandraStoreBatches, AtMost128RequestsOutstandingPerConnection) {
    fake::Node node;
    std::mutex mutex;
    std::vector<std::pair<fake::Peer*, fake::Request>> held;
    std::atomic<bool> holding{true};
    std::atomic<int> rows_seen{0};
    node.set_hook([&](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode == Opcode::Prepare) {
            reply_prepared(peer, r);
            return true;
        }
        if (r.opcode != Opcode::Execute) return false;
        if (r.execute().first != table_id("listening_history")) {
            peer.reply(r, Opcode::Result, fake::reply::void_result());  // the listening index
            return true;
        }
        ++rows_seen;
        std::lock_guard lock(mutex);
        if (holding) {
            held.emplace_back(&peer, r);
        } else {
            peer.reply(r, Opcode::Result, fake::reply::void_result());
        }
        return true;
    });
    node.start();
    store::CassandraStore store({{node.endpoint()}, "ks"}, {});
    const catalog::Catalog catalog = testing::small_catalog();
    std::vector<model::EnrichedRow> rows;
    for (int i = 0; i < 300; ++i) {  // 300 users, one row each: 300 requests
        rows.push_back({.id = i, .name = "user" + std::to_string(i), .date = "2024-03-03", .hour = 10,
                        .time_ms = i, .song = &catalog.songs()[0]});
    }
    std::promise<std::exception_ptr> acked;
    auto write = acked.get_future();
    auto submitted = std::async(std::launch::async, [&] {
        store.write_async(rows, [&](std::exception_ptr error) { acked.set_value(error); });
    });
    ASSERT_EQ(submitted.wait_for(std::chrono::seconds(5)), std::future_status::ready)
        << "write_async waited for answers";
    auto held_count = [&] {
        std::lock_guard lock(mutex);
        return held.size();
    };
    ASSERT_TRUE(fake::eventually([&] { return held_count() >= 128; }));
    EXPECT_EQ(write.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
    EXPECT_EQ(held_count(), 128u) << "requests past the limit were sent";
    {
        std::lock_guard lock(mutex);
        holding = false;
        for (auto& [peer, request] : held) peer->reply(request, Opcode::Result, fake::reply::void_result());
    }
    EXPECT_EQ(write.get(), nullptr);
    EXPECT_EQ(rows_seen.load(), 300);
}

}  // namespace
}  // namespace playstream
