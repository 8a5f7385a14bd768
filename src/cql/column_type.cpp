#include "cql/column_type.hpp"

#include <array>
#include <string_view>

#include "cql/decoder.hpp"

namespace playstream::cql {
namespace {

// Names of the native ids 0x0001..0x0014; 0x000A (text before v3) is not in v4.
constexpr std::array<std::string_view, 0x15> native_names{
    "",       "ascii",    "bigint", "blob", "boolean",   "counter", "decimal",
    "double", "float",    "int",    "",     "timestamp", "uuid",    "text",
    "varint", "timeuuid", "inet",   "date", "time",      "smallint", "tinyint"};

void read_params(Decoder& d, ColumnType& type, std::size_t count, int depth);

ColumnType read_type(Decoder& d, int depth) {
    ColumnType type;
    const auto raw = d.read_short();
    if (!d.ok()) return type;
    if (depth > max_type_depth) {
        d.fail("column type nested deeper than " + std::to_string(max_type_depth));
        return type;
    }
    type.id = static_cast<TypeId>(raw);
    switch (type.id) {
    case TypeId::Custom: type.name = d.read_string(); break;
    case TypeId::List:
    case TypeId::Set: read_params(d, type, 1, depth); break;
    case TypeId::Map: read_params(d, type, 2, depth); break;
    case TypeId::Tuple: read_params(d, type, d.read_short(), depth); break;
    case TypeId::Udt: {
        type.keyspace = d.read_string();
        type.name = d.read_string();
        const std::size_t fields = d.read_short();
        if (!d.fits(fields, 4, "UDT field")) break;
        for (std::size_t i = 0; i < fields && d.ok(); ++i) {
            type.field_names.push_back(d.read_string());
            type.params.push_back(read_type(d, depth + 1));
        }
        break;
    }
    default:
        if (raw >= native_names.size() || native_names[raw].empty())
            d.fail("unknown column type id " + std::to_string(raw));
    }
    return type;
}

void read_params(Decoder& d, ColumnType& type, std::size_t count, int depth) {
    if (!d.fits(count, 2, "type parameter")) return;
    for (std::size_t i = 0; i < count && d.ok(); ++i) type.params.push_back(read_type(d, depth + 1));
}

std::string join_params(const ColumnType& type) {
    std::string out;
    for (const auto& p : type.params) out += (out.empty() ? "" : ", ") + to_string(p);
    return out;
}

}  // namespace

ColumnType read_column_type(Decoder& d) { return read_type(d, 0); }

std::string to_string(const ColumnType& type) {
    switch (type.id) {
    case TypeId::Custom: return "'" + type.name + "'";
    case TypeId::List: return "list<" + join_params(type) + ">";
    case TypeId::Set: return "set<" + join_params(type) + ">";
    case TypeId::Map: return "map<" + join_params(type) + ">";
    case TypeId::Tuple: return "tuple<" + join_params(type) + ">";
    case TypeId::Udt: return type.keyspace + "." + type.name;
    default: {
        const auto raw = static_cast<std::size_t>(type.id);
        return raw < native_names.size() ? std::string(native_names[raw]) : "type " + std::to_string(raw);
    }
    }
}

}  // namespace playstream::cql
