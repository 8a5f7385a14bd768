#pragma once

#include <string>
#include <string_view>

namespace playstream {

// Appends `text` as a JSON string literal, quotes included. UTF-8 passes through; quotes,
// backslashes and control characters are escaped.
void append_json_string(std::string& out, std::string_view text);

}  // namespace playstream
