#include "store/listen_index.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "util/error.hpp"

namespace playstream::store {

namespace {
std::string hour_key(std::string_view name, std::string_view date, std::int32_t hour) {
    std::string key;
    key.reserve(name.size() + date.size() + 4);
    key.append(name).push_back('\0');
    key.append(date).push_back('\0');
    key.append(std::to_string(hour));
    return key;
}
}  // namespace

IndexEntries WrittenIndex::unwritten(std::span<const model::EnrichedRow> rows) const {
    // Distinct first (a batch of 10,000 listens has a few dozen users), then looked up once each,
    // in sorted order. Hashed, not ordered sets: a row costs two hashes rather than about twenty
    // string comparisons down two trees (2 % of the write path's CPU).
    using Hour = std::tuple<std::string_view, std::string_view, std::int32_t>;
    struct HourHash {
        std::size_t operator()(const Hour& h) const {
            const std::hash<std::string_view> text;
            return text(std::get<0>(h)) ^ (text(std::get<1>(h)) * 31) ^ static_cast<std::size_t>(std::get<2>(h));
        }
    };
    std::unordered_set<std::string_view> user_set;
    std::unordered_set<Hour, HourHash> hour_set;
    for (const model::EnrichedRow& row : rows) {
        user_set.insert(row.name);
        hour_set.insert({row.name, row.date, row.hour});  // insert, not emplace: no node made for a duplicate
    }
    std::vector<std::string_view> users(user_set.begin(), user_set.end());
    std::vector<Hour> hours(hour_set.begin(), hour_set.end());
    std::sort(users.begin(), users.end());
    std::sort(hours.begin(), hours.end());
    IndexEntries entries;
    const std::lock_guard lock(mutex_);
    for (std::string_view name : users) {
        if (!users_.contains(name)) entries.users.emplace_back(name);
    }
    for (const auto& [name, date, hour] : hours) {
        if (!hours_.contains(hour_key(name, date, hour))) {
            entries.hours.push_back({std::string(name), std::string(date), hour});
        }
    }
    return entries;
}

void WrittenIndex::remember(const IndexEntries& entries) {
    const std::lock_guard lock(mutex_);
    if (users_.size() + entries.users.size() > kCapacity) users_.clear();
    if (hours_.size() + entries.hours.size() > kCapacity) hours_.clear();
    for (const std::string& name : entries.users) users_.insert(name);
    for (const HourKey& key : entries.hours) hours_.insert(hour_key(key.name, key.date, key.hour));
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
