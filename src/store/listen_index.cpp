#include "store/listen_index.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "util/error.hpp"

namespace playstream::store {

IndexEntries index_entries(std::span<const model::EnrichedRow> rows) {
    std::set<std::string_view> users;
    std::set<std::tuple<std::string_view, std::string_view, std::int32_t>> hours;
    for (const model::EnrichedRow& row : rows) {
        users.insert(row.name);
        hours.emplace(row.name, row.date, row.hour);
    }
    IndexEntries entries;
    entries.users.assign(users.begin(), users.end());
    for (const auto& [name, date, hour] : hours) entries.hours.push_back({std::string(name), std::string(date), hour});
    return entries;
}

std::string user_bucket(std::string_view name) {
    if (name.empty()) return {};
    const auto lead = static_cast<unsigned char>(name[0]);
    // Continuation bytes after the lead byte; invalid UTF-8 (never stored: the decoder refuses
    // it) falls back to the one byte.
    std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    return std::string(name.substr(0, std::min(length, name.size())));
}

namespace {
[[noreturn]] void no_index() { throw Error("this store has no listening index"); }
}  // namespace

model::Table Store::users(const std::string&, std::size_t) { no_index(); }
model::Table Store::dates(const std::string&) { no_index(); }
model::Table Store::hours(const std::string&, const std::string&) { no_index(); }

model::Table hours_table(const std::array<std::int64_t, 24>& listens) {
    model::Table table{{"hour", "listens"}, {}};
    for (std::int64_t h = 0; h < 24; ++h) table.rows.push_back({h, listens[static_cast<std::size_t>(h)]});
    return table;
}

}  // namespace playstream::store
