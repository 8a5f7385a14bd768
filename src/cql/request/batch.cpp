#include "cql/request/batch.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "cql/byte_order.hpp"
#include "cql/error.hpp"
#include "cql/request/query_parameters.hpp"

namespace playstream::cql::request {
namespace {
constexpr std::uint8_t prepared_kind = 1;
constexpr std::uint8_t query_kind = 0;

// What follows the statements: one place for its layout, for both encoders.
void encode_batch_tail(Encoder& e, Consistency consistency, std::optional<Consistency> serial_consistency,
                       std::optional<std::int64_t> default_timestamp) {
    std::uint8_t flags = 0;
    if (serial_consistency) flags |= query_flag::serial_consistency;
    if (default_timestamp) flags |= query_flag::default_timestamp;
    e.write_consistency(consistency);
    e.write_byte(flags);
    if (serial_consistency) e.write_consistency(*serial_consistency);
    if (default_timestamp) e.write_long(*default_timestamp);
}

// Reads a BATCH frame's fields in place, checking each against the frame's end.
class BatchReader {
public:
    explicit BatchReader(ByteView frame) : frame_(frame), at_(header_size) {
        if (frame.size() < header_size || !has_opcode(frame, Opcode::Batch))
            throw ProtocolError("not a BATCH frame");
    }
    ByteView take(std::size_t n) {
        if (frame_.size() - at_ < n) throw ProtocolError("a BATCH frame cut short");
        const ByteView out = frame_.subspan(at_, n);
        at_ += n;
        return out;
    }
    std::uint8_t byte() { return take(1)[0]; }
    std::uint16_t short_() { return load_be<std::uint16_t>(take(2).data()); }
    std::int32_t int_() { return static_cast<std::int32_t>(load_be<std::uint32_t>(take(4).data())); }
    ByteView rest() { return take(frame_.size() - at_); }

private:
    ByteView frame_;
    std::size_t at_;
};

}  // namespace

void Batch::encode_body(Encoder& e) const {
    e.write_byte(static_cast<std::uint8_t>(type));
    e.write_count(statements.size(), "batch statements");
    for (const auto& s : statements) {
        e.write_byte(prepared_kind);
        e.write_short_bytes(s.prepared_id);
        e.write_count(s.values.size(), "bound values");
        for (const auto& v : s.values) e.write_value(v);
    }
    encode_batch_tail(e, consistency, serial_consistency, default_timestamp);
}

Bytes encode_prepared_batch(BatchType type, ByteView id, const BoundValues& values,
                            std::span<const RowEnd> row_ends, Consistency consistency,
                            std::optional<std::int64_t> default_timestamp) {
    const std::size_t rows = row_ends.size();
    const ByteView serialized = values.serialized();
    if (rows == 0 || values.size() % rows != 0)
        throw std::invalid_argument(std::to_string(values.size()) + " values do not make " + std::to_string(rows) +
                                    " rows of a batch");
    // Every row as many values, the ends in order, the last at the last value: the byte ends,
    // recorded with the counts, are then whole values (checking each value's length instead cost
    // more than the rows' copying).
    const std::size_t per_row = values.size() / rows;
    for (std::size_t row = 0; row < rows; ++row) {
        const bool in_order = row == 0 || row_ends[row].bytes >= row_ends[row - 1].bytes;
        if (row_ends[row].values != (row + 1) * per_row || !in_order || row_ends[row].bytes > serialized.size())
            throw std::invalid_argument("row " + std::to_string(row + 1) + " of a batch does not end after " +
                                        std::to_string(per_row) + " more values");
    }
    if (row_ends.back().bytes != serialized.size())
        throw std::invalid_argument("the last row of a batch does not end at its last value");
    Bytes out;
    out.reserve(header_size + 1 + 2 + rows * (1 + 2 + id.size() + 2) + serialized.size() + 2 + 1 + 8);
    const auto start = begin_request_frame(Opcode::Batch, 0, out);
    Encoder e(out);
    e.write_byte(static_cast<std::uint8_t>(type));
    e.write_count(rows, "batch statements");
    std::size_t at = 0;  // where the row begins in `serialized`
    for (const RowEnd& end : row_ends) {
        e.write_byte(prepared_kind);
        e.write_short_bytes(id);
        e.write_count(per_row, "bound values");
        e.write_serialized(serialized.subspan(at, end.bytes - at));
        at = end.bytes;
    }
    encode_batch_tail(e, consistency, std::nullopt, default_timestamp);
    end_request_frame(start, out);
    return out;
}

ByteView batch_prepared_id(ByteView frame) {
    BatchReader r(frame);
    r.byte();  // type
    if (r.short_() == 0 || r.byte() != prepared_kind) throw ProtocolError("a BATCH frame without a prepared statement first");
    return r.take(r.short_());
}

Bytes batch_with_prepared_id(ByteView frame, ByteView id) {
    BatchReader r(frame);
    const auto stream = static_cast<std::int16_t>(load_be<std::uint16_t>(frame.data() + 2));
    Bytes out;
    out.reserve(frame.size() + 64);
    const auto start = begin_request_frame(Opcode::Batch, stream, out);
    Encoder e(out);
    e.write_byte(r.byte());
    const std::uint16_t statements = r.short_();
    e.write_short(statements);
    for (std::uint16_t s = 0; s < statements; ++s) {
        const std::uint8_t kind = r.byte();
        e.write_byte(kind);
        if (kind == prepared_kind) {
            r.take(r.short_());
            e.write_short_bytes(id);
        } else if (kind == query_kind) {
            const auto length = r.int_();
            if (length < 0) throw ProtocolError("a BATCH frame with a negative query length");
            e.write_int(length);
            e.write_serialized(r.take(static_cast<std::size_t>(length)));
        } else {
            throw ProtocolError("a BATCH frame with an unknown statement kind");
        }
        const std::uint16_t values = r.short_();
        e.write_short(values);
        for (std::uint16_t v = 0; v < values; ++v) {
            const std::int32_t length = r.int_();
            e.write_int(length);
            if (length > 0) e.write_serialized(r.take(static_cast<std::size_t>(length)));
        }
    }
    e.write_serialized(r.rest());
    end_request_frame(start, out);
    return out;
}

}  // namespace playstream::cql::request
