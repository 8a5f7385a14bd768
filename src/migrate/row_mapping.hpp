#pragma once

#include <optional>
#include <string>

#include "catalog/catalog.hpp"
#include "migrate/classroom_row.hpp"
#include "model/enriched_row.hpp"

namespace playstream::migrate {

// Why a classroom row has no row of ours: `reason` is one of missing_field, bad_time,
// key_mismatch, unknown_song; `detail` says what, for the rejects file.
struct Rejection {
    std::string reason;
    std::string detail;
};

// The classroom row as ours: `time` text "YYYY-MM-DD hh:mm" read as UTC with the hour as written
// (the classroom's %I lost AM/PM for good), `date`/`hour` derived from it as `stream` does (they
// must agree with the row's own), `id` widened, `song_id` the first catalogue song of that name
// (the join rule of `stream`), the song's fields and audio features as stored (the catalogue's
// where the row has NULL). Fills `row` and `song` (row.song = &song) or returns why it cannot.
std::optional<Rejection> map_row(const ClassroomRow& in, const catalog::Catalog& catalog, model::EnrichedRow& row,
                                 model::Song& song);

}  // namespace playstream::migrate
