// SPDX-License-Identifier: GPL-2.0
/*
 * The Winsock calls real programs use besides WSAConnect: WSASocket,
 * WSASend/WSARecv and their To/From forms, WSAAccept, the address-string
 * functions, GetAddrInfoA/W, WSAEnumProtocols, WSAGetQOSByName and the
 * WSAIoctl extensions -- their results and their errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <wchar.h>

#include <mswsock.h>
#include <mstcpip.h>
#include <qossp.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

static int v6only(SOCKET s)
{
	int on = -1;
	socklen_t len = sizeof(on);

	getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, &len);
	return on;
}

static void test_not_started(void)
{
	DWORD len = 0, n = 64;
	int ilen = 16;
	char text[64];
	struct sockaddr_in sin = { .sin_family = AF_INET };

	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(AF_INET, SOCK_STREAM, 0, NULL, 0, 0),
		       "WSASocketA without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	{
		SOCKET s = wsac_winsock_socket(AF_INET6, SOCK_STREAM, 0);

		WSAC_EXPECT_EQ(true, s >= 0,
			       "socket() through <winsock2.h> works before WSAStartup, as BSD calls do");
		WSAC_EXPECT_EQ(1, v6only(s), "  ... and gives v6-only AF_INET6 sockets");
		close(s);
	}
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAEnumProtocolsA(NULL, NULL, &len),
		       "WSAEnumProtocolsA without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringA((LPSOCKADDR)&sin, sizeof(sin), NULL,
							 text, &n),
		       "WSAAddressToStringA without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressA((LPSTR)"1.2.3.4", AF_INET, NULL,
							 (LPSOCKADDR)&sin, &ilen),
		       "WSAStringToAddressA without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(0, NULL, NULL, NULL, 0),
		       "WSAAccept without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
}

static void test_wsasocket(void)
{
	WSAPROTOCOL_INFOA info;
	SOCKET s, s4;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	socklen_t len = sizeof(a6);

	s = WSASocketA(AF_INET6, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
	WSAC_EXPECT_EQ(true, s >= 0, "WSASocketA(AF_INET6, WSA_FLAG_OVERLAPPED) succeeds");
	WSAC_EXPECT_EQ(1, v6only(s), "  ... and the socket is v6-only, as on Windows");
	s4 = wsac_winsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	WSAC_EXPECT_EQ(true, s4 >= 0, "socket() through <winsock2.h> succeeds");
	/* Winsock's dual bind: 0.0.0.0:P, then [::]:P. */
	a4.sin_addr.s_addr = htonl(INADDR_ANY);
	WSAC_EXPECT_EQ(0, bind(s4, (struct sockaddr *)&a4, sizeof(a4)), "bind 0.0.0.0:0");
	len = sizeof(a4);
	getsockname(s4, (struct sockaddr *)&a4, &len);
	a6.sin6_port = a4.sin_port;
	a6.sin6_addr = in6addr_any;
	WSAC_EXPECT_EQ(0, bind(s, (struct sockaddr *)&a6, sizeof(a6)),
		       "  ... then [::] on the same port works (v6-only)");
	close(s);
	close(s4);

	s = wsac_winsock_socket(AF_INET6, SOCK_DGRAM, 0);
	WSAC_EXPECT_EQ(1, v6only(s), "socket(AF_INET6) through <winsock2.h> is v6-only");
	close(s);

	s = WSASocketA(AF_INET, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_NO_HANDLE_INHERIT);
	WSAC_EXPECT_EQ(FD_CLOEXEC, fcntl(s, F_GETFD) & FD_CLOEXEC,
		       "WSA_FLAG_NO_HANDLE_INHERIT is close-on-exec");
	close(s);

	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(12345, SOCK_STREAM, 0, NULL, 0, 0),
		       "WSASocketA with an unknown family fails");
	WSAC_EXPECT_EQ(WSAEAFNOSUPPORT, WSAGetLastError(), "  ... with WSAEAFNOSUPPORT");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(AF_INET, 99, 0, NULL, 0, 0),
		       "WSASocketA with an unknown type fails");
	WSAC_EXPECT_EQ(WSAESOCKTNOSUPPORT, WSAGetLastError(), "  ... with WSAESOCKTNOSUPPORT");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(AF_INET, SOCK_STREAM, 0, NULL, 0, 0x4000),
		       "WSASocketA with an unknown flag fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(AF_INET, SOCK_DGRAM, 0, NULL, 0,
						  WSA_FLAG_MULTIPOINT_C_ROOT),
		       "WSASocketA with a multipoint flag fails");
	WSAC_EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError(), "  ... with WSAEOPNOTSUPP");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(AF_INET, SOCK_STREAM, 0, NULL, 1, 0),
		       "WSASocketA with a group fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(FROM_PROTOCOL_INFO, SOCK_STREAM, 0, NULL, 0, 0),
		       "FROM_PROTOCOL_INFO without a WSAPROTOCOL_INFO fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
						  FROM_PROTOCOL_INFO,
						  (LPWSAPROTOCOL_INFOA)16, 0, 0),
		       "a bad WSAPROTOCOL_INFO pointer fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	memset(&info, 0, sizeof(info));
	info.iAddressFamily = AF_INET6;
	info.iSocketType = SOCK_DGRAM;
	info.iProtocol = IPPROTO_UDP;
	s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
	WSAC_EXPECT_EQ(true, s >= 0, "WSASocketA(FROM_PROTOCOL_INFO x3) succeeds");
	len = sizeof(int);
	{
		int type = 0;

		getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len);
		WSAC_EXPECT_EQ(SOCK_DGRAM, type, "  ... with the info's type");
	}
	close(s);

	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAJoinLeaf(0, NULL, 0, NULL, NULL, NULL, NULL, JL_BOTH),
		       "WSAJoinLeaf fails");
	WSAC_EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError(), "  ... with WSAEOPNOTSUPP");
}

