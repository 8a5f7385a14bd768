#include <gtest/gtest.h>

#include <sqlite3.h>

#include "store/sqlite_store.hpp"
#include "store/table_check.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace playstream {

namespace store {
std::string_view cassandra_schema_cql();
std::string_view classroom_schema_cql();
}  // namespace store

namespace {

using store::TableKind;

// The classroom's CQL as SQLite takes it: no keyspace, no partition key.
std::string classroom_sqlite_ddl() {
    std::string ddl(store::classroom_schema_cql());
    ddl.replace(ddl.find("spotify."), 8, "");
    ddl.replace(ddl.find("((name, date, hour), time)"), 26, "(name, date, hour, time)");
    return ddl;
}

void exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
}

TEST(TableCheck, ParsesOurCqlSchema) {
    auto shape = store::parse_ddl(store::cassandra_schema_cql(), false);
    EXPECT_EQ(shape.columns.size(), 22u);
    EXPECT_EQ(shape.key, "((name, date, hour), time, id)");
    EXPECT_EQ(shape.columns[3].name, "time");
    EXPECT_EQ(shape.columns[3].type, "timestamp");
    EXPECT_EQ(store::classify(shape), TableKind::Ours);
}

TEST(TableCheck, ClassroomCqlIsTheClassroomsAndNotOurs) {
    auto shape = store::parse_ddl(store::classroom_schema_cql(), false);
    EXPECT_EQ(shape.key, "((name, date, hour), time)");
    EXPECT_EQ(store::classify(shape), TableKind::Classroom);
    // Our key on the classroom's columns is neither.
    shape.key = "((name, date, hour), time, id)";
    EXPECT_EQ(store::classify(shape), TableKind::Other);
}

TEST(TableCheck, SqliteStoreReadsItsOwnTableAsOurs) {
    testing::ScratchDir dir;
    store::SqliteStore db(dir.file("t.db"));
    EXPECT_EQ(store::classify(db.table_shape()), TableKind::Missing);
    EXPECT_NO_THROW(store::check_table(db, "stream"));
    db.ensure_schema();
    EXPECT_EQ(db.table_shape().key, "(name, date, hour, time, id)");
    EXPECT_EQ(store::classify(db.table_shape()), TableKind::Ours);
    EXPECT_NO_THROW(store::check_table(db, "stream"));
}

TEST(TableCheck, ClassroomTableInSqliteStopsWithTheWaysOn) {
    testing::ScratchDir dir;
    exec(dir.file("c.db"), classroom_sqlite_ddl());
    store::SqliteStore db(dir.file("c.db"));
    EXPECT_EQ(store::classify(db.table_shape()), TableKind::Classroom);
    try {
        store::check_table(db, "stream");
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("classroom's table"), std::string::npos) << message;
        EXPECT_NE(message.find("`time` a timestamp, `id` bigint"), std::string::npos) << message;
        EXPECT_NE(message.find("playstream migrate --from sqlite:" + dir.file("c.db")), std::string::npos) << message;
        EXPECT_NE(message.find("another SQLite file"), std::string::npos) << message;
    }
}

TEST(TableCheck, OtherTableListsTheColumnsThatDiffer) {
    testing::ScratchDir dir;
    exec(dir.file("o.db"), "CREATE TABLE listening_history (name TEXT, date TEXT, hour INTEGER, time TEXT, "
                           "id INTEGER, extra TEXT, PRIMARY KEY (name, date, hour, time, id))");
    store::SqliteStore db(dir.file("o.db"));
    EXPECT_EQ(store::classify(db.table_shape()), TableKind::Other);
    try {
        store::check_table(db, "query");
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("neither playstream's table nor the classroom's"), std::string::npos) << message;
        EXPECT_NE(message.find("time is text (ours: integer)"), std::string::npos) << message;
        EXPECT_NE(message.find("song_id missing (ours: integer)"), std::string::npos) << message;
        EXPECT_NE(message.find("extra text is not in ours"), std::string::npos) << message;
        EXPECT_EQ(message.find("primary key"), std::string::npos) << message;  // the same key
    }
}

}  // namespace
}  // namespace playstream
