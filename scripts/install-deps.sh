#!/usr/bin/env bash
# Installs the Debian packages playstream builds and tests with. Idempotent: installs only what is
# missing; uses sudo only when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  librdkafka-dev libsimdjson-dev libsqlite3-dev libcli11-dev libfmt-dev libasio-dev
  libssl-dev liblz4-dev   # TLS and frame compression to Cassandra
  libcpp-httplib-dev   # the HTTP server of /metrics and /health
  libgtest-dev libbenchmark-dev
  prometheus   # promtool checks /metrics; a test scrapes `stream` with the real server
  clang-14 libclang-rt-14-dev   # the fuzz targets: libFuzzer and the sanitizers' runtimes
  sqlite3 time   # tests read the store with the sqlite3 CLI; benchmarks measure peak RSS
  kcat           # tests read the dead-letter topic with a Kafka client we did not write
  libjs-chart.js # Chart.js 3.9, compiled into the binary for `serve`'s page (no CDN)
  chromium       # the page's test drives a real, headless browser
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
