/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * wsaconnect: the contract between wsaconnect.ko and libwsaconnect.
 *
 * The module never connects a socket itself.  The library asks it to
 * validate a WSAConnect request against the socket's state under the socket
 * lock, then issues connect(2) from the caller's own context so that every
 * LSM and cgroup hook sees the request.  See Documentation/design.rst.
 *
 * Every request struct starts with a __u32 size that the caller sets to
 * sizeof() of the struct it was compiled with.  The module accepts any size
 * from the first published one (WSAC_*_SIZE_VER0) up to 4096 bytes: a
 * smaller struct is zero-extended, a larger one must carry zeros beyond what
 * the module knows (else E2BIG).  Replies are truncated to the caller's size.
 */
#ifndef _UAPI_LINUX_WSACONNECT_H
#define _UAPI_LINUX_WSACONNECT_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/ioctl.h>

/* The misc device: /dev/wsaconnect. */
#define WSAC_DEVICE_NAME	"wsaconnect"

/* Bumped on incompatible changes; a library refuses a different major. */
#define WSAC_ABI_MAJOR		1
/* Bumped when commands or fields are added. */
#define WSAC_ABI_MINOR		0

/* Largest sockaddr the module accepts, as struct sockaddr_storage. */
#define WSAC_ADDR_MAX		128

/**
 * struct wsac_version - what the loaded module implements
 * @size: in: sizeof(struct wsac_version) as compiled by the caller;
 *	out: the number of bytes the module filled in
 * @abi_major: %WSAC_ABI_MAJOR of the module
 * @abi_minor: %WSAC_ABI_MINOR of the module
 * @reserved: must be zero on input; zero on output
 * @features: WSAC_FEAT_* bits for the commands this module serves
 *
 * A library compiled against a newer header checks @abi_major and
 * @features and tells the user which module version it needs, instead of
 * failing later with ENOTTY.
 */
struct wsac_version {
	__u32 size;
	__u32 abi_major;
	__u32 abi_minor;
	__u32 reserved;
	__aligned_u64 features;
};

#define WSAC_VERSION_SIZE_VER0	24

/* WSAC_IOC_CONNECT_CHECK is served. */
#define WSAC_FEAT_CONNECT_CHECK	_BITULL(0)
/* WSAC_IOC_DGRAM_PURGE is served. */
#define WSAC_FEAT_DGRAM_PURGE	_BITULL(1)

/* Socket states reported by WSAC_IOC_CONNECT_CHECK (Winsock's view). */
enum wsac_sock_state {
	WSAC_STATE_UNCONNECTED	= 0,	/* never connected, or reset after a failure */
	WSAC_STATE_CONNECTING	= 1,	/* a connect is in flight */
	WSAC_STATE_CONNECTED	= 2,	/* connected (UDP: has a default peer) */
	WSAC_STATE_LISTENING	= 3,	/* listen(2) was called */
	WSAC_STATE_FAILED	= 4,	/* a nonblocking connect failed, not yet reaped */
	WSAC_STATE_CLOSED	= 5,	/* connection ended; Winsock still calls it connected */
};

/* What the library must do when @verdict is 0. */
enum wsac_action {
	WSAC_ACTION_CONNECT	= 0,	/* connect(2) to the name given */
	WSAC_ACTION_DISCONNECT	= 1,	/* datagram socket: connect(2) to AF_UNSPEC */
};

/**
 * struct wsac_connect_check - validate a WSAConnect request (WSAC_IOC_CONNECT_CHECK)
 * @size: sizeof(struct wsac_connect_check) as compiled by the caller
 * @flags: must be zero; no flags are defined yet
 * @fd: the socket's file descriptor in the calling process
 * @addrlen: the application's namelen, as passed (may exceed %WSAC_ADDR_MAX)
 * @addr: the first min(@addrlen, %WSAC_ADDR_MAX) bytes of the application's name
 * @verdict: out: 0 to proceed, or the negative errno WSAConnect must fail
 *	with (the library maps it to a WSAE* code: -EINVAL for a listening
 *	socket, -EISCONN, -EALREADY, -EADDRNOTAVAIL, -EAFNOSUPPORT, -EFAULT)
 * @action: out: enum wsac_action, valid when @verdict is 0
 * @state: out: enum wsac_sock_state of the socket when it was checked
 * @family: out: the socket's address family (AF_INET, AF_INET6, AF_UNIX)
 * @type: out: the socket's type (SOCK_STREAM, SOCK_DGRAM)
 * @protocol: out: the socket's protocol (IPPROTO_TCP, IPPROTO_UDP, 0)
 * @reserved: must be zero on input; zero on output
 * @reserved2: must be zero on input; zero on output
 *
 * The check runs under the socket lock and has no side effect on the
 * socket: a rejected request leaves it exactly as it was.  The errno of the
 * ioctl itself reports a malformed request: EBADF/ENOTSOCK for @fd, EINVAL
 * for unknown @flags, non-zero reserved fields or a too small @size, E2BIG
 * for non-zero bytes beyond the module's struct, EFAULT for bad memory,
 * EPROTONOSUPPORT for a socket kind WSAConnect does not serve.
 */
struct wsac_connect_check {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 addrlen;
	__u8 addr[WSAC_ADDR_MAX];
	__s32 verdict;
	__u32 action;
	__u32 state;
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 reserved;
	__u32 reserved2;
};

#define WSAC_CONNECT_CHECK_SIZE_VER0	168

/**
 * struct wsac_dgram_purge - drop datagrams from others than the peer (WSAC_IOC_DGRAM_PURGE)
 * @size: sizeof(struct wsac_dgram_purge) as compiled by the caller
 * @flags: must be zero; no flags are defined yet
 * @fd: a connected UDP socket of the calling process
 * @reserved: must be zero on input; zero on output
 * @dropped: out: datagrams discarded
 * @kept: out: datagrams from the peer left in the queue, in their order
 *
 * Winsock discards the datagrams queued on a UDP socket when it is
 * connected to a different address.  The library issues this right after
 * its connect(2) succeeded: every queued datagram whose source is not the
 * socket's new peer is discarded, with the socket's receive memory
 * accounting kept right.  Datagrams arriving meanwhile can only come from
 * the peer, since connect(2) already filters them.  Errors: EBADF,
 * ENOTSOCK, EPROTONOSUPPORT (not UDP), ENOTCONN (no peer), EINVAL, E2BIG,
 * EFAULT as for the other commands.
 */
struct wsac_dgram_purge {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 reserved;
	__u32 dropped;
	__u32 kept;
};

#define WSAC_DGRAM_PURGE_SIZE_VER0	24

/*
 * ioctl type 0xA7 is unassigned in Documentation/userspace-api/ioctl/
 * ioctl-number.rst (6.1 to 6.12).  The size encoded in each command is the
 * version 0 size; the module reads the real size from the @size field.
 */
#define WSAC_IOC_MAGIC		0xA7
#define WSAC_IOC_VERSION	_IOWR(WSAC_IOC_MAGIC, 0x00, struct wsac_version)
#define WSAC_IOC_CONNECT_CHECK	_IOWR(WSAC_IOC_MAGIC, 0x01, struct wsac_connect_check)
#define WSAC_IOC_DGRAM_PURGE	_IOWR(WSAC_IOC_MAGIC, 0x02, struct wsac_dgram_purge)

#endif /* _UAPI_LINUX_WSACONNECT_H */
