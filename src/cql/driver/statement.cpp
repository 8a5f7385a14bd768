#include "cql/driver/statement.hpp"

#include <array>
#include <span>

#include "cql/driver/murmur3.hpp"

namespace playstream::cql::driver {

std::optional<std::int64_t> Statement::routing_token() const {
    if (!prepared) return std::nullopt;
    return routing_token(*prepared, values);  // a batch's first row's values come first
}

std::optional<std::int64_t> Statement::routing_token(const PreparedStatement& prepared, const BoundValues& values) {
    if (prepared.prepared.pk_indexes.empty()) return std::nullopt;
    // On the stack for the usual few key columns: this runs for every statement.
    const auto& pk = prepared.prepared.pk_indexes;
    std::array<ByteView, 8> few;
    std::vector<ByteView> many(pk.size() > few.size() ? pk.size() : 0);
    const std::span<ByteView> components = many.empty() ? std::span(few).first(pk.size()) : std::span(many);
    for (std::size_t i = 0; i < pk.size(); ++i) {
        const auto bytes = pk[i] < values.size() ? values.cell(pk[i]) : std::nullopt;
        if (!bytes) return std::nullopt;
        components[i] = *bytes;
    }
    if (components.size() == 1) return murmur3_token(components[0]);
    // A composite key (ours: name, date, hour) is laid out on the stack when it fits.
    std::array<std::uint8_t, 256> small;
    const std::size_t size = routing_key_size(components);
    if (size > small.size()) return murmur3_token(routing_key(components));
    write_routing_key(components, small.data());
    return murmur3_token(ByteView(small.data(), size));
}

}  // namespace playstream::cql::driver
