#pragma once

#include "metrics/text_writer.hpp"

namespace playstream::metrics {

// The standard process_* families of Prometheus's client libraries, read from /proc/self:
// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds. Families whose source cannot
// be read (not Linux) are left out rather than reported as zero.
void write_process_metrics(TextWriter& out);

}  // namespace playstream::metrics
