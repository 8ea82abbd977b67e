#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside a test VM: pacing accuracy (receiver goodput / the
# TokenRate asked for) for TCP and UDP through fq on a veth link, and the
# cost ratios of connect-cost.  Ratios only: absolute numbers depend on the
# machine (and TCG is slow), ratios measured in one run do not as much.
set -euo pipefail

bin=$(cd "$(dirname "$0")/.." && pwd)/build/bench
secs=${WSA_BENCH_SECONDS:-3}

cleanup() { ip netns del wsab-srv 2>/dev/null || true; ip netns del wsab-cli 2>/dev/null || true; }
trap cleanup EXIT
ip netns add wsab-srv
ip netns add wsab-cli
ip link add veth0 netns wsab-cli type veth peer name veth0 netns wsab-srv
ip -n wsab-srv addr add 198.51.100.1/24 dev veth0
ip -n wsab-cli addr add 198.51.100.2/24 dev veth0
for ns in wsab-srv wsab-cli; do
	ip -n $ns link set lo up
	ip -n $ns link set veth0 up
done
ip netns exec wsab-cli tc qdisc replace dev veth0 root fq

echo "# pacing: receiver goodput / TokenRate, fq on the sender's link, ${secs}s each"
printf '%-6s %10s %12s %12s %7s\n' proto Mbit/s asked_B/s got_B/s ratio
port=6000
for proto in ${WSA_BENCH_PROTOS:-tcp udp}; do
	for mbit in ${WSA_BENCH_MBITS:-1 10 50}; do
		rate=$((mbit * 125000))
		port=$((port + 1))
		out=$(mktemp)
		ip netns exec wsab-srv "$bin/pace" recv $proto $port "$secs" >"$out" &
		recv=$!
		sleep 0.5
		ip netns exec wsab-cli "$bin/pace" send $proto 198.51.100.1 $port $rate "$secs" || true
		wait $recv || true
		got=$(awk '/goodput/ { print $2 }' "$out")
		rm -f "$out"
		printf '%-6s %10s %12s %12s %7s\n' $proto $mbit $rate "${got:-0}" \
			"$(awk -v g="${got:-0}" -v r=$rate 'BEGIN { printf "%.3f", g / r }')"
	done
done

echo
ip netns exec wsab-cli "$bin/connect-cost" "${WSA_BENCH_CONNECTIONS:-2000}"

echo
"$bin/wait-scale" "${WSA_BENCH_SOCKETS:-10000}" "${WSA_BENCH_WAITERS:-4}" "${WSA_BENCH_WAIT_SECONDS:-3}"

echo
"$bin/connect-data" "${WSA_BENCH_TRIALS:-15}"
