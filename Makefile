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
#                  (mainline builds a 7.x kernel first: about 25 minutes cold)
#   make deps      install the Debian packages the tests and the demo need
#   make tools     the wsaqos tool, in build/tools/
#   make scale     kernel memory and times for 100000 sockets with QoS
#   make fuzz      a long fuzzing pass in the debug VM (FUZZ_SECONDS, FUZZ_SEED)
#   make stress    a long concurrency stress pass (STRESS_SECONDS)
#   make coverage  gcov line coverage of the module by the tests, on the
#                  debug lane (build/coverage/; not part of make check)
#
# Installing (Documentation/install.rst):
#   make install [PREFIX=/usr/local] [DESTDIR=] [LIBDIR=...]
#                  library, headers, wsaconnect.pc, man pages, wsaqos
#   make uninstall the same files removed
#   make modules_install [KDIR=...] [INSTALL_MOD_PATH=] [SIGN_KEY= SIGN_CERT=]
#                  wsaconnect.ko into /lib/modules/<kver>/updates, depmod
#   make dkms-source [DESTDIR=]  the DKMS tree in /usr/src/wsaconnect-VERSION
#   make deb       the Debian packages, in build/deb/ (installs debhelper,
#                  dh-dkms, dkms and lintian first: make pkg-deps)
#   make man-check every man page through man --warnings
#
# Building (all, modules, lib) needs a compiler and kernel headers only:
# no root, no network.  The test, demo and bench targets install what they
# need; their kernels come from Debian packages (scripts/kernel-lane),
# cached outside the tree in ~/.cache/wsaconnect (WSA_CACHE_DIR).

LANES := stock-6.1 stock-6.12 debug mainline
BUILD := $(CURDIR)/build
KDIR ?= /lib/modules/$(shell uname -r)/build
KSRC = $(shell scripts/linux-source-files)
KERNEL_SOURCES := $(wildcard module/*.c module/*.h module/tests/*.c) \
		  uapi/linux/wsaconnect.h
DEMO_LANE ?= stock-6.1

all: modules lib tools

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

# module/compat.h is where the kernel version checks live, and the only
# file where checkpatch's rules against them (meant for in-tree code) yield.
checkpatch: deps
	perl $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		-f $(filter-out module/compat.h,$(KERNEL_SOURCES)) \
		$(wildcard selftests/runner/warn_module/*.c)
	perl $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f module/compat.h

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

# Every figure of issue 14 (connect cost, pacing, connect data, scale,
# admission) as medians of repeated trials beside their goals, in one VM
# run; bench/README.md is written from that run.  Not part of make check,
# which asserts behaviour, never speed: a figure off its goal fails nothing.
# WSA_BENCH_* variables (bench/bench.sh) set sizes and durations.
BENCH_LANE ?= stock-6.1
BENCH_VARS = $(foreach v,$(filter WSA_BENCH_%,$(.VARIABLES)),$(v)=$($(v)))
bench: deps module-$(BENCH_LANE) lib
	$(MAKE) -C bench
	@rm -rf $(BUILD)/bench/out
	@start=$$(date +%s); \
	scripts/vm-run --kernel $(BENCH_LANE) --out $(BUILD)/bench/out -- \
		env $(BENCH_VARS) bench/bench.sh; rc=$$?; \
	wall=$$(( $$(date +%s) - start )); \
	if [ -s $(BUILD)/bench/out/bench.log ]; then \
		WSA_BENCH_WALL="$$((wall / 60)) min $$((wall % 60)) s" \
			bench/report $(BUILD)/bench/out/bench.log $(BENCH_LANE) > bench/README.md; \
		echo "make bench: $$wall s; bench/README.md written"; fi; \
	exit $$rc

# --- install, packages, man pages (Documentation/install.rst) ---------------

PKG_VERSION := $(shell sed -n 's/^VERSION := //p' lib/Makefile)
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
INSTALL_MOD_DIR ?= updates
MAN_PAGES := $(sort $(wildcard man/*.[1-8]))
PKG_DEPS := debhelper dh-dkms dkms lintian groff man-db fakeroot pkg-config
INSTALL_VARS = PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) LIBDIR=$(LIBDIR) \
	INCLUDEDIR=$(INCLUDEDIR)

tools:
	$(MAKE) -C tools/wsaqos O=$(BUILD)/tools

install: lib tools
	$(MAKE) -C lib install O=$(BUILD)/lib $(INSTALL_VARS)
	$(MAKE) -C tools/wsaqos install O=$(BUILD)/tools $(INSTALL_VARS) SBINDIR=$(SBINDIR)
	$(MAKE) install-man

install-man:
	@set -e; for p in $(MAN_PAGES); do \
		s=$${p##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		echo "install -m 644 $$p $(DESTDIR)$(MANDIR)/man$$s/"; \
		install -m 644 $$p $(DESTDIR)$(MANDIR)/man$$s/; done

uninstall:
	$(MAKE) -C tools/wsaqos uninstall $(INSTALL_VARS) SBINDIR=$(SBINDIR)
	rm -f $(DESTDIR)$(LIBDIR)/libwsaconnect.so $(DESTDIR)$(LIBDIR)/libwsaconnect.so.1 \
		$(DESTDIR)$(LIBDIR)/libwsaconnect.so.$(PKG_VERSION) \
		$(DESTDIR)$(LIBDIR)/libwsaconnect.a $(DESTDIR)$(LIBDIR)/pkgconfig/wsaconnect.pc \
		$(DESTDIR)$(INCLUDEDIR)/linux/wsaconnect.h
	rm -rf $(DESTDIR)$(INCLUDEDIR)/wsaconnect
	@for p in $(MAN_PAGES); do s=$${p##*.}; \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/$${p##*/}; done

