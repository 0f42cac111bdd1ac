#!/bin/sh
# Structure: the shift-share table, merged provinces, product taxes, and
# tfp check on reported indicators. Expected numbers are derived by hand in
# the unit tests named beside each check:
#  - shiftshare.csv: tests/analysis/test_shiftshare.c (North: LP 3.2 -> 3.8,
#    within 0.225, static 0.3, dynamic 0.025, product taxes 0.05; South:
#    2 -> 2.1875 = 1/15 + 1/8 - 1/240, no taxes);
#  - merge.csv + merge_map.csv: tests/prep/test_merge.c (AB = A + B: output
#    160, 173, 187.15; labour 90, 92, 94.02; capital 300, 325, 352.25);
#  - reported.csv and the Bac Giang file: tests/analysis/test_check.c.
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
SS=tests/fixtures/cli/shiftshare.csv
MERGE=tests/fixtures/cli/merge.csv
MAP=tests/fixtures/cli/merge_map.csv
BG=datasets/vietnam/bac_giang_reported.csv

# ---- shift-share ----------------------------------------------------------
tfp estimate $SS --from 2021 --to 2021 --table shiftshare --format csv
expect_rc shiftshare_csv 0
expect_golden shiftshare_csv "$T/out" shiftshare.csv
expect_out shiftshare_header "region,from,to,lp_base,lp_last,total,within,static,dynamic,product_taxes"
tfp estimate $SS --from 2021 --to 2021 --table shiftshare --format csv --digits 12
expect_out shiftshare_north "North,2021,2021,3.2,3.8,0.6,0.225,0.3,0.025,0.05"
expect_out shiftshare_south "South,2021,2021,2,2.1875,0.1875,0.0666666666667,0.125,-0.00416666666667,"
tfp estimate $SS --from 2021 --to 2021
expect_rc shiftshare_text 0
expect_golden shiftshare_text "$T/out" shiftshare.txt
expect_out shiftshare_text_meta 'Product taxes: sector "product_taxes": added to output, no labour'
tfp estimate $SS --from 2021 --to 2021 --format json
expect_no_nan shiftshare_json "$T/out"
expect_out shiftshare_json '"shiftshare"'
# The region total is GRDP (sectors + product taxes), the labour the sectors'.
tfp estimate $SS --from 2021 --to 2021 --table annual --format csv --digits 12
expect_out shiftshare_total "North,,2021,190,50,"
# Naming another tax sector leaves product_taxes an ordinary sector with no
# labour: the totals and the decomposition become undefined, with warnings.
tfp estimate $SS --from 2021 --to 2021 --table shiftshare --format csv --tax-sector excise
expect_rc tax_sector_other 0
expect_err tax_sector_other 'tax sector "excise": no sector has that name; no product-tax term'
expect_out tax_sector_other "North,2021,,,,,,,,"
tfp estimate $SS --from 2021 --to 2021 --table shiftshare --format csv --tax-sector PRODUCT_TAXES
if cmp -s "$T/out" "$GOLD/shiftshare.csv"; then ok tax_sector_case; else fail tax_sector_case "differs"; fi
tfp estimate tests/fixtures/cli/hand.csv --table shiftshare --format csv
expect_rc shiftshare_needs_sectors 2
expect_err shiftshare_needs_sectors "--table shiftshare needs a sector column"
printf 'region,sector,year,output,labour,capital\nA,agri,2020,1,1,1\nA,product_taxes,2020,1,2,\n' >"$T/taxlab.csv"
tfp estimate "$T/taxlab.csv" --format csv
expect_rc tax_with_labour 2
expect_err tax_with_labour 'taxlab.csv:3: sector "product_taxes" holds product taxes less subsidies, which have no labour'
tfp estimate $SS --tax-sector
expect_rc tax_sector_needs_value 1

# ---- merged provinces --------------------------------------------------------
tfp estimate $MERGE --merge $MAP --from 2020 --to 2021 --table summary --format csv
expect_rc merge_summary 0
expect_golden merge_summary "$T/out" merge_summary.csv
expect_err merge_summary "tfp: warning: AB: 1 of 2 former regions have data for 2018; the merged value is undefined that year"
tfp estimate $MERGE --merge $MAP --from 2020 --to 2021 --table annual --format csv --digits 12
expect_out merge_2021 "AB,,2021,187.15,94.02,352.25,"
expect_out merge_2019 "AB,,2019,160,90,300,"
tfp estimate $MERGE --merge $MAP --from 2020 --to 2021
expect_out merge_meta "Merged regions: tests/fixtures/cli/merge_map.csv (3 former regions into 2 new ones)"
printf 'region,new_region\nA,AB\nC,C\n' >"$T/map_missing.csv"
tfp estimate $MERGE --merge "$T/map_missing.csv" --format csv
expect_rc merge_missing_region 2
expect_err merge_missing_region 'merge.csv:6: region "B" is not in the merge mapping'
expect_err merge_missing_region 'add a line "B,NEW", or "B,B" to keep it'
printf 'old,new\nA,AB\nB,AB\nA,C\nC,C\n' >"$T/map_dup.csv"
tfp estimate $MERGE --merge "$T/map_dup.csv" --format csv
expect_rc merge_duplicate 2
expect_err merge_duplicate 'map_dup.csv:4:1: merge mapping: region "A" is mapped twice (first at line 2)'
printf 'old,new\nA,AB\nB,AB\nC,C\nZ,C\n' >"$T/map_extra.csv"
tfp estimate $MERGE --merge "$T/map_extra.csv" --from 2020 --to 2021 --table summary --format csv
expect_rc merge_unknown_old 0
expect_err merge_unknown_old 'map_extra.csv:5: region "Z" is not in the data; line ignored'
if cmp -s "$T/out" "$GOLD/merge_summary.csv"; then ok merge_unknown_same; else fail merge_unknown_same "differs"; fi
tfp estimate $MERGE --merge "$T/no-such-map.csv" --format csv
expect_rc merge_no_file 4
tfp estimate tests/fixtures/cli/investment.csv --merge $MAP --format csv
expect_rc merge_no_region_column 2
expect_err merge_no_region_column "--merge needs a region column in the data"

