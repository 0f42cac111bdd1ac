#!/bin/sh
# Hostile and odd inputs: each gets its expected result or a clear error,
# never a crash, a "nan", or a partial output file.
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
H='year,output,labour,capital'

# run_ok NAME CONTENT [ARGS]: exit 0, no nan/inf in the CSV summary.
run_ok() {
    name=$1 content=$2
    shift 2
    printf "$content" >"$T/in.csv"
    tfp estimate "$T/in.csv" --format csv --table summary "$@"
    expect_rc "$name" 0
    expect_no_nan "$name" "$T/out"
}
# run_bad NAME CONTENT CODE MESSAGE [ARGS]
run_bad() {
    name=$1 content=$2 code=$3 msg=$4
    shift 4
    printf "$content" >"$T/in.csv"
    rm -f "$T/o.csv"
    tfp estimate "$T/in.csv" --format csv -o "$T/o.csv" "$@"
    expect_rc "$name" "$code"
    expect_err "$name" "$msg"
    expect_no_file "$name" "$T/o.csv"
}

# Values.
run_ok huge_values "$H\n2001,1e308,1e300,1e307\n2002,1.1e308,1.02e300,1.1e307\n" --from 2002 --to 2002
expect_out huge_values ",2002,2002,1,0.099999999999999867,"
run_ok tiny_values "$H\n2001,1e-308,1e-300,1e-307\n2002,1.1e-308,1.02e-300,1.1e-307\n" --from 2002 --to 2002
run_ok subnormal_values "$H\n2001,4e-320,2,3\n2002,8e-320,2,3\n" --from 2002 --to 2002
run_ok leading_plus "$H\n2001,+100,+50,+200\n2002,+110,+51,+220\n" --from 2002 --to 2002
expect_out leading_plus ",2002,2002,1,0.10000000000000009,"
run_ok excel_na_is_missing "$H\n2001,100,50,200\n2002,#N/A,51,220\n2003,121,52.02,242\n" --from 2003 --to 2003
run_bad negative_zero "$H\n2001,-0,50,200\n" 2 'column "output": expected a positive number, found -0'
run_bad nan_text "$H\n2001,nan,50,200\n" 2 'expected a number, found "nan"'
run_bad percent_decimal_comma "$H\n2001,\"12,5%%\",50,200\n" 2 'expected a number, found "12,5%"'
run_bad number_with_space "$H\n2001,1 234,50,200\n" 2 'expected a number, found "1 234"'

# Structure.
run_bad empty_file "" 2 'file is empty'
run_bad only_bom '\357\273\277' 2 'file is empty'
run_ok one_row "$H\n2001,100,50,200\n"
expect_err one_row "no complete data"
run_bad duplicate_header "year,output,output,labour,capital\n2001,1,2,3,4\n" 2 'columns "output" and "output" both look like the output'
run_ok empty_header_name "year,,output,labour,capital\n2001,x,100,50,200\n2002,y,110,51,220\n" --from 2002 --to 2002
run_ok no_final_newline "$H\n2001,100,50,200\n2002,110,51,220" --from 2002 --to 2002
run_ok mixed_line_ends "$H\r\n2001,100,50,200\n2002,110,51,220\r\n" --from 2002 --to 2002
expect_out mixed_line_ends ",2002,2002,1,0.10000000000000009,"
printf "$H\n2001,100,50,200\n" >"$T/in.csv"
tfp estimate "$T/in.csv" --max-rows 0
expect_rc max_rows_zero 1
printf "$H\n2001,100,50,200\n2002,110,51,220\n2003,121,52,240\n" >"$T/in.csv"
tfp estimate "$T/in.csv" --max-rows 2
expect_rc max_rows 2
expect_err max_rows "more than 2 data rows"
python_wide=$(awk 'BEGIN { printf "year,output,labour,capital"; for (i = 0; i < 99996; i++) printf ",c%d", i; printf "\n" }')
printf '%s\n2001,1,2,3\n' "$python_wide" >"$T/wide.csv"
tfp estimate "$T/wide.csv"
expect_rc hundred_thousand_columns 2
expect_err hundred_thousand_columns "more than 65536 columns"
awk 'BEGIN { printf "year,output,labour,capital,note\n2001,1,2,3,"; for (i = 0; i < 10000; i++) printf "%01000d", 0; printf "\n" }' >"$T/big.csv"
tfp estimate "$T/big.csv"
expect_rc ten_mb_field 2
expect_err ten_mb_field "field longer than 1048576 bytes"
head -c 4000 "$TFP_BIN" >"$T/binary.csv"
tfp estimate "$T/binary.csv"
expect_rc binary_file 2
expect_err binary_file "is this a binary file?"
tfp estimate "$T"
expect_rc directory_as_file 4
expect_err directory_as_file "is a directory"
tfp estimate "$T/missing.csv"
expect_rc missing_file 4
expect_err missing_file "cannot open: No such file or directory"

# Semantics.
run_bad all_years_missing "$H\n,100,50,200\n,110,51,220\n" 2 'column "year": expected a year'
run_ok constant_series "$H\n2001,100,50,200\n2002,100,50,200\n2003,100,50,200\n" --from 2002 --to 2003
expect_err constant_series "output did not grow"
expect_out constant_series ",2002,2003,2,0,0,0,0.40000000000000002,0,,,,,0"

# Write failures: exit 4, any existing file untouched.
tfp estimate tests/fixtures/cli/hand.csv --format csv -o /dev/full
expect_rc write_dev_full 4
expect_err write_dev_full "No space left on device"
tfp estimate tests/fixtures/cli/hand.csv --format csv -o "$T"
expect_rc write_to_directory 4
tfp estimate tests/fixtures/cli/hand.csv --format csv -o /proc/tfp-test.csv
expect_rc write_unwritable_place 4
