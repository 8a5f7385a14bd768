#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cql/bound_values.hpp"
#include "cql/primitives.hpp"
#include "cql/request/batch.hpp"
#include "cql/request/execute.hpp"
#include "cql/response/prepared.hpp"
#include "cql/value.hpp"

namespace playstream::cql::driver {

// A statement prepared on the cluster (Session::prepare).
struct PreparedStatement {
    std::string cql;
    response::Prepared prepared;  // id, the bind markers, which of them form the partition key
};

// One request to run: CQL text, or a prepared statement, with positional values (serialized as
// they are added: `Statement s(insert, {}); s.values.add(id); s.values.add(name);`).
struct Statement {
    Statement(std::string text, BoundValues bound = {}) : cql(std::move(text)), values(std::move(bound)) {}
    // Values added to an empty `bound` are serialized with room for the EXECUTE frame around
    // them, which is then written in their buffer (request::encode_execute).
    Statement(std::shared_ptr<const PreparedStatement> p, BoundValues bound)
        : prepared(std::move(p)),
          values(bound.empty() && prepared ? BoundValues(request::execute_front_room(prepared->prepared.id.size()),
                                             request::execute_back_room)
                               : std::move(bound)) {}

    std::string cql;  // empty when prepared (its text is prepared->cql)
    std::shared_ptr<const PreparedStatement> prepared;  // when set, runs as EXECUTE
    BoundValues values;
    std::optional<Consistency> consistency;  // absent: the session's default
    // Running it twice changes nothing: it may then be retried after a timeout (retry_policy.hpp).
    bool idempotent = false;
    std::int32_t page_size = 5000;
    std::optional<Bytes> paging_state;  // from the previous page's Result
    // When not empty, the statement runs as one UNLOGGED BATCH (spec 4.1.7) of `prepared`, once
    // per row: `values` then holds the rows' values back to back, each row as many as `prepared`
    // has bind markers, and `batch_ends` where each row ends (end_batch_row() after each row).
    // Rows of one partition so sent are one request, one answer and one mutation on the node
    // rather than one of each per row; the batch is routed by its first row. One buffer for the
    // rows rather than one each, which had to be allocated, zero-filled and freed.
    std::vector<request::RowEnd> batch_ends;
    void end_batch_row() { batch_ends.push_back({values.serialized().size(), values.size()}); }

    // The Murmur3 token of the partition the statement touches: known for a prepared statement
    // whose partition key columns are all bound to a value (not null or unset).
    std::optional<std::int64_t> routing_token() const;
    // The token of the partition `values`, bound to `prepared`, touch (as routing_token).
    static std::optional<std::int64_t> routing_token(const PreparedStatement& prepared, const BoundValues& values);
};

}  // namespace playstream::cql::driver
