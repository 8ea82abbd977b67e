// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnect on UDP sockets: the default destination, the source filter,
 * what happens to datagrams queued before a reconnect, disconnecting with
 * an all-zero name, broadcast, and connect data being ignored.
 */
#include "helpers.h"

#include <fcntl.h>
#include <poll.h>

#include "kselftest_harness.h"

FIXTURE(udp) {
	WSADATA wsa;
	int s, a, b;
	struct sockaddr_storage s_addr, a_addr, b_addr;
	socklen_t len;
};

FIXTURE_VARIANT(udp) {
	int family;
};

FIXTURE_VARIANT_ADD(udp, ipv4) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(udp, ipv6) {
	.family = AF_INET6,
};

FIXTURE_SETUP(udp)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	self->s = wsac_bound_socket(variant->family, SOCK_DGRAM, 0, &self->s_addr, &self->len);
	self->a = wsac_bound_socket(variant->family, SOCK_DGRAM, 0, &self->a_addr, &self->len);
	self->b = wsac_bound_socket(variant->family, SOCK_DGRAM, 0, &self->b_addr, &self->len);
	ASSERT_LE(0, self->s);
	ASSERT_LE(0, self->a);
	ASSERT_LE(0, self->b);
}

FIXTURE_TEARDOWN(udp)
{
	closesocket(self->s);
	closesocket(self->a);
	closesocket(self->b);
	WSACleanup();
}

static int wsac_connect_to(int s, const struct sockaddr_storage *to, socklen_t len)
{
	return WSAConnect(s, (const struct sockaddr *)to, (int)len, NULL, NULL, NULL, NULL);
}

static int wsac_send_to(int from, const char *msg, const struct sockaddr_storage *to,
			socklen_t len)
{
	return sendto(from, msg, strlen(msg), 0, (const struct sockaddr *)to, len);
}

/* The next datagram, or "" if none arrives within a second. */
static const char *wsac_next(int s, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = s, .events = POLLIN };
	int n = poll(&pfd, 1, 1000) == 1 ? recv(s, buf, size - 1, MSG_DONTWAIT) : 0;

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

