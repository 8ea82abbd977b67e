#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside a test VM (scripts/vm-run): every figure of issue 14 as
# the median of repeated trials with its min-max spread, beside its goal.
# Figures are "result SECTION NAME MEDIAN MIN MAX GOAL" lines, kept with the
# rest of the output in $WSA_VM_OUT/bench.log, from which bench/report
# writes bench/README.md on the host.  Nothing here fails on a figure: a
# step that breaks is reported as such and the next one runs.
#
# Sizes and durations (environment; make bench passes them through):
#   WSA_BENCH_SECONDS      pacing: one-second intervals counted per flow (5)
#   WSA_BENCH_MBITS        pacing rates through fq, Mbit/s ("1 10 100")
#   WSA_BENCH_NOFQ_MBITS   TCP pacing rates without fq ("10 100")
#   WSA_BENCH_CONNECTIONS  connect cost: connections per kind and trial (1000)
#   WSA_BENCH_CONNECT_TRIALS                                  trials (7)
#   WSA_BENCH_STRACE_N     syscall counts: connections per count (200)
#   WSA_BENCH_TRIALS       connect data: trials per RTT (15)
#   WSA_BENCH_LOAD_CONNECTIONS  scale, admission: connections per trial (500)
#   WSA_BENCH_SCALE        scale: open sockets with QoS ("10000 100000")
#   WSA_BENCH_ADMITTED     admission: flows admitted beforehand (10000)
set -uo pipefail

bin=$(cd "$(dirname "$0")/.." && pwd)/build/bench
out=${WSA_VM_OUT:-/tmp}
secs=${WSA_BENCH_SECONDS:-5}

main() {
echo "meta guest_kernel $(uname -r)"
echo "meta guest_cpus $(nproc)"
echo "meta guest_mem_MiB $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)"

step() {	# step NAME COMMAND...: run, and say so if it broke
	local name=$1 rc
	shift
	"$@"
	rc=$?
	[ $rc -eq 0 ] || echo "failed $name (exit $rc)"
}

cleanup() { ip netns del wsab-srv 2>/dev/null; ip netns del wsab-cli 2>/dev/null; }
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

port=6000
# pace_one PROTO RATE NAME: one paced flow (RATE 4294967295: no cap).
pace_one() {
	local proto=$1 rate=$2 name=$3 recv
	port=$((port + 1))
	ip netns exec wsab-srv "$bin/pace" recv "$proto" $port "$secs" \
		"$([ "$rate" = 4294967295 ] && echo 0 || echo "$rate")" "$name" &
	recv=$!
	sleep 0.5
	ip netns exec wsab-cli "$bin/pace" send "$proto" 198.51.100.1 $port "$rate" "$secs"
	wait $recv
}

echo "# pacing: payload bytes received per second over TokenRate, ${secs} one-second intervals after the first second"
ip netns exec wsab-cli tc qdisc replace dev veth0 root fq
for proto in tcp udp; do
	# The highest rate: 80% of what an uncapped flow reaches through fq.
	pace_one $proto 4294967295 "${proto}_fq_uncapped_B/s" > "$out/max.$proto"
	cat "$out/max.$proto"
	max=$(awk '$1 == "result" { printf "%d", $4 * 0.8 }' "$out/max.$proto")
	for mbit in ${WSA_BENCH_MBITS:-1 10 100}; do
		step "pacing $proto $mbit" pace_one $proto $((mbit * 125000)) "${proto}_fq_${mbit}Mbit"
	done
	[ -n "$max" ] && [ "$max" -gt 0 ] &&
		step "pacing $proto max" pace_one $proto "$max" \
			"${proto}_fq_max$((max / 125000))Mbit"
done
# TCP paces itself: without fq (veth's default, no qdisc), the same cap.
ip netns exec wsab-cli tc qdisc del dev veth0 root 2>/dev/null
for mbit in ${WSA_BENCH_NOFQ_MBITS:-10 100}; do
	step "pacing tcp nofq $mbit" pace_one tcp $((mbit * 125000)) "tcp_nofq_${mbit}Mbit"
done

echo
step connect-cost ip netns exec wsab-cli "$bin/connect-cost" \
	"${WSA_BENCH_CONNECTIONS:-1000}" "${WSA_BENCH_CONNECT_TRIALS:-7}"

echo
step syscalls "$(dirname "$0")/syscalls.sh" "$bin/connect-cost" "${WSA_BENCH_STRACE_N:-200}"

echo
step connect-data "$bin/connect-data" "${WSA_BENCH_TRIALS:-15}"

echo "# scale: WSAConnect+FLOWSPEC with other sockets carrying QoS"
# shellcheck disable=SC2086
step scale "$bin/qos-load" scale "${WSA_BENCH_LOAD_CONNECTIONS:-500}" \
	"${WSA_BENCH_CONNECT_TRIALS:-7}" ${WSA_BENCH_SCALE:-10000 100000}

echo
echo "# admission: Guaranteed WSAConnect with flows admitted on the device"
step admission "$bin/qos-load" admission "${WSA_BENCH_LOAD_CONNECTIONS:-500}" \
	"${WSA_BENCH_CONNECT_TRIALS:-7}" "${WSA_BENCH_ADMITTED:-10000}"

echo
step wait-scale "$bin/wait-scale" 10000 4 3
}

# The guest has no /dev/fd, so no process substitution: a pipe to tee.
main 2>&1 | tee "$out/bench.log"
exit 0