static void test_send_recv(void)
{
	char in[16], a[] = "hel", b[] = "lo";
	WSABUF bufs[2] = { { 3, a }, { 2, b } }, rb = { sizeof(in), in };
	WSAOVERLAPPED ov;
	DWORD n = 99, flags = 0;
	int sv[2], u[2], p[2];
	struct sockaddr_in from;
	int fromlen = sizeof(from);

	if (!wsac_tap(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv) &&
		      !socketpair(AF_UNIX, SOCK_DGRAM, 0, u) && !pipe(p),
		      "socketpairs for WSASend/WSARecv"))
		return;
	WSAC_EXPECT_EQ(0, WSASend(sv[0], bufs, 2, &n, 0, NULL, NULL), "WSASend of two buffers");
	WSAC_EXPECT_EQ(5, n, "  ... sends 5 bytes");
	n = 0;
	WSAC_EXPECT_EQ(0, WSARecv(sv[1], &rb, 1, &n, &flags, NULL, NULL), "WSARecv");
	WSAC_EXPECT_EQ(5, n, "  ... receives 5 bytes");
	WSAC_EXPECT_EQ(0, memcmp(in, "hello", 5), "  ... \"hello\"");

	memset(&ov, 0, sizeof(ov));
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(sv[0], bufs, 2, &n, 0, &ov, NULL),
		       "overlapped WSASend fails");
	WSAC_EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError(), "  ... with WSAEOPNOTSUPP");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecv(sv[1], &rb, 1, &n, &flags, &ov, NULL),
		       "overlapped WSARecv fails");
	WSAC_EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError(), "  ... with WSAEOPNOTSUPP");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(sv[0], bufs, 2, NULL, 0, NULL, NULL),
		       "WSASend without lpNumberOfBytesSent fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(sv[0], (LPWSABUF)16, 1, &n, 0, NULL, NULL),
		       "WSASend with a bad buffer array fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecv(sv[1], &rb, 1, &n, NULL, NULL, NULL),
		       "WSARecv without lpFlags fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(p[1], bufs, 2, &n, 0, NULL, NULL),
		       "WSASend on a pipe fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");

	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecv(sv[1], &rb, 1, &n, &flags, NULL, NULL),
		       "WSARecv with nothing queued on a nonblocking socket fails");
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(), "  ... with WSAEWOULDBLOCK");

	close(sv[1]);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASend(sv[0], bufs, 2, &n, 0, NULL, NULL),
		       "WSASend to a closed peer fails (and raises no SIGPIPE)");

	/* A datagram larger than the buffer: WSAEMSGSIZE, the part kept. */
	WSAC_EXPECT_EQ(0, WSASend(u[0], bufs, 2, &n, 0, NULL, NULL), "a 5-byte datagram");
	rb.len = 3;
	n = 0;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecv(u[1], &rb, 1, &n, &flags, NULL, NULL),
		       "WSARecv of it into 3 bytes fails");
	WSAC_EXPECT_EQ(WSAEMSGSIZE, WSAGetLastError(), "  ... with WSAEMSGSIZE");
	WSAC_EXPECT_EQ(3, n, "  ... having copied 3 bytes");
	rb.len = sizeof(in);

	/* WSARecvFrom's address length is checked before anything is read. */
	fromlen = 4;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecvFrom(u[1], &rb, 1, &n, &flags,
						 (struct sockaddr *)&from, &fromlen, NULL, NULL),
		       "WSARecvFrom with a short lpFromlen fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecvFrom(u[1], &rb, 1, &n, &flags,
						 (struct sockaddr *)&from, NULL, NULL, NULL),
		       "WSARecvFrom with lpFrom and no lpFromlen fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	close(sv[0]);
	close(u[0]);
	close(u[1]);
	close(p[0]);
	close(p[1]);
}

