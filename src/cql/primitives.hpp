#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The notations of spec section 3 that are more than an integer or a string.
namespace playstream::cql {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
// A [bytes] as read from a frame: std::nullopt is null (length -1). Views the frame body.
using Cell = std::optional<ByteView>;
using StringMap = std::map<std::string, std::string>;
using StringMultimap = std::map<std::string, std::vector<std::string>>;

struct Uuid {
    std::array<std::uint8_t, 16> bytes{};
    bool operator==(const Uuid&) const = default;
};

// [inet]: a node address; `address` holds 4 (IPv4) or 16 (IPv6) bytes.
struct Inet {
    std::vector<std::uint8_t> address;
    std::int32_t port = 0;
    bool operator==(const Inet&) const = default;
};

enum class Consistency : std::uint16_t {
    Any = 0x0000,
    One = 0x0001,
    Two = 0x0002,
    Three = 0x0003,
    Quorum = 0x0004,
    All = 0x0005,
    LocalQuorum = 0x0006,
    EachQuorum = 0x0007,
    Serial = 0x0008,
    LocalSerial = 0x0009,
    LocalOne = 0x000A,
};
inline constexpr std::uint16_t max_consistency = 0x000A;

// "LOCAL_QUORUM", as CQL spells it.
std::string_view to_string(Consistency c);

inline std::optional<Bytes> to_bytes(Cell cell) {
    if (!cell) return std::nullopt;
    return Bytes(cell->begin(), cell->end());
}

}  // namespace playstream::cql
