#!/bin/sh
# tfp fit end to end. The Produc outputs (every model, balanced and unbalanced, classic, HC1
# and clustered SEs, t statistics and p-values) are compared number by number with the R
# references (tests/fixtures/reference/plm_produc_*.csv from scripts/reference/plm_produc.R,
# fit_produc_extra.csv from scripts/reference/fit_produc.R) to 1e-8 relative, and the goldens
# of the within model (csv, json, text) hold those same numbers. Then formula errors with
# their column, rank deficiency, unknown columns, role names, dropped rows, duplicates,
# formats, standard input and atomic -o.
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
PRODUC=datasets/plm/Produc.csv
UNBAL=tests/fixtures/reference/produc_unbalanced10.csv
ROLES=tests/fixtures/cli/fit_roles.csv
REF=tests/fixtures/reference
F='log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp'

tfp fit --help
expect_rc help 0
expect_out help "--formula"
tfp --help
expect_out main_help "fit"

# ---- agreement with R, through the CSV output -------------------------------------------
# compare NAME CSV REFFILE PREFIX STAT COLUMN: every term of the CSV output has a reference
# value "PREFIX,TERM,STAT,value" in REFFILE equal to its COLUMN (2 estimate, 3 std_error,
# 4 statistic, 5 p_value) to 1e-8 relative.
compare() {
    if awk -F, -v pre="$4" -v stat="$5" -v col="$6" '
        NR == FNR { ref[$0] = 1; split($0, f, ","); n = split($0, g, ",");
                    key = ""; for (i = 1; i < n; i++) key = key (i > 1 ? "," : "") g[i];
                    val[key] = g[n]; next }
        FNR == 1 { next }
        { k = pre "," $1 "," stat
          if (!(k in val)) { print "no reference " k; bad = 1; next }
          w = val[k] + 0; d = $col - w; if (d < 0) d = -d; a = w < 0 ? -w : w
          if (d > 1e-8 * a) { printf "%s: got %.17g, want %.17g\n", k, $col, w; bad = 1 }
          seen++ }
        END { if (seen == 0) { print "nothing compared"; bad = 1 } exit bad }' "$3" "$2" >"$T/cmp"
    then ok "$1 (matches R)"; else fail "$1" "$(head -5 "$T/cmp")"; fi
}
for data in balanced unbalanced; do
    file=$PRODUC
    [ $data = unbalanced ] && file=$UNBAL
    for m in ols within twoways random; do
        pm=$m
        [ $m = ols ] && pm=pooling
        tfp fit $file --formula "$F" --model $m --id state --time year --format csv
        expect_rc ${data}_$m 0
        cp "$T/out" "$T/classic.csv"
        compare ${data}_${m}_estimate "$T/classic.csv" $REF/plm_produc_$data.csv $pm estimate 2
        compare ${data}_${m}_se "$T/classic.csv" $REF/plm_produc_$data.csv $pm std_error 3
        compare ${data}_${m}_t "$T/classic.csv" $REF/fit_produc_extra.csv $data,$pm statistic 4
        compare ${data}_${m}_p "$T/classic.csv" $REF/fit_produc_extra.csv $data,$pm p_value 5
        tfp fit $file --formula "$F" --model $m --id state --time year --format csv --se cluster
        compare ${data}_${m}_cluster "$T/out" $REF/plm_produc_$data.csv $pm std_error_hc1_cluster 3
        tfp fit $file --formula "$F" --model $m --id state --time year --format csv --se hc1
        compare ${data}_${m}_hc1 "$T/out" $REF/fit_produc_extra.csv $data,$pm std_error_hc1 3
    done
done
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc) + log(emp) + unemp' --model crs \
    --map capital=pc --format csv
expect_rc crs 0
compare crs_estimate "$T/out" $REF/fit_produc_extra.csv balanced,crs estimate 2
compare crs_se "$T/out" $REF/fit_produc_extra.csv balanced,crs std_error 3
expect_out crs "elasticity(log(emp)),0.70122751294795"
for e in none within; do
    pm=pooling
    [ $e = within ] && pm=within
    tfp fit $PRODUC --formula "$F" --model translog --effects $e --id state --format csv
    expect_rc translog_$e 0
    compare translog_${e}_estimate "$T/out" $REF/fit_produc_extra.csv balanced,translog_$pm estimate 2
    compare translog_${e}_se "$T/out" $REF/fit_produc_extra.csv balanced,translog_$pm std_error 3
