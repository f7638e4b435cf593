#!/usr/bin/env bash
# Regenerates the lists of classes `mvn package` pre-parses into the class-data sharing archives that
# bin/mastodon-s3-sync and the Docker image use, from what runs on the bench servers load:
#   src/main/cds/classes.lst      -> target/mastodon-s3-sync.jsa      a small copy and a dry run (every command but
#                                                                      run and mirror)
#   src/main/cds/classes-run.lst  -> target/mastodon-s3-sync-run.jsa  the same, and what a `run` with its management
#                                                                      port adds (health, metrics and Jolokia each
#                                                                      asked once): run and mirror
# Two archives: the JVM maps the pages of a whole archive, so the management's classes would add about 15 MB to every
# copy's memory (bench/RESULTS.md). Rerun it after changes that load many new classes (a new library, a
# Camel upgrade); classes missing from the list still load, only without the head start, and listed classes that no
# longer exist are skipped when the archive is made.
#
#   bench/cds-classlist.sh
#
# Needs Maven (as bench/copy-vs-rclone.sh) and rclone (creates the target bucket).
source "$(dirname "$0")/lib.sh"
bench_need java mvn rclone curl
bench_build
bench_servers --fixed 20 20000
bench_bucket training
run() { # list file, copy arguments...
  local list=$1; shift
  env TARGET_S3_BUCKET=training COPY_STATE_DIR="$WORK/state" LOG_LEVEL=WARN MANAGEMENT_ENABLED=false \
    java -XX:+UseSerialGC -XX:DumpLoadedClassList="$list" -jar target/mastodon-s3-sync.jar copy "$@" >/dev/null
}
run "$WORK/copy.lst" --limit 40
run "$WORK/dry.lst" --dry-run --restart
# run: the management port (Vert.x, Jolokia, Prometheus), the Camel MBeans, live reload; until its first pass ends
bench_bucket training-run
port=$(bench_free_port)
env TARGET_S3_BUCKET=training-run COPY_STATE_DIR="$WORK/state-run" LOG_LEVEL=INFO MANAGEMENT_PORT="$port" \
  MANAGEMENT_JOLOKIA_USERS_FILE="$WORK/users" \
  java -XX:+UseSerialGC -XX:DumpLoadedClassList="$WORK/run.lst" -jar target/mastodon-s3-sync.jar run >"$WORK/run.log" 2>&1 &
follower=$!
for _ in $(seq 1 600); do grep -q 'Pass 1 done' "$WORK/run.log" && break; sleep 0.1; done
grep -q 'Pass 1 done' "$WORK/run.log" || { tail -n 30 "$WORK/run.log"; echo "run did not end its first pass" >&2; exit 1; }
user=$(sed -n 's/^user\.\([^ =]*\) *= *\(.*\)/\1:\2/p' "$WORK/users" | head -1)
for path in health metrics jolokia/read/java.lang:type=Memory; do
  curl -sf -o /dev/null -u "$user" "http://127.0.0.1:$port/observe/$path" || { echo "/observe/$path failed" >&2; exit 1; }
done
kill -TERM "$follower"
wait "$follower" || true
# the copy's list, then what only the dry run loaded; for run, then what only run loaded
{ cat "$WORK/copy.lst"; grep -v -x -F -f "$WORK/copy.lst" "$WORK/dry.lst" || true; } >src/main/cds/classes.lst
{ cat src/main/cds/classes.lst; grep -v -x -F -f src/main/cds/classes.lst "$WORK/run.lst" || true; } \
  >src/main/cds/classes-run.lst
for f in classes classes-run; do
  echo "src/main/cds/$f.lst: $(grep -vc '^#' "src/main/cds/$f.lst") classes"
done
echo "mvn package makes the archives"
