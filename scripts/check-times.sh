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
# Side by side, the same is measured for the best-known Rust Graph client of similar
# coverage, graph-rs-sdk 3.0.1 (~4,580 operations, URL builders without permission data),
# checked from a scratch crate with rustls like ours, and the ratio of the clean checks is
# printed: `full` (with our client) against graph-rs-sdk.
#
# Prints a Markdown table. Needs /usr/bin/time (GNU time) and crates.io.
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
    [ "$label" = full-with-client ] || rm -rf "$dir"
}

echo "| build | flags | clean: wall time | clean: peak RSS | graphspec alone: wall time | graphspec alone: peak RSS |"
echo "|---|---|---:|---:|---:|---:|"
measure default
measure "group-$group" --no-default-features --features "$group"
measure full --features full
measure full-with-client --features full,client

# graph-rs-sdk, from a scratch crate outside the workspace.
reference="$scratch/graph-rs-sdk-check"
mkdir -p "$reference/src"
cat >"$reference/Cargo.toml" <<'TOML'
[package]
name = "graph-rs-sdk-check"
version = "0.1.0"
edition = "2021"
[dependencies]
graph-rs-sdk = { version = "=3.0.1", default-features = false, features = ["rustls-tls"] }
[workspace]
TOML
echo 'pub use graph_rs_sdk::GraphClient;' >"$reference/src/lib.rs"
(cd "$reference" && cargo fetch -q)
/usr/bin/time -v -o "$scratch/reference.time" \
    cargo check -q --manifest-path "$reference/Cargo.toml" --target-dir "$scratch/reference-target" \
    >"$scratch/reference.log" 2>&1 || {
    echo "cargo check of graph-rs-sdk failed:" >&2
    cat "$scratch/reference.log" >&2
    exit 1
}
ref_wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$scratch/reference.time")
ref_rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$scratch/reference.time")
printf '| graph-rs-sdk 3.0.1 | `rustls-tls` | %s | %d MiB | | |\n' "$ref_wall" "$((ref_rss / 1024))"

seconds() { # m:ss.cc or h:mm:ss -> seconds
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}
ours=$(seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$scratch/full-with-client.time")")
theirs=$(seconds "$ref_wall")
echo
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "clean check, graphspec full+client / graph-rs-sdk: %.0f s / %.0f s = %.2f\n", a, b, a / b }'
