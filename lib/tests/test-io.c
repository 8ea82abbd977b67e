// SPDX-License-Identifier: GPL-2.0
/*
 * WSASend/WSARecv argument failures: the Winsock code, and an errno that
 * means the same (a later BSD call failing with another errno must not be
 * read as the stale code, and errno is never a Winsock number).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "runner.h"

#define WSAC_TOO_MANY_BUFFERS	1025	/* one more than IOV_MAX */

void wsac_test_io(void)
{
	static WSABUF many[WSAC_TOO_MANY_BUFFERS];
	char byte = 'x';
	WSABUF one = { 1, &byte };
	DWORD n = 0, flags = 0;
	WSADATA wsa;
	int sv[2], p[2];

	if (!wsac_tap(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv) && !pipe(p) &&
		      !WSAStartup(MAKEWORD(2, 2), &wsa), "a socketpair, a pipe, WSAStartup"))
		return;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(sv[0], many, WSAC_TOO_MANY_BUFFERS, &n, 0, NULL, NULL),
		       "WSASend with 1025 buffers fails");
	WSAC_EXPECT_EQ(WSAENOBUFS, WSAGetLastError(), "  ... with WSAENOBUFS");
	WSAC_EXPECT_EQ(ENOBUFS, errno, "  ... errno ENOBUFS (%d)", errno);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecv(sv[0], many, WSAC_TOO_MANY_BUFFERS, &n, &flags,
					     NULL, NULL), "WSARecv with 1025 buffers fails");
	WSAC_EXPECT_EQ(WSAENOBUFS, WSAGetLastError(), "  ... with WSAENOBUFS");
	WSAC_EXPECT_EQ(ENOBUFS, errno, "  ... errno ENOBUFS (%d)", errno);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(p[1], &one, 1, &n, 0, NULL, NULL),
		       "WSASend on a pipe fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	WSAC_EXPECT_EQ(ENOTSOCK, errno, "  ... errno ENOTSOCK");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(sv[0], (LPWSABUF)16, 1, &n, 0, NULL, NULL),
		       "WSASend with a bad buffer array fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(EFAULT, errno, "  ... errno EFAULT");
	WSAC_EXPECT_EQ(0, WSASend(sv[0], &one, 1, &n, 0, NULL, NULL), "then WSASend of one byte");
	WSAC_EXPECT_EQ(1, n, "  ... sends it");
	WSACleanup();
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}
