#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace playstream::model {

// A cell of a query result. Features keep their stored float type so they print as stored.
using Value = std::variant<std::monostate, std::int64_t, float, double, std::string>;

// A query result as every store returns it and every output format prints it.
struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
};

}  // namespace playstream::model
