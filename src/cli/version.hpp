#pragma once

#include <string>

namespace playstream::cli {

// What `playstream --version` prints: our version and commit, then the versions of the
// libraries the process runs with (the shared libraries loaded, not the headers built against,
// where the library can say: simdjson can only say the version built against and the kernel it
// picked for this CPU).
std::string version_text();

}  // namespace playstream::cli
