#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cql/frame.hpp"

namespace playstream::cql::request {

enum class BatchType : std::uint8_t { Logged = 0, Unlogged = 1, Counter = 2 };

// One prepared statement of a batch, with its positional values.
struct BatchStatement {
    Bytes prepared_id;
    std::vector<Value> values;
};

// BATCH (spec 4.1.7) of prepared statements. An unlogged batch of rows of one partition is
// applied as one mutation; a logged one goes through the batch log first.
struct Batch {
    static constexpr Opcode opcode = Opcode::Batch;
    BatchType type = BatchType::Logged;
    std::vector<BatchStatement> statements;
    Consistency consistency = Consistency::One;
    std::optional<Consistency> serial_consistency;
    std::optional<std::int64_t> default_timestamp;  // microseconds since the epoch

    void encode_body(Encoder& e) const;
};

}  // namespace playstream::cql::request
