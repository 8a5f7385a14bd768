#include "kafka/producer.hpp"

#include <chrono>

#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::kafka {

Producer::Producer(const ProducerOptions& options, DeliveryHook on_delivery)
    : on_delivery_(std::move(on_delivery)) {
    Settings settings{
        {"bootstrap.servers", options.brokers},
        {"compression.codec", options.compression},
        {"enable.idempotence", "true"},  // retries never duplicate or reorder a partition
        {"linger.ms", "20"},
        {"batch.num.messages", "10000"},
        {"queue.buffering.max.messages", "500000"},
        // Java clients' partitioner, so a key lands on the same partition whoever produced it.
        {"partitioner", "murmur2_random"},
        {"log_level", "4"},
    };
    settings.insert(settings.end(), options.extra.begin(), options.extra.end());
    rd_kafka_conf_t* conf = make_conf(settings);
    rd_kafka_conf_set_dr_msg_cb(conf, &Producer::on_delivery);
    rd_kafka_conf_set_error_cb(conf, &Producer::on_error);
    rd_kafka_conf_set_opaque(conf, this);
    handle_ = make_handle(RD_KAFKA_PRODUCER, conf);
}

void Producer::on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
    auto* self = static_cast<Producer*>(opaque);
    if (self->on_delivery_) {
        self->on_delivery_(reinterpret_cast<std::uintptr_t>(msg->_private), msg->err == RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        self->delivered_.fetch_add(1, std::memory_order_relaxed);
        if (const std::int64_t us = rd_kafka_message_latency(msg); us >= 0) {
            std::lock_guard lock(self->latency_mutex_);
            self->delivery_seconds_.observe(static_cast<double>(us) / 1e6);
        }
        return;
    }
    self->failed_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(self->error_mutex_);
    if (self->first_error_.empty()) {
        self->first_error_ = fmt::format("{} [partition {}]: {}", rd_kafka_topic_name(msg->rkt),
                                         msg->partition, rd_kafka_err2str(msg->err));
    }
}

void Producer::on_error(rd_kafka_t*, int err, const char* reason, void* opaque) {
    const auto code = static_cast<rd_kafka_resp_err_t>(err);
    if (!is_security_failure(code, reason)) return;  // transient: librdkafka retries and logs it
    auto* self = static_cast<Producer*>(opaque);
    std::lock_guard lock(self->error_mutex_);
    if (self->refused_.empty()) self->refused_ = reason;
}

void Producer::throw_if_refused() const {
    std::lock_guard lock(error_mutex_);
    if (!refused_.empty()) throw Error(fmt::format("kafka: {}", refused_));
}

void Producer::poll() {
    rd_kafka_poll(handle_.get(), 0);
    throw_if_refused();
}

void Producer::send(const std::string& topic, std::string_view key, std::string_view payload,
                    std::span<const pipeline::Header> headers, std::uint64_t tag) {
    for (;;) {
        rd_kafka_headers_t* hdrs = nullptr;
        if (!headers.empty()) {
            hdrs = rd_kafka_headers_new(headers.size());
            for (const pipeline::Header& h : headers) {
                rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()),
                                    h.value.data(), static_cast<ssize_t>(h.value.size()));
            }
        }
        rd_kafka_resp_err_t err = rd_kafka_producev(
            handle_.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
            RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
            RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
            RD_KAFKA_V_HEADERS(hdrs),  // owned by the message once queued
            RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::uintptr_t>(tag))),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
        if (hdrs != nullptr) rd_kafka_headers_destroy(hdrs);
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            throw Error(fmt::format("produce to {}: {}", topic, rd_kafka_err2str(err)));
        }
        rd_kafka_poll(handle_.get(), 10);
        throw_if_refused();
    }
}

bool Producer::flush(int timeout_ms) {
    // In slices: a refusal is known within a second or so, long before the messages time out.
    for (const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);;) {
        const bool done = rd_kafka_flush(handle_.get(), 100) == RD_KAFKA_RESP_ERR_NO_ERROR;
        throw_if_refused();
        if (done) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
    }
}

std::string Producer::first_error() const {
    std::lock_guard lock(error_mutex_);
    return first_error_;
}

metrics::HistogramSnapshot Producer::delivery_latency() const {
    std::lock_guard lock(latency_mutex_);
    return delivery_seconds_.snapshot();
}

}  // namespace playstream::kafka
