#include "cql/driver/io_thread.hpp"

namespace playstream::cql::driver {

IoThread::IoThread() : work_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}

void IoThread::stop() {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
}

}  // namespace playstream::cql::driver
