#pragma once

#include "catalog/catalog.hpp"
#include "events/event_codec.hpp"
#include "model/enriched_row.hpp"
#include "model/listen_event.hpp"

namespace playstream::pipeline {

// Joins a listen with its catalogue song and derives the partition columns.
// The join: by song_id when the message has one (our producer always sends it; the id must name
// a song of that name in this catalogue). A classroom message has only the name, which is not
// unique: it joins to the first song of that name in catalogue file order, so the same catalogue
// always gives the same row.
class Enricher {
public:
    explicit Enricher(const catalog::Catalog& catalog) : catalog_(catalog) {}

    // Fills `row` (its strings are reused). On failure returns false with reason unknown_song.
    bool enrich(const model::ListenEvent& event, model::EnrichedRow& row,
                events::DecodeError& error) const;

private:
    const catalog::Catalog& catalog_;
};

// Decode + enrich: one Kafka message payload to one row. Owns the (non-thread-safe) decoder.
class MessageProcessor {
public:
    explicit MessageProcessor(const catalog::Catalog& catalog) : enricher_(catalog) {}

    bool process(std::string_view payload, model::EnrichedRow& row, events::DecodeError& error) {
        return decoder_.decode(payload, event_, error) && enricher_.enrich(event_, row, error);
    }

private:
    events::EventDecoder decoder_;
    Enricher enricher_;
    model::ListenEvent event_;  // reused, so steady state allocates nothing
};

}  // namespace playstream::pipeline
