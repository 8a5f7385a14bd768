#include "migrate/migration.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "migrate/row_mapping.hpp"
#include "migrate/state.hpp"
#include "query/format.hpp"
#include "store/store.hpp"
#include "store/table_check.hpp"
#include "util/error.hpp"
#include "util/escape.hpp"
#include "util/log.hpp"

namespace playstream::migrate {
namespace {

constexpr std::size_t mismatches_logged = 20;

// The source must hold the classroom's table, with every column the migration reads.
void check_source(const MigrateOptions& options) {
    store::StoreOptions read_only = options.target;
    read_only.create_if_missing = false;
    auto source = store::open_store(options.from, read_only);
    const store::TableShape shape = source->table_shape();
    switch (store::classify(shape)) {
        case store::TableKind::Missing:
            throw Error(fmt::format("{}: no listening_history table to migrate", options.from));
        case store::TableKind::Ours:
            throw Error(fmt::format("{}: listening_history is playstream's table already: nothing to migrate",
                                    options.from));
        case store::TableKind::Other:
            throw Error(fmt::format("{}: listening_history is not the classroom's table (its columns differ from "
                                    "ours: {})", options.from, store::differences(shape)));
        case store::TableKind::Classroom: break;
    }
    std::vector<std::string_view> missing;
    for (std::string_view column : classroom_columns) {
        bool found = false;
        for (const auto& c : shape.columns) found = found || c.name == column;
        if (!found) missing.push_back(column);
    }
    if (!missing.empty()) {
        throw Error(fmt::format("{}: the classroom table lacks the columns {}", options.from, fmt::join(missing, ", ")));
    }
}

// Rejected rows, appended to the CSV file range by range; its header once.
class RejectsFile {
public:
    RejectsFile(const std::string& path, std::uint64_t keep_bytes) : path_(path) {
        std::error_code error;
        if (keep_bytes > 0) std::filesystem::resize_file(path, keep_bytes, error);
        out_.open(path, keep_bytes > 0 ? std::ios::app : std::ios::trunc);
        if (!out_ || error) throw Error(fmt::format("{}: cannot write the rejects file", path));
        bytes_ = keep_bytes;
    }

    void add(const Rejection& why, const ClassroomRow& row) {
        auto text = [](const std::optional<std::string>& v) { return v ? model::Value(*v) : model::Value(); };
        auto number = [](const std::optional<std::int64_t>& v) { return v ? model::Value(*v) : model::Value(); };
        pending_.rows.push_back({why.reason, why.detail, text(row.name), text(row.date), number(row.hour),
                                 text(row.time), number(row.id), text(row.song)});
    }

    // Every reject so far is in the file; returns its length.
    std::uint64_t flush() {
        if (!pending_.rows.empty()) {
            std::string csv = query::render(pending_, query::Format::Csv);
            if (bytes_ > 0) csv.erase(0, csv.find('\n') + 1);  // the header is there already
            out_ << csv;
            out_.flush();
            if (!out_) throw Error(fmt::format("{}: cannot write the rejects file", path_));
            bytes_ += csv.size();
            pending_.rows.clear();
        }
        return bytes_;
    }

private:
    std::string path_;
    std::ofstream out_;
    std::uint64_t bytes_ = 0;
    model::Table pending_{{"reason", "detail", "name", "date", "hour", "time", "id", "song"}, {}};
};

using PartitionCounts = std::map<std::tuple<std::string, std::string, std::int32_t>, std::uint64_t>;

// The target holds as many rows of each partition as were written into it.
void check_partitions(store::Store& target, const PartitionCounts& written, MigrateCounts& counts,
                      const std::string& to) {
    for (const auto& [key, n] : written) {
        const auto& [name, date, hour] = key;
        model::Table stats = target.stats({name, date, hour});
        const std::int64_t held = stats.rows.empty() ? 0 : std::get<std::int64_t>(stats.rows[0][3]);
        ++counts.partitions_checked;
        if (held == static_cast<std::int64_t>(n)) continue;
        if (counts.partitions_mismatched++ < mismatches_logged) {
            log::error("migrate", fmt::format("{}: partition ({}, {}, {}) holds {} rows, {} were written into it",
                                              to, escape_for_log(name), date, hour, held, n));
        }
    }
}

std::string summary(const MigrateCounts& c) {
    std::string reasons;
    for (const auto& [reason, n] : c.rejected_by_reason) reasons += fmt::format(" {}={}", reason, n);
    return fmt::format("read={} written={} rejected={}{} partitions_checked={} partitions_mismatched={}", c.read,
                       c.written, c.rejected, reasons, c.partitions_checked, c.partitions_mismatched);
}

}  // namespace

MigrateCounts run_migration(const MigrateOptions& options, const catalog::Catalog& catalog,
                            const std::atomic<bool>& stop) {
    MigrationState state;
    state.from = options.from;
    state.to = options.to;
    if (options.resume) {
        state = load_state(options.state_path);
        if (state.from != options.from || state.to != options.to) {
            throw UsageError(fmt::format("{}: the migration there is from {} to {}, not from {} to {}",
                                         options.state_path, state.from, state.to, options.from, options.to));
        }
    } else if (std::filesystem::exists(options.state_path)) {
        throw UsageError(fmt::format("{}: a migration state is there already: --resume continues it; delete "
                                     "the file to start over", options.state_path));
    }
    check_source(options);
    auto target = store::open_store(options.to, options.target);
    store::check_table(*target, "migrate");
    target->ensure_schema();
    auto source = open_source(options.from, options.source);
    if (!state.position.empty()) source->seek(state.position);
    RejectsFile rejects(options.rejects_path, state.rejects_bytes);
    if (state.finished) {
        log::info("migrate", fmt::format("already finished: {}", summary(state.counts)));
        return state.counts;
    }

    auto last_report = std::chrono::steady_clock::now();
    std::vector<model::EnrichedRow> rows;
    std::vector<model::Song> songs;
    PartitionCounts written;
    auto write_page = [&](std::vector<ClassroomRow>& page) {
        rows.assign(page.size(), {});
        songs.assign(page.size(), {});  // never grows while rows point into it
        std::size_t n = 0;
        for (const ClassroomRow& in : page) {
            if (auto why = map_row(in, catalog, rows[n], songs[n])) {
                rejects.add(*why, in);
                ++state.counts.rejected;
                ++state.counts.rejected_by_reason[why->reason];
            } else {
                ++written[{rows[n].name, rows[n].date, rows[n].hour}];
                ++n;
            }
        }
        target->write(std::span(rows.data(), n));
        state.counts.read += page.size();
        state.counts.written += n;
    };
    for (std::size_t ranges = 0; !stop && (options.max_ranges == 0 || ranges < options.max_ranges); ++ranges) {
        written.clear();
        if (!source->next_range(write_page)) {
            state.finished = true;
            break;
        }
        check_partitions(*target, written, state.counts, options.to);
        state.rejects_bytes = rejects.flush();
        state.position = source->position();
        save_state(options.state_path, state);
        if (options.report_interval_s > 0 &&
            std::chrono::steady_clock::now() - last_report >= std::chrono::duration<double>(options.report_interval_s)) {
            log::info("migrate", fmt::format("{} done: {}", source->describe(), summary(state.counts)));
            last_report = std::chrono::steady_clock::now();
        }
    }
    save_state(options.state_path, state);
    log::info("migrate", fmt::format("{}: {}", state.finished ? "done" : "stopped (--resume continues)",
                                     summary(state.counts)));
    return state.counts;
}

}  // namespace playstream::migrate
