// SPDX-License-Identifier: GPL-2.0
/*
 * Winsock names published programs use that Linux lacks (issue 12): the
 * Winsock-only socket options through <winsock2.h>'s setsockopt() and
 * getsockopt(), WSAHtons and friends, gai_strerrorA/W.  This file sees
 * the BSD wrappers, as a Winsock program does.
 */
#undef WSACONNECT_NO_BSD_WRAPPERS
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wchar.h>

#include "fake-module.h"
#include "runner.h"

static char *unmapped_page(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, (size_t)page);
	return p;
}

static void test_byte_order_not_started(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	u_short ns = 0;
	u_long nl = 0;

	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAHtons(s, 0x1234, &ns),
		       "WSAHtons without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSANtohl(s, 0x12345678, &nl),
		       "WSANtohl without WSAStartup fails");
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "  ... with WSANOTINITIALISED");
	WSAC_EXPECT_EQ(0, ns | nl, "  ... and nothing is written");
	closesocket(s);
}

static void test_byte_order(void)
{
	SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
	char *gone = unmapped_page();
	int fd = open("/dev/null", O_RDONLY);
	u_short ns = 0, hs = 0;
	u_long nl = 0, hl = 0;

	WSAC_EXPECT_EQ(0, WSAHtons(s, 0x1234, &ns), "WSAHtons succeeds");
	WSAC_EXPECT_EQ(htons(0x1234), ns, "  ... with network order");
	WSAC_EXPECT_EQ(0, WSANtohs(s, ns, &hs), "WSANtohs succeeds");
	WSAC_EXPECT_EQ(0x1234, hs, "  ... and turns it back");
	WSAC_EXPECT_EQ(0, WSAHtonl(s, 0x12345678, &nl), "WSAHtonl succeeds");
	WSAC_EXPECT_EQ(htonl(0x12345678), nl, "  ... with network order");
	WSAC_EXPECT_EQ(0, WSANtohl(s, nl, &hl), "WSANtohl succeeds");
	WSAC_EXPECT_EQ(0x12345678, hl, "  ... and turns it back");
	WSAC_EXPECT_EQ(4, sizeof(nl), "  ... on Windows' 32-bit u_long");

	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAHtonl(s, 1, NULL), "WSAHtonl into NULL fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSANtohs(s, 1, NULL), "WSANtohs into NULL fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	if (gone) {
		WSAC_EXPECT_EQ(SOCKET_ERROR, WSAHtons(s, 1, (u_short *)gone),
			       "WSAHtons into an unmapped page fails");
		WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
		WSAC_EXPECT_EQ(SOCKET_ERROR, WSANtohl(s, 1, (u_long *)gone),
			       "WSANtohl into an unmapped page fails");
		WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	}
	nl = 7;
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAHtonl(fd, 1, &nl), "WSAHtonl on /dev/null fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	WSAC_EXPECT_EQ(7, nl, "  ... and writes nothing");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSANtohs(INVALID_SOCKET, 1, &ns),
		       "WSANtohs on INVALID_SOCKET fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	close(fd);
	closesocket(s);
}

static int linger_state(SOCKET s, int *secs)
{
	struct linger l = { -1, -1 };
	socklen_t len = sizeof(l);

	getsockopt(s, SOL_SOCKET, SO_LINGER, &l, &len);
	*secs = l.l_linger;
	return l.l_onoff;
}

