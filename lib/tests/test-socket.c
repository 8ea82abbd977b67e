// SPDX-License-Identifier: GPL-2.0
/* ioctlsocket() with Linux's and Windows' codes, and closesocket(). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

static bool nonblocking(int fd)
{
	return fcntl(fd, F_GETFL) & O_NONBLOCK;
}

static void test_fionbio(int s)
{
	/* Windows' FIONBIO as a 32-bit program would pass it: sign-extended. */
	long windows_fionbio = (long)(int32_t)WSAC_WINDOWS_FIONBIO;
	unsigned long on = 1, off = 0;

	WSAC_EXPECT_EQ(0, ioctlsocket(s, FIONBIO, &on), "ioctlsocket(FIONBIO, 1), Linux code");
	WSAC_EXPECT_EQ(true, nonblocking(s), "  ... sets O_NONBLOCK");
	WSAC_EXPECT_EQ(0, ioctlsocket(s, FIONBIO, &off), "ioctlsocket(FIONBIO, 0), Linux code");
	WSAC_EXPECT_EQ(false, nonblocking(s), "  ... clears O_NONBLOCK");
	WSAC_EXPECT_EQ(0, ioctlsocket(s, (long)WSAC_WINDOWS_FIONBIO, &on),
		       "ioctlsocket(0x8004667E, 1), Windows code");
	WSAC_EXPECT_EQ(true, nonblocking(s), "  ... sets O_NONBLOCK");
	WSAC_EXPECT_EQ(0, ioctlsocket(s, windows_fionbio, &off),
		       "ioctlsocket(0x8004667E sign-extended, 0)");
	WSAC_EXPECT_EQ(false, nonblocking(s), "  ... clears O_NONBLOCK");
}

static void test_fionread(int s, int peer)
{
	unsigned long n = 99;

	WSAC_EXPECT_EQ(0, ioctlsocket(s, FIONREAD, &n), "ioctlsocket(FIONREAD) with nothing queued");
	WSAC_EXPECT_EQ(0, n, "  ... is 0");
	WSAC_EXPECT_EQ(5, write(peer, "hello", 5), "5 bytes sent");
	WSAC_EXPECT_EQ(0, ioctlsocket(s, FIONREAD, &n), "ioctlsocket(FIONREAD), Linux code");
	WSAC_EXPECT_EQ(5, n, "  ... reports 5 bytes");
	n = 0;
	WSAC_EXPECT_EQ(0, ioctlsocket(s, (long)WSAC_WINDOWS_FIONREAD, &n),
		       "ioctlsocket(0x4004667F), Windows code");
	WSAC_EXPECT_EQ(5, n, "  ... reports 5 bytes");
}

static void test_ioctl_errors(int s)
{
	unsigned long arg = 0;
	int p[2];

	WSAC_EXPECT_EQ(SOCKET_ERROR, ioctlsocket(s, 0x12345678L, &arg), "an unknown command fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, ioctlsocket(s, FIONBIO, NULL), "a NULL argp fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, ioctlsocket(s, FIONBIO, (unsigned long *)16),
		       "a bad argp fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	if (pipe(p))
		return;
	WSAC_EXPECT_EQ(SOCKET_ERROR, ioctlsocket(p[0], FIONBIO, &arg), "ioctlsocket on a pipe fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	WSAC_EXPECT_EQ(SOCKET_ERROR, closesocket(p[0]), "closesocket on a pipe fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	WSAC_EXPECT_EQ(0, fcntl(p[0], F_GETFD), "  ... and leaves it open");
	close(p[0]);
	close(p[1]);
}

void wsac_test_socket(void)
{
	WSADATA wsa;
	int sv[2];

	wsac_fake_reset();
	if (!wsac_tap(!WSAStartup(MAKEWORD(2, 2), &wsa) &&
		      !socketpair(AF_UNIX, SOCK_STREAM, 0, sv),
		      "WSAStartup and a socketpair for the socket tests"))
		return;
	test_fionbio(sv[0]);
	test_fionread(sv[0], sv[1]);
	test_ioctl_errors(sv[0]);
	WSAC_EXPECT_EQ(0, closesocket(sv[0]), "closesocket on a socket");
	WSAC_EXPECT_EQ(-1, fcntl(sv[0], F_GETFD), "  ... closes the descriptor");
	close(sv[1]);
	WSACleanup();
}
