#pragma once

#include <cstddef>

#include "kafka/client_config.hpp"

namespace playstream::kafka {

// How much of the topic librdkafka may fetch ahead of `stream`, in bytes, derived from the batch
// size (`--batch-size`): a bound on the consumer's memory that grows with what one store write
// takes, not with the backlog or the number of partitions.
//
// librdkafka keeps each fetched message as an op of ~285 bytes plus its payload, which stays in the
// decompressed message set it came in. Two settings bound that:
// - fetch.max.bytes, the bytes one fetch response may carry (as they travel, so compressed): a
//   response is decompressed whole, however full the queue already is. Derived as a tenth of one
//   batch of typical messages (batch x kTypicalMessageBytes / 10): gzip'd (~9.5:1 on listen
//   events) a response then holds about one batch, uncompressed a tenth of one. Kept between
//   64 KiB and librdkafka's 50 MiB default. librdkafka refuses a fetch.max.bytes below
//   message.max.bytes, which on a consumer only caps requests (a fetch request is ~100 bytes), so
//   message.max.bytes is lowered with it. A record batch larger than the fetch is still fetched
//   whole (KIP-74).
// - queued.max.messages.kbytes, the payload bytes waiting in the consumer's queue above which no
//   further fetch is sent: eight batches of typical messages. librdkafka 2.0 (Debian 12's) waits a
//   whole second before fetching again once that queue was full (its fetch.queue.backoff.ms came
//   in 2.3), so a queue that fills is a one-second stall: eight batches of small responses keep
//   fetches flowing, where two batches of ten-batch responses stalled `stream` (94,000-99,000
//   events/s from the embedded broker against 145,000-158,000 with this bound, in A/B runs).
// Before the bound, `stream` set only a 16 MiB queue, from which librdkafka derived 16 MiB fetches:
// eight partitions x 1 MiB of gzip per response, ~80 MB once decompressed, ~235 MB of peak RSS on
// a backlog. Each broker answers its own fetches, so a consumer whose partitions are led by B
// brokers may hold B responses at once.
//
// A setting the user gave (-X, in `user`) is never replaced: a user's message.max.bytes above the
// derived fetch raises the fetch with it, and a user's fetch.max.bytes or message.max.bytes leaves
// message.max.bytes to librdkafka and the user.
inline constexpr std::size_t kTypicalMessageBytes = 150;  // a listen event: ~135 B of JSON, ~12 B of key

Settings fetch_bound_settings(std::size_t batch_size, const Settings& user);

}  // namespace playstream::kafka
