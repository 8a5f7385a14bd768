#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace playstream::log {

// How lines on stderr look. `text` is for people: `component: message` (warnings and errors add
// `warning: ` / `error: ` after the component), fields are not shown, so put the figures a person
// needs in the message. `json` is for log shippers: one RFC 8259 object a line with `ts` (RFC 3339,
// UTC, milliseconds), `level`, `component`, `msg` and every field.
enum class Format { Text, Json };
enum class Level { Info, Warn, Error };

using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;

// One named value of a line. The constructors keep `{"partitions", 3}` unambiguous.
struct Field {
    std::string_view key;
    Value value;

    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, bool v) : key(k), value(v) {}
    Field(std::string_view k, double v) : key(k), value(v) {}
    Field(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
    Field(std::string_view k, long v) : key(k), value(std::int64_t{v}) {}
    Field(std::string_view k, long long v) : key(k), value(std::int64_t{v}) {}
    Field(std::string_view k, unsigned v) : key(k), value(std::uint64_t{v}) {}
    Field(std::string_view k, unsigned long v) : key(k), value(std::uint64_t{v}) {}
    Field(std::string_view k, unsigned long long v) : key(k), value(std::uint64_t{v}) {}
};
using Fields = std::initializer_list<Field>;

// Strings longer than this (message or field) are cut, with a note of how many bytes were left out:
// a log line never carries a whole payload.
inline constexpr std::size_t max_string_bytes = 1024;

// The process-wide format; text until set (the CLI sets it from --log-format before any work).
void set_format(Format format);
Format format();
// "text" or "json"; anything else returns false.
bool parse_format(std::string_view name, Format& out);

// The line without its newline. Control characters are escaped in both formats and invalid
// UTF-8 becomes U+FFFD, so input echoed into a message can neither forge lines nor break JSON.
std::string render(Format format, Level level, std::string_view component, std::string_view msg,
                   Fields fields, std::chrono::system_clock::time_point now);

// Writes one line to stderr in the process-wide format (one write per line: lines from several
// threads do not interleave).
void write(Level level, std::string_view component, std::string_view msg, Fields fields = {});
inline void info(std::string_view component, std::string_view msg, Fields fields = {}) {
    write(Level::Info, component, msg, fields);
}
inline void warn(std::string_view component, std::string_view msg, Fields fields = {}) {
    write(Level::Warn, component, msg, fields);
}
inline void error(std::string_view component, std::string_view msg, Fields fields = {}) {
    write(Level::Error, component, msg, fields);
}

}  // namespace playstream::log
