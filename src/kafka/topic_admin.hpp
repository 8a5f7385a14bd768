#pragma once

#include <string>

#include <librdkafka/rdkafka.h>

namespace playstream::kafka {

// Creates `topic` with `partitions` partitions (the broker's default replication factor) unless it
// exists already; an existing topic is left as it is, with a note on stderr if its partition count
// differs. Uses the handle's own connections; waits up to `timeout_ms`. Throws playstream::Error
// when the topic cannot be created (librdkafka's embedded broker does not implement
// CreateTopics: `playstream broker --topic NAME:P` creates topics there).
void ensure_topic(rd_kafka_t* rk, const std::string& topic, int partitions, int timeout_ms = 10000);

}  // namespace playstream::kafka
