#include "util/fault_point.hpp"

#ifdef PLAYSTREAM_FAULT_INJECTION

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace playstream::util::fault_detail {

namespace {

struct Armed {
    std::string point;  // empty: nothing armed
    long at = 0;        // die the at-th time point is reached
    std::atomic<long> reached{0};

    Armed() {
        const char* spec = std::getenv("PLAYSTREAM_FAULT");
        if (spec == nullptr || *spec == '\0') return;
        std::string s(spec);
        auto colon = s.rfind(':');
        const char* end = s.data() + s.size();
        if (colon == std::string::npos || colon == 0 ||
            std::from_chars(s.data() + colon + 1, end, at).ptr != end || at < 1) {
            std::fprintf(stderr, "playstream: PLAYSTREAM_FAULT: expected POINT:N (N >= 1), got '%.80s'\n", spec);
            std::_Exit(2);
        }
        point = s.substr(0, colon);
        std::fprintf(stderr, "playstream: fault injection armed: SIGKILL at %s, time %ld\n", point.c_str(), at);
    }
};

// Initialised before main, so a binary with the hook says so even if no point is ever reached.
Armed armed;
// Process-wide, not per thread: a point reached on another thread while the scope lives (SQLite's
// writer thread, the driver's I/O thread finishing a batch the revocation waits for) is inside it.
std::atomic<const char*> scope{nullptr};

}  // namespace

void reach(const char* point) {
    if (armed.point.empty()) return;
    const char* in = scope.load();
    std::string name = in != nullptr ? std::string(in) + "." + point : std::string(point);
    if (name != armed.point || armed.reached.fetch_add(1) + 1 != armed.at) return;
    std::fprintf(stderr, "playstream: fault injection: SIGKILL at %s (time %ld)\n", name.c_str(), armed.at);
    std::raise(SIGKILL);
}

bool holds_batches() { return armed.point.starts_with("revoke."); }

const char* push_scope(const char* s) {
    return scope.exchange(s);
}

void pop_scope(const char* previous) { scope = previous; }

}  // namespace playstream::util::fault_detail

namespace playstream::util {

bool fault_holds_batches() { return fault_detail::holds_batches(); }

}  // namespace playstream::util

#endif