done

# ---- goldens: the within model on Produc (the numbers checked against plm above) ---------
tfp fit $PRODUC --formula "$F" --model within --id state --format csv
expect_golden within_csv "$T/out" fit_produc_within.csv
tfp fit $PRODUC --formula "$F" --model within --id state --format json
expect_golden within_json "$T/out" fit_produc_within.json
expect_no_nan within_json "$T/out"
expect_out within_json '"r_squared": 0.9413356148446'
tfp fit $PRODUC --formula "$F" --model within --id state
expect_golden within_text "$T/out" fit_produc_within.txt
tfp fit $PRODUC --formula "$F" --model within --id state --format md --lang vi
expect_golden within_md_vi "$T/out" fit_produc_within_vi.md
tfp fit $UNBAL --formula "$F" --model random --id state --format json --se cluster
expect_golden random_unbalanced_json "$T/out" fit_produc_random_unbalanced.json
expect_out random_unbalanced_json '"theta_min": 0.882223862987'
expect_out random_unbalanced_json '"sigma2_indiv": 0.00688266782688'
# A time trend in a balanced panel: aliased in the between regression only (plm drops it
# there; scripts/reference/plm_produc_trend.R gives year 0.0029911854764767603 (SE
# 0.00051478148949420988) and theta 0.89480339015910371).
tfp fit $PRODUC --formula "$F + year" --model random --id state --format csv --digits 12
expect_rc random_trend 0
expect_out random_trend "year,0.00299118547648,0.000514781489494,"
tfp fit $PRODUC --formula "$F + year" --model random --id state --format json
expect_out random_trend_json '"theta": 0.894803390159'
tfp fit $PRODUC --formula "$F" --model within --id state --format csv --digits 6
expect_out digits "log(pc),0.292007,0.0251197,11.6246,7.07507e-29"

# ---- formula errors: exit 1 with the column ------------------------------------------------
tfp fit $PRODUC --formula 'log(gsp) ~ log(captial) + log(emp)'
expect_rc unknown_column 1
expect_err unknown_column 'tfp: formula:1:16: unknown column "captial"'
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc) + log(emp) + log(captial)'
expect_err unknown_column_later 'tfp: formula:1:37: unknown column "captial"'
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc) +'
expect_rc syntax 1
expect_err syntax 'tfp: formula:1:21: unexpected end of formula'
tfp fit $PRODUC --formula 'log(gsp) ~ lg(pc)'
expect_rc unknown_function 1
expect_err unknown_function 'tfp: formula:1:12: unknown function "lg"'
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc)' --model translog --format csv
expect_rc translog_one_input 0
expect_out translog_one_input 'I(log(pc)^2)'
tfp fit $PRODUC --formula 'log(gsp) ~ pc + emp' --model translog
expect_rc translog_no_logs 1
expect_err translog_no_logs 'the translog model needs log inputs'
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc) + log(emp)' --model crs
expect_rc crs_no_capital 1
expect_err crs_no_capital 'crs: no capital column'

# ---- numerical failures: exit 3 naming the term --------------------------------------------
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc) + log(emp) + I(log(pc) + log(emp))' -o "$T/rank.csv"
expect_rc rank 3
expect_err rank 'column "I(log(pc) + log(emp))" (4) is a linear combination of earlier columns (aliased)'
expect_no_file rank "$T/rank.csv"
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc) + region' --model within --id state
expect_rc absorbed 3
expect_err absorbed 'term "region" does not vary within units'
tfp fit $PRODUC --formula 'log(gsp) ~ log(pc) + year' --model twoways --id state --time year
expect_rc absorbed_trend 3
expect_err absorbed_trend 'term "year" is absorbed by the unit and time fixed effects'
tfp fit $UNBAL --formula 'log(gsp) ~ log(pc) + year' --model twoways --id state --time year
expect_rc absorbed_trend_unbalanced 3
expect_err absorbed_trend_unbalanced 'column "year" (18) is a linear combination'