# ---- tfp check -------------------------------------------------------------
tfp check --help
expect_rc check_help 0
expect_out check_help "--percent"
tfp --help
expect_out main_help_check "check      plan targets on reported indicators"
# Bac Giang's own 2023 figures (LP +12.5 %, TFP 31.5 %) against 2021-2025.
tfp check $BG --percent
expect_rc check_bac_giang 0
expect_golden check_bac_giang "$T/out" check_bac_giang.txt
tfp check $BG --percent --format csv
expect_rc check_bac_giang_csv 0
expect_golden check_bac_giang_csv "$T/out" check_bac_giang.csv
expect_out check_bg_lp ",lp_growth,0.125,0.125,,on-track,"
expect_out check_bg_tfp ",tfp_share_period,0.315,0.29999999999999999,0.34999999999999998,on-track,"
expect_err check_bg_warning "labour_productivity_growth_pct has 1 of the 3 years 2021-2023 (none for 2021-2022)"
cp "$T/out" "$T/bg.csv"
# Without FILE: the same figures, in percent, named for the province.
tfp check --format csv
expect_rc check_default 0
cp "$T/out" "$T/default.csv"
tfp check $BG --percent --region "Bắc Giang" --format csv
expect_out check_region "Bắc Giang,lp_growth,0.125,0.125,,on-track,"
if cmp -s "$T/out" "$T/default.csv"; then ok check_default_is_bac_giang; else fail check_default_is_bac_giang "differs"; fi
tfp check tests/fixtures/cli/reported.csv --region X
expect_rc check_region_with_region_column 2
expect_err check_region_with_region_column 'reported.csv:1:1: --region names the region of a file without a region column, and column "province" is one'
tfp check $BG --percent --table basis --format csv
expect_golden check_bac_giang_basis "$T/out" check_bac_giang_basis.csv
tfp check $BG --percent --lang vi
expect_rc check_vi 0
expect_out check_vi "đúng hướng"
expect_no_nan check_vi "$T/out"
tfp check $BG --percent --format json
expect_no_nan check_json "$T/out"
tfp check $BG
expect_rc check_needs_percent 2
expect_err check_needs_percent 'bac_giang_reported.csv:1:97: column "labour_productivity_growth_pct" is named as a percentage: add --percent'
# A mapped column: labour_productivity_growth from another name.
sed 's/labour_productivity_growth_pct/nsld_tang/' $BG >"$T/bg_renamed.csv"
tfp check "$T/bg_renamed.csv" --percent --map labour_productivity_growth=nsld_tang --format csv
if cmp -s "$T/out" "$T/bg.csv"; then ok check_map; else fail check_map "differs: $(cat "$T/err")"; fi
tfp check $BG --percent --map colour=x
expect_rc check_bad_map 1
expect_err check_bad_map 'unknown name "colour"'
tfp check $BG --percent --format csv --table all
expect_rc check_csv_one_table 1
tfp check $BG --percent --bogus
expect_rc check_unknown_option 1
# Levels, weighted shares, gapped and complete growth series, by region
# (the North and South cases of tests/analysis/test_check.c: North LP
# 100 -> 140.4928 = 100 x 1.12^3, lp_growth 0.12, required
# (1.125^5 / 1.404928)^(1/2) - 1 = 0.13254...; shares weighted 0.325, last
# 0.30; South growth 10 %, 15 %: (1.265)^(1/2) - 1, required
# (1.125^5 / 1.265)^(1/3) - 1 = 0.12519...; plain mean share 0.35).
tfp check tests/fixtures/cli/reported.csv --format csv
expect_rc check_reported 0
expect_golden check_reported "$T/out" check_reported.csv
tfp check tests/fixtures/cli/reported.csv --table basis --format csv
expect_golden check_reported_basis "$T/out" check_reported_basis.csv
tfp check tests/fixtures/cli/reported.csv --from 2021 --to 2022 --target lp=0.10 --format csv
expect_out check_complete ",lp_growth,"
# South, 2021-2022 complete: (1.10 x 1.15)^(1/2) - 1 = 0.1247221879..., met against 10 %.
expect_out check_complete_south "South,lp_growth,0.12472218792019918,0.10000000000000001,,met,"
