#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/song.hpp"

namespace playstream::catalog {

struct LoadOptions {
    bool lenient = false;  // skip and count bad rows instead of failing on the first
};

struct LoadReport {
    std::size_t rows = 0;        // data rows read (header excluded)
    std::size_t skipped = 0;     // bad rows skipped (lenient only)
    std::size_t duplicates = 0;  // rows whose song id was already taken by an identical song
    std::vector<std::string> problems;  // "SOURCE:LINE: message" of the first skipped rows
};

// The static song catalogue: songs with their audio features, indexed by stable id and by name.
// Songs live in one vector that is never resized after loading, so `const Song*` stays valid
// for the catalogue's lifetime (moving the catalogue keeps them valid too).
class Catalog {
public:
    Catalog() = default;
    // No copies: by_name_ holds views into songs_, which a copy would leave pointing at the
    // original. A move keeps songs_'s buffer, so the views and `const Song*` stay valid.
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;
    Catalog(Catalog&&) noexcept = default;
    Catalog& operator=(Catalog&&) noexcept = default;

    // Reads a CSV with the classroom header or the TidyTuesday header (columns are mapped by
    // name; extra columns are ignored). Throws playstream::Error naming file and line.
    static Catalog from_file(const std::string& path, const LoadOptions& options = {},
                             LoadReport* report = nullptr);
    static Catalog from_text(std::string_view text, std::string source,
                             const LoadOptions& options = {}, LoadReport* report = nullptr);

    const model::Song* find(std::int64_t song_id) const;
    // Song names are not unique: the first song with this exact name in file order wins.
    const model::Song* find_by_name(std::string_view name) const;

    const std::vector<model::Song>& songs() const { return songs_; }
    std::size_t size() const { return songs_.size(); }

private:
    std::vector<model::Song> songs_;
    std::unordered_map<std::int64_t, std::size_t> by_id_;
    std::unordered_map<std::string_view, std::size_t> by_name_;  // views into songs_[i].name
};

// The catalogue compiled into the binary (data/sample-catalog.csv), for `playstream demo`.
std::string_view bundled_sample_csv();

}  // namespace playstream::catalog
