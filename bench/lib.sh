# Sourced by the scripts under bench/ (not run on its own): build, servers, measuring, the table of medians.
#
# Every measured command runs under GNU time (wall, user+sys CPU, peak RSS of the tool itself: the scripts exec the
# java or rclone process) while the bench servers count the requests each store answers (bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bench_need() { # tools the script needs
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "$t missing: apt-get install $t" >&2; exit 2; }
  done
  [ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install time" >&2; exit 2; }
}

bench_build() { # the jar (as a user runs it) and the test classes (the servers); sets CP
  [ -f target/mastodon-s3-sync.jar ] || mvn -B -q -DskipTests package
  mvn -B -q test-compile >/dev/null
  if [ ! -f target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
    mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  fi
  CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
}

WORK=$(mktemp -d /tmp/mastodon-s3-sync-bench.XXXXXX)
SERVERS=
bench_cleanup() {
  [ -n "$SERVERS" ] && kill "$SERVERS" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

JAVA_TLS=()
RCLONE_TLS=()
bench_tls() { # a throw-away key store for the stores (https) and the trust the clients need
  keytool -genkeypair -alias s3proxy -keyalg RSA -keysize 2048 -validity 2 -dname CN=127.0.0.1 \
    -ext SAN=ip:127.0.0.1 -keystore "$WORK/server.p12" -storetype PKCS12 -storepass benchpass >/dev/null 2>&1
  keytool -exportcert -rfc -alias s3proxy -keystore "$WORK/server.p12" -storepass benchpass >"$WORK/ca.pem" 2>/dev/null
  keytool -importcert -noprompt -alias s3proxy -file "$WORK/ca.pem" -keystore "$WORK/trust.p12" \
    -storetype PKCS12 -storepass benchpass >/dev/null 2>&1
  JAVA_TLS=(-Djavax.net.ssl.trustStore="$WORK/trust.p12" -Djavax.net.ssl.trustStorePassword=benchpass)
  RCLONE_TLS=(--ca-cert "$WORK/ca.pem")
}

bench_servers() { # starts BenchServers with these options (see its javadoc), waits, exports its settings
  local dir=$WORK/servers.$RANDOM
  mkdir -p "$dir"
  DATA=$dir/data
  java -Xmx4g "${JAVA_TLS[@]}" -cp "$CP" mastodon.s3sync.bench.BenchServers "$dir/env" "$DATA" "$@" \
    >"$dir/log" 2>&1 &
  SERVERS=$!
  for _ in $(seq 1 3600); do
    [ -f "$dir/env" ] && break
    kill -0 "$SERVERS" 2>/dev/null || break
    sleep 1
  done
  [ -f "$dir/env" ] || { cat "$dir/log"; echo "bench servers did not start" >&2; exit 1; }
  # shellcheck disable=SC1091
  source "$dir/env"
  cat >"$WORK/rclone.conf" <<CONF
[src]
type = s3
provider = Other
access_key_id = $AWS_ACCESS_KEY_ID
secret_access_key = $AWS_SECRET_ACCESS_KEY
endpoint = $S3_ENDPOINT
force_path_style = true
[dst]
type = s3
provider = Other
access_key_id = $TARGET_AWS_ACCESS_KEY_ID
secret_access_key = $TARGET_AWS_SECRET_ACCESS_KEY
endpoint = $TARGET_S3_ENDPOINT
force_path_style = true
CONF
}

bench_stop_servers() {
  kill "$SERVERS" 2>/dev/null || true
  wait "$SERVERS" 2>/dev/null || true
  SERVERS=
  rm -rf "$DATA"
}

bench_free_port() { # the first port from 19876 on that nothing on 127.0.0.1 listens on
  local port=19876
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

bench_bucket() { # creates a target bucket
  env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" "${RCLONE_TLS[@]}" mkdir "dst:$1"
}

bench_warm_stores() { # an untimed copy of up to 4,000 objects by rclone: the stores' JVM (and the latency proxies)
  # compile their GET path while serving the first copy, which the filling did not exercise, so that the first
  # measured copy does not pay for it
  bench_bucket warmup
  head -n 4000 "$DATA/keys.txt" >"$WORK/warmup-keys"
  env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" "${RCLONE_TLS[@]}" copy src:source dst:warmup \
    --files-from "$WORK/warmup-keys" --transfers 16 --checkers 16 --s3-upload-cutoff 16M --s3-chunk-size 16M
  rm -rf "$DATA/target/warmup"
}

bench_requests() { # requests both stores answered so far
  sleep 0.5 # the servers write their counts every 200 ms
  awk '{print $1 + $2}' "$DATA/requests"
}

bench_loop_opts() { # the JVM options of the bare SDK loops: a 512 MB serial heap, and the launcher's own compiler
  # options (its line of -XX:CompileCommand for the JDK's cipher and -XX:CompileThresholdScaling), read from
  # bin/mastodon-s3-sync so that both keep the same. Without them AES-GCM runs as plain Java for the first 10-40 s of
  # a copy on two cores (bench/RESULTS.md, "AES-GCM in Java at concurrency 64"): until 2026-11-30 the loop ran
  # without them and spent a quarter more CPU than it needs, which flattered the tool next to it (bench/RESULTS.md,
  # "A fair SDK loop")
  local compiler
  compiler=$(sed -n 's/^\(-XX:CompileCommand=quiet [^"]*\)"$/\1/p' "$ROOT/bin/mastodon-s3-sync")
  [ -n "$compiler" ] || { echo "bin/mastodon-s3-sync: its -XX:CompileCommand line was not found" >&2; return 2; }
  echo "-Xmx512m -XX:+UseSerialGC $compiler"
}

bench_profile() { # FILE.jfr: its hottest frames (top of stack), by method and by package, then the methods most
  # often on the stack with their callers (what bench/copy-vs-rclone.sh --profile prints). The lists are cut with
  # awk 'NR <= n', not head: head stops reading, the sort before it then dies of SIGPIPE, and under pipefail that ended
  # the whole script after the first recording (.ci/check-bench.sh)
  local f=$1
  echo
  echo "$(basename "$f"): hottest frames (top of stack, jdk.ExecutionSample), then by package of the top frame"
  jfr print --events jdk.ExecutionSample "$f" | awk '/stackTrace = \[/{getline; print}' | sed 's/line:.*//' \
    >"$WORK/top"
  sort "$WORK/top" | uniq -c | sort -rn | awk 'NR <= 20'
  sed -E 's/^ *//; s/\.[A-Za-z0-9_$]+\.[A-Za-z0-9_<>$]+\(.*//' "$WORK/top" | sort | uniq -c | sort -rn | awk 'NR <= 15'
  # what the top frames hide: the share of samples each method is on the stack in, callers included (jfr print
  # shows 5 frames unless told; an expensive caller of cheap methods only shows up this way)
  echo "$(basename "$f"): methods by share of samples with them on the stack (inclusive), top 100"
  jfr print --stack-depth 512 --events jdk.ExecutionSample "$f" | awk '
    /stackTrace = \[/ { inside = 1; n++; delete seen; next }
    inside && /^[[:space:]]*\]/ { inside = 0; next }
    inside { m = $1; sub(/\(.*/, "", m); k = split(m, part, ".")
             m = part[k - 1] "." part[k]; if (!(m in seen)) { seen[m] = 1; count[m]++ } }
    END { for (m in count) printf "%6.1f%%  %s\n", 100 * count[m] / n, m }' | sort -rn | awk 'NR <= 100'
}

bench_machine() {
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB memory, load $(cut -d' ' -f1-3 /proc/loadavg)"
}

ROWS_FILE=$WORK/rows
: >"$ROWS_FILE"
# measure LABEL UNITS COMMAND...: runs COMMAND (exec'd: the figures are the tool's own), appends one row
#   label units wall user sys rss_kb requests
measure() {
  local label=$1 units=$2; shift 2
  local before after
  sync # what the copies before wrote reaches the disk now, not during this one
  before=$(bench_requests)
  # $WORK/started: the moment the command itself starts (epoch microseconds), written by the shell that then becomes
  # the command, after the request count above (which sleeps half a second) and after GNU time's own start
  rm -f "$WORK/started"
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" bash -c 'echo "${EPOCHREALTIME/./}" >"$0"; exec "$@"' \
    "$WORK/started" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  # MEASURE_OK: another exit code that means success (143: a run or mirror stopped with SIGTERM)
  if [ "$rc" != 0 ] && [ "$rc" != "${MEASURE_OK:-0}" ]; then
    tail -n 30 "$WORK/err" "$WORK/out"; echo "failed: $label" >&2; exit 1
  fi
  after=$(bench_requests)
  # the figures are GNU time's last line (a failed command's "Command exited with non-zero status" comes first)
  read -r secs user sys kb < <(tail -n 1 "$WORK/time")
  echo "$label|$units|$secs|$user|$sys|$kb|$((after - before))" >>"$ROWS_FILE"
  printf '  %-34s %8.1f s wall %7.1f s CPU %6.0f MB RSS %7d requests\n' "$label" "$secs" \
    "$(awk "BEGIN{print $user+$sys}")" "$(awk "BEGIN{print $kb/1024}")" "$((after - before))" >&2
}

# table UNIT_NAME BYTES: medians per label of the rows measured so far (units = objects or rows per run)
table() {
  local unit=$1 bytes=$2
  printf '| %-34s | %10s | %8s | %8s | %10s | %13s | %9s | %6s |\n' tool "$unit/s" "MB/s" "CPU s" "CPU ms each" \
    "peak RSS MB" requests "wall s"
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" ------------ ---------- ---------- \
    ------------ --------------- ----------- --------
  awk -F'|' -v bytes="$bytes" '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 }
      units[$1] = $2; wall[$1] = wall[$1] " " $3; cpu[$1] = cpu[$1] " " ($4 + $5)
      rss[$1] = rss[$1] " " ($6 / 1024); req[$1] = req[$1] " " $7; runs[$1]++
    }
    END {
      for (i = 1; i <= k; i++) {
        l = order[i]; w = median(wall[l]); c = median(cpu[l])
        printf "| %-34s | %10.0f | %8.1f | %8.1f | %10.3f | %13.0f | %9.0f | %6.1f |\n", l " (" runs[l] ")", \
          units[l] / w, (bytes > 0 ? bytes / 1e6 / w : 0), c, c * 1000 / units[l], \
          median(rss[l]), median(req[l]), w
      }
    }' "$ROWS_FILE"
}

# JAVA_OPTS as the launcher sets them unless given: the tool runs the documented way, bin/mastodon-s3-sync
TOOL=("$ROOT/bin/mastodon-s3-sync")
