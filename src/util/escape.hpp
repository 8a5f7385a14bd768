#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace playstream {

// Text from a message or a stored row, made safe to show: it can neither forge a line nor drive
// the reader's terminal. Newline, tab and carriage return become \n \t \r; every other control
// byte (C0, DEL, the C1 controls U+0080-U+009F) and every byte that is not part of valid UTF-8
// becomes \xNN; a backslash becomes \\. Valid UTF-8 otherwise passes through.

// For a log line: at most `cap` bytes of escaped text (a quote becomes \" too); when cut,
// followed by ` ... (N more bytes)`, N counted in the original text. The cut never splits a
// character or an escape.
std::string escape_for_log(std::string_view text, std::size_t cap = 200);

// escape_for_log in double quotes, the note of a cut after them: for text that may be empty or
// hold spaces, so that a reader sees where it starts and ends.
std::string quote_for_log(std::string_view text, std::size_t cap = 200);

// For a terminal table: escaped as above, quotes kept as they are, not cut.
std::string escape_for_terminal(std::string_view text);

}  // namespace playstream
