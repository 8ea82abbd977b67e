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
sleep 1

WSAECONNREFUSED=10061
WSAEADDRNOTAVAIL=10049
status=0
ip netns exec wsa-cli "$bin/demo-client" 192.0.2.1 $port || status=1
ip netns exec wsa-cli "$bin/demo-client" 2001:db8::1 $port || status=1
ip netns exec wsa-cli "$bin/demo-client" 192.0.2.1 $((port + 1)) $WSAECONNREFUSED || status=1
ip netns exec wsa-cli "$bin/demo-client" 0.0.0.0 $port $WSAEADDRNOTAVAIL || status=1
wait $server || status=1

if [ $status -eq 0 ]; then
	echo "== demo: every WSAConnect behaved as on Windows"
else
	echo "== demo: something did not behave as expected (see above)"
fi
exit $status
