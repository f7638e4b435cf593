#!/usr/bin/env bash
# bench/lib.sh's measure notes the moment the measured command itself starts ($WORK/started), which
# bench/startup.sh counts its start-to-first-object time from. Checked without bench servers: a stand-in request count
# and a command that writes the moment it runs. The two moments must be close; the start was once taken before
# measure's own request count, which sleeps half a second, and every start-up figure was half a second too long.
# Also that --profile's listing (bench_profile) gets through a large recording.
# Needs GNU time (/usr/bin/time), as the bench scripts do. Exit 1 with what is wrong.
set -euo pipefail
# shellcheck source=../bench/lib.sh
source "$(dirname "$0")/../bench/lib.sh"
DATA=$WORK/data
mkdir -p "$DATA"
echo "0 0" >"$DATA/requests"
# shellcheck disable=SC2016
measure probe 1 bash -c 'echo "${EPOCHREALTIME/./}" >"$1"' _ "$WORK/probe" 2>/dev/null
[ -s "$WORK/started" ] || { echo "bench/lib.sh measure: no start moment in \$WORK/started" >&2; exit 1; }
gap_ms=$((($(cat "$WORK/probe") - $(cat "$WORK/started")) / 1000))
if [ "$gap_ms" -lt 0 ] || [ "$gap_ms" -gt 250 ]; then
  echo "bench/lib.sh measure: the start it notes is $gap_ms ms before the command ran (expected 0-250 ms)" >&2
  exit 1
fi
echo "bench/lib.sh measure: start noted $gap_ms ms before the command ran"

# run and mirror end with 143 when stopped by SIGTERM: with MEASURE_OK=143 that is a measured run (GNU time's
# "Command exited with non-zero status" line is not read as the figures); any other failure still stops the script
MEASURE_OK=143 measure stopped 1 bash -c 'exit 143' 2>/dev/null
row=$(tail -n 1 "$ROWS_FILE")
if ! [[ $row =~ ^stopped\|1\|[0-9.]+\|[0-9.]+\|[0-9.]+\|[0-9]+\|0$ ]]; then
  echo "bench/lib.sh measure: a command ending with MEASURE_OK's code gave the row '$row'" >&2
  exit 1
fi
if (MEASURE_OK=143 measure failing 1 bash -c 'exit 3' >/dev/null 2>&1); then
  echo "bench/lib.sh measure: a command that exited with 3 was measured as if it had succeeded" >&2
  exit 1
fi
echo "bench/lib.sh measure: exit code 143 accepted with MEASURE_OK=143, 3 refused"

# --profile's listing of a recording: bench_profile reads `jfr print`. A stand-in jfr prints 2,000 samples of
# 4,000 distinct methods, more than a pipe holds once sorted: the listing must print all its parts and return 0 (with
# `sort | head` under pipefail, the sort head cut off died of SIGPIPE and ended bench/copy-vs-rclone.sh after the
# first recording, before the tool's profile was printed)
mkdir -p "$WORK/bin"
cat >"$WORK/bin/jfr" <<'JFR'
#!/usr/bin/env bash
awk 'BEGIN { for (s = 0; s < 2000; s++) {
  print "jdk.ExecutionSample {"; print "  stackTrace = ["
  for (d = 0; d < 6; d++) printf "    org.example.pkg%d.SomeLongishClassName%d.method%d(Object) line: %d\n", d, (s * 6 + d) % 4000, d, s
  print "  ]"; print "}" } }'
JFR
chmod +x "$WORK/bin/jfr"
if ! PATH="$WORK/bin:$PATH" bench_profile "$WORK/stand-in.jfr" >"$WORK/profile.out" 2>&1; then
  echo "bench/lib.sh bench_profile: failed on a large recording: $(tail -n 3 "$WORK/profile.out")" >&2
  exit 1
fi
lines=$(grep -c '%  ' "$WORK/profile.out" || true)
if [ "$lines" -ne 100 ] || ! grep -q 'hottest frames' "$WORK/profile.out"; then
  echo "bench/lib.sh bench_profile: expected the hottest frames and 100 inclusive lines, got $lines" >&2
  exit 1
fi
echo "bench/lib.sh bench_profile: a large recording listed in full"

# The bare SDK loops get the launcher's compiler options (the cipher's, the thresholds' scaling): without the cipher's
# the loop computed AES-GCM as plain Java for the first seconds of every https copy and looked a quarter slower than it
# is next to the tool
loop_opts=$(bench_loop_opts)
set -f # the options hold a * (com.sun.crypto.provider.*::*)
for opt in $(grep -o -- '-XX:Compile[A-Za-z]*=[^ "]*' "$ROOT/bin/mastodon-s3-sync" | sort -u); do
  case " $loop_opts " in
    *" $opt "*) ;;
    *) echo "bench/lib.sh bench_loop_opts: '$loop_opts' lacks the launcher's $opt" >&2; exit 1 ;;
  esac
done
set +f
echo "bench/lib.sh bench_loop_opts: the loops get the launcher's compiler options ($loop_opts)"
