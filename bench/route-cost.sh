#!/usr/bin/env bash
# What the copy's routes cost per object, with the stores taken out (bench/RouteCost.java: src/test/java/mastodon/
# s3sync/bench/RouteCost.java). The per-object routes of routes/copy.camel.yaml, as `copy` runs them, move tasks
# whose S3 clients answer from memory at once; the JVM's CPU time per object is set beside that of the same clients
# called directly, as the bare SDK loop calls the real ones. The difference is what Camel and the routes add per
# object, in microseconds, without two stores sharing the cores: a change to a route can be measured here when
# bench/copy-vs-rclone.sh cannot tell it from the noise. Prints a table of medians.
#
#   bench/route-cost.sh [OBJECTS_PER_ROUND [ROUNDS [THREADS]]]     (20000 5 16: about a minute on 2 cores)
#
#   JAVA_OPTS=...   the JVM's options instead of the launcher's (read from bin/mastodon-s3-sync)
# Needs Java and Maven (builds the test classes); no server, nothing on the network.
source "$(dirname "$0")/lib.sh"
bench_need java mvn
bench_build
# the launcher's own options for a copy (its opts="..." lines), without the class-data archive: the archive is made
# for the jar, and this runs from the classes
LAUNCHER_OPTS=$(sed -n '/^opts="/,/"$/p' bin/mastodon-s3-sync | sed -e 's/^opts="//' -e 's/\\$//' -e 's/"$//' | tr '\n' ' ')
[ -n "$LAUNCHER_OPTS" ] || { echo "bin/mastodon-s3-sync: its opts=\"...\" lines were not found" >&2; exit 2; }
echo "## the copy's routes with in-memory stores"
echo "machine at start: $(bench_machine)"
set -f # com.sun.crypto.provider.*::* is an option, not a file name
# shellcheck disable=SC2086
java ${JAVA_OPTS:-$LAUNCHER_OPTS} -cp "$CP" mastodon.s3sync.bench.RouteCost "$@"
echo "machine at end: $(bench_machine)"
