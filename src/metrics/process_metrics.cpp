#include "metrics/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace playstream::metrics {
namespace {

// The fields of /proc/self/stat after the command name (which may hold spaces and parentheses,
// so it is skipped up to its last ')'): [0] is field 3 (state) of proc(5).
std::vector<std::string> stat_fields() {
    std::ifstream in("/proc/self/stat");
    std::string line;
    std::getline(in, line);
    auto close = line.rfind(')');
    if (close == std::string::npos) return {};
    std::istringstream rest(line.substr(close + 1));
    std::vector<std::string> fields;
    for (std::string field; rest >> field;) fields.push_back(field);
    return fields;
}

// Boot time in seconds since the epoch: `btime` in /proc/stat.
double boot_time() {
    std::ifstream in("/proc/stat");
    for (std::string key; in >> key;) {
        if (key == "btime") {
            double t = 0;
            in >> t;
            return t;
        }
        in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return 0;
}

}  // namespace

void write_process_metrics(TextWriter& out) {
    const std::vector<std::string> stat = stat_fields();
    auto field = [&stat](std::size_t number) { return std::stod(stat.at(number - 3)); };  // proc(5) numbering
    if (stat.size() >= 22) {
        const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
        const auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
        out.counter("process_cpu_seconds", "Total user and system CPU time spent in seconds.");
        out.value((field(14) + field(15)) / ticks);
        out.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        out.value(field(23));
        out.gauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        out.value(field(24) * page);
        if (double boot = boot_time(); boot > 0) {
            out.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
            out.value(boot + field(22) / ticks);
        }
    }
    std::error_code error;
    std::uint64_t fds = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end; it.increment(error)) ++fds;
    if (!error) {
        out.gauge("process_open_fds", "Number of open file descriptors.");
        out.value(fds);
    }
    if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        out.gauge("process_max_fds", "Maximum number of open file descriptors.");
        out.value(limit.rlim_cur == RLIM_INFINITY ? -1.0 : static_cast<double>(limit.rlim_cur));
    }
}

}  // namespace playstream::metrics
