#include "catalog/catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalog/csv_reader.hpp"
#include "catalog/song_id.hpp"
#include "util/error.hpp"
#include "util/escape.hpp"

namespace playstream::catalog {

namespace {

constexpr std::size_t kMaxProblems = 20;
constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

// The classroom columns, in the classroom header's order; `alias` is the TidyTuesday name.
enum Field : std::size_t {
    kName, kArtists, kDurationMs, kAlbumName, kAlbumReleaseDate, kDanceability, kEnergy, kKey,
    kLoudness, kMode, kSpeechiness, kAcousticness, kInstrumentalness, kLiveness, kValence, kTempo,
    kFieldCount
};

struct Column {
    std::string_view name;
    std::string_view alias;
};

constexpr std::array<Column, kFieldCount> kColumns{{
    {"name", "track_name"}, {"artists", "track_artist"}, {"duration_ms", {}},
    {"album_name", "track_album_name"}, {"album_release_date", "track_album_release_date"},
    {"danceability", {}}, {"energy", {}}, {"key", {}}, {"loudness", {}}, {"mode", {}},
    {"speechiness", {}}, {"acousticness", {}}, {"instrumentalness", {}}, {"liveness", {}},
    {"valence", {}}, {"tempo", {}},
}};

using AudioFeatures = model::AudioFeatures;
constexpr std::array<std::pair<Field, float AudioFeatures::*>, 10> kFeatures{{
    {kDanceability, &AudioFeatures::danceability}, {kEnergy, &AudioFeatures::energy},
    {kLoudness, &AudioFeatures::loudness}, {kMode, &AudioFeatures::mode},
    {kSpeechiness, &AudioFeatures::speechiness}, {kAcousticness, &AudioFeatures::acousticness},
    {kInstrumentalness, &AudioFeatures::instrumentalness}, {kLiveness, &AudioFeatures::liveness},
    {kValence, &AudioFeatures::valence}, {kTempo, &AudioFeatures::tempo},
}};

// Where each Field sits in a record.
using ColumnMap = std::array<std::size_t, kFieldCount>;

[[noreturn]] void fail(const CsvReader& reader, std::string_view message) {
    throw Error(fmt::format("{}:{}: {}", reader.source(), reader.line(), message));
}

std::string normalize(std::string_view header) {
    const auto first = header.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    header = header.substr(first, header.find_last_not_of(" \t") - first + 1);
    std::string lower(header);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

std::size_t field_named(std::string_view name) {
    for (std::size_t f = 0; f < kFieldCount; ++f) {
        if (name == kColumns[f].name || (!kColumns[f].alias.empty() && name == kColumns[f].alias)) return f;
    }
    return kAbsent;
}

ColumnMap map_columns(const std::vector<std::string>& header, const CsvReader& reader) {
    ColumnMap columns;
    columns.fill(kAbsent);
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::size_t f = field_named(normalize(header[i]));
        if (f == kAbsent) continue;  // an extra column: ignored
        if (columns[f] != kAbsent) {
            fail(reader, fmt::format("column '{}' appears twice (columns {} and {})", kColumns[f].name,
                                     columns[f] + 1, i + 1));
        }
        columns[f] = i;
    }
    std::string missing;
    for (std::size_t f = 0; f < kFieldCount; ++f) {
        if (columns[f] != kAbsent) continue;
        if (!missing.empty()) missing += ", ";
        missing += kColumns[f].alias.empty()
                       ? std::string(kColumns[f].name)
                       : fmt::format("{} (or {})", kColumns[f].name, kColumns[f].alias);
    }
    if (!missing.empty()) fail(reader, "missing columns: " + missing);
    return columns;
}

template <typename Real>
Real parse_real(std::string_view text, Field field, const CsvReader& reader) {
    Real value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
        fail(reader, fmt::format("column '{}': '{}' is out of range", kColumns[field].name, escape_for_log(text)));
    }
    if (ec != std::errc() || end != text.data() + text.size()) {
        fail(reader, fmt::format("column '{}': '{}' is not a number", kColumns[field].name, escape_for_log(text)));
    }
    if (!std::isfinite(value)) {
        fail(reader, fmt::format("column '{}': '{}' is not a finite number", kColumns[field].name, escape_for_log(text)));
    }
    return value;
}

std::int32_t parse_int(std::string_view text, Field field, const CsvReader& reader) {
    std::int32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) return value;
    // Spreadsheets write some whole numbers as 2.00E+05 (the TidyTuesday file has two such durations).
    const double real = parse_real<double>(text, field, reader);
    if (real != std::trunc(real)) {
        fail(reader, fmt::format("column '{}': '{}' is not an integer", kColumns[field].name, escape_for_log(text)));
    }
    if (real < std::numeric_limits<std::int32_t>::min() || real > std::numeric_limits<std::int32_t>::max()) {
        fail(reader, fmt::format("column '{}': '{}' is out of range", kColumns[field].name, escape_for_log(text)));
    }
    return static_cast<std::int32_t>(real);
}

