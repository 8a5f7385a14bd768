#pragma once

#include <string>
#include <string_view>

#include "store/store.hpp"
#include "store/table_shape.hpp"

namespace playstream::store {

enum class TableKind { Missing, Ours, Classroom, Other };

// Which table a shape is: ours (the columns, types and key of schema/cassandra.cql or
// schema/sqlite.sql), the classroom's (key ((name, date, hour), time), `time` text, no
// `song_id`: schema/classroom.cql), or neither.
TableKind classify(const TableShape& shape);

// The columns of a table that is neither, against ours: "time: text here, timestamp in ours", ...
std::string differences(const TableShape& shape);

// Parses a CREATE TABLE of schema/ (one "name type ..." line per column, then PRIMARY KEY (...)).
TableShape parse_ddl(std::string_view ddl, bool sqlite);

// Stops a command before it writes or reads a listening_history that is not ours: an Error
// that says what the table is and the ways on. `command` names the command in the message.
void check_table(Store& store, std::string_view command);

}  // namespace playstream::store
