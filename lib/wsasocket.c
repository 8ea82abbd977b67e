// SPDX-License-Identifier: GPL-2.0
/*
 * WSASocketA/W and socket() as a Winsock program calls it: a socket(2)
 * with Winsock's defaults.  WSADuplicateSocketA/W and the other half of
 * it, WSASocket(FROM_PROTOCOL_INFO) with the WSAPROTOCOL_INFO they filled.
 *
 * Winsock's AF_INET6 sockets are v6-only (IPV6_V6ONLY on): a Windows
 * server binds 0.0.0.0:P and [::]:P side by side.  Linux's default
 * (net.ipv6.bindv6only=0) would make the second bind fail with
 * EADDRINUSE, so sockets made through this API get IPV6_V6ONLY=1; plain
 * BSD code (which does not call through <winsock2.h>'s socket macro) is
 * untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define WSAC_WSASOCKET_FLAGS	(WSA_FLAG_OVERLAPPED | \
				 WSA_FLAG_MULTIPOINT_C_ROOT | \
				 WSA_FLAG_MULTIPOINT_C_LEAF | \
				 WSA_FLAG_MULTIPOINT_D_ROOT | \
				 WSA_FLAG_MULTIPOINT_D_LEAF | \
				 WSA_FLAG_ACCESS_SYSTEM_SECURITY | \
				 WSA_FLAG_NO_HANDLE_INHERIT | \
				 WSA_FLAG_REGISTERED_IO)
#define WSAC_MULTIPOINT_FLAGS	(WSA_FLAG_MULTIPOINT_C_ROOT | \
				 WSA_FLAG_MULTIPOINT_C_LEAF | \
				 WSA_FLAG_MULTIPOINT_D_ROOT | \
				 WSA_FLAG_MULTIPOINT_D_LEAF)

/* socket(2)'s errno as Winsock's socket() reports it. */
static int wsac_socket_errno_to_wsa(int err)
{
	switch (err) {
	case EINVAL:		/* an unknown type */
		return WSAESOCKTNOSUPPORT;
	case EAFNOSUPPORT:
		return WSAEAFNOSUPPORT;
	case EPROTONOSUPPORT:
		return WSAEPROTONOSUPPORT;
	case EACCES:
	case EPERM:
		return WSAEACCES;
	default:
		return wsac_errno_to_wsa(err);
	}
}

static SOCKET wsac_make_socket(int af, int type, int protocol, DWORD flags)
{
	int fd, one = 1;

	if (flags & WSA_FLAG_NO_HANDLE_INHERIT)
		type |= SOCK_CLOEXEC;
	fd = socket(af, type, protocol);
	if (fd < 0) {
		wsac_fail(wsac_socket_errno_to_wsa(errno), errno);
		return INVALID_SOCKET;
	}
	/*
	 * Not atomic with socket(2): another thread may already have bound or
	 * connected the new descriptor (a number it held before it was
	 * reused), and then the option can no longer change.  The socket is
	 * still the caller's; it keeps Linux's default.
	 */
	if (af == AF_INET6) {
		int saved = errno;

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
			errno = saved;
	}
	return fd;
}

/*
 * WSADuplicateSocket.  Windows' provider puts a handle into the target
 * process and describes it in the WSAPROTOCOL_INFO; here the structure
 * (Windows' layout, unchanged) carries where the socket is, in fields
 * Windows reserves:
 *
 *   dwServiceFlags2     the socket's inode number (sockfs), to recognise it
 *   dwServiceFlags3     the source process id (non-zero marks a duplicate)
 *   dwServiceFlags4     the target process id (dwProcessId)
 *   dwProviderReserved  the socket's descriptor in the source process
 *
 * and WSASocket(FROM_PROTOCOL_INFO) in the target dup()s that descriptor
 * when the source is the calling process, or takes a copy of it with
 * pidfd_open(2) and pidfd_getfd(2) (Linux 5.6) from the source process.
 * The source keeps its socket open until the target's WSASocket returned
 * (a closed or reused descriptor is recognised by its inode: WSAEINVAL).
 */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd		438
#endif

