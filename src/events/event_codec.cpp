#include "events/event_codec.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <utility>

#include "events/timestamp.hpp"
#include "util/escape.hpp"
#include "util/json_string.hpp"

// Decoding rules beyond the header's contract:
// - Duplicate keys: every occurrence is checked and the last one wins (as JavaScript's JSON.parse).
// - "song_id": null is the same as no song_id.
// - The first problem in document order is reported.
// - The whole payload must be JSON (RFC 8259), unknown fields included: simdjson On-Demand checks
//   only what it reads, so the values of unknown fields are read in full too (validate_unknown).
//   As simdjson does for every string, a \u escape of a lone surrogate is rejected: it stands for
//   no character, so it could not be stored as UTF-8 text.

namespace playstream::events {
namespace {

using model::RejectReason;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

// Nesting refused past this (RFC 8259 lets a parser set a limit). Kept below the On-Demand parser's
// own limit (1024, counting the message's object) so that we refuse first: simdjson's development
// checks (debug builds) assert at its limit instead of returning DEPTH_ERROR.
constexpr int max_depth = 1000;

enum Required : unsigned { has_id = 1, has_name = 2, has_song = 4, has_time = 8 };
constexpr unsigned all_required = has_id | has_name | has_song | has_time;

void append_int(std::string& out, std::int64_t v) {
    std::array<char, 24> buf{};
    out.append(buf.data(), std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr);
}

std::string_view type_name(json_type t) {
    switch (t) {
        case json_type::array: return "array";
        case json_type::object: return "object";
        case json_type::number: return "number";
        case json_type::string: return "string";
        case json_type::boolean: return "boolean";
        case json_type::null: return "null";
    }
    return "unknown";
}

bool fail(DecodeError& error, RejectReason reason, std::string detail) {
    error.reason = reason;
    error.detail = std::move(detail);
    return false;
}

bool fail_json(DecodeError& error, std::string_view context, simdjson::error_code code) {
    std::string detail(context);
    return fail(error, RejectReason::NotJson, detail.append(simdjson::error_message(code)));
}

// A syntax error met while reading a known field.
bool fail_json_in(DecodeError& error, std::string_view field, simdjson::error_code code) {
    return fail_json(error, std::string("field '").append(field).append("': "), code);
}

bool fail_field(DecodeError& error, RejectReason reason, std::string_view field,
                std::string_view what) {
    std::string detail = "field '";
    return fail(error, reason, detail.append(field).append("': ").append(what));
}

bool fail_type(DecodeError& error, std::string_view field, std::string_view expected,
               std::string_view found) {
    std::string what(expected);
    what.append(", found ").append(found);
    return fail_field(error, RejectReason::WrongType, field, what);
}

// simdjson tells a value's type from its first character only, so true/false/null are read in
// full: a misspelt literal is a syntax error, not a value of the wrong type.
bool read_type(value& v, std::string_view field, json_type& type, DecodeError& error) {
    if (const auto code = v.type().get(type)) return fail_json_in(error, field, code);
    if (type != json_type::boolean && type != json_type::null) return true;
    bool flag = false;
    const bool ok = type == json_type::boolean ? v.get_bool().get(flag) == simdjson::SUCCESS
                                               : v.is_null().get(flag) == simdjson::SUCCESS && flag;
    if (ok) return true;
    const char first = v.raw_json_token().front();
    return fail_json_in(error, field,
                        first == 't'   ? simdjson::T_ATOM_ERROR
                        : first == 'f' ? simdjson::F_ATOM_ERROR
                                       : simdjson::N_ATOM_ERROR);
}

bool read_count(value& v, std::string_view field, std::int64_t& out, DecodeError& error) {
    constexpr std::string_view expected = "expected a non-negative integer";
    json_type type{};
    if (!read_type(v, field, type, error)) return false;
    if (type != json_type::number) return fail_type(error, field, expected, type_name(type));
    std::int64_t n = 0;
    if (v.get_int64().get(n) == simdjson::SUCCESS && n >= 0) {
        out = n;
        return true;
    }
    // A valid number that is negative, fractional or too large is the wrong type; "01" is not JSON.
    double as_double = 0;
    if (const auto code = v.get_double().get(as_double)) return fail_json_in(error, field, code);
    std::string_view token = v.raw_json_token();
    token = token.substr(0, token.find_last_not_of(" \t\r\n") + 1);
    return fail_type(error, field, expected, escape_for_log(token, 40));
}

bool read_string(value& v, std::string_view field, std::string_view& out, DecodeError& error) {
    json_type type{};
    if (!read_type(v, field, type, error)) return false;
    if (type != json_type::string) {
        return fail_type(error, field, "expected a string", type_name(type));
    }
    const auto code = v.get_string().get(out);
    return code == simdjson::SUCCESS || fail_json_in(error, field, code);
}

bool read_time(value& v, std::int64_t& out, DecodeError& error) {
    std::string_view text;
    if (!read_string(v, "time", text, error)) return false;
    std::string why;
    return parse_timestamp(text, out, &why) ||
           fail_field(error, RejectReason::BadTime, "time", why);
}

bool read_song_id(value& v, std::optional<std::int64_t>& out, DecodeError& error) {
    json_type type{};
    if (!read_type(v, "song_id", type, error)) return false;
    if (type == json_type::null) {
        out.reset();
        return true;
    }
    std::int64_t id = 0;
    if (!read_count(v, "song_id", id, error)) return false;
    out = id;
    return true;
}

// RFC 8259 section 6: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. Checked on the text, not
// by parsing, so that a valid number out of a double's range is still valid JSON.
bool is_json_number(std::string_view s) {
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i - start;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') {
        ++i;
    } else if (digits() == 0) {
        return false;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (digits() == 0) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (digits() == 0) return false;
    }
    return i == s.size();
}

// Reads a value of an unknown field in full, nested values included, and says whether it is JSON.
simdjson::error_code validate_unknown(value v, int depth) {
    json_type type{};
    if (const auto code = v.type().get(type)) return code;
    switch (type) {
        case json_type::object: {
            if (depth >= max_depth) return simdjson::DEPTH_ERROR;
            simdjson::ondemand::object object;
            if (const auto code = v.get_object().get(object)) return code;
            for (auto member : object) {
                simdjson::ondemand::field field;
                std::string_view key;
                auto code = std::move(member).get(field);
                if (code == simdjson::SUCCESS) code = field.unescaped_key().get(key);
                if (code == simdjson::SUCCESS) code = validate_unknown(field.value(), depth + 1);
                if (code != simdjson::SUCCESS) return code;
            }
            return simdjson::SUCCESS;
        }
        case json_type::array: {
            if (depth >= max_depth) return simdjson::DEPTH_ERROR;
            simdjson::ondemand::array array;
            if (const auto code = v.get_array().get(array)) return code;
            for (auto element : array) {
                value item;
                auto code = std::move(element).get(item);
                if (code == simdjson::SUCCESS) code = validate_unknown(item, depth + 1);
                if (code != simdjson::SUCCESS) return code;
            }
            return simdjson::SUCCESS;
        }
        case json_type::string: {
            std::string_view text;
            return v.get_string().get(text);
        }
        case json_type::number: {
            std::string_view token = v.raw_json_token();
            token = token.substr(0, token.find_last_not_of(" \t\r\n") + 1);
            return is_json_number(token) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
        }
        case json_type::boolean:
        case json_type::null: {
            bool flag = false;
            const auto code = type == json_type::boolean ? v.get_bool().get(flag) : v.is_null().get(flag);
            if (code != simdjson::SUCCESS) return code;
            return type == json_type::boolean || flag ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
        }
    }
    return simdjson::INCORRECT_TYPE;
}

// Decodes one member into `event`; the values of unknown keys are only validated.
bool read_member(std::string_view key, value v, model::ListenEvent& event, unsigned& seen,
                 DecodeError& error) {
    std::string_view text;
    if (key == "id") {
        seen |= has_id;
        return read_count(v, key, event.id, error);
    }
    if (key == "name") {
        seen |= has_name;
        if (!read_string(v, key, text, error)) return false;
        if (text.empty()) return fail_type(error, key, "expected a non-empty string", "\"\"");
        event.name.assign(text);
        return true;
    }
    if (key == "song") {
        seen |= has_song;
        if (!read_string(v, key, text, error)) return false;
        event.song.assign(text);
        return true;
    }
    if (key == "time") {
        seen |= has_time;
        return read_time(v, event.time_ms, error);
    }
    if (key == "song_id") return read_song_id(v, event.song_id, error);
    if (const auto code = validate_unknown(v, 1)) {
        return fail_json(error, "field " + quote_for_log(key, 64) + ": ", code);
    }
    return true;
}

// A member's key as written, without a copy, when it holds no escape (every key we read, in
// practice); otherwise unescaped by simdjson. Unescaping each key into the parser's buffer was
// 3 % of `stream`'s CPU. `end`: the end of the payload, before the padding.
simdjson::error_code read_key(simdjson::ondemand::field& field, const char* end, std::string_view& key) {
    const char* written = field.key().raw();  // just past the opening quote
    if (const void* quote = std::memchr(written, '"', static_cast<std::size_t>(end - written))) {
        const std::string_view raw(written, static_cast<std::size_t>(static_cast<const char*>(quote) - written));
        if (raw.find('\\') == std::string_view::npos) {
            key = raw;
            return simdjson::SUCCESS;
        }
    }
    return field.unescaped_key().get(key);
}

bool check_required(unsigned seen, DecodeError& error) {
    if (seen == all_required) return true;
    constexpr std::array<std::pair<Required, std::string_view>, 4> fields{
        {{has_id, "id"}, {has_name, "name"}, {has_song, "song"}, {has_time, "time"}}};
    std::string detail;
    for (const auto& [bit, name] : fields) {
        if (seen & bit) continue;
        detail.append(detail.empty() ? "" : ", ").append("'").append(name).append("'");
    }
    const bool several = detail.find(',') != std::string::npos;
    return fail(error, RejectReason::MissingField,
                std::string(several ? "missing fields " : "missing field ").append(detail));
}

}  // namespace

