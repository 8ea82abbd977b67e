// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnectByNameA() and WSAConnectByList(): connect a stream socket to
 * the first of several addresses that answers, within one timeout.
 *
 * Each address is tried in order through WSAConnect's own logic (the
 * module's verdict, then the caller's connect(2)), nonblocking, and waited
 * for with poll(2).  The socket has a single connection to make, so the
 * addresses cannot be raced in parallel; instead, with a timeout, each
 * attempt gets an equal share of the time left (the last one all of it),
 * so an address that never answers cannot starve the ones after it.  An
 * attempt that runs out of its share is abandoned (the socket is reset
 * with AF_UNSPEC) and the next address is tried.  Without a timeout each
 * attempt lasts until the kernel gives up.  The caller's blocking mode is
 * restored before returning.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

struct wsac_target {
	const struct sockaddr *addr;
	int len;
};

/* The out-parameters, checked before anything is attempted. */
struct wsac_outs {
	LPDWORD llen, rlen;
	LPSOCKADDR local, remote;
	DWORD size;		/* the family's sockaddr size */
};

static long long wsac_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Return: 0, or the WSA code (the lengths are left as they were). */
static int wsac_check_outs(struct wsac_outs *o, int family)
{
	DWORD len;

	o->size = family == AF_INET6 ? sizeof(struct sockaddr_in6) :
				       sizeof(struct sockaddr_in);
	if (o->local && o->llen) {
		if (wsac_copy_from_caller(&len, o->llen, sizeof(len)) || len < o->size)
			return WSAEFAULT;
	}
	if (o->remote && o->rlen) {
		if (wsac_copy_from_caller(&len, o->rlen, sizeof(len)) || len < o->size)
			return WSAEFAULT;
	}
	return 0;
}

static int wsac_fill_one(LPSOCKADDR dst, LPDWORD dlen, const struct sockaddr_storage *ss,
			 DWORD size)
{
	if (!dst || !dlen)
		return 0;
	if (wsac_copy_to_caller(dst, ss, size) ||
	    wsac_copy_to_caller(dlen, &size, sizeof(size)))
		return WSAEFAULT;
	return 0;
}

static int wsac_fill_outs(SOCKET s, const struct wsac_outs *o)
{
	struct sockaddr_storage local, remote;
	socklen_t len = sizeof(remote);
	int rc;

	memset(&remote, 0, sizeof(remote));
	memset(&local, 0, sizeof(local));
	if (getpeername(s, (struct sockaddr *)&remote, &len) < 0)
		return wsac_errno_to_wsa(errno);
	len = sizeof(local);
	if (getsockname(s, (struct sockaddr *)&local, &len) < 0)
		return wsac_errno_to_wsa(errno);
	/*
	 * Windows reports the local address with port 0 (Wine's tests,
	 * observed on Windows; sin_port and sin6_port share their offset).
	 */
	((struct sockaddr_in *)&local)->sin_port = 0;
	rc = wsac_fill_one(o->remote, o->rlen, &remote, o->size);
	return rc ? rc : wsac_fill_one(o->local, o->llen, &local, o->size);
}

/* Connection errors move on to the next address; others end the call. */
static bool wsac_try_next(int code)
{
	switch (code) {
	case WSAECONNREFUSED:
	case WSAETIMEDOUT:
	case WSAENETUNREACH:
	case WSAEHOSTUNREACH:
	case WSAECONNRESET:
	case WSAECONNABORTED:
	case WSAENETDOWN:
	case WSAEADDRNOTAVAIL:
	case WSAEAFNOSUPPORT:
	case WSAEACCES:
		return true;
	default:
		return false;
	}
}

/* Wait for the attempt WSAConnect started.  Return: 0 or a WSA code. */
static int wsac_wait_connected(SOCKET s, long long deadline)
{
	struct pollfd pfd = { .fd = s, .events = POLLOUT };
	int code, rc;

	for (;;) {
		long long left = deadline < 0 ? -1 : deadline - wsac_clock_ms();

		code = wsac_sock_conn_error(s, pfd.revents);
		if (code)
			return code;
		if (pfd.revents & POLLOUT) {
			struct sockaddr_storage ss;
			socklen_t len = sizeof(ss);

			if (!getpeername(s, (struct sockaddr *)&ss, &len))
				return 0;
		}
		if (deadline >= 0 && left <= 0)
			return WSAETIMEDOUT;
		pfd.revents = 0;
		rc = poll(&pfd, 1, left < 0 ? -1 : left > 60000 ? 60000 : (int)left);
		if (rc < 0 && errno != EINTR)
			return wsac_errno_to_wsa(errno);
	}
}

