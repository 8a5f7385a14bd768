// Decode + enrich per event on one thread (target: >= 1,000,000 events/s), against the named
// baseline "simdjson_fields_only": simdjson On-Demand reading the same messages' fields and
// nothing else, the floor for any decoder built on it. bench/run-all.sh prints the ratio.
#include <benchmark/benchmark.h>

#include "bench_events.hpp"
#include "pipeline/enricher.hpp"

namespace playstream::bench {
namespace {

constexpr std::size_t message_count = 16384;

const catalog::Catalog& sample_catalog() {
    static const catalog::Catalog catalog =
        catalog::Catalog::from_text(catalog::bundled_sample_csv(), "<bundled sample>");
    return catalog;
}

const std::vector<std::pair<std::string, std::string>>& messages() {
    static const auto m = encoded_events(sample_catalog(), message_count);
    return m;
}

void decode_enrich(benchmark::State& state) {
    pipeline::MessageProcessor processor(sample_catalog());
    model::EnrichedRow row;
    events::DecodeError error;
    std::size_t i = 0;
    for (auto _ : state) {
        bool ok = processor.process(messages()[i++ % message_count].second, row, error);
        benchmark::DoNotOptimize(ok);
        benchmark::DoNotOptimize(row.hour);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(decode_enrich);

void simdjson_fields_only(benchmark::State& state) {
    simdjson::ondemand::parser parser;
    std::string padded;
    std::size_t i = 0;
    for (auto _ : state) {
        const std::string& payload = messages()[i++ % message_count].second;
        padded.assign(payload);
        padded.resize(payload.size() + simdjson::SIMDJSON_PADDING);
        simdjson::ondemand::document doc;
        std::size_t fields = 0;
        if (parser.iterate(padded.data(), payload.size(), padded.size()).get(doc) == simdjson::SUCCESS) {
            simdjson::ondemand::object object;
            if (doc.get_object().get(object) == simdjson::SUCCESS) {
                for (auto field : object) {
                    simdjson::ondemand::raw_json_string key;
                    simdjson::ondemand::value value;
                    if (field.key().get(key) == simdjson::SUCCESS && field.value().get(value) == simdjson::SUCCESS) {
                        fields += value.raw_json_token().size();
                    }
                }
            }
        }
        benchmark::DoNotOptimize(fields);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(simdjson_fields_only);

}  // namespace
}  // namespace playstream::bench

BENCHMARK_MAIN();
