#!/usr/bin/env bash
# Installs what scripts/local-cluster needs to fetch and run Kafka and Cassandra on Debian 12:
# a JDK 17 runtime (Cassandra 5.0 runs on 11 or 17 only), Maven (fetches the servers from Maven
# Central) and python3-venv (for cqlsh from PyPI and the Kafka readiness probe).
# Idempotent: installs only what is missing; uses sudo only when not root.
set -euo pipefail

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# The java on PATH must be 17 (or 11); an installed JDK 17 package is not enough if PATH points to
# another one, so look at what 'java' really is.
java_major() {
  command -v java >/dev/null || return 0
  java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}'
}

missing=()
major=$(java_major)
if [[ $major != 17 && $major != 11 ]]; then
  installed openjdk-17-jre-headless || missing+=(openjdk-17-jre-headless)
fi
command -v mvn >/dev/null || missing+=(maven)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
command -v python3 >/dev/null || missing+=(python3)
command -v openssl >/dev/null || missing+=(openssl)   # the local CA of --cassandra-tls/--kafka-security

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-server-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# A JDK 17 that is installed but not the default (e.g. a newer JDK first on PATH) is a setup the
# script cannot fix silently: say what to do.
major=$(java_major)
if [[ $major != 17 && $major != 11 ]]; then
  echo "install-server-deps: 'java' on PATH is JDK ${major:-none}; Cassandra 5.0 needs 17." >&2
  echo "  Put /usr/lib/jvm/java-17-openjdk-*/bin first on PATH, or: update-alternatives --config java" >&2
  exit 1
fi
[ ${#missing[@]} -gt 0 ] || echo "install-server-deps: JDK $major, maven and python3-venv already present"
