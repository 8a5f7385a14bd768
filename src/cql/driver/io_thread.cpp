#include "cql/driver/io_thread.hpp"

#include <pthread.h>

namespace playstream::cql::driver {

IoThread::IoThread() : work_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {
    // Named, so `top -H`, perf and gdb tell the driver's thread from the caller's (15 chars at most).
    pthread_setname_np(thread_.native_handle(), "cql-io");
}

void IoThread::stop() {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
}

}  // namespace playstream::cql::driver
