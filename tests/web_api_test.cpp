// The JSON API of `serve` over an SQLite store: the answers `playstream query` gives, 400s naming
// the parameter, the listening index written with each batch, the pipeline scrape arithmetic.
#include <gtest/gtest.h>

#include "events/timestamp.hpp"
#include "http/server.hpp"
#include "query/format.hpp"
#include "store/listen_index.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"
#include "web/api.hpp"
#include "web/page.hpp"
#include "web/pipeline_monitor.hpp"

namespace playstream {
namespace {

class WebApiTest : public ::testing::Test {
protected:
    testing::ScratchDir dir;
    catalog::Catalog catalog = testing::small_catalog();
    std::unique_ptr<web::Api> api;

    model::EnrichedRow row(std::int64_t id, const std::string& name, const std::string& time, std::size_t song) {
        model::EnrichedRow r;
        r.id = id;
        r.name = name;
        EXPECT_TRUE(events::parse_timestamp(time, r.time_ms));
        events::derive_date_hour(r.time_ms, r.date, r.hour);
        r.song = &catalog.songs()[song];
        return r;
    }

    void SetUp() override {
        store::SqliteStore writer(dir.file("t.db"));
        writer.ensure_schema();
        std::vector rows{row(1, "Ada", "2024-03-03 10:05", 0),  row(2, "Ada", "2024-03-03 10:59", 2),
                         row(3, "Ada", "2024-03-03 23:00", 1),  row(4, "Adam", "2024-03-03 10:30", 1),
                         row(5, "Ada", "2024-03-04 00:30", 1),  row(6, "<img src=x onerror=alert(1)>", "2024-03-03 01:00", 2),
                         row(7, "Bo", "2024-03-03 10:30", 1)};
        writer.write(rows);
        writer.write(std::span(rows).first(2));  // a batch written again: nothing twice in the index
        api = std::make_unique<web::Api>(std::make_unique<store::SqliteStore>(dir.file("t.db"), false), nullptr);
    }

