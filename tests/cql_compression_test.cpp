// LZ4 frame compression (src/cql/compression.*): the v4 body codec, and its negotiation in STARTUP
// against the fake node, which compresses and decompresses with liblz4 directly. Also how a
// plaintext connection to a node that wants TLS fails (handshake.cpp).
#include <gtest/gtest.h>
#include <lz4.h>

#include <chrono>
#include <string>
#include <vector>

#include "cql/byte_order.hpp"
#include "cql/compression.hpp"
#include "cql/driver/session.hpp"
#include "cql/driver/transport.hpp"
#include "cql/error.hpp"
#include "cql/request/query.hpp"
#include "cql/request/startup.hpp"
#include "cql/value.hpp"
#include "cql_driver_fake_node.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
namespace fake = playstream::cql::fake;
using cql::Bytes;
using cql::Opcode;
using namespace std::chrono_literals;

namespace {

Bytes text_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

TEST(CqlLz4, BodyIsTheBigEndianLengthThenAnLz4Block) {
    const auto body = text_bytes(std::string(1000, 'a') + "tail");
    const auto packed = cql::lz4_compress(body);
    ASSERT_GT(packed.size(), 4u);
    EXPECT_EQ(cql::load_be<std::uint32_t>(packed.data()), 1004u);
    EXPECT_LT(packed.size(), 100u);
    // liblz4 alone reads the block after the length.
    Bytes plain(1004);
    ASSERT_EQ(LZ4_decompress_safe(reinterpret_cast<const char*>(packed.data() + 4), reinterpret_cast<char*>(plain.data()),
                                  static_cast<int>(packed.size() - 4), 1004),
              1004);
    EXPECT_EQ(plain, body);
    EXPECT_EQ(cql::lz4_decompress(packed), body);
}

TEST(CqlLz4, EveryBlockStandsAloneThoughTheStateIsReused) {
    // One compression state per thread serves every frame: a block that referred back into the
    // frame before it would not decompress on its own (the node keeps no history either).
    std::vector<Bytes> bodies;
    std::uint32_t seed = 7;
    for (int i = 0; i < 300; ++i) {
        std::string text;
        const int size = 50 + (i * 37) % 3000;
        while (static_cast<int>(text.size()) < size) {
            seed = seed * 1103515245u + 12345u;
            // Words from a small set, so that consecutive bodies share much a block could point at.
            text += std::string("song artist name date hour ").substr((seed >> 8) % 20, 5 + (seed >> 16) % 7);
        }
        bodies.push_back(text_bytes(text));
    }
    for (const Bytes& body : bodies) {
        const auto packed = cql::lz4_compress(body);
        Bytes plain(body.size());
        ASSERT_EQ(LZ4_decompress_safe(reinterpret_cast<const char*>(packed.data() + 4),
                                      reinterpret_cast<char*>(plain.data()), static_cast<int>(packed.size() - 4),
                                      static_cast<int>(body.size())),
                  static_cast<int>(body.size()));
        ASSERT_EQ(plain, body);
    }
}

TEST(CqlLz4, EmptyBodyRoundTrips) { EXPECT_TRUE(cql::lz4_decompress(cql::lz4_compress({})).empty()); }

TEST(CqlLz4, RefusesMalformedBodiesWithProtocolError) {
    EXPECT_THROW(cql::lz4_decompress(Bytes{0, 0, 1}), cql::ProtocolError);  // no room for the length
    auto packed = cql::lz4_compress(text_bytes(std::string(300, 'x')));
    auto longer = packed;
    cql::store_be(longer.data(), std::uint32_t{301});  // declares one byte more than the block holds
    EXPECT_THROW(cql::lz4_decompress(longer), cql::ProtocolError);
    auto huge = packed;
    cql::store_be(huge.data(), cql::max_body_length + 1);
    try {
        cql::lz4_decompress(huge);
        FAIL() << "accepted a body over the limit";
    } catch (const cql::ProtocolError& e) {
        EXPECT_NE(std::string(e.what()).find("256 MB"), std::string::npos) << e.what();
    }
    packed.resize(packed.size() - 3);  // cut short
    EXPECT_THROW(cql::lz4_decompress(packed), cql::ProtocolError);
}

TEST(CqlLz4, CompressesRequestFramesOnlyWhenSmallerAndNeverStartup) {
    cql::request::Query big{"SELECT * FROM ks.t WHERE k = '" + std::string(500, 'k') + "'", {}};
    auto frame = cql::encode_frame(big, 7);
    const auto plain = frame;
    cql::compress_request_frame(frame, cql::Compression::Lz4);
    EXPECT_EQ(frame[1], cql::frame_flag::compression);
    EXPECT_EQ(cql::load_be<std::uint16_t>(&frame[2]), 7u);
    EXPECT_LT(frame.size(), plain.size());
    EXPECT_EQ(cql::load_be<std::uint32_t>(&frame[5]), frame.size() - cql::header_size);
    EXPECT_EQ(cql::lz4_decompress(cql::ByteView(frame).subspan(cql::header_size)),
              Bytes(plain.begin() + cql::header_size, plain.end()));

    auto tiny = cql::encode_frame(cql::request::Query{"USE k", {}}, 1);
    const auto tiny_plain = tiny;
    cql::compress_request_frame(tiny, cql::Compression::Lz4);
    EXPECT_EQ(tiny, tiny_plain);  // LZ4 would make it longer: sent as it is

    cql::request::Startup startup;
    startup.compression = "lz4";
    startup.cql_version = std::string(300, '3');
    auto s = cql::encode_frame(startup, 0);
    const auto s_plain = s;
    cql::compress_request_frame(s, cql::Compression::Lz4);
    EXPECT_EQ(s, s_plain);

    cql::compress_request_frame(frame = plain, cql::Compression::None);
    EXPECT_EQ(frame, plain);
}

// A frame of `n` bytes of body: text (compresses well) or bytes from a generator (does not).
Bytes query_frame(bool compressible, std::uint32_t seed) {
    std::string text = "INSERT INTO ks.t (k, v) VALUES ('";
    std::uint32_t x = seed * 2654435761u + 1;
    for (int i = 0; i < 400; ++i) {
        x = x * 1664525u + 1013904223u;
        text += compressible ? 'a' : static_cast<char>('!' + (x >> 24) % 90);
    }
    text += "')";
    return cql::encode_frame(cql::request::Query{text, {}}, 3);
}

bool appended_compressed(cql::RequestCompression& c, const Bytes& frame) {
    Bytes out;
    c.append(out, frame);
    EXPECT_EQ(out.size() == frame.size(), !(out[1] & cql::frame_flag::compression));
    return (out[1] & cql::frame_flag::compression) != 0;
}

TEST(CqlLz4, StopsCompressingForAWhileWhenASampleSavedLittle) {
    using RC = cql::RequestCompression;
    RC c(cql::Compression::Lz4);
    // Text that LZ4 shortens by a little: random printable bytes, as ids and numbers are.
    int compressed = 0;
    for (std::uint32_t i = 0; i < RC::sample; ++i) compressed += appended_compressed(c, query_frame(false, i));
    EXPECT_LE(compressed, static_cast<int>(RC::sample));  // each is tried: compressed where smaller
    // The sample saved less than an eighth: the next `skip` frames go as they are, even good ones.
    for (std::uint32_t i = 0; i < RC::skip; ++i) EXPECT_FALSE(appended_compressed(c, query_frame(true, i))) << i;
    // Then a new sample is tried, and traffic that compresses well stays compressed.
    for (std::uint32_t i = 0; i < 4 * RC::sample + RC::skip; ++i)
        EXPECT_TRUE(appended_compressed(c, query_frame(true, i))) << i;

    RC none(cql::Compression::None);
    for (std::uint32_t i = 0; i < RC::sample; ++i) EXPECT_FALSE(appended_compressed(none, query_frame(true, i)));
}

TEST(CqlLz4, CompressedResponseNeedsNegotiation) {
    const auto frame = fake::reply::lz4_frame(3, Opcode::Ready, {});
    const auto header = cql::parse_response_header(cql::ByteView(frame).first(cql::header_size));
    const auto body = cql::ByteView(frame).subspan(cql::header_size);
    EXPECT_THROW(cql::decode_response(header, body, cql::Compression::None), cql::ProtocolError);
    EXPECT_TRUE(std::holds_alternative<cql::response::Ready>(cql::decode_response(header, body, cql::Compression::Lz4).body));
}

driver::SessionOptions options_for(const fake::Node& node) {
    driver::SessionOptions o;
    o.contact_points = {node.endpoint()};
    o.request_timeout = 3s;
    o.connect_timeout = 2s;
    return o;
}

// Writes of a compressible value through a session to a node offering `offered`.
int run_inserts(fake::Node& node, cql::Compression wanted) {
    node.spec.tokens = {0};
    node.start();
    auto o = options_for(node);
    o.compression = wanted;
    auto session = driver::Session::connect(o);
    const auto p = session.prepare("INSERT INTO ks.t (pk, v) VALUES (?, ?)");
    for (int i = 0; i < 20; ++i)
        session.execute(driver::Statement(p, {cql::to_value("user" + std::string(200, 'u')), cql::to_value(std::int32_t{i})}));
    return node.executes.load();
}

std::string startup_compression(fake::Node& node) {
    const auto it = node.startup_options.find("COMPRESSION");
    return it == node.startup_options.end() ? "(none)" : it->second;
}

TEST(CqlCompressionNegotiation, UsesLz4WhenTheNodeOffersIt) {
    fake::Node node;
    node.compression_offered = {"snappy", "lz4"};
    EXPECT_EQ(run_inserts(node, cql::Compression::Lz4), 20);
    EXPECT_EQ(startup_compression(node), "lz4");
    // The inserts went compressed; the node's answers (system.local's rows included) came
    // compressed by liblz4 and were read.
    EXPECT_GE(node.compressed_requests.load(), 20);
}

TEST(CqlCompressionNegotiation, SendsPlainFramesWhenTheNodeOffersNoLz4) {
    fake::Node node;
    node.compression_offered = {"snappy"};
    EXPECT_EQ(run_inserts(node, cql::Compression::Lz4), 20);
    EXPECT_EQ(startup_compression(node), "(none)");
    EXPECT_EQ(node.compressed_requests.load(), 0);
}

TEST(CqlCompressionNegotiation, NoneIsNeverAskedFor) {
    fake::Node node;
    node.compression_offered = {"lz4"};
    EXPECT_EQ(run_inserts(node, cql::Compression::None), 20);
    EXPECT_EQ(startup_compression(node), "(none)");
    EXPECT_EQ(node.compressed_requests.load(), 0);
}

TEST(CqlCompressionNegotiation, ACorruptCompressedAnswerIsAProtocolErrorNamingTheNode) {
    fake::Node node;
    node.compression_offered = {"lz4"};
    node.spec.tokens = {0};
    node.set_hook([](fake::Peer& peer, const fake::Request& r) {
        if (r.opcode != Opcode::Query || r.cql().find("SELECT now()") == std::string::npos) return false;
        auto frame = fake::reply::lz4_frame(r.stream, Opcode::Result, fake::reply::void_result());
        cql::store_be(frame.data() + cql::header_size, std::uint32_t{1000});  // more than the block holds
        peer.write(frame);
        return true;
    });
    node.start();
    auto options = options_for(node);
    options.compression = cql::Compression::Lz4;
    auto session = driver::Session::connect(options);
    try {
        session.execute(driver::Statement("SELECT now() FROM system.local"));
        FAIL() << "a corrupt compressed frame was accepted";
    } catch (const std::exception& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(node.endpoint()), std::string::npos) << what;
        EXPECT_NE(what.find("LZ4"), std::string::npos) << what;
    }
}

