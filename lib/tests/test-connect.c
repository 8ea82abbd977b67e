// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnect on the host, with the fake module: the checks that must come
 * before the module is asked, then the library's own paths (error mapping,
 * reaping a failed connect, UDP disconnect and purge, nesting) over real
 * loopback sockets.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

static int listener_v4(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, 16) || getsockname(fd, (struct sockaddr *)addr, &len))
		return -1;
	return fd;
}

static bool accepted_fd(int listener, int *out)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };

	if (poll(&pfd, 1, 2000) != 1)
		return false;
	*out = accept(listener, NULL, NULL);
	return *out >= 0;
}

static bool accepted(int listener)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };
	int fd;

	if (poll(&pfd, 1, 2000) != 1)
		return false;
	fd = accept(listener, NULL, NULL);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Accept one connection: its first bytes are @want? */
static bool first_bytes(int listener, const char *want, size_t n)
{
	char got[64];
	size_t have = 0;
	ssize_t k;
	int fd;

	if (!accepted_fd(listener, &fd))
		return false;
	while (have < n && have < sizeof(got)) {
		k = recv(fd, got + have, n - have, 0);
		if (k <= 0)
			break;
		have += (size_t)k;
	}
	close(fd);
	return have == n && !memcmp(got, want, n);
}

static int wsa_connect(int s, const void *addr, int len)
{
	return WSAConnect(s, addr, len, NULL, NULL, NULL, NULL);
}

#define EXPECT_FAILS_WITH(code, call, ...) do {				\
	WSAC_EXPECT_EQ(SOCKET_ERROR, (call), __VA_ARGS__);		\
	WSAC_EXPECT_EQ(code, WSAGetLastError(), "  ... with " #code);	\
} while (0)

static void test_before_the_module(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(9) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s4 = socket(AF_INET, SOCK_STREAM, 0), s6 = socket(AF_INET6, SOCK_STREAM, 0);
	int su = socket(AF_UNIX, SOCK_STREAM, 0), closed = socket(AF_INET, SOCK_STREAM, 0);
	long page = sysconf(_SC_PAGESIZE);
	WSABUF callee = { 0, NULL };
	void *gone, *ro;
	QOS gqos;
	int p[2];

	memset(&gqos, 0, sizeof(gqos));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* The read-only page first, so that it cannot reuse the freed one. */
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gone = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(gone, &sin, sizeof(sin));
	munmap(gone, page);
	close(closed);
	if (pipe(p))
		p[0] = p[1] = -1;
	wsac_fake.checks = 0;

	EXPECT_FAILS_WITH(WSAENOTSOCK, wsa_connect(p[0], &sin, sizeof(sin)), "a pipe is not a socket");
	EXPECT_FAILS_WITH(WSAENOTSOCK, wsa_connect(closed, &sin, sizeof(sin)),
			  "a closed descriptor is not a socket");
	EXPECT_FAILS_WITH(WSAENOTSOCK, wsa_connect(-1, &sin, sizeof(sin)), "INVALID_SOCKET");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(s4, NULL, sizeof(sin)), "NULL name");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(s4, &sin, sizeof(sin) - 1),
			  "namelen one short of sockaddr_in");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(s6, &sin6, sizeof(sin6) - 1),
			  "namelen one short of sockaddr_in6");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(s6, &sin, sizeof(sin)),
			  "a sockaddr_in's length on an AF_INET6 socket");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(su, &sun, offsetof(struct sockaddr_un, sun_path)),
			  "AF_UNIX name without a path byte");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(s4, &sin, -1), "negative namelen");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(s4, (void *)16, sizeof(sin)),
			  "name pointer (void *)16");
	EXPECT_FAILS_WITH(WSAEFAULT, wsa_connect(s4, gone, sizeof(sin)),
			  "name in an unmapped page");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAConnect(s4, (struct sockaddr *)&sin, sizeof(sin), NULL,
						(LPWSABUF)16, NULL, NULL), "lpCalleeData (void *)16");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAConnect(s4, (struct sockaddr *)&sin, sizeof(sin), NULL,
						(LPWSABUF)ro, NULL, NULL), "read-only lpCalleeData");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAConnect(s4, (struct sockaddr *)&sin, sizeof(sin),
						(LPWSABUF)16, NULL, NULL, NULL), "lpCallerData (void *)16");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAConnect(s4, (struct sockaddr *)&sin, sizeof(sin),
						NULL, NULL, (LPQOS)16, NULL), "lpSQOS (void *)16");
	EXPECT_FAILS_WITH(WSAEINVAL, WSAConnect(s4, (struct sockaddr *)&sin, sizeof(sin), NULL,
						&callee, NULL, &gqos), "lpGQOS not NULL");
	WSAC_EXPECT_EQ(0, wsac_fake.checks, "none of these reached the module");

	munmap(ro, page);
	close(p[0]);
	close(p[1]);
	close(s4);
	close(s6);
	close(su);
}

