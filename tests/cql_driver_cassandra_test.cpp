// The driver against a real Cassandra, when PLAYSTREAM_CASSANDRA names a contact point
// ("127.0.0.1", "127.0.0.1:9042,127.0.0.2"; scripts/local-cluster up starts one), with
// PLAYSTREAM_CASSANDRA_USER / _PASSWORD when it authenticates. Skipped otherwise.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <sstream>
#include <thread>

#include "cql/driver/murmur3.hpp"
#include "cql/driver/session.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
using driver::Statement;
using namespace std::chrono_literals;

namespace {

constexpr const char* keyspace = "playstream_driver_test";

std::optional<driver::SessionOptions> options_from_env() {
    const char* hosts = std::getenv("PLAYSTREAM_CASSANDRA");
    if (!hosts || !*hosts) return std::nullopt;
    driver::SessionOptions o;
    o.contact_points.clear();
    std::stringstream list(hosts);
    for (std::string h; std::getline(list, h, ',');) o.contact_points.push_back(h);
    if (const char* u = std::getenv("PLAYSTREAM_CASSANDRA_USER")) o.user = u;
    if (const char* p = std::getenv("PLAYSTREAM_CASSANDRA_PASSWORD")) o.password = p;
    return o;
}

class CqlDriverCassandra : public ::testing::Test {
protected:
    void SetUp() override {
        const auto o = options_from_env();
        if (!o) GTEST_SKIP() << "set PLAYSTREAM_CASSANDRA=host[:port] to run against a real Cassandra";
        options_ = *o;
        session_.emplace(driver::Session::connect(options_));
        // RF 2: on three nodes or more, a write on a node that is not a replica shows.
        replication_factor_ = std::min<std::size_t>(2, session_->nodes().size());
        const auto replication = " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " +
                                 std::to_string(replication_factor_) + "}";
        session_->execute(Statement(std::string("CREATE KEYSPACE IF NOT EXISTS ") + keyspace + replication));
        session_->execute(Statement(std::string("ALTER KEYSPACE ") + keyspace + replication));
    }

    // DROP and CREATE, then prepare `insert` once every node knows the new table.
    std::shared_ptr<const driver::PreparedStatement> recreate(const std::string& table, const std::string& columns,
                                                              const std::string& insert) {
        session_->execute(Statement("DROP TABLE IF EXISTS " + std::string(keyspace) + "." + table));
        session_->execute(Statement("CREATE TABLE " + std::string(keyspace) + "." + table + " (" + columns + ")"));
        for (int i = 0;; ++i) {
            try {
                return session_->prepare(insert);
            } catch (const driver::ServerError& e) {
                // Another node may not have the table yet: schema changes propagate by gossip.
                if (e.code() != cql::response::ErrorCode::Invalid || i == 50) throw;
                std::this_thread::sleep_for(200ms);
            }
        }
    }

