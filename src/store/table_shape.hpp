#pragma once

#include <string>
#include <vector>

namespace playstream::store {

// listening_history as a store has it, to tell ours from the classroom's before anything is
// written (table_check.hpp).
struct TableShape {
    struct Column {
        std::string name;
        std::string type;  // lower case: a CQL type, or SQLite's declared type
    };
    std::vector<Column> columns;  // table order; empty: there is no such table
    // The primary key as CQL writes it, "((name, date, hour), time, id)"; SQLite's has no
    // partition key: "(name, date, hour, time, id)".
    std::string key;
    bool sqlite = false;
    std::string where;  // "sqlite:PATH" or "cassandra keyspace KS", for messages
};

}  // namespace playstream::store
