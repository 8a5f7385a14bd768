// The named baselines "sqlite_direct" and "cassandra_direct": the same events as
// `playstream produce --users 100 --seed 42` would make, enriched and written straight into a
// store with the same batch size, with no Kafka and no JSON in between. For Cassandra this is
// the raw write limit of our writer: prepared, token-aware INSERTs, a whole batch in flight.
// Usage: bench_store_direct EVENTS STORE_URI BATCH_SIZE; prints rows/s.
#include <chrono>
#include <string>

#include <fmt/format.h>

#include "bench_events.hpp"
#include "pipeline/enricher.hpp"
#include "store/store.hpp"

using namespace playstream;

int main(int argc, char** argv) {
    if (argc != 4) {
        fmt::print(stderr, "usage: bench_store_direct EVENTS STORE_URI BATCH_SIZE\n");
        return 2;
    }
    const std::size_t count = std::stoull(argv[1]);
    const std::size_t batch_size = std::stoull(argv[3]);
    catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    auto generator = bench::generator(catalog);
    pipeline::Enricher enricher(catalog);
    auto store = store::open_store(argv[2]);
    store->ensure_schema();

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
        store->write({batch.data(), n});
        done += n;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("{:.0f}\n", static_cast<double>(count) / seconds);
    return 0;
}
