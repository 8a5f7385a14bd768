#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "migrate/classroom_row.hpp"
#include "store/store_options.hpp"

namespace playstream::migrate {

// The rows of a classroom table, read range after range, each range page by page, so a
// migration holds one page at a time and can resume after the last range it finished.
class ClassroomSource {
public:
    using PageSink = std::function<void(std::vector<ClassroomRow>& page)>;
    virtual ~ClassroomSource() = default;

    // Reads the next range, handing each page to `sink`; false when every range was read.
    // A partition (name, date, hour) lies wholly inside one range.
    virtual bool next_range(const PageSink& sink) = 0;
    // Where the finished ranges end, as one line of text for the state file; seek() goes there.
    virtual std::string position() const = 0;
    virtual void seek(const std::string& position) = 0;
    // The range just read, for progress lines: "token range 12/256".
    virtual std::string describe() const = 0;
};

struct SourceOptions {
    store::StoreOptions store;  // credentials
    std::size_t token_ranges = 256;
    std::int32_t page_size = 1000;
};

// `cassandra://HOSTS/KEYSPACE` (token-range scans, paged) or `sqlite:PATH` (partitions in key
// order). Throws UsageError for another URI, Error when it cannot be read.
std::unique_ptr<ClassroomSource> open_source(const std::string& uri, const SourceOptions& options);

}  // namespace playstream::migrate
