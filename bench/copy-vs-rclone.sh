#!/usr/bin/env bash
# Copies the same synthetic Mastodon between the same two S3-compatible stores with mastodon-s3-sync (run the
# documented way: bin/mastodon-s3-sync), with rclone, and with a bare AWS SDK GET->PUT loop (bench/SdkCopyLoop.java),
# at the same concurrency, then makes a second pass of the tool and of rclone over the complete target. Prints a table
# of medians per tool: objects/s, MB/s, CPU s (user+sys), CPU ms per object, peak RSS, requests, wall time.
#
#   bench/copy-vs-rclone.sh [--scale 1] [--runs 3] [--proto https|http|both] [--concurrency "16"] [--latency MS]
#                           [--fixed ROWS_PER_TABLE SIZE] [--no-sdk] [--async-loop]
#                           [--compare NAME=JAR[:JAVA_OPTS]]... [--profile]
#
#   --scale S         the Mastodon-like mix of issue #14: about 20,000 x S objects, 97% of 20-200 KB, 2.9% of 1-5 MB,
#                     0.1% of 30-100 MB (about 5 GB at scale 1). --scale 0.1 is a quick run (2,000 objects).
#   --fixed R SIZE    instead of the mix: R rows per table, every object SIZE bytes (the old form of this script)
#   --runs N          runs per tool (medians); each run copies into fresh buckets
#   --proto P         https (what every real provider speaks), http, or both (one table each)
#   --concurrency L   a list, e.g. "16 64": the same servers and data for each; the tool's copy.concurrency, rclone's
#                     --transfers/--checkers and the loop's threads
#   --latency MS      every request to either store waits MS first, in a proxy (the test FaultProxy): a distant
#                     provider. The proxy opens one connection to the store per request. Over https the proxy holds
#                     the TLS (the clients see an https provider) and speaks plain HTTP to the store behind it.
#   --compare N=J     one more tool row per run, "mastodon-s3-sync copy N", from the jar J (with the launcher; a
#                     J.jsa beside it is used as the launcher would): an older build, measured in the same run. When
#                     J is X/target/*.jar in a checkout (git worktree add X REV), its routes and its launcher too.
#                     Odd runs copy with this build first and rclone last, even runs the other way round (whatever
#                     the stores still warm up during a run favours the later copies): use --runs 2 or more to compare.
#                     N=J:-Dx=y instead gives the tool these extra JVM options (e.g. N=target/mastodon-s3-sync.jar:-Dk=v),
#                     and N=J:COPY_PAGE_SIZE=200 these settings (words of upper-case letters before "="), e.g.
#                     --compare "pages200=target/mastodon-s3-sync.jar:COPY_PAGE_SIZE=200"
#   --async-loop      one more row: bench/SdkAsyncCopyLoop.java, the SDK's asynchronous client on Netty (a few
#                     event-loop threads instead of a thread per request), at most CONC objects in flight
#   --profile         the first run of the tool (and of each --compare row) records Java Flight Recorder
#                     (target/profile-*.jfr, 512 frames deep); the hottest frames and packages are printed after
#                     the table, then the methods most often on the stack, callers included
#   JAVA_OPTS=...     options for the tool's JVM instead of the launcher's (bin/mastodon-s3-sync), also given to the
#                     SDK loop
#
# Examples: the issue's figures           bench/copy-vs-rclone.sh --proto both
#           latency                       bench/copy-vs-rclone.sh --latency 20 --concurrency "16 64"
#           quick look                    bench/copy-vs-rclone.sh --scale 0.1 --runs 1 --proto http
# A full run at scale 1, both protocols, 3 runs, copies about 5 GB 18 times: about an hour on 2 cores.
# Needs: rclone and GNU time (apt-get install rclone time), Maven (builds the jar if missing, and the test classes:
# the servers are the tests' s3proxy and embedded PostgreSQL, all on 127.0.0.1, sharing the cores with the tools).
source "$(dirname "$0")/lib.sh"
SCALE=1 RUNS=3 PROTOS=https CONCS=16 LATENCY=0 FIXED=() SDK=1 ASYNC=0 COMPARE=() PROFILE=0
while [ $# -gt 0 ]; do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --proto) PROTOS=$2; [ "$2" = both ] && PROTOS="http https"; shift 2 ;;
    --concurrency) CONCS=$2; shift 2 ;;
    --latency) LATENCY=$2; shift 2 ;;
    --fixed) FIXED=(--fixed "$2" "$3"); shift 3 ;;
    --no-sdk) SDK=0; shift ;;
    --async-loop) ASYNC=1; shift ;;
    --compare) COMPARE+=("$2"); shift 2 ;;
    --profile) PROFILE=1; shift ;;
    *) sed -n '2,/^source/p' "$0" | grep '^#' >&2; exit 2 ;;
  esac
