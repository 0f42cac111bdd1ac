#!/bin/sh
# Growth accounting + 10,000-replicate year bootstrap on the 63 provinces x 3
# sectors x 35 years panel: tfp against the R peer of the shared harness
# (r/r_growth_boot.R, matrix and per-province loop styles), in one run,
# peers round-robin, medians of the timed runs. Not part of `make test`.
#
#   sh benchmarks/bench_growth.sh [-n RUNS] [-t THREADS] [-B REPLICATES] [-w] [-l]
#     -n RUNS    timed runs per peer after one warm-up (default 5)
#     -t N       tfp --threads (default 2)
#     -B R       replicates (default 10000)
#     -w         write the table into benchmarks/README.md (between the markers)
#     -l         also run the per-province loop style of R (about 6.5 s a run)
#
# Needs build/tfp (make all), a C compiler and Rscript. The data are made by
# gen/gen_panel.c (deterministic; md5 checked) in ${TMPDIR:-/tmp}/tfp-bench-data.
set -eu
cd "$(dirname "$0")/.."
RUNS=5
THREADS=2
B=10000
WRITE=0
LOOP=0
while getopts n:t:B:wl opt; do
    case $opt in
    n) RUNS=$OPTARG ;;
    t) THREADS=$OPTARG ;;
    B) B=$OPTARG ;;
    w) WRITE=1 ;;
    l) LOOP=1 ;;
    *) sed -n '2,14p' "$0"; exit 1 ;;
    esac
done
TFP=./build/tfp
[ -x "$TFP" ] || { echo "bench: build/tfp missing: run make all" >&2; exit 1; }
command -v Rscript >/dev/null || { echo "bench: Rscript not found" >&2; exit 1; }
DIR=${TMPDIR:-/tmp}/tfp-bench-data
DATA=$DIR/prov_63x3x35.csv
mkdir -p "$DIR" build/bench
if [ ! -x build/bench/gen_panel ] || [ benchmarks/gen/gen_panel.c -nt build/bench/gen_panel ]; then
    ${CC:-cc} -O2 -o build/bench/gen_panel benchmarks/gen/gen_panel.c -lm
fi
if [ ! -x build/bench/walltime ] || [ benchmarks/walltime.c -nt build/bench/walltime ]; then
    ${CC:-cc} -O2 -o build/bench/walltime benchmarks/walltime.c
fi
[ -f "$DATA" ] || build/bench/gen_panel prov "$DATA" 2>/dev/null
MD5=$(md5sum "$DATA" | cut -d' ' -f1)
[ "$MD5" = 1b5f276f842193ed16ca679633a8a83e ] || echo "bench: warning: $DATA has md5 $MD5, not the harness's" >&2

# The same computation in both: region totals summed over sectors, log growth,
# capital share 0.4, TFP share = mean g_A / mean dlog Y over 1991-2024, years
# resampled one at a time (--block 1, as the R script's sample.int does).
ENGINE="$TFP estimate $DATA --map region=id --method gso --growth log --capital-share 0.4 --from 1991 --to 2024 --bootstrap $B --seed 42 --threads $THREADS --block 1 --table summary --format csv"
R_MATRIX="Rscript benchmarks/r/r_growth_boot.R $DATA matrix $B 42"
R_LOOP="Rscript benchmarks/r/r_growth_boot.R $DATA loop $B 42"
PEERS="engine r_matrix"
[ "$LOOP" = 1 ] && PEERS="$PEERS r_loop"

