#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside a test VM by `make demo`: a server and a Winsock
# client in two network namespaces joined by a veth pair.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=$here/../build/examples
port=5001

cleanup() { ip netns del wsa-srv 2>/dev/null || true; ip netns del wsa-cli 2>/dev/null || true; }
trap cleanup EXIT

# wait_listen NS PORT: until something in NS listens on TCP PORT (a fixed
# sleep is too short for a server starting under emulation).
wait_listen() {
	local i
	for i in $(seq 100); do
		[ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2")" ] && return 0
		sleep 0.1
	done
	echo "demo: nothing listens on port $2 in $1 after 10 s" >&2
	return 1
}

echo "== wsaconnect demo on $(uname -r)"
echo "module: $(grep -o '^wsaconnect [0-9]* [0-9]*' /proc/modules || echo 'not loaded')"
ls -l /dev/wsaconnect

ip netns add wsa-srv
ip netns add wsa-cli
ip link add veth-cli netns wsa-cli type veth peer name veth-srv netns wsa-srv
ip -n wsa-srv addr add 192.0.2.1/24 dev veth-srv
ip -n wsa-srv addr add 2001:db8::1/64 dev veth-srv nodad
ip -n wsa-cli addr add 192.0.2.2/24 dev veth-cli
ip -n wsa-cli addr add 2001:db8::2/64 dev veth-cli nodad
for ns in wsa-srv wsa-cli; do
	ip -n $ns link set lo up
	ip -n $ns link set "veth-${ns#wsa-}" up
done

ip netns exec wsa-srv "$bin/demo-server" $port 2 &
server=$!
wait_listen wsa-srv $port

WSAECONNREFUSED=10061
WSAEADDRNOTAVAIL=10049
status=0
ip netns exec wsa-cli "$bin/demo-client" 192.0.2.1 $port || status=1
ip netns exec wsa-cli "$bin/demo-client" 2001:db8::1 $port || status=1
ip netns exec wsa-cli "$bin/demo-client" 192.0.2.1 $((port + 1)) $WSAECONNREFUSED || status=1
ip netns exec wsa-cli "$bin/demo-client" 0.0.0.0 $port $WSAEADDRNOTAVAIL || status=1
wait $server || status=1

# QoS: a Guaranteed flow at 1 Mbit/s, paced by fq on the client's veth;
# the SYN carries DSCP 40 (TOS 0xa0) and the receiver measures the rate.
rate=125000
echo "== QoS: Guaranteed, TokenRate $rate bytes/s, fq on the client's link"
ip netns exec wsa-cli tc qdisc replace dev veth-cli root fq
ip netns exec wsa-srv "$bin/demo-sink" 5003 &
sink=$!
ip netns exec wsa-srv timeout 20 tcpdump -l -n -v -c 1 -i veth-srv \
	'tcp dst port 5003 and tcp[tcpflags] & tcp-syn != 0' 2>/dev/null |
	grep -o 'tos 0x[0-9a-f]*' | sed 's/^/tcpdump: SYN carries /' &
dump=$!
wait_listen wsa-srv 5003
sleep 1	# tcpdump has no "ready" signal
ip netns exec wsa-cli "$bin/demo-qos-client" 192.0.2.1 5003 $rate 4 || status=1
wait $sink || status=1
wait $dump || true
ip netns exec wsa-cli tc -s qdisc show dev veth-cli | sed -n '1,3s/^/tc: /p'

# Connect data: the request in the SYN, the answer in lpCalleeData, with
# netem making the RTT 100 ms (50 ms each way).
echo "== connect data: one exchange over TCP Fast Open, RTT 100 ms"
ip netns exec wsa-srv sysctl -qw net.ipv4.tcp_fastopen=3
ip netns exec wsa-cli tc qdisc replace dev veth-cli root netem delay 50ms
ip netns exec wsa-srv tc qdisc replace dev veth-srv root netem delay 50ms
# Neighbour discovery first, so the exchange counts only its own trips.
ip netns exec wsa-cli ping -q -c 1 -W 2 192.0.2.1 >/dev/null || true
ip netns exec wsa-srv "$bin/demo-connectdata" server 5004 &
cdserver=$!
wait_listen wsa-srv 5004
ip netns exec wsa-cli "$bin/demo-connectdata" client 192.0.2.1 5004 100 || status=1
wait $cdserver || status=1

if [ $status -eq 0 ]; then
	echo "== demo: every WSAConnect behaved as on Windows"
else
	echo "== demo: something did not behave as expected (see above)"
fi
exit $status
