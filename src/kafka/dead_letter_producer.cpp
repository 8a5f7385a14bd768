#include "kafka/dead_letter_producer.hpp"

#include <array>

#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::kafka {

namespace {

// A batch's offsets wait for its letters: lingering to fill a producer batch (the load
// generator's 20 ms) would only hold commits back. The letters of a batch go out together anyway.
ProducerOptions for_letters(ProducerOptions options) {
    options.extra.insert(options.extra.begin(), {"linger.ms", "5"});
    return options;
}

}  // namespace

DeadLetterProducer::DeadLetterProducer(ProducerOptions options, std::string topic)
    : topic_(std::move(topic)),
      producer_(for_letters(std::move(options)), [this](std::uint64_t number, bool ok) {
          if (ok) delivered(number);  // a failure is counted by the producer; throw_if_failed() sees it
      }) {}

std::uint64_t DeadLetterProducer::send(const pipeline::DeadLetter& letter) {
    const auto ours = pipeline::dead_letter_headers(letter);
    headers_.assign(letter.headers.begin(), letter.headers.end());
    for (const auto& [name, value] : ours) headers_.push_back({name, value});
    producer_.send(topic_, letter.key, letter.payload, headers_, ++sent_);
    producer_.poll();  // serve delivery reports as we go
    return sent_;
}

void DeadLetterProducer::delivered(std::uint64_t number) {
    if (number != acknowledged_ + 1) {
        out_of_order_.insert(number);
        return;
    }
    ++acknowledged_;
    while (!out_of_order_.empty() && *out_of_order_.begin() == acknowledged_ + 1) {
        out_of_order_.erase(out_of_order_.begin());
        ++acknowledged_;
    }
}

std::uint64_t DeadLetterProducer::acknowledged() {
    producer_.poll();
    throw_if_failed();
    return acknowledged_;
}

bool DeadLetterProducer::flush(std::chrono::milliseconds timeout) {
    const bool done = producer_.flush(static_cast<int>(timeout.count()));
    throw_if_failed();
    return done;
}

void DeadLetterProducer::throw_if_failed() const {
    if (producer_.failed() != 0) {
        throw Error(fmt::format("dead-letter topic {}: {} messages could not be delivered ({}); "
                                "the offsets of their batch are not committed", topic_,
                                producer_.failed(), producer_.first_error()));
    }
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
