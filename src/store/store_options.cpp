#include "store/store_options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::store {

std::vector<DatacenterFactor> parse_datacenter_factors(std::string_view text) {
    std::vector<DatacenterFactor> out;
    for (std::size_t start = 0; start <= text.size();) {
        const auto end = std::min(text.find(',', start), text.size());
        const auto part = text.substr(start, end - start);
        const auto colon = part.rfind(':');
        const auto name = part.substr(0, std::min(colon, part.size()));
        const auto digits = colon == std::string_view::npos ? std::string_view() : part.substr(colon + 1);
        int factor = 0;
        const auto [at, error] = std::from_chars(digits.data(), digits.data() + digits.size(), factor);
        const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '_' || c == '-' || c == '.';
        });
        if (!name_ok || digits.empty() || error != std::errc() || at != digits.data() + digits.size())
            throw UsageError(fmt::format("--replication: '{}' is not DATACENTER:REPLICAS (e.g. dc1:3) in '{}'", part, text));
        if (factor < 1 || factor > 100)
            throw UsageError(fmt::format("--replication: {} replicas in {}: give 1 to 100", factor, name));
        if (std::any_of(out.begin(), out.end(), [&](const auto& d) { return d.datacenter == name; }))
            throw UsageError(fmt::format("--replication: datacenter {} is given twice in '{}'", name, text));
        out.push_back({std::string(name), factor});
        start = end + 1;
    }
    return out;
}

}  // namespace playstream::store