    driver::SessionOptions options_;
    std::optional<driver::Session> session_;
    std::size_t replication_factor_ = 1;
};

TEST_F(CqlDriverCassandra, ConnectsAndReadsTheNodes) {
    const auto nodes = session_->nodes();
    ASSERT_FALSE(nodes.empty());
    for (const auto& n : nodes) EXPECT_TRUE(n.up) << n.endpoint.to_string();
    const auto local = session_->query(Statement("SELECT release_version FROM system.local"));
    ASSERT_EQ(local.row_count(), 1u);
    std::cout << "Cassandra " << *local.get<std::string>(0, "release_version") << ", " << nodes.size() << " node(s)\n";
}

// 10,000 prepared inserts in flight at once, each routed to a replica of its partition, then
// read back through paging with Cassandra's own token() of each partition key.
TEST_F(CqlDriverCassandra, TenThousandAsyncInsertsRoutedByTokenAndReadBackByPages) {
    const auto insert = recreate("events", "user text, day int, seq int, v double, PRIMARY KEY ((user, day), seq)",
                                 std::string("INSERT INTO ") + keyspace +
                                     ".events (user, day, seq, v) VALUES (?, ?, ?, ?)");
    ASSERT_EQ(insert->prepared.pk_indexes, (std::vector<std::uint16_t>{0, 1}));
    constexpr int n = 10'000;
    std::vector<Statement> statements;
    for (int i = 0; i < n; ++i) {
        Statement s(insert, {cql::to_value("user" + std::to_string(i % 997)), cql::to_value(std::int32_t{i % 7}),
                             cql::to_value(std::int32_t{i}), cql::to_value(i * 0.5)});
        s.idempotent = true;
        statements.push_back(std::move(s));
    }
    std::vector<std::vector<std::string>> replicas;
    for (const auto& s : statements) {
        auto plan = session_->query_plan(s);
        plan.resize(std::min(plan.size(), replication_factor_));
        replicas.push_back(std::move(plan));
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::future<driver::Result>> acks;
    for (auto& s : statements) acks.push_back(session_->execute_async(s));
    int on_primary = 0;
    for (int i = 0; i < n; ++i) {
        const auto r = acks[i].get();
        ASSERT_NE(std::find(replicas[i].begin(), replicas[i].end(), r.coordinator()), replicas[i].end())
            << "insert " << i << " ran on " << r.coordinator() << ", not a replica";
        on_primary += r.coordinator() == replicas[i][0];
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << n << " inserts in " << seconds << " s: " << static_cast<long>(n / seconds) << " inserts/s, "
              << on_primary << " on the primary replica (the others were retried on the next one)\n";
    RecordProperty("inserts_per_second", static_cast<int>(n / seconds));

    Statement select(std::string("SELECT user, day, seq, v, token(user, day) FROM ") + keyspace + ".events");
    select.page_size = 1000;
    const auto rows = session_->query(select);
    ASSERT_EQ(rows.row_count(), static_cast<std::size_t>(n));
    std::vector<bool> seen(n);
    for (std::size_t row = 0; row < rows.row_count(); ++row) {
        const auto seq = *rows.get<std::int32_t>(row, "seq");
        ASSERT_TRUE(seq >= 0 && seq < n && !seen[seq]) << seq;
        seen[seq] = true;
        EXPECT_EQ(*rows.get<std::string>(row, "user"), "user" + std::to_string(seq % 997));
        EXPECT_EQ(*rows.get<double>(row, "v"), seq * 0.5);
        // Cassandra's token of the partition is the one the driver routed by.
        ASSERT_EQ(*rows.get<std::int64_t>(row, 4), *statements[seq].routing_token()) << "row " << seq;
    }
}

TEST_F(CqlDriverCassandra, SingleColumnKeyTokensMatchCassandra) {
    const auto insert = recreate("by_id", "id bigint PRIMARY KEY, name text",
                                 std::string("INSERT INTO ") + keyspace + ".by_id (id, name) VALUES (?, ?)");
    for (std::int64_t id = -50; id < 50; ++id)
        session_->execute(Statement(insert, {cql::to_value(id * 7919), cql::to_value("n")}));
    const auto rows = session_->query(Statement(std::string("SELECT id, token(id) FROM ") + keyspace + ".by_id"));
    ASSERT_EQ(rows.row_count(), 100u);
    for (std::size_t row = 0; row < rows.row_count(); ++row) {
        const auto key = std::get<cql::Bytes>(cql::to_value(*rows.get<std::int64_t>(row, 0)));
        EXPECT_EQ(driver::murmur3_token(key), *rows.get<std::int64_t>(row, 1));
    }
}

// Dropping a table drops the statements prepared on it: the next EXECUTE meets Unprepared, and
// the driver prepares it again and runs it.
TEST_F(CqlDriverCassandra, PreparesAgainAfterTheTableIsRecreated) {
    const auto columns = "id int PRIMARY KEY, v int";
    const auto cql = std::string("INSERT INTO ") + keyspace + ".recreated (id, v) VALUES (?, ?)";
    const auto insert = recreate("recreated", columns, cql);
    session_->execute(Statement(insert, {cql::to_value(std::int32_t{1}), cql::to_value(std::int32_t{1})}));
    recreate("recreated", columns, "SELECT id FROM " + std::string(keyspace) + ".recreated");
    session_->execute(Statement(insert, {cql::to_value(std::int32_t{2}), cql::to_value(std::int32_t{2})}));
    const auto rows = session_->query(Statement("SELECT id FROM " + std::string(keyspace) + ".recreated"));
    ASSERT_EQ(rows.row_count(), 1u);
    EXPECT_EQ(rows.get<std::int32_t>(0, 0), 2);
}

TEST_F(CqlDriverCassandra, ServerErrorsNameTheNodeAndTheDecodedError) {
    try {
        session_->execute(Statement("SELECT * FROM " + std::string(keyspace) + ".no_such_table"));
        FAIL() << "no error";
    } catch (const driver::ServerError& e) {
        EXPECT_EQ(e.code(), cql::response::ErrorCode::Invalid);
        EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
    }
}

TEST_F(CqlDriverCassandra, WrongPasswordIsRejectedClearly) {
    if (options_.user.empty()) GTEST_SKIP() << "the cluster does not authenticate (PLAYSTREAM_CASSANDRA_USER unset)";
    auto o = options_;
    o.password += "-wrong";
    try {
        driver::Session::connect(o);
        FAIL() << "connected with a wrong password";
    } catch (const driver::AuthenticationError& e) {
        EXPECT_NE(std::string(e.what()).find("credentials rejected"), std::string::npos) << e.what();
    }
}

}  // namespace
