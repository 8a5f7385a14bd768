#include "metrics/text_writer.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace playstream::metrics {
namespace {

bool is_name_char(char c, bool first, bool colon_ok) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
    if (c == ':') return colon_ok;
    return !first && c >= '0' && c <= '9';
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (!is_name_char(name[i], i == 0, true)) return false;
    return true;
}

bool is_valid_label_name(std::string_view name) {
    if (name.empty() || name.starts_with("__")) return false;  // reserved for Prometheus itself
    for (std::size_t i = 0; i < name.size(); ++i)
        if (!is_name_char(name[i], i == 0, false)) return false;
    return true;
}

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string escape_help(std::string_view help) {
    std::string out;
    out.reserve(help.size());
    for (char c : help) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string format_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    // Exact integers print without exponent up to 2^53, the rest in the shortest round-trip form.
    if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) return fmt::format("{:.0f}", v);
    return fmt::format("{}", v);
}

void TextWriter::counter(std::string_view name, std::string_view help) {
    if (ends_with(name, "_total")) {
        throw std::invalid_argument(fmt::format("counter {}: give the name without _total", name));
    }
    // In format 0.0.4 (unlike OpenMetrics) a counter's family is named with its `_total`, as
    // Prometheus's own clients write it: promtool finds no HELP for the sample otherwise.
    begin(std::string(name) + "_total", help, Type::Counter);
}

void TextWriter::gauge(std::string_view name, std::string_view help) { begin(name, help, Type::Gauge); }

void TextWriter::histogram(std::string_view name, std::string_view help) {
    for (std::string_view reserved : {"_bucket", "_sum", "_count", "_total"}) {
        if (ends_with(name, reserved)) {
            throw std::invalid_argument(fmt::format("histogram {}: a name may not end in {}", name, reserved));
        }
    }
    begin(name, help, Type::Histogram);
}

void TextWriter::begin(std::string_view name, std::string_view help, Type type) {
    if (!is_valid_metric_name(name)) throw std::invalid_argument(fmt::format("bad metric name '{}'", name));
    if (!families_.emplace(name).second) {
        throw std::invalid_argument(fmt::format("metric family {} written twice", name));
    }
    family_ = name;
    type_ = type;
    const char* type_name = type == Type::Counter ? "counter" : type == Type::Gauge ? "gauge" : "histogram";
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help), name, type_name);
}

void TextWriter::expect(bool histogram) const {
    if (type_ == Type::None || histogram != (type_ == Type::Histogram)) {
        throw std::invalid_argument(fmt::format("sample of the wrong kind for family '{}'", family_));
    }
}

void TextWriter::value(double v, Labels labels) {
    expect(false);
    sample("", labels, nullptr, format_value(v));
}

void TextWriter::value(std::uint64_t v, Labels labels) {
    expect(false);
    sample("", labels, nullptr, fmt::format("{}", v));
}

void TextWriter::observations(const HistogramSnapshot& h, Labels labels) {
    expect(true);
    for (const auto& [le, cumulative] : h.buckets) {
        const std::string bound = format_value(le);
        const Label label{"le", bound};
        sample("_bucket", labels, &label, fmt::format("{}", cumulative));
    }
    const Label inf{"le", "+Inf"};
    sample("_bucket", labels, &inf, fmt::format("{}", h.count));
    sample("_sum", labels, nullptr, format_value(h.sum));
    sample("_count", labels, nullptr, fmt::format("{}", h.count));
}

void TextWriter::sample(std::string_view suffix, Labels labels, const Label* extra, std::string_view value) {
    out_ += family_;
    out_ += suffix;
    bool first = true;
    auto add = [&](const Label& label) {
        if (!is_valid_label_name(label.name) || (extra != nullptr && &label != extra && label.name == "le")) {
            throw std::invalid_argument(fmt::format("bad label name '{}' on {}", label.name, family_));
        }
        out_ += first ? '{' : ',';
        first = false;
        out_ += fmt::format("{}=\"{}\"", label.name, escape_label_value(label.value));
    };
    for (const Label& label : labels) add(label);
    if (extra != nullptr) add(*extra);
    if (!first) out_ += '}';
    out_ += ' ';
    out_ += value;
    out_ += '\n';
}

}  // namespace playstream::metrics
