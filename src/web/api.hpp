#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "http/server.hpp"
#include "query/request.hpp"
#include "store/store.hpp"
#include "web/pipeline_monitor.hpp"

namespace playstream::web {

// The JSON API behind the page. /api/<kind> runs the query `playstream query <kind>` runs, through
// the same checks (query/request.hpp) and the same JSON writer (query/format.hpp), so both answer
// alike. Read-only: it calls the store's read methods only, with the URL's values bound.
//   200: the query's JSON; 400: {"error", "parameter"} naming the bad parameter;
//   503: {"error", "store": "unreachable"} when the store cannot be reached (try again later);
//   500: {"error"} for any other failure of the store.
class Api {
public:
    Api(std::unique_ptr<store::Store> store, const PipelineMonitor* monitor);

    http::Reply query(query::Kind kind, const http::Request& request);
    http::Reply pipeline() const;
    // Routes /api/... on the server, each handler through `wrap` (the page's Host check).
    void route(http::Server& server, const std::function<http::Handler(http::Handler)>& wrap);

private:
    std::mutex store_mutex_;  // the server answers from several threads; a store is used by one
    std::unique_ptr<store::Store> store_;
    const PipelineMonitor* monitor_;
};

// A JSON reply with the headers every API answer carries.
http::Reply json_reply(int status, std::string body);

}  // namespace playstream::web
