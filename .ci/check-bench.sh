#!/usr/bin/env bash
# bench/lib.sh's measure notes the moment the measured command itself starts ($WORK/started), which
# bench/startup.sh counts its start-to-first-object time from. Checked without bench servers: a stand-in request count
# and a command that writes the moment it runs. The two moments must be close; the start was once taken before
# measure's own request count, which sleeps half a second, and every start-up figure was half a second too long.
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
