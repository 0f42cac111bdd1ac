#!/bin/sh
# Reading and solving benchmarks (benchmarks/README.md, "Reading and solving"): the CSV reader
# on the firm panels with 1 and 2 threads, tfp_ols_fit on 1e6 x 3 and 3e6 x 4, and the within
# fit end to end (bench_within), each the median of RUNS whole-process runs, the
# configurations taking turns (round-robin) so that a shared machine's load falls on all
# alike; peak RSS from /usr/bin/time -v.
#   make bench-build && sh benchmarks/read_solve.sh [DATA_DIR]
# DATA_DIR (default ${TMPDIR:-/tmp}/tfp-bench-data) holds firm_1e6.csv and firm_5e6.csv from
# the shared generator: cc -O2 -o /tmp/gen_panel gen_panel.c -lm; /tmp/gen_panel firm 1e6 F.
# BASE_READ / BASE_OLS: optional builds of bench_read / bench_ols against an older library,
# timed alongside as "before".
set -eu
DATA=${1:-${TMPDIR:-/tmp}/tfp-bench-data}
RUNS=${RUNS:-5}
BUILD=${BUILD:-build}
TIME=/usr/bin/time
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

for f in firm_1e6 firm_5e6; do
    [ -f "$DATA/$f.csv" ] || { echo "missing $DATA/$f.csv (see the header of this script)" >&2; exit 1; }
done

# Configurations: ID|KIND|LABEL|WHAT|THREADS|COMMAND (KIND read, ols or within)
conf="$TMP/conf"
: > "$conf"
for f in firm_1e6 firm_5e6; do
    if [ -n "${BASE_READ:-}" ]; then
        echo "r-$f-b|read|before|$f|1|$BASE_READ $DATA/$f.csv" >> "$conf"
    fi
    for t in 1 2; do
        echo "r-$f-$t|read|after|$f|$t|$BUILD/bench_read $DATA/$f.csv --threads $t" >> "$conf"
    done
done
for spec in 1e6x3 3e6x4; do
    if [ -n "${BASE_OLS:-}" ]; then
        echo "o-$spec-b|ols|before|$spec|1|$BASE_OLS --runs 6 $spec" >> "$conf"
    fi
    for t in 1 2; do
        echo "o-$spec-$t|ols|after|$spec|$t|$BUILD/bench_ols --runs 6 --threads $t $spec" >> "$conf"
    done
done
for t in 1 2; do
    echo "w-$t|within|after|firm_1e6|$t|$BUILD/bench_within $DATA/firm_1e6.csv --threads $t" >> "$conf"
done

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for i in $(seq "$RUNS"); do
    while IFS='|' read -r id kind label what threads cmd; do
        out=$(OPENBLAS_NUM_THREADS=1 "$TIME" -v $cmd 2>&1) || { echo "$out" >&2; exit 1; }
        rss=$(echo "$out" | sed -n 's/.*Maximum resident set size (kbytes): //p')
        wall=$(echo "$out" | sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' |
            awk -F: '{ print $(NF - 1) * 60 + $NF }')
        case $kind in
        read) v=$(echo "$out" | sed -n 's/.*read_s=\([0-9.]*\).*/\1/p') ;;
        ols) v="$(echo "$out" | sed -n 's/.*then median \([0-9.]*\) s.*/\1/p' | head -1) \
$(echo "$out" | sed -n 's/.*first \([0-9.]*\) s.*/\1/p' | head -1)" ;;
        within) v="$(echo "$out" | sed -n 's/.*read_s=\([0-9.]*\).*/\1/p') \
$(echo "$out" | sed -n 's/.*est_s=\([0-9.]*\).*/\1/p') $wall" ;;
        esac
        echo "$v $rss" >> "$TMP/$id"
    done < "$conf"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# median of column C of file F
med() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "| reader | file | rows | threads | seconds | MB/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
grep '|read|' "$conf" | while IFS='|' read -r id kind label what threads cmd; do
    f="$DATA/$what.csv"
    awk -v l="$label" -v f="$what.csv" -v n="$(($(wc -l < "$f") - 1))" -v t="$threads" \
        -v s="$(med "$TMP/$id" 1)" -v b="$(wc -c < "$f")" -v r="$(med "$TMP/$id" 2)" \
        'BEGIN { printf "| %s | %s | %d | %s | %.3f | %.0f | %.0f |\n", l, f, n, t, s, b / s / 1e6, r / 1024 }'
done
echo
echo "| solver | rows x cols | threads | seconds, workspace reused | first fit | peak RSS MB |"
echo "|---|---|---|---|---|---|"
grep '|ols|' "$conf" | while IFS='|' read -r id kind label what threads cmd; do
    awk -v l="$label" -v d="$what" -v t="$threads" -v s="$(med "$TMP/$id" 1)" \
        -v f="$(med "$TMP/$id" 2)" -v r="$(med "$TMP/$id" 3)" \
        'BEGIN { printf "| %s | %s | %s | %.3f | %.3f | %.0f |\n", l, d, t, s, f, r / 1024 }'
done
echo
echo "| within fit end to end | threads | read s | estimate s | whole process s | peak RSS MB |"
echo "|---|---|---|---|---|---|"
grep '|within|' "$conf" | while IFS='|' read -r id kind label what threads cmd; do
    awk -v f="$what.csv" -v t="$threads" -v a="$(med "$TMP/$id" 1)" -v b="$(med "$TMP/$id" 2)" \
        -v w="$(med "$TMP/$id" 3)" -v r="$(med "$TMP/$id" 4)" \
        'BEGIN { printf "| %s | %s | %.3f | %.3f | %.3f | %.0f |\n", f, t, a, b, w, r / 1024 }'
done
