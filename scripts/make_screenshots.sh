#!/bin/sh
# Regenerates the README's screenshots of `tfp report` on the bundled data:
#   scripts/screenshots/report_html.png   the HTML report in headless Chromium
#                                          (the command of tests/cli/test_report.sh)
#   scripts/screenshots/report_xlsx.png   the workbook's Summary sheet as LibreOffice
#                                          prints it (xlsx -> PDF -> pdftoppm)
# Needs: build/tfp (make), chromium, libreoffice-calc-nogui, poppler-utils.
# Run from the repository's root: sh scripts/make_screenshots.sh
set -eu
OUT=scripts/screenshots
TFP=${TFP:-./build/tfp}
# The bundled data by its path in the repository, not this machine's.
TFP_DATADIR=datasets
export TFP_DATADIR
T=$(mktemp -d "${TMPDIR:-/tmp}/tfp-shots.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$OUT"

"$TFP" report --quiet -o "$T/report.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-extensions --no-pings \
    --dns-prefetch-disable --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server=127.0.0.1:9 \
    --hide-scrollbars --user-data-dir="$T/chrome" --window-size=1100,1500 \
    --screenshot="$OUT/report_html.png" "file://$T/report.html" >/dev/null 2>&1

# The workbook as LibreOffice prints it (A4 landscape, one page wide): the
# top of the Summary sheet, with the status colours and the first charts.
"$TFP" report --quiet -o "$T/report.xlsx"
# A first start of LibreOffice with a fresh profile sometimes fails to load
# the file; a second run does.
for try in 1 2; do
    HOME="$T" soffice --headless --norestore --convert-to pdf --outdir "$T" "$T/report.xlsx" \
        >/dev/null 2>&1 || true
    [ -s "$T/report.pdf" ] && break
done
pdftoppm -png -r 130 -f 1 -l 1 -x 60 -y 60 -W 1100 -H 800 -singlefile "$T/report.pdf" "$T/page"
cp "$T/page.png" "$OUT/report_xlsx.png"
ls -l "$OUT"
