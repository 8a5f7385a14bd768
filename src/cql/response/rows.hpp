#pragma once

#include <cstddef>
#include <vector>

#include "cql/decoder.hpp"
#include "cql/response/result_metadata.hpp"

namespace playstream::cql::response {

// A Rows result (spec 4.2.5.2). The cells stay raw [bytes], read with from_cell (value.hpp)
// against the column's type; the row content is copied once into one buffer.
class Rows {
public:
    ResultMetadata metadata;

    std::size_t row_count() const { return row_count_; }
    std::size_t column_count() const { return metadata.column_count; }
    // Bytes of the rows as received (<rows_content>): what holding them costs, about.
    std::size_t content_bytes() const { return content_.size(); }
    // Drops every row past the first `rows`.
    void keep_first(std::size_t rows);
    // Views this object; std::nullopt for null. Throws std::out_of_range past the last row/column.
    Cell cell(std::size_t row, std::size_t column) const;

    static Rows decode(Decoder& d);

private:
    std::size_t row_count_ = 0;
    Bytes content_;                    // <rows_content>
    std::vector<std::size_t> starts_;  // where each cell's [bytes] begins in content_, row-major
};

}  // namespace playstream::cql::response
