#!/usr/bin/env bash
# Runs the jest suites RUNS times back to back (default 3) while a busy loop holds one core, the
# way a loaded CI machine does: every assertion must hold on it. Prints one summary line per run.
# Build first (npm run build); pass jest arguments after the script's own, e.g. a single suite.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-3}"
taskset -c 0 node -e 'for (;;) {}' &
hog=$!
trap 'kill "$hog" 2>/dev/null' EXIT
failed=0
for run in $(seq 1 "$runs"); do
  log="test-artifacts/under-load-$run.log"
  mkdir -p test-artifacts
  start=$(date +%s)
  if npm run --silent test:jest -- "$@" >"$log" 2>&1; then status=passed; else status=FAILED; failed=1; fi
  summary=$(grep -E '^Tests:' "$log" | tail -1)
  echo "run $run/$runs: $status in $(( $(date +%s) - start )) s; $summary (log: $log)"
done
exit "$failed"
