// Token routing: Cassandra's Murmur3 tokens, routing keys of composite partition keys, and the
// replicas of a token on the ring.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cql/driver/murmur3.hpp"
#include "cql/driver/token_ring.hpp"
#include "cql/value.hpp"

namespace cql = playstream::cql;
namespace driver = playstream::cql::driver;
using cql::Bytes;

namespace {

std::int64_t token(const Bytes& key) { return driver::murmur3_token(key); }
Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes repeat(const Bytes& piece, int times) {
    Bytes out;
    for (int i = 0; i < times; ++i) out.insert(out.end(), piece.begin(), piece.end());
    return out;
}
Bytes serialized(const cql::Value& v) { return std::get<Bytes>(v); }

// Vectors of datastax/python-driver, tests/unit/test_metadata.py (Murmur3TokensTest).
TEST(CqlDriverMurmur3, PythonDriverVectors) {
    EXPECT_EQ(token(text("123")), -7468325962851647638);
    EXPECT_EQ(token(repeat({0x00, 0xff, 0x10, 0xfa, 0x99}, 10)), 5837342703291459765);
    EXPECT_EQ(token(repeat({0xfe}, 8)), -8927430733708461935);  // sign-extended tail bytes
    EXPECT_EQ(token(repeat({0x10}, 8)), 1446172840243228796);
    EXPECT_EQ(token(text("9223372036854775807")), 7162290910810015547);
}

// Vectors of datastax/csharp-driver, src/Cassandra.Tests/TokenTests.cs (MurmurHashTest):
// "inputs and result values from Cassandra". Every tail length from 0 to 15 bytes is covered
// between the two tests, with bytes above 0x7f in the tail.
TEST(CqlDriverMurmur3, CsharpDriverVectors) {
    const std::vector<std::pair<Bytes, std::int64_t>> vectors{
        {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, -5563837382979743776},
        {{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, -1513403162740402161},
        {{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, -495360443712684655},
        {{4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, 1734091135765407943},
        {{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, -3199412112042527988},
        {{6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}, -6316563938475080831},
        {{7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22}, 8228893370679682632},
        {Bytes(16, 0), 5457549051747178710},
        {Bytes(16, 255), -2824192546314762522},
        {Bytes(16, 254), -833317529301936754},
        {{0, 1, 2, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, 6463632673159404390},
        {Bytes(17, 254), -1672437813826982685},
        {{254, 254, 254, 254}, 4566408979886474012},
        {{0, 0, 0, 0}, -3485513579396041028},
        {{0, 1, 127, 127}, 6573459401642635627},
        {{0, 255, 255, 255}, 123573637386978882},
        {{255, 1, 2, 3}, -2839127690952877842},
        {{226, 231}, -8582699461035929883},
        {{226, 231, 226, 231, 226, 231, 1}, 2222373981930033306},
    };
    for (const auto& [key, expected] : vectors) EXPECT_EQ(token(key), expected) << "key of " << key.size() << " bytes";
}

TEST(CqlDriverRoutingKey, SingleComponentIsTheValueItself) {
    const Bytes v = serialized(cql::to_value(std::int32_t{1}));
    const std::vector<cql::ByteView> one{v};
    EXPECT_EQ(driver::routing_key(one), v);
    // reuzel/CqlSharp, CqlSharp.Test/TokenTest.cs: token(id1) of an int key 1, read from cqlsh.
    EXPECT_EQ(token(driver::routing_key(one)), -4069959284402364209);
}

TEST(CqlDriverRoutingKey, CompositeComponentsAreLengthPrefixedAndTerminated) {
    const Bytes a = serialized(cql::to_value(std::int32_t{10}));
    const Bytes b = serialized(cql::to_value("20"));
    const std::vector<cql::ByteView> parts{a, b};
    EXPECT_EQ(driver::routing_key(parts), (Bytes{0, 4, 0, 0, 0, 10, 0, 0, 2, '2', '0', 0}));
    // reuzel/CqlSharp, CqlSharp.Test/TokenTest.cs: token(id1, id2) of (int 10, text '20') and
    // (1, '2'), read from cqlsh.
    EXPECT_EQ(token(driver::routing_key(parts)), -9026262514124674157);
    const Bytes c = serialized(cql::to_value(std::int32_t{1}));
    const Bytes d = serialized(cql::to_value("2"));
    const std::vector<cql::ByteView> other{c, d};
    EXPECT_EQ(token(driver::routing_key(other)), 4093852821103061060);
}

TEST(CqlDriverRoutingKey, ComponentOver65535BytesIsRefused) {
    const Bytes big(70000, 1);
    const Bytes small{1};
    const std::vector<cql::ByteView> parts{big, small};
    EXPECT_THROW(driver::routing_key(parts), std::length_error);
}

// The expectations of datastax/csharp-driver's TokenMapSimpleStrategyWithKeyspaceTest: nodes
// 0, 1, 2 owning tokens 0, 10, 20.
TEST(CqlDriverTokenRing, ReplicasAreTheOwnerThenTheNextNodesClockwise) {
    const driver::TokenRing ring({{20, 2}, {0, 0}, {10, 1}});
    using V = driver::NodeList;
    EXPECT_EQ(ring.replicas(0, 2), (V{0, 1}));       // a node's own token
    EXPECT_EQ(ring.replicas(-100, 2), (V{0, 1}));    // before the first token
    EXPECT_EQ(ring.replicas(500000, 2), (V{0, 1}));  // past the last: wraps
    EXPECT_EQ(ring.replicas(20, 2), (V{2, 0}));
    EXPECT_EQ(ring.replicas(19, 2), (V{2, 0}));
    EXPECT_EQ(ring.replicas(5, 10), (V{1, 2, 0}));   // RF above the node count: every node once
    EXPECT_EQ(ring.replicas(11, 1), (V{2}));
}

TEST(CqlDriverTokenRing, VnodesCountEachNodeOnce) {
    // Node 0 owns 0 and 5, node 1 owns 10, node 2 owns 7 and 30.
    const driver::TokenRing ring({{0, 0}, {5, 0}, {7, 2}, {10, 1}, {30, 2}});
    using V = driver::NodeList;
    EXPECT_EQ(ring.replicas(1, 3), (V{0, 2, 1}));
    EXPECT_EQ(ring.replicas(8, 2), (V{1, 2}));
    EXPECT_EQ(ring.replicas(31, 3), (V{0, 2, 1}));
    EXPECT_TRUE(driver::TokenRing().replicas(1, 3).empty());
}

// A ring of more nodes than a NodeList keeps inline: the list moves to the heap whole, in order.
TEST(CqlDriverTokenRing, ReplicasOfABigRingKeepTheirOrder) {
    constexpr std::size_t n = driver::NodeList::inline_capacity + 4;
    std::vector<std::pair<std::int64_t, std::size_t>> tokens;
    for (std::size_t i = 0; i < n; ++i) tokens.emplace_back(static_cast<std::int64_t>(i) * 10, n - 1 - i);
    const driver::TokenRing ring(std::move(tokens));
    const auto all = ring.replicas(25, n);  // from token 30 (node n - 4) clockwise
    ASSERT_EQ(all.size(), n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(all[i], (2 * n - 4 - i) % n) << i;
    EXPECT_EQ(ring.replicas(25, 2), (driver::NodeList{n - 4, n - 5}));
    EXPECT_FALSE(all == ring.replicas(25, n - 1));
    // Moved from, on the heap or inline, a list is empty and usable again.
    for (const std::size_t count : {n, std::size_t{2}}) {
        auto from = ring.replicas(25, count);
        const auto to = std::move(from);
        EXPECT_EQ(to.size(), count);
        EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move): what is tested
        from.push_back(7);
        EXPECT_EQ(from, (driver::NodeList{7}));
    }
}

}  // namespace
