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
#define WSAC_ABI_MINOR		1

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
/* WSAC_IOC_QOS_SET, WSAC_IOC_QOS_GET and WSAC_IOC_QOS_ADMIT are served. */
#define WSAC_FEAT_QOS		_BITULL(2)

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

/* Largest QoS object list (a QOS's ProviderSpecific) the module takes. */
#define WSAC_QOS_OBJECTS_MAX	512

/* QoS object types, with Windows' numbers (qos.h, qossp.h). */
#define WSAC_QOS_OBJECT_END_OF_LIST	2001
#define WSAC_QOS_OBJECT_SD_MODE		2002
#define WSAC_QOS_OBJECT_SHAPING_RATE	2003
#define WSAC_QOS_OBJECT_DESTADDR	2004
/* Reported by WSAC_IOC_QOS_GET only: the values in force, see below. */
#define WSAC_QOS_OBJECT_EFFECTIVE	0x57534101
/* RSVP objects (1000 to 1004) are checked for bounds and ignored. */
#define WSAC_QOS_OBJECT_RSVP_FIRST	1000
#define WSAC_QOS_OBJECT_RSVP_LAST	1004

/* FLOWSPEC values with a meaning of their own. */
#define WSAC_QOS_NOT_SPECIFIED		0xffffffffU
#define WSAC_POSITIVE_INFINITY_RATE	0xfffffffeU

/**
 * struct wsac_flowspec - a Winsock FLOWSPEC, field for field
 * @token_rate: bytes per second
 * @token_bucket_size: bytes
 * @peak_bandwidth: bytes per second
 * @latency: microseconds
 * @delay_variation: microseconds
 * @service_type: SERVICETYPE_* value, optionally with SERVICE_* flag bits
 * @max_sdu_size: bytes
 * @minimum_policed_size: bytes
 *
 * The layout is Windows' FLOWSPEC (eight 32-bit fields, 32 bytes), so the
 * library copies it unchanged.
 */
struct wsac_flowspec {
	__u32 token_rate;
	__u32 token_bucket_size;
	__u32 peak_bandwidth;
	__u32 latency;
	__u32 delay_variation;
	__u32 service_type;
	__u32 max_sdu_size;
	__u32 minimum_policed_size;
};

/* What WSAC_IOC_QOS_SET asks the library to set with its own setsockopt(2). */
#define WSAC_PLAN_ULP		_BITUL(0)	/* SOL_TCP TCP_ULP "wsaconnect" */
#define WSAC_PLAN_TOS		_BITUL(1)	/* SOL_IP IP_TOS = @tos */
#define WSAC_PLAN_TCLASS	_BITUL(2)	/* SOL_IPV6 IPV6_TCLASS = @tclass */
#define WSAC_PLAN_PRIORITY	_BITUL(3)	/* SOL_SOCKET SO_PRIORITY = @priority */
#define WSAC_PLAN_PACING	_BITUL(4)	/* SOL_SOCKET SO_MAX_PACING_RATE = @pacing_rate */
#define WSAC_PLAN_RCVBUF	_BITUL(5)	/* SOL_SOCKET SO_RCVBUF = @rcvbuf */

/* The name of the TCP upper layer protocol that carries a TCP socket's QoS. */
#define WSAC_TCP_ULP_NAME	"wsaconnect"

/**
 * struct wsac_qos_plan - socket options that put a QoS request in force
 * @pacing_rate: SO_MAX_PACING_RATE in bytes per second, as a 64-bit value;
 *	~0 means no cap
 * @set: WSAC_PLAN_* bits, in the order the library must apply them: the
 *	ULP first, IP_TOS before SO_PRIORITY (IP_TOS resets the priority)
 * @tos: IP_TOS byte
 * @tclass: IPV6_TCLASS byte
 * @priority: SO_PRIORITY
 * @rcvbuf: SO_RCVBUF argument (the kernel doubles it)
 * @reserved: zero
 *
 * The module does not set socket options itself: done by the library with
 * setsockopt(2), they stay subject to the caller's LSM and cgroup-BPF
 * setsockopt hooks and capability checks.
 */
struct wsac_qos_plan {
	__aligned_u64 pacing_rate;
	__u32 set;
	__u32 tos;
	__u32 tclass;
	__u32 priority;
	__u32 rcvbuf;
	__u32 reserved;
};

/* How a sending rate is enforced on the egress device. */
enum wsac_pacing {
	WSAC_PACING_NONE	= 0,	/* no rate, or no destination known yet */
	WSAC_PACING_FQ		= 1,	/* fq root qdisc (or mq with fq children) */
	WSAC_PACING_TCP		= 2,	/* TCP's internal pacing, no fq */
};

