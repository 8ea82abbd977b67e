#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/runner/run.sh [LANE]: test scripts/vm-run itself on one kernel
# lane (default stock-6.1).  Boots three guests: a command's exit status and
# output must come back, a clean run must pass, and a module that WARNs at
# load must fail the run with the WARNING named.  Prints KTAP; exits
# non-zero if any test failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
lane=${1:-stock-6.1}
case $lane in stock-6.1|stock-6.12|debug|mainline) ;; *)
	echo "usage: $0 [stock-6.1|stock-6.12|debug|mainline]" >&2
	exit 2
	;;
esac
out=$top/build/runner/$lane
mkdir -p "$out"
vmrun=$top/scripts/vm-run
n=0 failed=0

ok() {
	n=$((n + 1))
	echo "ok $n $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $*"
}

# check DESC CONDITION...: one KTAP line for the condition's truth.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# vm LOG COMMAND...: run vm-run, keep stdout and stderr, return its status.
vm() {
	local log=$1 rc=0
	shift
	"$vmrun" --kernel "$lane" "$@" >"$log.out" 2>"$log.err" || rc=$?
	sed "s/^/# /" "$log.err"
	return $rc
}

echo "TAP version 13"
echo "1..8"
echo "# vm-run self-test on $lane"

# The warn module first: building it also prepares the lane.
kdir=$("$top/scripts/kernel-lane" "$lane" kdir)
if make -s -C "$top/selftests/runner/warn_module" KDIR="$kdir" OUT="$out/warn_module" \
	>"$out/warn_module.log" 2>&1; then
	ok "warn module builds against $lane"
else
	sed 's/^/# /' "$out/warn_module.log"
	not_ok "warn module builds against $lane"
fi

rc=0
start=$SECONDS
vm "$out/exit7" --no-module -- sh -c 'echo runner-stdout-line; echo runner-stderr-line >&2; exit 7' || rc=$?
echo "# exit 7 run took $((SECONDS - start))s"
check "a command's exit status comes back (7, got $rc)" [ "$rc" -eq 7 ]
check "a command's stdout is streamed" grep -qx runner-stdout-line "$out/exit7.out"
check "a command's stderr is streamed" grep -q runner-stderr-line "$out/exit7.out" "$out/exit7.err"

rc=0
start=$SECONDS
vm "$out/clean" --no-module -- sh -c 'ip link add d0 type dummy && tc qdisc add dev d0 root fq' || rc=$?
echo "# clean run took $((SECONDS - start))s"
check "a clean run with module autoload exits 0 (got $rc)" [ "$rc" -eq 0 ]
dmesg=$(sed -n 's/^vm-run: guest dmesg: //p' "$out/clean.err")
check "the guest's dmesg is saved and named" [ -s "${dmesg:-/nonexistent}" ]

rc=0
vm "$out/warn" --module "$out/warn_module/wsa_runner_warn.ko" -- true || rc=$?
check "a module that WARNs fails the run (got $rc)" [ "$rc" -ne 0 ]
check "the failure names the WARNING" grep -q 'WARNING:' "$out/warn.err"

if [ $failed -eq 0 ]; then
	echo "# vm-run self-test: $n passed, 0 failed"
else
	echo "# vm-run self-test: $((n - failed)) passed, $failed failed"
fi
[ $failed -eq 0 ]
