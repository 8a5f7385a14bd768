#include "web/pipeline_monitor.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>
#include <httplib.h>

#include "util/error.hpp"
#include "util/json_string.hpp"

namespace playstream::web {
namespace {

constexpr std::int64_t keep_ms = 15 * 60 * 1000;  // the panel's 15 minutes
constexpr std::int64_t age_window_ms = 10 * 1000;  // freshness quantiles over the last 10 s

struct Url {
    std::string host, path;
    int port = 80;
};

Url parse_url(const std::string& url) {
    auto bad = [&](std::string_view why) {
        return UsageError(fmt::format("--metrics '{}': {} (expected http://HOST:PORT/metrics)", url, why));
    };
    constexpr std::string_view scheme = "http://";
    if (!url.starts_with(scheme)) throw bad("only http:// URLs");
    std::string_view rest = std::string_view(url).substr(scheme.size());
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    Url out;
    out.path = slash == std::string_view::npos ? "/metrics" : std::string(rest.substr(slash));
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
        std::string_view port = authority.substr(colon + 1);
        auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), out.port);
        if (port.empty() || error != std::errc() || end != port.data() + port.size() || out.port < 1 ||
            out.port > 65535) {
            throw bad("the port must be a number from 1 to 65535");
        }
        authority = authority.substr(0, colon);
    }
    if (authority.starts_with('[') && authority.ends_with(']')) authority = authority.substr(1, authority.size() - 2);
    if (authority.empty()) throw bad("no host");
    out.host = authority;
    return out;
}

double parse_double(std::string_view text) {
    if (text == "+Inf") return std::numeric_limits<double>::infinity();
    double v = std::numeric_limits<double>::quiet_NaN();
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

void append_number(std::string& out, const std::optional<double>& v) {
    out += v && std::isfinite(*v) ? fmt::format("{}", *v) : "null";
}

// A histogram's `_bucket{le="..."} count` line into `buckets`; a line without `le` is skipped.
void add_bucket(std::map<double, double>& buckets, std::string_view series, double count) {
    const std::size_t le = series.find("le=\"");
    if (le == std::string_view::npos) return;
    std::string_view bound = series.substr(le + 4);
    buckets[parse_double(bound.substr(0, bound.find('"')))] = count;
}

}  // namespace

Scrape parse_metrics(std::string_view text) {
    Scrape s;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        if (line.empty() || line.front() == '#') continue;
        const std::size_t space = line.rfind(' ');
        if (space == std::string_view::npos) continue;
        const double value = parse_double(line.substr(space + 1));
        std::string_view series = line.substr(0, space);
        std::string_view name = series.substr(0, series.find('{'));
        if (name == "playstream_records_stored_total") s.stored = s.stored.value_or(0) + value;
        else if (name == "playstream_records_rejected_total") s.rejected = s.rejected.value_or(0) + value;
        else if (name == "playstream_events_delivered_total") s.delivered = s.delivered.value_or(0) + value;
        else if (name == "playstream_consumer_lag_messages") s.lag = s.lag.value_or(0) + value;
        else if (name == "playstream_event_age_at_ack_seconds_bucket") add_bucket(s.age_buckets, series, value);
        else if (name == "playstream_event_age_at_read_seconds_bucket") add_bucket(s.read_age_buckets, series, value);
    }
    return s;
}

std::optional<double> quantile_between(const std::map<double, double>& before, const std::map<double, double>& now,
                                       double q) {
    std::vector<std::pair<double, double>> buckets;  // le, events in the window up to le
    for (const auto& [le, count] : now) {
        auto old = before.find(le);
        buckets.emplace_back(le, count - (old == before.end() ? 0.0 : old->second));
    }
    if (buckets.empty() || buckets.back().second <= 0) return std::nullopt;
    const double rank = q * buckets.back().second;
    double lower = 0, below = 0;
    for (const auto& [le, count] : buckets) {
        if (count >= rank) {
            if (std::isinf(le)) return lower;  // above the top bucket: its lower bound, as Prometheus does
            return count == below ? le : lower + (le - lower) * (rank - below) / (count - below);
        }
        lower = le;
        below = count;
    }
    return lower;
}

void check_metrics_url(const std::string& url) { parse_url(url); }

PipelineMonitor::PipelineMonitor(std::vector<std::string> urls, std::chrono::milliseconds interval)
    : interval_(interval) {
    for (std::string& url : urls) {
        Url parsed = parse_url(url);
        targets_.push_back({.url = std::move(url), .host = parsed.host, .path = parsed.path, .port = parsed.port,
                            .error = "not scraped yet", .last = {}, .last_ms = 0, .recent = {}, .points = {}});
    }
}

