#!/bin/sh
# make bench: every benchmark of this folder (see README.md). Not part of make test.
set -e
cd "$(dirname "$0")/.."
sh benchmarks/bench_growth.sh "$@"
