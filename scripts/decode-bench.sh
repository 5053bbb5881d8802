#!/usr/bin/env bash
# Decoding one page of 1,000 users from the emulator's seeded tenant into the typed models
# against decoding it into serde_json::Value, side by side in the same criterion run
# (emulator/benches/decode.rs). Prints both medians and their ratio (typed / Value).
#
#   scripts/decode-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p graphspec-emulator --bench decode -- --noplot >/dev/null
dir="${CARGO_TARGET_DIR:-target}/criterion/decode_1000_users"
median() {
    # The median's point estimate (nanoseconds) from criterion's estimates.json.
    tr -d '\n ' <"$dir/$1/new/estimates.json" |
        sed -n 's/.*"median":{"confidence_interval":{[^}]*},"point_estimate":\([0-9.e+-]*\).*/\1/p'
}
value=$(median "serde_json__Value")
typed=$(median "Collection_model__User_")
awk -v v="$value" -v t="$typed" 'BEGIN {
    printf "| decode one page of 1,000 users | median |\n|---|---:|\n"
    printf "| into serde_json::Value | %.2f ms |\n", v / 1e6
    printf "| into Collection<model::User> | %.2f ms |\n", t / 1e6
    printf "\nratio typed / Value: %.2f (measured, criterion medians, same run)\n", t / v
}'
