/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by fuzz_test, stress_test and failinject_test: a seeded
 * PRNG, a watcher of the kernel log that names the iteration during which
 * a splat appeared, dropping privileges, the module's refcount and the
 * /proc/net/wsaconnect_* counters.  Include after kselftest_harness.h.
 */
#ifndef WSAC_FUZZ_HELPERS_H
#define WSAC_FUZZ_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* splitmix64: small, fast, and every seed gives a good stream. */
struct wsac_rng {
	uint64_t s;
};

static inline uint64_t wsac_rng_next(struct wsac_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The stream of iteration @iter of a run with seed @seed, phase @phase. */
static inline void wsac_rng_seed(struct wsac_rng *r, uint64_t seed,
				 uint64_t phase, uint64_t iter)
{
	r->s = seed ^ (phase * 0xd1b54a32d192ed03ULL);
	wsac_rng_next(r);
	r->s ^= iter * 0x8cb92ba72f3d8dd7ULL;
	wsac_rng_next(r);
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t wsac_rnd(struct wsac_rng *r, uint32_t n)
{
	return (uint32_t)(wsac_rng_next(r) % n);
}

/* True with probability 1/n. */
static inline int wsac_one_in(struct wsac_rng *r, uint32_t n)
{
	return wsac_rnd(r, n) == 0;
}

static inline void wsac_rnd_bytes(struct wsac_rng *r, void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = (unsigned char)wsac_rng_next(r);
}

static inline double wsac_fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* An unsigned number from the environment, or @def. */
static inline uint64_t wsac_env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	if (!v || !*v)
		return def;
	return strtoull(v, NULL, 0);
}

/*
 * Is @cls listed in FUZZ_SKIP (comma separated)?  "all-known" lists the
 * classes of known, not yet fixed module bugs.
 */
static inline int wsac_skip(const char *cls)
{
	const char *v = getenv("FUZZ_SKIP");
	size_t n = strlen(cls);
	const char *p;

	if (!v)
		return 0;
	for (p = v; (p = strstr(p, cls)); p += n)
		if ((p == v || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
			return 1;
	return 0;
}

/*
 * The kernel log watcher.  Opened (as root) before the test does anything,
 * positioned at the end; wsac_kmsg_splat() reads what was logged since and
 * returns 1 with the first splat line in @line.  The patterns are those of
 * scripts/vm-run.
 */
static inline int wsac_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline int wsac_is_splat(const char *s)
{
	static const char *const pats[] = {
		"Oops", "BUG:", "WARNING:", "KASAN:", "UBSAN:",
		"general protection fault", "Kernel panic",
		"possible circular locking", "possible recursive locking",
		"inconsistent lock state", "INFO: possible", "Call Trace",
		"soft lockup", "unreferenced object", "list_add corruption",
		"list_del corruption",
	};
	size_t i;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		if (strstr(s, pats[i]))
			return 1;
	return 0;
}

static inline int wsac_kmsg_splat(int fd, char *line, size_t size)
{
	char buf[2048];
	ssize_t n;

	if (fd < 0)
		return 0;
	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records: go on */
				continue;
			return 0;
		}
		if (n == 0)
			return 0;
		buf[n] = 0;
		if (wsac_is_splat(buf)) {
			char *msg = strchr(buf, ';');
			size_t l;

			msg = msg ? msg + 1 : buf;
			l = strcspn(msg, "\n");
			if (l >= size)
				l = size - 1;
			memcpy(line, msg, l);
			line[l] = 0;
			return 1;
		}
	}
}

/* Leave a mark in the kernel log (root only; best effort). */
static inline void wsac_kmsg_mark(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void wsac_kmsg_mark(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int fd;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(fd, buf, strlen(buf)) < 0)
		;
	close(fd);
}

/*
 * Become uid/gid 65534 with no capabilities at all (nothing permitted,
 * nothing inheritable, an empty bounding set for what matters) and
 * no_new_privs.  Return: 0 or -1.
 */
static inline int wsac_drop_to_nobody(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -1;
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d))
		return -1;
	if (syscall(SYS_capget, &h, d))
		return -1;
	if (d[0].effective || d[0].permitted || d[1].effective || d[1].permitted)
		return -1;
	/* Changing uid made us undumpable: /proc/self/uid_map would be root's. */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/*
 * The sum of the reserved and sockets columns of
 * /proc/net/wsaconnect_admission (the current namespace), and its line
 * count without the header.  Return: 0 or -1.
 */
struct wsac_adm_totals {
	unsigned long long reserved;
	unsigned long long sockets;
	unsigned int links;
};

static inline int wsac_adm_totals(struct wsac_adm_totals *t)
{
	FILE *f = fopen("/proc/net/wsaconnect_admission", "re");
	char line[512], name[64], cap[32];
	unsigned long long res, socks;
	int ifindex;

	memset(t, 0, sizeof(*t));
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %d %31s %llu %llu", name, &ifindex, cap,
			   &res, &socks) != 5)
			continue;
		t->reserved += res;
		t->sockets += socks;
		t->links++;
	}
	fclose(f);
	return 0;
}

/* Lines of /proc/net/wsaconnect_qos without the header, or -1. */
static inline int wsac_qos_lines(void)
{
	FILE *f = fopen("/proc/net/wsaconnect_qos", "re");
	char line[512];
	int n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/* delete_module(2) without waiting: 0, or -1 with errno. */
static inline int wsac_fz_unload(void)
{
	return syscall(__NR_delete_module, "wsaconnect", O_NONBLOCK);
}

static inline int wsac_fz_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = syscall(__NR_finit_module, fd, "", 0);
	close(fd);
	return rc;
}

/*
 * Unload, retrying while sockets with state are being destroyed (RCU,
 * TCP's orphan draining), for at most @secs.  Return: 0, or -1 with the
 * last errno.
 */
static inline int wsac_fz_unload_wait(double secs)
{
	double end = wsac_fz_now() + secs;
	int rc;

	for (;;) {
		rc = wsac_fz_unload();
		if (!rc || (errno != EBUSY && errno != EAGAIN) ||
		    wsac_fz_now() > end)
			return rc;
		usleep(100 * 1000);
	}
}

#endif /* WSAC_FUZZ_HELPERS_H */