static void test_dontlinger(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	LINGER l = { 1, 7 };
	BOOL b = TRUE;
	int len = sizeof(b), secs;

	WSAC_EXPECT_EQ(0, getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&b, &len),
		       "getsockopt(SO_DONTLINGER) on a new socket");
	WSAC_EXPECT_EQ(TRUE, b, "  ... TRUE: no lingering by default");
	WSAC_EXPECT_EQ(sizeof(int), len, "  ... a BOOL's size");
	WSAC_EXPECT_EQ(0, setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l)),
		       "SO_LINGER on, 7 seconds");
	len = sizeof(b);
	getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&b, &len);
	WSAC_EXPECT_EQ(FALSE, b, "  ... SO_DONTLINGER reads FALSE");
	b = TRUE;
	WSAC_EXPECT_EQ(0, setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&b, sizeof(b)),
		       "setsockopt(SO_DONTLINGER, TRUE)");
	WSAC_EXPECT_EQ(0, linger_state(s, &secs), "  ... turns lingering off");
	WSAC_EXPECT_EQ(7, secs, "  ... keeping the timeout");
	b = FALSE;
	WSAC_EXPECT_EQ(0, setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&b, sizeof(b)),
		       "setsockopt(SO_DONTLINGER, FALSE)");
	WSAC_EXPECT_EQ(1, linger_state(s, &secs), "  ... turns lingering on");
	WSAC_EXPECT_EQ(7, secs, "  ... with the timeout set before");
	len = sizeof(b);
	getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&b, &len);
	WSAC_EXPECT_EQ(FALSE, b, "  ... and SO_DONTLINGER reads FALSE");

	WSAC_EXPECT_EQ(SOCKET_ERROR, setsockopt(s, SOL_SOCKET, SO_DONTLINGER, NULL, sizeof(b)),
		       "setsockopt(SO_DONTLINGER) with a NULL value fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&b, 2),
		       "setsockopt(SO_DONTLINGER) with 2 bytes fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	len = 2;
	WSAC_EXPECT_EQ(SOCKET_ERROR, getsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&b, &len),
		       "getsockopt(SO_DONTLINGER) into 2 bytes fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	closesocket(s);
}

static void test_exclusive(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0), t;
	struct sockaddr_in sa;
	BOOL b = -1, on = TRUE;
	int len = sizeof(b), fd = open("/dev/null", O_RDONLY);
	socklen_t slen = sizeof(b);

	WSAC_EXPECT_EQ(0, getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&b, &len),
		       "getsockopt(SO_EXCLUSIVEADDRUSE) on a new socket");
	WSAC_EXPECT_EQ(FALSE, b, "  ... FALSE");
	WSAC_EXPECT_EQ(0, setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&on, sizeof(on)),
		       "setsockopt(SO_EXCLUSIVEADDRUSE, TRUE)");
	b = -1;
	WSAC_EXPECT_EQ(0, getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&b, &slen),
		       "getsockopt(SO_EXCLUSIVEADDRUSE) with a socklen_t length");
	WSAC_EXPECT_EQ(TRUE, b, "  ... returns what was set");
	WSAC_EXPECT_EQ(sizeof(int), slen, "  ... a BOOL's size");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	len = sizeof(sa);
	if (wsac_tap(!bind(s, (SOCKADDR *)&sa, sizeof(sa)) && !listen(s, 1) &&
		     !getsockname(s, (SOCKADDR *)&sa, &len), "the exclusive socket listens")) {
		t = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(t, SOL_SOCKET, SO_REUSEADDR, (char *)&on, sizeof(on));
		WSAC_EXPECT_EQ(SOCKET_ERROR, bind(t, (SOCKADDR *)&sa, sizeof(sa)),
			       "another socket with SO_REUSEADDR cannot bind its port");
		WSAC_EXPECT_EQ(WSAEADDRINUSE, WSAGetLastError(), "  ... WSAEADDRINUSE");
		closesocket(t);
	}
	closesocket(s);

	s = socket(AF_INET, SOCK_STREAM, 0);
	b = FALSE;
	len = sizeof(b);
	getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&b, &len);
	WSAC_EXPECT_EQ(FALSE, b, "a new socket on the same descriptor starts FALSE");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (char *)&on, sizeof(on));
	WSAC_EXPECT_EQ(SOCKET_ERROR,
		       setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&on, sizeof(on)),
		       "SO_EXCLUSIVEADDRUSE after SO_REUSEADDR fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL, as on Windows");
	b = FALSE;
	WSAC_EXPECT_EQ(0, setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&b, sizeof(b)),
		       "  ... turning it off does not");
	closesocket(s);

	WSAC_EXPECT_EQ(SOCKET_ERROR,
		       setsockopt(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&on, sizeof(on)),
		       "SO_EXCLUSIVEADDRUSE on /dev/null fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	len = sizeof(b);
	WSAC_EXPECT_EQ(SOCKET_ERROR,
		       getsockopt(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&b, &len),
		       "getsockopt(SO_EXCLUSIVEADDRUSE) on /dev/null fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	close(fd);
}

static void test_conditional_accept(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	BOOL on = TRUE, b = FALSE;
	int len = sizeof(b);
	char *gone = unmapped_page();

	WSAC_EXPECT_EQ(0, setsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, (char *)&on, sizeof(on)),
		       "setsockopt(SO_CONDITIONAL_ACCEPT, TRUE) on a TCP socket");
	WSAC_EXPECT_EQ(0, getsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, (char *)&b, &len),
		       "getsockopt(SO_CONDITIONAL_ACCEPT)");
	WSAC_EXPECT_EQ(TRUE, b, "  ... returns what was set");
	WSAC_EXPECT_EQ(SOCKET_ERROR,
		       setsockopt(u, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, (char *)&on, sizeof(on)),
		       "SO_CONDITIONAL_ACCEPT on a UDP socket fails");
	WSAC_EXPECT_EQ(WSAENOPROTOOPT, WSAGetLastError(), "  ... with WSAENOPROTOOPT");
	if (gone) {
		WSAC_EXPECT_EQ(SOCKET_ERROR,
			       setsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, gone, sizeof(on)),
			       "setsockopt from an unmapped page fails");
		WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
		len = sizeof(b);
		WSAC_EXPECT_EQ(SOCKET_ERROR,
			       getsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, gone, &len),
			       "getsockopt into an unmapped page fails");
		WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	}
	WSAC_EXPECT_EQ(SOCKET_ERROR,
		       getsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, (char *)&b, (int *)NULL),
		       "getsockopt with a NULL length fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	closesocket(u);
	closesocket(s);
}

