#pragma once

#include <cstdint>
#include <span>

#include "cql/primitives.hpp"

namespace playstream::cql::driver {

// The token Cassandra's Murmur3Partitioner gives a partition key: the first 64 bits of
// MurmurHash3_x64_128 (seed 0) of the routing key, as Cassandra computes it. Two quirks are kept
// on purpose: tail bytes are sign-extended (Java's byte is signed), and a hash equal to
// Long.MIN_VALUE is mapped to Long.MAX_VALUE (MIN_VALUE is the partitioner's minimum token,
// which no key may have).
std::int64_t murmur3_token(ByteView routing_key);

// The bytes Cassandra hashes for a partition key made of these serialized values: a single
// component is hashed as it is; a composite key as each component's
// [2-byte big-endian length][bytes][0x00] (CompositeType). Throws std::length_error for a
// component over 65535 bytes, which no partition key can have.
Bytes routing_key(std::span<const ByteView> components);
// routing_key's length, and routing_key written to `out`, which must hold that many bytes: for a
// caller with a buffer of its own (routing a statement lays it out on the stack).
std::size_t routing_key_size(std::span<const ByteView> components);
void write_routing_key(std::span<const ByteView> components, std::uint8_t* out);

}  // namespace playstream::cql::driver