/* The common part of WSAPROTOCOL_INFOA and W: all but szProtocol. */
#define WSAC_INFO_PREFIX	offsetof(WSAPROTOCOL_INFOA, szProtocol)
_Static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) ==
	       offsetof(WSAPROTOCOL_INFOW, szProtocol),
	       "WSAPROTOCOL_INFOA and W differ only in szProtocol");

/* The duplicates this process already turned into sockets: used once. */
struct wsac_claim {
	DWORD pid, fd, ino;
};
static pthread_mutex_t wsac_claim_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wsac_claim *wsac_claims;
static size_t wsac_nclaims, wsac_claims_cap;

/* A child forked while another thread held the lock can still take it. */
static void wsac_claim_fork_prepare(void)
{
	pthread_mutex_lock(&wsac_claim_lock);
}

static void wsac_claim_fork_done(void)
{
	pthread_mutex_unlock(&wsac_claim_lock);
}

static void wsac_claim_init(void)
{
	pthread_atfork(wsac_claim_fork_prepare, wsac_claim_fork_done,
		       wsac_claim_fork_done);
}

/* Record @c; false if it was there already (or no memory to record it). */
static bool wsac_claim_once(const struct wsac_claim *c, bool *nomem)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	bool fresh = true;
	size_t i;

	*nomem = false;
	pthread_once(&once, wsac_claim_init);
	pthread_mutex_lock(&wsac_claim_lock);
	for (i = 0; i < wsac_nclaims; i++)
		if (!memcmp(&wsac_claims[i], c, sizeof(*c)))
			fresh = false;
	if (fresh && wsac_nclaims == wsac_claims_cap) {
		size_t cap = wsac_claims_cap ? 2 * wsac_claims_cap : 16;
		struct wsac_claim *n = realloc(wsac_claims, cap * sizeof(*n));

		if (n) {
			wsac_claims = n;
			wsac_claims_cap = cap;
		} else {
			fresh = false;
			*nomem = true;
		}
	}
	if (fresh)
		wsac_claims[wsac_nclaims++] = *c;
	pthread_mutex_unlock(&wsac_claim_lock);
	return fresh;
}

/* pidfd_open/pidfd_getfd's errno as WSASocket reports it. */
static int wsac_getfd_errno_to_wsa(int err)
{
	switch (err) {
	case EPERM:		/* no ptrace access to the source */
	case EACCES:
		return WSAEACCES;
	case ENOSYS:		/* a kernel before 5.6 (or a seccomp filter) */
		return WSAEOPNOTSUPP;
	case EMFILE:
	case ENFILE:
		return WSAEMFILE;
	case ENOMEM:
		return WSAENOBUFS;
	default:		/* ESRCH, EBADF: the source or its socket is gone */
		return WSAEINVAL;
	}
}

/* The socket a duplicate's @info describes, as a new descriptor. */
static SOCKET wsac_claim_duplicate(const WSAPROTOCOL_INFOA *info, DWORD flags)
{
	struct wsac_claim c = {
		.pid = info->dwServiceFlags3,
		.fd = info->dwProviderReserved,
		.ino = info->dwServiceFlags2,
	};
	struct stat st;
	bool nomem;
	int fd;

	if (info->dwServiceFlags4 != (DWORD)getpid() || c.fd > INT32_MAX ||
	    c.pid > INT32_MAX) {
		wsac_fail(WSAEINVAL, EINVAL);	/* made for another process */
		return INVALID_SOCKET;
	}
	if (c.pid == (DWORD)getpid()) {
		fd = fcntl((int)c.fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			wsac_fail(errno == EMFILE ? WSAEMFILE : WSAEINVAL, errno);
			return INVALID_SOCKET;
		}
	} else {
		int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)c.pid, 0);

		if (pidfd < 0) {
			wsac_fail(wsac_getfd_errno_to_wsa(errno), errno);
			return INVALID_SOCKET;
		}
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)c.fd, 0);
		if (fd < 0) {
			int err = errno;

			close(pidfd);
			wsac_fail(wsac_getfd_errno_to_wsa(err), err);
			return INVALID_SOCKET;
		}
		close(pidfd);
	}
	/* The descriptor number may have been closed and reused since. */
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode) || (DWORD)st.st_ino != c.ino) {
		close(fd);
		wsac_fail(WSAEINVAL, EINVAL);
		return INVALID_SOCKET;
	}
	if (!wsac_claim_once(&c, &nomem)) {
		close(fd);
		if (nomem)
			wsac_fail(WSAENOBUFS, ENOMEM);
		else
			wsac_fail(WSAEINVAL, EINVAL);	/* already used */
		return INVALID_SOCKET;
	}
	/* Inheritable, as a Windows socket, unless the program said not. */
	if (!(flags & WSA_FLAG_NO_HANDLE_INHERIT))
		fcntl(fd, F_SETFD, 0);
	return fd;
}

