#!/usr/bin/env bash
# Copy the same synthetic Mastodon between the same two S3-compatible stores with mastodon-s3-sync and with rclone,
# at the same concurrency, and print wall time, throughput and peak memory of each, for a first copy and for a rerun
# with nothing left to copy.
#
#   bench/copy-vs-rclone.sh [ROWS_PER_TABLE=500] [OBJECT_SIZE=262144] [CONCURRENCY=16]
#
# Needs: the jar (mvn -B -DskipTests package), rclone and GNU time (apt-get install rclone time).
# The stores are s3proxy endpoints on 127.0.0.1 backed by directories under a temp dir; the database is an embedded
# PostgreSQL. Everything runs on this machine, so both tools share its cores with the servers in the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-500}
SIZE=${2:-262144}
CONC=${3:-16}
command -v rclone >/dev/null || { echo "rclone missing: apt-get install rclone" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install time" >&2; exit 2; }
[ -f target/mastodon-s3-sync.jar ] || mvn -B -q -DskipTests package
mvn -B -q test-compile >/dev/null
CP="target/test-classes:target/classes:$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"

WORK=$(mktemp -d /tmp/mastodon-s3-sync-bench.XXXXXX)
trap 'kill $SERVERS 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
java -Xmx4g -cp "$CP" mastodon.s3sync.bench.BenchServers "$WORK/env" "$WORK/data" "$ROWS" "$SIZE" \
  >"$WORK/servers.log" 2>&1 &
SERVERS=$!
for _ in $(seq 1 600); do [ -f "$WORK/env" ] && break; sleep 1; done
[ -f "$WORK/env" ] || { cat "$WORK/servers.log"; echo "servers did not start" >&2; exit 1; }
# shellcheck disable=SC1091
source "$WORK/env"
MB=$(awk "BEGIN{print $BENCH_BYTES/1e6}")
echo "data: $BENCH_OBJECTS objects, $MB MB; concurrency $CONC"

cat >"$WORK/rclone.conf" <<CONF
[src]
type = s3
provider = Other
access_key_id = $AWS_ACCESS_KEY_ID
secret_access_key = $AWS_SECRET_ACCESS_KEY
endpoint = $S3_ENDPOINT
force_path_style = true
[dst]
type = s3
provider = Other
access_key_id = $TARGET_AWS_ACCESS_KEY_ID
secret_access_key = $TARGET_AWS_SECRET_ACCESS_KEY
endpoint = $TARGET_S3_ENDPOINT
force_path_style = true
CONF

measure() { # name, shell command (exec'd, so the peak RSS is the tool's own)
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" bash -c "exec $*" >"$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  read -r secs kb <"$WORK/time"
  printf "%-28s %8.1f s %9.1f MB/s %9.1f objects/s %8.0f MB peak RSS\n" "$name" "$secs" \
    "$(awk "BEGIN{print $MB/$secs}")" "$(awk "BEGIN{print $BENCH_OBJECTS/$secs}")" "$(awk "BEGIN{print $kb/1024}")"
}

CAMEL="env TARGET_S3_BUCKET=target-camel COPY_CONCURRENCY=$CONC COPY_STATE_DIR=$WORK/state LOG_LEVEL=WARN \
  java -Xmx512m -jar target/mastodon-s3-sync.jar copy"
RCLONE="env -u AWS_CA_BUNDLE rclone --config $WORK/rclone.conf copy src:source dst:target-rclone --transfers $CONC --checkers $CONC \
  --s3-upload-cutoff 16M --s3-chunk-size 16M"

measure "mastodon-s3-sync copy" "$CAMEL"
measure "rclone copy" "$RCLONE"
# a second pass with nothing new: the tool re-checks every row (--restart ignores its checkpoints), rclone re-lists
measure "mastodon-s3-sync recheck" "$CAMEL --restart"
measure "rclone recheck" "$RCLONE"
