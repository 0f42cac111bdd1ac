#!/bin/sh
# Library objects may not print or exit: only src/cli talks to the terminal.
# Fails when any object given references one of the forbidden symbols.
bad=0
for o in "$@"; do
    syms=$(nm -u "$o" 2>/dev/null | awk '{print $NF}' |
        grep -E '^(exit|_exit|abort|printf|puts|putchar|perror|stdout|stderr|fprintf|vprintf)$')
    if [ -n "$syms" ]; then
        echo "lint: $o uses $(echo $syms | tr '\n' ' ')" >&2
        bad=1
    fi
done
[ $bad = 0 ] && echo "lint: no library object prints or exits"
exit $bad
