# Shared by the fault-matrix tests that need no servers (tests/faults/*.sh): the e2e helpers and
# the fault checks. Usage in a test: source "$(dirname "$0")/lib.bash" BIN SRC
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.bash" "$@"
source "$(dirname "${BASH_SOURCE[0]}")/checks.bash"