static void test_send_to_udp(void)
{
	SOCKET a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET }, from;
	socklen_t len = sizeof(sa);
	int fromlen = sizeof(from);
	char data[] = "ping", in[8];
	WSABUF wb = { 4, data }, rb = { sizeof(in), in };
	DWORD n = 0, flags = 0;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!wsac_tap(a >= 0 && b >= 0 && !bind(b, (struct sockaddr *)&sa, sizeof(sa)) &&
		      !getsockname(b, (struct sockaddr *)&sa, &len), "two UDP sockets on loopback"))
		return;
	WSAC_EXPECT_EQ(0, WSASendTo(a, &wb, 1, &n, 0, (struct sockaddr *)&sa, sizeof(sa),
				    NULL, NULL), "WSASendTo");
	WSAC_EXPECT_EQ(4, n, "  ... sends 4 bytes");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASendTo(a, &wb, 1, &n, 0, (struct sockaddr *)&sa, 4,
					       NULL, NULL), "WSASendTo with iTolen 4 fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(0, WSARecvFrom(b, &rb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen,
				      NULL, NULL), "WSARecvFrom");
	WSAC_EXPECT_EQ(4, n, "  ... receives 4 bytes");
	WSAC_EXPECT_EQ(sizeof(struct sockaddr_in), fromlen, "  ... and a 16-byte address");
	close(a);
	close(b);
}

static SOCKET listener(struct sockaddr_in *sa)
{
	SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
	socklen_t len = sizeof(*sa);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)sa, sizeof(*sa)) || listen(l, 8) ||
	    getsockname(l, (struct sockaddr *)sa, &len))
		return -1;
	return l;
}

static SOCKET dial(const struct sockaddr_in *sa)
{
	SOCKET c = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(c, (const struct sockaddr *)sa, sizeof(*sa)))
		return -1;
	return c;
}

static int cond_calls;
static ULONG cond_caller_len, cond_callee_len, cond_data_len;

static int CALLBACK cond(LPWSABUF caller, LPWSABUF caller_data, LPQOS sqos, LPQOS gqos,
			 LPWSABUF callee, LPWSABUF callee_data, GROUP *g, DWORD_PTR answer)
{
	(void)sqos; (void)gqos; (void)callee_data; (void)g;
	cond_calls++;
	cond_caller_len = caller->len;
	cond_callee_len = callee->len;
	cond_data_len = caller_data->len;
	return (int)answer;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A blocking WSAAccept() with nothing pending, interrupted by a handler
 * installed without SA_RESTART: WSAEINTR, and the condition function is
 * never called.
 */
static void test_wsaaccept_eintr(SOCKET l)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval it = { .it_value = { .tv_usec = 50000 } }, off = { 0 };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	cond_calls = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(l, NULL, NULL, cond, CF_ACCEPT),
		       "a blocking WSAAccept interrupted by a signal fails");
	WSAC_EXPECT_EQ(WSAEINTR, WSAGetLastError(), "  ... with WSAEINTR");
	WSAC_EXPECT_EQ(0, cond_calls, "  ... without calling the condition function");
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
}

