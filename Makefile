# SPDX-License-Identifier: GPL-2.0
#
# wsaconnect: Winsock WSAConnect semantics for Linux sockets.
#
#   make           wsaconnect.ko for one kernel and libwsaconnect
#   make modules   wsaconnect.ko for KDIR (default: the running kernel's
#                  build directory), in build/modules/
#   make lib       libwsaconnect in build/lib/
#   make demo      install what is missing, build, boot a VM, load the module
#                  and connect a client to a server with WSAConnect
#   make check     every test: static checks, all kernel lanes, VM runs
#   make lanes     wsaconnect.ko for every test lane, in build/<lane>/
#   make deps      install the Debian packages the tests and the demo need
#
# Building (all, modules, lib) needs a compiler and kernel headers only:
# no root, no network.  The test, demo and bench targets install what they
# need; their kernels come from Debian packages (scripts/kernel-lane),
# cached outside the tree in ~/.cache/wsaconnect (WSA_CACHE_DIR).

LANES := stock-6.1 stock-6.12 debug
BUILD := $(CURDIR)/build
KDIR ?= /lib/modules/$(shell uname -r)/build
KSRC = $(shell scripts/linux-source-files)
KERNEL_SOURCES := $(wildcard module/*.c module/*.h module/tests/*.c) \
		  uapi/linux/wsaconnect.h
DEMO_LANE ?= stock-6.1

all: modules lib

deps:
	@scripts/install-deps

# The module for one kernel, from its headers alone.
modules:
	@test -e "$(KDIR)/Makefile" || { \
		echo "make modules: no kernel build directory at $(KDIR):" >&2; \
		echo "  install the headers of the kernel to build for (Debian:" >&2; \
		echo "  apt-get install linux-headers-$$(uname -r)) or pass KDIR=DIR" >&2; \
		exit 1; }
	@mkdir -p $(BUILD)/modules
	@rsync -a Kbuild module uapi $(BUILD)/modules/
	$(MAKE) -C "$(KDIR)" M=$(BUILD)/modules modules

lanes: $(addprefix module-,$(LANES))

# One copy of the sources per test lane, so that the lanes' objects never mix.
module-%: deps
	@mkdir -p $(BUILD)/$*
	@rsync -a Kbuild module uapi $(BUILD)/$*/
	$(MAKE) -C "$$(scripts/kernel-lane $* kdir)" M=$(BUILD)/$* \
		KCFLAGS=-Werror W=1 modules

lib:
	$(MAKE) -C lib O=$(BUILD)/lib$(if $(M32),32,) $(if $(M32),M32=1,)

selftests: lib
	$(MAKE) -C selftests install

checkpatch: deps
	perl $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse -f $(KERNEL_SOURCES) \
		$(wildcard selftests/runner/warn_module/*.c)

kernel-doc: deps
	perl $(KSRC)/scripts/kernel-doc -none -Werror $(KERNEL_SOURCES)

# sparse over every module source, against the stock 6.1 headers.
sparse: deps
	@mkdir -p $(BUILD)/sparse
	@rsync -a Kbuild module uapi $(BUILD)/sparse/
	$(MAKE) -C "$$(scripts/kernel-lane stock-6.1 kdir)" M=$(BUILD)/sparse \
		C=2 CHECK="sparse -Wsparse-error" modules

check: deps
	@scripts/check

demo: deps module-$(DEMO_LANE) lib
	$(MAKE) -C examples
	scripts/vm-run --kernel $(DEMO_LANE) -- examples/demo.sh

# Ratios measured in one run (pacing accuracy, WSAConnect's cost); not
# part of make check, which asserts behaviour, never speed.
BENCH_LANE ?= stock-6.1
bench: deps module-$(BENCH_LANE) lib
	$(MAKE) -C bench
	scripts/vm-run --kernel $(BENCH_LANE) -- bench/bench.sh

clean:
	rm -rf $(BUILD)
	$(MAKE) -C lib clean O=$(BUILD)/lib >/dev/null 2>&1 || true

.PHONY: all deps modules lanes lib selftests checkpatch kernel-doc sparse check demo bench clean
