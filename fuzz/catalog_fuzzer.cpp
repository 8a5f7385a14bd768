// libFuzzer target: bytes as a catalogue file, through the CSV reader alone and through the
// catalogue loader, strict and lenient. Bad input must be a playstream::Error naming the source
// and a line; a loaded catalogue must index every song it holds, by id and by name.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/csv_reader.hpp"
#include "fuzz_check.hpp"
#include "util/error.hpp"

namespace {

using namespace playstream;

constexpr std::string_view source = "fuzz.csv";

// "fuzz.csv:LINE: ..." with LINE a number from 1 to the text's line count.
void check_names_a_line(const Error& e, std::string_view text) {
    const std::string_view what = e.what();
    FUZZ_CHECK(what.starts_with(source) && what.size() > source.size() + 1 && what[source.size()] == ':');
    std::size_t line = 0;
    std::size_t i = source.size() + 1;
    for (; i < what.size() && what[i] >= '0' && what[i] <= '9' && line < (1u << 30); ++i) line = line * 10 + (what[i] - '0');
    FUZZ_CHECK(i < what.size() && what[i] == ':');
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    FUZZ_CHECK(line >= 1 && line <= lines);
}

void read_records(std::string_view text) {
    try {
        catalog::CsvReader reader(text, std::string(source));
        std::vector<std::string> fields;
        std::size_t last_line = 0;
        while (reader.next(fields)) {
            FUZZ_CHECK(!fields.empty() && reader.line() > last_line);
            last_line = reader.line();
        }
    } catch (const Error& e) {
        check_names_a_line(e, text);
    }
}

void check_indexed(const catalog::Catalog& catalog) {
    for (const auto& song : catalog.songs()) {
        FUZZ_CHECK(catalog.find(song.id) == &song);
        const auto* by_name = catalog.find_by_name(song.name);
        FUZZ_CHECK(by_name != nullptr && by_name->name == song.name && by_name <= &song);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    read_records(text);

    std::size_t strict_size = 0;
    bool strict_ok = false;
    try {
        const auto catalog = catalog::Catalog::from_text(text, std::string(source));
        check_indexed(catalog);
        strict_size = catalog.size();
        strict_ok = true;
    } catch (const Error& e) {
        check_names_a_line(e, text);
    }
    try {
        catalog::LoadReport report;
        const auto catalog = catalog::Catalog::from_text(text, std::string(source), {.lenient = true}, &report);
        check_indexed(catalog);
        FUZZ_CHECK(report.rows == catalog.size() + report.skipped + report.duplicates);
        FUZZ_CHECK(report.problems.size() <= report.skipped);
        FUZZ_CHECK(!strict_ok || (report.skipped == 0 && catalog.size() == strict_size));
    } catch (const Error& e) {
        check_names_a_line(e, text);
    }
    return 0;
}