static void test_tcp(int listener, const struct sockaddr_in *live)
{
	struct sockaddr_in any = *live, refused;
	int s = socket(AF_INET, SOCK_STREAM, 0), l2;

	any.sin_addr.s_addr = htonl(INADDR_ANY);
	EXPECT_FAILS_WITH(WSAEADDRNOTAVAIL, wsa_connect(s, &any, sizeof(any)),
			  "0.0.0.0 is refused before connect(2)");
	WSAC_EXPECT_EQ(false, accepted(listener), "and nothing connected");

	/* A port that is bound but not listening refuses. */
	l2 = socket(AF_INET, SOCK_STREAM, 0);
	refused = *live;
	refused.sin_port = 0;
	bind(l2, (struct sockaddr *)&refused, sizeof(refused));
	socklen_t len = sizeof(refused);
	getsockname(l2, (struct sockaddr *)&refused, &len);
	EXPECT_FAILS_WITH(WSAECONNREFUSED, wsa_connect(s, &refused, sizeof(refused)),
			  "blocking connect to a closed port");

	WSASetLastError(WSAEMSGSIZE);
	WSAC_EXPECT_EQ(0, wsa_connect(s, live, sizeof(*live)), "the same socket then connects");
	WSAC_EXPECT_EQ(WSAEMSGSIZE, WSAGetLastError(), "a success leaves the last error alone");
	WSAC_EXPECT_EQ(true, accepted(listener), "the listener got it");
	EXPECT_FAILS_WITH(WSAEISCONN, wsa_connect(s, live, sizeof(*live)), "connected socket");
	EXPECT_FAILS_WITH(WSAEINVAL, wsa_connect(listener, live, sizeof(*live)), "listening socket");
	close(s);
	close(l2);
}

static void test_tcp_nonblocking(int listener, const struct sockaddr_in *live)
{
	struct sockaddr_in refused = *live;
	struct pollfd pfd;
	unsigned long on = 1;
	socklen_t len = sizeof(refused);
	int s = socket(AF_INET, SOCK_STREAM, 0), l2 = socket(AF_INET, SOCK_STREAM, 0), rc;

	refused.sin_port = 0;
	bind(l2, (struct sockaddr *)&refused, sizeof(refused));
	getsockname(l2, (struct sockaddr *)&refused, &len);
	ioctlsocket(s, FIONBIO, &on);

	rc = wsa_connect(s, &refused, sizeof(refused));
	WSAC_EXPECT_EQ(SOCKET_ERROR, rc, "nonblocking connect to a closed port returns at once");
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(), "  ... with WSAEWOULDBLOCK, not WSAEINPROGRESS");
	pfd.fd = s;
	pfd.events = POLLOUT;
	poll(&pfd, 1, 2000);
	/* Linux's next connect(2) would only report the refusal. */
	wsac_fake.force_state = WSAC_STATE_FAILED;
	rc = wsa_connect(s, live, sizeof(*live));
	wsac_fake.force_state = -1;
	if (rc == SOCKET_ERROR)
		WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(),
			       "after a failure, a new attempt starts (WSAEWOULDBLOCK)");
	else
		wsac_tap(true, "after a failure, a new attempt starts (0)");
	WSAC_EXPECT_EQ(true, accepted(listener), "and reaches the listener");
	close(s);
	close(l2);
}

