#include "store/columns.hpp"

#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace playstream::store {

std::array<float, feature_count> feature_values(const model::Song& song) {
    Row row;
    row.song = &song;
    std::array<float, feature_count> out{};
    std::size_t n = 0;
    for_each_value(row, [&](const auto& column, auto value) {
        if constexpr (std::is_same_v<decltype(value), float>) {
            if (column.feature) out[n++] = value;
        }
    });
    return out;
}

std::string insert_statement(std::string_view verb, std::string_view table) {
    std::string marks = "?";
    for (std::size_t i = 1; i < row_columns.size(); ++i) marks += ", ?";
    return fmt::format("{} {} ({}) VALUES ({})", verb, table, fmt::join(row_columns, ", "), marks);
}

}  // namespace playstream::store
