#pragma once

#include <stdexcept>
#include <string>

namespace playstream {

// A failure the user can act on: the message says what went wrong and where
// (file and line, topic/partition/offset, store URI). The CLI prints it and exits 1.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A mistake in how the command was called; the CLI exits 2.
class UsageError : public Error {
public:
    using Error::Error;
};

// A failure that may pass by itself (a store busy or unreachable): worth retrying with backoff.
class TransientError : public Error {
public:
    using Error::Error;
};

}  // namespace playstream
