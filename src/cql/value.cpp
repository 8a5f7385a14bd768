#include "cql/value.hpp"

#include <algorithm>
#include <bit>
#include <initializer_list>

#include "cql/byte_order.hpp"
#include "cql/error.hpp"

namespace playstream::cql {
namespace {

template <std::size_t N> struct UintOf;
template <> struct UintOf<4> { using type = std::uint32_t; };
template <> struct UintOf<8> { using type = std::uint64_t; };
template <class T> using Bits = typename UintOf<sizeof(T)>::type;

template <class T>
Value fixed_value(T v) {
    Bytes out;
    append_be(out, std::bit_cast<Bits<T>>(v));
    return out;
}

template <class T>
T load_fixed(ByteView cell) { return std::bit_cast<T>(load_be<Bits<T>>(cell.data())); }

// `width` 0: any length.
template <class T, class Read>
std::optional<T> read_cell(const ColumnType& type, Cell cell, std::initializer_list<TypeId> accepted,
                           std::string_view cpp_type, std::size_t width, Read read) {
    if (std::find(accepted.begin(), accepted.end(), type.id) == accepted.end())
        throw TypeError("a " + to_string(type) + " column cannot be read as " + std::string(cpp_type));
    if (!cell) return std::nullopt;
    if (width != 0 && cell->size() != width)
        throw ProtocolError("a " + to_string(type) + " cell of " + std::to_string(cell->size()) +
                            " bytes, not " + std::to_string(width));
    return read(*cell);
}

template <class T>
std::optional<T> fixed_cell(const ColumnType& type, Cell cell, std::initializer_list<TypeId> accepted,
                            std::string_view cpp_type) {
    return read_cell<T>(type, cell, accepted, cpp_type, sizeof(T), load_fixed<T>);
}

}  // namespace

Value to_value(std::int32_t v) { return fixed_value(v); }
Value to_value(std::int64_t v) { return fixed_value(v); }
Value to_value(float v) { return fixed_value(v); }
Value to_value(double v) { return fixed_value(v); }
Value to_value(bool v) { return Bytes{static_cast<std::uint8_t>(v ? 1 : 0)}; }
Value to_value(std::string_view v) { return Bytes(v.begin(), v.end()); }
Value to_value(const Uuid& v) { return Bytes(v.bytes.begin(), v.bytes.end()); }

template <>
std::optional<std::int32_t> from_cell(const ColumnType& type, Cell cell) {
    return fixed_cell<std::int32_t>(type, cell, {TypeId::Int}, "int32");
}

template <>
std::optional<std::int64_t> from_cell(const ColumnType& type, Cell cell) {
    return fixed_cell<std::int64_t>(type, cell, {TypeId::Bigint, TypeId::Counter, TypeId::Timestamp}, "int64");
}

template <>
std::optional<float> from_cell(const ColumnType& type, Cell cell) {
    return fixed_cell<float>(type, cell, {TypeId::Float}, "float");
}

template <>
std::optional<double> from_cell(const ColumnType& type, Cell cell) {
    return fixed_cell<double>(type, cell, {TypeId::Double}, "double");
}

template <>
std::optional<bool> from_cell(const ColumnType& type, Cell cell) {
    return read_cell<bool>(type, cell, {TypeId::Boolean}, "bool", 1, [](ByteView b) { return b[0] != 0; });
}

template <>
std::optional<std::string> from_cell(const ColumnType& type, Cell cell) {
    return read_cell<std::string>(type, cell, {TypeId::Ascii, TypeId::Varchar}, "string", 0,
                                  [](ByteView b) { return std::string(b.begin(), b.end()); });
}

template <>
std::optional<Uuid> from_cell(const ColumnType& type, Cell cell) {
    return read_cell<Uuid>(type, cell, {TypeId::Uuid, TypeId::Timeuuid}, "Uuid", 16, [](ByteView b) {
        Uuid u;
        std::copy(b.begin(), b.end(), u.bytes.begin());
        return u;
    });
}

}  // namespace playstream::cql
