#!/bin/sh
# Uncertainty end to end: estimate --bootstrap and tfp sensitivity. The
# boot2.csv numbers are the hand enumeration of tests/analysis/test_bootstrap.c
# (two growth years, four equally likely resamples: TFP share 0.48, 0.52009,
# 0.6; 90 % interval 0.48..0.6; probability 3/4 for lp=0.06 and 1/2 for
# tfp=0.50:0.55); the sensitivity goldens' hand example is in
# tests/analysis/test_sensitivity.c (share 0.8 (1 - b), within for
# b in 0.5625..0.625).
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
B2=tests/fixtures/cli/boot2.csv
HAND=tests/fixtures/cli/hand.csv
INV=tests/fixtures/cli/sens_invest.csv
B2OPTS="--from 2021 --to 2022 --target lp=0.06 --target tfp=0.50:0.55 --bootstrap 4000 --seed 7 --block 1"

# --- usage errors -------------------------------------------------------------------
tfp estimate $B2 --seed 3
expect_rc seed_needs_bootstrap 1
expect_err seed_needs_bootstrap "--seed needs --bootstrap B"
tfp estimate $B2 --bootstrap 0
expect_rc bootstrap_zero 1
tfp estimate $B2 --bootstrap 10x
expect_rc bootstrap_text 1
expect_err bootstrap_text 'expected a whole number from 1 to 1000000, found "10x"'
tfp estimate $B2 --bootstrap 10 --level 1.5
expect_rc level_range 1
tfp estimate $B2 --bootstrap 10 --resample weeks
expect_rc resample_unknown 1
tfp estimate $B2 --bootstrap 10 --resample none
expect_rc resample_none_alone 1
expect_err resample_none_alone "--resample none leaves nothing to draw"
tfp estimate $B2 --bootstrap 10 --capital-share-sd 2
expect_rc sd_range 1
tfp estimate $B2 --bootstrap 10 --threads 0
expect_rc threads_zero 1
tfp estimate $B2 --bootstrap 10 --block 0
expect_rc block_zero 1
tfp estimate $B2 --bootstrap 10 --seed -1
expect_rc seed_negative 1
tfp estimate $B2 --bootstrap 10 --capital-share-sd fit
expect_rc sd_fit_needs_fit 1
expect_err sd_fit_needs_fit "--capital-share-sd fit needs --capital-share fit[:MODEL]"

# --- the enumerated example -------------------------------------------------------------
tfp estimate $B2 $B2OPTS --table summary --format csv
expect_rc boot2_summary 0
expect_golden boot2_summary "$T/out" boot2_summary.csv
expect_out boot2_summary "tfp_share,tfp_share_lo,tfp_share_hi"
tfp estimate $B2 $B2OPTS --table targets --format csv
expect_golden boot2_targets "$T/out" boot2_targets.csv
expect_out boot2_targets "status,probability,required_growth"
tfp estimate $B2 $B2OPTS
expect_golden boot2_text "$T/out" boot2.txt
expect_out boot2_text "Bootstrap:"
tfp estimate $B2 $B2OPTS --lang vi --format md
expect_golden boot2_md_vi "$T/out" boot2_vi.md
tfp estimate $B2 $B2OPTS --format json
expect_golden boot2_json "$T/out" boot2.json
expect_no_nan boot2_json "$T/out"

# The same output for any number of threads, and for the same seed.
tfp estimate --bootstrap 3000 --seed 11 --capital-share-sd 0.05 --threads 1 --table summary --format csv
cp "$T/out" "$T/one"
for n in 2 3 8; do
    tfp estimate --bootstrap 3000 --seed 11 --capital-share-sd 0.05 --threads $n --table summary --format csv
    if cmp -s "$T/out" "$T/one"; then ok "threads_$n (identical)"; else fail "threads_$n" "output differs from --threads 1"; fi
done
tfp estimate --bootstrap 3000 --seed 12 --capital-share-sd 0.05 --threads 2 --table summary --format csv
if cmp -s "$T/out" "$T/one"; then fail other_seed "seed 12 printed seed 11's output"; else ok "other_seed (differs)"; fi
expect_no_nan default_boot "$T/out"

# The capital share and its standard error from a production-function fit
# (estimate --capital-share fit): the draw is N(b, SE^2), years kept.
tfp estimate --capital-share fit --bootstrap 500 --resample none --capital-share-sd fit --format json
expect_rc fit_share 0
expect_out fit_share "truncated to (0, 1)"
expect_out fit_share '"capital_share_lo"'
expect_no_nan fit_share "$T/out"

# The benchmark harness's RESULT line, on stderr only when TFP_BENCH is set.
TFP_BENCH=1 tfp estimate $B2 --from 2021 --to 2022 --bootstrap 200 --format csv --table summary
expect_err bench_result "RESULT read_s="
expect_err bench_result "mean_contrib=52.008626"
tfp estimate $B2 --from 2021 --to 2022 --bootstrap 200 --format csv --table summary
if grep -q RESULT "$T/err" "$T/out"; then fail no_bench "RESULT printed without TFP_BENCH"; else ok no_bench; fi

# --- sensitivity ---------------------------------------------------------------------------
tfp sensitivity --help
expect_rc sens_help 0
expect_out sens_help "--capital-shares"
tfp sensitivity $HAND --capital-shares 0.3:0.7
expect_rc sens_two_part_range 0
tfp sensitivity $HAND --capital-shares 0.3:0.7:
expect_rc sens_bad_range 1
tfp sensitivity $HAND --capital-shares 0.3:x:0.05
expect_rc sens_bad_number 1
tfp sensitivity $HAND --capital-shares 0.3:1.2:0.05
expect_rc sens_share_range 1
expect_err sens_share_range "capital shares must lie in (0, 1)"
tfp sensitivity $INV --k0-methods harberger,triple
expect_rc sens_bad_k0 1
tfp sensitivity $INV --k0-methods given
expect_rc sens_given_needs_k0 1
tfp sensitivity $HAND --format csv --table all
expect_rc sens_csv_one_table 1
tfp sensitivity $HAND --from 2020 --to 2021 --capital-shares 0.30:0.70:0.05 --format csv
expect_rc sens_hand_grid 0
expect_golden sens_hand_grid "$T/out" sens_hand_grid.csv
tfp sensitivity $HAND --from 2020 --to 2021 --capital-shares 0.30:0.70:0.05 --format csv --table bands
expect_golden sens_hand_bands "$T/out" sens_hand_bands.csv
expect_out sens_hand_bands ",within,0.5625,0.625"
tfp sensitivity $INV --from 2018 --to 2022 --capital-shares 0.3:0.5:0.1 --deltas 0.04:0.06:0.02 --k0 300
expect_rc sens_invest 0
expect_golden sens_invest "$T/out" sens_invest.txt
tfp sensitivity $INV --from 2018 --to 2022 --capital-shares 0.3:0.5:0.1 --deltas 0.05 --lang vi --table bands
expect_golden sens_invest_vi "$T/out" sens_invest_bands_vi.txt
tfp sensitivity --format json --table bands
expect_rc sens_default_json 0
expect_no_nan sens_default_json "$T/out"
expect_out sens_default_json '"capital_share_from"'
