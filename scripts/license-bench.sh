#!/usr/bin/env bash
# The license bot's benchmark (bot/src/bin/license-bench.rs) in release mode: bulk
# reprocessing as single@1, single@8, batch20@1 and batch20@8 against the in-process
# emulator, medians of several runs taking turns in one process, measured round trips,
# ratios between like pairs; then request building against a hand-written baseline.
# Arguments are passed on (see --help), e.g. scripts/license-bench.sh --runs 7 --latency-ms 0,1,5
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p graphspec-license-bot --bin license-bench
exec "${CARGO_TARGET_DIR:-target}/release/license-bench" "$@"