/* af, type, protocol, resolved against a WSAPROTOCOL_INFO's. */
static SOCKET wsac_wsasocket(int af, int type, int protocol,
			     const WSAPROTOCOL_INFOA *info, GROUP g, DWORD flags)
{
	if (!wsac_started()) {
		wsac_fail(WSANOTINITIALISED, 0);
		return INVALID_SOCKET;
	}
	/* A duplicate: the socket is the source's, whatever af/type/protocol say. */
	if (info && info->dwServiceFlags3) {
		af = info->iAddressFamily;
		type = info->iSocketType;
		protocol = info->iProtocol;
	}
	if (info) {
		if (af == FROM_PROTOCOL_INFO)
			af = info->iAddressFamily;
		if (type == FROM_PROTOCOL_INFO)
			type = info->iSocketType;
		if (protocol == FROM_PROTOCOL_INFO)
			protocol = info->iProtocol;
	}
	if (af == FROM_PROTOCOL_INFO || type == FROM_PROTOCOL_INFO ||
	    protocol == FROM_PROTOCOL_INFO || g != 0 ||
	    (flags & ~(DWORD)WSAC_WSASOCKET_FLAGS)) {
		wsac_fail(WSAEINVAL, EINVAL);
		return INVALID_SOCKET;
	}
	/* No multipoint, no registered I/O on Linux sockets. */
	if (flags & (WSAC_MULTIPOINT_FLAGS | WSA_FLAG_REGISTERED_IO)) {
		wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
		return INVALID_SOCKET;
	}
	if (info && info->dwServiceFlags3)
		return wsac_claim_duplicate(info, flags);
	return wsac_make_socket(af, type, protocol, flags);
}

/*
 * WSASocketA/W: one implementation; both read the part of the structure
 * they share (szProtocol is not used).
 */
static SOCKET wsac_wsasocket_from(int af, int type, int protocol, const void *info,
				  GROUP g, DWORD flags)
{
	WSAPROTOCOL_INFOA local;

	if (info && wsac_copy_from_caller(&local, info, WSAC_INFO_PREFIX)) {
		wsac_fail(WSAEFAULT, EFAULT);
		return INVALID_SOCKET;
	}
	return wsac_wsasocket(af, type, protocol, info ? &local : NULL, g, flags);
}

WSAC_EXPORT SOCKET WSAAPI WSASocketA(int af, int type, int protocol,
				     LPWSAPROTOCOL_INFOA lpProtocolInfo,
				     GROUP g, DWORD dwFlags)
{
	return wsac_wsasocket_from(af, type, protocol, lpProtocolInfo, g, dwFlags);
}

WSAC_EXPORT SOCKET WSAAPI WSASocketW(int af, int type, int protocol,
				     LPWSAPROTOCOL_INFOW lpProtocolInfo,
				     GROUP g, DWORD dwFlags)
{
	return wsac_wsasocket_from(af, type, protocol, lpProtocolInfo, g, dwFlags);
}

/*
 * Fill @out for a duplicate of @s for @pid: the provider entry
 * WSAEnumProtocolsA gives for the socket's family, type and protocol (a
 * bare entry for a socket no provider describes), and where the socket is.
 */
/**
 * wsac_socket_info() - the WSAEnumProtocols entry of socket @s
 * @s: a socket
 * @out: filled with the entry for its family, type and protocol (a bare
 *	base-protocol entry with those three if none matches, or before
 *	WSAStartup)
 *
 * For WSADuplicateSocket and getsockopt(SO_PROTOCOL_INFO).
 * Return: 0 or the WSA code of the failed query.
 */
