#!/usr/bin/env bash
# A clean `cargo check -p graphspec` with the default features (what a user's first check
# costs, dependencies included) at two commits, side by side in one run: RUNS times each
# (default 3), alternating, each in a fresh target directory. Prints the medians with the
# spread, peak memory, and the ratio of the current checkout to BASE.
#
#   scripts/default-check-ab.sh BASE     # e.g. a commit before a dependency change
#
# Needs GNU time (/usr/bin/time). Offline: both commits' dependencies must be in the
# cargo registry already.
set -euo pipefail

cd "$(dirname "$0")/.."
base="${1:?usage: scripts/default-check-ab.sh BASE}"
runs="${RUNS:-3}"
scratch="$(mktemp -d)"
trap 'git worktree remove --force "$scratch/base" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
git worktree add --detach "$scratch/base" "$base" >/dev/null 2>&1
head_rev=$(git rev-parse --short HEAD)
base_rev=$(git -C "$scratch/base" rev-parse --short HEAD)

wall() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" |
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'; }
rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1" | awk '{ printf "%d", $1 / 1024 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
spread() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }

for i in $(seq "$runs"); do
    for which in base head; do
        dir=$([ "$which" = base ] && echo "$scratch/base" || pwd)
        rm -rf "$scratch/target"
        (cd "$dir" && CARGO_TARGET_DIR="$scratch/target" /usr/bin/time -v -o "$scratch/t" \
            cargo check -q --offline -p graphspec >/dev/null 2>"$scratch/log") ||
            { cat "$scratch/log" >&2; exit 1; }
        wall "$scratch/t" >>"$scratch/$which.wall"
        rss "$scratch/t" >>"$scratch/$which.rss"
        echo >>"$scratch/$which.rss"
    done
done
rm -rf "$scratch/target"

echo "Clean \`cargo check -p graphspec\` (default features), medians of $runs alternating runs (spread), $(nproc) cores, $(rustc --version)."
echo
echo "| commit | wall | peak RSS |"
echo "|---|---:|---:|"
for which in base head; do
    rev=$([ "$which" = base ] && echo "$base_rev (base)" || echo "$head_rev")
    echo "| $rev | $(median <"$scratch/$which.wall") s ($(spread <"$scratch/$which.wall")) | $(grep . "$scratch/$which.rss" | median) MiB |"
done
echo
awk -v h="$(median <"$scratch/head.wall")" -v b="$(median <"$scratch/base.wall")" \
    'BEGIN { printf "%s / base: %.2f\n", "'"$head_rev"'", h / b }'
