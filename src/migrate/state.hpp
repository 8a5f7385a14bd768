#pragma once

#include <cstdint>
#include <string>

#include "migrate/migration.hpp"

namespace playstream::migrate {

// What `migrate --resume` needs: where the finished ranges end, the counts so far, and how long
// the rejects file was then (rows of a range cut short are rejected again, not twice).
struct MigrationState {
    std::string from, to;
    std::string position;
    MigrateCounts counts;
    std::uint64_t rejects_bytes = 0;
    bool finished = false;
};

// One "key value" line each. save_state replaces the file atomically (written beside, renamed).
void save_state(const std::string& path, const MigrationState& state);
// Throws Error naming the file (and line) when it is missing or not a state file.
MigrationState load_state(const std::string& path);

}  // namespace playstream::migrate
