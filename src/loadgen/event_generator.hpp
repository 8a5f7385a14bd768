#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "model/listen_event.hpp"

namespace playstream::loadgen {

// Listen events for a set of users and songs: user and song drawn uniformly, both from `seed`.
// Event ids are (run << 32 | sequence): unique within a run of up to 2^32 events, and runs with
// different `run` values never share one. The id stays a positive 64-bit integer.
class EventGenerator {
public:
    EventGenerator(const catalog::Catalog& catalog, std::vector<std::string> users,
                   std::uint64_t seed, std::uint32_t run);

    // The next event, stamped with `time_ms` (UTC ms since the epoch).
    void next(model::ListenEvent& event, std::int64_t time_ms);

private:
    const catalog::Catalog& catalog_;
    std::vector<std::string> users_;
    std::mt19937_64 rng_;
    std::uniform_int_distribution<std::size_t> pick_user_;
    std::uniform_int_distribution<std::size_t> pick_song_;
    std::int64_t id_base_;
    std::int64_t sequence_ = 0;
};

}  // namespace playstream::loadgen
