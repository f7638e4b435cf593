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