TEST_F(udp, connect_sets_the_default_destination)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	char buf[16];

	ASSERT_EQ(0, wsac_connect_to(self->s, &self->a_addr, self->len));
	ASSERT_EQ(0, getpeername(self->s, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(0, memcmp(&peer, &self->a_addr, len));
	EXPECT_EQ(2, send(self->s, "hi", 2, 0));
	EXPECT_STREQ("hi", wsac_next(self->a, buf, sizeof(buf)));
}

TEST_F(udp, only_the_peer_is_heard)
{
	char buf[16];

	ASSERT_EQ(0, wsac_connect_to(self->s, &self->a_addr, self->len));
	ASSERT_LT(0, wsac_send_to(self->b, "from-b", &self->s_addr, self->len));
	ASSERT_LT(0, wsac_send_to(self->a, "from-a", &self->s_addr, self->len));
	EXPECT_STREQ("from-a", wsac_next(self->s, buf, sizeof(buf)));
	EXPECT_STREQ("", wsac_next(self->s, buf, sizeof(buf)));
}

TEST_F(udp, reconnect_elsewhere_discards_queued_datagrams)
{
	char buf[16];

	ASSERT_EQ(0, wsac_connect_to(self->s, &self->a_addr, self->len));
	ASSERT_LT(0, wsac_send_to(self->a, "old-1", &self->s_addr, self->len));
	ASSERT_LT(0, wsac_send_to(self->a, "old-2", &self->s_addr, self->len));
	/* Linux would still deliver old-1 and old-2 after this. */
	ASSERT_EQ(0, wsac_connect_to(self->s, &self->b_addr, self->len));
	EXPECT_STREQ("", wsac_next(self->s, buf, sizeof(buf)));
	ASSERT_LT(0, wsac_send_to(self->b, "new", &self->s_addr, self->len));
	EXPECT_STREQ("new", wsac_next(self->s, buf, sizeof(buf)));
}

TEST_F(udp, reconnect_to_the_same_peer_keeps_them)
{
	char buf[16];

	ASSERT_EQ(0, wsac_connect_to(self->s, &self->a_addr, self->len));
	ASSERT_LT(0, wsac_send_to(self->a, "kept", &self->s_addr, self->len));
	ASSERT_EQ(0, wsac_connect_to(self->s, &self->a_addr, self->len));
	EXPECT_STREQ("kept", wsac_next(self->s, buf, sizeof(buf)));
}

TEST_F(udp, all_zero_name_disconnects)
{
	struct sockaddr_storage zero = {};
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);

	ASSERT_EQ(0, wsac_connect_to(self->s, &self->a_addr, self->len));
	ASSERT_EQ(0, wsac_connect_to(self->s, &zero, self->len));
	EXPECT_EQ(SOCKET_ERROR, getpeername(self->s, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(WSAENOTCONN, WSAGetLastError());
	/* Disconnected, it keeps its port and hears everyone again. */
	ASSERT_LT(0, wsac_send_to(self->b, "any", &self->s_addr, self->len));
	EXPECT_STREQ("any", wsac_next(self->s, (char *)&peer, sizeof(peer)));
}

TEST_F(udp, zero_address_with_a_family_is_addrnotavail)
{
	struct sockaddr_storage any = self->a_addr;

	if (variant->family == AF_INET6)
		((struct sockaddr_in6 *)&any)->sin6_addr = in6addr_any;
	else
		((struct sockaddr_in *)&any)->sin_addr.s_addr = htonl(INADDR_ANY);
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_to(self->s, &any, self->len));
	EXPECT_EQ(WSAEADDRNOTAVAIL, WSAGetLastError());
}

TEST_F(udp, connect_data_is_ignored_and_callee_len_zeroed)
{
	char caller[] = "caller data", callee[32];
	WSABUF cd = { .len = sizeof(caller), .buf = caller };
	WSABUF ce = { .len = sizeof(callee), .buf = callee };
	char buf[32];

	ASSERT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->a_addr, self->len,
				&cd, &ce, NULL, NULL));
	EXPECT_EQ(0, ce.len);
	/* Nothing was sent: connect data never becomes a datagram. */
	EXPECT_STREQ("", wsac_next(self->a, buf, sizeof(buf)));
}

TEST_F(udp, other_family_is_afnosupport)
{
	struct sockaddr_storage other;

	if (variant->family != AF_INET6)
		SKIP(return, "an AF_INET socket has no other family to confuse");
	/* Linux's connect(2) would accept an AF_INET name on this socket. */
	wsac_loopback(AF_INET, &other, 9);
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_to(self->s, &other, sizeof(struct sockaddr_in6)));
	EXPECT_EQ(WSAEAFNOSUPPORT, WSAGetLastError());
}

FIXTURE(bcast) {
	WSADATA wsa;
	int s;
	struct sockaddr_in dst;
};

FIXTURE_SETUP(bcast)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	ASSERT_EQ(0, wsac_dummy_up("d0", "198.51.100.1/24"));
	self->dst.sin_family = AF_INET;
	self->dst.sin_port = htons(9);
	inet_pton(AF_INET, "198.51.100.255", &self->dst.sin_addr);
	self->s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(bcast)
{
	closesocket(self->s);
	WSACleanup();
}

TEST_F(bcast, needs_so_broadcast)
{
	BOOL on = TRUE;

	/* The documented rule; Windows 10/11 let this succeed. */
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&self->dst,
					   sizeof(self->dst), NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEACCES, WSAGetLastError());
	ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_BROADCAST, (char *)&on, sizeof(on)));
	EXPECT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->dst, sizeof(self->dst),
				NULL, NULL, NULL, NULL));
}

TEST_HARNESS_MAIN
