#!/bin/sh
# Runs `tfp fit --model within` on a firm panel of the shared peer harness and
# prints its RESULT line (read_s est_s rows b_lk b_ll b_year), so that tfp is
# timed beside R plm, data.table, pandas and statsmodels in the same run.
# Usage: engine_fe.sh FILE [--model M]   (TFP_ENGINE: the tfp binary)
file=$1
shift
model=within
[ "${1:-}" = "--model" ] && model=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"${TFP_ENGINE:-tfp}" fit "$file" --formula 'log(output) ~ log(capital) + log(labour) + year' \
    --model "$model" --id id --timing --format csv --digits 15 >"$out" 2>"$err" || {
    cat "$err" >&2
    exit 1
}
awk -F, -v timing="$(grep 'tfp: timing:' "$err")" '
    $1 == "log(capital)" { lk = $2 }
    $1 == "log(labour)" { ll = $2 }
    $1 == "year" { yr = $2 }
    $1 == "(Intercept)" { c = $2 }
    END {
        split(timing, w, " ")
        printf "RESULT read_s=%s est_s=%s rows=%s b_lk=%s b_ll=%s b_year=%s", w[4], w[7], w[9], lk, ll, yr
        if (c != "") printf " b_const=%s", c
        printf "\n"
    }' "$out"
