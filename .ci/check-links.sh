#!/usr/bin/env bash
# Every relative link in README.md and docs/*.md resolves: the file exists and, for FILE#anchor, FILE has a heading
# with that anchor (GitHub's rule: lower case, punctuation dropped, spaces to hyphens). Web links are not checked.
# Exit 1 with one line per broken link.
set -euo pipefail
cd "$(dirname "$0")/.."

slugs() { # the anchors of a markdown file's headings (outside fenced code)
  awk '/^```/ {fence = !fence; next} !fence && /^#+ / {sub(/^#+ +/, ""); print}' "$1" \
    | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9 _-]//g; s/ /-/g'
}

broken=0
for file in README.md docs/*.md; do
  dir=$(dirname "$file")
  # [text](target) outside fenced code; the target ends at ')' or a space (a title)
  while IFS= read -r target; do
    case "$target" in
      http://*|https://*|mailto:*) continue ;;
    esac
    path=${target%%#*}
    anchor=""
    [[ "$target" == *#* ]] && anchor=${target#*#}
    resolved=$file
    if [ -n "$path" ]; then
      resolved="$dir/$path"
      if [ ! -e "$resolved" ]; then
        echo "$file: broken link '$target' ($resolved does not exist)"
        broken=1
        continue
      fi
    fi
    if [ -n "$anchor" ] && [ -f "$resolved" ] && ! slugs "$resolved" | grep -qxF -- "$anchor"; then
      echo "$file: broken link '$target' (no heading '#$anchor' in $resolved)"
      broken=1
    fi
  done < <(awk '/^```/ {fence = !fence; next} !fence' "$file" | grep -oE '\]\([^) ]+' | sed 's/^](//')
done
if [ "$broken" -eq 0 ]; then
  echo "links: every relative link in README.md and docs/ resolves"
fi
exit "$broken"
