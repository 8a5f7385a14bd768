#include "kafka/dead_letter_producer.hpp"

#include <array>

#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::kafka {

namespace {

// The job waits for its batch's letters before it commits: lingering to fill a producer batch
// (the load generator's 20 ms) would only hold every commit back.
ProducerOptions without_linger(ProducerOptions options) {
    options.extra.insert(options.extra.begin(), {"linger.ms", "0"});
    return options;
}

}  // namespace

DeadLetterProducer::DeadLetterProducer(ProducerOptions options, std::string topic)
    : topic_(std::move(topic)), producer_(without_linger(std::move(options))) {}

void DeadLetterProducer::send(const pipeline::DeadLetter& letter) {
    producer_.send(topic_, letter.key, letter.payload, pipeline::dead_letter_headers(letter));
    producer_.poll();  // serve delivery reports as we go
}

bool DeadLetterProducer::flush(std::chrono::milliseconds timeout) {
    const bool done = producer_.flush(static_cast<int>(timeout.count()));
    if (producer_.failed() != 0) {
        throw Error(fmt::format("dead-letter topic {}: {} messages could not be delivered ({}); "
                                "the offsets of their batch are not committed", topic_,
                                producer_.failed(), producer_.first_error()));
    }
    return done;
}

Settings shared_client_settings(const Settings& consumer_settings) {
    constexpr std::array<std::string_view, 6> prefixes{"security.", "sasl.", "ssl.", "socket.",
                                                       "client.", "broker."};
    Settings shared;
    for (const auto& setting : consumer_settings) {
        for (std::string_view prefix : prefixes) {
            if (setting.first.starts_with(prefix)) {
                shared.push_back(setting);
                break;
            }
        }
    }
    return shared;
}

}  // namespace playstream::kafka
