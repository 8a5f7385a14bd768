#include "cql/request/startup.hpp"

namespace playstream::cql::request {

void Startup::encode_body(Encoder& e) const {
    StringMap options{{"CQL_VERSION", cql_version}};
    if (compression) options.emplace("COMPRESSION", *compression);
    e.write_string_map(options);
}

}  // namespace playstream::cql::request
