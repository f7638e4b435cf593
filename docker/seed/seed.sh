#!/bin/sh
# Writes the demo's objects into the source store of docker/compose.yaml: one file per key that `copy --dry-run`
# derives from the rows of seed.sql, under the s3proxy bucket directory given as $1 (the filesystem store keeps each
# key as a file). Sizes vary from 2 to 200 KB. Runs in the mastodon-s3-sync image, once: a bucket that already
# holds objects is left as it is.
set -eu
bucket_dir=$1
if [ -n "$(ls -A "$bucket_dir" 2>/dev/null)" ]; then
  echo "seed: $bucket_dir already holds objects; nothing to do"
  exit 0
fi
mkdir -p "$bucket_dir"
keys=$(mktemp)
"${MASTODON_S3_SYNC:-/app/bin/mastodon-s3-sync}" copy --dry-run >"$keys"
n=0
while IFS= read -r line; do
  key=${line%% *} # "KEY -> TARGET-KEY  [type, acl]"
  case $key in
    ''|/*|*..*) continue ;; # never outside the bucket directory
  esac
  n=$((n + 1))
  dir=$bucket_dir/${key%/*}
  [ "$dir" = "${last:-}" ] || mkdir -p "$dir"
  last=$dir
  head -c $((2000 + (n * 7919) % 200000)) /dev/urandom >"$bucket_dir/$key"
done <"$keys"
rm -f "$keys"
echo "seed: $(find "$bucket_dir" -type f | wc -l) objects written under $bucket_dir"
