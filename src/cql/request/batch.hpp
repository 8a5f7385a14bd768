#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cql/bound_values.hpp"
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

// Where a row of a batch ends in the BoundValues that holds the rows back to back: after `bytes`
// bytes of values.serialized() and `values` values, as the BoundValues stood when the row ended
// (driver::Statement::end_batch_row).
struct RowEnd {
    std::size_t bytes;
    std::size_t values;
};

// The BATCH frame (stream 0) of one prepared statement, `id`, run once per row: `values` holds the
// rows' values (already serialized) back to back, and `row_ends` where each row ends. What the
// driver sends for rows of one partition. Sized first, so the frame is one allocation. Throws
// std::invalid_argument unless every row holds as many values and the last ends with `values`.
Bytes encode_prepared_batch(BatchType type, ByteView id, const BoundValues& values,
                            std::span<const RowEnd> row_ends, Consistency consistency,
                            std::optional<std::int64_t> default_timestamp);

// The prepared id of a BATCH frame's first statement. Throws ProtocolError if `frame` is not a
// whole BATCH frame whose first statement is prepared.
ByteView batch_prepared_id(ByteView frame);

// `frame` (a BATCH frame as encode_frame writes it) with every prepared statement's id `id`:
// after a node prepared the statement again under a new id. Only meant for batches of one
// prepared statement (encode_prepared_batch); a statement given as CQL text is kept as it is.
Bytes batch_with_prepared_id(ByteView frame, ByteView id);

}  // namespace playstream::cql::request
