// SPDX-License-Identifier: GPL-2.0
/*
 * WSAIoctl codes beyond QoS and FIONBIO/FIONREAD, and FD_QOS.
 *
 *  SIO_GET_EXTENSION_FUNCTION_POINTER: WSAID_WSAPOLL gives WSAPoll; the
 *	Microsoft extensions built on overlapped I/O (AcceptEx, ConnectEx,
 *	GetAcceptExSockaddrs, TransmitFile, DisconnectEx, WSARecvMsg,
 *	WSASendMsg) fail with WSAEOPNOTSUPP, any other GUID with WSAEINVAL,
 *	as a Windows provider that lacks the function answers.
 *  SIO_ADDRESS_LIST_SORT: the list is returned in the order given (glibc's
 *	getaddrinfo already orders destinations by RFC 6724).
 *  SIO_CHK_QOS: ALLOWED_TO_SEND_DATA 1, LOCAL_TRAFFIC_CONTROL 1,
 *	LOCAL_QOSABILITY 1, END_TO_END_QOSABILITY 0 and ABLE_TO_RECV_RSVP 0
 *	(there is no RSVP), LINE_RATE INFO_NOT_AVAILABLE.
 *  SIO_KEEPALIVE_VALS: SO_KEEPALIVE, TCP_KEEPIDLE and TCP_KEEPINTVL
 *	(milliseconds rounded up to seconds).
 *  SIO_LOOPBACK_FAST_PATH: accepted on TCP sockets (Linux's loopback is
 *	already a short path), WSAEOPNOTSUPP on others.
 *  SIO_UDP_CONNRESET, SIO_UDP_NETRESET: accepted on datagram sockets, where
 *	Linux already keeps ICMP errors from an unconnected socket's recvfrom.
 */
#include <errno.h>
#include <string.h>

#include <mswsock.h>
#include <mstcpip.h>
#include <qossp.h>

#include "internal.h"

static const GUID wsac_guid_poll = WSAID_WSAPOLL;
static const GUID wsac_guid_unserved[] = {
	WSAID_ACCEPTEX, WSAID_CONNECTEX, WSAID_GETACCEPTEXSOCKADDRS,
	WSAID_TRANSMITFILE, WSAID_DISCONNECTEX, WSAID_WSARECVMSG,
	WSAID_WSASENDMSG,
};

