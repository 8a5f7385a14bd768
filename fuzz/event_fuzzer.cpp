// libFuzzer target: one Kafka message payload through the event decoder, then through the
// enricher joined with the bundled sample catalogue (so most songs are unknown: that path too).
// The decoder must never throw; a decoded event must survive encode -> decode unchanged; an
// enriched row must name the catalogue song of the event and the event's date and hour.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/catalog.hpp"
#include "events/event_codec.hpp"
#include "events/timestamp.hpp"
#include "pipeline/enricher.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace playstream;

bool same(const model::ListenEvent& a, const model::ListenEvent& b) {
    return a.id == b.id && a.name == b.name && a.song == b.song && a.song_id == b.song_id && a.time_ms == b.time_ms;
}

void check_rejected(const events::DecodeError& error) {
    FUZZ_CHECK(static_cast<std::size_t>(error.reason) < model::reject_reason_count);
    FUZZ_CHECK(!error.detail.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const catalog::Catalog catalog = catalog::Catalog::from_text(catalog::bundled_sample_csv(), "sample");
    static events::EventDecoder decoder;
    static pipeline::MessageProcessor processor(catalog);
    const std::string_view payload(reinterpret_cast<const char*>(data), size);

    model::ListenEvent event;
    events::DecodeError error;
    const bool decoded = decoder.decode(payload, event, error);
    if (!decoded) {
        check_rejected(error);
    } else {
        FUZZ_CHECK(event.id >= 0 && !event.name.empty() && (!event.song_id || *event.song_id >= 0));
        std::string encoded;
        events::encode_event(event, encoded);
        model::ListenEvent again;
        FUZZ_CHECK(decoder.decode(encoded, again, error));
        FUZZ_CHECK(same(event, again));
    }

    // The processor's own decoder has another history of buffers: the same verdict, or a join.
    model::EnrichedRow row;
    events::DecodeError why;
    if (!processor.process(payload, row, why)) {
        check_rejected(why);
        FUZZ_CHECK(decoded ? why.reason == model::RejectReason::UnknownSong
                      : why.reason == error.reason && why.detail == error.detail);
        return 0;
    }
    FUZZ_CHECK(decoded);
    FUZZ_CHECK(row.song != nullptr && row.song->name == event.song && row.id == event.id && row.name == event.name);
    FUZZ_CHECK(!event.song_id || row.song->id == *event.song_id);
    FUZZ_CHECK(events::format_timestamp(row.time_ms).starts_with(row.date) && row.hour >= 0 && row.hour < 24);
    return 0;
}
