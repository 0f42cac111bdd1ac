#!/bin/sh
# tfp report's optional parts, read back as a reader would (see
# test_report.sh): --bootstrap puts the interval and probability columns of
# `tfp estimate --bootstrap` in the Summary sheet (the same seed, the same
# numbers), --sensitivity adds the grid and bands of `tfp sensitivity` and
# a chart per region, --compare adds the table of `tfp compare`. Each sheet
# is compared cell by cell with those commands' CSV output by
# tests/support/check_report.py (Python's zipfile and XML parser, not
# libxlsxwriter). Without python3 or chromium those checks are skipped.
. "$(dirname "$0")/lib.sh"
cd "$TFP_SRCDIR" || exit 1
HAND=tests/fixtures/cli/hand.csv
INV=tests/fixtures/cli/sens_invest.csv
PWT=datasets/pwt/pwt91_asia5_tfp.csv
CHECK=tests/support/check_report.py
skip() { echo "skip $1: $2"; }
have_python() { command -v python3 >/dev/null 2>&1; }
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
tag() { sed "s/^FAIL /FAIL $1_/; s/^ok /ok $1_/"; }

# ---- usage: bad values stop before anything is written ---------------------------------
tfp report --help
expect_out report_help_parts "--bootstrap B"
expect_out report_help_parts "--sensitivity"
expect_out report_help_parts "--compare"
tfp report $HAND --bootstrap 0 -o "$T/u.xlsx"
expect_rc report_bootstrap_zero 1
expect_err report_bootstrap_zero "--bootstrap: expected a whole number from 1"
expect_no_file report_bootstrap_zero "$T/u.xlsx"
tfp report $HAND --seed 3 -o "$T/u.xlsx"
expect_rc report_seed_alone 1
expect_err report_seed_alone "--seed needs --bootstrap B"
expect_no_file report_seed_alone "$T/u.xlsx"
tfp report $HAND --bootstrap 10 --level 1.5 -o "$T/u.html"
expect_rc report_bad_level 1
expect_err report_bad_level "--level: expected a coverage in (0, 1)"
expect_no_file report_bad_level "$T/u.html"
tfp report $HAND --bootstrap 10 --resample none -o "$T/u.xlsx"
expect_rc report_resample_none 1
expect_err report_resample_none "--resample none leaves nothing to draw"
tfp report $HAND --bootstrap 10 --capital-share-sd fit -o "$T/u.xlsx"
expect_rc report_sd_fit_without_fit 1
expect_err report_sd_fit_without_fit "--capital-share-sd fit needs --capital-share fit"
tfp report $HAND --capital-shares 0.3:0.5:0.1 -o "$T/u.xlsx"
expect_rc report_grid_without_sensitivity 1
expect_err report_grid_without_sensitivity "--capital-shares needs --sensitivity"
expect_no_file report_grid_without_sensitivity "$T/u.xlsx"
tfp report $HAND --sensitivity --capital-shares 0.3:x:0.05 -o "$T/u.xlsx"
expect_rc report_bad_grid 1
expect_err report_bad_grid "--capital-shares"
tfp report $INV --sensitivity --k0-methods harberger,triple -o "$T/u.xlsx"
expect_rc report_bad_k0_method 1
expect_no_file report_bad_k0_method "$T/u.xlsx"
# A grid the library refuses (shares beyond 1): an error, and no file.
tfp report $HAND --sensitivity --capital-shares 0.3:1.2:0.05 -o "$T/u.xlsx"
expect_rc report_grid_out_of_range 1
expect_err report_grid_out_of_range "capital shares must lie in (0, 1)"
expect_no_file report_grid_out_of_range "$T/u.xlsx"
# An old file survives a failed run.
echo old >"$T/keep.xlsx"
tfp report $HAND --sensitivity --capital-shares 0.3:1.2:0.05 -o "$T/keep.xlsx"
if [ "$(cat "$T/keep.xlsx")" = old ]; then ok report_parts_failed_run_keeps_file; else fail report_parts_failed_run_keeps_file "replaced"; fi