static void test_wsaaccept(void)
{
	struct sockaddr_in sa, peer;
	int peerlen = sizeof(peer), shortlen = 4;
	SOCKET l = listener(&sa), c, a, u;
	char byte;
	int p[2];

	if (!wsac_tap(l >= 0, "a TCP listener on loopback"))
		return;
	c = dial(&sa);
	a = WSAAccept(l, (struct sockaddr *)&peer, &peerlen, NULL, 0);
	WSAC_EXPECT_EQ(true, a >= 0, "WSAAccept without a condition function accepts");
	WSAC_EXPECT_EQ(sizeof(peer), peerlen, "  ... and reports a 16-byte address");
	close(a);
	close(c);

	c = dial(&sa);
	cond_calls = 0;
	a = WSAAccept(l, NULL, NULL, cond, CF_DEFER);
	WSAC_EXPECT_EQ(INVALID_SOCKET, a, "CF_DEFER: WSAAccept fails");
	WSAC_EXPECT_EQ(WSATRY_AGAIN, WSAGetLastError(), "  ... with WSATRY_AGAIN");
	WSAC_EXPECT_EQ(sizeof(struct sockaddr_in), cond_caller_len, "  ... lpCallerId is the peer");
	WSAC_EXPECT_EQ(sizeof(struct sockaddr_in), cond_callee_len, "  ... lpCalleeId the local address");
	WSAC_EXPECT_EQ(0, cond_data_len, "  ... lpCallerData is empty");
	fcntl(l, F_SETFL, O_NONBLOCK);
	a = WSAAccept(l, NULL, NULL, cond, CF_ACCEPT);
	WSAC_EXPECT_EQ(true, a >= 0, "  ... the next WSAAccept gets the deferred connection");
	WSAC_EXPECT_EQ(1, send(c, "x", 1, 0), "  ... the very same one");
	WSAC_EXPECT_EQ(1, recv(a, &byte, 1, 0), "  ... (data goes through)");
	/*
	 * The condition left lpCalleeData as offered (most Winsock programs
	 * never look at it): the client must not receive a buffer of callee
	 * data it never asked for.
	 */
	WSAC_EXPECT_EQ(-1, recv(c, &byte, 1, MSG_DONTWAIT),
		       "  ... an untouched lpCalleeData sends the client nothing");
	close(a);
	close(c);

	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(l, NULL, NULL, cond, CF_ACCEPT),
		       "WSAAccept on a nonblocking listener with nothing pending fails");
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(), "  ... with WSAEWOULDBLOCK");
	fcntl(l, F_SETFL, 0);

	c = dial(&sa);
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(l, NULL, NULL, cond, CF_REJECT),
		       "CF_REJECT: WSAAccept fails");
	WSAC_EXPECT_EQ(WSAECONNREFUSED, WSAGetLastError(), "  ... with WSAECONNREFUSED");
	WSAC_EXPECT_EQ(-1, recv(c, &byte, 1, 0), "  ... and the peer is reset");
	WSAC_EXPECT_EQ(ECONNRESET, errno, "  ... (ECONNRESET)");
	close(c);

	c = dial(&sa);
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(l, NULL, NULL, cond, 7),
		       "a condition function returning 7: WSAAccept fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	close(c);

	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(l, (struct sockaddr *)&peer, &shortlen, NULL, 0),
		       "WSAAccept with addrlen 4 fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(l, (struct sockaddr *)&peer, NULL, NULL, 0),
		       "WSAAccept with addr and no addrlen fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	u = socket(AF_INET, SOCK_STREAM, 0);
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(u, NULL, NULL, NULL, 0),
		       "WSAAccept on a socket that is not listening fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	close(u);
	if (!pipe(p)) {
		WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(p[0], NULL, NULL, NULL, 0),
			       "WSAAccept on a pipe fails");
		WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
		close(p[0]);
		close(p[1]);
	}

	test_wsaaccept_eintr(l);

	/* closesocket() of a listener resets its deferred connection. */
	c = dial(&sa);
	WSAAccept(l, NULL, NULL, cond, CF_DEFER);
	WSAC_EXPECT_EQ(0, closesocket(l), "closesocket of a listener with a deferred connection");
	WSAC_EXPECT_EQ(-1, recv(c, &byte, 1, 0), "  ... resets that connection");
	close(c);
}

