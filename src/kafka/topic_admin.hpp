#pragma once

#include <string>

#include <librdkafka/rdkafka.h>

namespace playstream::kafka {

// Creates `topic` with `partitions` partitions (replication factor 1 on a single broker, else the
// broker's default) unless it exists already. Uses the handle's own connection; waits up to
// `timeout_ms`. Throws playstream::Error on any other failure.
void ensure_topic(rd_kafka_t* rk, const std::string& topic, int partitions, int timeout_ms = 15000);

}  // namespace playstream::kafka
