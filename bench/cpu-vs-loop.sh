#!/usr/bin/env bash
# Where the tool's CPU goes, beside the bare AWS SDK GET->PUT loop's (bench/SdkCopyLoop.java), thread by thread: the
# same Mastodon-like mix copied between the same two stores by each, alternately, with async-profiler sampling every
# thread's CPU time every 2 ms (not only Java code, as JFR does: the JIT compilers, the collector, the kernel too).
# Prints, per object copied (medians are not taken: the samples of all runs of a kind are summed):
#   - each group of threads: the copy workers, the two JIT compilers, the collector, the page and timer threads, the
#     start (main, preflight, TLS warm-up), with the difference between the tool and the loop;
#   - the workers split into the AWS SDK's calls (per operation: the GET, the PUT, a large object's parts) and the rest
#     (Camel's routes, the tool's beans, closing streams);
#   - the methods most often on the stack in the tool workers' rest (inclusive), Camel's engine left out.
# A copy of 10,000-20,000 objects runs much of Camel's per-object code before the optimizing compiler has compiled it:
# these are the routes as such a copy pays for them, where bench/route-cost.sh measures them warm.
#
#   bench/cpu-vs-loop.sh [--scale 0.5] [--runs 2] [--proto https|http] [--concurrency 16]
#
#   --scale S         the mix of bench/copy-vs-rclone.sh (about 20,000 x S objects; 0.5: 9,887 objects, 2.3 GB)
#   --runs N          runs of each (the tool, then the loop; the order alternates from run to run)
#   AP_EVENT=itimer   async-profiler's event when perf events are not allowed (default cpu)
#   JAVA_OPTS=...     options for the tool's JVM instead of the launcher's, also given to the loop
# Needs: rclone, GNU time, unzip, Java and Maven (async-profiler's jar from Maven Central, tools.profiler:async-profiler,
# unpacked under target/). About 3 minutes per run at --scale 0.5 on 2 cores.
source "$(dirname "$0")/lib.sh"
SCALE=0.5 RUNS=2 PROTO=https CONC=16
while [ $# -gt 0 ]; do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --proto) PROTO=$2; shift 2 ;;
    --concurrency) CONC=$2; shift 2 ;;
    *) sed -n '2,/^source/p' "$0" | sed '$d' >&2; exit 2 ;;
  esac
done
bench_need rclone java mvn unzip
bench_build
mkdir -p "$WORK/sdk"
javac -d "$WORK/sdk" -cp "$CP" bench/SdkCopyLoop.java
LOOP_OPTS=${JAVA_OPTS:-$(bench_loop_opts)}

AP_VERSION=4.0
AP_DIR=$ROOT/target/async-profiler-$AP_VERSION
case $(uname -m) in
  x86_64) AP_ARCH=linux-x64 ;;
  aarch64) AP_ARCH=linux-arm64 ;;
  *) echo "async-profiler's jar has no library for $(uname -m)" >&2; exit 2 ;;
esac
if [ ! -f "$AP_DIR/libasyncProfiler.so" ]; then
  mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory="$AP_DIR" >/dev/null
  unzip -q -o -j "$AP_DIR/async-profiler-$AP_VERSION.jar" "$AP_ARCH/libasyncProfiler.so" -d "$AP_DIR"
fi
OUT=$ROOT/target/cpu-vs-loop
rm -rf "$OUT"
mkdir -p "$OUT"
agent() { # FILE: the option that samples the whole JVM into FILE (collapsed stacks, the thread's name first)
  echo "-agentpath:$AP_DIR/libasyncProfiler.so=start,event=${AP_EVENT:-cpu},interval=2ms,threads,collapsed,file=$1"
}

tool_copy() {
  bench_bucket "target-camel-r$RUN"
  export JAVA_TOOL_OPTIONS="${JAVA_TLS[*]} $(agent "$OUT/tool-$RUN.collapsed")"
  measure "mastodon-s3-sync copy" "$BENCH_OBJECTS" env TARGET_S3_BUCKET="target-camel-r$RUN" COPY_CONCURRENCY="$CONC" \
    COPY_STATE_DIR="$WORK/state-$RUN" LOG_LEVEL=WARN MANAGEMENT_ENABLED=false "${TOOL[@]}" copy
  unset JAVA_TOOL_OPTIONS
}
loop_copy() {
  bench_bucket "target-sdk-r$RUN"
  # shellcheck disable=SC2086
  measure "bare SDK GET->PUT loop" "$BENCH_OBJECTS" java $LOOP_OPTS "${JAVA_TLS[@]}" "$(agent "$OUT/loop-$RUN.collapsed")" \
    -cp "$WORK/sdk:$CP" SdkCopyLoop "$DATA/keys.txt" "$CONC" "target-sdk-r$RUN"
}

TLS=()
if [ "$PROTO" = https ]; then
  bench_tls
  TLS=(--tls "$WORK/server.p12" benchpass)
