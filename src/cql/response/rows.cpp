#include "cql/response/rows.hpp"

#include <stdexcept>
#include <string>

#include "cql/byte_order.hpp"

namespace playstream::cql::response {

// On failure returns an empty Rows: cell() trusts starts_, so a half-read one must never escape.
Rows Rows::decode(Decoder& d) {
    Rows rows;
    rows.metadata = ResultMetadata::decode(d);
    rows.row_count_ = d.read_count(0, "row");
    const auto columns = rows.metadata.column_count;
    // Each cell takes at least its 4-byte length: this bounds the product before any allocation.
    if (columns != 0 && !d.fits(rows.row_count_, 4 * columns, "row")) return {};
    const auto cells = rows.row_count_ * columns;
    const auto start = d.position();
    rows.starts_.reserve(cells);
    for (std::size_t i = 0; i < cells && d.ok(); ++i) {
        rows.starts_.push_back(d.position() - start);
        d.read_bytes();
    }
    if (!d.ok()) return {};
    const auto content = d.consumed_since(start);
    rows.content_.assign(content.begin(), content.end());
    return rows;
}

void Rows::keep_first(std::size_t rows) {
    if (rows >= row_count_) return;
    row_count_ = rows;
    starts_.resize(rows * column_count());
}

Cell Rows::cell(std::size_t row, std::size_t column) const {
    if (row >= row_count_ || column >= column_count())
        throw std::out_of_range("cell (" + std::to_string(row) + ", " + std::to_string(column) + ") of a " +
                                std::to_string(row_count_) + "x" + std::to_string(column_count()) + " result");
    // Already validated by decode: the length is -1 (null) or fits.
    const auto at = starts_[row * column_count() + column];
    const auto length = static_cast<std::int32_t>(load_be<std::uint32_t>(content_.data() + at));
    if (length < 0) return std::nullopt;
    return ByteView(content_).subspan(at + 4, static_cast<std::size_t>(length));
}

}  // namespace playstream::cql::response
