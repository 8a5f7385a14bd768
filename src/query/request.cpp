#include "query/request.hpp"

#include <array>

#include <fmt/format.h>

#include "events/timestamp.hpp"

namespace playstream::query {
namespace {

constexpr std::array<std::string_view, 6> kind_names{"sample", "songs", "stats", "users", "dates", "hours"};

void check_date(Kind kind, const Params& params, const ParamNames& names) {
    std::int64_t ms = 0;
    std::string why;
    if (params.date.size() != 10 || !events::parse_timestamp(params.date + " 00:00", ms, &why)) {
        throw BadParameter(names.date, fmt::format("query {}: {} '{}' is not a date YYYY-MM-DD{}", to_string(kind),
                                                   names.date, params.date, why.empty() ? "" : ": " + why));
    }
}

}  // namespace

Kind parse_kind(std::string_view name) {
    for (std::size_t k = 0; k < kind_names.size(); ++k) {
        if (kind_names[k] == name) return static_cast<Kind>(k);
    }
    throw UsageError(fmt::format("unknown query '{}' (sample, songs, stats, users, dates or hours)", name));
}

std::string_view to_string(Kind kind) { return kind_names[static_cast<std::size_t>(kind)]; }

void check(Kind kind, const Params& params, const ParamNames& names) {
    auto need = [&](std::string_view name, bool present) {
        if (!present) throw BadParameter(name, fmt::format("query {}: needs {}", to_string(kind), name));
    };
    switch (kind) {
        case Kind::Sample: break;
        case Kind::Users: need(names.prefix, !params.prefix.empty()); break;
        case Kind::Dates: need(names.user, !params.user.empty()); break;
        case Kind::Hours:
            need(names.user, !params.user.empty());
            need(names.date, !params.date.empty());
            check_date(kind, params, names);
            break;
        case Kind::Songs:
        case Kind::Stats:
            need(names.user, !params.user.empty());
            need(names.date, !params.date.empty());
            need(names.hour, params.hour.has_value());
            check_date(kind, params, names);
            if (*params.hour < 0 || *params.hour > 23) {
                throw BadParameter(names.hour, fmt::format("query {}: {} must be 0 to 23", to_string(kind), names.hour));
            }
            break;
    }
}

model::Table run(store::Store& store, Kind kind, const Params& params) {
    const store::HourKey key{params.user, params.date, params.hour.value_or(0)};
    switch (kind) {
        case Kind::Sample: return store.sample(params.limit);
        case Kind::Songs: return store.songs(key);
        case Kind::Stats: return store.stats(key);
        case Kind::Users: return store.users(params.prefix, params.limit);
        case Kind::Dates: return store.dates(params.user);
        case Kind::Hours: return store.hours(params.user, params.date);
    }
    throw Error("unknown query");
}

}  // namespace playstream::query
