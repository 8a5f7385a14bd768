#include "util/escape.hpp"

#include <array>

namespace playstream {
namespace {

// Length of the valid UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF), or 0 when it is not one.
std::size_t utf8_length(std::string_view s) {
    const auto byte = [&s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = byte(0);
    std::size_t n = 0;
    unsigned char low = 0x80;  // bounds of the second byte, narrower after some leads
    unsigned char high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        n = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        n = 3;
        if (lead == 0xe0) low = 0xa0;   // overlong
        if (lead == 0xed) high = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        n = 4;
        if (lead == 0xf0) low = 0x90;   // overlong
        if (lead == 0xf4) high = 0x8f;  // past U+10FFFF
    } else {
        return 0;
    }
    if (s.size() < n || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < n; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
    }
    return n;
}

void append_hex(std::string& out, unsigned char c) {
    static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                              '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 0xf];
}

// Appends the escaped form of the character or byte at the start of `s` to `unit` and returns
// how many bytes of `s` it stands for.
std::size_t escape_one(std::string_view s, bool escape_quotes, std::string& unit) {
    const auto c = static_cast<unsigned char>(s[0]);
    switch (c) {
        case '\n': unit += "\\n"; return 1;
        case '\t': unit += "\\t"; return 1;
        case '\r': unit += "\\r"; return 1;
        case '\\': unit += "\\\\"; return 1;
        case '"': unit += escape_quotes ? "\\\"" : "\""; return 1;
        default: break;
    }
    if (c >= 0x20 && c < 0x7f) {
        unit += static_cast<char>(c);
        return 1;
    }
    const std::size_t n = c < 0x80 ? 0 : utf8_length(s);
    const bool c1_control = n == 2 && c == 0xc2 && static_cast<unsigned char>(s[1]) < 0xa0;
    if (n == 0 || c1_control) {
        // A C1 control is escaped byte by byte, so the output stays one escape form.
        const std::size_t bytes = c1_control ? 2 : 1;
        for (std::size_t i = 0; i < bytes; ++i) append_hex(unit, static_cast<unsigned char>(s[i]));
        return bytes;
    }
    unit.append(s.substr(0, n));
    return n;
}

// Escapes `text` into `out` up to `cap` bytes of output; returns how many input bytes it took.
std::size_t append_escaped(std::string& out, std::string_view text, bool escape_quotes,
                           std::size_t cap) {
    std::string unit;
    std::size_t written = 0;
    std::size_t taken = 0;
    while (taken < text.size()) {
        unit.clear();
        const std::size_t used = escape_one(text.substr(taken), escape_quotes, unit);
        if (unit.size() > cap - written) break;
        out += unit;
        written += unit.size();
        taken += used;
    }
    return taken;
}

std::string log_form(std::string_view text, std::size_t cap, std::string_view quote) {
    std::string out(quote);
    const std::size_t taken = append_escaped(out, text, true, cap);
    out += quote;
    if (taken < text.size()) out += " ... (" + std::to_string(text.size() - taken) + " more bytes)";
    return out;
}

}  // namespace

std::string escape_for_log(std::string_view text, std::size_t cap) { return log_form(text, cap, ""); }

std::string quote_for_log(std::string_view text, std::size_t cap) { return log_form(text, cap, "\""); }

std::string escape_for_terminal(std::string_view text) {
    std::string out;
    append_escaped(out, text, false, std::string::npos);
    return out;
}

}  // namespace playstream
