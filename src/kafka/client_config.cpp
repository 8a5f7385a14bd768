#include "kafka/client_config.hpp"

#include <array>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/log.hpp"

namespace playstream::kafka {
namespace {

// librdkafka's reason, with the value cut out wherever it stands as a whole word: a mistyped key
// such as `sasl.pasword` may hold a password, and no error message echoes one.
std::string without_value(std::string reason, const std::string& value) {
    if (value.empty()) return reason;
    static constexpr std::string_view hidden = "(value not shown)";
    const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    for (auto at = reason.find(value); at != std::string::npos;) {
        const std::size_t end = at + value.size();
        if ((at > 0 && word(reason[at - 1]) && word(value.front())) ||
            (end < reason.size() && word(reason[end]) && word(value.back()))) {
            at = reason.find(value, at + 1);
            continue;
        }
        reason.replace(at, value.size(), hidden);
        at = reason.find(value, at + hidden.size());
    }
    return reason;
}

// librdkafka's own lines (syslog levels), as JSON lines when the process writes JSON; in text they
// keep librdkafka's format.
void to_log(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
    const log::Level ours = level <= 3 ? log::Level::Error : level == 4 ? log::Level::Warn : log::Level::Info;
    log::write(ours, "kafka", message, {{"facility", facility}, {"client", rd_kafka_name(rk)}});
}

}  // namespace

bool is_security_failure(rd_kafka_resp_err_t code, std::string_view reason) {
    if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION) return true;
    // Other SSL errors (a broker that went away mid-handshake) are worth retrying.
    return code == RD_KAFKA_RESP_ERR__SSL && (reason.find("certificate verify failed") != std::string_view::npos ||
                                             reason.find("wrong version number") != std::string_view::npos);
}

rd_kafka_conf_t* make_conf(const Settings& settings) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    if (log::format() == log::Format::Json) rd_kafka_conf_set_log_cb(conf, to_log);
    std::array<char, 512> err{};
    for (const auto& [key, value] : settings) {
        if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err.data(), err.size()) !=
            RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            throw Error(fmt::format("kafka setting '{}': {}", key, without_value(err.data(), value)));
        }
    }
    return conf;
}

HandlePtr make_handle(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
    std::array<char, 512> err{};
    rd_kafka_t* rk = rd_kafka_new(type, conf, err.data(), err.size());
    if (rk == nullptr) {
        rd_kafka_conf_destroy(conf);
        throw Error(fmt::format("cannot create kafka client: {}", err.data()));
    }
    return HandlePtr(rk);
}

}  // namespace playstream::kafka
