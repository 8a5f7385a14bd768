#include "cql/driver/statement.hpp"

#include "cql/driver/murmur3.hpp"

namespace playstream::cql::driver {

std::optional<std::int64_t> Statement::routing_token() const {
    if (!prepared || prepared->prepared.pk_indexes.empty()) return std::nullopt;
    std::vector<ByteView> components;
    for (const auto index : prepared->prepared.pk_indexes) {
        const auto* bytes = index < values.size() ? std::get_if<Bytes>(&values[index]) : nullptr;
        if (!bytes) return std::nullopt;
        components.emplace_back(*bytes);
    }
    return murmur3_token(routing_key(components));
}

}  // namespace playstream::cql::driver