tfp fit tests/fixtures/cli/fit_dup.csv --formula 'y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)'
expect_rc too_few_rows 3
expect_err too_few_rows 'fewer observations (n = 5) than coefficients (p = 6)'
tfp fit tests/fixtures/cli/fit_dup.csv --formula 'y ~ x' --se cluster --id year --format csv
expect_rc two_clusters 0
printf 'firm,y,x\na,1.5,0.3\na,1.9,0.7\na,2.6,1.2\n' >"$T/one.csv"
tfp fit "$T/one.csv" --formula 'y ~ x' --se cluster --id firm
expect_rc one_cluster 3
expect_err one_cluster 'clustered standard errors need at least 2 clusters (found 1)'

# ---- columns and usage ----------------------------------------------------------------------
tfp fit $PRODUC --formula "$F" --model within --id stat
expect_rc unknown_id 2
expect_err unknown_id 'Produc.csv:1: --id: no column "stat"'
tfp fit $PRODUC --formula "$F" --model twoways --id state --time yr
expect_rc unknown_time 2
expect_err unknown_time '--time: no column "yr"'
tfp fit $PRODUC --model within
expect_rc no_formula 1
tfp fit --formula "$F"
expect_rc no_file 1
tfp fit $PRODUC --formula "$F" --model probit
expect_rc bad_model 1
expect_err bad_model '--model: expected ols, within, twoways, random, crs or translog'
tfp fit $PRODUC --formula "$F" --se robust
expect_rc bad_se 1
tfp fit $PRODUC --formula "$F" --effects within
expect_rc effects_alone 1
tfp fit tests/fixtures/cli/fit_dup.csv --formula 'y ~ x' --model within
expect_rc within_no_unit_column 1
expect_err within_no_unit_column 'needs the unit column: give --id COL'
tfp fit tests/fixtures/cli/fit_dup.csv --formula 'y ~ x' --model twoways --id firm
expect_rc duplicate_pair 2
expect_err duplicate_pair 'fit_dup.csv:6: (firm, year) = (a, 2002) appears twice: also on line 3'
tfp fit /nonexistent.csv --formula "$F"
expect_rc no_such_file 4
tfp fit $PRODUC --formula "$F" --model random --id state --formula 'log(gsp) ~ log(pc) - 1'
expect_rc random_no_intercept 1
expect_err random_no_intercept 'needs an intercept'

# ---- role names, dropped rows, the default unit column ----------------------------------------
tfp fit $ROLES --formula 'log(output) ~ log(capital) + log(labour) + year' --model within \
    --format csv
expect_rc roles 0
expect_err roles 'tfp: note: units from the column "province"'
expect_err roles 'tfp: warning: 1 row dropped: log of a non-positive value in log(capital)'
expect_err roles 'tfp: warning: 1 row dropped: missing value in labour'
expect_err roles 'tfp: warning: 1 row dropped: missing value in province'
cp "$T/out" "$T/roles.csv"
tfp fit $ROLES --formula 'log(grdp) ~ log(capital_stock) + log(employment) + year' \
    --model within --id province --format csv
cut -d, -f2- "$T/out" >"$T/a"
cut -d, -f2- "$T/roles.csv" >"$T/b"
if cmp -s "$T/a" "$T/b"; then ok "roles_equal_columns"; else fail roles_equal_columns "role names and column names give other numbers"; fi
tfp fit $ROLES --formula 'log(output) ~ log(capital) + log(labour)' --model crs --format csv
expect_rc roles_crs 0
expect_out roles_crs 'log(capital/labour),'
expect_out roles_crs 'elasticity(log(labour)),'
tfp fit $ROLES --formula 'log(output) ~ log(capital) + log(labour)' --map capital=grdp --model crs
expect_rc roles_crs_map_mismatch 1
tfp fit $ROLES --formula 'log(output) ~ log(capital)' --map capital=kk
expect_rc map_no_column 2
expect_err map_no_column '--map capital=kk: no column "kk"'

# ---- input and output ------------------------------------------------------------------------
tfp fit - --formula "$F" --model within --id state --format csv <$PRODUC
expect_rc stdin 0
expect_golden stdin "$T/out" fit_produc_within.csv
tfp fit $PRODUC --formula "$F" --model within --id state --format csv -o "$T/w.csv"
expect_rc output_file 0
expect_golden output_file "$T/w.csv" fit_produc_within.csv
sed 's/,/;/g; s/\./,/g' $PRODUC >"$T/semi.csv"
tfp fit "$T/semi.csv" --formula "$F" --model within --id state --format csv --decimal ,
expect_rc decimal_comma 0
expect_golden decimal_comma "$T/out" fit_produc_within.csv
