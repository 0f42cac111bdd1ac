#!/bin/sh
# Byte-identical output across builds (-O0 vs -O2) and runs: every command
# below runs with both binaries, twice with the first; all outputs must match.
# Usage: sh tests/determinism.sh BIN_O2 BIN_O0
a=$1 b=$2
t=$(mktemp -d "${TMPDIR:-/tmp}/tfp-det.XXXXXX")
trap 'rm -rf "$t"' EXIT
n=0 bad=0
while IFS= read -r cmd; do
    case "$cmd" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    sh -c "\"$a\" $cmd" >"$t/a1" 2>&1
    sh -c "\"$a\" $cmd" >"$t/a2" 2>&1
    sh -c "\"$b\" $cmd" >"$t/b" 2>&1
    if cmp -s "$t/a1" "$t/a2" && cmp -s "$t/a1" "$t/b"; then
        echo "ok determinism: $cmd"
    else
        echo "FAIL determinism: $cmd"
        bad=$((bad + 1))
    fi
done <<'EOF_CMDS'
estimate --format csv --table annual
estimate --format json
estimate --method tornqvist --map capital=capital_services --format csv --table summary
estimate --lang vi --format md
estimate tests/fixtures/cli/sectors.csv --format json
estimate tests/fixtures/cli/investment.csv --format csv
estimate --bootstrap 2000 --seed 3 --capital-share-sd 0.05 --threads 3 --format csv --table summary
estimate --bootstrap 1500 --seed 4 --method tornqvist --block 2 --format json
sensitivity --format json
sensitivity tests/fixtures/cli/sens_invest.csv --from 2018 --to 2022 --format csv --table bands
EOF_CMDS
echo "determinism: $((n - bad)) passed, $bad failed"
[ $bad = 0 ]
