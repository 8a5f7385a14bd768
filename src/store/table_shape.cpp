// How each store reads listening_history's shape, side by side: the detection of
// store/table_check.hpp is the same for both once the shape is read.
#include "store/table_shape.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/cassandra_store.hpp"
#include "store/sqlite_store.hpp"
#include "util/error.hpp"

namespace playstream::store {

TableShape SqliteStore::table_shape() {
    TableShape shape;
    shape.sqlite = true;
    shape.where = "sqlite:" + path_;
    Statement stmt = prepare("PRAGMA table_info(listening_history)");
    std::map<int, std::string> key;  // position in the primary key (from 1) -> column
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        auto text = [&](int i) {
            const auto* v = sqlite3_column_text(stmt.get(), i);
            return v != nullptr ? std::string(reinterpret_cast<const char*>(v)) : std::string();
        };
        std::string type = text(2);
        std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
        shape.columns.push_back({text(1), type});
        if (int pk = sqlite3_column_int(stmt.get(), 5); pk > 0) key[pk] = text(1);
    }
    if (rc != SQLITE_DONE) fail("cannot read listening_history's columns");
    std::vector<std::string> names;
    for (auto& [position, name] : key) names.push_back(name);
    shape.key = fmt::format("({})", fmt::join(names, ", "));
    return shape;
}

TableShape CassandraStore::table_shape() {
    TableShape shape;
    shape.where = fmt::format("cassandra://{}/{}", fmt::join(address_.contact_points, ","), address_.keyspace);
    std::string keyspace = address_.keyspace;  // unquoted names are folded to lower case
    std::transform(keyspace.begin(), keyspace.end(), keyspace.begin(), [](unsigned char c) { return std::tolower(c); });
    auto result = run(cql::driver::Statement(
        "SELECT column_name, kind, position, type FROM system_schema.columns "
        "WHERE keyspace_name = ? AND table_name = 'listening_history'", {cql::to_value(keyspace)}));
    std::map<int, std::string> partition, clustering;
    try {
        for (std::size_t r = 0; r < result.row_count(); ++r) {
            std::string name = result.get<std::string>(r, "column_name").value_or("");
            std::string kind = result.get<std::string>(r, "kind").value_or("");
            int position = result.get<std::int32_t>(r, "position").value_or(-1);
            shape.columns.push_back({name, result.get<std::string>(r, "type").value_or("")});
            if (kind == "partition_key") partition[position] = name;
            if (kind == "clustering") clustering[position] = name;
        }
    } catch (const std::exception& e) {
        throw Error(fmt::format("cassandra {}: cannot read system_schema.columns: {}", result.coordinator(), e.what()));
    }
    std::vector<std::string> names, rest;
    for (auto& [position, name] : partition) names.push_back(name);
    for (auto& [position, name] : clustering) rest.push_back(name);
    shape.key = fmt::format("(({}){}{})", fmt::join(names, ", "), rest.empty() ? "" : ", ", fmt::join(rest, ", "));
    return shape;
}

}  // namespace playstream::store
