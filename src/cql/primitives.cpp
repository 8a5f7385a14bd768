#include "cql/primitives.hpp"

namespace playstream::cql {

std::string_view to_string(Consistency c) {
    static constexpr std::array<std::string_view, max_consistency + 1> names{
        "ANY",          "ONE",    "TWO",          "THREE",  "QUORUM",   "ALL",
        "LOCAL_QUORUM", "EACH_QUORUM", "SERIAL", "LOCAL_SERIAL", "LOCAL_ONE"};
    const auto i = static_cast<std::size_t>(c);
    return i < names.size() ? names[i] : "UNKNOWN";
}

}  // namespace playstream::cql
