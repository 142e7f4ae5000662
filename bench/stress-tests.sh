#!/usr/bin/env bash
# The whole test suite, several times in a row, on a fresh clone of HEAD, while every core is kept
# busy: a test that passes only on an idle machine fails here, as it would on a loaded CI runner.
#
#   bench/stress-tests.sh             5 runs, one CPU burner per core
#   RUNS=2 BURNERS=1 bench/stress-tests.sh
#   KEEP=1 bench/stress-tests.sh      keep the clone (and its logs) afterwards
#
# Prints each run's duration, result and load average; exits 1 if any run failed.
set -euo pipefail

runs="${RUNS:-5}"
burners="${BURNERS:-$(nproc)}"
root="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)"
sha="$(git -C "$root" rev-parse HEAD)"
if [ -n "$(git -C "$root" status --porcelain)" ]; then
  echo "note: uncommitted changes are not tested; this runs the commit ${sha:0:12}" >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/parity-stress-XXXXXX")"
burner_pids=()
sampler_pid=""
cleanup() {
  for pid in "${burner_pids[@]}" $sampler_pid; do kill "$pid" 2>/dev/null || true; done
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

echo "cloning ${sha:0:12} into $work/repo"
git clone --quiet "$root" "$work/repo"
git -C "$work/repo" checkout --quiet --detach "$sha"
cd "$work/repo"
echo "npm ci (on an idle machine)"
npm ci --no-audit --no-fund >"$work/npm-ci.log" 2>&1 || {
  cat "$work/npm-ci.log"
  exit 1
}

for _ in $(seq "$burners"); do
  node -e 'for (;;) {}' &
  burner_pids+=("$!")
done
# The 1-minute load average every 5 s, so each run can report what it ran under.
(while :; do echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg)"; sleep 5; done) >"$work/load.log" &
sampler_pid="$!"
echo "$burners CPU burners running on $(nproc) cores; $runs runs of npm test"

failed=0
summary=()
for run in $(seq "$runs"); do
  start="$(date +%s)"
  if npm test >"$work/run-$run.log" 2>&1; then result="passed"; else result="FAILED"; failed=1; fi
  end="$(date +%s)"
  load="$(awk -v s="$start" -v e="$end" '$1 >= s && $1 <= e { n++; t += $2; if ($2 > m) m = $2 }
    END { if (n) printf "load avg %.1f (max %.1f)", t / n, m; else print "load avg n/a" }' "$work/load.log")"
  plain="$(sed 's/\x1b\[[0-9;]*m//g' "$work/run-$run.log")"
  tally="$(grep -E '^ +Tests +' <<<"$plain" | tail -1 | sed 's/^ *//' || true)"
  # The slowest single test: how close the run came to a test timeout.
  slowest="$(grep -E '^ {4,}(✓|×) .* [0-9]+ms$' <<<"$plain" | sed -E 's/^ +//; s/^(.*) ([0-9]+)ms$/\2 \1/' |
    sort -rn | head -1 | awk '{ printf "%.0f s", $1 / 1000 }' || true)"
  line="run $run: $result in $((end - start)) s, $load; ${tally:-no tally}; slowest test ${slowest:-n/a}"
  echo "$line"
  summary+=("$line")
  if [ "$result" = "FAILED" ]; then
    grep -E -A12 'FAIL|Error:|Timed out' <<<"$plain" | head -60 || true
  fi
done

echo
printf '%s\n' "${summary[@]}"
exit "$failed"
