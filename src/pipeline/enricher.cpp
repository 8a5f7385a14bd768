#include "pipeline/enricher.hpp"

#include <fmt/format.h>

#include "events/timestamp.hpp"
#include "util/escape.hpp"

namespace playstream::pipeline {

bool Enricher::enrich(const model::ListenEvent& event, model::EnrichedRow& row,
                      events::DecodeError& error) const {
    const model::Song* song = nullptr;
    if (event.song_id) {
        song = catalog_.find(*event.song_id);
        if (song == nullptr || song->name != event.song) {
            error.reason = model::RejectReason::UnknownSong;
            error.detail = song == nullptr
                ? fmt::format("song_id {} is not in the catalogue", *event.song_id)
                : fmt::format("song_id {} is {} in the catalogue, not {}", *event.song_id,
                              quote_for_log(song->name), quote_for_log(event.song));
            return false;
        }
    } else {
        song = catalog_.find_by_name(event.song);
        if (song == nullptr) {
            error.reason = model::RejectReason::UnknownSong;
            error.detail = fmt::format("song {} is not in the catalogue", quote_for_log(event.song));
            return false;
        }
    }
    row.id = event.id;
    row.name = event.name;
    row.time_ms = event.time_ms;
    events::derive_date_hour(event.time_ms, row.date, row.hour);
    row.song = song;
    return true;
}

}  // namespace playstream::pipeline