int wsac_socket_info(SOCKET s, WSAPROTOCOL_INFOA *out)
{
	int family = 0, type = 0, protocol = 0, list[2], n, i;
	WSAPROTOCOL_INFOA all[8];
	DWORD size = sizeof(all);
	socklen_t len = sizeof(int);
	int saved_errno = errno;

	if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &len) < 0 ||
	    getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
	    getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) < 0)
		return wsac_errno_to_wsa(errno);

	memset(out, 0, sizeof(*out));
	list[0] = protocol;
	list[1] = 0;
	n = WSAEnumProtocolsA(list, all, &size);
	errno = saved_errno;	/* before WSAStartup: the bare entry below */
	for (i = 0; i < n; i++) {
		if (all[i].iAddressFamily == family && all[i].iSocketType == type) {
			*out = all[i];
			break;
		}
	}
	if (i >= n) {
		out->iVersion = 2;
		out->ProtocolChain.ChainLen = BASE_PROTOCOL;
		strcpy(out->szProtocol, "libwsaconnect socket");
	}
	out->iAddressFamily = family;
	out->iSocketType = type;
	out->iProtocol = protocol;
	return 0;
}

/* The same entry with szProtocol widened (it is ASCII). */
void wsac_info_widen(const WSAPROTOCOL_INFOA *in, WSAPROTOCOL_INFOW *out)
{
	size_t i;

	memcpy(out, in, WSAC_INFO_PREFIX);
	for (i = 0; i < WSAC_ARRAY_SIZE(out->szProtocol); i++)
		out->szProtocol[i] = (WCHAR)(unsigned char)in->szProtocol[i];
}

static int wsac_duplicate(SOCKET s, DWORD pid, WSAPROTOCOL_INFOA *out)
{
	struct stat st;
	int rc;

	rc = wsac_socket_call_check(s);
	if (rc)
		return rc;
	/* The target must exist; EPERM means it does, as another user's. */
	if (pid == 0 || pid > INT32_MAX || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
		return WSAEINVAL;
	if (fstat(s, &st) < 0)
		return wsac_errno_to_wsa(errno);
	rc = wsac_socket_info(s, out);
	if (rc)
		return rc;
	out->dwServiceFlags2 = (DWORD)st.st_ino;
	out->dwServiceFlags3 = (DWORD)getpid();
	out->dwServiceFlags4 = pid;
	out->dwProviderReserved = (DWORD)s;
	return 0;
}

WSAC_EXPORT int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId,
					   LPWSAPROTOCOL_INFOA lpProtocolInfo)
{
	WSAPROTOCOL_INFOA info;
	int rc = wsac_duplicate(s, dwProcessId, &info);

	if (rc)
		return wsac_fail(rc, rc == WSAEINVAL ? EINVAL : wsac_code_errno(rc));
	if (!lpProtocolInfo || wsac_copy_to_caller(lpProtocolInfo, &info, sizeof(info)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

/* The same, with szProtocol widened (it is ASCII). */
WSAC_EXPORT int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId,
					   LPWSAPROTOCOL_INFOW lpProtocolInfo)
{
	WSAPROTOCOL_INFOA info;
	WSAPROTOCOL_INFOW wide;
	int rc = wsac_duplicate(s, dwProcessId, &info);

	if (rc)
		return wsac_fail(rc, rc == WSAEINVAL ? EINVAL : wsac_code_errno(rc));
	wsac_info_widen(&info, &wide);
	if (!lpProtocolInfo || wsac_copy_to_caller(lpProtocolInfo, &wide, sizeof(wide)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

/*
 * Unlike Windows' socket(), this one works before WSAStartup(), as the
 * other BSD calls do here: a program's helpers may create sockets first.
 */
WSAC_EXPORT SOCKET WSAAPI wsac_winsock_socket(int af, int type, int protocol)
{
	return wsac_make_socket(af, type, protocol, 0);
}

/* Multipoint sessions do not exist for Linux sockets. */
WSAC_EXPORT SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name,
				      int namelen, LPWSABUF lpCallerData,
				      LPWSABUF lpCalleeData, LPQOS lpSQOS,
				      LPQOS lpGQOS, DWORD dwFlags)
{
	(void)s; (void)name; (void)namelen; (void)lpCallerData;
	(void)lpCalleeData; (void)lpSQOS; (void)lpGQOS; (void)dwFlags;
	if (!wsac_started())
		wsac_fail(WSANOTINITIALISED, 0);
	else
		wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
	return INVALID_SOCKET;
}