/* Other options are glibc's own call: its result and its errno. */
static void test_passthrough(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	int v = 1, len = sizeof(v);

	errno = 0;
	WSAC_EXPECT_EQ(0, setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, sizeof(v)),
		       "setsockopt(SO_KEEPALIVE) passes through");
	WSAC_EXPECT_EQ(0, errno, "  ... errno untouched");
	v = 0;
	WSAC_EXPECT_EQ(0, getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, &len),
		       "getsockopt(SO_KEEPALIVE) passes through");
	WSAC_EXPECT_EQ(1, v, "  ... on");
	WSAC_EXPECT_EQ(-1, setsockopt(s, SOL_SOCKET, 0x7fff, (char *)&v, sizeof(v)),
		       "an option Linux lacks fails in glibc");
	WSAC_EXPECT_EQ(ENOPROTOOPT, errno, "  ... with glibc's ENOPROTOOPT");
	WSAC_EXPECT_EQ(WSAENOPROTOOPT, WSAGetLastError(), "  ... WSAENOPROTOOPT");
	closesocket(s);
}

static void test_gai_strerror(void)
{
	char *a;
	WCHAR *w;

	a = gai_strerror(EAI_NONAME);
	WSAC_EXPECT_EQ(0, strcmp(a, (gai_strerror)(EAI_NONAME)),
		       "gai_strerror is gai_strerrorA: glibc's text for EAI_NONAME");
	WSAC_EXPECT_EQ(0, strcmp(gai_strerrorA(WSAHOST_NOT_FOUND), a),
		       "  ... WSAHOST_NOT_FOUND has the same text");
	WSAC_EXPECT_EQ(0, strcmp(gai_strerrorA(WSATYPE_NOT_FOUND), (gai_strerror)(EAI_SERVICE)),
		       "  ... WSATYPE_NOT_FOUND is EAI_SERVICE's");
	WSAC_EXPECT_EQ(0, strcmp(gai_strerrorA(WSATRY_AGAIN), (gai_strerror)(EAI_AGAIN)),
		       "  ... WSATRY_AGAIN is EAI_AGAIN's");
	a = gai_strerrorA(EAI_NONAME);	/* the buffer is reused by each call */
	w = gai_strerrorW(EAI_NONAME);
	WSAC_EXPECT_EQ(strlen(a), wcslen(w), "gai_strerrorW: the same text, wide");
	WSAC_EXPECT_EQ(a[0], w[0], "  ... from its first character");
	WSAC_EXPECT_EQ(true, strlen(gai_strerrorA(123456)) > 0,
		       "an unknown code still has a text");
}

