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
//   response is decompressed whole, however full the queue already is. Derived as one batch of
//   typical messages uncompressed (batch x kTypicalMessageBytes), never below message.max.bytes
//   (librdkafka refuses a smaller one; 1,000,000 by default) nor above librdkafka's 50 MiB default.
//   Uncompressed, a response holds about one batch; gzip'd (~9.5:1 on listen events) about ten.
// - queued.max.messages.kbytes, the payload bytes waiting in the consumer's queue above which no
//   further fetch is sent: two batches of typical messages, so that a batch is ready while the next
//   fetch is under way (two batches last ~0.5 s at 40,000 rows/s; a fetch takes milliseconds).
//   The queue overshoots it by up to one response.
// Before, `stream` set only a 16 MiB queue, from which librdkafka derived 16 MiB fetches: eight
// partitions x 1 MiB of gzip per response, ~80 MB once decompressed, ~235 MB of peak RSS on a
// backlog. Each broker answers its own fetches, so a consumer whose partitions are led by B brokers
// may hold B responses at once.
//
// A setting the user gave (-X, in `user`) is never replaced, and a user's larger message.max.bytes
// raises the fetch bound with it.
inline constexpr std::size_t kTypicalMessageBytes = 150;  // a listen event: ~135 B of JSON, ~12 B of key

Settings fetch_bound_settings(std::size_t batch_size, const Settings& user);

}  // namespace playstream::kafka
