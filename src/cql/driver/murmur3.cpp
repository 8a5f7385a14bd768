#include "cql/driver/murmur3.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

#include "cql/byte_order.hpp"

namespace playstream::cql::driver {
namespace {

constexpr std::uint64_t c1 = 0x87c37b91114253d5ULL;
constexpr std::uint64_t c2 = 0x4cf5ad432745937fULL;

std::uint64_t fmix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

// A block is read little-endian from unsigned bytes, as Cassandra's getBlock masks each byte.
std::uint64_t load_le(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// A tail byte as Cassandra reads it: `(long) key.get(i)`, a signed byte widened with its sign.
std::uint64_t signed_byte(std::uint8_t b) {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int8_t>(b)));
}

std::uint64_t mix_k1(std::uint64_t k1) { return std::rotl(k1 * c1, 31) * c2; }
std::uint64_t mix_k2(std::uint64_t k2) { return std::rotl(k2 * c2, 33) * c1; }

}  // namespace

std::int64_t murmur3_token(ByteView key) {
    const auto length = key.size();
    const auto blocks = length / 16;
    std::uint64_t h1 = 0;
    std::uint64_t h2 = 0;
    for (std::size_t i = 0; i < blocks; ++i) {
        h1 ^= mix_k1(load_le(&key[i * 16]));
        h1 = (std::rotl(h1, 27) + h2) * 5 + 0x52dce729;
        h2 ^= mix_k2(load_le(&key[i * 16 + 8]));
        h2 = (std::rotl(h2, 31) + h1) * 5 + 0x38495ab5;
    }
    const auto* tail = key.data() + blocks * 16;
    const auto rest = length & 15;
    std::uint64_t k1 = 0;
    std::uint64_t k2 = 0;
    for (std::size_t i = rest; i > 8; --i) k2 ^= signed_byte(tail[i - 1]) << ((i - 9) * 8);
    if (rest > 8) h2 ^= mix_k2(k2);
    for (std::size_t i = std::min<std::size_t>(rest, 8); i > 0; --i) k1 ^= signed_byte(tail[i - 1]) << ((i - 1) * 8);
    if (rest > 0) h1 ^= mix_k1(k1);

    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    const auto token = static_cast<std::int64_t>(h1);
    return token == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max() : token;
}

std::size_t routing_key_size(std::span<const ByteView> components) {
    if (components.size() == 1) return components[0].size();
    std::size_t size = 0;
    for (const auto& c : components) size += 3 + c.size();
    return size;
}

void write_routing_key(std::span<const ByteView> components, std::uint8_t* out) {
    if (components.size() == 1) {
        std::copy(components[0].begin(), components[0].end(), out);
        return;
    }
    for (const auto& c : components) {
        if (c.size() > 0xffff)
            throw std::length_error("partition key component of " + std::to_string(c.size()) +
                                    " bytes: at most 65535");
        store_be(out, static_cast<std::uint16_t>(c.size()));
        out = std::copy(c.begin(), c.end(), out + 2);
        *out++ = 0;
    }
}

Bytes routing_key(std::span<const ByteView> components) {
    Bytes out(routing_key_size(components));
    write_routing_key(components, out.data());
    return out;
}

}  // namespace playstream::cql::driver
