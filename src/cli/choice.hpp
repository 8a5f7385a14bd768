#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

// Options whose value is one of a few names, bound to an enum: checked and converted once, at the
// edge (a usage error, exit 2, names the option and lists the choices), so the program only ever
// sees the type. --help and --print-config show the choice's name, never the enum's number.
namespace playstream::cli {

template <class E>
using Choices = std::vector<std::pair<std::string, E>>;

// `ignore_case`: any spelling is accepted and becomes the listed one (CQL's consistency levels).
template <class E>
CLI::Option* add_choice(CLI::App& command, const std::string& name, E& target, Choices<E> choices,
                        const std::string& help, bool ignore_case = false) {
    std::vector<std::string> names;
    std::string current;
    for (const auto& [text, value] : choices) {
        names.push_back(text);
        if (value == target) current = text;
    }
    // The check below already refused anything else; it does not rewrite what --print-config shows.
    const auto same = [ignore_case](const std::string& a, const std::string& b) {
        return ignore_case ? CLI::detail::to_lower(a) == CLI::detail::to_lower(b) : a == b;
    };
    auto* option = command.add_option_function<std::string>(
        name,
        [&target, choices, same](const std::string& text) {
            for (const auto& [choice, value] : choices) {
                if (same(choice, text)) target = value;
            }
        },
        help);
    option->check(ignore_case ? CLI::IsMember(names, CLI::ignore_case) : CLI::IsMember(names));
    option->default_str(current);
    return option;
}

}  // namespace playstream::cli
