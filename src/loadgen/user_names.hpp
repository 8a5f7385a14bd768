#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace playstream::loadgen {

// `count` distinct, realistic "First Last" names, the same for the same seed.
std::vector<std::string> generate_user_names(std::size_t count, std::uint64_t seed);

}  // namespace playstream::loadgen
