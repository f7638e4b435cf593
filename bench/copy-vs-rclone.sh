#!/usr/bin/env bash
# Copy the same synthetic Mastodon between the same two S3-compatible stores with mastodon-s3-sync and with rclone,
# at the same concurrency, and print wall time, throughput, CPU time and peak memory of each, for a first copy and for
# a second pass with nothing left to copy.
#
#   bench/copy-vs-rclone.sh [ROWS_PER_TABLE=1000] [OBJECT_SIZE=65536] [CONCURRENCY=16] [PROTOCOL=https]
#
# PROTOCOL https (what every real provider speaks) or http. Over plain http the AWS SDK for Java signs every body
# (SHA-256 of each byte); over https it sends UNSIGNED-PAYLOAD, as rclone does on both.
# Needs: the jar (mvn -B -DskipTests package), rclone and GNU time (apt-get install rclone time).
# The stores are s3proxy endpoints on 127.0.0.1 backed by directories under a temp dir; the database is an embedded
# PostgreSQL. Everything runs on this machine, so both tools share its cores with the servers in the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000}
SIZE=${2:-65536}
CONC=${3:-16}
PROTO=${4:-https}
command -v rclone >/dev/null || { echo "rclone missing: apt-get install rclone" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install time" >&2; exit 2; }
[ -f target/mastodon-s3-sync.jar ] || mvn -B -q -DskipTests package
mvn -B -q test-compile >/dev/null
CP="target/test-classes:target/classes:$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"

WORK=$(mktemp -d /tmp/mastodon-s3-sync-bench.XXXXXX)
trap 'kill $SERVERS 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
TLS_ARGS=()
JAVA_TLS=()
RCLONE_TLS=()
if [ "$PROTO" = https ]; then
  keytool -genkeypair -alias s3proxy -keyalg RSA -keysize 2048 -validity 2 -dname CN=127.0.0.1 \
    -ext SAN=ip:127.0.0.1 -keystore "$WORK/server.p12" -storetype PKCS12 -storepass benchpass >/dev/null 2>&1
  keytool -exportcert -rfc -alias s3proxy -keystore "$WORK/server.p12" -storepass benchpass >"$WORK/ca.pem" 2>/dev/null
  keytool -importcert -noprompt -alias s3proxy -file "$WORK/ca.pem" -keystore "$WORK/trust.p12" \
    -storetype PKCS12 -storepass benchpass >/dev/null 2>&1
  TLS_ARGS=("$WORK/server.p12" benchpass)
  JAVA_TLS=(-Djavax.net.ssl.trustStore="$WORK/trust.p12" -Djavax.net.ssl.trustStorePassword=benchpass)
  RCLONE_TLS=(--ca-cert "$WORK/ca.pem")
fi
java -Xmx4g "${JAVA_TLS[@]}" -cp "$CP" mastodon.s3sync.bench.BenchServers "$WORK/env" "$WORK/data" "$ROWS" "$SIZE" \
  "${TLS_ARGS[@]}" >"$WORK/servers.log" 2>&1 &
SERVERS=$!
for _ in $(seq 1 900); do [ -f "$WORK/env" ] && break; sleep 1; done
[ -f "$WORK/env" ] || { cat "$WORK/servers.log"; echo "servers did not start" >&2; exit 1; }
# shellcheck disable=SC1091
source "$WORK/env"
MB=$(awk "BEGIN{print $BENCH_BYTES/1e6}")
echo "data: $BENCH_OBJECTS objects, $MB MB, $PROTO; concurrency $CONC; $(nproc) cores shared with the servers"
echo "mastodon-s3-sync JVM options: ${JAVA_OPTS:-as bin/mastodon-s3-sync: -Xmx512m -XX:+UseSerialGC}"

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

measure() { # name, shell command (exec'd, so the figures are the tool's own)
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" bash -c "exec $*" >"$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  read -r secs user sys kb <"$WORK/time"
  printf "%-26s %7.1f s %8.1f MB/s %8.1f objects/s %7.1f s CPU %6.0f MB peak RSS\n" "$name" "$secs" \
    "$(awk "BEGIN{print $MB/$secs}")" "$(awk "BEGIN{print $BENCH_OBJECTS/$secs}")" \
    "$(awk "BEGIN{print $user+$sys}")" "$(awk "BEGIN{print $kb/1024}")"
}

# JAVA_OPTS as bin/mastodon-s3-sync uses them (the README's recommendation), unless given
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
CAMEL="env TARGET_S3_BUCKET=target-camel COPY_CONCURRENCY=$CONC COPY_STATE_DIR=$WORK/state LOG_LEVEL=WARN \
  MANAGEMENT_ENABLED=false java $JAVA_OPTS ${JAVA_TLS[*]} -jar target/mastodon-s3-sync.jar copy"
RCLONE="env -u AWS_CA_BUNDLE rclone --config $WORK/rclone.conf ${RCLONE_TLS[*]} copy src:source dst:target-rclone \
  --transfers $CONC --checkers $CONC --s3-upload-cutoff 16M --s3-chunk-size 16M"

measure "mastodon-s3-sync copy" "$CAMEL"
measure "rclone copy" "$RCLONE"
# a second pass with nothing new: the tool re-checks every row (--restart ignores its checkpoints), rclone re-lists
measure "mastodon-s3-sync recheck" "$CAMEL --restart"
measure "rclone recheck" "$RCLONE"
