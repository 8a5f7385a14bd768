#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/table.hpp"
#include "store/store.hpp"
#include "util/error.hpp"

namespace playstream::query {

// One query as `playstream query` and `serve`'s /api/... both ask it: the same checks and the
// same store call, so both give the same answer for the same arguments.
enum class Kind { Sample, Songs, Stats, Users, Dates, Hours };

struct Params {
    std::string user{};
    std::string date{};  // YYYY-MM-DD
    std::optional<std::int32_t> hour{};
    std::string prefix{};
    std::size_t limit = 50;
};

// What each parameter is called where it came from: "--user" on the command line, "user" in a URL.
struct ParamNames {
    std::string_view user, date, hour, prefix, limit;
};
inline constexpr ParamNames option_names{"--user", "--date", "--hour", "--prefix", "--limit"};
inline constexpr ParamNames url_names{"user", "date", "hour", "prefix", "limit"};

// A parameter missing or malformed; `parameter()` is its name as given in ParamNames.
class BadParameter : public UsageError {
public:
    BadParameter(std::string_view parameter, const std::string& message)
        : UsageError(message), parameter_(parameter) {}
    const std::string& parameter() const { return parameter_; }

private:
    std::string parameter_;
};

// "sample" ... "hours"; anything else throws UsageError.
Kind parse_kind(std::string_view name);
std::string_view to_string(Kind kind);
// Throws BadParameter for the first parameter `kind` needs that is missing or malformed.
void check(Kind kind, const Params& params, const ParamNames& names);
// Runs a checked query on the store.
model::Table run(store::Store& store, Kind kind, const Params& params);

}  // namespace playstream::query
