#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

// Numeric options with a stated range, checked at the edge: the value reaches the program in range
// and in its type (std::chrono for durations), or the command line is a usage error (exit 2) with
// a short message naming the option and the range. Input is echoed cut to a few characters.
namespace playstream::cli {

// The integer check, usable on its own (e.g. for the P of `NAME:P`): returns an empty string and
// sets `canonical` to the value in plain decimal, or returns the reason (without the option's name).
std::string check_integer(const std::string& text, std::int64_t min, std::uint64_t max, std::string& canonical);

// `text` cut for an error message: at most 24 characters, then "..." and how long it was.
std::string excerpt(const std::string& text);

// A whole number in [min, max] (decimal digits, an optional sign; no 0x, exponent or fraction).
// The value is rewritten in canonical decimal before CLI11 converts it, so `010` is ten.
CLI::Validator integer_range(std::int64_t min, std::uint64_t max);

template <class T>
concept IntegerTarget = std::integral<T> || requires(T t) { requires std::integral<typename T::value_type>; };

// An integer option in [min, max] bound to `target` (an integer or std::optional of one).
template <IntegerTarget T, std::integral B>
CLI::Option* add_integer(CLI::App& command, const std::string& name, T& target, B min, B max,
                         const std::string& help) {
    return command.add_option(name, target, help)
        ->transform(integer_range(static_cast<std::int64_t>(min), static_cast<std::uint64_t>(max)));
}

// A real number in [min, max], or exactly 0 when `zero_means` is set (e.g. "as fast as possible").
// NaN and infinities are refused.
struct NumberRange {
    double min;
    double max;
    const char* zero_means = nullptr;
    const char* unit = "";  // "seconds", "events per second"; for the message
};
std::string parse_number(const std::string& text, const NumberRange& range, double& out);
CLI::Option* add_number(CLI::App& command, const std::string& name, double& target, NumberRange range,
                        const std::string& help);

// A duration given as a number of `unit`s (fractions allowed), in range, into milliseconds.
enum class Unit { Seconds, Milliseconds };
CLI::Option* add_duration(CLI::App& command, const std::string& name, std::chrono::milliseconds& target,
                          Unit unit, NumberRange range, const std::string& help);

}  // namespace playstream::cli
