#include "store/columns.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace playstream::store {

std::string insert_statement(std::string_view verb, std::string_view table) {
    std::string marks = "?";
    for (std::size_t i = 1; i < row_columns.size(); ++i) marks += ", ?";
    return fmt::format("{} {} ({}) VALUES ({})", verb, table, fmt::join(row_columns, ", "), marks);
}

}  // namespace playstream::store