void PipelineMonitor::start() {
    if (!targets_.empty() && !thread_.joinable()) thread_ = std::thread([this] { run(); });
}

PipelineMonitor::~PipelineMonitor() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PipelineMonitor::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        scrape_all(now.count());
        lock.lock();
        stop_cv_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

void PipelineMonitor::scrape_all(std::int64_t now_ms) {
    // Only this thread (or a test, instead of it) changes the targets' connection fields, so the
    // slow part runs unlocked; the series are changed under the lock.
    for (Target& target : targets_) scrape(target, now_ms);
}

void PipelineMonitor::scrape(Target& target, std::int64_t now_ms) {
    httplib::Client client(target.host, target.port);
    client.set_connection_timeout(std::chrono::milliseconds(800));
    client.set_read_timeout(std::chrono::milliseconds(800));
    auto response = client.Get(target.path);
    std::lock_guard lock(mutex_);
    Point point;
    point.time_ms = now_ms;
    if (!response || response->status != 200) {
        target.error = response ? fmt::format("HTTP status {}", response->status)
                                : fmt::format("cannot scrape: {}", httplib::to_string(response.error()));
        target.last.reset();  // a restarted process starts its counters again
        target.recent.clear();
    } else {
        target.error.clear();
        Scrape now = parse_metrics(response->body);
        point.up = true;
        point.lag = now.lag;
        if (target.last && now_ms > target.last_ms) {
            const double seconds = static_cast<double>(now_ms - target.last_ms) / 1000.0;
            // A counter that went down is a restarted process: no rate for that interval.
            auto rate = [seconds](const std::optional<double>& before, const std::optional<double>& after) {
                return before && after && *after >= *before ? std::optional((*after - *before) / seconds)
                                                            : std::nullopt;
            };
            point.stored_per_s = rate(target.last->stored, now.stored);
            point.rejected_per_s = rate(target.last->rejected, now.rejected);
            point.delivered_per_s = rate(target.last->delivered, now.delivered);
        }
        if (!now.age_buckets.empty()) {
            target.recent.emplace_back(now_ms, now);
            while (target.recent.size() > 1 && target.recent.front().first < now_ms - age_window_ms) {
                target.recent.pop_front();
            }
            if (target.recent.size() > 1) {
                const Scrape& before = target.recent.front().second;
                point.age_p50_s = quantile_between(before.age_buckets, now.age_buckets, 0.5);
                point.age_p99_s = quantile_between(before.age_buckets, now.age_buckets, 0.99);
                point.read_age_p99_s = quantile_between(before.read_age_buckets, now.read_age_buckets, 0.99);
            }
        }
        target.last = std::move(now);
        target.last_ms = now_ms;
    }
    target.points.push_back(point);
    while (!target.points.empty() && target.points.front().time_ms < now_ms - keep_ms) target.points.pop_front();
}

std::string PipelineMonitor::json() const {
    std::lock_guard lock(mutex_);
    std::string out = fmt::format("{{\"interval_ms\": {}, \"targets\": [", interval_.count());
    for (std::size_t i = 0; i < targets_.size(); ++i) {
        const Target& t = targets_[i];
        out += i == 0 ? "\n  {\"url\": " : ",\n  {\"url\": ";
        append_json_string(out, t.url);
        out += fmt::format(", \"up\": {}, \"error\": ", !t.points.empty() && t.points.back().up);
        append_json_string(out, t.error);
        out += ", \"points\": [";
        for (std::size_t p = 0; p < t.points.size(); ++p) {
            const Point& point = t.points[p];
            out += fmt::format("{}{{\"t\": {}, \"up\": {}", p == 0 ? "" : ", ", point.time_ms, point.up);
            for (const auto& [name, value] : {std::pair{"stored_per_s", &point.stored_per_s},
                                              std::pair{"rejected_per_s", &point.rejected_per_s},
                                              std::pair{"delivered_per_s", &point.delivered_per_s},
                                              std::pair{"lag", &point.lag},
                                              std::pair{"age_p50_s", &point.age_p50_s},
                                              std::pair{"age_p99_s", &point.age_p99_s},
                                              std::pair{"read_age_p99_s", &point.read_age_p99_s}}) {
                out += fmt::format(", \"{}\": ", name);
                append_number(out, *value);
            }
            out += '}';
        }
        out += "]}";
    }
    return out + (targets_.empty() ? "]}\n" : "\n]}\n");
}

}  // namespace playstream::web
