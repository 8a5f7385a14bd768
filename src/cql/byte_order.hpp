#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

// The protocol is big-endian throughout; these are the only places that know it.
namespace playstream::cql {

template <std::unsigned_integral U>
U load_be(const std::uint8_t* p) {
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) v = static_cast<U>((v << 8) | p[i]);
    return v;
}

template <std::unsigned_integral U>
void store_be(std::uint8_t* p, U v) {
    for (std::size_t i = sizeof(U); i-- > 0; v = static_cast<U>(v >> 8)) p[i] = static_cast<std::uint8_t>(v);
}

template <std::unsigned_integral U>
void append_be(std::vector<std::uint8_t>& out, U v) {
    out.resize(out.size() + sizeof(U));
    store_be(out.data() + out.size() - sizeof(U), v);
}

}  // namespace playstream::cql
