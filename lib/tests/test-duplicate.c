// SPDX-License-Identifier: GPL-2.0
/*
 * WSADuplicateSocketA/W and WSASocket(FROM_PROTOCOL_INFO) with their
 * result: in the same process, in a child taking the parent's socket
 * through pidfd_getfd(2), and their errors.  Also the W forms of the
 * address-string calls against their A forms.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

/* A connected loopback TCP pair: *client and *server; the listener closed. */
static bool tcp_pair(SOCKET *client, SOCKET *server)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct timeval tv = { .tv_sec = 5 };
	SOCKET l = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*client = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || *client < 0 || bind(l, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&sin, &len) ||
	    connect(*client, (struct sockaddr *)&sin, sizeof(sin)))
		return false;
	*server = accept(l, NULL, NULL);
	close(l);
	setsockopt(*client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return *server >= 0;
}

static bool cloexec(SOCKET s)
{
	return fcntl(s, F_GETFD) & FD_CLOEXEC;
}

static void test_errors(void)
{
	WSAPROTOCOL_INFOA info;
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	int p[2];

	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketA(s, (DWORD)getpid(), NULL),
		       "WSADuplicateSocketA with no lpProtocolInfo fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketA(s, (DWORD)getpid(),
							 (LPWSAPROTOCOL_INFOA)16),
		       "WSADuplicateSocketA into a bad pointer fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketW(s, (DWORD)getpid(),
							 (LPWSAPROTOCOL_INFOW)16),
		       "WSADuplicateSocketW into a bad pointer fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketA(s, 0, &info),
		       "WSADuplicateSocketA for process id 0 fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketA(s, 0x7ffffffe, &info),
		       "WSADuplicateSocketA for a process that does not exist fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketA(s, 0x80000001u, &info),
		       "WSADuplicateSocketA for a process id above INT_MAX fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketA(-1, (DWORD)getpid(), &info),
		       "WSADuplicateSocketA of INVALID_SOCKET fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	if (pipe(p) == 0) {
		WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketW(p[0], (DWORD)getpid(),
								 (LPWSAPROTOCOL_INFOW)&info),
			       "WSADuplicateSocketW of a pipe fails");
		WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
		close(p[0]);
		close(p[1]);
	}
	close(s);
}

static void test_same_process(void)
{
	WSAPROTOCOL_INFOA info;
	WSAPROTOCOL_INFOW winfo;
	SOCKET c, a, d, n;
	char buf[8] = "";

	if (!wsac_tap(tcp_pair(&c, &a), "a loopback TCP connection"))
		return;
	WSAC_EXPECT_EQ(0, WSADuplicateSocket(a, (DWORD)getpid(), &info),
		       "WSADuplicateSocket (the A form) for this process");
	WSAC_EXPECT_EQ(AF_INET, info.iAddressFamily, "  ... iAddressFamily AF_INET");
	WSAC_EXPECT_EQ(SOCK_STREAM, info.iSocketType, "  ... iSocketType SOCK_STREAM");
	WSAC_EXPECT_EQ(IPPROTO_TCP, info.iProtocol, "  ... iProtocol IPPROTO_TCP");
	WSAC_EXPECT_EQ(true, (info.dwServiceFlags1 & XP1_GUARANTEED_DELIVERY) != 0,
		       "  ... the TCP provider's service flags");
	WSAC_EXPECT_EQ(0, strcmp(info.szProtocol, "libwsaconnect TCP/IP"),
		       "  ... szProtocol \"libwsaconnect TCP/IP\"");

	d = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
	WSAC_EXPECT_EQ(true, d >= 0 && d != a, "WSASocketA(FROM_PROTOCOL_INFO) with it: a new descriptor");
	WSAC_EXPECT_EQ(false, cloexec(d), "  ... inheritable, as Windows' sockets are");
	close(a);
	WSAC_EXPECT_EQ(3, send(d, "dup", 3, 0),
		       "  ... still connected after the source closed its socket");
	WSAC_EXPECT_EQ(3, recv(c, buf, sizeof(buf), 0), "  ... the peer receives it");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
						  FROM_PROTOCOL_INFO, &info, 0, 0),
		       "the same WSAPROTOCOL_INFO a second time fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");

	WSAC_EXPECT_EQ(0, WSADuplicateSocketW(d, (DWORD)getpid(), &winfo),
		       "WSADuplicateSocketW for this process");
	WSAC_EXPECT_EQ(0, wcscmp(winfo.szProtocol, L"libwsaconnect TCP/IP"),
		       "  ... szProtocol L\"libwsaconnect TCP/IP\"");
	n = WSASocketW(AF_INET, SOCK_STREAM, 0, &winfo, 0, WSA_FLAG_NO_HANDLE_INHERIT);
	WSAC_EXPECT_EQ(true, n >= 0, "WSASocketW(AF_INET, SOCK_STREAM, 0) with it");
	WSAC_EXPECT_EQ(true, cloexec(n), "  ... close-on-exec with WSA_FLAG_NO_HANDLE_INHERIT");
	close(d);
	close(n);
	WSAC_EXPECT_EQ(0, (int)recv(c, buf, sizeof(buf), 0),
		       "the peer sees the end once every descriptor is closed");

	/* A descriptor closed, its number reused by another socket. */
	if (!wsac_tap(tcp_pair(&c, &a), "another loopback TCP connection"))
		return;
	WSAC_EXPECT_EQ(0, WSADuplicateSocketA(a, (DWORD)getpid(), &info),
		       "WSADuplicateSocketA for this process");
	close(a);
	n = socket(AF_INET, SOCK_STREAM, 0);
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
						  FROM_PROTOCOL_INFO, &info, 0, 0),
		       "its source closed (descriptor %s) before WSASocketA: fails",
		       n == a ? "reused" : "free");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	close(n);
	close(c);

	/* Made for another process. */
	n = socket(AF_INET6, SOCK_DGRAM, 0);
	WSAC_EXPECT_EQ(0, WSADuplicateSocketA(n, (DWORD)getppid(), &info),
		       "WSADuplicateSocketA of a UDP/IPv6 socket for the parent process");
	WSAC_EXPECT_EQ(0, strcmp(info.szProtocol, "libwsaconnect UDP/IPv6"),
		       "  ... szProtocol \"libwsaconnect UDP/IPv6\"");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
						  FROM_PROTOCOL_INFO, &info, 0, 0),
		       "  ... used in this process instead fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
						  FROM_PROTOCOL_INFO, &info, 0,
						  WSA_FLAG_MULTIPOINT_C_ROOT),
		       "  ... with a multipoint flag fails");
	WSAC_EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError(), "  ... with WSAEOPNOTSUPP");
	close(n);
}

