#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

namespace playstream::kafka {

struct HandleDeleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;

struct PartitionListDeleter {
    void operator()(rd_kafka_topic_partition_list_t* l) const {
        rd_kafka_topic_partition_list_destroy(l);
    }
};
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

using Settings = std::vector<std::pair<std::string, std::string>>;

// Builds a librdkafka configuration; an unknown key or bad value throws playstream::Error naming it.
rd_kafka_conf_t* make_conf(const Settings& settings);

// Whether a client error (librdkafka's error callback) is a security setting that retrying cannot
// fix, so the command should stop with it: the credentials were rejected, the broker's
// certificate was refused (unknown CA, expired, another host's), or TLS met a plaintext listener.
bool is_security_failure(rd_kafka_resp_err_t code, std::string_view reason);

// Creates a client handle from `conf` (which it takes over).
HandlePtr make_handle(rd_kafka_type_t type, rd_kafka_conf_t* conf);

}  // namespace playstream::kafka
