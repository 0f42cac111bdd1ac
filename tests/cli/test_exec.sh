#!/bin/sh
# tfp hands `report` to tfp-report (src/cli/main.c): the other commands do not
# load the report's libraries; a missing tfp-report is a clear I/O error.
. "$TFP_SRCDIR/tests/cli/lib.sh"

# The report writer found beside tfp: its help, through tfp.
tfp report --help
expect_rc "report help through tfp-report" 0
expect_out "report help through tfp-report" "Usage: tfp report"

# tfp itself does not link cairo, fontconfig or libxlsxwriter, nor OpenBLAS (7 ms of
# start-up for no BLAS call); tfp-report does.
if command -v ldd >/dev/null 2>&1; then
    if ldd "$TFP_BIN" | grep -qE 'libcairo|libfontconfig|libxlsxwriter'; then
        fail "tfp links no report library" "$(ldd "$TFP_BIN" | grep -E 'cairo|fontconfig|xlsxwriter')"
    else
        ok "tfp links no report library"
    fi
    if ldd "$TFP_BIN" | grep -q libopenblas; then
        fail "tfp does not load OpenBLAS" "$(ldd "$TFP_BIN" | grep openblas)"
    else
        ok "tfp does not load OpenBLAS"
    fi
    if ldd "$(dirname "$TFP_BIN")/tfp-report" | grep -q libcairo; then
        ok "tfp-report links cairo"
    else
        fail "tfp-report links cairo" "no libcairo in ldd"
    fi
else
    echo "skip tfp links no report library: ldd not found"
fi

# A tfp without its tfp-report: exit 4, the paths it tried, no output file.
mkdir -p "$T/alone"
cp "$TFP_BIN" "$T/alone/tfp"
if [ "${TFP_VALGRIND:-0}" = 1 ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$T/alone/tfp" report -o "$T/alone/r.html" >"$T/out" 2>"$T/err"
else
    "$T/alone/tfp" report -o "$T/alone/r.html" >"$T/out" 2>"$T/err"
fi
RC=$?
expect_rc "missing tfp-report" 4
expect_err "missing tfp-report" "cannot run the report writer $T/alone/tfp-report"
expect_err "missing tfp-report names libexec" "../libexec/tfp/tfp-report"
expect_no_file "missing tfp-report" "$T/alone/r.html"

# Installed layout: bin/tfp finds ../libexec/tfp/tfp-report.
mkdir -p "$T/inst/bin" "$T/inst/libexec/tfp"
cp "$TFP_BIN" "$T/inst/bin/tfp"
cp "$(dirname "$TFP_BIN")/tfp-report" "$T/inst/libexec/tfp/tfp-report"
"$T/inst/bin/tfp" report --help >"$T/out" 2>"$T/err"
RC=$?
expect_rc "tfp-report in libexec" 0
expect_out "tfp-report in libexec" "Usage: tfp report"