static void test_small_names(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	int idle = 0, v = 45;
	socklen_t len = sizeof(idle);

	WSAC_EXPECT_EQ(0x0102030405060708ULL, ntohll(htonll(0x0102030405060708ULL)),
		       "ntohll(htonll(x)) is x");
	{
		ULONGLONG n = htonll(0x0102030405060708ULL);
		const unsigned char *b = (const unsigned char *)&n;

		WSAC_EXPECT_EQ(1, b[0], "htonll: the most significant byte first");
		WSAC_EXPECT_EQ(8, b[7], "  ... the least significant last");
	}
	WSAC_EXPECT_EQ(INADDR_ANY, ADDR_ANY, "ADDR_ANY is INADDR_ANY");
	WSAC_EXPECT_EQ(0, setsockopt(s, IPPROTO_TCP, TCP_KEEPALIVE, (char *)&v, sizeof(v)),
		       "setsockopt(TCP_KEEPALIVE, 45)");
	getsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, &len);
	WSAC_EXPECT_EQ(45, idle, "  ... is the idle time before the first probe");
	closesocket(s);
}

static void test_udp_reset(void)
{
	SOCKET u = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_STREAM, 0);
	SOCKET gone = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to;
	BOOL off = FALSE, on = TRUE;
	DWORD ret = 0;
	u_long nb = 1;
	char buf[4];
	int tolen = sizeof(to);

	WSAC_EXPECT_EQ(0x9800000CU, SIO_UDP_CONNRESET, "SIO_UDP_CONNRESET is 0x9800000C");
	WSAC_EXPECT_EQ(0x9800000FU, SIO_UDP_NETRESET, "SIO_UDP_NETRESET is 0x9800000F");
	WSAC_EXPECT_EQ(0, WSAIoctl(u, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &ret,
				   NULL, NULL),
		       "SIO_UDP_CONNRESET FALSE on a UDP socket");
	WSAC_EXPECT_EQ(0, WSAIoctl(u, SIO_UDP_NETRESET, &on, sizeof(on), NULL, 0, &ret,
				   NULL, NULL),
		       "SIO_UDP_NETRESET TRUE is accepted");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(t, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0,
					      &ret, NULL, NULL),
		       "SIO_UDP_CONNRESET on a TCP socket fails");
	WSAC_EXPECT_EQ(WSAEINVAL, WSAGetLastError(), "  ... with WSAEINVAL");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(u, SIO_UDP_CONNRESET, NULL, 0, NULL, 0, &ret,
					      NULL, NULL),
		       "SIO_UDP_CONNRESET without a BOOL fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	WSAC_EXPECT_EQ(0x98000010U, SIO_LOOPBACK_FAST_PATH, "SIO_LOOPBACK_FAST_PATH is 0x98000010");
	on = TRUE;
	WSAC_EXPECT_EQ(0, WSAIoctl(t, SIO_LOOPBACK_FAST_PATH, &on, sizeof(on), NULL, 0, &ret,
				   NULL, NULL),
		       "SIO_LOOPBACK_FAST_PATH on a TCP socket");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(u, SIO_LOOPBACK_FAST_PATH, &on, sizeof(on), NULL, 0,
					      &ret, NULL, NULL),
		       "SIO_LOOPBACK_FAST_PATH on a UDP socket fails");
	WSAC_EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError(), "  ... with WSAEOPNOTSUPP, as on Windows");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAIoctl(t, SIO_LOOPBACK_FAST_PATH, &on, 2, NULL, 0,
					      &ret, NULL, NULL),
		       "SIO_LOOPBACK_FAST_PATH with 2 bytes fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");

	/* A port nobody listens on: the ICMP error must not reach recvfrom. */
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(gone, (SOCKADDR *)&to, sizeof(to));
	getsockname(gone, (SOCKADDR *)&to, &tolen);
	closesocket(gone);
	ioctlsocket(u, FIONBIO, &nb);
	WSAC_EXPECT_EQ(1, sendto(u, "x", 1, 0, (SOCKADDR *)&to, sizeof(to)),
		       "a datagram to a closed port");
	usleep(20000);
	WSAC_EXPECT_EQ(SOCKET_ERROR, recvfrom(u, buf, sizeof(buf), 0, NULL, NULL),
		       "  ... then recvfrom finds nothing");
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(),
		       "  ... WSAEWOULDBLOCK, not WSAECONNRESET: FALSE's behaviour");
	closesocket(t);
	closesocket(u);
}

