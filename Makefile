# SPDX-License-Identifier: GPL-2.0
#
# wsaconnect: Winsock WSAConnect semantics for Linux sockets.
#
#   make demo     install what is missing, build, boot a VM, load the module
#                 and connect a client to a server with WSAConnect
#   make check    every test: static checks, all kernel lanes, VM runs
#   make modules  wsaconnect.ko for every lane, in build/<lane>/
#   make lib      libwsaconnect in build/lib/
#   make fuzz     a long fuzzing pass in the debug VM (FUZZ_SECONDS, FUZZ_SEED)
#   make stress   a long concurrency stress pass (STRESS_SECONDS)
#
# Kernels come from Debian packages (scripts/kernel-lane); everything is
# cached outside the tree in ~/.cache/wsaconnect (WSA_CACHE_DIR).

LANES := stock-6.1 stock-6.12 debug
BUILD := $(CURDIR)/build
KSRC = $(shell scripts/linux-source-files)
KERNEL_SOURCES := $(wildcard module/*.c module/*.h module/tests/*.c) \
		  uapi/linux/wsaconnect.h
DEMO_LANE ?= stock-6.1

all: modules lib

deps:
	@scripts/install-deps

modules: $(addprefix module-,$(LANES))

# One copy of the sources per lane, so that the lanes' objects never mix.
module-%: deps
	@mkdir -p $(BUILD)/$*
	@rsync -a Kbuild module uapi $(BUILD)/$*/
	$(MAKE) -C "$$(scripts/kernel-lane $* kdir)" M=$(BUILD)/$* \
		KCFLAGS=-Werror W=1 modules

lib: deps
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

# Long passes of the fuzzer and the stress test, one VM each, on the debug
# lane by default (FUZZ_LANE); Documentation/testing.rst says how to
# reproduce a seed.  make check runs short passes of both.
FUZZ_LANE ?= debug
fuzz stress: deps module-$(FUZZ_LANE) selftests
	FUZZ_LANE=$(FUZZ_LANE) scripts/fuzz-run $@

clean:
	rm -rf $(BUILD)
	$(MAKE) -C lib clean O=$(BUILD)/lib >/dev/null 2>&1 || true

.PHONY: all deps modules lib selftests checkpatch kernel-doc sparse check demo bench fuzz stress clean
