#!/usr/bin/env bash
# What `cargo check` of graphspec costs, side by side with graph-rs-sdk, in one run.
#
# For each build below, RUNS times (default 3), interleaved so that a slow moment of the
# machine hits every build alike:
#
# - "clean": `cargo check` in a fresh target directory, dependencies included: what a
#   user's first `cargo check` costs. Wall time and peak memory (maximum resident set
#   size of cargo and the compilers, from GNU time).
# - "alone": `api-defs/src/lib.rs` touched and checked again without incremental
#   compilation: the cost of the `graphspec` crate by itself.
#
# The builds: graphspec with its default features, with one resource group
# (`--no-default-features --features GROUP`), with `full`, and with `full,client`; and the
# best-known Rust Graph client of similar coverage, graph-rs-sdk 3.0.1 (~4,580
# operations, URL builders without permission data or models), checked from a scratch
# crate with rustls like ours.
#
# Then a user's edit: a scratch crate outside the workspace that depends on graphspec
# with `full` and calls one operation is checked once, then its own `main.rs` is edited
# (a new line) and checked again, RUNS times: what each edit costs the user.
#
# Prints medians with the spread (min-max) as a Markdown table, then the ratios of the
# clean checks, per crate and per operation (graphspec `full,client` against
# graph-rs-sdk). Needs GNU time (/usr/bin/time) and crates.io. About 25 minutes on
# 2 cores with RUNS=3.
#
#   scripts/check-times.sh [GROUP]      # GROUP defaults to `intune` (the largest group)
#   scripts/check-times.sh ""           # without the one-group build
#   RUNS=1 scripts/check-times.sh       # one run of each, for a quick look
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
group="${1-intune}"
runs="${RUNS:-3}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Operation counts, from the generated modules (each `endpoint!` is one operation).
ours_ops=$(grep -rh "^crate::endpoint! {" api-defs/src/generated/operations | wc -l)
group_ops=0
[ -z "$group" ] || group_ops=$(grep -rh "^crate::endpoint! {" "api-defs/src/generated/operations/$group" | wc -l)
default_ops=$(grep -rh "^crate::endpoint! {" api-defs/src/generated/operations/default-resources | wc -l)
theirs_ops=4580 # graph-rs-sdk 3.0.1's own count of API methods, approximately

wall() { # GNU time output -> seconds
    sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" |
        awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'
}
rss() { # GNU time output -> MiB
    sed -n 's/.*Maximum resident set size (kbytes): //p' "$1" | awk '{ printf "%d", $1 / 1024 }'
}
record() { # label kind value
    echo "$3" >>"$scratch/$1.$2"
}
timed() { # label kind command...
    local label="$1" kind="$2"
    shift 2
    if ! /usr/bin/time -v -o "$scratch/last.time" "$@" >"$scratch/last.log" 2>&1; then
        echo "$label ($kind) failed: $*" >&2
        cat "$scratch/last.log" >&2
        exit 1
    fi
    record "$label" "$kind" "$(wall "$scratch/last.time")"
    record "$label" "$kind-rss" "$(rss "$scratch/last.time")"
}

# graph-rs-sdk's scratch crate.
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
cargo fetch -q

ours() { # label flags...
    local label="$1"
    shift
    local dir="$scratch/target-$label"
    rm -rf "$dir"
    timed "$label" clean cargo check -q -p graphspec --target-dir "$dir" "$@"
    touch api-defs/src/lib.rs
    CARGO_INCREMENTAL=0 timed "$label" alone cargo check -q -p graphspec --target-dir "$dir" "$@"
    rm -rf "$dir"
}
theirs() {
    local dir="$scratch/target-reference"
    rm -rf "$dir"
    timed graph-rs-sdk clean cargo check -q --manifest-path "$reference/Cargo.toml" --target-dir "$dir"
    rm -rf "$dir"
}

for run in $(seq "$runs"); do
    echo "run $run of $runs" >&2
    ours default
    [ -z "$group" ] || ours "group-$group" --no-default-features --features "$group"
    ours full --features full
    ours full-with-client --features full,client
    theirs
done

# A user's crate, outside the workspace, with `full`: the cost of an edit to its own file.
user="$scratch/user-crate"
mkdir -p "$user/src"
cat >"$user/Cargo.toml" <<TOML
[package]
name = "user-crate"
version = "0.1.0"
edition = "2024"
[dependencies]
graphspec = { path = "$repo/api-defs", features = ["full"] }
[workspace]
TOML
cat >"$user/src/main.rs" <<'RS'
use graphspec::prelude::*;

fn main() {
    let request = graphspec::user::ListUsers::new().select(["id", "displayName"]).top(5);
    let http = request.to_http_request(&graphspec::Cloud::Global.v1()).unwrap();
    println!("{}", http.uri());
}
RS
cargo check -q --manifest-path "$user/Cargo.toml" --target-dir "$scratch/target-user"
for run in $(seq "$runs"); do
    echo "// edit $run" >>"$user/src/main.rs"
    timed user-edit recheck cargo check -q --manifest-path "$user/Cargo.toml" --target-dir "$scratch/target-user"
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
cell() { # label kind -> "median s (lo-hi)"
    [ -f "$scratch/$1.$2" ] || { echo ""; return; }
    printf '%.1f s (%s)' "$(median "$scratch/$1.$2")" "$(spread "$scratch/$1.$2")"
}
mib() { [ -f "$scratch/$1.$2-rss" ] && printf '%d MiB' "$(median "$scratch/$1.$2-rss")"; }

echo "Medians of $runs runs (spread min-max), $(nproc) cores, $(rustc --version)."
echo
echo "| build | operations | clean: wall | clean: peak RSS | graphspec alone: wall | graphspec alone: peak RSS |"
echo "|---|---:|---:|---:|---:|---:|"
row() { # label shown ops
    printf '| %s | %s | %s | %s | %s | %s |\n' "$2" "$3" "$(cell "$1" clean)" "$(mib "$1" clean)" \
        "$(cell "$1" alone)" "$(mib "$1" alone)"
}
row default "default (\`user\`, \`group\`, \`subscribedsku\`)" "$default_ops"
[ -z "$group" ] || row "group-$group" "one group (\`--no-default-features --features $group\`)" "$group_ops"
row full "\`--features full\`" "$ours_ops"
row full-with-client "\`--features full,client\`" "$ours_ops"
row graph-rs-sdk "graph-rs-sdk 3.0.1 (\`rustls-tls\`)" "~$theirs_ops"
echo
echo "A user's crate with \`full\`, re-checked after an edit to its own \`main.rs\`: $(cell user-edit recheck), $(mib user-edit recheck)."
echo
a=$(median "$scratch/full-with-client.clean")
b=$(median "$scratch/graph-rs-sdk.clean")
awk -v a="$a" -v b="$b" -v n="$ours_ops" -v m="$theirs_ops" 'BEGIN {
    printf "Clean check, graphspec full,client / graph-rs-sdk: %.1f s / %.1f s = %.2f\n", a, b, a / b
    printf "Per operation: %.1f ms / %.1f ms = %.2f\n", 1000 * a / n, 1000 * b / m, (a / n) / (b / m)
}'