# ---- the bundled data with every part -------------------------------------------------------
BOOT="--bootstrap 200 --seed 1"
tfp report $BOOT --sensitivity --compare -o "$T/full.xlsx"
expect_rc report_full_xlsx 0
tfp report $BOOT --sensitivity --compare -o "$T/full.html"
expect_rc report_full_html 0
expect_no_nan report_full_html "$T/full.html"
for s in summary annual contributions sensitivity models data about; do
    if grep -q "id=\"sec-$s\"" "$T/full.html"; then ok "report_full_html_section_$s"; else fail "report_full_html_section_$s" "no section $s"; fi
done
n=$(grep -c '<figure class="chart"' "$T/full.html")
if [ "$n" = 25 ]; then ok report_full_html_charts; else fail report_full_html_charts "$n figures, want 25 (4 per region and a sensitivity chart per region)"; fi
n=$(grep -c '<figure class="chart" id="chart-sens-' "$T/full.html")
if [ "$n" = 5 ]; then ok report_full_html_sens_charts; else fail report_full_html_sens_charts "$n sensitivity charts, want 5"; fi
if grep -q 'Probability' "$T/full.html" && grep -q '90 % interval (lo, hi)' "$T/full.html" &&
    grep -q 'GSO, b_K = 0.30' "$T/full.html" &&
    grep -q 'Grid: capital share 0.3-0.55 by 0.05' "$T/full.html"; then
    ok report_full_html_words
else
    fail report_full_html_words "a probability, interval, method or grid text is missing"
fi
# Methods that do not apply are listed under the table (hand.csv has no labour shares).
tfp report $HAND --compare -o "$T/hand.html"
expect_rc report_hand_compare 0
if grep -q 'Methods left out' "$T/hand.html" && grep -q 'tornqvist left out: the data have no labour_share column' "$T/hand.html"; then
    ok report_hand_compare_notes
else
    fail report_hand_compare_notes "no note on the methods left out"
fi
tfp report $HAND --compare --lang vi -o "$T/hand_vi.html"
if grep -q 'Phương pháp không áp dụng' "$T/hand_vi.html"; then ok report_hand_compare_vi; else fail report_hand_compare_vi "no Vietnamese heading"; fi
mkdir -p "$T/md"
tfp report $BOOT --sensitivity --compare --format md -o "$T/md/full.md"
expect_rc report_full_md 0
n=$(ls "$T/md" | grep -c '^full_chart[0-9]*\.svg$')
if [ "$n" = 25 ]; then ok report_full_md_svgs; else fail report_full_md_svgs "$n SVG files, want 25"; fi
if grep -q '^## Sensitivity' "$T/md/full.md" && grep -q '^## Models' "$T/md/full.md"; then
    ok report_full_md_sections
else
    fail report_full_md_sections "no Sensitivity or Models heading"
fi

if have_python; then
    tfp estimate --format csv --table annual
    cp "$T/out" "$T/annual.csv"
    tfp estimate --format csv --table summary $BOOT
    cp "$T/out" "$T/summary.csv"
    tfp estimate --format csv --table targets $BOOT
    cp "$T/out" "$T/targets.csv"
    tfp sensitivity --format csv --table grid
    cp "$T/out" "$T/grid.csv"
    tfp sensitivity --format csv --table bands
    cp "$T/out" "$T/bands.csv"
    tfp compare --format csv
    cp "$T/out" "$T/compare.csv"
    python3 $CHECK xlsx "$T/full.xlsx" "$T/annual.csv" "$T/summary.csv" "$T/targets.csv" $PWT \
        --boot 200 1 --sensitivity "$T/grid.csv" "$T/bands.csv" --models "$T/compare.csv" 2>&1 | tag report_full
    # The check can fail: the same workbook against another seed's intervals.
    tfp estimate --format csv --table summary --bootstrap 200 --seed 2
    cp "$T/out" "$T/summary2.csv"
    if python3 $CHECK xlsx "$T/full.xlsx" "$T/annual.csv" "$T/summary2.csv" "$T/targets.csv" $PWT \
        --boot 200 1 --sensitivity "$T/grid.csv" "$T/bands.csv" --models "$T/compare.csv" >"$T/neg.log" 2>&1; then
        fail report_full_other_seed_differs "seed 2's intervals matched seed 1's workbook"
    elif grep -q '^FAIL xlsx_summary_values' "$T/neg.log"; then
        ok report_full_other_seed_differs
    else
        fail report_full_other_seed_differs "$(grep FAIL "$T/neg.log" | head -2)"
    fi
else
    skip report_full_xlsx_reader "python3 is not installed: the workbook was not read back"