fi
echo "filling the source store (--mix $SCALE, $PROTO)..." >&2
bench_servers --mix "$SCALE" "${TLS[@]}"
bench_warm_stores
echo "## $BENCH_OBJECTS objects, $PROTO, concurrency $CONC, $RUNS run(s) of each, async-profiler ${AP_EVENT:-cpu} every 2 ms"
echo "machine at start: $(bench_machine)"
echo "tool JVM options: ${JAVA_OPTS:-as the launcher sets them}; SDK loop: $LOOP_OPTS"
for RUN in $(seq 1 "$RUNS"); do
  if [ $((RUN % 2)) = 1 ]; then tool_copy; loop_copy; else loop_copy; tool_copy; fi
  rm -rf "$DATA/target/"*"-r$RUN"
done
echo "machine at end: $(bench_machine)"
echo
table objects "$BENCH_BYTES"

# collapsed stacks: "[thread name tid=N];frame;...;frame COUNT"; one line per kind and key: KIND|what|key|samples
summarise() { # KIND FILES...
  local kind=$1
  shift
  cat "$@" | awk -v kind="$kind" '
    {
      n = $NF; line = $0; sub(/ [0-9]+$/, "", line)
      k = split(line, f, ";")
      t = f[1]; sub(/^\[/, "", t); sub(/ tid=[0-9]+\]$/, "", t)
      if (t ~ /seda:\/\/copy-queue|^pool-[0-9]+-thread-/) g = "1 copy workers"
      else if (t ~ /^C2 Compiler/) g = "2 C2 compiler (JIT)"
      else if (t ~ /^C1 Compiler/) g = "3 C1 compiler (JIT)"
      else if (t ~ /^VM Thread/) g = "4 VM thread (the serial collector)"
      else if (t ~ /timer:\/\//) g = "5 page, checkpoint and progress threads"
      else if (t ~ /^(main|DestroyJavaVM|preflight|tls-warm-up)$/) g = "6 main thread and start"
      else g = "7 other threads"
      group[g] += n
      if (g != "1 copy workers") next
      op = ""
      for (i = 2; i <= k; i++) if (index(f[i], "DefaultS3Client.")) { op = f[i]; sub(/.*DefaultS3Client\./, "", op); break }
      if (op != "") { sdk[op] += n; next }
      rest += n
      split("", seen)
      for (i = 2; i <= k; i++) if (!(f[i] in seen)) { seen[f[i]] = 1; incl[f[i]] += n }
    }
    END {
      for (g in group) print kind "|group|" g "|" group[g]
      for (o in sdk) print kind "|sdk|" o "|" sdk[o]
      print kind "|rest|rest|" rest + 0
      for (m in incl) print kind "|incl|" m "|" incl[m]
    }'
}
{
  summarise tool "$OUT"/tool-*.collapsed
  summarise loop "$OUT"/loop-*.collapsed
} >"$OUT/summary"
awk -F'|' -v per=$((BENCH_OBJECTS * RUNS)) '
  function us(n) { return n * 2000 / per }   # samples of 2 ms -> microseconds of CPU per object
  {
    v[$1 "|" $2 "|" $3] = $4
    if ($2 == "group" && !($3 in g1)) { g1[$3] = 1; gs[++n] = $3 }
    if ($2 == "sdk" && !($3 in o1)) { o1[$3] = 1; os[++m] = $3 }
  }
  END {
    print "\n### CPU per object copied, by thread (microseconds; all runs of each summed)\n"
    print "| threads | the tool | the SDK loop | difference |"
    print "|---|---|---|---|"
    for (i = 1; i <= n; i++) {
      g = gs[i]; a = us(v["tool|group|" g]); b = us(v["loop|group|" g]); ta += a; tb += b
      name = g; sub(/^[0-9] /, "", name)
      printf "| %s | %.0f | %.0f | %+.0f |\n", name, a, b, a - b
    }
    printf "| **all** | **%.0f** | **%.0f** | **%+.0f** |\n", ta, tb, ta - tb
    print "\n### The copy workers: the AWS SDK calls and the rest\n"
    print "| part | the tool | the SDK loop | difference |"
    print "|---|---|---|---|"
    for (i = 1; i <= m; i++) {
      o = os[i]; a = us(v["tool|sdk|" o]); b = us(v["loop|sdk|" o])
      if (a < 0.5 && b < 0.5) continue # (a call seen in a sample or two, e.g. the client'"'"'s metric publishers)
      printf "| S3 %s | %.0f | %.0f | %+.0f |\n", o, a, b, a - b
    }
    a = us(v["tool|rest|rest"]); b = us(v["loop|rest|rest"])
    printf "| the rest (routes, beans, streams closed, code not walkable) | %.0f | %.0f | %+.0f |\n", a, b, a - b
  }' <(sort -t'|' -k3,3 "$OUT/summary")
echo
echo "### The tool workers' rest: methods on the stack (inclusive, microseconds per object; Camel's engine left out)"
echo
awk -F'|' -v per=$((BENCH_OBJECTS * RUNS)) '$1 == "tool" && $2 == "incl" {
    if ($3 ~ /^java\/lang\/Thread\.run$|ThreadPoolExecutor|SedaConsumer|CamelInternalProcessor|DefaultReactiveExecutor|processor\/Pipeline/) next
    printf "%8.0f  %s\n", $4 * 2000 / per, $3 }' "$OUT/summary" | sort -rn | awk 'NR <= 40'
echo
echo "stacks: $OUT/{tool,loop}-RUN.collapsed (flame graphs: async-profiler's jfrconv, or any collapsed-stack viewer)"
