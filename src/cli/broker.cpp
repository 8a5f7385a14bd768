#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/ranged.hpp"
#include "kafka/embedded_broker.hpp"
#include "kafka/option_syntax.hpp"
#include "kafka/port_relay.hpp"
#include "util/log.hpp"

namespace playstream::cli {

namespace {

// NAME:P with P in 1..10000; rewritten with P in plain decimal.
std::string check_topic(std::string& spec) {
    const auto colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0) return "expected NAME:PARTITIONS, got " + excerpt(spec);
    std::string partitions;
    std::string why = check_integer(spec.substr(colon + 1), 1, 10000, partitions);
    if (!why.empty()) return "partitions of " + excerpt(spec.substr(0, colon)) + ": " + why;
    spec = spec.substr(0, colon + 1) + partitions;
    return {};
}

}  // namespace

Command add_broker(CLI::App& app) {
    auto port = std::make_shared<std::uint16_t>(0);
    auto topics = std::make_shared<std::vector<std::string>>();
    auto* command = app.add_subcommand(
        "broker", "Run an embedded Kafka-protocol broker (librdkafka's mock cluster) until "
                  "SIGINT/SIGTERM; prints `bootstrap: HOST:PORT` first");
    add_integer(*command, "--port", *port, 0, 65535, "bootstrap port on 127.0.0.1 (0: any free port)")
        ->capture_default_str();
    command->add_option("--topic", *topics, "create topic NAME with P partitions, as NAME:P (repeatable); "
                                            "other topics are created on first use with 4")
        ->transform(CLI::Validator(check_topic, "NAME:1..10000"));
    return {command, [port, topics] {
        const auto& stop = stop_on_signals();
        kafka::EmbeddedBroker broker;
        for (const std::string& spec : *topics) {
            const auto topic = kafka::parse_topic_spec(spec);
            broker.create_topic(topic.name, topic.partitions);
        }
        std::string bootstrap = broker.bootstraps();
        std::unique_ptr<kafka::PortRelay> relay;
        if (*port != 0) {
            auto colon = bootstrap.rfind(':');
            auto upstream = static_cast<std::uint16_t>(std::stoi(bootstrap.substr(colon + 1)));
            relay = std::make_unique<kafka::PortRelay>(*port, bootstrap.substr(0, colon), upstream);
            bootstrap = fmt::format("127.0.0.1:{}", relay->port());
        }
        fmt::print("bootstrap: {}\n", bootstrap);
        std::fflush(stdout);
        while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        log::info("broker", "stopped; its topics and offsets are gone");
        return 0;
    }};
}

}  // namespace playstream::cli
