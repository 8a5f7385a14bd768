#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace playstream::cql {

class Decoder;

// Option ids of column types (spec 4.2.5.2).
enum class TypeId : std::uint16_t {
    Custom = 0x0000,
    Ascii = 0x0001,
    Bigint = 0x0002,
    Blob = 0x0003,
    Boolean = 0x0004,
    Counter = 0x0005,
    Decimal = 0x0006,
    Double = 0x0007,
    Float = 0x0008,
    Int = 0x0009,
    Timestamp = 0x000B,
    Uuid = 0x000C,
    Varchar = 0x000D,  // CQL's text
    Varint = 0x000E,
    Timeuuid = 0x000F,
    Inet = 0x0010,
    Date = 0x0011,
    Time = 0x0012,
    Smallint = 0x0013,
    Tinyint = 0x0014,
    List = 0x0020,
    Map = 0x0021,
    Set = 0x0022,
    Udt = 0x0030,
    Tuple = 0x0031,
};

// A column type, parsed in full even where playstream reads no such value, so that any
// result set's metadata parses.
struct ColumnType {
    TypeId id = TypeId::Blob;
    std::string name;                      // Custom: the Java class; Udt: the type's name
    std::string keyspace;                  // Udt
    std::vector<std::string> field_names;  // Udt: one per entry of params
    std::vector<ColumnType> params;        // List, Set: element; Map: key, value; Tuple, Udt: items

    bool operator==(const ColumnType&) const = default;
};

// Nesting beyond this is refused, so a forged frame cannot exhaust the stack.
inline constexpr int max_type_depth = 32;

// Reads an [option] column type, recursively.
ColumnType read_column_type(Decoder& d);

// As CQL writes it: "map<text, frozen<list<int>>>" (without frozen), "ks.udt_name", custom class.
std::string to_string(const ColumnType& type);

}  // namespace playstream::cql