static bool full_io(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;

	while (len) {
		ssize_t r = out ? write(fd, p, len) : read(fd, p, len);

		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

/*
 * A child takes the parent's accepted socket (it closed its inherited
 * copy first), sends on it and closes it; the parent closed its own
 * after the child had the socket, so the peer then sees the end.
 */
static void test_other_process(void)
{
	WSAPROTOCOL_INFOA info;
	int down[2], up[2], result = -1, status;
	SOCKET c, a;
	char buf[8] = "";
	pid_t pid;

	if (!wsac_tap(tcp_pair(&c, &a), "a loopback TCP connection for a child"))
		return;
	if (pipe(down) || pipe(up))
		return;
	pid = fork();
	if (pid == 0) {
		SOCKET d;
		int err = 0;

		close(a);
		close(c);
		if (!full_io(down[0], &info, sizeof(info), false))
			_exit(1);
		d = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
			       &info, 0, 0);
		if (d == INVALID_SOCKET)
			err = WSAGetLastError();
		else if (send(d, "child", 5, 0) != 5)
			err = -1;
		full_io(up[1], &err, sizeof(err), true);
		if (d != INVALID_SOCKET)
			close(d);
		_exit(0);
	}
	close(down[0]);		/* a child that dies early ends the read below */
	close(up[1]);
	if (pid < 0) {
		wsac_tap(false, "fork: %s", strerror(errno));
		close(a);
		close(c);
		close(down[1]);
		close(up[0]);
		return;
	}
	WSAC_EXPECT_EQ(0, WSADuplicateSocketA(a, (DWORD)pid, &info),
		       "WSADuplicateSocketA for a child process");
	full_io(down[1], &info, sizeof(info), true);
	if (!full_io(up[0], &result, sizeof(result), false))
		result = -2;
	close(a);
	waitpid(pid, &status, 0);
	if (result == WSAEACCES || result == WSAEOPNOTSUPP) {
		wsac_tap(true, "the child's WSASocketA takes the parent's socket # SKIP %s",
			 result == WSAEACCES ?
			 "no ptrace access to the parent here (WSAEACCES)" :
			 "no pidfd_getfd(2) on this kernel (WSAEOPNOTSUPP)");
	} else {
		WSAC_EXPECT_EQ(0, result, "the child's WSASocketA takes the parent's socket "
			       "through pidfd_getfd and sends on it");
		WSAC_EXPECT_EQ(5, recv(c, buf, sizeof(buf), 0), "  ... the peer receives it");
		WSAC_EXPECT_EQ(0, (int)recv(c, buf, sizeof(buf), 0),
			       "  ... and sees the end once both processes closed it");
	}
	close(c);
	close(down[1]);
	close(up[0]);
}

/*
 * Refused: a child that gave up root has no ptrace access to its parent
 * (root), so pidfd_getfd fails with EPERM: WSAEACCES.  Needs root.
 */
static void test_refused(void)
{
	WSAPROTOCOL_INFOA info;
	int down[2], up[2], result = -1;
	SOCKET s;
	pid_t pid;

	if (geteuid() != 0) {
		wsac_tap(true, "a child without ptrace access gets WSAEACCES # SKIP not root");
		return;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (pipe(down) || pipe(up))
		return;
	pid = fork();
	if (pid == 0) {
		SOCKET d;
		int err = 0;

		close(s);
		if (setgid(65534) || setuid(65534) ||
		    !full_io(down[0], &info, sizeof(info), false))
			_exit(1);
		d = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
			       &info, 0, 0);
		err = d == INVALID_SOCKET ? WSAGetLastError() : 0;
		full_io(up[1], &err, sizeof(err), true);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	if (pid < 0) {
		wsac_tap(false, "fork: %s", strerror(errno));
		close(s);
		close(down[1]);
		close(up[0]);
		return;
	}
	WSAC_EXPECT_EQ(0, WSADuplicateSocketA(s, (DWORD)pid, &info),
		       "WSADuplicateSocketA for a child that gives up root");
	full_io(down[1], &info, sizeof(info), true);
	if (!full_io(up[0], &result, sizeof(result), false))
		result = -2;
	waitpid(pid, NULL, 0);
	if (result == WSAEOPNOTSUPP)
		wsac_tap(true, "  ... its WSASocketA fails with WSAEACCES # SKIP "
			 "no pidfd_getfd(2) on this kernel");
	else
		WSAC_EXPECT_EQ(WSAEACCES, result,
			       "  ... its WSASocketA fails with WSAEACCES (no ptrace access)");
	close(s);
	close(down[1]);
	close(up[0]);
}

/* The W forms report what the A forms do. */
static void test_wide_forms(void)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(80) };
	wchar_t wtext[64];
	DWORD n;
	int len;

	a4.sin_addr.s_addr = htonl(0x7f000001);
	n = 5;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringW((LPSOCKADDR)&a4, sizeof(a4), NULL,
							 wtext, &n),
		       "WSAAddressToStringW into 5 characters fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(13, n, "  ... reporting the 13 needed");
	n = WSAC_ARRAY_SIZE(wtext);
	WSAC_EXPECT_EQ(0, WSAAddressToStringW((LPSOCKADDR)&a4, sizeof(a4), NULL, wtext, &n),
		       "WSAAddressToStringW of 127.0.0.1:80");
	WSAC_EXPECT_EQ(0, wcscmp(wtext, L"127.0.0.1:80"), "  ... is L\"127.0.0.1:80\"");
	a4.sin_family = AF_UNIX;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringW((LPSOCKADDR)&a4, sizeof(a4), NULL,
							 wtext, &n),
		       "WSAAddressToStringW of an AF_UNIX address fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	len = sizeof(a4);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressW((LPWSTR)16, AF_INET, NULL,
							 (LPSOCKADDR)&a4, &len),
		       "WSAStringToAddressW of an unreadable string fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressW((LPWSTR)L"1.2.3.4\x10FFFF", AF_INET,
							 NULL, (LPSOCKADDR)&a4, &len),
		       "WSAStringToAddressW of text that is no address fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	len = 8;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressW((LPWSTR)L"10.1.2.3", AF_INET, NULL,
							 (LPSOCKADDR)&a4, &len),
		       "WSAStringToAddressW into 8 bytes fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(16, len, "  ... reporting the 16 needed");
}

void wsac_test_duplicate(void)
{
	WSAPROTOCOL_INFOA info;
	WSADATA wsa;
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	wchar_t wtext[64];
	DWORD n = WSAC_ARRAY_SIZE(wtext);
	struct sockaddr_in a4 = { .sin_family = AF_INET };

	wsac_fake_reset();
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSADuplicateSocketA(s, (DWORD)getpid(), &info),
		       "WSADuplicateSocketA without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringW((LPSOCKADDR)&a4, sizeof(a4), NULL,
							 wtext, &n),
		       "WSAAddressToStringW without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	close(s);
	if (!wsac_tap(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup for the duplicate tests"))
		return;
	test_errors();
	test_same_process();
	test_other_process();
	test_refused();
	test_wide_forms();
	WSACleanup();
}
