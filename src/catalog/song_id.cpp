#include "catalog/song_id.hpp"

#include <charconv>
#include <string_view>

namespace playstream::catalog {

namespace {

constexpr std::uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
constexpr std::uint64_t kPositiveMask = 0x7FFF'FFFF'FFFF'FFFFULL;
constexpr char kSeparator = '\x1f';

void mix(std::uint64_t& hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= kFnvPrime;
    }
}

}  // namespace

std::int64_t song_id(const model::Song& song) {
    char duration[16];
    const auto end = std::to_chars(duration, duration + sizeof duration, song.duration_ms).ptr;
    std::uint64_t hash = kFnvOffsetBasis;
    for (const std::string_view field : {std::string_view(song.name), std::string_view(song.artists),
                                         std::string_view(song.album_name),
                                         std::string_view(song.album_release_date)}) {
        mix(hash, field);
        mix(hash, {&kSeparator, 1});
    }
    mix(hash, {duration, static_cast<std::size_t>(end - duration)});
    return static_cast<std::int64_t>(hash & kPositiveMask);
}

bool same_identity(const model::Song& a, const model::Song& b) {
    return a.name == b.name && a.artists == b.artists && a.album_name == b.album_name &&
           a.album_release_date == b.album_release_date && a.duration_ms == b.duration_ms;
}

}  // namespace playstream::catalog