model::Song parse_row(const std::vector<std::string>& fields, const ColumnMap& columns, std::size_t width,
                      const CsvReader& reader) {
    if (fields.size() != width) fail(reader, fmt::format("expected {} fields, found {}", width, fields.size()));
    const auto at = [&](Field f) -> const std::string& { return fields[columns[f]]; };
    model::Song song;
    song.name = at(kName);
    if (song.name.empty()) fail(reader, "empty song name");
    song.artists = at(kArtists);
    song.album_name = at(kAlbumName);
    song.album_release_date = at(kAlbumReleaseDate);
    song.duration_ms = parse_int(at(kDurationMs), kDurationMs, reader);
    song.key = parse_int(at(kKey), kKey, reader);
    for (const auto& [field, member] : kFeatures) song.features.*member = parse_real<float>(at(field), field, reader);
    song.id = song_id(song);
    return song;
}

std::string read_file(const std::string& path) {
    struct Closer {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    const std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
    if (!file) throw Error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    std::string text;
    char chunk[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) text.append(chunk, n);
    if (std::ferror(file.get())) throw Error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    return text;
}

}  // namespace

Catalog Catalog::from_file(const std::string& path, const LoadOptions& options, LoadReport* report) {
    return from_text(read_file(path), path, options, report);
}

Catalog Catalog::from_text(std::string_view text, std::string source, const LoadOptions& options,
                           LoadReport* report_out) {
    LoadReport local;
    LoadReport& report = report_out != nullptr ? *report_out : local;
    report = {};
    CsvReader reader(text, std::move(source));
    std::vector<std::string> fields;
    if (!reader.next(fields)) throw Error(fmt::format("{}:1: empty file, expected a header row", reader.source()));
    const ColumnMap columns = map_columns(fields, reader);
    const std::size_t width = fields.size();

    Catalog catalog;
    std::vector<std::size_t> lines;  // the line of each song, to name both sides of a hash collision
    while (reader.next(fields)) {
        ++report.rows;
        model::Song song;
        try {
            song = parse_row(fields, columns, width, reader);
        } catch (const Error& e) {
            if (!options.lenient) throw;
            ++report.skipped;
            if (report.problems.size() < kMaxProblems) report.problems.emplace_back(e.what());
            continue;
        }
        const auto [it, added] = catalog.by_id_.try_emplace(song.id, catalog.songs_.size());
        if (added) {
            catalog.songs_.push_back(std::move(song));
            lines.push_back(reader.line());
            continue;
        }
        const model::Song& first = catalog.songs_[it->second];
        if (!same_identity(first, song)) {
            fail(reader, fmt::format("song id {} of '{}' by {} collides with line {} ('{}' by {})", song.id,
                                     escape_for_log(song.name), escape_for_log(song.artists), lines[it->second],
                                     escape_for_log(first.name), escape_for_log(first.artists)));
        }
        ++report.duplicates;  // the same track again, e.g. listed in another playlist: keep the first
    }
    // songs_ is complete and never resized again, so views into its names stay valid.
    catalog.by_name_.reserve(catalog.songs_.size());
    for (std::size_t i = 0; i < catalog.songs_.size(); ++i) catalog.by_name_.try_emplace(catalog.songs_[i].name, i);
    return catalog;
}

const model::Song* Catalog::find(std::int64_t song_id) const {
    const auto it = by_id_.find(song_id);
    return it == by_id_.end() ? nullptr : &songs_[it->second];
}

const model::Song* Catalog::find_by_name(std::string_view name) const {
    const auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &songs_[it->second];
}

}  // namespace playstream::catalog