RAW=build/bench/growth.tsv
: >"$RAW"
run=0
while [ $run -le "$RUNS" ]; do
    for p in $PEERS; do
        case $p in
        engine) cmd=$ENGINE ;;
        r_matrix) cmd=$R_MATRIX ;;
        r_loop) cmd=$R_LOOP ;;
        esac
        # Every run, of every peer, starts after a pause of PAUSE seconds (default 1), so
        # that the teardown of the run before it (on these virtual machines the memory a
        # process frees is handed back to the host for a while after it exits) does not
        # fall into the next run's time.
        sleep "${PAUSE:-1}"
        # shellcheck disable=SC2086
        wall=$(OPENBLAS_NUM_THREADS=1 TFP_BENCH=1 WALLTIME_KEEP=1 build/bench/walltime \
            $cmd 2>build/bench/err.txt | tee build/bench/out.txt | tail -1)
        line=$(grep -h '^RESULT' build/bench/out.txt build/bench/err.txt | tail -1)
        [ -n "$line" ] || { echo "bench: $p printed no RESULT line" >&2; cat build/bench/err.txt >&2; exit 1; }
        # run 0 is the warm-up (page cache, R's packages); it is not counted.
        [ $run -gt 0 ] && printf '%s\t%d\t%s\t%s\n' "$p" "$run" "$wall" "$line" >>"$RAW"
    done
    run=$((run + 1))
done

# Medians (and, for the ratios, the median over runs of R / tfp paired by run).
TABLE=$(awk -F'\t' -v peers="$PEERS" '
function kv(s, key,   n, a, i, b) { n = split(s, a, " "); for (i = 1; i <= n; i++) { split(a[i], b, "="); if (b[1] == key) return b[2] } return "" }
function median(arr, n,   i, j, t) { for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t } return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
{ p = $1; r = $2; wall[p, r] = $3; est[p, r] = kv($4, "read_s") + kv($4, "est_s"); runs[r] = 1
  tg[p] = kv($4, "mean_tfp_growth"); mc[p] = kv($4, "mean_contrib"); lo[p] = kv($4, "boot_lo"); hi[p] = kv($4, "boot_hi"); se[p] = kv($4, "boot_se") }
END {
  np = split(peers, P, " "); nr = 0; for (r in runs) nr++
  printf "| peer | wall s (median) | wall min-max | read+est s (median) | R / tfp, wall | R / tfp, read+est | mean TFP growth | mean TFP share (%%) | boot SE | 95 %% interval |\n"
  printf "|---|---|---|---|---|---|---|---|---|---|\n"
  for (i = 1; i <= np; i++) {
    p = P[i]; mn = 1e9; mx = 0
    for (r = 1; r <= nr; r++) { w[r] = wall[p, r]; e[r] = est[p, r]; if (w[r] < mn) mn = w[r]; if (w[r] > mx) mx = w[r]
      rw[r] = wall[p, r] / wall["engine", r]; re[r] = est[p, r] / est["engine", r] }
    ratio_w = p == "engine" ? "1" : sprintf("%.1f", median(rw, nr)); ratio_e = p == "engine" ? "1" : sprintf("%.1f", median(re, nr))
    printf "| %s | %.3f | %.3f-%.3f | %.4f | %s | %s | %.12f | %.10f | %.4f | %.3f-%.3f |\n", p == "engine" ? "tfp" : p, median(w, nr), mn, mx, median(e, nr), ratio_w, ratio_e, tg[p], mc[p], se[p], lo[p], hi[p]
  }
}' "$RAW")
ENV="$(uname -sm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) cores; load at the end (the peers' own included) $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo "$TABLE"
echo "machine: $ENV; $RUNS timed runs after a warm-up, tfp --threads $THREADS, B = $B"
if [ "$WRITE" = 1 ]; then
    {
        echo "<!-- bench:growth:begin -->"
        echo "Command: \`sh benchmarks/bench_growth.sh -w$([ "$LOOP" = 1 ] && echo ' -l')\` ($RUNS timed runs after a warm-up, peers round-robin;"
        echo "tfp \`--threads $THREADS\`, B = $B). Machine: $ENV."
        echo
        echo "$TABLE"
        echo "<!-- bench:growth:end -->"
    } >build/bench/table.md
    awk 'BEGIN { while ((getline l < "build/bench/table.md") > 0) t = t l "\n" }
         /<!-- bench:growth:begin -->/ { printf "%s", t; skip = 1; next }
         /<!-- bench:growth:end -->/ { skip = 0; next }
         !skip { print }' benchmarks/README.md >build/bench/README.new
    mv build/bench/README.new benchmarks/README.md
    echo "bench: table written to benchmarks/README.md"
fi
