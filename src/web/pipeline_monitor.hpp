#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace playstream::web {

// What one scrape of a `stream`'s or `produce`'s /metrics says, reduced to the pipeline panel's
// figures. Counters are summed over their labels; the freshness histograms are kept by bucket.
struct Scrape {
    // Counters, absent when the target does not serve them (stored/rejected: stream's, delivered: produce's).
    std::optional<double> stored, rejected, delivered;
    std::optional<double> lag;                       // sum over the partitions held, when reported
    std::map<double, double> age_buckets;            // le -> cumulative count: event time to store ack
    std::map<double, double> read_age_buckets;       // event time to stream's read (the Kafka hop)
};

// Parses Prometheus text exposition (only what the panel needs; other lines are skipped).
Scrape parse_metrics(std::string_view text);

// One point of a target's series: rates per second since the previous scrape, the freshness
// quantiles of the events stored over the last 10 s (and the p99 of their age when read: the part
// of the tail that was before `stream`), the lag now. Absent: not known then.
struct Point {
    std::int64_t time_ms = 0;
    bool up = false;
    std::optional<double> stored_per_s, rejected_per_s, delivered_per_s, lag, age_p50_s, age_p99_s, read_age_p99_s;
};

// A quantile of the events counted between two cumulative histograms (as PromQL's
// histogram_quantile: linear within the bucket); nullopt when no event fell between them.
std::optional<double> quantile_between(const std::map<double, double>& before, const std::map<double, double>& now,
                                       double q);

// Scrapes each --metrics URL (http://HOST:PORT/PATH) every `interval` on a thread of its own and
// keeps each target's points of the last 15 minutes in memory; the page polls /api/pipeline.
class PipelineMonitor {
public:
    PipelineMonitor(std::vector<std::string> urls, std::chrono::milliseconds interval = std::chrono::seconds(1));
    ~PipelineMonitor();
    PipelineMonitor(const PipelineMonitor&) = delete;
    PipelineMonitor& operator=(const PipelineMonitor&) = delete;

    // {"interval_ms": N, "targets": [{"url", "up", "error", "points": [{"t", "up", "stored_per_s", ...}]}]}
    std::string json() const;
    // Starts scraping every `interval` on a thread of its own.
    void start();
    // One round of scrapes now (the thread calls this; a test calls it instead of start()).
    void scrape_all(std::int64_t now_ms);

private:
    struct Target {
        std::string url, host, path;
        int port = 80;
        std::string error;  // why the last scrape failed ("" when it worked)
        std::optional<Scrape> last;
        std::int64_t last_ms = 0;
        std::deque<std::pair<std::int64_t, Scrape>> recent;  // the last 10 s of scrapes with ages
        std::deque<Point> points;
    };
    void scrape(Target& target, std::int64_t now_ms);
    void run();

    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;  // targets_' series (the scrape itself runs unlocked)
    std::vector<Target> targets_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    std::thread thread_;
};

// Checks a --metrics URL: http://HOST:PORT[/PATH] (PATH defaults to /metrics). Throws UsageError.
void check_metrics_url(const std::string& url);

}  // namespace playstream::web
