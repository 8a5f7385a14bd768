#include "cql/response/result.hpp"

namespace playstream::cql::response {

Result Result::decode(Decoder& d) {
    const auto kind = d.read_int();
    switch (kind) {
    case 0x0001: return {Void{}};
    case 0x0002: return {Rows::decode(d)};
    case 0x0003: return {SetKeyspace{d.read_string()}};
    case 0x0004: return {Prepared::decode(d)};
    case 0x0005: return {SchemaChange::decode(d)};
    default:
        if (d.ok()) d.fail("unknown result kind " + std::to_string(kind));
        return {Void{}};
    }
}

}  // namespace playstream::cql::response
