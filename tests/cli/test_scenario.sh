#!/bin/sh
# tfp scenario end to end. Hand goldens (tests/fixtures/cli/hand.csv with
# scenario_hand.csv: TFP +4.8 %, labour +2 %, capital +10 % a year from 2022)
# continue the hand example: output +10 % a year to 177.1561 in 2025, TFP share
# 48 %, LP growth 4/51. The solve goldens hold the closed forms of
# tests/analysis/test_scenario.c: required TFP growth (1.125^5 1.02^5 / 1.1)^(1/4)
# - 1 - 0.052 = 0.10769209407267916, required output growth 0.15969209407267915;
# with lp=0.02 the TFP share binds: G = 0.052/0.7, g_A = ((1 + G)^5 / 1.1)^(1/4)
# - 1 - 0.052 = 0.015951621383517 (the solve reports the bracket's upper end,
# within 1e-12). The PWT goldens use the illustrative scenarios of
# datasets/examples (baseline: TFP 1.5 %, labour 1 %, capital 6 % a year: output
# 4.5 %, TFP share 1/3, LP growth 1.045/1.01 - 1; faster_tfp VNM recomputed by
# hand from its rates; solve: output growth 1.125 * 1.01 - 1 = 0.13625, TFP
# growth 0.13625 - 0.4 * 0.06 - 0.6 * 0.01 = 0.10625).
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
HAND=tests/fixtures/cli/hand.csv
SC=tests/fixtures/cli/scenario_hand.csv
EX=datasets/examples/scenarios_illustrative.csv

tfp scenario --help
expect_rc scenario_help 0
expect_out scenario_help "--solve tfp|output"
tfp --help
expect_out help_lists_scenario "scenario"
tfp scenario $HAND
expect_rc scenario_needs_file 1
expect_err scenario_needs_file "--scenarios FILE is required"
tfp scenario $HAND --scenarios $SC --solve growth
expect_rc bad_solve 1
expect_err bad_solve '--solve: expected tfp or output, found "growth"'
tfp scenario $HAND --scenarios $SC --solve tfp --table summary
expect_rc solve_with_table 1
tfp scenario $HAND --scenarios $SC --format csv --table all
expect_rc csv_needs_one_table 1
tfp scenario $HAND --scenarios $SC --horizon 20x0
expect_rc bad_horizon 1
tfp scenario $HAND --scenarios $SC --bogus
expect_rc unknown_option 1

for table in projection summary targets; do
    tfp scenario $HAND --scenarios $SC --format csv --table $table
    expect_rc hand_$table 0
    expect_golden hand_$table "$T/out" scenario_hand_$table.csv
done
tfp scenario $HAND --scenarios $SC --format csv
if cmp -s "$T/out" "$GOLD/scenario_hand_projection.csv"; then ok csv_default_projection; else fail csv_default_projection "differs"; fi
tfp scenario $HAND --scenarios $SC
expect_golden hand_text "$T/out" scenario_hand.txt
tfp scenario $HAND --scenarios $SC --lang vi --format md
expect_golden hand_md_vi "$T/out" scenario_hand_vi.md
tfp scenario $HAND --scenarios $SC --format json --horizon 2023
expect_golden hand_json_2023 "$T/out" scenario_hand_2023.json
expect_no_nan hand_json_2023 "$T/out"
expect_out hand_json_2023 '"status": "off-track"'

tfp scenario $HAND --scenarios $SC --solve tfp --format csv
expect_rc solve_tfp 0
expect_golden solve_tfp "$T/out" scenario_hand_solve_tfp.csv
tfp scenario $HAND --scenarios $SC --solve output --format csv
expect_golden solve_output "$T/out" scenario_hand_solve_output.csv
tfp scenario $HAND --scenarios $SC --solve tfp --target lp=0.02 --format csv --digits 10
expect_out solve_tfp_share_binds "base,Alpha,0.01595162138,tfp_share"
tfp scenario $HAND --scenarios $SC --solve tfp --lang vi
expect_golden solve_vi "$T/out" scenario_hand_solve_vi.txt
# Data that cover the period: nothing to solve, empty fields.
tfp scenario $HAND --scenarios $SC --solve tfp --from 2020 --to 2021 --format csv
expect_out solve_covered "base,Alpha,,"

# The scenario file from standard input; the same bytes as from the file.
"$TFP_BIN" scenario $HAND --scenarios - --solve tfp --format csv <$SC >"$T/stdin.csv" 2>"$T/err"
if cmp -s "$T/stdin.csv" "$GOLD/scenario_hand_solve_tfp.csv"; then ok scenarios_stdin; else fail scenarios_stdin "differs: $(cat "$T/err")"; fi
tfp scenario - --scenarios - --solve tfp
expect_rc both_stdin 1

# Errors: located in the scenario file, exit 2; a missing file, exit 4; no partial output.
tfp scenario $HAND --scenarios tests/fixtures/cli/scenario_bad_region.csv -o "$T/x.csv"
expect_rc bad_region 2
expect_err bad_region 'scenario_bad_region.csv:3:6: region "Gamma" is not in the data (regions: Alpha)'
expect_no_file bad_region "$T/x.csv"
printf 'scenario,year,labour_growth\nbase,2022,2\n' >"$T/pct.csv"
tfp scenario $HAND --scenarios "$T/pct.csv"
expect_rc percent_not_fraction 2
expect_err percent_not_fraction 'pct.csv:2:11: column "labour_growth": expected a growth rate as a fraction in (-1, 1), such as 0.075, found 2'
printf 'scenario,year,labor_growth\nbase,2022,0.01\n' >"$T/typo.csv"
tfp scenario $HAND --scenarios "$T/typo.csv"
expect_rc unknown_column 2
expect_err unknown_column 'typo.csv:1:15: unknown column "labor_growth"'
tfp scenario $HAND --scenarios tests/fixtures/cli/no-such-scenarios.csv
expect_rc missing_scenarios 4

# Unstated paths: warnings (stderr with csv).
printf 'scenario,year,capital_growth\ns,2022,0.07\n' >"$T/part.csv"
tfp scenario $HAND --scenarios "$T/part.csv" --format csv --table summary
expect_rc partial 0
expect_err partial "tfp: warning: Alpha (scenario s): no labour_growth stated for 2022-2025; labour growth at its 2020-2021 average 0.02"

# The bundled data with the illustrative scenarios.
tfp scenario --scenarios $EX --horizon 2030 --format csv --table summary
expect_rc pwt_summary 0
expect_golden pwt_summary "$T/out" scenario_pwt_summary.csv
tfp scenario --scenarios $EX --solve tfp --format csv
expect_golden pwt_solve "$T/out" scenario_pwt_solve_tfp.csv
tfp scenario --scenarios $EX --horizon 2030 --format csv --table projection
expect_out pwt_projection "illustrative_output_path,VNM,2030,projected,"
expect_no_nan pwt_projection "$T/out"
