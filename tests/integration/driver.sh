#!/usr/bin/env bash
# The CQL driver's own tests (tests/cql_driver_cassandra_test.cpp) against the running node:
# routing checked against Cassandra's token(), paging, re-prepare, and (with credentials in
# PLAYSTREAM_CASSANDRA_USER/_PASSWORD on a cluster started with --auth) a wrong password.
set -euo pipefail
bin=$1
PLAYSTREAM_CASSANDRA=127.0.0.1 "$(dirname "$bin")/tests/playstream_tests" \
  --gtest_filter='CqlDriverCassandra.*' --gtest_brief=1