fi

# ---- capital from investment: one line per depreciation rate ---------------------------------
O="--from 2018 --to 2022"
tfp report $INV $O --sensitivity --capital-shares 0.3:0.5:0.05 -o "$T/inv.xlsx"
expect_rc report_inv_xlsx 0
if have_python; then
    tfp sensitivity $INV $O --capital-shares 0.3:0.5:0.05 --format csv --table grid
    cp "$T/out" "$T/igrid.csv"
    tfp sensitivity $INV $O --capital-shares 0.3:0.5:0.05 --format csv --table bands
    cp "$T/out" "$T/ibands.csv"
    python3 $CHECK sens "$T/inv.xlsx" "$T/igrid.csv" "$T/ibands.csv" 2>&1 | tag report_inv
    # 8 depreciation rates (0.03..0.10) drawn as 6 lines spread over the grid.
    lines=$(python3 -c "
import sys; sys.path.insert(0, 'tests/support'); import check_report as c
z, sh = c.read_book(sys.argv[1]); s = {x.name: x for x in sh}['Sensitivity']
ch = c.sheet_charts(z, s)[0]
print(' '.join(s.get(*c.split_ref(x.text.split('!')[1]))[1].split()[-1] for x in ch.findall('.//c:ser/c:tx//c:f', c.NS)[:-2]))
" "$T/inv.xlsx")
    if [ "$lines" = "0.03 0.04 0.06 0.07 0.09 0.1" ]; then ok report_inv_chart_lines; else fail report_inv_chart_lines "lines $lines"; fi
else
    skip report_inv_xlsx_reader "python3 is not installed: the workbook was not read back"
fi

# ---- Vietnamese ---------------------------------------------------------------------------
tfp report $BOOT --sensitivity --compare --lang vi -o "$T/vi.html"
expect_rc report_parts_vi 0
if grep -q 'Độ nhạy' "$T/vi.html" && grep -q 'So sánh phương pháp' "$T/vi.html" &&
    grep -q 'Lưới giả định: hệ số vốn 0,3-0,55, bước 0,05' "$T/vi.html" &&
    grep -q 'khoảng 90 % của nó (cận dưới, cận trên)' "$T/vi.html" &&
    grep -q 'lần lặp, hạt giống 1' "$T/vi.html"; then
    ok report_parts_vi_words
else
    fail report_parts_vi_words "a Vietnamese heading or text is missing"
fi
tfp report $INV $O --sensitivity --lang vi -o "$T/inv_vi.html"
if grep -q 'Khấu hao 0,03' "$T/inv_vi.html" && grep -q 'mỗi đường một tỷ lệ khấu hao' "$T/inv_vi.html"; then
    ok report_parts_vi_chart_words
else
    fail report_parts_vi_chart_words "no Vietnamese series or chart title"
fi
tfp report $BOOT --sensitivity --compare --lang vi -o "$T/vi.xlsx"
if have_python; then
    sheets=$(python3 -c "import zipfile,re,sys; print('|'.join(re.findall(r'<sheet name=\"([^\"]*)\"', zipfile.ZipFile(sys.argv[1]).read('xl/workbook.xml').decode())))" "$T/vi.xlsx")
    if [ "$sheets" = "Tổng hợp|Theo năm|Đóng góp|Độ nhạy|So sánh phương pháp|Dữ liệu|Thông tin" ]; then
        ok report_parts_vi_sheets
    else
        fail report_parts_vi_sheets "sheets $sheets"
    fi
fi

# ---- the HTML as a browser shows it ---------------------------------------------------------
if [ -z "$CHROMIUM" ]; then
    skip report_parts_chromium "chromium is not installed: the HTML was not rendered"
elif [ "${TFP_VALGRIND:-0}" = 1 ]; then
    skip report_parts_chromium "not under valgrind (make test and make asan render the HTML)"
elif ! have_python; then
    skip report_parts_chromium "python3 is not installed: the rendering was not checked"
else
    timeout 300 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --no-pings --dns-prefetch-disable \
        --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server=127.0.0.1:9 \
        --user-data-dir="$T/chrome" --dump-dom "file://$T/full.html" >"$T/full.dom" 2>"$T/chrome.log"
    python3 $CHECK dom "$T/full.dom" 25 sensitivity models 2>&1 | tag report_parts
fi
