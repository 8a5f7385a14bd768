#pragma once

#include <concepts>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

#include "cql/response.hpp"

namespace playstream::cql::driver {

// Where the answer to one request goes: a function, or an object that is a ResponseSink. A
// request's execution is the sink of every statement it sends; holding it by shared_ptr costs no
// allocation, where a std::function holding the same shared_ptr allocates (libstdc++ keeps only
// trivially copyable functors in its own storage), once a row on the write path.
class ResponseSink {
public:
    virtual void on_response(std::exception_ptr error, Response response) = 0;

protected:
    ~ResponseSink() = default;
};

class ResponseHandler {
public:
    ResponseHandler() = default;
    ResponseHandler(std::nullptr_t) {}
    explicit ResponseHandler(std::shared_ptr<ResponseSink> sink) : sink_(std::move(sink)) {}
    template <class F>
        requires(!std::same_as<std::remove_cvref_t<F>, ResponseHandler> &&
                 std::invocable<F&, std::exception_ptr, Response>)
    ResponseHandler(F&& f) : function_(std::forward<F>(f)) {}

    explicit operator bool() const { return sink_ || function_; }
    void operator()(std::exception_ptr error, Response response) const {
        if (sink_) return sink_->on_response(std::move(error), std::move(response));
        function_(std::move(error), std::move(response));
    }

private:
    std::shared_ptr<ResponseSink> sink_;
    std::function<void(std::exception_ptr, Response)> function_;
};

}  // namespace playstream::cql::driver
