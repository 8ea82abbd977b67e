/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copying the extensible request structs of uapi/linux/wsaconnect.h.  Each
 * starts with a __u32 size written by userspace.
 */
#ifndef _WSACONNECT_UACCESS_H
#define _WSACONNECT_UACCESS_H

#include <linux/minmax.h>
#include <linux/uaccess.h>

#include "wsaconnect.h"

/**
 * wsac_copy_req_from_user() - copy in a versioned request struct
 * @dst: kernel copy, @ksize bytes
 * @ksize: sizeof(*@dst)
 * @ver0: the size of the first published version of the struct
 * @src: the user pointer
 * @usize: set to the size userspace claims
 *
 * Return: 0, -EFAULT, -EINVAL for a size below @ver0 or a size field that
 * changed under us, or -E2BIG for a size beyond %WSAC_MAX_REQ_SIZE or
 * non-zero bytes the module does not know.
 */
static inline int wsac_copy_req_from_user(void *dst, size_t ksize, u32 ver0,
					  const void __user *src, u32 *usize)
{
	u32 size;
	int err;

	if (get_user(size, (const u32 __user *)src))
		return -EFAULT;
	if (size < ver0)
		return -EINVAL;
	if (size > WSAC_MAX_REQ_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(dst, ksize, src, size);
	if (err)
		return err;
	/* Another thread may have rewritten size between the two reads. */
	if (*(u32 *)dst != size)
		return -EINVAL;
	*usize = size;
	return 0;
}

/**
 * wsac_copy_reply_to_user() - copy out a reply, truncated to the caller's size
 * @dst: the user pointer the request came from
 * @src: the kernel struct; its leading size field is set to the bytes copied
 * @ksize: sizeof(*@src)
 * @usize: the size the caller claimed
 *
 * Return: 0 or -EFAULT.
 */
static inline int wsac_copy_reply_to_user(void __user *dst, void *src,
					  size_t ksize, u32 usize)
{
	u32 n = min_t(size_t, ksize, usize);

	*(u32 *)src = n;
	return copy_to_user(dst, src, n) ? -EFAULT : 0;
}

#endif /* _WSACONNECT_UACCESS_H */
