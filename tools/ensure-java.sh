#!/usr/bin/env bash
# The local Neo4j needs Java 17+ and Maven; install them from Debian's packages when missing.
set -euo pipefail
need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} for the local Neo4j"
  if [ "$(id -u)" -ne 0 ]; then echo "run as root or install ${need[*]} yourself" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
