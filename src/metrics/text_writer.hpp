#pragma once

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

#include "metrics/histogram.hpp"

namespace playstream::metrics {

// The content type of what TextWriter writes.
inline constexpr std::string_view text_content_type = "text/plain; version=0.0.4; charset=utf-8";

struct Label {
    std::string_view name;
    std::string_view value;  // any text: escaped on output
};
using Labels = std::initializer_list<Label>;

// Writes metric families in the Prometheus text exposition format 0.0.4: for each family its
// `# HELP` and `# TYPE` lines, then its samples. Names follow Prometheus's rules: the caller
// gives a counter's name without `_total`, which is appended (to the family's name too, as
// format 0.0.4 wants); a histogram's samples are
// `_bucket{le=...}` (cumulative, ending with +Inf), `_sum` and `_count`. A name, a label name or
// a family given twice is a programming error: std::invalid_argument.
class TextWriter {
public:
    void counter(std::string_view name, std::string_view help);
    void gauge(std::string_view name, std::string_view help);
    void histogram(std::string_view name, std::string_view help);

    // One sample of the current counter or gauge family.
    void value(double v, Labels labels = {});
    void value(std::uint64_t v, Labels labels = {});
    // The series of one labelled histogram of the current histogram family.
    void observations(const HistogramSnapshot& h, Labels labels = {});

    const std::string& text() const { return out_; }

private:
    enum class Type { None, Counter, Gauge, Histogram };
    void begin(std::string_view name, std::string_view help, Type type);
    void sample(std::string_view suffix, Labels labels, const Label* extra, std::string_view value);
    void expect(bool histogram) const;  // throws unless the current family is (not) a histogram

    std::string out_;
    std::string family_;
    Type type_ = Type::None;
    std::set<std::string, std::less<>> families_;
};

// Sample values as Go's ParseFloat reads them: integers exactly, +Inf, -Inf, NaN.
std::string format_value(double v);
// Label values: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);
// HELP text: backslash and newline escaped.
std::string escape_help(std::string_view help);
bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);

}  // namespace playstream::metrics
