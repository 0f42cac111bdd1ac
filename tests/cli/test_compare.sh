#!/bin/sh
# tfp compare: one row per method and region. The gso_0.40 rows are the
# estimate's (R reference tests/fixtures/reference/pwt_gso_summary.csv: CHN
# TFP share 0.18009594348817226); the fit rows carry the elasticities of
# scripts/reference/elasticity_pwt.R (crs 0.65238686440929927 SE
# 0.014894075609865106; within 0.56385420655202867; twoways 0.58549809910052131).
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1

tfp compare --help
expect_rc compare_help 0
tfp compare --format csv --digits 10
expect_rc compare_default 0
expect_golden compare_default "$T/out" compare_default.csv
expect_out compare_gso_matches_estimate "gso_0.40,CHN,0.4,,0.1800959435,below,"
expect_out compare_crs_matches_r "fit_crs,CHN,0.6523868644,0.01489407561,"
expect_out compare_within_matches_r "fit_within,VNM,0.5638542066,0.03215456768,"
expect_out compare_twoways_matches_r "fit_twoways,KOR,0.5854980991,0.03611291429,"
tfp compare tests/fixtures/cli/hand.csv --from 2020 --to 2021 --format csv
expect_rc compare_small 0
expect_err compare_small "tfp: note: fit_crs left out: too few observations (3)"
expect_out compare_small "gso_0.50,Alpha,0.5,,0.4"
tfp compare --lang vi
expect_rc compare_vi 0
expect_out compare_vi "GSO, b_K ước lượng crs"
tfp compare tests/fixtures/cli/no-such.csv
expect_rc compare_missing_file 4

# --merge applies to every method's run, not only the first: only merged regions
# (AB, C) appear, and no note prints an undefined number as nan.
tfp compare "$FIX/cli/merge.csv" --merge "$FIX/cli/merge_map.csv" --format csv
expect_rc "compare --merge" 0
if cut -d, -f2 "$T/out" | tail -n +2 | grep -qvE '^(AB|C)$'; then
    fail "compare --merge: every method on merged regions" "$(cut -d, -f1,2 "$T/out" | tr '\n' ' ')"
else
    ok "compare --merge: every method on merged regions"
fi
if [ "$(grep -c '^fit_crs,' "$T/out")" = 2 ]; then ok "compare --merge: fit_crs on AB and C"; else fail "compare --merge: fit_crs rows" "$(grep fit_crs "$T/out")"; fi
if grep -qi 'nan' "$T/err"; then fail "compare --merge notes" "nan in: $(cat "$T/err")"; else ok "compare --merge notes without nan"; fi