done
bench_need rclone java mvn
bench_build
mkdir -p "$WORK/sdk"
javac -d "$WORK/sdk" -cp "$CP" bench/SdkCopyLoop.java bench/SdkAsyncCopyLoop.java
LOOP_OPTS=${JAVA_OPTS:-$(bench_loop_opts)}

tool_copy() { # the tool's copy of this run (RUN, B, CONC, PROTO)
  export JAVA_TOOL_OPTIONS="${JAVA_TLS[*]} $(jfr_opts "$RUN" "tool-$PROTO")"
  measure "mastodon-s3-sync copy" "$BENCH_OBJECTS" env TARGET_S3_BUCKET="target-camel-$B" COPY_CONCURRENCY="$CONC" \
    COPY_STATE_DIR="$WORK/state-$B" LOG_LEVEL=WARN MANAGEMENT_ENABLED=false "${TOOL[@]}" copy
  unset JAVA_TOOL_OPTIONS
}

compare_copies() { # the --compare builds' copies of this run
  for C in "${COMPARE[@]}"; do
    NAME=${C%%=*} SPEC=${C#*=}
    JAR=${SPEC%%:*} EXTRA= JVM_EXTRA=() ENV_EXTRA=()
    [ "$JAR" != "$SPEC" ] && EXTRA=${SPEC#*:}
    for W in $EXTRA; do # VARIABLE=value: a setting of the tool; anything else: a JVM option
      if [[ $W =~ ^[A-Z][A-Z0-9_]*= ]]; then ENV_EXTRA+=("$W"); else JVM_EXTRA+=("$W"); fi
    done
    bench_bucket "target-$NAME-$B"
    export JAVA_TOOL_OPTIONS="${JAVA_TLS[*]} ${JVM_EXTRA[*]} $(jfr_opts "$RUN" "$NAME-$PROTO")"
    # the routes and the launcher of that build when the jar sits in a checkout (J = X/target/*.jar, X/routes,
    # X/bin): a route that calls a class the older jar lacks would not start with this checkout's routes, and this
    # checkout's launcher would give the older build this one's JVM options
    HOME_DIR=$(dirname "$(dirname "$(realpath "$JAR")")")
    ROUTES=$HOME_DIR/routes
    [ -d "$ROUTES" ] || ROUTES=
    LAUNCHER=("${TOOL[@]}")
    [ -x "$HOME_DIR/bin/mastodon-s3-sync" ] && LAUNCHER=("$HOME_DIR/bin/mastodon-s3-sync")
    measure "mastodon-s3-sync copy $NAME" "$BENCH_OBJECTS" env TARGET_S3_BUCKET="target-$NAME-$B" \
      COPY_CONCURRENCY="$CONC" COPY_STATE_DIR="$WORK/state-$NAME-$B" LOG_LEVEL=WARN MANAGEMENT_ENABLED=false \
      MASTODON_S3_SYNC_JAR="$(realpath "$JAR")" ${ROUTES:+APP_ROUTES_DIR="$ROUTES"} "${ENV_EXTRA[@]}" "${LAUNCHER[@]}" copy
    unset JAVA_TOOL_OPTIONS
  done
}

jfr_opts() { # RUN NAME: the JFR option for the first run when --profile
  # deep stacks: JFR keeps 64 frames by default, fewer than a copy's (Camel's route, the SDK's pipeline, TLS)
  [ "$PROFILE" = 1 ] && [ "$1" = 1 ] && echo "-XX:FlightRecorderOptions=stackdepth=512 \
-XX:StartFlightRecording=filename=$ROOT/target/profile-$2.jfr,settings=profile"
  return 0
}

for PROTO in $PROTOS; do
  JAVA_TLS=() RCLONE_TLS=() TLS=()
  if [ "$PROTO" = https ]; then
    bench_tls
    TLS=(--tls "$WORK/server.p12" benchpass)
  fi
  DATASET=(--mix "$SCALE")
  [ ${#FIXED[@]} -gt 0 ] && DATASET=("${FIXED[@]}")
  LAT=()
  [ "$LATENCY" != 0 ] && LAT=(--latency "$LATENCY")
  echo "filling the source store (${DATASET[*]}, $PROTO)..." >&2
  bench_servers "${DATASET[@]}" "${TLS[@]}" "${LAT[@]}"
  MB=$(awk "BEGIN{printf \"%.0f\", $BENCH_BYTES/1e6}")
  bench_warm_stores
  for CONC in $CONCS; do
    : >"$ROWS_FILE"
    echo >&2
    echo "## $BENCH_OBJECTS objects, $MB MB, $PROTO, concurrency $CONC$([ "$LATENCY" != 0 ] && echo ", +$LATENCY ms per request")"
    echo "machine at start: $(bench_machine)"
    echo "tool JVM options: ${JAVA_OPTS:-as the launcher sets them}; SDK loops: $LOOP_OPTS"
    for RUN in $(seq 1 "$RUNS"); do
      B=c$CONC-r$RUN
      for t in camel rclone; do bench_bucket "target-$t-$B"; done
      RCLONE=(env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" "${RCLONE_TLS[@]}" copy src:source
        "dst:target-rclone-$B" --transfers "$CONC" --checkers "$CONC" --s3-upload-cutoff 16M --s3-chunk-size 16M)
      # the order alternates from run to run (odd: the tool, the --compare builds, rclone; even: the reverse), as
      # whatever the stores still warm up or accumulate during a run favours the later copies
      if [ $((RUN % 2)) = 0 ]; then
        measure "rclone copy" "$BENCH_OBJECTS" "${RCLONE[@]}"; compare_copies; tool_copy
      else
        tool_copy; compare_copies; measure "rclone copy" "$BENCH_OBJECTS" "${RCLONE[@]}"
      fi
      if [ $SDK = 1 ]; then
        bench_bucket "target-sdk-$B"
        # shellcheck disable=SC2086
        measure "bare SDK GET->PUT loop" "$BENCH_OBJECTS" java $LOOP_OPTS \
          "${JAVA_TLS[@]}" $(jfr_opts "$RUN" "sdk-$PROTO") -cp "$WORK/sdk:$CP" SdkCopyLoop "$DATA/keys.txt" "$CONC" \
          "target-sdk-$B"
      fi
      if [ $ASYNC = 1 ]; then
        bench_bucket "target-async-$B"
        # shellcheck disable=SC2086
        measure "bare SDK async loop (Netty)" "$BENCH_OBJECTS" java $LOOP_OPTS \
          "${JAVA_TLS[@]}" -cp "$WORK/sdk:$CP" SdkAsyncCopyLoop "$DATA/keys.txt" "$CONC" "target-async-$B"
      fi
      # a second pass with nothing new: the tool re-checks every row (--restart ignores its checkpoints), rclone
      # re-lists both sides
      export JAVA_TOOL_OPTIONS="${JAVA_TLS[*]}"
      measure "mastodon-s3-sync second pass" "$BENCH_OBJECTS" env TARGET_S3_BUCKET="target-camel-$B" \
        COPY_CONCURRENCY="$CONC" COPY_STATE_DIR="$WORK/state-$B" LOG_LEVEL=WARN MANAGEMENT_ENABLED=false \
        "${TOOL[@]}" copy --restart
      unset JAVA_TOOL_OPTIONS
      measure "rclone second pass" "$BENCH_OBJECTS" "${RCLONE[@]}"
      rm -rf "$DATA/target/"*"-$B" # the copies' bytes: disk, not memory
    done
    echo "machine at end: $(bench_machine)"
    echo
    table objects "$BENCH_BYTES"
    awk -F'|' '{w[$1]=w[$1]" "$3; c[$1]=c[$1]" "($4+$5)}
      function med(l, n,a,i,j,t){n=split(l,a," ");for(i=1;i<=n;i++)for(j=i+1;j<=n;j++)if(a[j]<a[i]){t=a[i];a[i]=a[j];a[j]=t}
        return n%2?a[(n+1)/2]:(a[n/2]+a[n/2+1])/2}
      END{
        r="rclone copy"; m="mastodon-s3-sync copy"; s="bare SDK GET->PUT loop"
        printf "\nratios (objects/s, tool / other): vs rclone %.2fx", med(w[r])/med(w[m])
        if (s in w) printf ", vs bare SDK loop %.2fx", med(w[s])/med(w[m])
        printf "; second pass vs rclone %.2fx", med(w["rclone second pass"])/med(w["mastodon-s3-sync second pass"])
        printf "; CPU per object vs rclone %.2fx\n", med(c[m])/med(c[r])
      }' "$ROWS_FILE"
    rm -rf "$WORK"/state-*
    if [ $PROFILE = 1 ]; then
      for f in "$ROOT"/target/profile-*-"$PROTO".jfr; do
        if [ -f "$f" ]; then bench_profile "$f"; fi
      done
    fi
  done
  bench_stop_servers
done