    http::Reply get(query::Kind kind, std::multimap<std::string, std::string> params) {
        return api->query(kind, {.path = "/api/x", .params = std::move(params)});
    }
    // What `playstream query KIND --format json` prints for the same arguments.
    std::string cli_json(query::Kind kind, const query::Params& params) {
        store::SqliteStore store(dir.file("t.db"), false);
        query::check(kind, params, query::option_names);
        return query::render(query::run(store, kind, params), query::Format::Json);
    }
};

TEST_F(WebApiTest, AnswersAsPlaystreamQueryDoes) {
    struct Case {
        query::Kind kind;
        std::multimap<std::string, std::string> url;
        query::Params cli;
    };
    const std::vector<Case> cases{
        {query::Kind::Songs, {{"user", "Ada"}, {"date", "2024-03-03"}, {"hour", "10"}},
         {.user = "Ada", .date = "2024-03-03", .hour = 10}},
        {query::Kind::Stats, {{"user", "Ada"}, {"date", "2024-03-03"}, {"hour", "10"}},
         {.user = "Ada", .date = "2024-03-03", .hour = 10}},
        {query::Kind::Sample, {{"limit", "3"}}, {.limit = 3}},
        {query::Kind::Users, {{"prefix", "Ad"}}, {.prefix = "Ad", .limit = 20}},
        {query::Kind::Dates, {{"user", "Ada"}}, {.user = "Ada"}},
        {query::Kind::Hours, {{"user", "Ada"}, {"date", "2024-03-03"}}, {.user = "Ada", .date = "2024-03-03"}},
    };
    for (const Case& c : cases) {
        http::Reply reply = get(c.kind, c.url);
        SCOPED_TRACE(std::string(query::to_string(c.kind)));
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.content_type, "application/json; charset=utf-8");
        EXPECT_EQ(reply.body, cli_json(c.kind, c.cli));
    }
}

TEST_F(WebApiTest, IndexFindsUsersByPrefixAndTheirDaysAndHours) {
    EXPECT_EQ(get(query::Kind::Users, {{"prefix", "Ad"}}).body,
              "[\n  {\"name\": \"Ada\"},\n  {\"name\": \"Adam\"}\n]\n");
    EXPECT_EQ(get(query::Kind::Users, {{"prefix", "Ada"}, {"limit", "1"}}).body, "[\n  {\"name\": \"Ada\"}\n]\n");
    EXPECT_EQ(get(query::Kind::Users, {{"prefix", "Z"}}).body, "[]\n");
    EXPECT_EQ(get(query::Kind::Users, {{"prefix", "<"}}).body,
              "[\n  {\"name\": \"<img src=x onerror=alert(1)>\"}\n]\n");
    EXPECT_EQ(get(query::Kind::Dates, {{"user", "Ada"}}).body,
              "[\n  {\"date\": \"2024-03-03\", \"hours\": 2},\n  {\"date\": \"2024-03-04\", \"hours\": 1}\n]\n");
    const std::string hours = get(query::Kind::Hours, {{"user", "Ada"}, {"date", "2024-03-03"}}).body;
    EXPECT_NE(hours.find("{\"hour\": 10, \"listens\": 2}"), std::string::npos) << hours;
    EXPECT_NE(hours.find("{\"hour\": 23, \"listens\": 1}"), std::string::npos) << hours;
    EXPECT_NE(hours.find("{\"hour\": 0, \"listens\": 0}"), std::string::npos) << hours;
    EXPECT_EQ(std::count(hours.begin(), hours.end(), '{'), 24);
}

TEST_F(WebApiTest, BadParametersAre400NamingTheParameter) {
    struct Case {
        query::Kind kind;
        std::multimap<std::string, std::string> url;
        std::string parameter;
    };
    const std::vector<Case> cases{
        {query::Kind::Songs, {{"date", "2024-03-03"}, {"hour", "10"}}, "user"},
        {query::Kind::Songs, {{"user", "Ada"}, {"date", "2024-02-30"}, {"hour", "10"}}, "date"},
        {query::Kind::Stats, {{"user", "Ada"}, {"date", "2024-03-03"}, {"hour", "24"}}, "hour"},
        {query::Kind::Stats, {{"user", "Ada"}, {"date", "2024-03-03"}, {"hour", "1x"}}, "hour"},
        {query::Kind::Stats, {{"user", "Ada"}, {"date", "2024-03-03"}}, "hour"},
        {query::Kind::Sample, {{"limit", "0"}}, "limit"},
        {query::Kind::Sample, {{"limit", "-5"}}, "limit"},
        {query::Kind::Users, {}, "prefix"},
        {query::Kind::Users, {{"prefix", "A"}, {"prefix", "B"}}, "prefix"},
        {query::Kind::Hours, {{"user", "Ada"}, {"date", "03/03/2024"}}, "date"},
    };
    for (const Case& c : cases) {
        http::Reply reply = get(c.kind, c.url);
        SCOPED_TRACE(reply.body);
        EXPECT_EQ(reply.status, 400);
        EXPECT_EQ(reply.content_type, "application/json; charset=utf-8");
        EXPECT_NE(reply.body.find(fmt::format("\"parameter\": \"{}\"", c.parameter)), std::string::npos);
    }
}

TEST_F(WebApiTest, AStoreThatCannotAnswerIs500WithItsError) {
    // A file without the index tables (a database of an older playstream): the error, as JSON.
    store::SqliteStore bare(dir.file("bare.db"));
    web::Api bare_api(std::make_unique<store::SqliteStore>(dir.file("bare.db"), false), nullptr);
    http::Reply reply = bare_api.query(query::Kind::Users, {.path = "/api/users", .params = {{"prefix", "A"}}});
    EXPECT_EQ(reply.status, 500);
    EXPECT_NE(reply.body.find("\"error\": \"sqlite:"), std::string::npos) << reply.body;
}

TEST(ListenIndex, OneEntryPerDistinctUserAndUserHourNotYetStored) {
    catalog::Catalog catalog = testing::small_catalog();
    auto batch = [&](std::vector<const char*> names, std::vector<int> hours) {
        std::vector<model::EnrichedRow> rows(names.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i] = {.id = static_cast<std::int64_t>(i), .name = names[i], .date = "2024-01-01", .hour = hours[i],
                       .time_ms = 0, .song = &catalog.songs()[0]};
        }
        return rows;
    };
    store::WrittenIndex written;
    const auto first = batch({"b", "a", "b", "b", "a"}, {1, 2, 1, 3, 2});
    store::IndexEntries entries = written.unwritten(first);
    EXPECT_EQ(entries.users, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(entries.hours.size(), 3u);
    EXPECT_EQ(entries.hours[0].name, "a");
    EXPECT_EQ(entries.hours[2].hour, 3);
    // Not acknowledged yet: asked again, the same entries.
    EXPECT_EQ(written.unwritten(first).hours.size(), 3u);
    written.remember(entries);
    EXPECT_TRUE(written.unwritten(first).users.empty());
    EXPECT_TRUE(written.unwritten(first).hours.empty());
    // Only what is new: user c, and b's hour 4 (b itself is known).
    entries = written.unwritten(batch({"b", "c", "a"}, {4, 1, 2}));
    EXPECT_EQ(entries.users, (std::vector<std::string>{"c"}));
    ASSERT_EQ(entries.hours.size(), 2u);
    EXPECT_EQ(entries.hours[0].name, "b");
    EXPECT_EQ(entries.hours[0].hour, 4);
    EXPECT_EQ(entries.hours[1].name, "c");
    EXPECT_EQ(store::user_bucket("Ésa"), "É");
    EXPECT_EQ(store::user_bucket("x"), "x");
    EXPECT_EQ(store::user_bucket(""), "");
}

TEST(ListenIndex, ForgetsEverythingAtItsCapacityAndLearnsAgain) {
    store::WrittenIndex written;
    store::IndexEntries many;
    for (std::size_t i = 0; i < store::WrittenIndex::kCapacity; ++i) many.users.push_back(std::to_string(i));
    written.remember(many);
    catalog::Catalog catalog = testing::small_catalog();
    std::vector<model::EnrichedRow> rows(1);
    rows[0] = {.id = 1, .name = "7", .date = "2024-01-01", .hour = 0, .time_ms = 0, .song = &catalog.songs()[0]};
    EXPECT_TRUE(written.unwritten(rows).users.empty());
    written.remember({.users = {"one more"}, .hours = {}});  // over capacity: all forgotten
    EXPECT_EQ(written.unwritten(rows).users, (std::vector<std::string>{"7"}));
}

TEST(PipelineMonitor, ParsesTheFiguresItCharts) {
    web::Scrape s = web::parse_metrics(
        "# TYPE playstream_records_stored_total counter\n"
        "playstream_records_stored_total 1500\n"
        "playstream_records_rejected_total{reason=\"not_json\"} 3\n"
        "playstream_records_rejected_total{reason=\"bad_time\"} 4\n"
        "playstream_consumer_lag_messages{topic=\"t\",partition=\"0\"} 10\n"
        "playstream_consumer_lag_messages{topic=\"t\",partition=\"1\"} 5\n"
        "playstream_event_age_at_ack_seconds_bucket{le=\"0.1\"} 90\n"
        "playstream_event_age_at_ack_seconds_bucket{le=\"+Inf\"} 100\n"
        "playstream_event_age_at_read_seconds_bucket{le=\"0.01\"} 80\n"
        "playstream_event_age_at_read_seconds_bucket{le=\"0.1\"} 99\n"
        "playstream_event_age_at_read_seconds_bucket{le=\"+Inf\"} 100\n");
    EXPECT_EQ(s.stored, 1500);
    EXPECT_EQ(s.rejected, 7);
    EXPECT_EQ(s.lag, 15);
    EXPECT_EQ(s.age_buckets.size(), 2u);
    EXPECT_EQ(s.read_age_buckets, (std::map<double, double>{{0.01, 80}, {0.1, 99}, {INFINITY, 100}}));
    EXPECT_FALSE(web::parse_metrics("playstream_records_stored_total 1\n").lag.has_value());
    EXPECT_FALSE(s.delivered.has_value());  // a stream's: no produce line to draw
}

TEST(PipelineMonitor, QuantilesOfTheEventsBetweenTwoScrapes) {
    const std::map<double, double> before{{0.01, 100}, {0.1, 100}, {1.0, 100}, {INFINITY, 100}};
    // 100 new events: 50 under 10 ms, 40 more under 100 ms, 10 more under 1 s.
    const std::map<double, double> now{{0.01, 150}, {0.1, 190}, {1.0, 200}, {INFINITY, 200}};
    EXPECT_DOUBLE_EQ(*web::quantile_between(before, now, 0.5), 0.01);
    EXPECT_DOUBLE_EQ(*web::quantile_between(before, now, 0.99), 0.1 + 0.9 * 9.0 / 10.0);
    EXPECT_FALSE(web::quantile_between(now, now, 0.5).has_value());  // no event in between
}

TEST(PipelineMonitor, ScrapesATargetIntoASeriesAndSaysWhenItIsDown) {
    std::atomic<int> stored{0};
    http::Server metrics({.host = "127.0.0.1", .port = 0});
    metrics.get("/metrics", [&](const http::Request&) {
        return http::Reply{.body = fmt::format("playstream_records_stored_total {}\n", stored.load())};
    });
    const http::Address bound = metrics.start();
    web::PipelineMonitor monitor({fmt::format("http://{}/metrics", bound.to_string()),
                                  "http://127.0.0.1:1/metrics"},  // nothing listens on port 1
                                 std::chrono::seconds(1));        // not started: the test scrapes
    monitor.scrape_all(1000);
    stored = 500;
    monitor.scrape_all(3000);
    const std::string json = monitor.json();
    EXPECT_NE(json.find("\"t\": 3000, \"up\": true, \"stored_per_s\": 250"), std::string::npos) << json;
    EXPECT_NE(json.find("\"up\": false, \"error\": \"cannot scrape"), std::string::npos) << json;
}

// The freshness chart's lines: the age at ack over the last scrapes, and the age when `stream`
// read the same events (apart, so the page shows where the tail was).
TEST(PipelineMonitor, ChartsTheAgeAtAckAndTheAgeWhenRead) {
    std::atomic<int> events{0};
    http::Server metrics({.host = "127.0.0.1", .port = 0});
    metrics.get("/metrics", [&](const http::Request&) {
        const int n = events.load();
        // 1,000 events before the first scrape, all under 10 ms (so a quantile over everything
        // instead of the window between scrapes would differ); of the n after it: at ack 90 %
        // under 100 ms, the rest under 1 s; when read 90 % under 10 ms, the rest under 100 ms.
        return http::Reply{.body = fmt::format(
                               "playstream_event_age_at_ack_seconds_bucket{{le=\"0.01\"}} 1000\n"
                               "playstream_event_age_at_ack_seconds_bucket{{le=\"0.1\"}} {0}\n"
                               "playstream_event_age_at_ack_seconds_bucket{{le=\"1\"}} {1}\n"
                               "playstream_event_age_at_ack_seconds_bucket{{le=\"+Inf\"}} {1}\n"
                               "playstream_event_age_at_read_seconds_bucket{{le=\"0.01\"}} {0}\n"
                               "playstream_event_age_at_read_seconds_bucket{{le=\"0.1\"}} {1}\n"
                               "playstream_event_age_at_read_seconds_bucket{{le=\"1\"}} {1}\n"
                               "playstream_event_age_at_read_seconds_bucket{{le=\"+Inf\"}} {1}\n",
                               1000 + n * 9 / 10, 1000 + n)};
    });
    const http::Address bound = metrics.start();
    web::PipelineMonitor monitor({fmt::format("http://{}/metrics", bound.to_string())}, std::chrono::seconds(1));
    monitor.scrape_all(1000);
    events = 1000;
    monitor.scrape_all(2000);
    const std::string json = monitor.json();
    // p99: rank 990 of 1,000, in the bucket above the 900 under its lower bound: 9/10 of the way.
    EXPECT_NE(json.find("\"age_p99_s\": 0.91"), std::string::npos) << json;
    EXPECT_NE(json.find("\"read_age_p99_s\": 0.091"), std::string::npos) << json;
}

TEST(WebPage, OnLoopbackAnswersOnlyToLoopbackHostNames) {
    const http::Address loopback{.host = "127.0.0.1", .port = 8080};
    EXPECT_TRUE(web::host_allowed(loopback, "127.0.0.1:8080"));
    EXPECT_TRUE(web::host_allowed(loopback, "localhost:8080"));
    EXPECT_FALSE(web::host_allowed(loopback, "evil.example:8080"));  // DNS rebinding
    EXPECT_FALSE(web::host_allowed(loopback, "localhost:8081"));
    EXPECT_FALSE(web::host_allowed(loopback, ""));
    EXPECT_TRUE(web::host_allowed({.host = "0.0.0.0", .port = 8080}, "dashboard.example:8080"));
}

TEST(WebPage, RefusesMalformedMetricsUrls) {
    EXPECT_THROW(web::check_metrics_url("https://x:1/metrics"), UsageError);
    EXPECT_THROW(web::check_metrics_url("http://x:99999/metrics"), UsageError);
    EXPECT_THROW(web::check_metrics_url("http://:80/metrics"), UsageError);
    EXPECT_NO_THROW(web::check_metrics_url("http://127.0.0.1:9464/metrics"));
    EXPECT_NO_THROW(web::check_metrics_url("http://[::1]:9464"));
}

}  // namespace
}  // namespace playstream
