#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <httplib.h>

#include "http/server.hpp"
#include "metrics/endpoint.hpp"
#include "metrics/process_metrics.hpp"
#include "metrics/text_writer.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace playstream::metrics {
namespace {

// Every kind of family, with the awkward label values the escaping exists for.
std::string sample_exposition() {
    TextWriter out;
    out.counter("playstream_test_records", "Records with \"quotes\" and a \\ in the help.");
    out.value(std::uint64_t{7}, {{"reason", "not_json"}});
    out.value(std::uint64_t{0}, {{"reason", "a \"quoted\"\nline \\ value"}});
    out.gauge("playstream_test_lag_messages", "Lag.");
    out.value(12.0, {{"topic", "listens"}, {"partition", "0"}});
    out.histogram("playstream_test_latency_seconds", "Latency.");
    Histogram h(latency_buckets());
    for (double v : {0.0004, 0.003, 0.2, 20.0}) h.observe(v);
    out.observations(h.snapshot());
    write_process_metrics(out);
    return out.text();
}

TEST(Endpoint, ServesMetricsAndHealthWithNosniff) {
    std::atomic<bool> ready{false};
    auto server = serve_probes({.host = "127.0.0.1", .port = 0},
                               {.metrics = sample_exposition,
                                .unready = [&ready]() -> std::optional<std::string> {
                                    if (ready) return std::nullopt;
                                    return "store unreachable for 12 s";
                                }},
                               "test");
    ASSERT_GT(server->address().port, 0);
    httplib::Client client("127.0.0.1", server->address().port);

    auto metrics = client.Get("/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_EQ(metrics->status, 200);
    EXPECT_EQ(metrics->get_header_value("Content-Type"), text_content_type);
    EXPECT_EQ(metrics->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(metrics->body.find("playstream_test_records_total{reason=\"not_json\"} 7\n"), std::string::npos);

    auto live = client.Get("/health/live");
    ASSERT_TRUE(live);
    EXPECT_EQ(live->status, 200);
    auto unready = client.Get("/health/ready");
    ASSERT_TRUE(unready);
    EXPECT_EQ(unready->status, 503);
    EXPECT_EQ(unready->body, "store unreachable for 12 s\n");
    ready = true;
    auto now_ready = client.Get("/health/ready");
    ASSERT_TRUE(now_ready);
    EXPECT_EQ(now_ready->status, 200);

    auto missing = client.Get("/metrics.");  // a literal route, not a regular expression
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(missing->get_header_value("X-Content-Type-Options"), "nosniff");
    server->stop();
    EXPECT_FALSE(client.Get("/health/live"));
}

// Debian's promtool, Prometheus's own checker, accepts what /metrics serves.
TEST(Endpoint, PromtoolAcceptsTheExposition) {
    auto server = serve_probes({.host = "127.0.0.1", .port = 0},
                               {.metrics = sample_exposition, .unready = [] { return std::nullopt; }}, "test");
    httplib::Client client("127.0.0.1", server->address().port);
    auto metrics = client.Get("/metrics");
    ASSERT_TRUE(metrics);
    testing::ScratchDir dir;
    const std::string file = dir.file("metrics.txt");
    std::ofstream(file) << metrics->body;
    const std::string command = fmt::format("promtool check metrics < {} > {} 2>&1", file, dir.file("promtool.out"));
    const int status = std::system(command.c_str());
    std::ifstream report(dir.file("promtool.out"));
    std::string findings((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
    EXPECT_EQ(status, 0) << "promtool check metrics said:\n" << findings << "\non:\n" << metrics->body;
    EXPECT_EQ(findings, "");  // no lint findings either (naming, units, _total)
}

TEST(Endpoint, AnAddressInUseIsAnErrorNamingIt) {
    http::Server first({.host = "127.0.0.1", .port = 0});
    const http::Address bound = first.start();
    http::Server second(bound);
    try {
        second.start();
        FAIL() << "a second server bound " << bound.to_string();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(bound.to_string()), std::string::npos) << e.what();
    }
}

TEST(HttpAddress, ParsesHostPortForms) {
    EXPECT_EQ(http::parse_address("127.0.0.1:9464", "--http").to_string(), "127.0.0.1:9464");
    EXPECT_EQ(http::parse_address(":0", "--http").to_string(), "127.0.0.1:0");
    EXPECT_EQ(http::parse_address("8080", "--http").to_string(), "127.0.0.1:8080");
    EXPECT_EQ(http::parse_address("0.0.0.0:80", "--http").to_string(), "0.0.0.0:80");
    EXPECT_EQ(http::parse_address("[::1]:81", "--http").to_string(), "[::1]:81");
    EXPECT_THROW(http::parse_address("host:http", "--http"), UsageError);
    EXPECT_THROW(http::parse_address("host:70000", "--http"), UsageError);
    EXPECT_THROW(http::parse_address("::1:80", "--http"), UsageError);
    EXPECT_THROW(http::parse_address("host:", "--http"), UsageError);
}

}  // namespace
}  // namespace playstream::metrics
