#include "loadgen/load_metrics.hpp"

#include "metrics/process_metrics.hpp"
#include "metrics/text_writer.hpp"

namespace playstream::loadgen {

std::string load_metrics_text(const kafka::Producer& producer, const LoadStatus& status, double target_rate) {
    metrics::TextWriter out;
    out.counter("playstream_events_sent", "Events handed to the Kafka producer.");
    out.value(status.sent.load());
    out.counter("playstream_events_delivered", "Events the broker acknowledged.");
    out.value(producer.delivered());
    out.counter("playstream_events_failed", "Events whose delivery failed.");
    out.value(producer.failed());
    out.histogram("playstream_delivery_latency_seconds", "Seconds from send to the broker's acknowledgement.");
    out.observations(producer.delivery_latency());
    out.gauge("playstream_produce_target_rate", "Events per second asked for with --rate; 0: as fast as possible.");
    out.value(target_rate);
    out.gauge("playstream_produce_actual_rate", "Events per second sent, over the last second or so.");
    out.value(status.actual_rate.load());
    metrics::write_process_metrics(out);
    return out.text();
}

}  // namespace playstream::loadgen
