#pragma once

// The events every benchmark uses: the same generator, users and seed as `playstream produce
// --users 100 --seed 42`, over a fixed clock, so runs and baselines see identical data.
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "events/event_codec.hpp"
#include "loadgen/event_generator.hpp"
#include "loadgen/user_names.hpp"

namespace playstream::bench {

inline constexpr std::uint64_t seed = 42;
inline constexpr std::int64_t start_ms = 1709503200000;  // 2024-03-03 22:00:00 UTC

inline loadgen::EventGenerator generator(const catalog::Catalog& catalog) {
    return loadgen::EventGenerator(catalog, loadgen::generate_user_names(100, seed), seed, 1);
}

// `count` events as JSON payloads with their keys.
inline std::vector<std::pair<std::string, std::string>> encoded_events(const catalog::Catalog& catalog,
                                                                       std::size_t count) {
    auto gen = generator(catalog);
    std::vector<std::pair<std::string, std::string>> out(count);
    model::ListenEvent event;
    for (std::size_t i = 0; i < count; ++i) {
        gen.next(event, start_ms + static_cast<std::int64_t>(i));
        out[i].first = event.name;
        events::encode_event(event, out[i].second);
    }
    return out;
}

}  // namespace playstream::bench