// A node that wants TLS, as seen by a plaintext client: it answers OPTIONS with a TLS alert record
// (as OpenSSL's servers do), or hangs up.
TEST(CqlPlaintextToTlsNode, ATlsAlertIsATlsErrorNamingTheNode) {
    fake::Node node;
    node.set_hook([](fake::Peer& peer, const fake::Request&) {
        peer.write(Bytes{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46, 0, 0});
        peer.close();
        return true;
    });
    node.start();
    try {
        driver::Session::connect(options_for(node));
        FAIL() << "connected";
    } catch (const driver::TlsError& e) {
        EXPECT_NE(std::string(e.what()).find(node.endpoint() + ": the node answered with TLS"), std::string::npos)
            << e.what();
    }
}

TEST(CqlPlaintextToTlsNode, AHangUpAtTheFirstRequestAsksWhetherTheNodeRequiresTls) {
    fake::Node node;
    node.set_hook([](fake::Peer& peer, const fake::Request&) {
        peer.close();
        return true;
    });
    node.start();
    try {
        driver::Session::connect(options_for(node));
        FAIL() << "connected";
    } catch (const driver::TlsError& e) {
        EXPECT_NE(std::string(e.what()).find("does it require TLS?"), std::string::npos) << e.what();
    }
}

TEST(CqlTlsContext, AMissingFileIsNamed) {
    driver::TlsOptions o;
    o.enabled = true;
    o.ca_file = "/nonexistent/ca.pem";
    try {
        driver::make_tls_context(o);
        FAIL() << "accepted a missing CA file";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("CA file /nonexistent/ca.pem"), std::string::npos) << e.what();
    }
    o.ca_file.clear();
    o.cert_file = "/nonexistent/cert.pem";
    EXPECT_THROW(driver::make_tls_context(o), std::invalid_argument);  // a certificate without its key
}

}  // namespace
