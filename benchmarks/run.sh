#!/bin/sh
# make bench: times tfp beside the peers (R plm, data.table + lm.fit, pandas +
# statsmodels) and the floors (cat, libcsv, one dsyrk) with the shared peer
# harness, on the same generated panels. The harness lives outside the
# repository (TFP_PEERS, default ../shared/benchmarks); its packages:
# its install_deps.sh. Arguments go to the harness (default: 1e5 1e6 5e6 prov).
# Then bench_growth.sh: growth accounting + 10,000-replicate bootstrap against
# R's growth script, with its own table (README.md).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${TFP_PEERS:-$root/../shared/benchmarks}
if [ ! -x "$peers/run_peers.sh" ] && [ ! -f "$peers/run_peers.sh" ]; then
    echo "bench: the peer harness was not found at $peers (set TFP_PEERS)" >&2
    exit 1
fi
export TFP_ENGINE="$root/build/tfp" TFP_BENCH_DIR="$here"
export BUILD="${TMPDIR:-/tmp}/tfp-bench-build"
mkdir -p "$here/results"
[ $# -gt 0 ] || set -- 1e5 1e6 5e6 prov
bash "$peers/run_peers.sh" -p "$here/engine.conf" \
    -o "$here/results/fit-$(date +%Y%m%d-%H%M).md" "$@"
sh "$here/bench_growth.sh"
