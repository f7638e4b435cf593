#!/usr/bin/env bash
# How fast the mirror applies S3 event notifications: ElasticMQ and s3proxy (in memory) on 127.0.0.1, started by
# src/test/java/mastodon/s3sync/bench/MirrorBench.java, and the mirror command as its own JVM with the options of
# bin/mastodon-s3-sync. Prints one row per consumer count:
#   events/s   EVENTS notifications queued before the start, one record per message as S3 sends them, objects of
#              SIZE bytes: files that appeared / time from the first file to the last
#   p50/p99    then RATE uploads per second for SECONDS: upload start -> file visible in the mirrored directory
#
#   bench/mirror-events.sh [--sdk-loop] [EVENTS=3000] [CONSUMERS="4"] [SIZE=50000] [RATE=100] [SECONDS=20]
#
#   --sdk-loop   a second row per consumer count: bench/SdkMirrorLoop.java, the plainest AWS SDK mirror (the same
#                clients; no order per key, no checks, no metrics, no log), with the JVM options of the copy's SDK loop
#                and the same number of threads: what the requests and the file writes cost on this machine alone
source "$(dirname "$0")/lib.sh"
SDK_LOOP=0
if [ "${1:-}" = --sdk-loop ]; then SDK_LOOP=1; shift; fi
EVENTS=${1:-3000}
CONSUMERS=${2:-4}
SIZE=${3:-50000}
RATE=${4:-100}
SECONDS_=${5:-20}
# the mirror runs as a user runs it: the jar through bin/mastodon-s3-sync, with the launcher's JVM options and class-data
# archive (JAVA_OPTS, when set, replaces them, as it does for the launcher); bench_build builds the jar when missing
bench_need java mvn
bench_build
echo "mirror: $EVENTS events of $SIZE bytes queued, then $RATE uploads/s for ${SECONDS_} s; $(nproc) cores shared with the servers; JVM options: ${JAVA_OPTS:-as the launcher sets them}"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$SDK_LOOP" = 1 ]; then
  mkdir -p "$WORK/sdk"
  javac -d "$WORK/sdk" -cp "$CP" bench/SdkMirrorLoop.java
  LOOP_OPTS=$(bench_loop_opts) # the copy's SDK loop's: a 512 MB serial heap and the launcher's compiler line
fi
printf "%-9s %-9s %-7s %-8s %-10s %-12s %-6s %-8s %-8s %-8s %-5s\n" mirror consumers events size-KB events/s CPU-s-burst \
  rate/s p50-ms p99-ms max-ms lost
bench_one() { # NAME COMMAND...: one MirrorBench run of the command, its row
  local name=$1 row dir
  shift
  dir=$(mktemp -d /tmp/mirror-bench.XXXXXX)
  row=$(java -Xmx2g -cp "$CP" mastodon.s3sync.bench.MirrorBench "$dir" "$EVENTS" "$SIZE" "$C" "$RATE" "$SECONDS_" -- \
    "$@") || { echo "$row"; tail -40 "$dir/mirror.log"; exit 1; }
  printf "%-9s %s\n" "$name" "$row"
  rm -rf "$dir"
}
for C in $CONSUMERS; do
  bench_one tool env APP_ROUTES_DIR="$PWD/routes" "$PWD/bin/mastodon-s3-sync" mirror
  if [ "$SDK_LOOP" = 1 ]; then
    set -f # com.sun.crypto.provider.*::* is an option, not a file name
    # shellcheck disable=SC2086
    # (absolute paths: MirrorBench runs the command in its work directory)
    bench_one sdk-loop java $LOOP_OPTS -cp "$WORK/sdk:$(cat target/bench-classpath.txt)" SdkMirrorLoop
    set +f
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
