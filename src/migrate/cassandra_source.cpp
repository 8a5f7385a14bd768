// The classroom table in Cassandra, scanned by token ranges: the Murmur3 ring (-2^63, 2^63 - 1]
// cut into equal ranges, each read with paging, so no request is larger than a page and a
// partition always falls in one range.
#include <cstdio>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cql/driver/session.hpp"
#include "migrate/sources.hpp"
#include "store/cassandra_store.hpp"
#include "util/error.hpp"
#include "util/escape.hpp"

namespace playstream::migrate {
namespace {

namespace drv = cql::driver;

// A cell as a whole number, whatever integer column type the table gave it.
std::optional<std::int64_t> integer(const drv::Result& r, std::size_t row, std::size_t col) {
    switch (r.columns()[col].type.id) {
        case cql::TypeId::Int: {
            auto v = r.get<std::int32_t>(row, col);
            return v ? std::optional<std::int64_t>(*v) : std::nullopt;
        }
        case cql::TypeId::Float: {
            auto v = r.get<float>(row, col);
            return v ? std::optional<std::int64_t>(static_cast<std::int64_t>(*v)) : std::nullopt;
        }
        case cql::TypeId::Double: {
            auto v = r.get<double>(row, col);
            return v ? std::optional<std::int64_t>(static_cast<std::int64_t>(*v)) : std::nullopt;
        }
        default: return r.get<std::int64_t>(row, col);
    }
}

// A feature as stored: float, double or an integer type.
std::optional<double> number(const drv::Result& r, std::size_t row, std::size_t col) {
    switch (r.columns()[col].type.id) {
        case cql::TypeId::Float: {
            auto v = r.get<float>(row, col);
            return v ? std::optional<double>(*v) : std::nullopt;
        }
        case cql::TypeId::Double: return r.get<double>(row, col);
        default: {
            auto v = integer(r, row, col);
            return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
        }
    }
}

ClassroomRow read_row(const drv::Result& r, std::size_t row) {
    ClassroomRow out;
    auto text = [&](std::size_t col) { return r.get<std::string>(row, col); };
    out.name = text(0);
    out.date = text(1);
    out.hour = integer(r, row, 2);
    out.time = text(3);
    out.id = integer(r, row, 4);
    out.song = text(5);
    out.artists = text(6);
    out.duration_ms = integer(r, row, 7);
    out.album_name = text(8);
    out.album_release_date = text(9);
    out.key = integer(r, row, 10);
    for (std::size_t f = 0; f < out.features.size(); ++f) out.features[f] = number(r, row, first_feature + f);
    return out;
}

class CassandraSource final : public ClassroomSource {
public:
    CassandraSource(store::CassandraAddress address, const SourceOptions& options)
        : keyspace_(address.keyspace), ranges_(options.token_ranges), page_size_(options.page_size) {
        guarded([&] { session_.emplace(drv::Session::connect(store::session_options(address, options.store))); });
    }

    bool next_range(const PageSink& sink) override {
        if (next_ >= ranges_) return false;
        drv::Statement select(fmt::format(
            "SELECT {} FROM {}.listening_history WHERE token(name, date, hour) > {} AND token(name, date, hour) <= {}",
            fmt::join(classroom_columns, ", "), keyspace_, bound(next_), bound(next_ + 1)));
        select.page_size = page_size_;
        select.idempotent = true;  // a read: the driver may retry it
        std::vector<ClassroomRow> page;
        do {
            drv::Result result;
            guarded([&] { result = session_->execute(select); });
            check_columns(result);
            page.clear();
            try {
                for (std::size_t r = 0; r < result.row_count(); ++r) page.push_back(read_row(result, r));
            } catch (const std::exception& e) {
                throw Error(fmt::format("cassandra {}: cannot read a classroom row: {}", result.coordinator(), e.what()));
            }
            if (!page.empty()) sink(page);
            select.paging_state = result.paging_state();
        } while (select.paging_state);
        ++next_;
        return true;
    }

    std::string position() const override { return fmt::format("{}/{}", next_, ranges_); }

    void seek(const std::string& position) override {
        std::size_t done = 0, total = 0;
        if (std::sscanf(position.c_str(), "%zu/%zu", &done, &total) != 2 || total != ranges_ || done > total) {
            throw Error(fmt::format("the state file's position '{}' is not one of {} token ranges (was "
                                    "--token-ranges changed?)", escape_for_log(position), ranges_));
        }
        next_ = done;
    }

    std::string describe() const override { return fmt::format("token range {}/{}", next_, ranges_); }

private:
    // The start (exclusive) of range i, or the end (inclusive) of range i - 1.
    std::int64_t bound(std::size_t i) const {
        if (i >= ranges_) return std::numeric_limits<std::int64_t>::max();
        const std::uint64_t step = std::numeric_limits<std::uint64_t>::max() / ranges_;
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min()) +
                                         step * i);
    }

    void check_columns(const drv::Result& result) const {
        const auto& columns = result.columns();
        bool same = columns.size() == classroom_columns.size();
        for (std::size_t c = 0; same && c < columns.size(); ++c) same = columns[c].name == classroom_columns[c];
        if (!same) {
            throw Error(fmt::format("cassandra {}: answered the scan of {}.listening_history with {} columns, not "
                                    "the {} asked for", result.coordinator(), keyspace_, columns.size(),
                                    classroom_columns.size()));
        }
    }

    template <class F>
    void guarded(F f) {
        try {
            f();
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error(fmt::format("cassandra keyspace {}: {} (`migrate --resume` continues after the last "
                                    "finished range)", keyspace_, e.what()));
        }
    }

    std::string keyspace_;
    std::size_t ranges_;
    std::int32_t page_size_;
    std::size_t next_ = 0;  // ranges before it are finished
    std::optional<drv::Session> session_;
};

}  // namespace

std::unique_ptr<ClassroomSource> open_cassandra_source(store::CassandraAddress address, const SourceOptions& options) {
    return std::make_unique<CassandraSource>(std::move(address), options);
}

}  // namespace playstream::migrate
