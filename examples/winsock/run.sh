#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the Winsock example pairs on loopback, in a network namespace of
# their own, and checks what they print.  Needs the module loaded, so it
# runs inside a test VM:
#
#   make module-stock-6.1 lib && make -C examples/winsock linux
#   scripts/vm-run --kernel stock-6.1 -- examples/winsock/run.sh
#
# Ends with "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${WSA_EXAMPLES_BIN:-$top/build/examples/winsock/linux}
ns=wsa-winsock-examples

if [ "${1:-}" != --inside ]; then
	for p in gs-server gs-client pollserver byname bylist qos-sender qos-receiver \
		 udp-echo udp-client; do
		if [ ! -x "$bin/$p" ]; then
			make -s -C "$here" linux || exit 1
			break
		fi
	done
	ip netns del $ns 2>/dev/null || true
	ip netns add $ns || exit 1
	ip -n $ns link set lo up
	ip netns exec $ns "$0" --inside
	rc=$?
	ip netns del $ns
	exit $rc
fi

out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT
passed=0
failed=0

check() {	# check FILE TEXT: FILE has a line containing TEXT
	if grep -qF -- "$2" "$1"; then
		echo "ok - $(basename "$1"): $2"
		passed=$((passed + 1))
	else
		echo "not ok - $(basename "$1"): $2"
		sed 's/^/#   /' "$1"
		failed=$((failed + 1))
	fi
}

wait_for() {	# wait_for FILE TEXT: until a server says it is ready
	local i
	for i in $(seq 1 100); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

echo "== Winsock examples on $(uname -r)"

# 1. The getting-started pair (C++): getaddrinfo, socket, connect, accept.
"$bin/gs-server" 27015 >"$out/gs-server" 2>&1 &
srv=$!
wait_for "$out/gs-server" "listening"
"$bin/gs-client" localhost 27015 >"$out/gs-client" 2>&1
wait $srv
check "$out/gs-server" "server: client from 127.0.0.1 (address length 16)"
check "$out/gs-server" "server: bytes received: 14"
check "$out/gs-server" "server: connection closing..."
check "$out/gs-client" "client: bytes sent: 14"
check "$out/gs-client" "client: bytes received: 14"
check "$out/gs-client" "client: connection closed"

# 2. The WSAPoll server on 0.0.0.0 and [::] (v6-only sockets), with
#    WSAAccept deferring its first connection; clients by name and by list.
"$bin/pollserver" 27016 3 >"$out/pollserver" 2>&1 &
srv=$!
wait_for "$out/pollserver" "listening on [::]:27016"
"$bin/byname" localhost 27016 >"$out/byname" 2>&1
"$bin/bylist" 27016 ::1 127.0.0.1 >"$out/bylist-v6" 2>&1
"$bin/bylist" 27016 127.0.0.1 >"$out/bylist-v4" 2>&1
wait $srv
check "$out/pollserver" "pollserver: listening on 0.0.0.0:27016"
check "$out/pollserver" "pollserver: listening on [::]:27016"
check "$out/pollserver" "pollserver: deferring a connection from"
check "$out/pollserver" "pollserver: WSAAccept: WSATRY_AGAIN"
check "$out/pollserver" "pollserver: accepting a connection from 127.0.0.1"
check "$out/pollserver" "pollserver: accepting a connection from ::1"
check "$out/pollserver" "pollserver: accepted (IPv4, address length 16)"
check "$out/pollserver" "pollserver: accepted (IPv6, address length 28)"
check "$out/pollserver" "pollserver: served 3 clients"
check "$out/byname" "byname: connected to"
check "$out/byname" "byname: reply: BY NAME"
check "$out/bylist-v6" "bylist: connected to [::1]:27016"
check "$out/bylist-v6" "bylist: sent 8, reply: BY LIST"
check "$out/bylist-v4" "bylist: connected to [::ffff:127.0.0.1]:27016"
check "$out/bylist-v4" "bylist: sent 8, reply: BY LIST"

# 3. The event-based QoS pair: WSAEnumProtocols, WSASocket from protocol
#    info, WSAConnect with a FLOWSPEC, SIO_SET_QOS and FD_QOS, SIO_CHK_QOS.
"$bin/qos-receiver" 27017 >"$out/qos-receiver" 2>&1 &
srv=$!
wait_for "$out/qos-receiver" "listening"
"$bin/qos-sender" 27017 >"$out/qos-sender" 2>&1
wait $srv
check "$out/qos-receiver" "qos-receiver: QoS provider found (XP1_QOS_SUPPORTED)"
check "$out/qos-receiver" "qos-receiver: sender connected"
check "$out/qos-receiver" "qos-receiver: received 65536 bytes"
check "$out/qos-sender" "qos-sender: connected with a Controlled Load flowspec"
check "$out/qos-sender" "qos-sender: FD_QOS signalled"
check "$out/qos-sender" "qos-sender: allowed to send: yes"
check "$out/qos-sender" "qos-sender: sent 65536 bytes"

# 4. UDP: select(0, ...) as Winsock programs call it, recvfrom with an int
#    length; GetAddrInfoW, WSASendTo, WSARecvFrom and WSAEMSGSIZE.
"$bin/udp-echo" 27018 2 >"$out/udp-echo" 2>&1 &
srv=$!
wait_for "$out/udp-echo" "ready"
"$bin/udp-client" 127.0.0.1 27018 >"$out/udp-client" 2>&1
wait $srv
check "$out/udp-echo" "udp-echo: 8 bytes from a 16-byte address"
check "$out/udp-echo" "udp-echo: 10 bytes from a 16-byte address"
check "$out/udp-client" "udp-client: sent 8, reply: desserts"
check "$out/udp-client" "udp-client: WSARecvFrom: error 10040, 4 bytes kept: 9876"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