static void test_disconnect(void)
{
	SOCKET l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), a;
	SOCKET idle = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	int len = sizeof(sa), fd = open("/dev/null", O_RDONLY);
	char data[4] = "bye", buf[4];
	WSABUF wb = { sizeof(data), data };

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!wsac_tap(!bind(l, (SOCKADDR *)&sa, sizeof(sa)) && !listen(l, 1) &&
		      !getsockname(l, (SOCKADDR *)&sa, &len) &&
		      !connect(c, (SOCKADDR *)&sa, sizeof(sa)), "a connection for the half-closes"))
		return;
	a = accept(l, NULL, NULL);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASendDisconnect(c, &wb),
		       "WSASendDisconnect with disconnect data fails");
	WSAC_EXPECT_EQ(WSAENOPROTOOPT, WSAGetLastError(), "  ... with WSAENOPROTOOPT (TCP has none)");
	WSAC_EXPECT_EQ(0, WSASendDisconnect(c, NULL), "WSASendDisconnect(NULL)");
	WSAC_EXPECT_EQ(0, recv(a, buf, sizeof(buf), 0), "  ... the peer reads the end of the stream");
	WSAC_EXPECT_EQ(3, send(a, "abc", 3, 0), "  ... and can still send");
	WSAC_EXPECT_EQ(3, recv(c, buf, sizeof(buf), 0), "  ... which arrives");
	WSAC_EXPECT_EQ(0, WSARecvDisconnect(a, NULL), "WSARecvDisconnect(NULL)");
	WSAC_EXPECT_EQ(0, recv(a, buf, sizeof(buf), 0), "  ... reading then ends at once");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecvDisconnect(a, &wb),
		       "WSARecvDisconnect with a buffer for disconnect data fails");
	WSAC_EXPECT_EQ(WSAENOPROTOOPT, WSAGetLastError(), "  ... with WSAENOPROTOOPT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSASendDisconnect(idle, NULL),
		       "WSASendDisconnect on an unconnected socket fails");
	WSAC_EXPECT_EQ(WSAENOTCONN, WSAGetLastError(), "  ... with WSAENOTCONN");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSARecvDisconnect(fd, NULL),
		       "WSARecvDisconnect on /dev/null fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "  ... with WSAENOTSOCK");
	close(fd);
	closesocket(idle);
	closesocket(a);
	closesocket(c);
	closesocket(l);
}

