#include "loadgen/event_generator.hpp"

#include "util/error.hpp"

namespace playstream::loadgen {

EventGenerator::EventGenerator(const catalog::Catalog& catalog, std::vector<std::string> users,
                               std::uint64_t seed, std::uint32_t run)
    : catalog_(catalog),
      users_(std::move(users)),
      rng_(seed),
      pick_user_(0, users_.empty() ? 0 : users_.size() - 1),
      pick_song_(0, catalog.size() == 0 ? 0 : catalog.size() - 1),
      id_base_(static_cast<std::int64_t>(run & 0x7fffffffu) << 32) {
    if (users_.empty()) throw UsageError("no users to generate events for");
    if (catalog.size() == 0) throw UsageError("the catalogue has no songs");
}

void EventGenerator::next(model::ListenEvent& event, std::int64_t time_ms) {
    const model::Song& song = catalog_.songs()[pick_song_(rng_)];
    event.id = id_base_ | sequence_++;
    event.name = users_[pick_user_(rng_)];
    event.song = song.name;
    event.song_id = song.id;
    event.time_ms = time_ms;
}

}  // namespace playstream::loadgen
