// libFuzzer target: the text parsers reachable without a command line. The first byte picks
// one, the rest is its input:
//   0 the store URI (open_store's parse), 1 `broker --topic NAME:P`, 2 `-X KEY=VALUE`,
//   3 an event timestamp, 4 the formatting of any epoch milliseconds (8 bytes).
// Refusals must be UsageError (timestamps: false with a reason); what is accepted must mean
// what the text says, and every accepted timestamp must format back to the same instant.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "cql/driver/endpoint.hpp"
#include "events/timestamp.hpp"
#include "fuzz_check.hpp"
#include "kafka/option_syntax.hpp"
#include "store/store_uri.hpp"
#include "util/error.hpp"

namespace {

using namespace playstream;

void store_uri(std::string_view text) {
    store::StoreLocation location;
    try {
        location = store::parse_store_uri(text);
    } catch (const UsageError&) {
        return;
    }
    if (const auto* sqlite = std::get_if<store::SqliteLocation>(&location)) {
        FUZZ_CHECK(!sqlite->path.empty() && text == "sqlite:" + sqlite->path);
        return;
    }
    const auto& address = std::get<store::CassandraAddress>(location);
    FUZZ_CHECK(!address.contact_points.empty() && !address.keyspace.empty());
    FUZZ_CHECK(text.ends_with("/" + address.keyspace));
    for (const auto& point : address.contact_points) {
        FUZZ_CHECK(text.find(point) != std::string_view::npos);
        try {
            FUZZ_CHECK(cql::driver::parse_endpoint(point, 9042).port != 0);  // as the session will
        } catch (const std::invalid_argument&) {
            FUZZ_CHECK(false);  // accepted by the parse, refused at connect time
        }
    }
}

void topic_spec(std::string_view text) {
    try {
        const auto topic = kafka::parse_topic_spec(text);
        FUZZ_CHECK(!topic.name.empty() && topic.partitions > 0);
        const auto digits = text.substr(topic.name.size() + 1);
        FUZZ_CHECK(text.starts_with(topic.name) && text[topic.name.size()] == ':');
        FUZZ_CHECK(std::stoll(std::string(digits)) == topic.partitions);
        FUZZ_CHECK(digits.find_first_not_of("0123456789") == std::string_view::npos);
    } catch (const UsageError&) {
    }
}

void kafka_setting(std::string_view text) {
    try {
        const auto [key, value] = kafka::parse_setting(text);
        FUZZ_CHECK(!key.empty() && key.find('=') == std::string::npos && text == key + "=" + value);
    } catch (const UsageError&) {
    }
}

void timestamp(std::string_view text) {
    std::int64_t ms = 0;
    std::string why;
    if (!events::parse_timestamp(text, ms, &why)) {
        FUZZ_CHECK(!why.empty() && why.size() < 200);  // the echo of the text is capped
        return;
    }
    const std::string formatted = events::format_timestamp(ms);
    std::int64_t again = -1;
    FUZZ_CHECK(events::parse_timestamp(formatted, again) && again == ms);
    FUZZ_CHECK(formatted.substr(0, 16) == std::string(text.substr(0, 10)) + " " + std::string(text.substr(11, 5)));
}

void epoch_millis(std::string_view text) {
    if (text.size() != sizeof(std::int64_t)) return;
    std::int64_t ms = 0;
    std::memcpy(&ms, text.data(), sizeof ms);
    const std::string formatted = events::format_timestamp(ms);
    std::string date;
    std::int32_t hour = -1;
    events::derive_date_hour(ms, date, hour);
    FUZZ_CHECK(formatted.starts_with(date + " ") && hour >= 0 && hour < 24);
    FUZZ_CHECK(formatted.substr(date.size() + 1, 2) == (hour < 10 ? "0" : "") + std::to_string(hour));
    std::int64_t again = 0;
    const bool four_digit_year = date.size() == 10 && !date.starts_with("0000") && date[0] != '-';
    FUZZ_CHECK(events::parse_timestamp(formatted, again) == four_digit_year);
    FUZZ_CHECK(!four_digit_year || again == ms);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 5) {
        case 0: store_uri(text); break;
        case 1: topic_spec(text); break;
        case 2: kafka_setting(text); break;
        case 3: timestamp(text); break;
        case 4: epoch_millis(text); break;
    }
    return 0;
}
