#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <thread>

namespace playstream::cql::driver {

// The thread that runs every socket, timer and completion of a session. One is plenty: the work
// per response is a decode and a callback, and the machines we target have few cores.
class IoThread {
public:
    IoThread();
    // Stops the loop and joins; idempotent. Handlers not run by then are destroyed with the
    // io_context, not run.
    void stop();
    ~IoThread() { stop(); }
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;

    asio::io_context& context() { return io_; }
    bool is_current() const { return std::this_thread::get_id() == thread_.get_id(); }

private:
    asio::io_context io_{1};
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;
};

}  // namespace playstream::cql::driver
