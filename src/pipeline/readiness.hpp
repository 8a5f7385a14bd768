#pragma once

#include <optional>
#include <string>

#include "pipeline/status_board.hpp"

namespace playstream::pipeline {

// Why `stream` cannot do its work now, in one line ("store unreachable for 12 s"), or nullopt
// when it can: the store answers (no write failing, none hanging 5 s, a node connected), a
// broker is up, and the consumer is in its group, holding partitions or waiting there by
// design (more members than partitions). `write_since`: the store write in progress, if any.
std::optional<std::string> unready_reason(const JobStatus& status,
                                          std::optional<JobStatus::Clock::time_point> write_since,
                                          JobStatus::Clock::time_point now);

}  // namespace playstream::pipeline
