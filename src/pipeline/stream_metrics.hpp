#pragma once

#include <string>

#include "pipeline/status_board.hpp"

namespace playstream::pipeline {

// The /metrics text of `stream`: the playstream_* families of `status`, then process_*.
// Labels stay bounded: reason (a fixed set), topic and partition, node (the store's nodes).
std::string stream_metrics_text(const JobStatus& status);

}  // namespace playstream::pipeline
