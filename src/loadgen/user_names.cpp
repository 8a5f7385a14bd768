#include "loadgen/user_names.hpp"

#include <array>
#include <random>
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

namespace playstream::loadgen {
namespace {

constexpr std::array<std::string_view, 48> first_names{
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Isabella", "Lucas",
    "Mia", "Mateo", "Charlotte", "James", "Ava", "Benjamin", "Harper", "Henry", "Evelyn", "Leo",
    "Aisha", "Yusuf", "Priya", "Arjun", "Mei", "Hiroshi", "Sofia", "Diego", "Amara", "Kwame",
    "Ingrid", "Lars", "Chloé", "Hugo", "Zofia", "Mikołaj", "Fatima", "Omar", "Nia", "Tariq",
    "Elena", "Luca", "Ana", "João", "Freya", "Niamh", "Kai", "Leila"};

constexpr std::array<std::string_view, 48> last_names{
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Martin",
    "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King",
    "Nguyen", "Kim", "Patel", "Singh", "Chen", "Wang", "Tanaka", "Sato", "Müller", "Schmidt",
    "Rossi", "Bianchi", "Silva", "Santos", "Kowalski", "Nowak", "O'Brien", "Murphy", "Okafor",
    "Mensah"};

}  // namespace

std::vector<std::string> generate_user_names(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> first(0, first_names.size() - 1);
    std::uniform_int_distribution<std::size_t> last(0, last_names.size() - 1);
    std::vector<std::string> names;
    std::unordered_set<std::string> seen;
    names.reserve(count);
    while (names.size() < count) {
        std::string base = fmt::format("{} {}", first_names[first(rng)], last_names[last(rng)]);
        std::string name = base;
        // Namesakes get a number, as a real service would show them apart.
        for (int n = 2; seen.contains(name); ++n) name = fmt::format("{} {}", base, n);
        seen.insert(name);
        names.push_back(std::move(name));
    }
    return names;
}

}  // namespace playstream::loadgen