// Strings pass through as UTF-8, so a name that is not valid UTF-8 is rejected by the decoder.
void encode_event(const model::ListenEvent& event, std::string& out) {
    out.assign("{\"id\":");
    append_int(out, event.id);
    out.append(",\"name\":");
    append_json_string(out, event.name);
    out.append(",\"song\":");
    append_json_string(out, event.song);
    if (event.song_id) {
        out.append(",\"song_id\":");
        append_int(out, *event.song_id);
    }
    out.append(",\"time\":\"").append(format_timestamp(event.time_ms)).append("\"}");
}

bool EventDecoder::decode(std::string_view payload, model::ListenEvent& out, DecodeError& error) {
    // Checked first: memcpy from a null pointer is undefined even for zero bytes.
    if (payload.data() == nullptr) {
        return fail(error, RejectReason::NullValue, "the message has a NULL value (a tombstone)");
    }
    if (payload.empty()) return fail(error, RejectReason::Empty, "the message is empty");
    // Grow only: the buffer is reused, so steady state costs a memcpy and no allocation. simdjson
    // reads the padding, and on some malformed input its content changes the error reported:
    // cleared, so the older bytes there cannot make a message's verdict depend on its predecessor.
    const std::size_t needed = payload.size() + simdjson::SIMDJSON_PADDING;
    if (padded_.size() < needed) padded_.resize(needed);
    std::memcpy(padded_.data(), payload.data(), payload.size());
    std::memset(padded_.data() + payload.size(), 0, simdjson::SIMDJSON_PADDING);

    simdjson::ondemand::document doc;
    auto iterated = parser_.iterate(padded_.data(), payload.size(), padded_.size());
    if (const auto code = std::move(iterated).get(doc)) {
        return fail_json(error, "not JSON: ", code);
    }
    json_type type{};
    if (const auto code = doc.type().get(type)) return fail_json(error, "not JSON: ", code);
    if (type != json_type::object) {
        // The type, not an excerpt: the reject log shows the payload itself, escaped.
        return fail(error, RejectReason::NotJson,
                    std::string("expected a JSON object, found ").append(type_name(type)));
    }
    simdjson::ondemand::object object;
    if (const auto code = doc.get_object().get(object)) return fail_json(error, "not JSON: ", code);

    out.song_id.reset();
    unsigned seen = 0;
    for (auto member : object) {
        simdjson::ondemand::field field;
        std::string_view key;
        auto code = std::move(member).get(field);
        if (code == simdjson::SUCCESS) code = read_key(field, padded_.data() + payload.size(), key);
        if (code != simdjson::SUCCESS) return fail_json(error, "not JSON: ", code);
        if (!read_member(key, field.value(), out, seen, error)) return false;
    }
    // OUT_OF_BOUNDS means the iterator consumed the whole payload.
    if (const char* rest = nullptr; doc.current_location().get(rest) == simdjson::SUCCESS) {
        const auto offset = static_cast<std::size_t>(rest - padded_.data());
        return fail(error, RejectReason::NotJson,
                    "trailing content after the JSON object at byte " + std::to_string(offset));
    }
    return check_required(seen, error);
}

}  // namespace playstream::events
