// SPDX-License-Identifier: GPL-2.0
/*
 * The SOL_SOCKET options Winsock has and Linux lacks, which the
 * setsockopt()/getsockopt() wrappers of <winsock2.h> hand over here
 * (Documentation/porting.rst, "Socket options Linux lacks"):
 *
 *  - SO_EXCLUSIVEADDRUSE: Linux's bind is already exclusive unless the
 *    socket asks for SO_REUSEADDR or SO_REUSEPORT, which is what this
 *    option guarantees on Windows.  The value is remembered per socket so
 *    that getsockopt() returns it; turning it on while SO_REUSEADDR is on
 *    is WSAEINVAL, as on Windows (either order fails there; here only this
 *    one, since SO_REUSEADDR goes to the C library untouched).
 *  - SO_DONTLINGER: the other face of SO_LINGER.  TRUE turns lingering
 *    off, FALSE turns it on with the l_linger set before; getsockopt() is
 *    !l_onoff.
 *  - SO_CONDITIONAL_ACCEPT: Windows then holds back the SYN-ACK until
 *    WSAAccept's condition function answered.  Linux completes the
 *    handshake before accept(2) sees a connection, which no option
 *    changes; WSAAccept's CF_REJECT and CF_DEFER work either way (a
 *    rejected client sees a reset after connecting rather than a refused
 *    connect, accept.c).  Refusing the option would stop the servers that
 *    check its result for a difference they cannot observe otherwise, so
 *    it is accepted on stream sockets, remembered, and documented.
 *
 *  - SO_MAX_MSG_SIZE, SO_PROTOCOL_INFOA/W (getsockopt only): the socket's
 *    WSAEnumProtocols entry and its dwMessageSize (65507 for UDP over
 *    IPv4, 65527 over IPv6, 0 for a stream), which is what Windows answers
 *    from its provider entry.  setsockopt() of them is WSAENOPROTOOPT.
 *
 * These calls, like the BSD calls they stand in for, work before
 * WSAStartup().  Any other option is passed to the C library as is.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* Read the BOOL a program passes; Return: 0 or the WSA code. */
static int wsac_opt_bool_in(const char *optval, int optlen, bool *on)
{
	int v;

	if (!optval || optlen < (int)sizeof(v) ||
	    wsac_copy_from_caller(&v, optval, sizeof(v)))
		return WSAEFAULT;
	*on = v != 0;
	return 0;
}

static int wsac_opt_bool_out(char *optval, int *optlen, bool on)
{
	int v = on, len;

	if (!optval || !optlen || wsac_copy_from_caller(&len, optlen, sizeof(len)) ||
	    len < (int)sizeof(v))
		return WSAEFAULT;
	len = sizeof(v);
	if (wsac_copy_to_caller(optval, &v, sizeof(v)) ||
	    wsac_copy_to_caller(optlen, &len, sizeof(len)))
		return WSAEFAULT;
	return 0;
}

static int wsac_sock_type(SOCKET s, int *type)
{
	socklen_t len = sizeof(*type);

	return getsockopt(s, SOL_SOCKET, SO_TYPE, type, &len) < 0 ? errno : 0;
}

/* The remembered flag of @s (@cond: SO_CONDITIONAL_ACCEPT). */
static int wsac_flag(SOCKET s, bool cond, bool set, bool *on)
{
	struct wsac_sock *e;

	wsac_state_lock();
	e = wsac_sock_get_locked(s, set);
	if (e && set) {
		if (cond)
			e->cond_accept = *on;
		else
			e->exclusive = *on;
	} else if (!set) {
		*on = e && (cond ? e->cond_accept : e->exclusive);
	}
	wsac_state_unlock();
	return e || !set ? 0 : WSAENOBUFS;
}