static void test_addrinuse(int listener, const struct sockaddr_in *live)
{
	struct sockaddr_in local = *live;
	socklen_t len = sizeof(local);
	int on = 1, a = socket(AF_INET, SOCK_STREAM, 0), b = socket(AF_INET, SOCK_STREAM, 0);

	local.sin_port = 0;
	setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	bind(a, (struct sockaddr *)&local, sizeof(local));
	getsockname(a, (struct sockaddr *)&local, &len);
	connect(a, (const struct sockaddr *)live, sizeof(*live));
	bind(b, (struct sockaddr *)&local, sizeof(local));
	/* Linux: EADDRNOTAVAIL for the taken 4-tuple. */
	EXPECT_FAILS_WITH(WSAEADDRINUSE, wsa_connect(b, live, sizeof(*live)),
			  "a bound socket whose 4-tuple is taken");
	accepted(listener);
	close(a);
	close(b);
}

static void test_extras(int listener, const struct sockaddr_in *live)
{
	char data[] = "hello", back[16];
	WSABUF caller = { sizeof(data), data }, callee = { sizeof(back), back };
	WSABUF empty = { 0, NULL };
	QOS sqos;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sqos, 0, sizeof(sqos));
	wsac_fake.qos_dry_verdict = -EOPNOTSUPP;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, WSAConnect(s, (struct sockaddr *)live, sizeof(*live),
						    NULL, NULL, &sqos, NULL),
			  "an lpSQOS the module cannot enforce");
	wsac_fake.qos_dry_verdict = 0;
	caller.len = 1181;
	EXPECT_FAILS_WITH(WSAEFAULT, WSAConnect(s, (struct sockaddr *)live, sizeof(*live),
						&caller, NULL, NULL, NULL),
			  "more caller data than one SYN carries");
	caller.len = sizeof(data);
	caller.buf = NULL;
	EXPECT_FAILS_WITH(WSAEFAULT, WSAConnect(s, (struct sockaddr *)live, sizeof(*live),
						&caller, NULL, NULL, NULL),
			  "caller data without a buffer");
	caller.buf = data;
	WSAC_EXPECT_EQ(false, accepted(listener), "neither connected");
	WSAC_EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)live, sizeof(*live), &empty, &callee,
				     NULL, NULL), "empty caller data connects");
	WSAC_EXPECT_EQ(0, callee.len, "lpCalleeData->len is set to 0");
	accepted(listener);
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	callee.len = 0;
	WSAC_EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)live, sizeof(*live), &caller, &callee,
				     NULL, NULL), "caller data connects (TCP Fast Open)");
	WSAC_EXPECT_EQ(true, first_bytes(listener, data, sizeof(data)),
		       "the caller data are the first bytes a plain server reads");
	close(s);
}

static void test_version1_already(const struct sockaddr_in *live)
{
	WSADATA wsa;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	wsac_fake.force_verdict = -EALREADY;
	EXPECT_FAILS_WITH(WSAEALREADY, wsa_connect(s, live, sizeof(*live)),
			  "a pending connect, Winsock 2 caller");
	WSACleanup();
	WSAStartup(MAKEWORD(1, 1), &wsa);
	EXPECT_FAILS_WITH(WSAEINVAL, wsa_connect(s, live, sizeof(*live)),
			  "a pending connect, Winsock 1.1 caller");
	WSACleanup();
	WSAStartup(MAKEWORD(2, 2), &wsa);
	wsac_fake.force_verdict = 0;
	close(s);
}

