#!/bin/sh
# Reading and solving benchmarks (benchmarks/README.md, "Reading and solving"): the CSV reader
# on the firm panels with 1 and 2 threads, and tfp_ols_fit on 1e6 x 3 and 3e6 x 4, each the
# median of RUNS whole-process runs, with peak RSS from /usr/bin/time -v.
#   make bench-build && sh benchmarks/read_solve.sh [DATA_DIR]
# DATA_DIR (default ${TMPDIR:-/tmp}/tfp-bench-data) holds firm_1e6.csv and firm_5e6.csv from
# the shared generator: cc -O2 -o /tmp/gen_panel gen_panel.c -lm; /tmp/gen_panel firm 1e6 F.
# BASE_READ / BASE_OLS: optional older builds of bench_read / bench_ols to time alongside.
set -eu
DATA=${1:-${TMPDIR:-/tmp}/tfp-bench-data}
RUNS=${RUNS:-5}
BUILD=${BUILD:-build}
TIME=/usr/bin/time

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run LABEL FILE THREADS CMD...: RUNS runs, prints a table row
run_read() {
    label=$1; file=$2; threads=$3; shift 3
    secs=""; rss=""
    for i in $(seq "$RUNS"); do
        out=$("$TIME" -v "$@" 2>&1) || { echo "$out" >&2; exit 1; }
        secs="$secs $(echo "$out" | sed -n 's/.*read_s=\([0-9.]*\).*/\1/p')"
        rss="$rss $(echo "$out" | sed -n 's/.*Maximum resident set size (kbytes): //p')"
    done
    s=$(echo $secs | tr ' ' '\n' | median)
    r=$(echo $rss | tr ' ' '\n' | median)
    bytes=$(wc -c < "$file")
    rows=$(($(wc -l < "$file") - 1))
    awk -v l="$label" -v f="$(basename "$file")" -v n="$rows" -v t="$threads" -v s="$s" \
        -v b="$bytes" -v r="$r" 'BEGIN { printf "| %s | %s | %d | %s | %.3f | %.0f | %.0f |\n",
        l, f, n, t, s, b / s / 1e6, r / 1024 }'
}

# run_ols LABEL SPEC THREADS CMD: one process, RUNS + 1 fits: the first (fresh workspace
# pages) and the median of the others (the workspace reused)
run_ols() {
    label=$1; spec=$2; threads=$3; shift 3
    out=$(OPENBLAS_NUM_THREADS=1 "$TIME" -v "$@" --runs $((RUNS + 1)) --threads "$threads" \
        "$spec" 2>&1) || { echo "$out" >&2; exit 1; }
    first=$(echo "$out" | sed -n 's/.*first \([0-9.]*\) s.*/\1/p')
    med=$(echo "$out" | sed -n 's/.*then median \([0-9.]*\) s.*/\1/p')
    r=$(echo "$out" | sed -n 's/.*Maximum resident set size (kbytes): //p')
    awk -v l="$label" -v d="$spec" -v t="$threads" -v f="$first" -v s="$med" -v r="$r" \
        'BEGIN { printf "| %s | %s | %s | %.3f | %.3f | %.0f |\n", l, d, t, s, f, r / 1024 }'
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| reader | file | rows | threads | seconds | MB/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for f in "$DATA/firm_1e6.csv" "$DATA/firm_5e6.csv"; do
    [ -f "$f" ] || { echo "missing $f (see the header of this script)" >&2; exit 1; }
    if [ -n "${BASE_READ:-}" ]; then run_read before "$f" 1 "$BASE_READ" "$f"; fi
    for t in 1 2; do run_read after "$f" "$t" "$BUILD/bench_read" "$f" --threads "$t"; done
done
echo
echo "| solver | rows x cols | threads | seconds (median, workspace reused) | first fit | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for spec in 1e6x3 3e6x4; do
    if [ -n "${BASE_OLS:-}" ]; then run_ols before "$spec" 1 "$BASE_OLS"; fi
    for t in 1 2; do run_ols after "$spec" "$t" "$BUILD/bench_ols"; done
done