static BOOL wsac_connect_targets(SOCKET s, const struct wsac_target *t, int n,
				 const struct wsac_outs *outs, const struct timeval *timeout)
{
	long long end = -1;
	int fl, i, code = WSAETIMEDOUT;
	bool started;

	if (timeout) {
		struct timeval tv;

		if (wsac_copy_from_caller(&tv, timeout, sizeof(tv)))
			return wsac_fail(WSAEFAULT, EFAULT), FALSE;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return wsac_fail(WSAEINVAL, EINVAL), FALSE;
		end = wsac_clock_ms() + (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	}
	fl = fcntl(s, F_GETFL);
	if (fl < 0)
		return wsac_fail_errno(errno), FALSE;
	if (!(fl & O_NONBLOCK) && fcntl(s, F_SETFL, fl | O_NONBLOCK) < 0)
		return wsac_fail_errno(errno), FALSE;

	for (i = 0; i < n; i++) {
		long long deadline = -1;

		if (end >= 0) {
			long long left = end - wsac_clock_ms();

			if (left <= 0) {
				code = WSAETIMEDOUT;
				break;
			}
			deadline = wsac_clock_ms() + left / (n - i);
		}
		/*
		 * Only an attempt this call started is ever abandoned: a
		 * refusal before connect(2) (WSAEISCONN, WSAEALREADY, WSAEINVAL
		 * on a listener...) leaves the socket exactly as it was.
		 */
		started = false;
		if (!wsac_connect(s, t[i].addr, t[i].len, NULL, NULL, NULL, NULL)) {
			started = true;
			code = wsac_wait_connected(s, deadline);
		} else {
			code = WSAGetLastError();
			if (code == WSAEWOULDBLOCK) {
				started = true;
				code = wsac_wait_connected(s, deadline);
			}
		}
		if (!code)
			break;
		/* Abandon our attempt: the next one starts from scratch. */
		if (started)
			wsac_sock_disconnect(s);
		if (!wsac_try_next(code))
			break;
	}
	if (!(fl & O_NONBLOCK))
		(void)fcntl(s, F_SETFL, fl);
	if (!code)
		code = wsac_fill_outs(s, outs);
	if (code)
		return wsac_fail(code, 0), FALSE;
	return TRUE;
}

/* Return: 0 and the socket's family, or the WSA code to fail with. */
static int wsac_stream_socket(SOCKET s, int *family)
{
	socklen_t len = sizeof(int);
	int type;

	if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, family, &len) < 0)
		return WSAENOTSOCK;
	len = sizeof(int);
	if (getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return WSAENOTSOCK;
	/* Windows 10 1809 and later; older versions said WSAEOPNOTSUPP. */
	if (type != SOCK_STREAM)
		return WSAEINVAL;
	if (*family != AF_INET && *family != AF_INET6)
		return WSAEAFNOSUPPORT;
	return 0;
}

static int wsac_gai_code(int rc)
{
	switch (rc) {
	case EAI_SERVICE:
		return WSATYPE_NOT_FOUND;
	case EAI_NONAME:
#ifdef EAI_NODATA
	case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
	case EAI_ADDRFAMILY:
#endif
		return WSAHOST_NOT_FOUND;
	case EAI_AGAIN:
		return WSATRY_AGAIN;
	case EAI_MEMORY:
		return WSA_NOT_ENOUGH_MEMORY;
	case EAI_FAMILY:
		return WSAEAFNOSUPPORT;
	case EAI_SOCKTYPE:
		return WSAESOCKTNOSUPPORT;
	case EAI_SYSTEM:
		return wsac_errno_to_wsa(errno);
	default:
		return WSANO_RECOVERY;
	}
}

