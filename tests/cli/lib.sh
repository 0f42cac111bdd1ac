# Shared helpers for the CLI tests (sourced). Each check prints "ok NAME" or
# "FAIL NAME: why"; tests/cli/run.sh counts them.
# TFP_BIN is the binary under test; TFP_SRCDIR the source tree.
T=$(mktemp -d "${TMPDIR:-/tmp}/tfp-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
FIX="$TFP_SRCDIR/tests/fixtures"
GOLD="$TFP_SRCDIR/tests/cli/golden"

# tfp ARGS...: runs the binary (under valgrind when TFP_VALGRIND=1), stdout
# to $T/out, stderr to $T/err, exit code in $RC.
tfp() {
    if [ "${TFP_VALGRIND:-0}" = 1 ]; then
        valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
            --trace-children=yes "$TFP_BIN" "$@" >"$T/out" 2>"$T/err"
    else
        "$TFP_BIN" "$@" >"$T/out" 2>"$T/err"
    fi
    RC=$?
    if [ "$RC" = 99 ]; then
        echo "FAIL valgrind: errors running tfp $*"
        sed 's/^/    /' "$T/err" | head -20
    fi
}

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

# expect_rc NAME WANT
expect_rc() {
    if [ "$RC" = "$2" ]; then ok "$1 (exit $2)"; else fail "$1" "exit $RC, want $2; stderr: $(head -c 300 "$T/err")"; fi
}

# expect_err NAME FIXED-STRING: stderr contains the string.
expect_err() {
    if grep -qF -- "$2" "$T/err"; then ok "$1 (stderr)"; else fail "$1" "stderr lacks '$2': $(head -c 300 "$T/err")"; fi
}

# expect_out NAME FIXED-STRING: stdout contains the string.
expect_out() {
    if grep -qF -- "$2" "$T/out"; then ok "$1 (stdout)"; else fail "$1" "stdout lacks '$2'"; fi
}

# expect_golden NAME FILE GOLDEN: FILE equals tests/cli/golden/GOLDEN.
# TFP_UPDATE_GOLDEN=1 rewrites the golden file instead.
expect_golden() {
    if [ "${TFP_UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$2" "$GOLD/$3"
        ok "$1 (golden updated)"
    elif diff -u "$GOLD/$3" "$2" >"$T/diff" 2>&1; then
        ok "$1 (golden $3)"
    else
        fail "$1" "differs from golden $3: $(head -20 "$T/diff")"
    fi
}

# expect_no_file NAME PATH
expect_no_file() {
    if [ -e "$2" ]; then fail "$1" "left a file $2"; else ok "$1 (no file)"; fi
}

# expect_no_nan NAME FILE: neither nan nor inf printed.
expect_no_nan() {
    if grep -qiwE 'nan|-?inf|infinity' "$2"; then fail "$1" "printed nan/inf"; else ok "$1 (no nan)"; fi
}
