// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnect on TCP sockets as a Winsock program sees it: the return value
 * and WSAGetLastError() of every case, over IPv4 and IPv6.
 */
#include "helpers.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>

#include "kselftest_harness.h"

FIXTURE(tcp) {
	WSADATA wsa;
	int listener;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int s;
};

FIXTURE_VARIANT(tcp) {
	int family;
};

FIXTURE_VARIANT_ADD(tcp, ipv4) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(tcp, ipv6) {
	.family = AF_INET6,
};

FIXTURE_SETUP(tcp)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	self->listener = wsac_bound_socket(variant->family, SOCK_STREAM, 1,
					   &self->addr, &self->addrlen);
	ASSERT_LE(0, self->listener);
	self->s = socket(variant->family, SOCK_STREAM, IPPROTO_TCP);
	ASSERT_NE(INVALID_SOCKET, self->s);
}

FIXTURE_TEARDOWN(tcp)
{
	closesocket(self->s);
	closesocket(self->listener);
	WSACleanup();
}

static int wsac_connect(int s, const struct sockaddr_storage *ss, socklen_t len)
{
	return WSAConnect(s, (const struct sockaddr *)ss, (int)len,
			  NULL, NULL, NULL, NULL);
}

/*
 * True if the listener gets a connection within @ms; it is accepted and
 * closed.  The server side completes when the client's ACK is processed,
 * which a slow (debug, emulated) kernel may do after connect() returned.
 */
static int wsac_accept_within(int listener, int ms)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };
	int fd;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	fd = accept(listener, NULL, NULL);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

TEST_F(tcp, blocking_connect_succeeds)
{
	struct sockaddr_storage peer;
	socklen_t peerlen = sizeof(peer);

	ASSERT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
	ASSERT_EQ(0, getpeername(self->s, (struct sockaddr *)&peer, &peerlen));
	EXPECT_EQ(self->addrlen, peerlen);
	EXPECT_EQ(0, memcmp(&peer, &self->addr, peerlen));
	EXPECT_TRUE(wsac_accept_within(self->listener, 5000));
}

TEST_F(tcp, unbound_socket_is_bound_implicitly)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);

	ASSERT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
	ASSERT_EQ(0, getsockname(self->s, (struct sockaddr *)&local, &len));
	/* sin_port and sin6_port sit at the same offset */
	EXPECT_NE(0, ((struct sockaddr_in *)&local)->sin_port);
}

TEST_F(tcp, closed_port_is_refused_and_socket_stays_usable)
{
	struct sockaddr_storage closed;
	socklen_t closedlen;
	int holder = wsac_closed_port(variant->family, &closed, &closedlen);

	ASSERT_LE(0, holder);
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &closed, closedlen));
	EXPECT_EQ(WSAECONNREFUSED, WSAGetLastError());
	/* Winsock lets the same socket try again after WSAECONNREFUSED. */
	EXPECT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
	EXPECT_TRUE(wsac_accept_within(self->listener, 5000));
	close(holder);
}

TEST_F(tcp, connected_socket_is_isconn)
{
	ASSERT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &self->addr, self->addrlen));
	EXPECT_EQ(WSAEISCONN, WSAGetLastError());
}

TEST_F(tcp, listening_socket_is_einval)
{
	/* Linux's connect(2) says EISCONN here; Winsock says WSAEINVAL. */
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->listener, &self->addr,
					     self->addrlen));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
}

TEST_F(tcp, unspecified_address_is_addrnotavail)
{
	struct sockaddr_storage any = self->addr;

	/* Linux would connect 0.0.0.0 or :: to the local host's listener. */
	if (variant->family == AF_INET6)
		((struct sockaddr_in6 *)&any)->sin6_addr = in6addr_any;
	else
		((struct sockaddr_in *)&any)->sin_addr.s_addr = htonl(INADDR_ANY);
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &any, self->addrlen));
	EXPECT_EQ(WSAEADDRNOTAVAIL, WSAGetLastError());
	EXPECT_FALSE(wsac_accept_within(self->listener, 200));
	/* The rejected call left the socket as it was. */
	EXPECT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
}

TEST_F(tcp, v4_mapped_unspecified_address_is_addrnotavail)
{
	struct sockaddr_in6 mapped = { .sin6_family = AF_INET6 };

	if (variant->family != AF_INET6)
		SKIP(return, "IPv6 only");
	mapped.sin6_port = ((struct sockaddr_in6 *)&self->addr)->sin6_port;
	inet_pton(AF_INET6, "::ffff:0.0.0.0", &mapped.sin6_addr);
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&mapped,
					   sizeof(mapped), NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEADDRNOTAVAIL, WSAGetLastError());
}

TEST_F(tcp, unspec_name_leaves_connection_alone)
{
	struct sockaddr_storage unspec = {};
	char byte = 'x';
	int peer;

	/* Unconnected: the family is wrong for a stream socket. */
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &unspec, self->addrlen));
	EXPECT_EQ(WSAEAFNOSUPPORT, WSAGetLastError());
	ASSERT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
	peer = accept(self->listener, NULL, NULL);
	ASSERT_LE(0, peer);
	/*
	 * Connected: the state check comes first (Documentation/errors.rst).
	 * Linux's connect(2) would reset the connection on AF_UNSPEC.
	 */
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &unspec, self->addrlen));
	EXPECT_EQ(WSAEISCONN, WSAGetLastError());
	EXPECT_EQ(1, send(self->s, &byte, 1, 0));
	EXPECT_EQ(1, recv(peer, &byte, 1, 0));
	close(peer);
}

