#!/bin/sh
# Runs every tests/cli/test_*.sh with the tfp binary given as $1.
# Each test script prints one line per check: "ok NAME" or "FAIL NAME: why",
# or "skip NAME: why" when a tool it needs is missing (shown, and counted).
# With TFP_VALGRIND=1 the binary runs under valgrind (errors fail the check).
TFP_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export TFP_BIN
TFP_SRCDIR=$(pwd)
export TFP_SRCDIR
pass=0
fail=0
skipped=0
for t in tests/cli/test_*.sh; do
    [ -f "$t" ] || continue
    out=$(sh "$t" 2>&1)
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^FAIL ')
    s=$(printf '%s\n' "$out" | grep -c '^skip ')
    printf '%s\n' "$out" | grep -E '^(FAIL|skip) ' | sed "s|^|$t: |"
    pass=$((pass + p))
    fail=$((fail + f))
    skipped=$((skipped + s))
done
if [ $skipped -gt 0 ]; then
    echo "cli: $pass passed, $fail failed, $skipped skipped"
else
    echo "cli: $pass passed, $fail failed"
fi
[ $fail = 0 ]
