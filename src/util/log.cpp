#include "util/log.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

namespace playstream::log {
namespace {

std::atomic<Format> current_format{Format::Text};

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s) {
    const auto b0 = static_cast<unsigned char>(s[0]);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (b0 < 0x80) return 1;
    if (b0 >= 0xc2 && b0 <= 0xdf) n = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
        n = 3;
        if (b0 == 0xe0) lo = 0xa0;
        if (b0 == 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        n = 4;
        if (b0 == 0xf0) lo = 0x90;
        if (b0 == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (s.size() < n) return 0;
    for (std::size_t i = 1; i < n; ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xbf)) return 0;
    }
    return n;
}

// Appends `text`, cut at max_string_bytes, with control characters escaped the JSON way (`\n`,
// `\u001b`) or the shell way (`\n`, `\x1b`) and invalid UTF-8 replaced by U+FFFD.
void append_escaped(std::string& out, std::string_view text, bool json) {
    std::size_t cut = text.size();
    if (text.size() > max_string_bytes) {
        cut = max_string_bytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
    }
    for (std::size_t i = 0; i < cut;) {
        const char c = text[i];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) {
            const std::size_t n = utf8_sequence(text.substr(i, cut - i));
            if (n == 0) {
                out += "\xef\xbf\xbd";
                ++i;
            } else {
                out.append(text.substr(i, n));
                i += n;
            }
            continue;
        }
        ++i;
        switch (c) {
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += "\\t"; continue;
            case '"':
                out += json ? "\\\"" : "\"";
                continue;
            case '\\':
                out += json ? "\\\\" : "\\";
                continue;
            default: break;
        }
        if (u < 0x20 || u == 0x7f) {
            out += json ? fmt::format("\\u{:04x}", u) : fmt::format("\\x{:02x}", u);
        } else {
            out += c;
        }
    }
    if (cut < text.size()) out += fmt::format("...({} more bytes)", text.size() - cut);
}

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    append_escaped(out, text, true);
    out += '"';
}

void append_json_value(std::string& out, const Value& value) {
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>) {
                append_json_string(out, v);
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, double>) {
                // JSON has no NaN or infinity.
                out += std::isfinite(v) ? fmt::format("{}", v) : "null";
            } else {
                out += fmt::format("{}", v);
            }
        },
        value);
}

std::string rfc3339_ms(std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    const auto millis = ((ms % 1000) + 1000) % 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

std::string_view level_name(Level level) {
    switch (level) {
        case Level::Warn: return "warn";
        case Level::Error: return "error";
        case Level::Info: break;
    }
    return "info";
}

}  // namespace

void set_format(Format format) { current_format.store(format); }
Format format() { return current_format.load(); }

bool parse_format(std::string_view name, Format& out) {
    if (name == "text") out = Format::Text;
    else if (name == "json") out = Format::Json;
    else return false;
    return true;
}

std::string render(Format format, Level level, std::string_view component, std::string_view msg,
                   Fields fields, std::chrono::system_clock::time_point now) {
    std::string line;
    if (format == Format::Text) {
        append_escaped(line, component, false);
        line += ": ";
        if (level == Level::Warn) line += "warning: ";
        if (level == Level::Error) line += "error: ";
        append_escaped(line, msg, false);
        return line;
    }
    line += "{\"ts\":\"" + rfc3339_ms(now) + "\",\"level\":\"";
    line += level_name(level);
    line += "\",\"component\":";
    append_json_string(line, component);
    line += ",\"msg\":";
    append_json_string(line, msg);
    for (const Field& field : fields) {
        line += ',';
        append_json_string(line, field.key);
        line += ':';
        append_json_value(line, field.value);
    }
    line += '}';
    return line;
}

void write(Level level, std::string_view component, std::string_view msg, Fields fields) {
    std::string line = render(format(), level, component, msg, fields, std::chrono::system_clock::now());
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace playstream::log
