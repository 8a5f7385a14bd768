#pragma once

#include <string>
#include <string_view>

#include "model/table.hpp"

namespace playstream::query {

enum class Format { Table, Csv, Json };

// "table" | "csv" | "json"; anything else throws UsageError.
Format parse_format(std::string_view name);

// table: aligned columns for people, control characters in text shown escaped (\x1b, \n...);
// csv: RFC 4180 with a header; json: an array of objects. CSV and JSON keep text exact.
// Numbers keep full precision in csv and json; the table rounds averages to 6 significant digits.
std::string render(const model::Table& table, Format format);

}  // namespace playstream::query