static void test_addrstr(void)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	char text[64];
	wchar_t wtext[64];
	DWORD n;
	int len;

	memset(&a4, 0, sizeof(a4));
	a4.sin_family = AF_INET;
	a4.sin_port = htons(80);
	a4.sin_addr.s_addr = htonl(0x7f000001);
	n = sizeof(text);
	WSAC_EXPECT_EQ(0, WSAAddressToStringA((LPSOCKADDR)&a4, sizeof(a4), NULL, text, &n),
		       "WSAAddressToStringA of 127.0.0.1:80");
	WSAC_EXPECT_EQ(0, strcmp(text, "127.0.0.1:80"), "  ... is \"127.0.0.1:80\"");
	WSAC_EXPECT_EQ(13, n, "  ... length 13 with the NUL");
	n = 5;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringA((LPSOCKADDR)&a4, sizeof(a4), NULL, text, &n),
		       "a 5-character buffer fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(13, n, "  ... reporting the 13 needed");
	n = sizeof(text);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringA((LPSOCKADDR)&a4, 8, NULL, text, &n),
		       "a dwAddressLength of 8 fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringA((LPSOCKADDR)&a4, sizeof(a4), NULL, text, NULL),
		       "no lpdwAddressStringLength fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	a4.sin_family = AF_UNIX;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAAddressToStringA((LPSOCKADDR)&a4, sizeof(a4), NULL, text, &n),
		       "an AF_UNIX address fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");

	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_port = htons(443);
	a6.sin6_scope_id = 2;
	inet_pton(AF_INET6, "fe80::1", &a6.sin6_addr);
	n = sizeof(text);
	WSAC_EXPECT_EQ(0, WSAAddressToStringA((LPSOCKADDR)&a6, sizeof(a6), NULL, text, &n),
		       "WSAAddressToStringA of [fe80::1%%2]:443");
	WSAC_EXPECT_EQ(0, strcmp(text, "[fe80::1%2]:443"), "  ... is \"[fe80::1%%2]:443\"");
	n = WSAC_ARRAY_SIZE(wtext);
	WSAC_EXPECT_EQ(0, WSAAddressToStringW((LPSOCKADDR)&a6, sizeof(a6), NULL, wtext, &n),
		       "WSAAddressToStringW of it");
	WSAC_EXPECT_EQ(0, wcscmp(wtext, L"[fe80::1%2]:443"), "  ... is L\"[fe80::1%%2]:443\"");
	WSAC_EXPECT_EQ(16, n, "  ... 16 characters with the NUL");

	len = sizeof(a6);
	WSAC_EXPECT_EQ(0, WSAStringToAddressA((LPSTR)"[::1]:8080", AF_INET6, NULL,
					      (LPSOCKADDR)&a6, &len),
		       "WSAStringToAddressA(\"[::1]:8080\")");
	WSAC_EXPECT_EQ(8080, ntohs(a6.sin6_port), "  ... port 8080");
	WSAC_EXPECT_EQ(1, IN6_IS_ADDR_LOOPBACK(&a6.sin6_addr), "  ... address ::1");
	WSAC_EXPECT_EQ(sizeof(a6), len, "  ... length 28");
	len = sizeof(a4);
	WSAC_EXPECT_EQ(0, WSAStringToAddressW((LPWSTR)L"10.1.2.3:99", AF_INET, NULL,
					      (LPSOCKADDR)&a4, &len),
		       "WSAStringToAddressW(L\"10.1.2.3:99\")");
	WSAC_EXPECT_EQ(99, ntohs(a4.sin_port), "  ... port 99");
	WSAC_EXPECT_EQ(0x0a010203, ntohl(a4.sin_addr.s_addr), "  ... address 10.1.2.3");
	len = 8;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressA((LPSTR)"10.1.2.3", AF_INET, NULL,
							 (LPSOCKADDR)&a4, &len),
		       "WSAStringToAddressA into 8 bytes fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(16, len, "  ... reporting the 16 needed");
	len = sizeof(a4);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressA((LPSTR)"10.1.2.3:99999", AF_INET, NULL,
							 (LPSOCKADDR)&a4, &len),
		       "a port above 65535 fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressA((LPSTR)"nonsense", AF_INET, NULL,
							 (LPSOCKADDR)&a4, &len),
		       "text that is no address fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressA((LPSTR)"1.2.3.4", AF_UNIX, NULL,
							 (LPSOCKADDR)&a4, &len),
		       "AF_UNIX fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAStringToAddressA((LPSTR)"1.2.3.4", AF_INET, NULL,
							 (LPSOCKADDR)&a4, NULL),
		       "no lpAddressLength fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	WSAC_EXPECT_EQ(1, InetPtonW(AF_INET, L"192.0.2.7", &a4.sin_addr), "InetPtonW");
	WSAC_EXPECT_EQ(0xc0000207, ntohl(a4.sin_addr.s_addr), "  ... 192.0.2.7");
	WSAC_EXPECT_EQ(true, InetNtopW(AF_INET, &a4.sin_addr, wtext, 64) == wtext, "InetNtopW");
	WSAC_EXPECT_EQ(0, wcscmp(wtext, L"192.0.2.7"), "  ... L\"192.0.2.7\"");
	WSAC_EXPECT_EQ(true, InetNtopW(AF_INET, &a4.sin_addr, wtext, 4) == NULL,
		       "InetNtopW into 4 characters fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	{
		SOCKET s = socket(AF_INET, SOCK_STREAM, 0);

		WSAC_EXPECT_EQ(FALSE, WSAConnectByNameW(s, NULL, (LPWSTR)L"80", NULL, NULL,
							NULL, NULL, NULL, NULL),
			       "WSAConnectByNameW without a node name fails");
		WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
		close(s);
	}
	WSAC_EXPECT_EQ(SOCKET_ERROR, InetPtonW(AF_UNIX, L"x", &a4.sin_addr),
		       "InetPtonW(AF_UNIX) fails");
	WSAC_EXPECT_EQ(WSAEAFNOSUPPORT, WSAGetLastError(), "  ... with WSAEAFNOSUPPORT");
}

