#include "cli/version.hpp"

#include <string_view>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <simdjson.h>
#include <sqlite3.h>

namespace playstream::cli {

std::string_view build_version();  // generated: cmake/build_info.cpp.in
std::string_view build_commit();

namespace {
#define PLAYSTREAM_STRINGIFY_(x) #x
#define PLAYSTREAM_STRINGIFY(x) PLAYSTREAM_STRINGIFY_(x)
constexpr std::string_view simdjson_version = PLAYSTREAM_STRINGIFY(SIMDJSON_VERSION);
}  // namespace

std::string version_text() {
    return fmt::format("playstream {} (commit {})\nlibrdkafka {}\nSQLite {}\nsimdjson {} ({} kernel)", build_version(),
                       build_commit(), rd_kafka_version_str(), sqlite3_libversion(), simdjson_version,
                       simdjson::get_active_implementation()->name());
}

}  // namespace playstream::cli
