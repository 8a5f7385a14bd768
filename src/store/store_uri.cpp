#include "store/store_uri.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

#include "cql/driver/endpoint.hpp"
#include "util/error.hpp"

namespace playstream::store {
namespace {

bool is_identifier(std::string_view s) {
    return !s.empty() && s.size() <= 48 && !std::isdigit(static_cast<unsigned char>(s[0])) &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// The part of `cassandra://HOST[:PORT][,HOST...]/KEYSPACE` after the scheme.
CassandraAddress parse_cassandra_address(std::string_view uri, std::string_view rest) {
    const auto bad = [&](std::string_view why) {
        return UsageError(fmt::format("store '{}': expected cassandra://HOST[:PORT][,HOST...]/KEYSPACE ({})", uri, why));
    };
    auto slash = rest.find('/');
    CassandraAddress address;
    if (slash != std::string_view::npos) address.keyspace = rest.substr(slash + 1);
    const std::string_view hosts = rest.substr(0, slash);
    for (std::size_t start = 0; start <= hosts.size();) {
        auto comma = std::min(hosts.find(',', start), hosts.size());
        if (comma > start) address.contact_points.emplace_back(hosts.substr(start, comma - start));
        start = comma + 1;
    }
    if (address.contact_points.empty() || !is_identifier(address.keyspace))
        throw bad("keyspace: letters, digits, _");
    for (const auto& point : address.contact_points) {
        try {
            cql::driver::parse_endpoint(point, 9042);
        } catch (const std::invalid_argument& e) {
            throw bad(e.what());
        }
    }
    return address;
}

}  // namespace

StoreLocation parse_store_uri(std::string_view uri) {
    constexpr std::string_view sqlite = "sqlite:";
    constexpr std::string_view cassandra = "cassandra://";
    if (uri.starts_with(sqlite) && uri.size() > sqlite.size()) {
        return SqliteLocation{std::string(uri.substr(sqlite.size()))};
    }
    if (uri.starts_with(cassandra)) return parse_cassandra_address(uri, uri.substr(cassandra.size()));
    throw UsageError(fmt::format("store '{}': expected sqlite:PATH or cassandra://HOST[:PORT][,HOST...]/KEYSPACE", uri));
}

}  // namespace playstream::store
