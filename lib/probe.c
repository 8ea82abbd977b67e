// SPDX-License-Identifier: GPL-2.0
/*
 * Copying the caller's buffers without trusting the pointers.
 *
 * Winsock reports a bad pointer as WSAEFAULT; dereferencing it here would
 * kill the process instead.  process_vm_readv/writev on our own pid copy
 * through the kernel, which reports an unmapped address as EFAULT.  They
 * need no privilege for the caller's own process, but a seccomp policy may
 * deny them (EPERM, ENOSYS): then the copy is done directly, as any other
 * library would.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

static bool wsac_vm_unavailable(int err)
{
	return err == ENOSYS || err == EPERM;
}

/* Return: 0, or -EFAULT if any byte of [@src, @src + @len) is unreadable. */
int wsac_copy_from_caller(void *dst, const void *src, size_t len)
{
	struct iovec local = { .iov_base = dst, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)src, .iov_len = len };
	int saved_errno = errno;
	ssize_t n;

	if (!len)
		return 0;
	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && wsac_vm_unavailable(errno)) {
		memcpy(dst, src, len);
		n = (ssize_t)len;
	}
	errno = saved_errno;
	return n == (ssize_t)len ? 0 : -EFAULT;
}

/* Return: 0, or -EFAULT if any byte of [@dst, @dst + @len) is unwritable. */
int wsac_copy_to_caller(void *dst, const void *src, size_t len)
{
	struct iovec local = { .iov_base = (void *)src, .iov_len = len };
	struct iovec remote = { .iov_base = dst, .iov_len = len };
	int saved_errno = errno;
	ssize_t n;

	if (!len)
		return 0;
	n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && wsac_vm_unavailable(errno)) {
		memcpy(dst, src, len);
		n = (ssize_t)len;
	}
	errno = saved_errno;
	return n == (ssize_t)len ? 0 : -EFAULT;
}
