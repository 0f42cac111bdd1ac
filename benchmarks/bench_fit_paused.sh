#!/bin/sh
# tfp fit --model within beside R's fread + data.table within + lm.fit and fread + plm
# (the shared harness's R peer script, ../shared/benchmarks/r/r_peer.R), round-robin like
# the harness, but every run of every peer starts after a pause (PAUSE seconds, default 1):
# on these virtual machines the memory a process frees is handed back to the host for a while
# after it exits, and without the pause that teardown lands in the next peer's time (the
# harness's recorded run: results/fit-1e6.md). Not part of `make test`.
#
#   sh benchmarks/bench_fit_paused.sh [-n RUNS] [FILE]   (default 5 runs, firm_1e6.csv)
#
# Needs build/tfp (make all), Rscript with data.table and plm, and the harness's data (see
# benchmarks/README.md for gen_panel). Prints a Markdown table: medians of the timed runs
# after one warm-up, and the median over runs of R / tfp paired by run.
set -eu
cd "$(dirname "$0")/.."
RUNS=5
while getopts n: opt; do
    case $opt in
    n) RUNS=$OPTARG ;;
    *) sed -n '2,13p' "$0"; exit 1 ;;
    esac
done
shift $((OPTIND - 1))
DATA=${1:-${TMPDIR:-/tmp}/tfp-bench-data/firm_1e6.csv}
PEERS_DIR=${TFP_PEERS:-../shared/benchmarks}
[ -x build/tfp ] || { echo "bench: build/tfp missing: run make all" >&2; exit 1; }
[ -f "$DATA" ] || { echo "bench: $DATA missing (benchmarks/README.md: gen_panel)" >&2; exit 1; }
[ -f "$PEERS_DIR/r/r_peer.R" ] || { echo "bench: $PEERS_DIR/r/r_peer.R missing (TFP_PEERS)" >&2; exit 1; }
mkdir -p build/bench
if [ ! -x build/bench/walltime ] || [ benchmarks/walltime.c -nt build/bench/walltime ]; then
    ${CC:-cc} -O2 -o build/bench/walltime benchmarks/walltime.c
fi
RAW=build/bench/fit_paused.tsv
: >"$RAW"
run=0
while [ "$run" -le "$RUNS" ]; do
    for p in tfp r_dtwithin r_plm; do
        case $p in
        tfp) set -- env TFP_ENGINE=build/tfp sh benchmarks/engine_fe.sh "$DATA" ;;
        r_dtwithin) set -- Rscript "$PEERS_DIR/r/r_peer.R" fread dt_within "$DATA" ;;
        r_plm) set -- Rscript "$PEERS_DIR/r/r_peer.R" fread plm_fe "$DATA" ;;
        esac
        sleep "${PAUSE:-1}"
        wall=$(WALLTIME_KEEP=1 build/bench/walltime "$@" 2>build/bench/fit_err.txt |
            tee build/bench/fit_out.txt | tail -1)
        line=$(grep -h '^RESULT' build/bench/fit_out.txt build/bench/fit_err.txt | tail -1)
        [ -n "$line" ] || { echo "bench: $p printed no RESULT line" >&2; cat build/bench/fit_err.txt >&2; exit 1; }
        [ "$run" -gt 0 ] && printf '%s\t%d\t%s\t%s\n' "$p" "$run" "$wall" "$line" >>"$RAW"
    done
    run=$((run + 1))
done
awk -F'\t' '
function kv(s, key,   n, a, i, b) { n = split(s, a, " "); for (i = 1; i <= n; i++) { split(a[i], b, "="); if (b[1] == key) return b[2] } return "" }
function median(arr, n,   i, j, t) { for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t } return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
{ wall[$1, $2] = $3; runs[$2] = 1; lk[$1] = kv($4, "b_lk"); ll[$1] = kv($4, "b_ll") }
END {
  n = 0; for (r in runs) n++
  split("tfp r_dtwithin r_plm", P, " ")
  printf "| peer | wall s (median) | wall min-max | peer / tfp (wall, paired) | b_lk | b_ll |\n|---|---|---|---|---|---|\n"
  for (i = 1; i <= 3; i++) {
    p = P[i]; mn = 1e9; mx = 0
    for (r = 1; r <= n; r++) { w[r] = wall[p, r]; if (w[r] < mn) mn = w[r]; if (w[r] > mx) mx = w[r]; q[r] = wall[p, r] / wall["tfp", r] }
    printf "| %s | %.3f | %.3f-%.3f | %s | %s | %s |\n", p, median(w, n), mn, mx, p == "tfp" ? "1" : sprintf("%.1f", median(q, n)), lk[p], ll[p]
  }
}' "$RAW"
echo "machine: $(uname -sm); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ); $RUNS timed runs after a warm-up, pause ${PAUSE:-1} s"