static BOOL wsac_by_name(SOCKET s, LPCSTR node, LPCSTR service, struct wsac_outs *outs,
			 const struct timeval *timeout, LPWSAOVERLAPPED reserved)
{
	struct addrinfo hints, *res, *ai;
	struct wsac_target *t;
	int family, rc, n = 0;
	BOOL ok;

	if (!node || !service || reserved)
		return wsac_fail(WSAEINVAL, EINVAL), FALSE;
	rc = wsac_stream_socket(s, &family);
	if (!rc)
		rc = wsac_check_outs(outs, family);
	if (rc)
		return wsac_fail(rc, 0), FALSE;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	if (family == AF_INET6) {
		/* A dual-stack socket reaches IPv4 names too, as on Windows. */
		int only = 1;
		socklen_t olen = sizeof(only);

		if (!getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &only, &olen) && !only)
			hints.ai_flags = AI_V4MAPPED | AI_ALL;
	}
	rc = getaddrinfo(node, service, &hints, &res);
	if (rc)
		return wsac_fail(wsac_gai_code(rc), 0), FALSE;
	for (ai = res; ai; ai = ai->ai_next)
		n++;
	t = calloc(n ? n : 1, sizeof(*t));
	if (!t) {
		freeaddrinfo(res);
		return wsac_fail(WSA_NOT_ENOUGH_MEMORY, ENOMEM), FALSE;
	}
	for (n = 0, ai = res; ai; ai = ai->ai_next, n++) {
		t[n].addr = ai->ai_addr;
		t[n].len = (int)ai->ai_addrlen;
	}
	ok = n ? wsac_connect_targets(s, t, n, outs, timeout) :
		 (wsac_fail(WSAHOST_NOT_FOUND, 0), FALSE);
	free(t);
	freeaddrinfo(res);
	return ok;
}

WSAC_EXPORT BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPCSTR nodename, LPCSTR servicename,
					  LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
					  LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
					  const struct timeval *timeout,
					  LPWSAOVERLAPPED Reserved)
{
	struct wsac_outs outs = {
		.llen = LocalAddressLength, .local = LocalAddress,
		.rlen = RemoteAddressLength, .remote = RemoteAddress,
	};
	int saved_errno = errno;
	BOOL ok;

	if (!wsac_started())
		return wsac_fail(WSANOTINITIALISED, 0), FALSE;
	if (!wsac_call_enter())
		return wsac_fail(WSAEINPROGRESS, 0), FALSE;
	ok = wsac_by_name(s, nodename, servicename, &outs, timeout, Reserved);
	wsac_call_leave();
	if (ok)
		errno = saved_errno;
	return ok;
}

static BOOL wsac_by_list(SOCKET s, PSOCKET_ADDRESS_LIST list, struct wsac_outs *outs,
			 const struct timeval *timeout, LPWSAOVERLAPPED reserved)
{
	struct wsac_target *t;
	SOCKET_ADDRESS sa;
	INT count;
	int family, rc, i;
	BOOL ok;

	if (!list || reserved)
		return wsac_fail(WSAEINVAL, EINVAL), FALSE;
	if (wsac_copy_from_caller(&count, &list->iAddressCount, sizeof(count)))
		return wsac_fail(WSAEFAULT, EFAULT), FALSE;
	if (count <= 0)
		return wsac_fail(WSAEINVAL, EINVAL), FALSE;
	rc = wsac_stream_socket(s, &family);
	if (!rc)
		rc = wsac_check_outs(outs, family);
	if (rc)
		return wsac_fail(rc, 0), FALSE;
	t = calloc((size_t)count, sizeof(*t));
	if (!t)
		return wsac_fail(WSA_NOT_ENOUGH_MEMORY, ENOMEM), FALSE;
	for (i = 0; i < count; i++) {
		if (wsac_copy_from_caller(&sa, &list->Address[i], sizeof(sa))) {
			free(t);
			return wsac_fail(WSAEFAULT, EFAULT), FALSE;
		}
		/* WSAConnect checks each name itself (WSAEFAULT...). */
		t[i].addr = sa.lpSockaddr;
		t[i].len = sa.iSockaddrLength;
	}
	ok = wsac_connect_targets(s, t, count, outs, timeout);
	free(t);
	return ok;
}

WSAC_EXPORT BOOL WSAAPI WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST SocketAddress,
					 LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
					 LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
					 const struct timeval *timeout,
					 LPWSAOVERLAPPED Reserved)
{
	struct wsac_outs outs = {
		.llen = LocalAddressLength, .local = LocalAddress,
		.rlen = RemoteAddressLength, .remote = RemoteAddress,
	};
	int saved_errno = errno;
	BOOL ok;

	if (!wsac_started())
		return wsac_fail(WSANOTINITIALISED, 0), FALSE;
	if (!wsac_call_enter())
		return wsac_fail(WSAEINPROGRESS, 0), FALSE;
	ok = wsac_by_list(s, SocketAddress, &outs, timeout, Reserved);
	wsac_call_leave();
	if (ok)
		errno = saved_errno;
	return ok;
}
