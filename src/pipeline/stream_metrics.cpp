#include "pipeline/stream_metrics.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "metrics/process_metrics.hpp"
#include "metrics/text_writer.hpp"
#include "model/reject_reason.hpp"

namespace playstream::pipeline {
namespace {

// AgeHistogram's millisecond buckets, seen through Prometheus buckets in seconds.
metrics::HistogramSnapshot age_snapshot(const AgeHistogram& ages) {
    metrics::HistogramSnapshot out{.buckets = {}, .count = ages.count(),
                                   .sum = static_cast<double>(ages.sum_ms()) / 1000.0};
    for (std::int64_t ms : {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000}) {
        out.buckets.emplace_back(static_cast<double>(ms) / 1000.0, ages.count_at_most(ms));
    }
    return out;
}

void counter(metrics::TextWriter& out, const char* name, const char* help, std::uint64_t value) {
    out.counter(name, help);
    out.value(value);
}

}  // namespace

std::string stream_metrics_text(const JobStatus& status) {
    const Counters& c = status.counters;
    metrics::TextWriter out;
    counter(out, "playstream_records_consumed", "Messages read from the topic.", c.consumed);
    counter(out, "playstream_records_stored", "Rows the store acknowledged.", c.stored);
    out.counter("playstream_records_rejected", "Messages that did not become rows, by reason.");
    for (std::size_t i = 0; i < c.rejected.size(); ++i) {
        out.value(c.rejected[i], {{"reason", model::to_string(static_cast<model::RejectReason>(i))}});
    }
    counter(out, "playstream_records_dead_lettered", "Rejected messages the dead-letter topic acknowledged.",
            c.dead_lettered);
    counter(out, "playstream_records_skipped",
            "Messages deleted by the broker (retention) before they were read.", c.skipped);
    counter(out, "playstream_records_store_refused",
            "Rows the store refused for good (sent to the dead-letter topic with stage store).",
            c.store_refused);
    counter(out, "playstream_reject_log_suppressed",
            "Rejections counted but not logged, past the reject log's line limit.", c.reject_log_suppressed);
    counter(out, "playstream_batches", "Batches the store acknowledged.", c.batches);
    counter(out, "playstream_commits", "Offset commits the broker acknowledged.", c.commits);
    counter(out, "playstream_commit_failures", "Offset commits that failed (their rows are stored).",
            c.commit_failures);
    counter(out, "playstream_store_retries", "Store writes retried after a transient failure.", c.store_retries);
    out.histogram("playstream_store_write_duration_seconds", "Duration of each successful store write.");
    out.observations(c.store_write_seconds.snapshot());
    out.histogram("playstream_batch_messages", "Messages per batch written and committed.");
    out.observations(c.batch_messages.snapshot());
    out.histogram("playstream_event_age_at_ack_seconds",
                  "Age of events when the store acknowledged them, from their time field: the freshness.");
    out.observations(age_snapshot(c.age_at_ack));
    out.histogram("playstream_event_age_at_read_seconds",
                  "Age of events when stream took them from the consumer, from their time field: Kafka's "
                  "share of the freshness, plus any wait while the store held stream back.");
    out.observations(age_snapshot(c.age_at_read));

    out.gauge("playstream_partitions_assigned", "Partitions of the topic this member holds.");
    out.value(static_cast<std::uint64_t>(status.partitions_assigned));
    out.gauge("playstream_consumer_lag_messages",
              "Messages from the group's committed offset to the end of each partition this member holds.");
    for (const PartitionLag& p : status.lag) {
        const std::string partition = std::to_string(p.partition);
        out.value(static_cast<double>(p.lag), {{"topic", status.topic}, {"partition", partition}});
    }
    if (!status.store_nodes.empty()) {
        out.gauge("playstream_cassandra_node_connected", "Whether the driver holds an open connection to the node.");
        for (const store::NodeState& n : status.store_nodes) {
            out.value(std::uint64_t{n.connected ? 1u : 0u}, {{"node", n.node}});
        }
        out.gauge("playstream_cassandra_node_in_flight_requests", "Requests sent to the node and not yet answered.");
        for (const store::NodeState& n : status.store_nodes) {
            out.value(static_cast<std::uint64_t>(n.in_flight), {{"node", n.node}});
        }
        out.counter("playstream_cassandra_node_requests",
                    "Requests sent to the node as coordinator (only nodes of the local datacenter get any).");
        for (const store::NodeState& n : status.store_nodes) out.value(n.requests, {{"node", n.node}});
        // A coordinator answering Write_timeout (its replicas did not apply the write in time) or
        // Overloaded names a cluster past what it sustains: the driver tries such attempts again,
        // so nothing else shows them.
        // The family appears with its first failure (the errors are not known before).
        if (std::ranges::any_of(status.store_nodes, [](const store::NodeState& n) { return !n.failures.empty(); })) {
            out.counter("playstream_cassandra_node_failed_attempts",
                        "Attempts on the node as coordinator that failed, by error: each was tried again or reported.");
            for (const store::NodeState& n : status.store_nodes) {
                for (const auto& [error, count] : n.failures) out.value(count, {{"node", n.node}, {"error", error}});
            }
        }
    }
    metrics::write_process_metrics(out);
    return out.text();
}

}  // namespace playstream::pipeline
