// The NAME:PARTITIONS and KEY=VALUE option values, parsed without a command line.
#include <gtest/gtest.h>

#include "kafka/option_syntax.hpp"
#include "util/error.hpp"

namespace playstream {
namespace {

TEST(TopicSpec, SplitsAtTheLastColon) {
    const auto topic = kafka::parse_topic_spec("a:b:12");
    EXPECT_EQ(topic.name, "a:b");
    EXPECT_EQ(topic.partitions, 12);
}

TEST(TopicSpec, RefusesWhatIsNotNamePartitions) {
    for (const char* spec : {"", "listens", ":3", "listens:", "listens:0", "listens:-1", "listens:+3",
                             "listens: 3", "listens:99999999999"}) {
        EXPECT_THROW(kafka::parse_topic_spec(spec), UsageError) << spec;
    }
}

// Trailing text after the count used to be ignored: foo:3x made a topic of 3 partitions.
TEST(TopicSpec, RefusesTrailingTextAfterTheCount) {
    EXPECT_THROW(kafka::parse_topic_spec("foo:3x"), UsageError);
    EXPECT_THROW(kafka::parse_topic_spec("foo:3 "), UsageError);
}

TEST(KafkaSetting, SplitsAtTheFirstEquals) {
    EXPECT_EQ(kafka::parse_setting("sasl.jaas=a=b"), (std::pair<std::string, std::string>{"sasl.jaas", "a=b"}));
    EXPECT_EQ(kafka::parse_setting("k="), (std::pair<std::string, std::string>{"k", ""}));
    EXPECT_THROW(kafka::parse_setting("k"), UsageError);
    EXPECT_THROW(kafka::parse_setting("=v"), UsageError);
    EXPECT_THROW(kafka::parse_setting(""), UsageError);
}

}  // namespace
}  // namespace playstream