static void test_getnameinfow(void)
{
	struct sockaddr_in sa;
	WCHAR host[NI_MAXHOST], serv[NI_MAXSERV], tiny[4];
	char *gone = unmapped_page();

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(8080);
	sa.sin_addr.s_addr = htonl(0x7f000001);
	WSAC_EXPECT_EQ(0, GetNameInfoW((SOCKADDR *)&sa, sizeof(sa), host, NI_MAXHOST, serv,
				       NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV),
		       "GetNameInfoW, numeric");
	WSAC_EXPECT_EQ(0, wcscmp(host, L"127.0.0.1"), "  ... host L\"127.0.0.1\"");
	WSAC_EXPECT_EQ(0, wcscmp(serv, L"8080"), "  ... service L\"8080\"");
	WSAC_EXPECT_EQ(0, GetNameInfoA((SOCKADDR *)&sa, sizeof(sa), NULL, 0, (char *)serv,
				       sizeof(serv), NI_NUMERICSERV),
		       "GetNameInfoA is getnameinfo");
	WSAC_EXPECT_EQ(true, GetNameInfoW((SOCKADDR *)&sa, sizeof(sa), tiny, 4, NULL, 0,
					  NI_NUMERICHOST) != 0,
		       "GetNameInfoW into 4 characters fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	WSAC_EXPECT_EQ(true, GetNameInfoW(NULL, sizeof(sa), host, NI_MAXHOST, NULL, 0,
					  NI_NUMERICHOST) != 0,
		       "GetNameInfoW of a NULL address fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	if (gone) {
		WSAC_EXPECT_EQ(true, GetNameInfoW((SOCKADDR *)&sa, sizeof(sa),
						  (PWCHAR)(void *)gone, NI_MAXHOST, NULL, 0,
						  NI_NUMERICHOST) != 0,
			       "GetNameInfoW into an unmapped page fails");
		WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	}
}

static void test_protocol_opts(void)
{
	SOCKET t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	SOCKET u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	WSAPROTOCOL_INFOA a;
	WSAPROTOCOL_INFOW w;
	unsigned int max = 1;
	int len = sizeof(max);

	WSAC_EXPECT_EQ(0, getsockopt(u, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &len),
		       "getsockopt(SO_MAX_MSG_SIZE) on UDP/IPv4");
	WSAC_EXPECT_EQ(65507, max, "  ... 65507");
	len = sizeof(max);
	getsockopt(u6, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &len);
	WSAC_EXPECT_EQ(65527, max, "  ... 65527 on UDP/IPv6");
	len = sizeof(max);
	getsockopt(t, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &len);
	WSAC_EXPECT_EQ(0, max, "  ... 0 on TCP, a stream (dwMessageSize)");
	WSAC_EXPECT_EQ(SOCKET_ERROR,
		       setsockopt(u, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, sizeof(max)),
		       "setsockopt(SO_MAX_MSG_SIZE) fails");
	WSAC_EXPECT_EQ(WSAENOPROTOOPT, WSAGetLastError(), "  ... with WSAENOPROTOOPT");

	len = sizeof(a);
	memset(&a, 0, sizeof(a));
	WSAC_EXPECT_EQ(0, getsockopt(t, SOL_SOCKET, SO_PROTOCOL_INFO, (char *)&a, &len),
		       "getsockopt(SO_PROTOCOL_INFO) on TCP/IPv4");
	WSAC_EXPECT_EQ(sizeof(a), len, "  ... a WSAPROTOCOL_INFOA");
	WSAC_EXPECT_EQ(AF_INET, a.iAddressFamily, "  ... AF_INET");
	WSAC_EXPECT_EQ(IPPROTO_TCP, a.iProtocol, "  ... IPPROTO_TCP");
	WSAC_EXPECT_EQ(XP1_GUARANTEED_DELIVERY, a.dwServiceFlags1 & XP1_GUARANTEED_DELIVERY,
		       "  ... the TCP entry's service flags");
	WSAC_EXPECT_EQ(0, strcmp(a.szProtocol, "libwsaconnect TCP/IP"), "  ... and its name");
	len = sizeof(w);
	WSAC_EXPECT_EQ(0, getsockopt(u6, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&w, &len),
		       "getsockopt(SO_PROTOCOL_INFOW) on UDP/IPv6");
	WSAC_EXPECT_EQ(AF_INET6, w.iAddressFamily, "  ... AF_INET6");
	WSAC_EXPECT_EQ(SOCK_DGRAM, w.iSocketType, "  ... SOCK_DGRAM");
	WSAC_EXPECT_EQ(0, wcscmp(w.szProtocol, L"libwsaconnect UDP/IPv6"), "  ... wide name");
	len = sizeof(a) - 1;
	WSAC_EXPECT_EQ(SOCKET_ERROR, getsockopt(t, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&a, &len),
		       "SO_PROTOCOL_INFOA into one byte less fails");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAGetLastError(), "  ... with WSAEFAULT");
	closesocket(u6);
	closesocket(u);
	closesocket(t);
}

