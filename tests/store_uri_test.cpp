// Store URIs parsed without opening anything: what each part becomes and what is refused.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "store/store_uri.hpp"
#include "util/error.hpp"

namespace playstream {
namespace {

using store::CassandraAddress;
using store::SqliteLocation;

TEST(StoreUriParse, SqlitePathIsEverythingAfterTheScheme) {
    const auto location = store::parse_store_uri("sqlite:dir/a:b.db");
    ASSERT_TRUE(std::holds_alternative<SqliteLocation>(location));
    EXPECT_EQ(std::get<SqliteLocation>(location).path, "dir/a:b.db");
}

TEST(StoreUriParse, CassandraHostsPortsAndKeyspace) {
    const auto location = store::parse_store_uri("cassandra://10.0.0.1,h2:9043,[::1]:9044,,/spotify");
    ASSERT_TRUE(std::holds_alternative<CassandraAddress>(location));
    const auto& address = std::get<CassandraAddress>(location);
    EXPECT_EQ(address.contact_points, (std::vector<std::string>{"10.0.0.1", "h2:9043", "[::1]:9044"}));
    EXPECT_EQ(address.keyspace, "spotify");
}

TEST(StoreUriParse, MalformedUrisAreUsageErrors) {
    for (const char* uri : {"", "sqlite:", "postgres://x", "cassandra://", "cassandra:///ks", "cassandra://h",
                            "cassandra://h/", "cassandra://h/1ks", "cassandra://h/k-s", "cassandra://h:/ks",
                            "cassandra://[::1/ks"}) {
        EXPECT_THROW(store::parse_store_uri(uri), UsageError) << uri;
    }
}

// A port out of range used to pass the parse and fail at connect time, as a runtime error (exit 1).
TEST(StoreUriParse, APortOutOfRangeIsAUsageErrorNamingIt) {
    for (const char* uri : {"cassandra://h:99999/ks", "cassandra://h:0/ks", "cassandra://a,h:9x/ks"}) {
        try {
            store::parse_store_uri(uri);
            FAIL() << uri << " accepted";
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find("1..65535"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace playstream
