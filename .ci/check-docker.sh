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
for f in pom.xml application.properties routes src; do
  [ -e "$f" ] || { echo "docker/Dockerfile copies $f, which is missing" >&2; exit 1; }
  if grep -qx "$f/\?" .dockerignore; then
    echo ".dockerignore excludes $f, which docker/Dockerfile copies" >&2; exit 1
  fi
done
grep -q '^ENTRYPOINT \["java", .*"-jar", "/app/mastodon-s3-sync.jar"\]' docker/Dockerfile
grep -q '<finalName>mastodon-s3-sync</finalName>' pom.xml
echo "docker/Dockerfile: build inputs present, jar name matches the pom"
