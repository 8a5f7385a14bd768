#include "cql/compression.hpp"

#include <algorithm>

#include <lz4.h>

#include "cql/byte_order.hpp"
#include "cql/error.hpp"

namespace playstream::cql {

std::string_view to_string(Compression c) { return c == Compression::Lz4 ? "lz4" : ""; }

namespace {

// One independent LZ4 block, as LZ4_compress_default makes, from a state kept per thread:
// LZ4_compress_default clears its 16 KiB hash table for every call, which for a request frame of
// ~300 bytes cost a third of the compression (344 against 255 ns a frame); LZ4_resetStream_fast
// only marks the table stale. No dictionary is carried from one frame to the next.
int compress_block(const std::uint8_t* in, std::uint8_t* out, int size, int capacity) {
    thread_local LZ4_stream_t state;
    thread_local const bool ready = LZ4_initStream(&state, sizeof state) != nullptr;
    if (!ready) return 0;  // never: the state is LZ4's own type, so aligned and large enough
    LZ4_resetStream_fast(&state);
    return LZ4_compress_fast_continue(&state, reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out), size,
                                      capacity, 1);
}

}  // namespace

Bytes lz4_compress(ByteView body) {
    // Bodies are at most max_body_length (256 MB), well inside LZ4's int sizes.
    const int size = static_cast<int>(body.size());
    Bytes out(4 + static_cast<std::size_t>(LZ4_compressBound(size)));
    store_be(out.data(), static_cast<std::uint32_t>(size));
    const int n = compress_block(body.data(), out.data() + 4, size, static_cast<int>(out.size() - 4));
    out.resize(4 + static_cast<std::size_t>(n));  // n > 0: the bound always fits
    return out;
}

Bytes lz4_decompress(ByteView compressed) {
    Bytes out;
    lz4_decompress(compressed, out);
    return out;
}

void lz4_decompress(ByteView compressed, Bytes& out) {
    if (compressed.size() < 4)
        throw ProtocolError("compressed body of " + std::to_string(compressed.size()) + " bytes, without its length");
    const auto length = load_be<std::uint32_t>(compressed.data());
    if (length > max_body_length)
        throw ProtocolError("compressed body declares " + std::to_string(length) + " bytes, over the 256 MB limit");
    out.resize(length);
    const auto block = compressed.subspan(4);
    const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(block.data()), reinterpret_cast<char*>(out.data()),
                                      static_cast<int>(block.size()), static_cast<int>(length));
    if (n < 0 || static_cast<std::uint32_t>(n) != length)
        throw ProtocolError("compressed body is not an LZ4 block of the " + std::to_string(length) +
                            " bytes it declares");
}

void append_request_frame(Bytes& out, ByteView frame, Compression c) {
    const auto at = out.size();
    const auto op = frame.size() > header_size ? static_cast<Opcode>(frame[4]) : Opcode::Startup;
    if (c == Compression::Lz4 && op != Opcode::Startup && op != Opcode::Options) {
        const auto body = frame.subspan(header_size);
        const int size = static_cast<int>(body.size());
        const int bound = LZ4_compressBound(size);
        out.resize(at + header_size + 4 + static_cast<std::size_t>(bound));
        std::copy(frame.begin(), frame.begin() + header_size, out.begin() + static_cast<std::ptrdiff_t>(at));
        std::uint8_t* length = out.data() + at + header_size;
        store_be(length, static_cast<std::uint32_t>(size));
        const int n = compress_block(body.data(), length + 4, size, bound);
        const auto compressed = 4 + static_cast<std::size_t>(n);
        if (n > 0 && compressed < body.size()) {  // else incompressible: the flag is per frame
            out.resize(at + header_size + compressed);
            out[at + 1] |= frame_flag::compression;
            store_be(out.data() + at + 5, static_cast<std::uint32_t>(compressed));
            return;
        }
        out.resize(at);
    }
    out.insert(out.end(), frame.begin(), frame.end());
}

void compress_request_frame(Bytes& frame, Compression c) {
    Bytes out;
    out.reserve(frame.size());
    append_request_frame(out, frame, c);
    frame.swap(out);
}

void RequestCompression::append(Bytes& out, ByteView frame) {
    if (negotiated_ == Compression::None) return append_request_frame(out, frame, Compression::None);
    if (skipping_ > 0) {
        --skipping_;
        return append_request_frame(out, frame, Compression::None);
    }
    const auto at = out.size();
    append_request_frame(out, frame, negotiated_);
    plain_bytes_ += frame.size();
    sent_bytes_ += out.size() - at;
    if (++sampled_ < sample) return;
    if (sent_bytes_ > plain_bytes_ - plain_bytes_ / 8) skipping_ = skip;
    sampled_ = 0;
    plain_bytes_ = sent_bytes_ = 0;
}

Response decode_response(const FrameHeader& header, ByteView body, Compression c) {
    if (!(header.flags & frame_flag::compression) || c == Compression::None) return decode_response(header, body);
    const auto where = [&] {  // made only for an error
        return std::string(to_string(header.opcode)) + " frame on stream " + std::to_string(header.stream);
    };
    if (body.size() != header.length)
        throw ProtocolError(where() + ": body of " + std::to_string(body.size()) + " bytes, header says " +
                            std::to_string(header.length));
    // Into a buffer kept per thread (a response owns copies of what it keeps): one per response
    // was an allocation for every row written. A large one (a page of rows) is not kept.
    constexpr std::size_t kept_bytes = 65536;
    thread_local Bytes plain;
    struct Trim {
        ~Trim() {
            if (plain.capacity() > kept_bytes) Bytes().swap(plain);
        }
    } trim;
    try {
        lz4_decompress(body, plain);
    } catch (const ProtocolError& e) {
        throw ProtocolError(where() + ": " + e.what());
    }
    auto h = header;
    h.flags = static_cast<std::uint8_t>(h.flags & ~frame_flag::compression);
    h.length = static_cast<std::uint32_t>(plain.size());
    return decode_response(h, plain);
}

}  // namespace playstream::cql