static void test_getaddrinfo(void)
{
	ADDRINFOW hints, *res = NULL;
	ADDRINFOA ha, *ra = NULL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_CANONNAME;
	WSAC_EXPECT_EQ(0, GetAddrInfoW(L"127.0.0.1", L"80", &hints, &res),
		       "GetAddrInfoW(L\"127.0.0.1\", L\"80\")");
	WSAC_EXPECT_EQ(true, res && res->ai_addr && res->ai_addrlen == sizeof(struct sockaddr_in),
		       "  ... one IPv4 address");
	WSAC_EXPECT_EQ(80, res ? ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) : 0,
		       "  ... port 80");
	WSAC_EXPECT_EQ(true, res && res->ai_canonname && !wcscmp(res->ai_canonname, L"127.0.0.1"),
		       "  ... canonical name as wchar_t");
	FreeAddrInfoW(res);
	WSAC_EXPECT_EQ(EAI_NONAME, GetAddrInfoW(L"not an address", NULL, &hints, &res),
		       "GetAddrInfoW of a bad numeric host fails with EAI_NONAME");
	WSAC_EXPECT_EQ(WSAHOST_NOT_FOUND, WSAGetLastError(), "  ... WSAGetLastError WSAHOST_NOT_FOUND");
	WSAC_EXPECT_EQ(true, res == NULL, "  ... and *ppResult is NULL");
	memset(&ha, 0, sizeof(ha));
	ha.ai_flags = AI_NUMERICHOST;
	ha.ai_family = 12345;
	WSAC_EXPECT_EQ(EAI_FAMILY, GetAddrInfoA("127.0.0.1", NULL, &ha, &ra),
		       "GetAddrInfoA with an unknown family fails with EAI_FAMILY");
	WSAC_EXPECT_EQ(WSAEAFNOSUPPORT, WSAGetLastError(), "  ... WSAGetLastError WSAEAFNOSUPPORT");
	WSAC_EXPECT_EQ(EAI_BADFLAGS, GetAddrInfoA("127.0.0.1", NULL, NULL, NULL),
		       "GetAddrInfoA without ppResult fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
}

static void test_protocols(void)
{
	WSAPROTOCOL_INFOA infos[8];
	WSAPROTOCOL_INFOW winfo[8];
	int udp[] = { IPPROTO_UDP, 0 }, n, i, qos = 0;
	DWORD len = 0;

	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAEnumProtocolsA(NULL, NULL, &len),
		       "WSAEnumProtocolsA without a buffer fails");
	WSAC_EXPECT_EQ(WSAENOBUFS, WSAGetLastError(), "  ... with WSAENOBUFS");
	WSAC_EXPECT_EQ(4 * sizeof(WSAPROTOCOL_INFOA), len, "  ... needing 4 entries");
	len = sizeof(infos);
	n = WSAEnumProtocolsA(NULL, infos, &len);
	WSAC_EXPECT_EQ(4, n, "WSAEnumProtocolsA: TCP and UDP over IPv4 and IPv6");
	for (i = 0; i < n; i++)
		qos += !!(infos[i].dwServiceFlags1 & XP1_QOS_SUPPORTED);
	WSAC_EXPECT_EQ(4, qos, "  ... all with XP1_QOS_SUPPORTED");
	WSAC_EXPECT_EQ(0, infos[0].dwServiceFlags1 & XP1_CONNECT_DATA,
		       "  ... none with XP1_CONNECT_DATA, as on Windows");
	len = sizeof(infos);
	WSAC_EXPECT_EQ(2, WSAEnumProtocolsA(udp, infos, &len), "only UDP: 2 entries");
	WSAC_EXPECT_EQ(SOCK_DGRAM, infos[1].iSocketType, "  ... datagram sockets");
	len = sizeof(winfo);
	WSAC_EXPECT_EQ(4, WSAEnumProtocolsW(NULL, winfo, &len), "WSAEnumProtocolsW");
	WSAC_EXPECT_EQ(0, wcsncmp(winfo[0].szProtocol, L"libwsaconnect", 13),
		       "  ... with wide names");
	len = sizeof(WSAPROTOCOL_INFOA);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAEnumProtocolsA(NULL, infos, &len),
		       "a buffer for one entry fails");
	WSAC_EXPECT_EQ(WSAENOBUFS, WSAGetLastError(), "  ... with WSAENOBUFS");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAEnumProtocolsA(NULL, infos, NULL),
		       "no lpdwBufferLength fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
}

