#!/usr/bin/env bash
# Scale-out through the work queue (docs/scale-out.md): objects/s with 1, 2 and 3 workers, and the planner's enqueue
# rate, on this machine. PostgreSQL and two s3proxy endpoints (bench/lib.sh's BenchServers, objects of SIZE bytes)
# and ElasticMQ (src/test/.../bench/QueueBench.java) on 127.0.0.1; planner and workers are JVMs of their own, run as
# bin/mastodon-s3-sync runs them (JAVA_OPTS).
#   enqueue tasks/s   the planner's own figure (copy --plan-to --no-wait: tasks sent / time of its pass, without the
#                     JVM's start)
#   objects/s         objects / (queue drained - first object written in the target): the workers' start is not
#                     counted, their ramp-up is
# Each row copies every object into its own empty target bucket. Workers keep the defaults (copy.concurrency 16,
# queue.consumers 2, 100 tasks per message) unless the environment sets COPY_*/QUEUE_* variables.
#
#   bench/scale-out.sh [ROWS_PER_TABLE=150] [SIZE=20000] [WORKERS="1 2 3"]
source "$(dirname "$0")/lib.sh"
ROWS=${1:-150}
SIZE=${2:-20000}
WORKER_COUNTS=${3:-"1 2 3"}
bench_need java mvn
mvn -B -q -o test-compile >/dev/null
if [ ! -f target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
fi
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xmx128m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k}
bench_servers --fixed "$ROWS" "$SIZE"
java -Xmx256m -cp "$CP" mastodon.s3sync.bench.QueueBench serve "$WORK/queue.env" work-1 work-2 work-3 work-4 \
  >"$WORK/queue.log" 2>&1 &
QUEUE_SERVER=$!
trap 'kill $QUEUE_SERVER 2>/dev/null || true; bench_cleanup' EXIT
for _ in $(seq 1 120); do [ -f "$WORK/queue.env" ] && break; sleep 0.5; done
# shellcheck disable=SC1091
source "$WORK/queue.env"
export APP_ROUTES_DIR="$ROOT/routes" COPY_STATE_DIR QUEUE_PROGRESS_INTERVAL=1000 COPY_PROGRESS_INTERVAL=10000
tool() { # JAVA_OPTS as bin/mastodon-s3-sync would pass them, the classes of this checkout
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$CP" mastodon.s3sync.Application "$@"
}
worker() { # a worker in the background: exec, so that its pid is the JVM's and SIGTERM reaches it (a subshell
  # killed while it waits for java would leave the worker running)
  # shellcheck disable=SC2086
  QUEUE_WORKER_ID=$1 exec java $JAVA_OPTS -cp "$CP" mastodon.s3sync.Application copy --work-from "$QUEUE"
}
BUCKETS=(target-camel target-rclone target-sdk)
echo "## scale-out: $BENCH_OBJECTS objects of $SIZE bytes; JAVA_OPTS $JAVA_OPTS"
echo "machine at start: $(bench_machine)"
ROWS_OUT=$WORK/table
: >"$ROWS_OUT"
n=0
for W in $WORKER_COUNTS; do
  n=$((n + 1))
  export TARGET_S3_BUCKET=${BUCKETS[$(((n - 1) % 3))]}
  if [ "$n" -gt 3 ]; then echo "at most 3 rows (one target bucket each)" >&2; break; fi
  COPY_STATE_DIR=$WORK/state-$n
  QUEUE=work-$n
  tool copy --plan-to "$QUEUE" --no-wait >"$WORK/plan-$n.log" 2>&1 || { tail -30 "$WORK/plan-$n.log"; exit 1; }
  ENQUEUE=$(awk '/objects\/s\. Report/ {gsub(",", "", $0); for (i = 1; i <= NF; i++) if ($i == "objects/s.") print $(i-1)}' \
    "$WORK/plan-$n.log" | tail -1)
  PIDS=()
  for i in $(seq 1 "$W"); do
    worker "w$i" >"$WORK/worker-$n-$i.log" 2>&1 &
    PIDS+=($!)
  done
  DRAINED=$(java -Xmx128m -cp "$CP" mastodon.s3sync.bench.QueueBench drained "$AWS_ENDPOINT_URL_SQS" "$QUEUE")
  FIRST=$(cat "$DATA/first-write-$TARGET_S3_BUCKET")
  kill -TERM "${PIDS[@]}"
  wait "${PIDS[@]}" 2>/dev/null || true
  SECS=$(awk "BEGIN{print ($DRAINED - $FIRST) / 1000}")
  RATE=$(awk "BEGIN{printf \"%.0f\", $BENCH_OBJECTS / $SECS}")
  echo "$W|$RATE|$SECS|$ENQUEUE" >>"$ROWS_OUT"
  echo "  $W worker(s): $BENCH_OBJECTS objects in $SECS s ($RATE objects/s); planner enqueued ${ENQUEUE} tasks/s" >&2
  grep -h "stopped after" "$WORK"/worker-$n-*.log | sed 's/^.*progress *//' >&2 || true
done
printf '| %-8s | %10s | %8s | %18s |\n' workers objects/s "wall s" "enqueue tasks/s"
printf '|%s|%s|%s|%s|\n' ---------- ------------ ---------- --------------------
awk -F'|' '{printf "| %-8s | %10s | %8.1f | %18s |\n", $1, $2, $3, $4}' "$ROWS_OUT"
echo "machine at end: $(bench_machine)"
