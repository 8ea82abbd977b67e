// SPDX-License-Identifier: GPL-2.0
/*
 * Copying the caller's buffers without trusting the pointers.
 *
 * Winsock reports a bad pointer as WSAEFAULT; dereferencing it here would
 * kill the process instead.  The bytes are copied through the kernel,
 * which reports an unmapped address as EFAULT.  The rule above all: a
 * probe never turns a valid pointer into an error, or into a crash.
 *
 * 1. process_vm_readv/writev on the calling *thread* (gettid(), not
 *    getpid(): once main() called pthread_exit() the leader has no mm and
 *    the pid gives ESRCH).  One syscall; no privilege needed on oneself.
 *    Not used when the thread runs under a seccomp filter (Seccomp: 2 in
 *    /proc/thread-self/status, or that file unreadable): a filter may kill
 *    or trap on it (systemd's SystemCallFilter= does), and a killed
 *    process cannot fall back.
 * 2. A pipe: write(2) from the source and read(2) into the destination
 *    report a bad address as EFAULT.  Two descriptors and four syscalls.
 * 3. Neither available (ENOSYS/EPERM/ESRCH, then no descriptor left):
 *    the pointer is taken as valid and copied directly, as Windows itself
 *    would dereference it; a bad pointer may then crash, a good one never
 *    fails.
 *
 * The seccomp state is looked up once per thread and again after each
 * WSAStartup() and in a forked child (filters can be added, never removed).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

enum { WSAC_PROBE_UNKNOWN, WSAC_PROBE_VM, WSAC_PROBE_NO_VM };

static unsigned int wsac_probe_generation = 1;
static WSAC_TLS unsigned int wsac_probe_seen;
static WSAC_TLS int wsac_probe_mode;

/* WSAStartup() and fork(): look at the seccomp state again. */
void wsac_probe_recheck(void)
{
	__atomic_add_fetch(&wsac_probe_generation, 1, __ATOMIC_RELAXED);
}

/* Async-signal-safe: open, read and close only. */
static bool wsac_seccomp_filtered(void)
{
	static const char key[] = "\nSeccomp:";
	char buf[2048];
	ssize_t n;
	size_t len = 0;
	char *p;
	int fd = open("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return true;	/* cannot tell: assume the worst */
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	p = strstr(buf, key);
	if (!p)
		return false;	/* a kernel without seccomp */
	p += sizeof(key) - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p != '0';
}

static bool wsac_use_vm(void)
{
	unsigned int gen = __atomic_load_n(&wsac_probe_generation, __ATOMIC_RELAXED);

	if (wsac_probe_seen != gen || wsac_probe_mode == WSAC_PROBE_UNKNOWN) {
		wsac_probe_mode = wsac_seccomp_filtered() ? WSAC_PROBE_NO_VM : WSAC_PROBE_VM;
		wsac_probe_seen = gen;
	}
	return wsac_probe_mode == WSAC_PROBE_VM;
}

/* A pipe's buffer holds at least a page, so each chunk fits without blocking. */
#define WSAC_PIPE_CHUNK 4096

/* Copy through a pipe; Return: 0, -EFAULT, or 1 if no pipe could be made. */
static int wsac_copy_via_pipe(void *dst, const void *src, size_t len)
{
	int p[2], err = 0;
	size_t off, n;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
		return 1;
	for (off = 0; off < len && !err; off += n) {
		n = len - off < WSAC_PIPE_CHUNK ? len - off : WSAC_PIPE_CHUNK;
		if (write(p[1], (const char *)src + off, n) != (ssize_t)n ||
		    read(p[0], (char *)dst + off, n) != (ssize_t)n)
			err = -EFAULT;
	}
	close(p[0]);
	close(p[1]);
	return err;
}

/*
 * Copy @len bytes through the kernel, so that a bad address in the
 * caller's buffer (@dst when @to_caller, else @src) is an error, not a crash.
 */
static int wsac_copy_checked(void *dst, const void *src, size_t len, bool to_caller)
{
	struct iovec mine = { .iov_base = to_caller ? (void *)src : dst, .iov_len = len };
	struct iovec theirs = { .iov_base = to_caller ? dst : (void *)src, .iov_len = len };
	int saved_errno = errno, err;
	ssize_t n;

	if (!len)
		return 0;
	if (wsac_use_vm()) {
		pid_t tid = (pid_t)syscall(SYS_gettid);

		n = to_caller ? process_vm_writev(tid, &mine, 1, &theirs, 1, 0) :
				process_vm_readv(tid, &mine, 1, &theirs, 1, 0);
		if (n >= 0 || errno == EFAULT) {
			errno = saved_errno;
			return n == (ssize_t)len ? 0 : -EFAULT;
		}
		/* ENOSYS, EPERM, ESRCH, ENOMEM...: not an answer about the pointer. */
	}
	err = wsac_copy_via_pipe(dst, src, len);
	if (err > 0) {
		/* No way to check: never call a pointer bad without proof. */
		memcpy(dst, src, len);
		err = 0;
	}
	errno = saved_errno;
	return err;
}

/* Return: 0, or -EFAULT if any byte of [@src, @src + @len) is unreadable. */
int wsac_copy_from_caller(void *dst, const void *src, size_t len)
{
	return wsac_copy_checked(dst, src, len, false);
}

/* Return: 0, or -EFAULT if any byte of [@dst, @dst + @len) is unwritable. */
int wsac_copy_to_caller(void *dst, const void *src, size_t len)
{
	return wsac_copy_checked(dst, src, len, true);
}