static void test_qos_by_name(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	WSABUF name = { 4, (CHAR *)"G711" }, bad = { 4, (CHAR *)"nope" };
	QOS q;
	int p[2];

	WSAC_EXPECT_EQ(TRUE, WSAGetQOSByName(s, &name, &q), "WSAGetQOSByName(\"G711\")");
	WSAC_EXPECT_EQ(SERVICETYPE_GUARANTEED, q.SendingFlowspec.ServiceType, "  ... Guaranteed");
	WSAC_EXPECT_EQ(FALSE, WSAGetQOSByName(s, &bad, &q), "an unknown name fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(FALSE, WSAGetQOSByName(s, &name, NULL), "no lpQOS fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	if (!pipe(p)) {
		WSAC_EXPECT_EQ(FALSE, WSAGetQOSByName(p[0], &name, &q), "on a pipe fails");
		WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
		close(p[0]);
		close(p[1]);
	}
	close(s);
}

static void test_ioctl_ext(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0), u;
	GUID poll = WSAID_WSAPOLL, connectex = WSAID_CONNECTEX, other = { 1, 2, 3, { 4 } };
	LPFN_WSAPOLL fn = NULL;
	DWORD ret = 0, q = ALLOWED_TO_SEND_DATA, a = 7;
	struct tcp_keepalive ka = { 1, 30000, 5000 };
	SOCKET_ADDRESS_LIST list, out;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int v = 0;
	socklen_t len = sizeof(v);

	WSAC_EXPECT_EQ(0, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &poll, sizeof(poll),
				   &fn, sizeof(fn), &ret, NULL, NULL),
		       "SIO_GET_EXTENSION_FUNCTION_POINTER(WSAID_WSAPOLL)");
	WSAC_EXPECT_EQ(true, fn == WSAPoll, "  ... is WSAPoll");
	WSAC_EXPECT_EQ(sizeof(fn), ret, "  ... one pointer returned");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &connectex,
					      sizeof(connectex), &fn, sizeof(fn), &ret, NULL, NULL),
		       "WSAID_CONNECTEX fails");
	WSAC_EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError(), "  ... with WSAEOPNOTSUPP");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &other,
					      sizeof(other), &fn, sizeof(fn), &ret, NULL, NULL),
		       "an unknown GUID fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &poll,
					      sizeof(poll), &fn, 4, &ret, NULL, NULL),
		       "a 4-byte output buffer fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	WSAC_EXPECT_EQ(0, WSAIoctl(s, SIO_CHK_QOS, &q, sizeof(q), &a, sizeof(a), &ret, NULL, NULL),
		       "SIO_CHK_QOS(ALLOWED_TO_SEND_DATA)");
	WSAC_EXPECT_EQ(1, a, "  ... yes");
	q = END_TO_END_QOSABILITY;
	WSAIoctl(s, SIO_CHK_QOS, &q, sizeof(q), &a, sizeof(a), &ret, NULL, NULL);
	WSAC_EXPECT_EQ(0, a, "SIO_CHK_QOS(END_TO_END_QOSABILITY): no (no RSVP)");
	q = LINE_RATE;
	WSAIoctl(s, SIO_CHK_QOS, &q, sizeof(q), &a, sizeof(a), &ret, NULL, NULL);
	WSAC_EXPECT_EQ(INFO_NOT_AVAILABLE, a, "SIO_CHK_QOS(LINE_RATE): INFO_NOT_AVAILABLE");
	q = 3;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(s, SIO_CHK_QOS, &q, sizeof(q), &a, sizeof(a), &ret,
					      NULL, NULL), "SIO_CHK_QOS(3) fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(s, SIO_CHK_QOS, NULL, 0, &a, sizeof(a), &ret,
					      NULL, NULL), "SIO_CHK_QOS without input fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	list.iAddressCount = 1;
	list.Address[0].lpSockaddr = (LPSOCKADDR)&sin;
	list.Address[0].iSockaddrLength = sizeof(sin);
	WSAC_EXPECT_EQ(0, WSAIoctl(s, SIO_ADDRESS_LIST_SORT, &list, sizeof(list), &out, sizeof(out),
				   &ret, NULL, NULL), "SIO_ADDRESS_LIST_SORT of one address");
	WSAC_EXPECT_EQ(true, out.iAddressCount == 1 && out.Address[0].lpSockaddr == (LPSOCKADDR)&sin,
		       "  ... returns it");
	WSAC_EXPECT_EQ(SIZEOF_SOCKET_ADDRESS_LIST(1), ret, "  ... SIZEOF_SOCKET_ADDRESS_LIST(1) bytes");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(s, SIO_ADDRESS_LIST_SORT, &list, sizeof(list), &out, 4,
					      &ret, NULL, NULL), "  ... into 4 bytes fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	WSAC_EXPECT_EQ(0, WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &ret, NULL, NULL),
		       "SIO_KEEPALIVE_VALS {1, 30000, 5000}");
	getsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v, &len);
	WSAC_EXPECT_EQ(30, v, "  ... TCP_KEEPIDLE 30 s");
	getsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &v, &len);
	WSAC_EXPECT_EQ(5, v, "  ... TCP_KEEPINTVL 5 s");

	/* FD_QOS: recorded when SIO_SET_QOS changed what is in force. */
	u = socket(AF_INET, SOCK_DGRAM, 0);
	{
		WSAEVENT ev = WSACreateEvent();
		WSANETWORKEVENTS ne;
		QOS qos;

		memset(&qos, 0xff, sizeof(qos));
		qos.SendingFlowspec.ServiceType = SERVICETYPE_BESTEFFORT;
		qos.ReceivingFlowspec.ServiceType = SERVICETYPE_NOTRAFFIC;
		qos.ProviderSpecific.len = 0;
		qos.ProviderSpecific.buf = NULL;
		WSAC_EXPECT_EQ(0, WSAEventSelect(u, ev, FD_QOS), "WSAEventSelect(FD_QOS)");
		WSAC_EXPECT_EQ(0, WSAIoctl(u, SIO_SET_QOS, &qos, sizeof(qos), NULL, 0, &ret, NULL,
					   NULL), "SIO_SET_QOS best effort");
		WSAC_EXPECT_EQ(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE),
			       "  ... signals the event");
		WSAC_EXPECT_EQ(0, WSAEnumNetworkEvents(u, ev, &ne), "  ... WSAEnumNetworkEvents");
		WSAC_EXPECT_EQ(FD_QOS, ne.lNetworkEvents & FD_QOS, "  ... reports FD_QOS");
		WSACloseEvent(ev);
	}
	close(u);
	close(s);
}

