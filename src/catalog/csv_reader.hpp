#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace playstream::catalog {

// RFC 4180 reader over an in-memory buffer: a UTF-8 BOM is skipped, LF and CRLF line ends are
// accepted, quoted fields may hold commas, line breaks and doubled quotes. The whole buffer is
// checked to be valid UTF-8 up front. Malformed input throws playstream::Error with
// "SOURCE:LINE: message".
class CsvReader {
public:
    CsvReader(std::string_view text, std::string source);

    // Reads the next record into `fields` (cleared first). Returns false at the end of input.
    bool next(std::vector<std::string>& fields);

    // 1-based line on which the record last returned by next() starts.
    std::size_t line() const { return record_line_; }
    const std::string& source() const { return source_; }

private:
    // Each reads one field at pos_ and its delimiter; true when another field of the record follows.
    bool read_unquoted(std::string& field);
    bool read_quoted(std::string& field);
    bool end_field(std::string_view unexpected);

    std::string_view text_;
    std::string source_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t record_line_ = 0;
};

}  // namespace playstream::catalog
