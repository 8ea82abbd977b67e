// SPDX-License-Identifier: GPL-2.0
/*
 * WSASocketA/W and socket() as a Winsock program calls it: a socket(2)
 * with Winsock's defaults.
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

/* af, type, protocol, resolved against a WSAPROTOCOL_INFO's. */
static SOCKET wsac_wsasocket(int af, int type, int protocol, const int *info,
			     GROUP g, DWORD flags)
{
	if (!wsac_started()) {
		wsac_fail(WSANOTINITIALISED, 0);
		return INVALID_SOCKET;
	}
	if (info) {
		if (af == FROM_PROTOCOL_INFO)
			af = info[0];
		if (type == FROM_PROTOCOL_INFO)
			type = info[1];
		if (protocol == FROM_PROTOCOL_INFO)
			protocol = info[2];
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
	return wsac_make_socket(af, type, protocol, flags);
}

/* Read af, type and protocol from either WSAPROTOCOL_INFO. */
#define WSAC_INFO_TRIPLE(info, v)					\
	(wsac_copy_from_caller(&(v)[0], &(info)->iAddressFamily, sizeof(int)) || \
	 wsac_copy_from_caller(&(v)[1], &(info)->iSocketType, sizeof(int)) ||	\
	 wsac_copy_from_caller(&(v)[2], &(info)->iProtocol, sizeof(int)))

WSAC_EXPORT SOCKET WSAAPI WSASocketA(int af, int type, int protocol,
				     LPWSAPROTOCOL_INFOA lpProtocolInfo,
				     GROUP g, DWORD dwFlags)
{
	int v[3];

	if (lpProtocolInfo && WSAC_INFO_TRIPLE(lpProtocolInfo, v)) {
		wsac_fail(WSAEFAULT, EFAULT);
		return INVALID_SOCKET;
	}
	return wsac_wsasocket(af, type, protocol, lpProtocolInfo ? v : NULL, g, dwFlags);
}

WSAC_EXPORT SOCKET WSAAPI WSASocketW(int af, int type, int protocol,
				     LPWSAPROTOCOL_INFOW lpProtocolInfo,
				     GROUP g, DWORD dwFlags)
{
	int v[3];

	if (lpProtocolInfo && WSAC_INFO_TRIPLE(lpProtocolInfo, v)) {
		wsac_fail(WSAEFAULT, EFAULT);
		return INVALID_SOCKET;
	}
	return wsac_wsasocket(af, type, protocol, lpProtocolInfo ? v : NULL, g, dwFlags);
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
