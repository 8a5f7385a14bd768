#include "cli/ranged.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace playstream::cli {
namespace {

// Whole numbers without a fraction, large ones as written by a person.
std::string show(double value) {
    if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
    return fmt::format("{}", value);
}

bool all_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::string excerpt(const std::string& text) {
    constexpr std::size_t keep = 24;
    if (text.size() <= keep) return "'" + text + "'";
    return fmt::format("'{}...' ({} characters)", text.substr(0, keep), text.size());
}

std::string check_integer(const std::string& text, std::int64_t min, std::uint64_t max, std::string& canonical) {
    const std::string expected = fmt::format("expected a whole number from {} to {}, got {}", min, max, excerpt(text));
    std::string_view digits = text;
    const bool negative = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
    if (!all_digits(digits)) return expected;
    std::uint64_t magnitude = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
    if (ec != std::errc() || end != digits.data() + digits.size()) return expected;  // beyond 2^64
    if (negative && magnitude != 0) {
        // -magnitude >= min, computed without overflow: min is negative here or the value is out.
        if (min >= 0 || magnitude - 1 > static_cast<std::uint64_t>(-(min + 1))) return expected;
        canonical = "-" + std::to_string(magnitude);
        return {};
    }
    if (magnitude > max || (min > 0 && magnitude < static_cast<std::uint64_t>(min))) return expected;
    canonical = std::to_string(magnitude);
    return {};
}

CLI::Validator integer_range(std::int64_t min, std::uint64_t max) {
    return CLI::Validator(
        [min, max](std::string& value) {
            std::string canonical;
            std::string why = check_integer(value, min, max, canonical);
            if (why.empty()) value = canonical;
            return why;
        },
        fmt::format("{}..{}", min, max));
}

std::string parse_number(const std::string& text, const NumberRange& range, double& out) {
    std::string expected = fmt::format("expected {}{}from {} to {}", range.unit, *range.unit ? " " : "",
                                       show(range.min), show(range.max));
    if (range.zero_means != nullptr) expected += fmt::format(", or 0 ({})", range.zero_means);
    expected += ", got " + excerpt(text);
    std::string_view s = text;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return expected;
    if (value == 0 && range.zero_means != nullptr) {
        out = 0;
        return {};
    }
    if (!(value >= range.min && value <= range.max)) return expected;
    out = value;
    return {};
}

namespace {

CLI::Validator number_range(const NumberRange& range) {
    return CLI::Validator(
        [range](std::string& text) {
            double value = 0;
            std::string why = parse_number(text, range, value);
            if (why.empty()) text = show(value);
            return why;
        },
        fmt::format("{}..{}", show(range.min), show(range.max)));
}

}  // namespace

CLI::Option* add_number(CLI::App& command, const std::string& name, double& target, NumberRange range,
                        const std::string& help) {
    return command.add_option(name, target, help)->transform(number_range(range))->default_str(show(target));
}

CLI::Option* add_duration(CLI::App& command, const std::string& name, std::chrono::milliseconds& target,
                          Unit unit, NumberRange range, const std::string& help) {
    const double ms_per_unit = unit == Unit::Seconds ? 1000.0 : 1.0;
    // The range keeps value * ms_per_unit far inside int64: the conversion cannot overflow.
    auto* option = command.add_option_function<double>(
        name,
        [&target, ms_per_unit](double value) {
            target = std::chrono::milliseconds(std::llround(value * ms_per_unit));
        },
        help);
    option->transform(number_range(range));
    if (target.count() != 0 || range.zero_means != nullptr) {
        option->default_str(show(static_cast<double>(target.count()) / ms_per_unit));
    }
    return option;
}

}  // namespace playstream::cli
