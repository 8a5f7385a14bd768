#include "cql/driver/topology.hpp"

#include <charconv>

#include "cql/decoder.hpp"
#include "cql/driver/answer.hpp"
#include "cql/driver/connection.hpp"
#include "cql/driver/errors.hpp"
#include "cql/error.hpp"
#include "cql/request/query.hpp"

namespace playstream::cql::driver {
namespace {

// The rows of a system table, read by column name.
class SystemRows {
public:
    SystemRows(Connection& c, const std::string& cql) : host_(c.host()) {
        request::Query q{cql, {}};
        q.params.consistency = Consistency::One;
        rows_ = expect_answer<response::Rows>(call(c, q), host_, "'" + cql + "'");
    }

    std::size_t size() const { return rows_.row_count(); }

    template <class T>
    std::optional<T> get(std::size_t row, std::string_view name) const {
        const auto i = column(name);
        return from_cell<T>(rows_.metadata.columns[i].type, rows_.cell(row, i));
    }

    // An inet column as text; std::nullopt for null or the wildcard address.
    std::optional<std::string> address(std::size_t row, std::string_view name) const {
        const auto cell = rows_.cell(row, column(name));
        if (!cell) return std::nullopt;
        auto text = address_text(*cell);
        if (!text) {
            throw ProtocolError(host_ + ": an inet of " + std::to_string(cell->size()) + " bytes in column " +
                                std::string(name));
        }
        // The wildcard address: the node gave no address of its own.
        if (*text == "0.0.0.0" || *text == "::") return std::nullopt;
        return text;
    }

    // A set<text> of tokens, each a decimal int64.
    std::vector<std::int64_t> tokens(std::size_t row) const {
        std::vector<std::int64_t> out;
        const auto cell = rows_.cell(row, column("tokens"));
        if (!cell) return out;
        Decoder d(*cell);
        const auto n = d.read_count(4, "token");
        for (std::size_t i = 0; i < n && d.ok(); ++i) {
            const auto text = d.read_bytes();
            std::int64_t t = 0;
            if (!text || std::from_chars(reinterpret_cast<const char*>(text->data()),
                                         reinterpret_cast<const char*>(text->data() + text->size()), t)
                                 .ec != std::errc())
                d.fail("a token that is not a 64-bit integer (is the partitioner Murmur3Partitioner?)");
            out.push_back(t);
        }
        if (!d.ok()) throw ProtocolError(host_ + ": tokens column: " + d.error());
        return out;
    }

private:
    std::size_t column(std::string_view name) const {
        const auto& cols = rows_.metadata.columns;
        for (std::size_t i = 0; i < cols.size(); ++i)
            if (cols[i].name == name) return i;
        throw ProtocolError(host_ + ": system table rows without column " + std::string(name));
    }

    std::string host_;
    response::Rows rows_;
};

NodeInfo node_of(const SystemRows& rows, std::size_t row, Endpoint endpoint) {
    return {std::move(endpoint), rows.get<std::string>(row, "data_center").value_or(""),
            rows.get<std::string>(row, "rack").value_or(""), {}};
}

bool is_unconfigured_table(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const ServerError& s) {
        return s.code() == response::ErrorCode::Invalid;
    } catch (...) {
        return false;
    }
}

}  // namespace

Topology discover_topology(Connection& c, const Endpoint& contact) {
    Topology topology;
    const SystemRows local(c, "SELECT data_center, rack, tokens, partitioner FROM system.local WHERE key = 'local'");
    if (local.size() != 1) throw ConnectionError(c.host(), "system.local has no row", true);
    topology.partitioner = local.get<std::string>(0, "partitioner").value_or("");
    const bool murmur3 = topology.partitioner == murmur3_partitioner;
    topology.nodes.push_back(node_of(local, 0, contact));
    if (murmur3) topology.nodes.back().tokens = local.tokens(0);

    std::optional<SystemRows> peers;
    bool v2 = true;
    try {
        peers.emplace(c, "SELECT peer, native_address, native_port, data_center, rack, tokens FROM system.peers_v2");
    } catch (...) {
        if (!is_unconfigured_table(std::current_exception())) throw;
        v2 = false;
        peers.emplace(c, "SELECT peer, rpc_address, data_center, rack, tokens FROM system.peers");
    }
    for (std::size_t row = 0; row < peers->size(); ++row) {
        auto host = peers->address(row, v2 ? "native_address" : "rpc_address");
        if (!host) host = peers->address(row, "peer");
        if (!host) continue;  // a peer with no address cannot be reached
        const auto port = v2 ? peers->get<std::int32_t>(row, "native_port") : std::nullopt;
        topology.nodes.push_back(
            node_of(*peers, row, Endpoint{*host, port ? static_cast<std::uint16_t>(*port) : contact.port}));
        if (murmur3) topology.nodes.back().tokens = peers->tokens(row);
    }
    return topology;
}

}  // namespace playstream::cql::driver
