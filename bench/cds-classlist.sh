#!/usr/bin/env bash
# Regenerates src/main/cds/classes.lst, the list of classes `mvn package` pre-parses into the class-data sharing
# archive target/mastodon-s3-sync.jsa (bin/mastodon-s3-sync and the Docker image use it): the classes a small copy
# and a dry run load, on the bench servers. Rerun it after changes that load many new classes (a new library, a
# Camel upgrade); classes missing from the list still load, only without the head start, and listed classes that no
# longer exist are skipped when the archive is made.
#
#   bench/cds-classlist.sh
#
# Needs Maven (as bench/copy-vs-rclone.sh) and rclone (creates the target bucket).
source "$(dirname "$0")/lib.sh"
bench_need java mvn rclone
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
# the copy's list, then what only the dry run loaded
{ cat "$WORK/copy.lst"; grep -v -x -F -f "$WORK/copy.lst" "$WORK/dry.lst" || true; } >src/main/cds/classes.lst
echo "src/main/cds/classes.lst: $(grep -vc '^#' src/main/cds/classes.lst) classes; mvn package makes the archive"
