#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "kafka/embedded_broker.hpp"
#include "kafka/option_syntax.hpp"
#include "kafka/port_relay.hpp"
#include "util/error.hpp"

namespace playstream::cli {

Command add_broker(CLI::App& app) {
    auto port = std::make_shared<std::uint16_t>(0);
    auto topics = std::make_shared<std::vector<std::string>>();
    auto* command = app.add_subcommand(
        "broker", "Run an embedded Kafka-protocol broker (librdkafka's mock cluster) until "
                  "SIGINT/SIGTERM; prints `bootstrap: HOST:PORT` first");
    command->add_option("--port", *port, "bootstrap port on 127.0.0.1 (default: any free port)");
    command->add_option("--topic", *topics, "create topic NAME with P partitions, as NAME:P (repeatable); "
                                            "other topics are created on first use with 4");
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
        fmt::print(stderr, "broker: stopped; its topics and offsets are gone\n");
        return 0;
    }};
}

}  // namespace playstream::cli
