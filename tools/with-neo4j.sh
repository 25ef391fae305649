#!/usr/bin/env bash
# with-neo4j.sh HOME PYTHON COMMAND...: runs COMMAND with the checkout's local Neo4j in HOME (fetched and
# started when it is not running, its settings exported as ALLIANCE_NEO4J_*), then stops it again unless it
# was already running. COMMAND's exit status is this script's.
set -euo pipefail
home=$1 python=$2
shift 2
started=0
if ! "$python" -m service.neo4j_local status --home "$home" >/dev/null 2>&1; then
  "$python" -m service.neo4j_local start --home "$home"
  started=1
fi
set -a
# shellcheck disable=SC1091
. "$home/env"
set +a
status=0
"$@" || status=$?
if [ "$started" = 1 ]; then
  "$python" -m service.neo4j_local stop --home "$home"
fi
exit "$status"
