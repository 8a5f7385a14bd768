#include "query/format.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/escape.hpp"
#include "util/json_string.hpp"

namespace playstream::query {

using model::Table;
using model::Value;

namespace {

std::string to_text(const Value& value, Format format) {
    struct Visitor {
        Format format;
        std::string operator()(std::monostate) const { return format == Format::Json ? "null" : ""; }
        std::string operator()(std::int64_t v) const { return fmt::format("{}", v); }
        std::string operator()(float v) const { return fmt::format("{}", v); }
        std::string operator()(double v) const {
            return format == Format::Table ? fmt::format("{:.6g}", v) : fmt::format("{}", v);
        }
        std::string operator()(const std::string& v) const {
            // A table is read on a terminal: stored text must not drive it (ESC, BEL...). CSV
            // and JSON keep the text exact; their quoting makes it safe to parse.
            if (format == Format::Table) return escape_for_terminal(v);
            if (format != Format::Json) return v;
            std::string out;
            append_json_string(out, v);
            return out;
        }
    };
    return std::visit(Visitor{format}, value);
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string render_csv(const Table& table) {
    std::string out;
    auto line = [&out](const auto& cells, auto&& text) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i != 0) out += ',';
            out += csv_field(text(cells[i]));
        }
        out += '\n';
    };
    line(table.columns, [](const std::string& c) { return c; });
    for (const auto& row : table.rows) line(row, [](const Value& v) { return to_text(v, Format::Csv); });
    return out;
}

std::string render_json(const Table& table) {
    std::string out = "[";
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        out += r == 0 ? "\n  {" : ",\n  {";
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            if (c != 0) out += ", ";
            append_json_string(out, table.columns[c]);
            out += ": " + to_text(table.rows[r][c], Format::Json);
        }
        out += '}';
    }
    return out + (table.rows.empty() ? "]\n" : "\n]\n");
}

// Display width in code points, so names with accents line up.
std::size_t width(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::string render_text(const Table& table) {
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> widths;
    for (const auto& c : table.columns) widths.push_back(width(c));
    for (const auto& row : table.rows) {
        auto& texts = cells.emplace_back();
        for (std::size_t c = 0; c < row.size(); ++c) {
            texts.push_back(to_text(row[c], Format::Table));
            widths[c] = std::max(widths[c], width(texts.back()));
        }
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& texts) {
        for (std::size_t c = 0; c < texts.size(); ++c) {
            out += c == 0 ? " " : " | ";
            out += texts[c] + std::string(widths[c] - width(texts[c]), ' ');
        }
        out += '\n';
    };
    line(table.columns);
    for (std::size_t c = 0; c < widths.size(); ++c) out += (c == 0 ? "-" : "-+-") + std::string(widths[c], '-');
    out += "-\n";
    for (const auto& texts : cells) line(texts);
    return out + fmt::format("({} rows)\n", table.rows.size());
}

}  // namespace

Format parse_format(std::string_view name) {
    if (name == "table") return Format::Table;
    if (name == "csv") return Format::Csv;
    if (name == "json") return Format::Json;
    throw UsageError(fmt::format("--format must be table, csv or json, not '{}'", name));
}

std::string render(const Table& table, Format format) {
    switch (format) {
        case Format::Csv: return render_csv(table);
        case Format::Json: return render_json(table);
        case Format::Table: break;
    }
    return render_text(table);
}

}  // namespace playstream::query