TEST_F(tcp, other_family_is_afnosupport)
{
	struct sockaddr_storage other;

	wsac_loopback(variant->family == AF_INET ? AF_INET6 : AF_INET, &other, 80);
	/* Long enough for either family, so only the family is wrong. */
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &other,
					     sizeof(struct sockaddr_in6)));
	EXPECT_EQ(WSAEAFNOSUPPORT, WSAGetLastError());
	EXPECT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
}

TEST_F(tcp, short_or_missing_name_is_fault)
{
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, NULL, self->addrlen,
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &self->addr, self->addrlen - 1));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)16,
					   self->addrlen, NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	EXPECT_EQ(0, wsac_connect(self->s, &self->addr, self->addrlen));
}

TEST_F(tcp, group_qos_is_einval)
{
	QOS gqos;

	memset(&gqos, 0, sizeof(gqos));
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&self->addr,
					   self->addrlen, NULL, NULL, NULL, &gqos));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
	EXPECT_FALSE(wsac_accept_within(self->listener, 200));
}

TEST_F(tcp, nonblocking_connect_completes_then_isconn)
{
	struct pollfd pfd = { .fd = self->s, .events = POLLOUT };
	u_long on = 1;
	int rc;

	ASSERT_EQ(0, ioctlsocket(self->s, FIONBIO, &on));
	rc = wsac_connect(self->s, &self->addr, self->addrlen);
	if (rc == SOCKET_ERROR)
		ASSERT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	/* Linux's second connect(2) would return 0 here. */
	EXPECT_EQ(SOCKET_ERROR, wsac_connect(self->s, &self->addr, self->addrlen));
	EXPECT_EQ(WSAEISCONN, WSAGetLastError());
}

/* A connect that stays pending: SYNs leave through a dummy link and vanish. */
FIXTURE(pending) {
	WSADATA wsa;
	int s;
	struct sockaddr_in dst;
};

FIXTURE_SETUP(pending)
{
	u_long on = 1;

	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	ASSERT_EQ(0, wsac_dummy_up("d0", "198.51.100.1/24"));
	self->dst.sin_family = AF_INET;
	self->dst.sin_port = htons(9);
	inet_pton(AF_INET, "198.51.100.2", &self->dst.sin_addr);
	self->s = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->s);
	ASSERT_EQ(0, ioctlsocket(self->s, FIONBIO, &on));
}

FIXTURE_TEARDOWN(pending)
{
	closesocket(self->s);
	WSACleanup();
}

TEST_F(pending, wouldblock_then_already)
{
	struct sockaddr *dst = (struct sockaddr *)&self->dst;

	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, dst, sizeof(self->dst),
					   NULL, NULL, NULL, NULL));
	/* The classic porting bug: never WSAEINPROGRESS here. */
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, dst, sizeof(self->dst),
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEALREADY, WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, dst, sizeof(self->dst),
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEALREADY, WSAGetLastError());
}

TEST_F(pending, winsock1_callers_get_einval_instead_of_already)
{
	struct sockaddr *dst = (struct sockaddr *)&self->dst;
	WSADATA wsa;

	/* The version of the first WSAStartup in force decides. */
	ASSERT_EQ(0, WSACleanup());
	ASSERT_EQ(0, WSAStartup(MAKEWORD(1, 1), &wsa));
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, dst, sizeof(self->dst),
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, dst, sizeof(self->dst),
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
}

struct wsac_close_race {
	struct sockaddr_storage addr;
	socklen_t len;
	volatile int stop;
	volatile int fd;
};

static void *wsac_connect_loop(void *arg)
{
	struct wsac_close_race *r = arg;

	while (!r->stop)
		WSAConnect(r->fd, (struct sockaddr *)&r->addr, r->len, NULL, NULL, NULL, NULL);
	return NULL;
}

/* No splat and no leak when close() races WSAConnect on the same socket. */
TEST_F(tcp, close_races_wsaconnect)
{
	struct wsac_close_race r = { .addr = self->addr, .len = self->addrlen };
	time_t until = time(NULL) + 15;
	pthread_t t;
	int i;

	r.fd = socket(variant->family, SOCK_STREAM, 0);
	ASSERT_LE(0, r.fd);
	ASSERT_EQ(0, pthread_create(&t, NULL, wsac_connect_loop, &r));
	/*
	 * 2000 rounds, or as many as fit in 15 s: under KASAN on a loaded
	 * host 2000 took longer than the harness's 30 s.
	 */
	for (i = 0; i < 2000 && time(NULL) < until; i++) {
		int fd;

		close(r.fd);
		/* The lowest free number: usually the same descriptor again. */
		fd = socket(variant->family, SOCK_STREAM, 0);
		ASSERT_LE(0, fd);
		r.fd = fd;
		while (wsac_accept_within(self->listener, 0))
			;
	}
	r.stop = 1;
	pthread_join(t, NULL);
	close(r.fd);
}

TEST(not_initialised_before_startup_and_after_cleanup)
{
	struct sockaddr_storage ss;
	socklen_t len = wsac_loopback(AF_INET, &ss, 9);
	WSADATA wsa;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT_LE(0, s);
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(s, (struct sockaddr *)&ss, len,
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError());
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	ASSERT_EQ(0, WSACleanup());
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(s, (struct sockaddr *)&ss, len,
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError());
	close(s);
}

TEST(not_a_socket)
{
	struct sockaddr_storage ss;
	socklen_t len = wsac_loopback(AF_INET, &ss, 9);
	WSADATA wsa;
	int p[2];

	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(p[0], (struct sockaddr *)&ss, len,
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAENOTSOCK, WSAGetLastError());
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(p[0], (struct sockaddr *)&ss, len,
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAENOTSOCK, WSAGetLastError());
	WSACleanup();
}

TEST_HARNESS_MAIN
