#!/usr/bin/env bash
# Runs every benchmark of issue-2 scope and prints each figure with its named baseline and ratio,
# plus the machine. Usage: bench/run-all.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=bench/lib.bash
. "$here/lib.bash"
bench_machine
echo "commit:  $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"

"$build/bench/bench_enrich" --benchmark_min_time=2 --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
runs = {b["name"]: b for b in json.load(sys.stdin)["benchmarks"]}
ours, base = runs["decode_enrich"]["items_per_second"], runs["simdjson_fields_only"]["items_per_second"]
print(f"decode+enrich (1 thread): {ours:,.0f} events/s; baseline simdjson_fields_only: {base:,.0f} events/s; ratio {ours / base:.2f}")'

"$build/bench/bench_produce" 500000 gzip
"$here/e2e_embedded.sh" "$build" 1000000
