#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "metrics/histogram.hpp"
#include "metrics/process_metrics.hpp"
#include "metrics/text_writer.hpp"

namespace playstream::metrics {
namespace {

TEST(TextWriter, CounterGetsTotalAndFamilyLines) {
    TextWriter out;
    out.counter("playstream_records_stored", "Rows the store acknowledged.");
    out.value(std::uint64_t{42});
    EXPECT_EQ(out.text(),
              "# HELP playstream_records_stored_total Rows the store acknowledged.\n"
              "# TYPE playstream_records_stored_total counter\n"
              "playstream_records_stored_total 42\n");
}

TEST(TextWriter, LabelValuesAndHelpAreEscaped) {
    TextWriter out;
    out.gauge("g", "a \\ backslash\nand a newline");
    out.value(1.5, {{"path", "C:\\dir"}, {"quote", "say \"hi\"\nbye"}});
    EXPECT_EQ(out.text(),
              "# HELP g a \\\\ backslash\\nand a newline\n"
              "# TYPE g gauge\n"
              "g{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\\nbye\"} 1.5\n");
}

TEST(TextWriter, HistogramBucketsAreCumulativeAndEndWithInf) {
    Histogram h({0.1, 1, 10});
    for (double v : {0.05, 0.1, 0.5, 0.7, 5.0, 50.0}) h.observe(v);
    TextWriter out;
    out.histogram("write_seconds", "Latency.");
    out.observations(h.snapshot(), {{"store", "sqlite"}});
    EXPECT_EQ(out.text(),
              "# HELP write_seconds Latency.\n"
              "# TYPE write_seconds histogram\n"
              "write_seconds_bucket{store=\"sqlite\",le=\"0.1\"} 2\n"  // 0.1 itself is "le 0.1"
              "write_seconds_bucket{store=\"sqlite\",le=\"1\"} 4\n"
              "write_seconds_bucket{store=\"sqlite\",le=\"10\"} 5\n"
              "write_seconds_bucket{store=\"sqlite\",le=\"+Inf\"} 6\n"
              "write_seconds_sum{store=\"sqlite\"} 56.35\n"
              "write_seconds_count{store=\"sqlite\"} 6\n");
}

TEST(TextWriter, ValuesAsPrometheusParsesThem) {
    EXPECT_EQ(format_value(3), "3");
    EXPECT_EQ(format_value(-2), "-2");
    EXPECT_EQ(format_value(0.25), "0.25");
    EXPECT_EQ(format_value(1e300), "1e+300");
    EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(TextWriter, NamingRulesAreEnforced) {
    TextWriter out;
    EXPECT_THROW(out.counter("sent_total", "a counter's name comes without _total"), std::invalid_argument);
    out.counter("sent", "a counter");
    EXPECT_THROW(out.gauge("sent_total", "the counter's family"), std::invalid_argument);
    EXPECT_THROW(out.gauge("9lives", "starts with a digit"), std::invalid_argument);
    EXPECT_THROW(out.gauge("a-b", "a dash"), std::invalid_argument);
    EXPECT_THROW(out.histogram("x_count", "reserved suffix"), std::invalid_argument);
    out.gauge("ok:name_1", "colons are allowed in metric names");
    EXPECT_THROW(out.value(1.0, {{"__reserved", "x"}}), std::invalid_argument);
    EXPECT_THROW(out.value(1.0, {{"a:b", "x"}}), std::invalid_argument);
    EXPECT_THROW(out.observations(Histogram({1}).snapshot()), std::invalid_argument);  // not a histogram family
    EXPECT_THROW(out.gauge("ok:name_1", "twice"), std::invalid_argument);
    out.histogram("h", "a histogram");
    EXPECT_THROW(out.observations(Histogram({1}).snapshot(), {{"le", "1"}}), std::invalid_argument);
    EXPECT_THROW(out.value(1.0), std::invalid_argument);
}

TEST(Histogram, RejectsUnsortedOrInfiniteBounds) {
    EXPECT_THROW(Histogram({1, 1}), std::invalid_argument);
    EXPECT_THROW(Histogram({2, 1}), std::invalid_argument);
    EXPECT_THROW(Histogram({1, std::numeric_limits<double>::infinity()}), std::invalid_argument);
}

TEST(ProcessMetrics, StandardFamiliesFromProc) {
    TextWriter out;
    write_process_metrics(out);
    const std::string& text = out.text();
    for (const char* sample : {"process_cpu_seconds_total ", "process_resident_memory_bytes ",
                               "process_virtual_memory_bytes ", "process_open_fds ", "process_max_fds ",
                               "process_start_time_seconds "}) {
        EXPECT_NE(text.find(std::string("\n") + sample), std::string::npos) << sample << " missing in\n" << text;
    }
    // Started within the last day, resident size of at least a megabyte.
    auto value_of = [&text](const std::string& name) {
        auto at = text.find("\n" + name + " ");
        return std::stod(text.substr(at + name.size() + 2));
    };
    const double now = static_cast<double>(std::time(nullptr));
    EXPECT_LE(value_of("process_start_time_seconds"), now + 2);
    EXPECT_GT(value_of("process_start_time_seconds"), now - 86400);
    EXPECT_GT(value_of("process_resident_memory_bytes"), 1e6);
    EXPECT_GE(value_of("process_open_fds"), 3);
}

}  // namespace
}  // namespace playstream::metrics
