#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/syscalls.sh CONNECT-COST N: system calls per connection of each
# kind of bench/connect-cost (enum bench_connect), counted by strace -c on
# the thread that connects.  Each kind runs twice, N and 2N connections;
# the difference divided by N leaves out what runs once (WSAStartup, the
# warm-up, exit).  Prints "syscalls KIND TOTAL NAME=COUNT..." lines.
set -euo pipefail

prog=$1
n=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v strace >/dev/null || { echo "# syscalls: no strace"; exit 1; }
kinds=(connect WSAConnect connect+setsockopt WSAConnect+FLOWSPEC)

echo "# syscalls per connection (strace -c, connecting thread only, ${n} vs $((2 * n)) connections)"
for k in 0 1 2 3; do
	strace -c -o "$tmp/a" "$prog" --only $k "$n"
	strace -c -o "$tmp/b" "$prog" --only $k $((2 * n))
	# strace -c: "% time seconds usecs/call calls [errors] syscall".
	awk -v n="$n" -v kind="${kinds[$k]}" '
		$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
			c[$NF] += (FILENAME ~ /b$/ ? $4 : -$4)
		}
		END {
			for (s in c) {
				v = c[s] / n
				if (v < 0.05 && v > -0.05)
					continue
				line = line sprintf(" %s=%.2g", s, v)
				total += v
			}
			printf "syscalls %s %.3g%s\n", kind, total, line
		}' "$tmp/a" "$tmp/b"
done
