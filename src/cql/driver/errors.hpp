#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "cql/response/error.hpp"

// What the driver throws, or hands to a callback. Every message starts with the node it concerns
// ("cassandra 10.0.0.5:9042: ..."), so a user can tell which server to look at.
namespace playstream::cql::driver {

class DriverError : public std::runtime_error {
public:
    DriverError(std::string host, const std::string& detail);
    const std::string& host() const { return host_; }

private:
    std::string host_;
};

// The node answered ERROR; error() holds the code and its details, decoded.
class ServerError : public DriverError {
public:
    ServerError(std::string host, response::Error error);
    const response::Error& error() const { return error_; }
    response::ErrorCode code() const { return error_.code; }

private:
    response::Error error_;
};

// The node rejected the credentials, or asks for some and none were given.
class AuthenticationError : public DriverError {
public:
    using DriverError::DriverError;
};

// TLS could not be set up with the node: its certificate was refused (unknown CA, another
// host's, expired), it refused ours, or one side speaks TLS and the other not. A setting to fix;
// trying again would meet the same.
class TlsError : public DriverError {
public:
    using DriverError::DriverError;
};

// The connection could not be opened, was lost, or the node broke the protocol. request_sent:
// whether the request had been handed to the socket, so whether the node may have run it.
class ConnectionError : public DriverError {
public:
    ConnectionError(std::string host, const std::string& detail, bool request_sent);
    bool request_sent() const { return request_sent_; }

private:
    bool request_sent_;
};

// No response within the request timeout: the node may or may not have run the request.
class TimeoutError : public DriverError {
public:
    using DriverError::DriverError;
};

// Every usable connection stayed at its in-flight cap for the whole request timeout: the
// cluster does not keep up with the caller.
class BusyError : public DriverError {
public:
    using DriverError::DriverError;
};

// The node answered with a result the caller did not ask for, or more of it than the caller
// allows: past QueryLimits, or a next page unlike the first. Retrying would not help.
class UnexpectedResult : public DriverError {
public:
    using DriverError::DriverError;
};

// No node could be used; what() says for what (`headline`) and lists what each node met.
class NoHostAvailable : public DriverError {
public:
    NoHostAvailable(const std::string& headline, const std::vector<std::string>& errors);
};

// what() of an exception_ptr's exception, for lists of errors.
std::string describe(const std::exception_ptr& error);

}  // namespace playstream::cql::driver
