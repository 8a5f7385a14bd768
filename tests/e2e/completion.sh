#!/usr/bin/env bash
# Bash completion (scripts/completion/playstream.bash) in step with the binary: its commands are
# the ones `playstream --help` lists, and each command's options are exactly the ones
# `playstream COMMAND --help` prints; then it completes as a shell would ask it to.
source "$(dirname "$0")/lib.bash" "$@"
completion=$src/scripts/completion/playstream.bash

# Long options in a --help text (CLI11: "  -h,--help", "  --store TEXT REQUIRED", ...).
help_options() { "$bin" "$@" --help | grep -oE '^ +(-[a-zA-Z], ?)?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' | sort -u; }
# The words a line of the completion script sets: `local NAME="..."` or `CMD) options="..." ;;`.
script_words() {
  sed 's/^ *//; s/^local //' "$completion" | grep -F "$1=\"" | head -1 | cut -d'"' -f2 | tr ' ' '\n' | grep . | sort -u
}

commands=$("$bin" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF {print $1}' | sort -u)
[ -n "$commands" ] || fail "no commands in --help"
check "commands" "$(script_words commands | tr '\n' ' ')" "$(echo "$commands" | tr '\n' ' ')"
check "global options" "$(script_words global | tr '\n' ' ')" "$(help_options | tr '\n' ' ')"
for c in $commands; do
  check "$c options" "$(script_words "$c) options" | tr '\n' ' ')" "$(help_options "$c" | tr '\n' ' ')"
done

# As bash asks it: COMP_WORDS and COMP_CWORD in, COMPREPLY out.
complete_line() { # complete_line WORD... (the last one is the word being completed)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _playstream; echo "${COMPREPLY[*]}"' \
    _ "$completion" playstream "$@"
}
check "a command" "$(complete_line mig)" "migrate"
check "an option of that command" "$(complete_line migrate --res)" "--resume"
check "not another command's option" "$(complete_line stream --res)" ""
check "a value from a fixed set" "$(complete_line query sample --format c)" "csv"
check "query's kinds" "$(complete_line query s)" "sample songs stats"
