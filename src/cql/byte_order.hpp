#pragma once

#include <bit>
#include <concepts>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <vector>

// The protocol is big-endian throughout; these are the only places that know it.
namespace playstream::cql {

// `v` with its bytes in the protocol's order, or back: swapped on a little-endian machine
// (__builtin_bswap*, which GCC and Clang both have; C++20 has no std::byteswap). Loads and stores
// are then one move and a swap: a loop over the bytes, which -O2 does not unroll into that,
// showed in profiles of the write path (skipping a batch's values, writing a row's numbers).
// Unsigned integers other than bool (whose bytes other than 0 and 1 are no value).
template <class U>
concept Word = std::unsigned_integral<U> && !std::same_as<U, bool>;

template <Word U>
constexpr U big_endian_order(U v) {
    if constexpr (sizeof(U) == 1 || std::endian::native == std::endian::big) {
        return v;
    } else if constexpr (sizeof(U) == 2) {
        return __builtin_bswap16(v);
    } else if constexpr (sizeof(U) == 4) {
        return __builtin_bswap32(v);
    } else {
        static_assert(sizeof(U) == 8);
        return __builtin_bswap64(v);
    }
}

template <Word U>
U load_be(const std::uint8_t* p) {
    U v;
    std::memcpy(&v, p, sizeof(U));
    return big_endian_order(v);
}

template <Word U>
void store_be(std::uint8_t* p, U v) {
    v = big_endian_order(v);
    std::memcpy(p, &v, sizeof(U));
}

template <Word U>
void append_be(std::vector<std::uint8_t>& out, U v) {
    out.resize(out.size() + sizeof(U));
    store_be(out.data() + out.size() - sizeof(U), v);
}

}  // namespace playstream::cql