/* Windows' h_errno is WSAGetLastError(), compared with WSA codes. */
static void test_host_errors(void)
{
	struct in_addr a = { 0 };

	WSAC_EXPECT_EQ(WSAHOST_NOT_FOUND, HOST_NOT_FOUND, "HOST_NOT_FOUND is WSAHOST_NOT_FOUND");
	WSAC_EXPECT_EQ(WSATRY_AGAIN, TRY_AGAIN, "TRY_AGAIN is WSATRY_AGAIN");
	WSAC_EXPECT_EQ(WSANO_DATA, NO_ADDRESS, "NO_ADDRESS is WSANO_DATA");
	/* glibc's h_errno values in, Winsock's codes out. */
	WSAC_EXPECT_EQ(WSAHOST_NOT_FOUND, wsac_h_errno_to_wsa(1), "h_errno 1: WSAHOST_NOT_FOUND");
	WSAC_EXPECT_EQ(WSATRY_AGAIN, wsac_h_errno_to_wsa(2), "h_errno 2: WSATRY_AGAIN");
	WSAC_EXPECT_EQ(WSANO_RECOVERY, wsac_h_errno_to_wsa(3), "h_errno 3: WSANO_RECOVERY");
	WSAC_EXPECT_EQ(WSANO_DATA, wsac_h_errno_to_wsa(4), "h_errno 4: WSANO_DATA");
	WSASetLastError(WSAHOST_NOT_FOUND);
	WSAC_EXPECT_EQ(WSAHOST_NOT_FOUND, h_errno, "h_errno reads WSAGetLastError()");
	/* No lookup: glibc refuses a 3-byte IPv4 address (NETDB_INTERNAL, EAFNOSUPPORT). */
	WSASetLastError(0);
	WSAC_EXPECT_EQ(true, gethostbyaddr((const char *)&a, 3, AF_INET) == NULL,
		       "gethostbyaddr of 3 bytes fails");
	WSAC_EXPECT_EQ(WSAEAFNOSUPPORT, WSAGetLastError(),
		       "  ... NETDB_INTERNAL: WSAGetLastError() translates errno");
	WSAC_EXPECT_EQ(true, gethostbyname("localhost") != NULL, "gethostbyname(localhost)");
}

void wsac_test_names(void)
{
	WSADATA wsa;

	wsac_fake_reset();
	test_byte_order_not_started();
	{
		SOCKET s = socket(AF_INET, SOCK_STREAM, 0);

		WSAC_EXPECT_EQ(SOCKET_ERROR, WSASendDisconnect(s, NULL),
			       "WSASendDisconnect without WSAStartup fails");
		WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(),
			       "  ... with WSANOTINITIALISED");
		closesocket(s);
	}
	/* The options are BSD calls here: they work before WSAStartup. */
	test_dontlinger();
	if (!wsac_tap(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup for the name tests"))
		return;
	test_byte_order();
	test_exclusive();
	test_conditional_accept();
	test_passthrough();
	test_gai_strerror();
	test_small_names();
	test_udp_reset();
	test_disconnect();
	test_getnameinfow();
	test_protocol_opts();
	test_host_errors();
	WSACleanup();
}
