#!/usr/bin/env bash
# The scan rate of `copy --dry-run` (rows read from the database, turned into keys and printed, per second) and its
# peak RSS, run the documented way (bin/mastodon-s3-sync), stdout to /dev/null. Prints a table of medians.
#
#   bench/dry-run.sh [--rows 1000000] [--runs 3] [--profile]
#
#   --rows N     rows in the database, a quarter in each of accounts, media_attachments, custom_emojis, preview_cards
#                (the seeding takes about a minute per million rows)
#   --runs N     runs (medians)
#   --profile    one more run with Java Flight Recorder; prints its hottest methods and keeps the recording
#                (target/dry-run.jfr)
#   JAVA_OPTS=   options for the tool's JVM instead of the launcher's
# Needs GNU time and Maven (as bench/copy-vs-rclone.sh).
source "$(dirname "$0")/lib.sh"
ROWS=1000000 RUNS=3 PROFILE=0 SCAN=
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
  esac
done
bench_need java mvn
bench_build
echo "seeding $ROWS rows..." >&2
bench_servers --rows-only "$ROWS"
echo "## copy --dry-run over $ROWS rows"
echo "machine at start: $(bench_machine)"
echo "tool JVM options: ${JAVA_OPTS:-as the launcher sets them}"
for RUN in $(seq 1 "$RUNS"); do
  measure "mastodon-s3-sync copy --dry-run" "$ROWS" env TARGET_S3_BUCKET=target-camel COPY_STATE_DIR="$WORK/state-$RUN" LOG_LEVEL=WARN \
    MANAGEMENT_ENABLED=false "${TOOL[@]}" copy --dry-run
  lines=$(wc -l <"$WORK/out")
  # the pass's own time, from the summary's "N s, ... objects/s" line: the scan without the JVM's and Camel's start
  pass=$(grep -Eo '^[0-9.]+ s, [0-9.]+ MB/s' "$WORK/err" | tail -1 | cut -d' ' -f1)
  echo "  $lines keys printed; the pass itself: $pass s, $(awk "BEGIN{printf \"%.0f\", $ROWS/$pass}") rows/s" >&2
  SCAN="$SCAN $pass"
done
echo "machine at end: $(bench_machine)"
echo
table rows 0
echo
echo "The scan alone (the pass's time as its summary prints it, from its first page to its end; the table's rows/s"
echo "and wall s include the start of the JVM and Camel): median $(echo $SCAN | tr ' ' '\n' | sort -n \
  | awk '{a[NR]=$1} END{m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.1f s, %.0f rows/s", m, '"$ROWS"'/m}') (runs: $SCAN s)"
if [ $PROFILE = 1 ]; then
  JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -XX:StartFlightRecording=filename=$ROOT/target/dry-run.jfr,settings=profile" \
    env TARGET_S3_BUCKET=target-camel COPY_STATE_DIR="$WORK/state-profile" LOG_LEVEL=WARN MANAGEMENT_ENABLED=false "${TOOL[@]}" copy --dry-run \
    >/dev/null 2>"$WORK/err"
  echo
  echo "hottest frames (top of stack, jdk.ExecutionSample):"
  jfr print --events jdk.ExecutionSample "$ROOT/target/dry-run.jfr" | awk '/stackTrace = \[/{getline; print}' \
    | sed 's/line:.*//' | sort | uniq -c | sort -rn | head -25
fi
