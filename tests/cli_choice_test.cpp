// Options that name a choice reach the program as an enum, parsed once at the edge.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/choice.hpp"
#include "cli/common.hpp"

namespace playstream::cli {
namespace {

enum class Side { Left, Right };

// Parses `args` (after the program name) into a fresh command with one --side option.
Side parse_side(std::vector<std::string> args, bool ignore_case = false) {
    CLI::App app;
    Side side = Side::Left;
    add_choice(app, "--side", side, {{"left", Side::Left}, {"right", Side::Right}}, "a side", ignore_case);
    args.insert(args.begin(), "test");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return side;
}

TEST(CliChoice, TheNameBecomesTheEnumAndTheDefaultStays) {
    EXPECT_EQ(parse_side({}), Side::Left);
    EXPECT_EQ(parse_side({"--side", "right"}), Side::Right);
}

TEST(CliChoice, AnUnknownNameIsAUsageErrorListingTheChoices) {
    try {
        parse_side({"--side", "middle"});
        FAIL() << "middle was accepted";
    } catch (const CLI::ValidationError& e) {
        EXPECT_NE(std::string(e.what()).find("{left,right}"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_side({"--side", "RIGHT"}), CLI::ValidationError);  // case matters by default
}

TEST(CliChoice, IgnoringCaseAcceptsAnySpelling) {
    EXPECT_EQ(parse_side({"--side", "RiGhT"}, true), Side::Right);
}

TEST(CliChoice, TheDefaultIsShownByName) {
    CLI::App app;
    Side side = Side::Right;
    auto* option = add_choice(app, "--side", side, {{"left", Side::Left}, {"right", Side::Right}}, "a side");
    EXPECT_EQ(option->get_default_str(), "right");
}

TEST(CliChoice, WriteConsistencyTakesEveryCqlLevelInAnyCase) {
    CLI::App app;
    store::StoreOptions options;
    add_write_consistency_option(app, options);
    const char* argv[] = {"test", "--write-consistency", "local_one"};
    app.parse(3, argv);
    EXPECT_EQ(options.write_consistency, cql::Consistency::LocalOne);
}

}  // namespace
}  // namespace playstream::cli
