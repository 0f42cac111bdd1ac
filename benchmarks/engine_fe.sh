#!/bin/sh
# Runs `tfp fit --model within` on a firm panel of the shared peer harness and
# prints its RESULT line (read_s est_s rows b_lk b_ll b_year), so that tfp is
# timed beside R plm, data.table, pandas and statsmodels in the same run.
# Usage: engine_fe.sh FILE [--model M]   (TFP_ENGINE: the tfp binary)
#
# The harness times this whole script, so it starts one process, tfp, and reads
# its output with shell built-ins: temporary files, grep and awk around it cost
# about 40 ms of process starts on a 2-core VM, which R's single process does
# not pay.
file=$1
shift
model=within
[ "${1:-}" = "--model" ] && model=$2
out=$("${TFP_ENGINE:-tfp}" fit "$file" --formula 'log(output) ~ log(capital) + log(labour) + year' \
    --model "$model" --id id --timing --format csv --digits 15 2>&1) || {
    printf '%s\n' "$out" >&2
    exit 1
}
set -f
lk='' ll='' yr='' c='' rs='' es='' rows=''
nl='
'
IFS=$nl
for line in $out; do
    v=${line#*,}
    case $line in
    'log(capital),'*) lk=${v%%,*} ;;
    'log(labour),'*) ll=${v%%,*} ;;
    'year,'*) yr=${v%%,*} ;;
    '(Intercept),'*) c=${v%%,*} ;;
    'tfp: timing: '*)
        IFS=' '
        set -- $line # tfp: timing: read R s, estimate E s, N rows read, M fitted
        rs=$4 es=$7 rows=$9
        IFS=$nl
        ;;
    esac
done
printf 'RESULT read_s=%s est_s=%s rows=%s b_lk=%s b_ll=%s b_year=%s' "$rs" "$es" "$rows" "$lk" "$ll" "$yr"
[ -n "$c" ] && printf ' b_const=%s' "$c"
printf '\n'
