#pragma once

#include <string>

#include "kafka/producer.hpp"
#include "loadgen/load_run.hpp"

namespace playstream::loadgen {

// The /metrics text of `produce`: events sent, delivered and failed, delivery latency, the
// target and actual rates, then process_*. Safe to call while run_load runs on another thread.
std::string load_metrics_text(const kafka::Producer& producer, const LoadStatus& status, double target_rate);

}  // namespace playstream::loadgen
