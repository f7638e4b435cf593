#!/usr/bin/env bash
# Peak RSS of bin/mastodon-s3-sync copying COUNT large objects at once (concurrency COUNT: every worker holds one),
# the issue's "16 objects of 1 GB": each streams from the GET to the PUT in parts of copy.part-size, so memory should
# not depend on the objects' size. The other two memory figures of issue #14 come from bench/copy-vs-rclone.sh
# (20,000 objects) and bench/dry-run.sh (1,000,000 rows).
#
#   bench/memory.sh [--count 16] [--size 1073741824] [--runs 1]
#
# 16 x 1 GiB needs 32 GiB of disk under /tmp (source and target stores); --size 268435456 is a quicker look.
# Needs GNU time and Maven (as bench/copy-vs-rclone.sh), rclone (creates the bucket).
source "$(dirname "$0")/lib.sh"
COUNT=16 SIZE=1073741824 RUNS=1
while [ $# -gt 0 ]; do
  case $1 in
    --count) COUNT=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) sed -n '2,10p' "$0" >&2; exit 2 ;;
  esac
done
bench_need java mvn rclone
bench_build
echo "filling the source store with $COUNT objects of $SIZE bytes..." >&2
bench_servers --big "$COUNT" "$SIZE"
echo "## $COUNT objects of $((SIZE / 1048576)) MiB at once (concurrency $COUNT), media_attachments"
echo "machine at start: $(bench_machine)"
echo "tool JVM options: ${JAVA_OPTS:-as the launcher sets them}"
for RUN in $(seq 1 "$RUNS"); do
  bench_bucket "big-$RUN"
  measure "mastodon-s3-sync copy" "$BENCH_OBJECTS" env TARGET_S3_BUCKET="big-$RUN" COPY_CONCURRENCY="$COUNT" \
    COPY_STATE_DIR="$WORK/state-$RUN" LOG_LEVEL=WARN "${TOOL[@]}" copy --only media_attachments
  rm -rf "$DATA/target/big-$RUN"
done
echo "machine at end: $(bench_machine)"
echo
table objects "$BENCH_BYTES"
