#include "migrate/state.hpp"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/escape.hpp"

namespace playstream::migrate {

void save_state(const std::string& path, const MigrationState& state) {
    std::string text = fmt::format(
        "from {}\nto {}\nposition {}\nfinished {}\nread {}\nwritten {}\nrejected {}\nrejects_bytes {}\n"
        "partitions_checked {}\npartitions_mismatched {}\n",
        state.from, state.to, state.position, state.finished ? 1 : 0, state.counts.read, state.counts.written,
        state.counts.rejected, state.rejects_bytes, state.counts.partitions_checked,
        state.counts.partitions_mismatched);
    for (const auto& [reason, n] : state.counts.rejected_by_reason) text += fmt::format("reason.{} {}\n", reason, n);
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw Error(fmt::format("{}: cannot write the migration state", temporary));
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) throw Error(fmt::format("{}: cannot write the migration state: {}", path, error.message()));
}

MigrationState load_state(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("{}: no migration state to resume from (run without --resume first)", path));
    MigrationState state;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const auto space = line.find(' ');
        const std::string key = line.substr(0, space);
        const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        auto count = [&]() -> std::uint64_t {
            std::uint64_t n = 0;
            if (std::sscanf(value.c_str(), "%" SCNu64, &n) != 1) {
                throw Error(fmt::format("{}:{}: {} is not a count: {}", path, number, key, escape_for_log(value)));
            }
            return n;
        };
        if (key == "from") state.from = value;
        else if (key == "to") state.to = value;
        else if (key == "position") state.position = value;
        else if (key == "finished") state.finished = count() != 0;
        else if (key == "read") state.counts.read = count();
        else if (key == "written") state.counts.written = count();
        else if (key == "rejected") state.counts.rejected = count();
        else if (key == "rejects_bytes") state.rejects_bytes = count();
        else if (key == "partitions_checked") state.counts.partitions_checked = count();
        else if (key == "partitions_mismatched") state.counts.partitions_mismatched = count();
        else if (key.rfind("reason.", 0) == 0) state.counts.rejected_by_reason[key.substr(7)] = count();
        else throw Error(fmt::format("{}:{}: not a migration state line: {}", path, number, escape_for_log(line)));
    }
    if (state.from.empty() || state.position.empty()) throw Error(fmt::format("{}: not a migration state file", path));
    return state;
}

}  // namespace playstream::migrate
