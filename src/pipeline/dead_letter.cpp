#include "pipeline/dead_letter.hpp"

#include <fmt/format.h>

namespace playstream::pipeline {

std::string_view to_string(Stage stage) {
    switch (stage) {
        case Stage::Decode: return "decode";
        case Stage::Enrich: return "enrich";
        case Stage::Store: return "store";
    }
    return "decode";
}

Stage stage_of(model::RejectReason reason) {
    return reason == model::RejectReason::UnknownSong ? Stage::Enrich : Stage::Decode;
}

std::vector<std::pair<std::string, std::string>> dead_letter_headers(const DeadLetter& letter) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"playstream.error.stage", std::string(to_string(letter.stage))},
        {"playstream.error.reason", std::string(letter.reason)},
        {"playstream.error.message", std::string(letter.message)},
        {"playstream.source.topic", std::string(letter.topic)},
        {"playstream.source.partition", fmt::format("{}", letter.partition)},
        {"playstream.source.offset", fmt::format("{}", letter.offset)},
    };
    if (letter.timestamp_ms >= 0) {
        headers.emplace_back("playstream.source.timestamp", fmt::format("{}", letter.timestamp_ms));
    }
    return headers;
}

}  // namespace playstream::pipeline
