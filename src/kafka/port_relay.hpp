#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace playstream::kafka {

// Forwards TCP connections from 127.0.0.1:port to an upstream host:port, both ways, on its own
// thread. It gives the embedded broker a fixed bootstrap port: librdkafka's mock cluster always
// listens on a port the kernel picks; clients bootstrap through the relay and then follow the
// broker's metadata to its real port.
class PortRelay {
public:
    PortRelay(std::uint16_t listen_port, const std::string& upstream_host, std::uint16_t upstream_port);
    ~PortRelay();
    PortRelay(const PortRelay&) = delete;
    PortRelay& operator=(const PortRelay&) = delete;

    std::uint16_t port() const { return port_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

}  // namespace playstream::kafka
