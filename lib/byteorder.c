// SPDX-License-Identifier: GPL-2.0
/*
 * WSAHtons, WSAHtonl, WSANtohs, WSANtohl: htons() and friends in the
 * byte order of the socket's provider.  Every provider here is TCP/IP
 * (or AF_UNIX, which Windows' provider also numbers in network order), so
 * that is big-endian; what Winsock adds are the checks: WSANOTINITIALISED,
 * WSAENOTSOCK, and WSAEFAULT for a result pointer that is NULL or cannot
 * be written.
 */
#include <errno.h>
#include <arpa/inet.h>

#include "internal.h"

/* Store @v of @size bytes at the caller's @out; Return: 0 or SOCKET_ERROR. */
static int wsac_order_out(SOCKET s, void *out, const void *v, size_t size)
{
	int rc;

	rc = wsac_socket_call_check(s);
	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	if (!out || wsac_copy_to_caller(out, v, size))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

WSAC_EXPORT int WSAAPI WSAHtons(SOCKET s, USHORT hostshort, USHORT *lpnetshort)
{
	USHORT v = htons(hostshort);

	return wsac_order_out(s, lpnetshort, &v, sizeof(v));
}

WSAC_EXPORT int WSAAPI WSAHtonl(SOCKET s, ULONG hostlong, ULONG *lpnetlong)
{
	ULONG v = htonl(hostlong);

	return wsac_order_out(s, lpnetlong, &v, sizeof(v));
}

WSAC_EXPORT int WSAAPI WSANtohs(SOCKET s, USHORT netshort, USHORT *lphostshort)
{
	USHORT v = ntohs(netshort);

	return wsac_order_out(s, lphostshort, &v, sizeof(v));
}

WSAC_EXPORT int WSAAPI WSANtohl(SOCKET s, ULONG netlong, ULONG *lphostlong)
{
	ULONG v = ntohl(netlong);

	return wsac_order_out(s, lphostlong, &v, sizeof(v));
}
