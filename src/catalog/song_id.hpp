#pragma once

#include <cstdint>

#include "model/song.hpp"

namespace playstream::catalog {

// The stable id of a song: 64-bit FNV-1a over name, artists, album_name, album_release_date and
// duration_ms (as decimal text), each separated by '\x1f' (ASCII unit separator) so that fields
// cannot run into each other, masked to 63 bits so it is a positive CQL bigint / SQLite integer.
// FNV-1a, unlike std::hash, is the same on every platform and release: ids stay valid across
// runs, machines and rows reordered in the CSV.
std::int64_t song_id(const model::Song& song);

// True when both songs have the same fields song_id() covers: the same track, e.g. listed in
// several playlists. Equal ids with different identities are a hash collision.
bool same_identity(const model::Song& a, const model::Song& b);

}  // namespace playstream::catalog
