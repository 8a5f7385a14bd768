#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace playstream::cql::driver {

// The stream ids of one connection (0..32767; negative ids are the server's), as datastax
// cpp-driver's StreamManager keeps them: a bit per id in 64-bit words, so acquire scans at most
// 512 words and usually finds a free bit in the first.
//
// An id is free, in flight, or parked. A request that timed out parks its id: the node may still
// answer it, and a late answer must not be taken for the answer to a newer request on the same
// id. The id is freed when that late answer arrives; a closed connection frees everything by
// being dropped. Not thread-safe: one connection's I/O strand owns it.
class StreamIds {
public:
    static constexpr std::size_t capacity = 32768;

    StreamIds();

    // A free id, now in flight; std::nullopt when none is free.
    std::optional<std::int16_t> acquire();
    // Frees an id in flight or parked. Returns false, changing nothing, if the id was free.
    bool release(std::int16_t id);
    // An id in flight whose request gave up waiting: it stays taken until release.
    void park(std::int16_t id);

    bool is_parked(std::int16_t id) const;
    std::size_t in_flight() const { return taken_ - parked_count_; }
    std::size_t parked() const { return parked_count_; }
    std::size_t available() const { return capacity - taken_; }

private:
    static constexpr std::size_t words = capacity / 64;

    std::array<std::uint64_t, words> free_{};    // bit set: the id is free
    std::array<std::uint64_t, words> parked_{};  // bit set: the id is parked
    std::size_t hint_ = 0;                       // the word the last acquire took from
    std::size_t taken_ = 0;
    std::size_t parked_count_ = 0;
};

}  // namespace playstream::cql::driver
