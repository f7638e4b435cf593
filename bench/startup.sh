#!/usr/bin/env bash
# Time from start to the first object copied: from the moment the command is started to the moment the target
# store finished writing its first object (the bench servers note it), for bin/mastodon-s3-sync as shipped and for
# plain `java -jar` (the JVM's defaults, no class-data archive). A small copy (about 130 objects of 20 KB), so the
# table's CPU and RSS are mostly those of starting up. Prints medians, with the tool's CPU time when the first object
# was written (the figure to compare on a busy machine).
#
#   bench/startup.sh [--runs 5] [--launcher-only] [--run] [--env "LABEL=VARS" ...] [--jvm "LABEL=JAVA OPTIONS" ...]
#
#   --launcher-only  leave out `java -jar` with the JVM's defaults (the slow one), e.g. to compare --env settings
#   --run          also `run` through the launcher (its management port on a free port: HTTP server, Jolokia,
#                  Prometheus, Camel's MBeans), stopped with SIGTERM once its first object is written
#   --env L=VARS   another configuration to compare: the launcher with these variables (VAR=VALUE, space-separated),
#                  e.g. --env "no health scan=CAMEL_MAIN_LOAD_HEALTH_CHECKS=false" (repeatable)
#   --jvm L=OPTS   another configuration to compare, run through the launcher with JAVA_OPTS=OPTS (repeatable), e.g.
#                  --jvm "no archive=-XX:+UseSerialGC -Xmx128m" --jvm "C2=-XX:+UseSerialGC -Xmx128m -XX:SharedArchiveFile=target/mastodon-s3-sync.jsa"
# Needs rclone (creates the buckets), GNU time and Maven (as bench/copy-vs-rclone.sh).
source "$(dirname "$0")/lib.sh"
RUNS=5
CONFIGS=("bin/mastodon-s3-sync=" "java -jar, JVM defaults=-Dno.options")
ENVS=("" "")
CMDS=(copy copy)
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --launcher-only) CONFIGS=("${CONFIGS[0]}"); ENVS=(""); CMDS=(copy); shift ;;
    --run) CONFIGS+=("bin/mastodon-s3-sync run="); ENVS+=(""); CMDS+=(run); shift ;;
    --jvm) CONFIGS+=("$2"); ENVS+=(""); CMDS+=(copy); shift 2 ;;
    --env) CONFIGS+=("${2%%=*}="); ENVS+=("${2#*=}"); CMDS+=(copy); shift 2 ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
  esac
done
port=$(bench_free_port) # run's management port
bench_need java mvn rclone
bench_build
bench_servers --fixed 20 20000
echo "## start to first object copied ($BENCH_OBJECTS objects of 20 KB), $RUNS runs each"
echo "machine at start: $(bench_machine)"
FIRST=$WORK/first
: >"$FIRST"
for RUN in $(seq 1 "$RUNS"); do
  for i in "${!CONFIGS[@]}"; do
    label=${CONFIGS[$i]%%=*} opts=${CONFIGS[$i]#*=}
    bucket=start-$i-$RUN
    bench_bucket "$bucket"
    cmd=${CMDS[$i]}
    ok=0 # run, stopped with SIGTERM below, ends with 143
    [ "$cmd" = run ] && ok=143
    if [ -z "$opts" ]; then
      # shellcheck disable=SC2086
      MEASURE_OK=$ok measure "$label" "$BENCH_OBJECTS" env TARGET_S3_BUCKET="$bucket" \
        COPY_STATE_DIR="$WORK/state-$bucket" LOG_LEVEL=WARN MANAGEMENT_PORT="$port" \
        MANAGEMENT_JOLOKIA_USERS_FILE="$WORK/users" ${ENVS[$i]} "${TOOL[@]}" "$cmd" &
    else
      measure "$label" "$BENCH_OBJECTS" env TARGET_S3_BUCKET="$bucket" COPY_STATE_DIR="$WORK/state-$bucket" \
        LOG_LEVEL=WARN JAVA_OPTS="$opts" "${TOOL[@]}" "$cmd" &
    fi
    job=$!
    # the tool's CPU (all its threads: JIT, GC included) at the moment the first object is written: on a shared
    # machine the wall time mostly says how busy the others were, the CPU what starting costs
    cpu=
    while kill -0 "$job" 2>/dev/null; do
      if [ -s "$DATA/first-write-$bucket" ]; then
        timer=$(pgrep -P "$job" | head -1) && pid=$(pgrep -P "$timer" | head -1) \
          && cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null)
        # run follows new rows until stopped: stopped here, as an admin's Ctrl-C would
        [ "$cmd" = run ] && kill -TERM "$pid"
        break
      fi
      sleep 0.02
    done
    wait "$job"
    # from the moment the tool's process started (measure notes it), not from before measure's own bookkeeping
    t0=$(($(cat "$WORK/started") / 1000))
    t1=$(cat "$DATA/first-write-$bucket")
    echo "$label|$((t1 - t0))|${cpu:-0}" >>"$FIRST"
    echo "  first object after $((t1 - t0)) ms, ${cpu:-?} s CPU" >&2
  done
done
echo "machine at end: $(bench_machine)"
echo
table objects "$BENCH_BYTES"
echo
awk -F'|' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { if (!($1 in ms)) order[++k] = $1; ms[$1] = ms[$1] " " $2; cpu[$1] = cpu[$1] " " $3 }
  END {
    for (i = 1; i <= k; i++)
      printf "start to first object copied, %s: %.2f s, %.2f s CPU by then (medians)\n", order[i], \
        median(ms[order[i]]) / 1000, median(cpu[order[i]])
  }
' "$FIRST"
