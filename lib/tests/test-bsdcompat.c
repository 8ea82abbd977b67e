// SPDX-License-Identifier: GPL-2.0
/*
 * <winsock2.h>'s prototypes for the BSD calls, at run time: int lengths
 * go in and come back, 32-bit u_long arguments of ioctlsocket are read
 * and written with their own width, and socket() gives Winsock's
 * defaults.  (The other test files see glibc's names only.)
 */
#undef WSACONNECT_NO_BSD_WRAPPERS
#include <winsock2.h>
#include <ws2tcpip.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

void wsac_test_bsdcompat(void)
{
	struct sockaddr_in sa, peer;
	int len = sizeof(sa), plen = sizeof(peer), err = -1, errlen = sizeof(err), on = 0;
	int onlen = sizeof(on);
	u_long nb = 1;
	DWORD queued[2] = { 0xdeadbeef, 0xdeadbeef };
	WSADATA wsa;
	SOCKET l, c, a, s6;

	WSAC_EXPECT_EQ(4, sizeof(u_long), "u_long is 32 bits in Winsock code");
	if (!wsac_tap(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup for the BSD prototypes"))
		return;
	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.S_un.S_addr = htonl(INADDR_LOOPBACK);
	if (!wsac_tap(l >= 0 && !bind(l, (SOCKADDR *)&sa, sizeof(sa)) && !listen(l, 1),
		      "a listener made with <winsock2.h>'s socket()"))
		return;
	len = 1000;
	WSAC_EXPECT_EQ(0, getsockname(l, (SOCKADDR *)&sa, &len), "getsockname with an int length");
	WSAC_EXPECT_EQ(sizeof(sa), len, "  ... comes back as 16");
	c = socket(AF_INET, SOCK_STREAM, 0);
	WSAC_EXPECT_EQ(0, connect(c, (SOCKADDR *)&sa, sizeof(sa)), "connect");
	a = accept(l, (SOCKADDR *)&peer, &plen);
	WSAC_EXPECT_EQ(true, a >= 0, "accept with an int length");
	WSAC_EXPECT_EQ(sizeof(peer), plen, "  ... comes back as 16");
	plen = 0;
	WSAC_EXPECT_EQ(0, getpeername(a, (SOCKADDR *)&peer, &plen),
		       "getpeername with an int length of 0");
	WSAC_EXPECT_EQ(sizeof(peer), plen, "  ... reports 16");
	WSAC_EXPECT_EQ(0, getsockopt(a, SOL_SOCKET, SO_ERROR, (char *)&err, &errlen),
		       "getsockopt with an int length");
	WSAC_EXPECT_EQ(0, err, "  ... SO_ERROR 0");
	WSAC_EXPECT_EQ(0, ioctlsocket(a, FIONBIO, &nb), "ioctlsocket(FIONBIO) with a 32-bit u_long");
	WSAC_EXPECT_EQ(O_NONBLOCK, fcntl(a, F_GETFL) & O_NONBLOCK, "  ... sets O_NONBLOCK");
	WSAC_EXPECT_EQ(3, send(c, "abc", 3, 0), "3 bytes sent");
	usleep(10000);
	WSAC_EXPECT_EQ(0, ioctlsocket(a, FIONREAD, &queued[0]), "ioctlsocket(FIONREAD) into a DWORD");
	WSAC_EXPECT_EQ(3, queued[0], "  ... 3");
	WSAC_EXPECT_EQ(0xdeadbeef, queued[1], "  ... and not a byte beyond it");
	{
		char buf[8];
		SOCKADDR_IN from;
		int fromlen = sizeof(from);

		WSAC_EXPECT_EQ(3, recvfrom(a, buf, sizeof(buf), 0, (SOCKADDR *)&from, &fromlen),
			       "recvfrom with an int length");
	}
	{
		TIMEVAL tv = { 2, 0 };
		const TIMEVAL *ctv = &tv;
		fd_set rd;

		WSAC_EXPECT_EQ(3, send(c, "def", 3, 0), "3 more bytes sent");
		FD_ZERO(&rd);
		FD_SET(a, &rd);
		WSAC_EXPECT_EQ(1, select(0, &rd, NULL, NULL, ctv),
			       "select(0, ...) as Winsock programs call it sees the socket");
		WSAC_EXPECT_EQ(true, FD_ISSET(a, &rd), "  ... readable");
		WSAC_EXPECT_EQ(2, tv.tv_sec, "  ... and leaves the timeout alone");
		WSAC_EXPECT_EQ(SOCKET_ERROR, select(0, NULL, NULL, NULL, &tv),
			       "select without descriptors fails");
		WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	}
	s6 = socket(AF_INET6, SOCK_STREAM, 0);
	WSAC_EXPECT_EQ(0, getsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&on, &onlen),
		       "socket(AF_INET6) in Winsock code");
	WSAC_EXPECT_EQ(1, on, "  ... is v6-only");
	closesocket(s6);
	closesocket(a);
	closesocket(c);
	closesocket(l);
	WSACleanup();
}
