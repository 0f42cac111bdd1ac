#!/bin/sh
# tfp estimate end to end: outputs against golden files, options, formats,
# languages, standard input, atomic -o. The numbers in the hand.csv goldens
# are the hand derivation of tests/models/test_growth.c (g_Y 10 %, g_L 2 %,
# g_K 10 %, b_K 0.4: TFP growth 4.8 %, TFP share 48 %, LP growth 4/51); the
# default-data goldens are checked against R in tests/report/test_tables_estimate.c.
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
HAND=tests/fixtures/cli/hand.csv

tfp --version
expect_rc version 0
expect_out version "tfp 0.1.0"
tfp --help
expect_rc help 0
expect_out help "estimate"
tfp estimate --help
expect_rc estimate_help 0
expect_out estimate_help "--capital-share"
tfp
expect_rc no_command 1
tfp frobnicate
expect_rc unknown_command 1
expect_err unknown_command 'unknown command "frobnicate"'
tfp estimate $HAND --bogus
expect_rc unknown_option 1
expect_err unknown_option 'unknown option "--bogus"'
tfp estimate $HAND --capital-share 1.5
expect_rc bad_capital_share 1
tfp estimate $HAND --format csv --table all
expect_rc csv_needs_one_table 1
tfp estimate $HAND --target lp=abc
expect_rc bad_target 1
tfp estimate $HAND --from 2022 --to 2020
expect_rc from_after_to 1
tfp estimate $HAND --map colour=x
expect_rc unknown_role 1
expect_err unknown_role 'unknown role "colour"'

for table in annual summary targets; do
    tfp estimate $HAND --from 2020 --to 2021 --format csv --table $table
    expect_rc hand_$table 0
    expect_golden hand_$table "$T/out" hand_$table.csv
done
tfp estimate $HAND --from 2020 --to 2023 --format csv --table targets
expect_rc hand_incomplete 0
expect_golden hand_incomplete "$T/out" hand_incomplete_targets.csv
expect_out hand_incomplete "off-track"

tfp estimate $HAND --from 2020 --to 2021
expect_golden hand_text "$T/out" hand.txt
tfp estimate $HAND --from 2020 --to 2021 --lang vi
expect_golden hand_text_vi "$T/out" hand_vi.txt
tfp estimate $HAND --from 2020 --to 2021 --format md
expect_golden hand_md "$T/out" hand.md
tfp estimate $HAND --from 2020 --to 2021 --format json
expect_golden hand_json "$T/out" hand.json
expect_no_nan hand_json "$T/out"

# The same numbers from a BOM, CRLF, ';' and decimal-comma file, and from stdin.
tfp estimate $HAND --from 2020 --to 2021 --format csv --digits 12
cp "$T/out" "$T/ref12.csv"
tfp estimate tests/fixtures/cli/hand_semicolon.csv --decimal , --from 2020 --to 2021 --format csv --digits 12
if cmp -s "$T/out" "$T/ref12.csv"; then ok semicolon_decimal_comma; else fail semicolon_decimal_comma "differs"; fi
"$TFP_BIN" estimate - --from 2020 --to 2021 --format csv --digits 12 <$HAND >"$T/stdin.csv" 2>"$T/err"
if cmp -s "$T/stdin.csv" "$T/ref12.csv"; then ok stdin; else fail stdin "differs: $(cat "$T/err")"; fi

# -o writes the same bytes as stdout, atomically, replacing an existing file.
tfp estimate $HAND --from 2020 --to 2021 --format csv
cp "$T/out" "$T/stdout.csv"
echo old >"$T/file.csv"
tfp estimate $HAND --from 2020 --to 2021 --format csv -o "$T/file.csv"
expect_rc output_file 0
if cmp -s "$T/file.csv" "$T/stdout.csv"; then ok output_file_same; else fail output_file_same "differs"; fi
# A failing run leaves the existing file untouched.
tfp estimate tests/fixtures/cli/no-such-file.csv --format csv -o "$T/file.csv"
expect_rc missing_file 4
if cmp -s "$T/file.csv" "$T/stdout.csv"; then ok failed_run_keeps_file; else fail failed_run_keeps_file "file changed"; fi
tfp estimate $HAND --format csv -o "$T/no-such-dir/out.csv"
expect_rc unwritable_output 4

# Sectors: the region total is the sum of the sectors (output 100, 110,
# 121; labour 50, 51, 52.02; capital 200, 220, 242 as in hand.csv).
tfp estimate tests/fixtures/cli/sectors.csv --from 2020 --to 2021 --format csv --table summary --digits 12
expect_rc sectors 0
expect_golden sectors "$T/out" sectors_summary.csv
expect_out sectors_total "North,,2020,2021,2,0.1,0.02,0.1,0.4,0.048,"

# Capital by perpetual inventory from investment.
tfp estimate tests/fixtures/cli/investment.csv --from 2001 --to 2002
expect_rc pim 0
expect_out pim "perpetual inventory from investment, depreciation 0.05, Harberger K0"
expect_golden pim "$T/out" investment.txt

# A gap year: growth across it is undefined, with a warning.
tfp estimate tests/fixtures/cli/gap.csv --from 2016 --to 2019 --format csv --table annual
expect_rc gap 0
expect_err gap "no data for 2017-2017; growth across the gap is undefined"
expect_golden gap "$T/out" gap_annual.csv

# The bundled data: the default command of 'make run'.
tfp estimate --table summary --format csv
expect_rc default_data 0
expect_golden default_data "$T/out" default_summary.csv
tfp estimate --method tornqvist --map capital=capital_services --table summary --format csv
expect_rc default_tornqvist 0
expect_golden default_tornqvist "$T/out" default_tornqvist_summary.csv
for fmt in text md json; do
    tfp estimate --format $fmt
    expect_rc default_$fmt 0
    expect_no_nan default_$fmt "$T/out"
done
