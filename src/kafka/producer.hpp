#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kafka/client_config.hpp"
#include "metrics/histogram.hpp"
#include "pipeline/source.hpp"

namespace playstream::kafka {

struct ProducerOptions {
    std::string brokers;
    std::string compression = "gzip";  // gzip | lz4 | zstd | snappy | none
    Settings extra;                     // any further librdkafka settings
};

// An idempotent, acks=all producer. Messages are queued asynchronously; delivery outcomes are
// counted as the broker reports them.
class Producer {
public:
    // `on_delivery` is called with each message's tag as the broker reports on it (true:
    // delivered), on the thread that calls send(), poll() or flush().
    using DeliveryHook = std::function<void(std::uint64_t tag, bool delivered)>;
    explicit Producer(const ProducerOptions& options, DeliveryHook on_delivery = {});
    Producer(const Producer&) = delete;
    Producer& operator=(const Producer&) = delete;

    // Queues one message; while librdkafka's local queue is full it serves delivery reports and
    // waits, so a fast caller is slowed to the broker's pace instead of failing.
    // A null key.data() sends no key, a null payload.data() no value (a tombstone).
    // A header value with a null data() is sent without a value. `tag` comes back in
    // on_delivery.
    void send(const std::string& topic, std::string_view key, std::string_view payload,
              std::span<const pipeline::Header> headers = {}, std::uint64_t tag = 0);

    // Waits until every queued message is delivered or has failed. False on timeout. Like send()
    // and poll(), throws playstream::Error when the brokers refuse our credentials or we refuse
    // their certificate.
    bool flush(int timeout_ms);
    // Serves delivery reports without blocking.
    void poll();

    std::uint64_t delivered() const { return delivered_.load(); }
    std::uint64_t failed() const { return failed_.load(); }
    std::string first_error() const;
    // Seconds from send() to the broker's acknowledgement, of each message delivered.
    metrics::HistogramSnapshot delivery_latency() const;
    rd_kafka_t* handle() const { return handle_.get(); }

private:
    static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque);
    static void on_error(rd_kafka_t*, int err, const char* reason, void* opaque);
    // Throws the security failure (is_security_failure) the error callback met, if any: the
    // messages would only wait for their timeout.
    void throw_if_refused() const;

    DeliveryHook on_delivery_;
    std::atomic<std::uint64_t> delivered_{0};
    std::atomic<std::uint64_t> failed_{0};
    mutable std::mutex error_mutex_;
    std::string first_error_;
    std::string refused_;  // under error_mutex_
    mutable std::mutex latency_mutex_;  // delivery reports come on the polling thread, readers on others
    metrics::Histogram delivery_seconds_{metrics::latency_buckets()};
    HandlePtr handle_;
};

}  // namespace playstream::kafka
