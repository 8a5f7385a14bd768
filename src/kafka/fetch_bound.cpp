#include "kafka/fetch_bound.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

namespace playstream::kafka {
namespace {

// librdkafka's bounds: 50 MiB is the most it fetches by default, 64 MiB the most it queues.
constexpr std::size_t kMinFetchBytes = 65536;
constexpr std::size_t kMaxFetchBytes = 52428800;
constexpr std::size_t kMinQueuedKbytes = 1024;
constexpr std::size_t kMaxQueuedKbytes = 65536;
constexpr std::size_t kQueuedBatches = 8;
constexpr std::size_t kCompressionRatio = 10;  // gzip on listen events: ~9.5:1

const std::string* find(const Settings& settings, std::string_view key) {
    const std::string* found = nullptr;  // the last one: librdkafka applies them in order
    for (const auto& [k, v] : settings) {
        if (k == key) found = &v;
    }
    return found;
}

// The user's message.max.bytes when it is a number (librdkafka reports a bad one itself), else 0.
std::size_t message_max_bytes(const Settings& user) {
    const std::string* value = find(user, "message.max.bytes");
    std::size_t bytes = 0;
    if (value == nullptr ||
        std::from_chars(value->data(), value->data() + value->size(), bytes).ec != std::errc{}) {
        return 0;
    }
    return bytes;
}

}  // namespace

Settings fetch_bound_settings(std::size_t batch_size, const Settings& user) {
    const std::size_t batch_bytes = batch_size * kTypicalMessageBytes;
    const std::size_t fetch_bytes = std::max(
        message_max_bytes(user), std::clamp(batch_bytes / kCompressionRatio, kMinFetchBytes, kMaxFetchBytes));
    const std::size_t queued_kbytes =
        std::clamp((kQueuedBatches * batch_bytes + 1023) / 1024, kMinQueuedKbytes, kMaxQueuedKbytes);
    Settings derived;
    if (find(user, "fetch.max.bytes") == nullptr) {
        derived.emplace_back("fetch.max.bytes", std::to_string(fetch_bytes));
        if (find(user, "message.max.bytes") == nullptr) {
            derived.emplace_back("message.max.bytes", std::to_string(fetch_bytes));
        }
    }
    if (find(user, "queued.max.messages.kbytes") == nullptr) {
        derived.emplace_back("queued.max.messages.kbytes", std::to_string(queued_kbytes));
    }
    return derived;
}

}  // namespace playstream::kafka
