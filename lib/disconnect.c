// SPDX-License-Identifier: GPL-2.0
/*
 * WSASendDisconnect and WSARecvDisconnect: shutdown() of one direction,
 * with Winsock's checks.  Disconnect data never crossed TCP/IP on Windows
 * either; a buffer for it is WSAENOPROTOOPT, Windows' answer when the
 * provider has no disconnect data (Documentation/porting.rst).
 */
#include <errno.h>
#include <sys/socket.h>

#include "internal.h"

static int wsac_disconnect(SOCKET s, LPWSABUF data, int how)
{
	int rc;

	rc = wsac_socket_call_check(s);
	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	if (data)
		return wsac_fail(WSAENOPROTOOPT, ENOPROTOOPT);
	if (shutdown(s, how) < 0)
		return wsac_fail_errno(errno);
	return 0;
}

WSAC_EXPORT int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData)
{
	return wsac_disconnect(s, lpOutboundDisconnectData, SHUT_WR);
}

WSAC_EXPORT int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData)
{
	return wsac_disconnect(s, lpInboundDisconnectData, SHUT_RD);
}
