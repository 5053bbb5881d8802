#!/usr/bin/env bash
# Measures a clean `cargo check -p graphspec` (the crate users depend on) with the default
# features, with one resource group, and with `--features full`: wall time and peak memory
# (maximum resident set size of cargo and the compilers, from /usr/bin/time -v).
#
# Each run uses its own fresh target directory, so dependencies are checked too: the
# numbers are what a user's first `cargo check` costs. Then `api-defs/src/lib.rs` is
# touched and checked again: the cost of the `graphspec` crate alone (what an edit
# costs). Usage:
#
#   scripts/check-times.sh [GROUP]      # GROUP defaults to `intune` (the largest group)
#
# Prints a Markdown table. Needs /usr/bin/time (GNU time).
set -euo pipefail

cd "$(dirname "$0")/.."
group="${1:-intune}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

measure() {
    local label="$1"
    shift
    local dir="$scratch/$label"
    /usr/bin/time -v -o "$scratch/$label.time" \
        cargo check -q -p graphspec --target-dir "$dir" "$@" >"$scratch/$label.log" 2>&1 || {
        echo "cargo check $* failed:" >&2
        cat "$scratch/$label.log" >&2
        exit 1
    }
    touch api-defs/src/lib.rs
    /usr/bin/time -v -o "$scratch/$label.again" \
        cargo check -q -p graphspec --target-dir "$dir" "$@" >>"$scratch/$label.log" 2>&1
    local wall rss wall2 rss2
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$scratch/$label.time")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$scratch/$label.time")
    wall2=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$scratch/$label.again")
    rss2=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$scratch/$label.again")
    printf '| %s | `%s` | %s | %d MiB | %s | %d MiB |\n' \
        "$label" "$*" "$wall" "$((rss / 1024))" "$wall2" "$((rss2 / 1024))"
    rm -rf "$dir"
}

echo "| build | flags | clean: wall time | clean: peak RSS | graphspec alone: wall time | graphspec alone: peak RSS |"
echo "|---|---|---:|---:|---:|---:|"
measure default
measure "group-$group" --no-default-features --features "$group"
measure full --features full
