#!/usr/bin/env bash
# Checks docker/ without a Docker engine: the compose file parses and resolves (docker compose config), and the
# Dockerfile names the files the build needs. Skips the compose check when no compose client is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  compose=()
fi
if [ ${#compose[@]} -gt 0 ]; then
  "${compose[@]}" -f docker/compose.yaml config --quiet
  echo "docker/compose.yaml: valid (${compose[*]} config)"
else
  echo "docker/compose.yaml: not checked (no docker compose client)"
fi

# every file the Dockerfile copies from the build context exists and is not excluded by .dockerignore
for f in pom.xml application.properties bin routes src; do
  [ -e "$f" ] || { echo "docker/Dockerfile copies $f, which is missing" >&2; exit 1; }
  if grep -qx "$f/\?" .dockerignore; then
    echo ".dockerignore excludes $f, which docker/Dockerfile copies" >&2; exit 1
  fi
done
grep -q '^ENTRYPOINT \["/app/bin/mastodon-s3-sync"\]' docker/Dockerfile
grep -q '^COPY bin /app/bin' docker/Dockerfile
grep -q 'MASTODON_S3_SYNC_JAR=/app/mastodon-s3-sync.jar' docker/Dockerfile
grep -q '<finalName>mastodon-s3-sync</finalName>' pom.xml
echo "docker/Dockerfile: build inputs present, jar name matches the pom"

# every file the compose file mounts from the repository exists; no image is left to float on :latest
for f in $(grep -oE '(\.\./|\./)[A-Za-z0-9_./-]+' docker/compose.yaml | sort -u); do
  [ -e "docker/$f" ] || { echo "docker/compose.yaml mounts $f, which is missing" >&2; exit 1; }
done
if grep -nE 'image: [^ ]+(:latest)?$' docker/compose.yaml | grep -vE 'image: [^ ]+:[^ ]+$' | grep -q . \
   || grep -q ':latest' docker/compose.yaml; then
  echo "docker/compose.yaml: pin every image to a version" >&2; exit 1
fi
if grep -q '5432:5432' docker/compose.yaml; then
  echo "docker/compose.yaml publishes PostgreSQL on 5432, where a Mastodon host runs its own" >&2; exit 1
fi
echo "docker/compose.yaml: mounted files present, images pinned, no clash with the host's PostgreSQL"
