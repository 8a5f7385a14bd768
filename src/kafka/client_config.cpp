#include "kafka/client_config.hpp"

#include <array>

#include <fmt/format.h>

#include "util/error.hpp"

namespace playstream::kafka {

rd_kafka_conf_t* make_conf(const Settings& settings) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    std::array<char, 512> err{};
    for (const auto& [key, value] : settings) {
        if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err.data(), err.size()) !=
            RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            throw Error(fmt::format("kafka setting {}={}: {}", key, value, err.data()));
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
