// The end-to-end benchmark's named baseline "sqlite_direct": the same events as
// `playstream produce --users 100 --seed 42` would make, enriched and inserted straight into the
// same SQLite schema with the same batch size, with no Kafka and no JSON in between.
// Usage: bench_sqlite_direct EVENTS DB_PATH BATCH_SIZE; prints rows/s.
#include <chrono>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "bench_events.hpp"
#include "pipeline/enricher.hpp"
#include "store/sqlite_store.hpp"

using namespace playstream;

int main(int argc, char** argv) {
    if (argc != 4) {
        fmt::print(stderr, "usage: bench_sqlite_direct EVENTS DB_PATH BATCH_SIZE\n");
        return 2;
    }
    const std::size_t count = std::stoull(argv[1]);
    const std::string path = argv[2];
    const std::size_t batch_size = std::stoull(argv[3]);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

    catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    auto generator = bench::generator(catalog);
    pipeline::Enricher enricher(catalog);
    store::SqliteStore store(path);
    store.ensure_schema();

    std::vector<model::EnrichedRow> batch(batch_size);
    model::ListenEvent event;
    events::DecodeError error;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t done = 0; done < count;) {
        std::size_t n = std::min(batch_size, count - done);
        for (std::size_t i = 0; i < n; ++i) {
            generator.next(event, bench::start_ms + static_cast<std::int64_t>(done + i));
            if (!enricher.enrich(event, batch[i], error)) return 1;
        }
        store.write({batch.data(), n});
        done += n;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("{:.0f}\n", static_cast<double>(count) / seconds);
    return store.count_rows() == static_cast<std::int64_t>(count) ? 0 : 1;
}
