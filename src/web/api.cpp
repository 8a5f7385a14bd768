#include "web/api.hpp"

#include <charconv>

#include <fmt/format.h>

#include "query/format.hpp"
#include "util/json_string.hpp"

namespace playstream::web {
namespace {

std::string error_json(const std::string& message, std::string_view key = {}, std::string_view value = {}) {
    std::string out = "{\"error\": ";
    append_json_string(out, message);
    if (!key.empty()) {
        out += ", ";
        append_json_string(out, key);
        out += ": ";
        append_json_string(out, value);
    }
    return out + "}\n";
}

// The one value of a parameter; repeating it is an error, not a silent choice.
std::optional<std::string> param(const http::Request& request, std::string_view name) {
    auto [first, last] = request.params.equal_range(std::string(name));
    if (first == last) return std::nullopt;
    if (std::next(first) != last) throw query::BadParameter(name, fmt::format("{}: given more than once", name));
    return first->second;
}

template <class Int>
std::optional<Int> integer_param(const http::Request& request, std::string_view name, Int min, Int max) {
    auto text = param(request, name);
    if (!text) return std::nullopt;
    Int value{};
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
        throw query::BadParameter(name, fmt::format("{}: expected a whole number from {} to {}", name, min, max));
    }
    return value;
}

query::Params read_params(query::Kind kind, const http::Request& request) {
    const auto& n = query::url_names;
    query::Params p;
    p.user = param(request, n.user).value_or("");
    p.date = param(request, n.date).value_or("");
    p.prefix = param(request, n.prefix).value_or("");
    p.hour = integer_param<std::int32_t>(request, n.hour, 0, 23);
    p.limit = integer_param<std::size_t>(request, n.limit, 1, 1000000).value_or(kind == query::Kind::Users ? 20 : 50);
    query::check(kind, p, n);
    return p;
}

}  // namespace

http::Reply json_reply(int status, std::string body) {
    // The answers change as `stream` writes: never cached.
    return {.status = status, .content_type = "application/json; charset=utf-8",
            .headers = {{"Cache-Control", "no-store"}}, .body = std::move(body)};
}

Api::Api(std::unique_ptr<store::Store> store, const PipelineMonitor* monitor)
    : store_(std::move(store)), monitor_(monitor) {}

http::Reply Api::query(query::Kind kind, const http::Request& request) {
    query::Params params;
    try {
        params = read_params(kind, request);
    } catch (const query::BadParameter& e) {
        return json_reply(400, error_json(e.what(), "parameter", e.parameter()));
    }
    try {
        std::lock_guard lock(store_mutex_);
        return json_reply(200, query::render(query::run(*store_, kind, params), query::Format::Json));
    } catch (const TransientError& e) {
        return json_reply(503, error_json(e.what(), "store", "unreachable"));
    } catch (const std::exception& e) {
        return json_reply(500, error_json(e.what()));
    }
}

http::Reply Api::pipeline() const {
    return json_reply(200, monitor_ != nullptr ? monitor_->json() : "{\"interval_ms\": 0, \"targets\": []}\n");
}

void Api::route(http::Server& server, const std::function<http::Handler(http::Handler)>& wrap) {
    for (query::Kind kind : {query::Kind::Sample, query::Kind::Songs, query::Kind::Stats, query::Kind::Users,
                             query::Kind::Dates, query::Kind::Hours}) {
        server.get(fmt::format("/api/{}", query::to_string(kind)),
                   wrap([this, kind](const http::Request& request) { return query(kind, request); }));
    }
    server.get("/api/pipeline", wrap([this](const http::Request&) { return pipeline(); }));
}

}  // namespace playstream::web