/* The Winsock layouts programs depend on. */
static void test_layouts(void)
{
	struct in_addr a;

	a.S_un.S_addr = htonl(0x01020304);
	WSAC_EXPECT_EQ(1, a.S_un.S_un_b.s_b1, "in_addr.S_un.S_un_b.s_b1");
	WSAC_EXPECT_EQ(htonl(0x01020304), a.s_addr, "  ... shares glibc's s_addr");
	WSAC_EXPECT_EQ(4, sizeof(struct in_addr), "  ... in 4 bytes");
	WSAC_EXPECT_EQ(4, sizeof(SCOPE_ID), "SCOPE_ID is 4 bytes");
	WSAC_EXPECT_EQ(16, sizeof(GUID), "GUID is 16 bytes");
	WSAC_EXPECT_EQ(28, sizeof(SOCKADDR_INET), "SOCKADDR_INET is 28 bytes");
	WSAC_EXPECT_EQ(sizeof(INT) + sizeof(void *) - sizeof(INT) % sizeof(void *) +
		       3 * sizeof(SOCKET_ADDRESS) - (sizeof(void *) == 4 ? 4 : 0),
		       SIZEOF_SOCKET_ADDRESS_LIST(3), "SIZEOF_SOCKET_ADDRESS_LIST(3)");
	WSAC_EXPECT_EQ(0xDC000001u, SIO_CHK_QOS, "SIO_CHK_QOS is 0xDC000001");
	WSAC_EXPECT_EQ(0xC8000006u, SIO_GET_EXTENSION_FUNCTION_POINTER,
		       "SIO_GET_EXTENSION_FUNCTION_POINTER is 0xC8000006");
	WSAC_EXPECT_EQ(0xC8000019u, SIO_ADDRESS_LIST_SORT, "SIO_ADDRESS_LIST_SORT is 0xC8000019");
	WSAC_EXPECT_EQ(0x98000004u, SIO_KEEPALIVE_VALS, "SIO_KEEPALIVE_VALS is 0x98000004");
}

void wsac_test_api(void)
{
	WSADATA wsa;

	wsac_fake_reset();
	test_layouts();
	test_not_started();
	if (!wsac_tap(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup for the API tests"))
		return;
	test_wsasocket();
	test_send_recv();
	test_send_to_udp();
	test_wsaaccept();
	test_addrstr();
	test_getaddrinfo();
	test_protocols();
	test_qos_by_name();
	test_ioctl_ext();
	WSACleanup();
}
