#pragma once

#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <utility>

namespace playstream::cql::driver {

// The bridge from the driver's callbacks, (error, value), to a caller that waits: `callback`
// fulfils the promise whose future is `future`. The callback may be copied; it must run once.
template <class T>
struct Completion {
    std::function<void(std::exception_ptr, T)> callback;
    std::future<T> future;
};

template <class T>
Completion<T> completion() {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    return {[promise](std::exception_ptr error, T value) {
                if (error) return promise->set_exception(error);
                promise->set_value(std::move(value));
            },
            std::move(future)};
}

}  // namespace playstream::cql::driver