/* Copy @size bytes of @v out as an option value, or WSAEFAULT. */
static int wsac_opt_out(char *optval, int *optlen, const void *v, int size)
{
	int len;

	if (!optval || !optlen || wsac_copy_from_caller(&len, optlen, sizeof(len)) ||
	    len < size || wsac_copy_to_caller(optval, v, (size_t)size) ||
	    wsac_copy_to_caller(optlen, &size, sizeof(size)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

/* SO_MAX_MSG_SIZE and SO_PROTOCOL_INFOA/W, from the provider entry. */
static int wsac_protocol_opt(SOCKET s, int optname, char *optval, int *optlen)
{
	WSAPROTOCOL_INFOA info;
	WSAPROTOCOL_INFOW wide;
	unsigned int size;
	int rc = wsac_socket_info(s, &info);

	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	switch (optname) {
	case SO_MAX_MSG_SIZE:
		size = info.dwMessageSize;
		return wsac_opt_out(optval, optlen, &size, sizeof(size));
	case SO_PROTOCOL_INFOA:
		return wsac_opt_out(optval, optlen, &info, sizeof(info));
	default:
		wsac_info_widen(&info, &wide);
		return wsac_opt_out(optval, optlen, &wide, sizeof(wide));
	}
}

WSAC_EXPORT int WSAAPI wsac_winsock_setsockopt(SOCKET s, int level, int optname,
					       const char *optval, int optlen)
{
	struct linger l;
	socklen_t len = sizeof(l);
	int rc, err, type, reuse = 0;
	bool on;

	if (!WSAC_WINSOCK_SOCKOPT(level, optname))
		return setsockopt(s, level, optname, optval, (socklen_t)optlen);
	rc = wsac_socket_fd_check(s);
	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	if (optname >= SO_MAX_MSG_SIZE && optname <= SO_PROTOCOL_INFOW)
		return wsac_fail(WSAENOPROTOOPT, ENOPROTOOPT);	/* read-only */
	rc = wsac_opt_bool_in(optval, optlen, &on);
	if (rc)
		return wsac_fail(rc, EFAULT);
	switch (optname) {
	case SO_DONTLINGER:
		/* Keep l_linger: FALSE brings back the timeout set before. */
		if (getsockopt(s, SOL_SOCKET, SO_LINGER, &l, &len) < 0)
			return wsac_fail_errno(errno);
		l.l_onoff = !on;
		if (setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) < 0)
			return wsac_fail_errno(errno);
		return 0;
	case SO_EXCLUSIVEADDRUSE:
		len = sizeof(reuse);
		if (on && getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &reuse, &len) < 0)
			return wsac_fail_errno(errno);
		if (reuse)
			return wsac_fail(WSAEINVAL, EINVAL);
		break;
	default:	/* SO_CONDITIONAL_ACCEPT: TCP listeners only. */
		err = wsac_sock_type(s, &type);
		if (err)
			return wsac_fail_errno(err);
		if (type != SOCK_STREAM)
			return wsac_fail(WSAENOPROTOOPT, ENOPROTOOPT);
		break;
	}
	rc = wsac_flag(s, optname == SO_CONDITIONAL_ACCEPT, true, &on);
	return rc ? wsac_fail(rc, ENOBUFS) : 0;
}

WSAC_EXPORT int WSAAPI wsac_winsock_getsockopt(SOCKET s, int level, int optname,
					       char *optval, int *optlen)
{
	struct linger l;
	socklen_t len = sizeof(l), slen;
	int rc, err, type;
	bool on;

	if (!WSAC_WINSOCK_SOCKOPT(level, optname)) {
		int n = 0;

		if (optlen && wsac_copy_from_caller(&n, optlen, sizeof(n)))
			return wsac_fail(WSAEFAULT, EFAULT);
		slen = (socklen_t)n;
		rc = getsockopt(s, level, optname, optval, optlen ? &slen : NULL);
		if (rc == 0 && optlen)
			*optlen = (int)slen;
		return rc;
	}
	rc = wsac_socket_fd_check(s);
	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	if (optname >= SO_MAX_MSG_SIZE && optname <= SO_PROTOCOL_INFOW)
		return wsac_protocol_opt(s, optname, optval, optlen);
	switch (optname) {
	case SO_DONTLINGER:
		if (getsockopt(s, SOL_SOCKET, SO_LINGER, &l, &len) < 0)
			return wsac_fail_errno(errno);
		on = !l.l_onoff;
		break;
	case SO_CONDITIONAL_ACCEPT:
		err = wsac_sock_type(s, &type);
		if (err)
			return wsac_fail_errno(err);
		if (type != SOCK_STREAM)
			return wsac_fail(WSAENOPROTOOPT, ENOPROTOOPT);
		/* fall through */
	default:
		wsac_flag(s, optname == SO_CONDITIONAL_ACCEPT, false, &on);
		break;
	}
	rc = wsac_opt_bool_out(optval, optlen, on);
	return rc ? wsac_fail(rc, EFAULT) : 0;
}
