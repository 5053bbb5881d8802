#!/usr/bin/env bash
# Sustained load on the in-process emulator and the client (bot/src/load.rs, binary
# load-test): REQUESTS requests at CONCURRENCY in flight with FAULT_RATE injected faults
# (429 / 503 / slow in thirds), RUNS times (seeds 1..RUNS), each run its own process, in
# release mode. Prints every run's RESULT line, then medians of throughput and peak
# resident memory (VmHWM of the process running both), and a run of REQUESTS/10 for
# comparison: peak memory that does not grow with the request count is bounded.
# Fails when any run's accounting is not exact.
#
#   scripts/load-test.sh                       # 100,000 requests, 64 in flight, 10% faults, 3 runs
#   RUNS=5 REQUESTS=200000 scripts/load-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${REQUESTS:-100000}"
CONCURRENCY="${CONCURRENCY:-64}"
FAULT_RATE="${FAULT_RATE:-0.1}"
RUNS="${RUNS:-3}"
cargo build -q --release -p graphspec-license-bot --bin load-test
bin="${CARGO_TARGET_DIR:-target}/release/load-test"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
run() { # requests seed
    "$bin" --requests "$1" --concurrency "$CONCURRENCY" --fault-rate "$FAULT_RATE" --seed "$2" |
        tee /dev/stderr | grep '^RESULT'
}
small=$((REQUESTS / 10))
echo "== $small requests (for the memory comparison)" >&2
run "$small" 1 >"$results.small"
for seed in $(seq 1 "$RUNS"); do
    echo "== run $seed of $RUNS" >&2
    run "$REQUESTS" "$seed" >>"$results"
done
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
if grep -q 'exact=false' "$results" "$results.small"; then
    echo "load-test: accounting NOT exact in some run" >&2
    exit 1
fi
echo
echo "scripts/load-test.sh: $REQUESTS requests, $CONCURRENCY in flight, fault rate $FAULT_RATE, medians of $RUNS runs (one process each)"
printf '  accounting           exact in every run (each request once; successes + failures = requests)\n'
printf '  failed after retries %s per run (median; max %s)\n' \
    "$(field failures <"$results" | median)" "$(field failures <"$results" | sort -g | tail -1)"
printf '  requests/s           %s\n' "$(field requests_per_s <"$results" | median)"
printf '  round trips/s        %s (retries included; %s round trips per run)\n' \
    "$(field round_trips_per_s <"$results" | median)" "$(field round_trips <"$results" | median)"
printf '  elapsed              %s s\n' "$(field elapsed_s <"$results" | median)"
printf '  resident before load %.1f MiB\n' "$(field rss_before_kib <"$results" | median | awk '{ print $1 / 1024 }')"
printf '  peak resident (VmHWM) %.1f MiB; with %s requests: %.1f MiB\n' \
    "$(field peak_rss_kib <"$results" | median | awk '{ print $1 / 1024 }')" "$small" \
    "$(field peak_rss_kib <"$results.small" | awk '{ print $1 / 1024 }')"
rm -f "$results.small"