/**
 * struct wsac_qos_effective - the values in force on the socket
 * @pacing_rate: sk_max_pacing_rate in bytes per second; ~0 means no cap
 * @admitted_rate: bytes per second reserved by admission control, 0 if none
 * @tos: the IP_TOS byte packets carry
 * @tclass: the IPv6 traffic class byte (0 on AF_INET sockets)
 * @priority: sk_priority
 * @rcvbuf: sk_rcvbuf in bytes, after the kernel's doubling and clamping
 * @ifindex: egress device the QoS was checked or admitted on, 0 if none yet
 * @pacing: enum wsac_pacing found on that device
 */
struct wsac_qos_effective {
	__aligned_u64 pacing_rate;
	__aligned_u64 admitted_rate;
	__u32 tos;
	__u32 tclass;
	__u32 priority;
	__u32 rcvbuf;
	__u32 ifindex;
	__u32 pacing;
};

/* Why a QoS request was refused (struct wsac_qos @reason). */
enum wsac_qos_reason {
	WSAC_QOS_OK			= 0,
	WSAC_QOS_BAD_SERVICE_TYPE	= 1,	/* unknown ServiceType */
	WSAC_QOS_BAD_PEAK		= 2,	/* PeakBandwidth below TokenRate */
	WSAC_QOS_ZERO_RATE		= 3,	/* TokenRate 0 with a sending service */
	WSAC_QOS_BAD_OBJECT		= 4,	/* malformed or truncated object list */
	WSAC_QOS_NO_FQ			= 5,	/* UDP rate, egress device has no fq */
	WSAC_QOS_NETCTL_RATE		= 6,	/* NetworkControl with a finite rate */
	WSAC_QOS_NETCTL_CAP		= 7,	/* NetworkControl (SO_PRIORITY 7) without
						 * CAP_NET_RAW or CAP_NET_ADMIN
						 */
	WSAC_QOS_ADMISSION		= 8,	/* Guaranteed rate exceeds capacity */
	WSAC_QOS_BAD_SOCKET		= 9,	/* not a TCP or UDP socket */
	WSAC_QOS_BAD_ADDRESS		= 10,	/* @addr not of the socket's family */
	WSAC_QOS_NOT_IN_FORCE		= 11,	/* COMMIT without the plan's options */
	WSAC_QOS_USER_SHARE		= 12,	/* Guaranteed rate exceeds what is left
						 * of the socket owner's share of the
						 * device's capacity
						 */
};

/* struct wsac_qos @flags */
#define WSAC_QOS_COMMIT		_BITUL(0)	/* SET: record the QoS (else only check) */
#define WSAC_QOS_DEST		_BITUL(1)	/* @addr names the destination */

/* struct wsac_qos @status, reported by WSAC_IOC_QOS_GET and _SET */
#define WSAC_QOS_ST_SET		_BITUL(0)	/* the socket carries QoS */
#define WSAC_QOS_ST_ADMITTED	_BITUL(1)	/* egress checks passed on @ifindex */
#define WSAC_QOS_ST_PENDING	_BITUL(2)	/* egress checks wait for a destination */

/**
 * struct wsac_qos - a socket's QoS (WSAC_IOC_QOS_SET, WSAC_IOC_QOS_GET)
 * @size: sizeof(struct wsac_qos) as compiled by the caller
 * @flags: WSAC_QOS_COMMIT and WSAC_QOS_DEST for SET; zero for GET
 * @fd: a TCP or UDP socket of the calling process
 * @objects_len: bytes used in @objects (SET: in; GET: out)
 * @sending: the sending FLOWSPEC (SET: in; GET: out)
 * @receiving: the receiving FLOWSPEC (SET: in; GET: out)
 * @objects: QoS objects, each a 32-bit type and a 32-bit length that
 *	includes this header, packed back to back.  WSAC_QOS_OBJECT_DESTADDR
 *	is flattened: after its header come a 32-bit address length and the
 *	address itself, padded to 4 bytes (its length field counts all of it).
 *	GET returns the objects SET recorded, up to and without END_OF_LIST;
 *	the library appends its WSAC_QOS_OBJECT_EFFECTIVE object (carrying
 *	@effective) and END_OF_LIST when it rebuilds a Winsock QOS.
 * @addrlen: with WSAC_QOS_DEST, the length of @addr
 * @reserved: must be zero on input; zero on output
 * @addr: with WSAC_QOS_DEST, the sockaddr the socket is about to connect to
 * @verdict: out: 0, or the negative errno the Winsock call must fail with:
 *	-EINVAL (malformed QoS), -EOPNOTSUPP (well-formed but not enforceable),
 *	-EAFNOSUPPORT (with WSAC_QOS_DEST, @addr of another family than the
 *	socket: an AF_INET socket takes AF_INET only, an AF_INET6 socket
 *	AF_INET6 only, v4-mapped addresses included), -EFAULT (@addrlen
 *	shorter than its family's sockaddr); both with reason
 *	WSAC_QOS_BAD_ADDRESS.  A DESTADDR object of another family than the
 *	socket is a malformed object list: -EINVAL, WSAC_QOS_BAD_OBJECT.
 * @reason: out: enum wsac_qos_reason, why @verdict is not 0
 * @status: out: WSAC_QOS_ST_* bits
 * @reserved2: must be zero on input; zero on output
 * @plan: out (SET): the socket options the library sets before COMMIT
 * @effective: out: the values in force (for SET with COMMIT, after it);
 *	when SET is refused, @effective.ifindex and .pacing name the device
 *	the egress check ran on
 *
 * SET without WSAC_QOS_COMMIT only checks the request and returns @plan;
 * the library applies the plan with setsockopt(2) and then repeats the
 * request with WSAC_QOS_COMMIT, which checks it again, reserves admission
 * capacity and records the QoS with the socket; it fails with -EOPNOTSUPP
 * and WSAC_QOS_NOT_IN_FORCE unless the socket carries the IP_TOS,
 * IPV6_TCLASS, SO_PRIORITY and SO_MAX_PACING_RATE values of @plan.  The
 * egress checks (fq for UDP rates, admission of Guaranteed rates) run when
 * a destination is known: the socket's peer once it is connected, before
 * that @addr or a DESTADDR object; without a route they wait, so that
 * connect(2) reports the routing error.  A SERVICETYPE_NOCHANGE
 * flowspec is replaced by the one recorded before.  Nothing is recorded
 * when @verdict is not 0.
 */
