#include "store/table_check.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/error.hpp"

namespace playstream::store {

std::string_view sqlite_schema_sql();     // schema/sqlite.sql, compiled in
std::string_view cassandra_schema_cql();  // schema/cassandra.cql
std::string_view classroom_schema_cql();  // schema/classroom.cql

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// "(name, date, hour, time DESC, id)": the key's columns without their sort order.
std::string key_without_order(std::string_view key) {
    std::string out;
    for (std::size_t i = 0; i < key.size(); ++i) {
        for (std::string_view order : {" DESC", " ASC"}) {
            if (key.substr(i, order.size()) == order) i += order.size();
        }
        if (i < key.size()) out += key[i];
    }
    return out;
}

// SQLite has no partition key: the CQL key "((a, b), c)" is "(a, b, c)" there.
std::string flat_key(std::string key) {
    if (key.rfind("((", 0) == 0) key.erase(0, 1);
    if (auto pos = key.find(')'); pos != std::string::npos && pos + 1 < key.size()) key.erase(pos, 1);
    return key;
}

const TableShape::Column* find(const TableShape& shape, std::string_view name) {
    for (const auto& c : shape.columns) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

TableShape ours(bool sqlite) {
    return parse_ddl(sqlite ? sqlite_schema_sql() : cassandra_schema_cql(), sqlite);
}

std::string classroom_key(bool sqlite) {
    std::string key = parse_ddl(classroom_schema_cql(), false).key;
    return sqlite ? flat_key(key) : key;
}

}  // namespace

TableShape parse_ddl(std::string_view ddl, bool sqlite) {
    TableShape shape;
    shape.sqlite = sqlite;
    ddl = ddl.substr(ddl.find("CREATE TABLE"));
    ddl = ddl.substr(ddl.find('(') + 1);
    while (!ddl.empty()) {
        std::size_t end = ddl.find('\n');
        std::string_view line = trim(ddl.substr(0, end));
        ddl = end == std::string_view::npos ? std::string_view() : ddl.substr(end + 1);
        if (line.rfind("PRIMARY KEY", 0) == 0) {
            line = trim(line.substr(11));
            // The key runs to the parenthesis that closes its first one.
            int depth = 0;
            std::size_t i = 0;
            for (; i < line.size(); ++i) {
                depth += line[i] == '(' ? 1 : line[i] == ')' ? -1 : 0;
                if (depth == 0) break;
            }
            shape.key = key_without_order(line.substr(0, i + 1));
            break;
        }
        if (line.empty() || line.rfind("--", 0) == 0) continue;
        std::size_t space = line.find(' ');
        std::string_view rest = trim(line.substr(space));
        std::string_view type = rest.substr(0, std::min(rest.find(' '), rest.find(',')));
        shape.columns.push_back({std::string(line.substr(0, space)), lower(type)});
    }
    return shape;
}

TableKind classify(const TableShape& shape) {
    if (shape.columns.empty()) return TableKind::Missing;
    const TableShape expected = ours(shape.sqlite);
    const bool same_columns =
        shape.columns.size() == expected.columns.size() &&
        std::all_of(expected.columns.begin(), expected.columns.end(), [&](const TableShape::Column& c) {
            const auto* have = find(shape, c.name);
            return have != nullptr && have->type == c.type;
        });
    if (same_columns && shape.key == expected.key) return TableKind::Ours;
    const auto* time = find(shape, "time");
    if (shape.key == classroom_key(shape.sqlite) && time != nullptr && time->type == "text" &&
        find(shape, "song_id") == nullptr) {
        return TableKind::Classroom;
    }
    return TableKind::Other;
}

std::string differences(const TableShape& shape) {
    const TableShape expected = ours(shape.sqlite);
    std::vector<std::string> out;
    for (const auto& c : expected.columns) {
        const auto* have = find(shape, c.name);
        if (have == nullptr) {
            out.push_back(fmt::format("{} missing (ours: {})", c.name, c.type));
        } else if (have->type != c.type) {
            out.push_back(fmt::format("{} is {} (ours: {})", c.name, have->type, c.type));
        }
    }
    for (const auto& c : shape.columns) {
        if (find(expected, c.name) == nullptr) out.push_back(fmt::format("{} {} is not in ours", c.name, c.type));
    }
    if (shape.key != expected.key) out.push_back(fmt::format("primary key {} (ours: {})", shape.key, expected.key));
    return fmt::format("{}", fmt::join(out, "; "));
}

void check_table(Store& store, std::string_view command) {
    const TableShape shape = store.table_shape();
    switch (classify(shape)) {
        case TableKind::Missing:
        case TableKind::Ours: return;
        case TableKind::Classroom:
            throw Error(fmt::format(
                "{}: listening_history there is the classroom's table (key {}, `time` text, `id` int, no "
                "`song_id`), not playstream's, which has key {}, `time` a timestamp, `id` bigint and a "
                "`song_id` column; `{}` leaves it untouched. Either point --store at another {} for "
                "playstream's table, or copy its rows into one with `playstream migrate --from {} --to "
                "NEW_STORE_URI --catalog FILE` (README: Migrating from the classroom table)",
                shape.where, classroom_key(shape.sqlite), ours(shape.sqlite).key, command,
                shape.sqlite ? "SQLite file" : "keyspace", shape.where));
        case TableKind::Other:
            throw Error(fmt::format(
                "{}: listening_history there is neither playstream's table nor the classroom's; `{}` leaves "
                "it untouched. Its columns differ from ours: {}. Point --store at another {}, or drop or "
                "rename that table",
                shape.where, command, differences(shape), shape.sqlite ? "SQLite file" : "keyspace"));
    }
}

}  // namespace playstream::store
