// SPDX-License-Identifier: GPL-2.0
/*
 * Copying the caller's buffers without trusting the pointers.
 *
 * Winsock reports a bad pointer as WSAEFAULT; dereferencing it here would
 * kill the process instead.  process_vm_readv/writev on our own pid copy
 * through the kernel, which reports an unmapped address as EFAULT.  They
 * need no privilege for the caller's own process, but a kernel without
 * CONFIG_CROSS_MEMORY_ATTACH or a seccomp policy may deny them (ENOSYS,
 * EPERM): then the bytes go through a pipe, whose write(2) and read(2) also
 * report a bad user address as EFAULT.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

static bool wsac_vm_unavailable(int err)
{
	return err == ENOSYS || err == EPERM;
}

/* A pipe's buffer holds at least a page, so each chunk fits without blocking. */
#define WSAC_PIPE_CHUNK 4096

/* Copy through a pipe; Return: 0, -EFAULT, or -errno if no pipe. */
static int wsac_copy_via_pipe(void *dst, const void *src, size_t len)
{
	int p[2], err = 0;
	size_t off, n;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
		return -errno;
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
	n = to_caller ? process_vm_writev(getpid(), &mine, 1, &theirs, 1, 0) :
			process_vm_readv(getpid(), &mine, 1, &theirs, 1, 0);
	if (n < 0 && wsac_vm_unavailable(errno))
		err = wsac_copy_via_pipe(dst, src, len) ? -EFAULT : 0;
	else
		err = n == (ssize_t)len ? 0 : -EFAULT;
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
