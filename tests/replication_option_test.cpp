// `schema --replication DC:N[,DC:N...]`: what is accepted, what each refusal says.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store_options.hpp"
#include "util/error.hpp"

namespace playstream {
namespace {

using store::DatacenterFactor;
using store::parse_datacenter_factors;

TEST(ReplicationOption, EachDatacenterWithItsReplicasInOrder) {
    EXPECT_EQ(parse_datacenter_factors("dc1:2,dc2:1"),
              (std::vector<DatacenterFactor>{{"dc1", 2}, {"dc2", 1}}));
    EXPECT_EQ(parse_datacenter_factors("us-east_1.a:100"), (std::vector<DatacenterFactor>{{"us-east_1.a", 100}}));
}

// The message of the UsageError `text` is refused with.
std::string refusal(const std::string& text) {
    try {
        parse_datacenter_factors(text);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(ReplicationOption, RefusesWhatIsNotDatacenterColonReplicas) {
    EXPECT_EQ(refusal("dc1"), "--replication: 'dc1' is not DATACENTER:REPLICAS (e.g. dc1:3) in 'dc1'");
    EXPECT_EQ(refusal("dc1:2,"), "--replication: '' is not DATACENTER:REPLICAS (e.g. dc1:3) in 'dc1:2,'");
    EXPECT_EQ(refusal(""), "--replication: '' is not DATACENTER:REPLICAS (e.g. dc1:3) in ''");
    EXPECT_EQ(refusal(":3"), "--replication: ':3' is not DATACENTER:REPLICAS (e.g. dc1:3) in ':3'");
    EXPECT_EQ(refusal("dc1:3x"), "--replication: 'dc1:3x' is not DATACENTER:REPLICAS (e.g. dc1:3) in 'dc1:3x'");
    // The name goes into CQL as a string: a quote must never reach it.
    EXPECT_EQ(refusal("d'c:1"), "--replication: 'd'c:1' is not DATACENTER:REPLICAS (e.g. dc1:3) in 'd'c:1'");
    EXPECT_EQ(refusal("dc 1:1"), "--replication: 'dc 1:1' is not DATACENTER:REPLICAS (e.g. dc1:3) in 'dc 1:1'");
}

TEST(ReplicationOption, RefusesFactorsOutOfRangeAndDatacentersGivenTwice) {
    EXPECT_EQ(refusal("dc1:0"), "--replication: 0 replicas in dc1: give 1 to 100");
    EXPECT_EQ(refusal("dc1:-1"), "--replication: -1 replicas in dc1: give 1 to 100");
    EXPECT_EQ(refusal("dc1:101"), "--replication: 101 replicas in dc1: give 1 to 100");
    EXPECT_EQ(refusal("dc1:99999999999"), "--replication: 'dc1:99999999999' is not DATACENTER:REPLICAS (e.g. dc1:3) in 'dc1:99999999999'");
    EXPECT_EQ(refusal("dc1:2,dc2:1,dc1:3"), "--replication: datacenter dc1 is given twice in 'dc1:2,dc2:1,dc1:3'");
}

}  // namespace
}  // namespace playstream
