#pragma once

#include <string>
#include <utility>

#include "util/error.hpp"

namespace playstream::cli {

// A CLI11 check (`->check(...)`) made of a parser that throws UsageError, so that an option's
// syntax is written once, in the parser, and the command line's error is the parser's message.
template <class Parse>
auto usage_check(Parse parse) {
    return [parse = std::move(parse)](const std::string& text) {
        try {
            parse(text);
            return std::string();
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
    };
}

}  // namespace playstream::cli
