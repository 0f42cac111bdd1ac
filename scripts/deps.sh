#!/bin/sh
# Installs the Debian packages named as arguments when any is missing.
# As root it runs apt-get; as another user it prints the exact line to run.
missing=""
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "tfp: installing missing packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || exit 1
    apt-get install -y -qq $missing || exit 1
else
    echo "tfp: missing packages:$missing" >&2
    echo "tfp: run as root:  apt-get install -y$missing" >&2
    exit 1
fi