static void test_unsupported_socket(const struct sockaddr_in *live)
{
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "x" };

	(void)live;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, wsa_connect(s, &sun, sizeof(sun)),
			  "a socket kind the module does not serve");
	close(s);
}

static void test_udp(void)
{
	struct sockaddr_in peer = { .sin_family = AF_INET };
	struct sockaddr_storage zero, got;
	socklen_t len = sizeof(peer);
	char data[] = "ignored", back[8];
	WSABUF caller = { sizeof(data), data }, callee = { sizeof(back), back };
	int s = socket(AF_INET, SOCK_DGRAM, 0), p = socket(AF_INET, SOCK_DGRAM, 0);

	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(p, (struct sockaddr *)&peer, sizeof(peer));
	getsockname(p, (struct sockaddr *)&peer, &len);
	wsac_fake.purges = 0;
	WSAC_EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&peer, sizeof(peer), &caller, &callee,
				     NULL, NULL), "UDP connect with connect data (ignored)");
	WSAC_EXPECT_EQ(0, callee.len, "UDP: lpCalleeData->len is set to 0");
	WSAC_EXPECT_EQ(1, wsac_fake.purges, "UDP: queued datagrams of others are purged");
	len = sizeof(got);
	WSAC_EXPECT_EQ(0, getpeername(s, (struct sockaddr *)&got, &len), "UDP: peer set");
	memset(&zero, 0, sizeof(zero));
	WSAC_EXPECT_EQ(0, wsa_connect(s, &zero, sizeof(struct sockaddr_in)),
		       "UDP: an all-zero name disconnects");
	len = sizeof(got);
	WSAC_EXPECT_EQ(-1, getpeername(s, (struct sockaddr *)&got, &len), "UDP: no peer any more");
	WSAC_EXPECT_EQ(1, wsac_fake.purges, "UDP: a disconnect purges nothing");
	close(s);
	close(p);
}

static int nested_rc, nested_err;
static const struct sockaddr_in *nested_addr;

static void nested_handler(int sig)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	(void)sig;
	nested_rc = wsa_connect(s, nested_addr, sizeof(*nested_addr));
	nested_err = WSAGetLastError();
	close(s);
}

static void raise_usr1(void)
{
	raise(SIGUSR1);
}

static void test_nested(int listener, const struct sockaddr_in *live)
{
	struct sigaction sa = { .sa_handler = nested_handler }, old;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	nested_addr = live;
	sigaction(SIGUSR1, &sa, &old);
	wsac_fake.during_check = raise_usr1;
	WSAC_EXPECT_EQ(0, wsa_connect(s, live, sizeof(*live)),
		       "a WSAConnect interrupted by a signal handler completes");
	wsac_fake.during_check = NULL;
	sigaction(SIGUSR1, &old, NULL);
	WSAC_EXPECT_EQ(SOCKET_ERROR, nested_rc, "a WSAConnect from that handler fails");
	WSAC_EXPECT_EQ(WSAEINPROGRESS, nested_err, "  ... with WSAEINPROGRESS");
	accepted(listener);
	close(s);
}

void wsac_test_connect(void)
{
	struct sockaddr_in live;
	WSADATA wsa;
	int listener = listener_v4(&live);

	wsac_fake_reset();
	if (!wsac_tap(listener >= 0 && !WSAStartup(MAKEWORD(2, 2), &wsa),
		      "loopback listener and WSAStartup for the WSAConnect tests"))
		return;
	test_before_the_module();
	test_tcp(listener, &live);
	test_tcp_nonblocking(listener, &live);
	test_addrinuse(listener, &live);
	test_extras(listener, &live);
	test_version1_already(&live);
	test_unsupported_socket(&live);
	test_udp();
	test_nested(listener, &live);
	WSACleanup();
	close(listener);
}