# The module for KDIR into <INSTALL_MOD_PATH>/lib/modules/<kver>/updates,
# through the kernel's own modules_install, then depmod unless staged in
# INSTALL_MOD_PATH (Debian's headers lack the System.map with which kbuild
# would run it).  Debian's headers also lack the kernel's signing key: the
# module is signed only with SIGN_KEY=... SIGN_CERT=... (a MOK,
# Documentation/install.rst).
MOD_KVER = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$(KDIR)/include/generated/utsrelease.h" 2>/dev/null)
SIGN_KEY ?=
SIGN_CERT ?=
MODULE_DEST = $(INSTALL_MOD_PATH)/lib/modules/$(MOD_KVER)/$(INSTALL_MOD_DIR)/wsaconnect.ko
modules_install: modules
	$(MAKE) -C "$(KDIR)" M=$(BUILD)/modules INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		$(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=) \
		modules_install
	$(if $(SIGN_KEY),"$(KDIR)/scripts/sign-file" sha256 "$(SIGN_KEY)" "$(SIGN_CERT)" $(MODULE_DEST))
	$(if $(INSTALL_MOD_PATH),,depmod $(MOD_KVER))

# What DKMS builds from: /usr/src/wsaconnect-VERSION.
DKMS_SRC = $(DESTDIR)/usr/src/wsaconnect-$(PKG_VERSION)
dkms-source:
	install -d $(DKMS_SRC)
	cp -R Kbuild module uapi $(DKMS_SRC)/
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(PKG_VERSION)"/' dkms.conf > $(DKMS_SRC)/dkms.conf

# The packaging tools, for make deb and make man-check only.
pkg-deps:
	@missing=; for p in $(PKG_DEPS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || \
			missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "make pkg-deps: missing:$$missing; run as root or apt-get install them" >&2; \
			exit 1; fi; \
		echo "make pkg-deps: installing$$missing" >&2; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 \
			$$missing >/dev/null; fi

# Binary packages from a clean copy of the tree, into build/deb/.
deb: pkg-deps
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/wsaconnect-$(PKG_VERSION)
	if git rev-parse --git-dir >/dev/null 2>&1; then \
		git ls-files -z | rsync -a --from0 --files-from=- ./ $(BUILD)/deb/wsaconnect-$(PKG_VERSION)/; \
	else \
		rsync -a --exclude=/build --exclude=.git ./ $(BUILD)/deb/wsaconnect-$(PKG_VERSION)/; fi
	@echo "make deb: dpkg-buildpackage (1 to 2 minutes); log in $(BUILD)/deb/build.log"
	cd $(BUILD)/deb/wsaconnect-$(PKG_VERSION) && \
		dpkg-buildpackage -us -uc -b > $(BUILD)/deb/build.log 2>&1 || \
		{ tail -30 $(BUILD)/deb/build.log; echo "make deb: failed; see $(BUILD)/deb/build.log" >&2; exit 1; }
	@ls -1 $(BUILD)/deb/*.deb

lintian: deb
	lintian --fail-on error,warning --info $(BUILD)/deb/*.changes

# Each page as installed (so that ".so man3/X.3" links resolve), through
# man --warnings: any warning fails.
man-check: pkg-deps
	@rm -rf $(BUILD)/man-check
	@$(MAKE) -s install-man DESTDIR= MANDIR=$(BUILD)/man-check >/dev/null
	@cd $(BUILD)/man-check && fail=0; for p in $(notdir $(MAN_PAGES)); do \
		p=man$${p##*.}/$$p; \
		out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z $$p 2>&1 >/dev/null); \
		if [ -n "$$out" ]; then echo "man/$${p##*/}:"; echo "$$out"; fail=1; fi; \
	done; [ $$fail -eq 0 ] && echo "man pages: $(words $(MAN_PAGES)) ok"

.PHONY: tools install install-man uninstall modules_install dkms-source pkg-deps deb lintian man-check

# Kernel memory per socket, /proc/net/wsaconnect_qos read time and teardown
# cost for SCALE_N sockets with QoS per protocol (Documentation/qos.rst,
# "Scale"); not part of make check.  The VM has WSA_VM_MEM MiB (2048).
SCALE_LANE ?= stock-6.1
SCALE_N ?= 100000
scale: deps module-$(SCALE_LANE) lib
	@mkdir -p $(BUILD)/scale
	$(CC) -O2 -Wall -Werror -D_GNU_SOURCE -Ilib/include -Iuapi \
		-o $(BUILD)/scale/qos_scale selftests/scale/qos_scale.c \
		$(BUILD)/lib/libwsaconnect.a -lpthread
	scripts/vm-run --kernel $(SCALE_LANE) -- $(BUILD)/scale/qos_scale $(SCALE_N)

# Long passes of the fuzzer and the stress test, one VM each, on the debug
# lane by default (FUZZ_LANE); Documentation/testing.rst says how to
# reproduce a seed.  make check runs short passes of both.
FUZZ_LANE ?= debug
fuzz stress: deps module-$(FUZZ_LANE) selftests
	FUZZ_LANE=$(FUZZ_LANE) scripts/fuzz-run $@

# Line coverage of wsaconnect.ko (GCOV_PROFILE, debug lane): the module
# built apart in build/coverage/, make check's debug-lane suite run
# against it, gcov on the host (scripts/coverage).
coverage: deps
	@scripts/coverage

clean:
	rm -rf $(BUILD)
	$(MAKE) -C lib clean O=$(BUILD)/lib >/dev/null 2>&1 || true

.PHONY: all deps modules lanes lib selftests checkpatch kernel-doc sparse check demo bench scale fuzz stress coverage clean