static int wsac_put(void *out, DWORD cbout, const void *v, DWORD n, LPDWORD returned)
{
	if (!out || cbout < n)
		return wsac_fail(WSAEFAULT, EFAULT);
	if (wsac_copy_to_caller(out, v, n) ||
	    wsac_copy_to_caller(returned, &n, sizeof(n)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

static int wsac_ext_pointer(const void *in, DWORD cbin, void *out, DWORD cbout,
			    LPDWORD returned)
{
	LPFN_WSAPOLL fn = WSAPoll;
	GUID g;
	size_t i;

	if (!in || cbin < sizeof(g) || wsac_copy_from_caller(&g, in, sizeof(g)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (!memcmp(&g, &wsac_guid_poll, sizeof(g)))
		return wsac_put(out, cbout, &fn, sizeof(fn), returned);
	for (i = 0; i < WSAC_ARRAY_SIZE(wsac_guid_unserved); i++)
		if (!memcmp(&g, &wsac_guid_unserved[i], sizeof(g)))
			return wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
	return wsac_fail(WSAEINVAL, EINVAL);
}

static int wsac_list_sort(const void *in, DWORD cbin, void *out, DWORD cbout,
			  LPDWORD returned)
{
	INT count;
	DWORD need;

	if (!in || cbin < sizeof(INT) || wsac_copy_from_caller(&count, in, sizeof(count)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (count < 0 || count > 4096)
		return wsac_fail(WSAEINVAL, EINVAL);
	need = (DWORD)SIZEOF_SOCKET_ADDRESS_LIST(count);
	if (cbin < need || !out || cbout < need) {
		wsac_copy_to_caller(returned, &need, sizeof(need));
		return wsac_fail(WSAEFAULT, EFAULT);
	}
	if (out != in) {
		char buf[4096];
		DWORD off;

		for (off = 0; off < need; off += sizeof(buf)) {
			DWORD n = need - off < sizeof(buf) ? need - off : (DWORD)sizeof(buf);

			if (wsac_copy_from_caller(buf, (const char *)in + off, n) ||
			    wsac_copy_to_caller((char *)out + off, buf, n))
				return wsac_fail(WSAEFAULT, EFAULT);
		}
	}
	if (wsac_copy_to_caller(returned, &need, sizeof(need)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

static int wsac_chk_qos(SOCKET s, const void *in, DWORD cbin, void *out, DWORD cbout,
			LPDWORD returned)
{
	int family = 0;
	socklen_t len = sizeof(family);
	DWORD q, a;

	if (!in || cbin < sizeof(q) || wsac_copy_from_caller(&q, in, sizeof(q)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &len) < 0)
		return wsac_fail_errno(errno);
	if (family != AF_INET && family != AF_INET6)
		return wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
	switch (q) {
	case ALLOWED_TO_SEND_DATA:
	case LOCAL_TRAFFIC_CONTROL:
	case LOCAL_QOSABILITY:
		a = 1;
		break;
	case ABLE_TO_RECV_RSVP:
	case END_TO_END_QOSABILITY:
		a = 0;
		break;
	case LINE_RATE:
		a = INFO_NOT_AVAILABLE;
		break;
	default:
		return wsac_fail(WSAEINVAL, EINVAL);
	}
	return wsac_put(out, cbout, &a, sizeof(a), returned);
}

static int wsac_keepalive(SOCKET s, const void *in, DWORD cbin)
{
	struct tcp_keepalive ka;
	int on, idle, intvl;

	if (!in || cbin < sizeof(ka) || wsac_copy_from_caller(&ka, in, sizeof(ka)))
		return wsac_fail(WSAEFAULT, EFAULT);
	on = ka.onoff != 0;
	idle = (int)((ka.keepalivetime + 999) / 1000);
	intvl = (int)((ka.keepaliveinterval + 999) / 1000);
	if (setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) < 0)
		return wsac_fail_errno(errno);
	if (on && ((idle > 0 && setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) < 0) ||
		   (intvl > 0 && setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) < 0)))
		return wsac_fail_errno(errno);
	return 0;
}

/*
 * A BOOL input (its value changes nothing here) and the socket's type,
 * which decides whether the code applies.  Return: 0 with *@type set, or
 * SOCKET_ERROR (WSAEFAULT for the input, the errno of SO_TYPE).
 */
static int wsac_bool_request(SOCKET s, const void *in, DWORD cbin, int *type)
{
	socklen_t len = sizeof(*type);
	BOOL on;

	if (!in || cbin < sizeof(on) || wsac_copy_from_caller(&on, in, sizeof(on)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (getsockopt(s, SOL_SOCKET, SO_TYPE, type, &len) < 0)
		return wsac_fail_errno(errno);
	return 0;
}

/*
 * SIO_UDP_CONNRESET, SIO_UDP_NETRESET: a BOOL, on datagram sockets.
 * Linux reports neither ICMP error on an unconnected UDP socket, which is
 * FALSE's behaviour; TRUE (Windows' default) is accepted and changes
 * nothing (Documentation/library.rst).
 */
static int wsac_udp_reset(SOCKET s, const void *in, DWORD cbin)
{
	int type, rc = wsac_bool_request(s, in, cbin, &type);

	if (rc || type == SOCK_DGRAM)
		return rc;
	return wsac_fail(WSAEINVAL, EINVAL);
}

/*
 * SIO_LOOPBACK_FAST_PATH: a BOOL, on TCP sockets, asking Windows to skip
 * its TCP processing between loopback peers.  Linux's loopback needs no
 * such request: accepted on stream sockets; on others WSAEOPNOTSUPP, as
 * Windows answers for a datagram socket.
 */
static int wsac_loopback_fast_path(SOCKET s, const void *in, DWORD cbin)
{
	int type, rc = wsac_bool_request(s, in, cbin, &type);

	if (rc || type == SOCK_STREAM)
		return rc;
	return wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
}

int wsac_ioctl_ext(SOCKET s, DWORD code, LPVOID in, DWORD cbin, LPVOID out,
		   DWORD cbout, LPDWORD returned)
{
	switch (code) {
	case SIO_GET_EXTENSION_FUNCTION_POINTER:
		return wsac_ext_pointer(in, cbin, out, cbout, returned);
	case SIO_ADDRESS_LIST_SORT:
		return wsac_list_sort(in, cbin, out, cbout, returned);
	case SIO_CHK_QOS:
		return wsac_chk_qos(s, in, cbin, out, cbout, returned);
	case SIO_KEEPALIVE_VALS:
		return wsac_keepalive(s, in, cbin);
	case SIO_LOOPBACK_FAST_PATH:
		return wsac_loopback_fast_path(s, in, cbin);
	case SIO_UDP_CONNRESET:
	case SIO_UDP_NETRESET:
		return wsac_udp_reset(s, in, cbin);
	default:
		return -2;
	}
}

/*
 * The QoS in force on @s changed (SIO_SET_QOS, WSAConnect with lpSQOS):
 * record FD_QOS if the program selected it, and signal its event.
 */
void wsac_note_qos_change(SOCKET s)
{
	struct wsac_sock *e;

	wsac_state_lock();
	e = wsac_sock_get_locked(s, false);
	if (e && (e->mask & FD_QOS)) {
		e->pending |= FD_QOS;
		e->errors[FD_QOS_BIT] = 0;
		if (e->ev)
			wsac_event_set_locked(e->ev);
	}
	wsac_state_unlock();
}
