// --config, PLAYSTREAM_* and --print-config on the real command set: precedence is command line,
// then environment, then file, then default.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "test_support.hpp"

namespace playstream::cli {
namespace {

// Sets an environment variable for the life of the object.
class EnvVar {
public:
    EnvVar(std::string name, const std::string& value) : name_(std::move(name)) {
        ::setenv(name_.c_str(), value.c_str(), 1);
    }
    ~EnvVar() { ::unsetenv(name_.c_str()); }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

private:
    std::string name_;
};

struct Parsed {
    std::string config;  // print_config of the command that ran
};

// Parses `args` (after the program name) with the real app; returns the effective configuration.
Parsed parse(std::vector<std::string> args) {
    CLI::App app{"test"};
    GlobalArgs globals;
    std::vector<Command> commands = build_app(app, globals);
    args.insert(args.begin(), "playstream");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    app.parse(static_cast<int>(argv.size()), argv.data());
    for (auto& [command, run] : commands) {
        if (command->parsed()) return {print_config(app, *command)};
    }
    return {};
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

const std::vector<std::string> required = {"--brokers", "b:1", "--topic", "t", "--catalog", "c.csv",
                                           "--store", "sqlite:x.db"};

std::vector<std::string> stream_args(std::vector<std::string> extra) {
    std::vector<std::string> args{"stream"};
    args.insert(args.end(), required.begin(), required.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(CliConfig, DefaultWhenNothingElseSaysOtherwise) {
    auto config = parse(stream_args({})).config;
    EXPECT_TRUE(has_line(config, "batch-size = 10000")) << config;
    EXPECT_TRUE(has_line(config, "flush-interval = 0")) << config;
}

TEST(CliConfig, FileBeatsDefault) {
    testing::ScratchDir dir;
    write(dir.file("p.toml"), "[stream]\nbatch-size = 300\nflush-interval = 40\n");
    auto config = parse(stream_args({"--config", dir.file("p.toml")})).config;
    EXPECT_TRUE(has_line(config, "batch-size = 300")) << config;
    EXPECT_TRUE(has_line(config, "flush-interval = 40")) << config;
}

TEST(CliConfig, EnvironmentBeatsFile) {
    testing::ScratchDir dir;
    write(dir.file("p.toml"), "[stream]\nbatch-size = 300\nflush-interval = 40\n");
    EnvVar env("PLAYSTREAM_BATCH_SIZE", "400");
    auto config = parse(stream_args({"--config", dir.file("p.toml")})).config;
    EXPECT_TRUE(has_line(config, "batch-size = 400")) << config;
    EXPECT_TRUE(has_line(config, "flush-interval = 40")) << config;  // the file still counts elsewhere
}

TEST(CliConfig, CommandLineBeatsEnvironmentAndFile) {
    testing::ScratchDir dir;
    write(dir.file("p.toml"), "[stream]\nbatch-size = 300\n");
    EnvVar env("PLAYSTREAM_BATCH_SIZE", "400");
    auto config = parse(stream_args({"--config", dir.file("p.toml"), "--batch-size", "500"})).config;
    EXPECT_TRUE(has_line(config, "batch-size = 500")) << config;
}

TEST(CliConfig, RequiredOptionsMayComeFromFileAndEnvironment) {
    testing::ScratchDir dir;
    write(dir.file("p.toml"), "log-format = \"json\"\n[stream]\nbrokers = \"f:1\"\ntopic = \"listens\"\n"
                              "catalog = \"songs.csv\"\nkafka-option = [\"fetch.wait.max.ms=50\", \"a=b\"]\n");
    EnvVar env("PLAYSTREAM_STORE", "sqlite:env.db");
    auto config = parse({"stream", "--config", dir.file("p.toml")}).config;
    EXPECT_TRUE(has_line(config, "brokers = 'f:1'")) << config;
    EXPECT_TRUE(has_line(config, "store = 'sqlite:env.db'")) << config;
    EXPECT_TRUE(has_line(config, "log-format = 'json'")) << config;
    EXPECT_TRUE(has_line(config, "kafka-option = ['fetch.wait.max.ms=50', 'a=b']")) << config;
}

TEST(CliConfig, UnknownKeyNamesKeyAndFile) {
    testing::ScratchDir dir;
    write(dir.file("p.toml"), "[stream]\nbatch-size = 300\nbatch-sise = 3\n");
    try {
        parse(stream_args({"--config", dir.file("p.toml")}));
        FAIL() << "no error";
    } catch (const CLI::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("batch-sise"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(dir.file("p.toml")), std::string::npos) << e.what();
    }
}

TEST(CliConfig, UnknownSectionAndMisplacedKeyAreErrors) {
    testing::ScratchDir dir;
    write(dir.file("a.toml"), "[strem]\nbatch-size = 300\n");
    EXPECT_THROW(parse(stream_args({"--config", dir.file("a.toml")})), CLI::ConfigError);
    write(dir.file("b.toml"), "brokers = \"b:1\"\n");  // a command's option at the top level
    EXPECT_THROW(parse(stream_args({"--config", dir.file("b.toml")})), CLI::ConfigError);
}

TEST(CliConfig, PrintConfigMasksSecretsAndReadsBack) {
    testing::ScratchDir dir;
    auto first = parse(stream_args({"--cassandra-password", "hunter2", "-X", "sasl.password=hunter3",
                                    "-X", "client.id=me", "--exit-when-idle", "2.5"}))
                     .config;
    EXPECT_EQ(first.find("hunter2"), std::string::npos) << first;
    EXPECT_EQ(first.find("hunter3"), std::string::npos) << first;
    EXPECT_TRUE(has_line(first, "cassandra-password = '********'")) << first;
    EXPECT_TRUE(has_line(first, "exit-when-idle = 2.5")) << first;
    // What it prints is a config file: read back, it gives the same configuration.
    write(dir.file("again.toml"), first);
    auto second = parse({"stream", "--config", dir.file("again.toml")}).config;
    EXPECT_EQ(first, second);
}

TEST(CliConfig, OptionsDeclaredLaterGetTheirEnvironmentVariable) {
    CLI::App app{"test"};
    auto* sub = app.add_subcommand("stream");
    std::string topic;
    auto* later = sub->add_option("--dead-letter-topic", topic);
    auto* own = sub->add_option("--store", topic)->envname("MY_STORE");
    give_env_names(app);
    EXPECT_EQ(later->get_envname(), "PLAYSTREAM_DEAD_LETTER_TOPIC");
    EXPECT_EQ(own->get_envname(), "MY_STORE");  // an explicit name stays
}

TEST(CliConfig, SecretNames) {
    EXPECT_TRUE(is_secret_option("cassandra-password"));
    EXPECT_TRUE(is_secret_option("kafka-sasl-password"));
    EXPECT_FALSE(is_secret_option("cassandra-password-file"));
    EXPECT_FALSE(is_secret_option("cassandra-user"));
    EXPECT_TRUE(is_secret_kafka_key("sasl.password"));
    EXPECT_TRUE(is_secret_kafka_key("ssl.key.password"));
    EXPECT_TRUE(is_secret_kafka_key("sasl.oauthbearer.client.secret"));
    EXPECT_FALSE(is_secret_kafka_key("sasl.username"));
}

TEST(CliConfig, CassandraTlsFromTheEnvironmentAndTheFile) {
    testing::ScratchDir dir;
    write(dir.file("ca.pem"), "not read at parse time");
    write(dir.file("p.toml"), "[stream]\ncassandra-ca = '" + dir.file("ca.pem") + "'\ncassandra-compression = 'lz4'\n");
    EnvVar tls("PLAYSTREAM_CASSANDRA_TLS", "true");
    auto config = parse(stream_args({"--config", dir.file("p.toml")})).config;
    EXPECT_TRUE(has_line(config, "cassandra-tls = true")) << config;
    EXPECT_TRUE(has_line(config, "cassandra-ca = '" + dir.file("ca.pem") + "'")) << config;
    EXPECT_TRUE(has_line(config, "cassandra-compression = 'lz4'")) << config;
    EXPECT_TRUE(has_line(config, "cassandra-tls-no-verify-hostname = false")) << config;
}

TEST(CliConfig, CassandraLocalDcOnEveryCassandraCommand) {
    testing::ScratchDir dir;
    write(dir.file("p.toml"), "[query]\ncassandra-local-dc = 'dc2'\n");
    EXPECT_TRUE(has_line(parse({"query", "sample", "--store", "sqlite:x.db", "--config", dir.file("p.toml")}).config,
                         "cassandra-local-dc = 'dc2'"));
    EnvVar env("PLAYSTREAM_CASSANDRA_LOCAL_DC", "east");
    EXPECT_TRUE(has_line(parse(stream_args({})).config, "cassandra-local-dc = 'east'"));
    EXPECT_TRUE(has_line(parse(stream_args({"--cassandra-local-dc", "west"})).config, "cassandra-local-dc = 'west'"));
    for (const char* command : {"schema", "serve"})
        EXPECT_TRUE(has_line(parse({command, "--store", "sqlite:x.db"}).config, "cassandra-local-dc = 'east'")) << command;
    EXPECT_TRUE(has_line(parse({"migrate", "--from", "sqlite:a.db", "--to", "sqlite:b.db", "--catalog", "c.csv"}).config,
                         "cassandra-local-dc = 'east'"));
}

TEST(CliConfig, SchemaReplicationPerDatacenterExcludesStrategyAndFactor) {
    const std::vector<std::string> schema{"schema", "--store", "sqlite:x.db"};
    auto with = [&](std::vector<std::string> extra) {
        auto args = schema;
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    };
    EXPECT_TRUE(has_line(parse(with({"--replication", "dc1:2,dc2:1"})).config, "replication = 'dc1:2,dc2:1'"));
    EXPECT_THROW(parse(with({"--replication", "dc1:2", "--replication-factor", "3"})), CLI::ParseError);
    EXPECT_THROW(parse(with({"--replication", "dc1:2", "--replication-strategy", "SimpleStrategy"})), CLI::ParseError);
    EXPECT_THROW(parse(with({"--replication", "dc1"})), CLI::ParseError);
}

TEST(CliConfig, CassandraTlsFilesNeedTlsAndEachOther) {
    testing::ScratchDir dir;
    write(dir.file("ca.pem"), "x");
    // A CA without --cassandra-tls would be ignored in silence: refused instead.
    EXPECT_THROW(parse(stream_args({"--cassandra-ca", dir.file("ca.pem")})), CLI::ParseError);
    EXPECT_THROW(parse(stream_args({"--cassandra-tls", "--cassandra-cert", dir.file("ca.pem")})), CLI::ParseError);
    EXPECT_THROW(parse(stream_args({"--cassandra-tls", "--cassandra-ca", dir.file("missing.pem")})), CLI::ParseError);
    EXPECT_THROW(parse(stream_args({"--cassandra-compression", "snappy"})), CLI::ParseError);
    EXPECT_NO_THROW(parse(stream_args({"--cassandra-tls", "--cassandra-cert", dir.file("ca.pem"), "--cassandra-key",
                                       dir.file("ca.pem")})));
}

}  // namespace
}  // namespace playstream::cli
