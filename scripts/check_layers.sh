#!/bin/sh
# The layer rule (DESIGN section 1): a layer includes only the public headers
# of layers to its left (and util). src/cli may include any public header.
# Public headers belong to layers as listed below.
order="util io data prep models analysis report"
layer_of_header() {
    case "$1" in
    error.h|alloc.h|strbuf.h|config.h|sha256.h|progress.h|parallel.h) echo util ;;
    io.h) echo io ;;
    panel.h|reported.h) echo data ;;
    prep.h) echo prep ;;
    models.h|growth.h|ols.h|formula.h|panelreg.h) echo models ;;
    analysis.h|targets.h|estimate.h|shiftshare.h|check.h|elasticity.h) echo analysis ;;
    forecast.h) echo models ;;
    scenario.h) echo analysis ;;
    report.h|tables.h|book.h) echo report ;;
    tfp.h) echo cli ;;
    bootstrap.h|sensitivity.h) echo analysis ;;
    progress.h) echo util ;;
    *) echo unknown ;;
    esac
}
rank() {
    i=0
    for l in $order cli; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo 99
}
bad=0
for layer in $order; do
    for f in src/$layer/*.c src/$layer/*.h include/tfp/*.h; do
        [ -f "$f" ] || continue
        case "$f" in include/*) fl=$(layer_of_header "$(basename "$f")"); [ "$fl" = "$layer" ] || continue ;; esac
        for h in $(sed -n 's/^#include "tfp\/\([^"]*\)".*/\1/p' "$f"); do
            hl=$(layer_of_header "$h")
            if [ "$hl" = unknown ] || [ "$(rank "$hl")" -gt "$(rank "$layer")" ]; then
                echo "lint: $f (layer $layer) includes tfp/$h (layer $hl)" >&2
                bad=1
            fi
        done
        for h in $(sed -n 's/^#include "\([a-z_]*_int\.h\)".*/\1/p' "$f"); do
            [ -f "src/$layer/$h" ] || { echo "lint: $f includes another layer's private $h" >&2; bad=1; }
        done
    done
done
[ $bad = 0 ] && echo "lint: layer rule holds"
exit $bad
