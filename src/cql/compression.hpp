#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cql/frame.hpp"
#include "cql/response.hpp"

// Frame compression of protocol v4 (spec section 5), negotiated in STARTUP. Only LZ4: Snappy is
// gone from Cassandra 5's defaults, and LZ4 is the faster of the two. A compressed v4 LZ4 body is
// the uncompressed length as a 4-byte big-endian int, then one LZ4 block.
namespace playstream::cql {

enum class Compression { None, Lz4 };

// The STARTUP value: "lz4"; empty for None.
std::string_view to_string(Compression c);

// The compressed form of a frame body.
Bytes lz4_compress(ByteView body);
// The body a compressed one stands for. Throws ProtocolError when it is not an LZ4 block of the
// length it declares, or declares more than max_body_length.
Bytes lz4_decompress(ByteView compressed);
// The same into `out` (resized to the body), whose storage it reuses.
void lz4_decompress(ByteView compressed, Bytes& out);

// Appends the request frame `frame` (header and body) to `out`, its body compressed straight into
// `out` and its compression flag set when that makes it smaller; STARTUP and OPTIONS are never
// compressed. With None, appends it as it is.
void append_request_frame(Bytes& out, ByteView frame, Compression c);
// The same, in place.
void compress_request_frame(Bytes& frame, Compression c);

// A connection's request compression: appends frames compressed while that pays. Rows of numbers
// and ids barely compress (a listen insert by 3 %) and LZ4 was the write path's largest single
// cost (7 % of `stream`'s CPU), so after a sample of `sample` compressed frames that saved less
// than an eighth of their bytes, the next `skip` frames go as they are (the flag is per frame),
// then another sample is taken: traffic that starts to compress is noticed within a skip (at
// 50,000 rows/s, 0.1 s). The same idea as Cassandra's `min_compress_ratio` for SSTable chunks.
// Sampling 32 frames in 1,056 still cost 1 % of the write path; 8 in 4,104 costs a sixteenth.
class RequestCompression {
public:
    static constexpr std::uint32_t sample = 8;
    static constexpr std::uint32_t skip = 4096;

    explicit RequestCompression(Compression negotiated = Compression::None) : negotiated_(negotiated) {}
    Compression negotiated() const { return negotiated_; }
    // Appends `frame` to `out`, as append_request_frame with the negotiated compression while
    // compressing pays, else as it is.
    void append(Bytes& out, ByteView frame);

private:
    Compression negotiated_;
    std::uint32_t skipping_ = 0;  // frames left to send as they are
    std::uint32_t sampled_ = 0;   // compressed frames in this sample
    std::uint64_t plain_bytes_ = 0, sent_bytes_ = 0;
};

// decode_response for a connection that negotiated `c`: a body with the compression flag is
// decompressed first. A compressed frame on a connection that negotiated none is a ProtocolError.
Response decode_response(const FrameHeader& header, ByteView body, Compression c);

}  // namespace playstream::cql
