#include "catalog/csv_reader.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "util/error.hpp"

namespace playstream::catalog {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode table 3-7:
// no overlongs, no surrogates, nothing above U+10FFFF). Only runs once simdjson has said the
// buffer is invalid, to say where.
std::size_t first_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 1;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else if (c >= 0x80) {
            return i;
        }
        if (len > 1) {
            if (i + len > s.size()) return i;
            const auto second = static_cast<unsigned char>(s[i + 1]);
            if (second < lo || second > hi) return i;
            for (std::size_t k = 2; k < len; ++k) {
                const auto next = static_cast<unsigned char>(s[i + k]);
                if (next < 0x80 || next > 0xBF) return i;
            }
        }
        i += len;
    }
    return s.size();
}

void check_utf8(std::string_view text, const std::string& source) {
    if (simdjson::validate_utf8(text.data(), text.size())) return;
    const std::size_t bad = first_invalid_utf8(text);
    const std::string_view before = text.substr(0, bad);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0 on the first line
    throw Error(fmt::format("{}:{}: not valid UTF-8 (byte 0x{:02x} at column {}); save the file as UTF-8",
                            source, line, static_cast<unsigned char>(text[bad]), bad - line_start + 1));
}

}  // namespace

CsvReader::CsvReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {
    check_utf8(text_, source_);
    if (text_.starts_with(kBom)) pos_ = kBom.size();
}

bool CsvReader::next(std::vector<std::string>& fields) {
    // Only line ends left: the newline after the last record, not an empty record.
    if (text_.find_first_not_of("\r\n", pos_) == std::string_view::npos) return false;
    record_line_ = line_;
    std::size_t count = 0;
    bool more = true;
    while (more) {
        // Reuse the strings already in `fields` so their buffers are not reallocated per record.
        if (count == fields.size()) fields.emplace_back();
        std::string& field = fields[count++];
        more = pos_ < text_.size() && text_[pos_] == '"' ? read_quoted(field) : read_unquoted(field);
    }
    fields.resize(count);
    return true;
}

bool CsvReader::read_unquoted(std::string& field) {
    const std::size_t start = pos_;
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == ',' || c == '\n' || c == '\r' || c == '"') break;
        ++pos_;
    }
    field.assign(text_.substr(start, pos_ - start));
    return end_field("a quote inside an unquoted field (quote the whole field and double the quote)");
}

bool CsvReader::read_quoted(std::string& field) {
    const std::size_t opened_on = line_;
    field.clear();
    ++pos_;  // the opening quote
    for (;;) {
        const std::size_t quote = text_.find('"', pos_);
        if (quote == std::string_view::npos) {
            throw Error(fmt::format("{}:{}: quoted field is never closed", source_, opened_on));
        }
        const std::string_view chunk = text_.substr(pos_, quote - pos_);
        line_ += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
        field.append(chunk);
        pos_ = quote + 1;
        if (pos_ < text_.size() && text_[pos_] == '"') {  // a doubled quote stands for one
            field.push_back('"');
            ++pos_;
            continue;
        }
        return end_field("text after a closing quote");
    }
}

bool CsvReader::end_field(std::string_view unexpected) {
    if (pos_ == text_.size()) return false;
    switch (text_[pos_]) {
    case ',':
        ++pos_;
        return true;
    case '\n':
        ++pos_;
        ++line_;
        return false;
    case '\r':
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
            pos_ += 2;
            ++line_;
            return false;
        }
        throw Error(fmt::format("{}:{}: carriage return not followed by a line feed", source_, line_));
    default:
        throw Error(fmt::format("{}:{}: {}", source_, line_, unexpected));
    }
}

}  // namespace playstream::catalog
