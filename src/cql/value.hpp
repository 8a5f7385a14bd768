#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cql/column_type.hpp"
#include "cql/primitives.hpp"

namespace playstream::cql {

struct Null {
    bool operator==(const Null&) const = default;
};
// v4 only: leaves the column as it is, where null would delete it (a tombstone).
struct Unset {
    bool operator==(const Unset&) const = default;
};
inline constexpr Null null{};
inline constexpr Unset unset{};

// A bound value of a request, the [value] of spec section 3.
using Value = std::variant<Bytes, Null, Unset>;

// Serializations of spec section 6. One C++ type serves the CQL types that share a format:
// int64 for bigint, counter and timestamp (ms since the epoch); text for ascii and varchar;
// Uuid for uuid and timeuuid.
Value to_value(std::int32_t v);
Value to_value(std::int64_t v);
Value to_value(float v);
Value to_value(double v);
Value to_value(bool v);
Value to_value(std::string_view v);
Value to_value(const Uuid& v);
// Without it a string literal would convert to bool.
inline Value to_value(const char* v) { return to_value(std::string_view(v)); }

// Reads a cell of a column of type `type` as T (one of the types to_value takes, std::string
// for text); std::nullopt for null. Throws TypeError if the column type does not map to T,
// ProtocolError if the cell's width is wrong for its type (an int must be 4 bytes: an empty
// cell is refused too).
template <class T>
std::optional<T> from_cell(const ColumnType& type, Cell cell);

template <> std::optional<std::int32_t> from_cell(const ColumnType&, Cell);
template <> std::optional<std::int64_t> from_cell(const ColumnType&, Cell);
template <> std::optional<float> from_cell(const ColumnType&, Cell);
template <> std::optional<double> from_cell(const ColumnType&, Cell);
template <> std::optional<bool> from_cell(const ColumnType&, Cell);
template <> std::optional<std::string> from_cell(const ColumnType&, Cell);
template <> std::optional<Uuid> from_cell(const ColumnType&, Cell);

}  // namespace playstream::cql