struct wsac_qos {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 objects_len;
	struct wsac_flowspec sending;
	struct wsac_flowspec receiving;
	__u8 objects[WSAC_QOS_OBJECTS_MAX];
	__u32 addrlen;
	__u32 reserved;
	__u8 addr[WSAC_ADDR_MAX];
	__s32 verdict;
	__u32 reason;
	__u32 status;
	__u32 reserved2;
	struct wsac_qos_plan plan;
	struct wsac_qos_effective effective;
};

#define WSAC_QOS_SIZE_VER0	816

/**
 * struct wsac_qos_admit - run a socket's egress QoS checks before connect
 * @size: sizeof(struct wsac_qos_admit) as compiled by the caller
 * @flags: must be zero
 * @fd: a TCP or UDP socket of the calling process
 * @addrlen: length of @addr
 * @addr: the sockaddr the socket is about to connect(2) to
 * @verdict: out: 0, -EOPNOTSUPP (see struct wsac_qos), or -EAFNOSUPPORT /
 *	-EFAULT with reason WSAC_QOS_BAD_ADDRESS for an @addr the socket
 *	cannot connect to (as for struct wsac_qos @addr); AF_UNSPEC is
 *	accepted and does nothing
 * @reason: out: enum wsac_qos_reason
 * @ifindex: out: the egress device the route names, 0 if unknown
 * @pacing: out: enum wsac_pacing on that device
 *
 * WSAConnect issues this before connect(2) so that a socket whose QoS was
 * set earlier with SIO_SET_QOS is admitted on the device its connection
 * will use, before the SYN (or first datagram) leaves.  A socket without
 * QoS gets @verdict 0 and no side effect.
 */
struct wsac_qos_admit {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 addrlen;
	__u8 addr[WSAC_ADDR_MAX];
	__s32 verdict;
	__u32 reason;
	__u32 ifindex;
	__u32 pacing;
};

#define WSAC_QOS_ADMIT_SIZE_VER0	160

/*
 * ioctl type 0xA7 is unassigned in Documentation/userspace-api/ioctl/
 * ioctl-number.rst (6.1 to 6.12).  The size encoded in each command is the
 * version 0 size; the module reads the real size from the @size field.
 */
#define WSAC_IOC_MAGIC		0xA7
#define WSAC_IOC_VERSION	_IOWR(WSAC_IOC_MAGIC, 0x00, struct wsac_version)
#define WSAC_IOC_CONNECT_CHECK	_IOWR(WSAC_IOC_MAGIC, 0x01, struct wsac_connect_check)
#define WSAC_IOC_DGRAM_PURGE	_IOWR(WSAC_IOC_MAGIC, 0x02, struct wsac_dgram_purge)
#define WSAC_IOC_QOS_SET	_IOWR(WSAC_IOC_MAGIC, 0x03, struct wsac_qos)
#define WSAC_IOC_QOS_GET	_IOWR(WSAC_IOC_MAGIC, 0x04, struct wsac_qos)
#define WSAC_IOC_QOS_ADMIT	_IOWR(WSAC_IOC_MAGIC, 0x05, struct wsac_qos_admit)

#endif /* _UAPI_LINUX_WSACONNECT_H */
