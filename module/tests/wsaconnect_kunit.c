// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the Winsock decisions of wsaconnect.ko: the name rules,
 * the state table, and the connect check on real kernel sockets.
 *
 * The logic under test is compiled into this module from the same sources
 * as wsaconnect.ko, so it is tested without being exported.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/net.h>
#include <linux/un.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "../compat.h"
#include "../addr.c"
#include "../state.c"
#include "../check.c"

struct wsac_addr_case {
	const char *name;
	unsigned short sock_family;
	unsigned short sock_type;
	u8 addr[WSAC_ADDR_MAX];
	u32 addrlen;
	int verdict;
	u32 action;
};

static void wsac_put_in(u8 *buf, const char *ip, u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	sin.sin_addr.s_addr = in_aton(ip);
	memcpy(buf, &sin, sizeof(sin));
}

static void wsac_put_in6(u8 *buf, const struct in6_addr *a, u16 port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port),
				     .sin6_addr = *a };

	memcpy(buf, &sin6, sizeof(sin6));
}

static void wsac_addr_expect(struct kunit *test, const struct wsac_addr_case *c)
{
	u32 action = ~0U;
	int verdict;

	verdict = wsac_addr_verdict(c->sock_family, c->sock_type, c->addr,
				    c->addrlen, &action);
	KUNIT_EXPECT_EQ_MSG(test, verdict, c->verdict, "%s", c->name);
	if (!c->verdict)
		KUNIT_EXPECT_EQ_MSG(test, action, c->action, "%s", c->name);
}

static void wsac_addr_inet(struct kunit *test)
{
	struct wsac_addr_case c = { .sock_family = AF_INET, .sock_type = SOCK_STREAM,
				    .addrlen = sizeof(struct sockaddr_in) };

	c.name = "loopback";
	wsac_put_in(c.addr, "127.0.0.1", 80);
	wsac_addr_expect(test, &c);

	c.name = "one byte short";
	c.addrlen = sizeof(struct sockaddr_in) - 1;
	c.verdict = -EFAULT;
	wsac_addr_expect(test, &c);

	c.name = "longer namelen than sockaddr_storage is fine";
	c.addrlen = 4096;
	c.verdict = 0;
	wsac_addr_expect(test, &c);

	c.name = "INADDR_ANY";
	c.addrlen = sizeof(struct sockaddr_in);
	wsac_put_in(c.addr, "0.0.0.0", 80);
	c.verdict = -EADDRNOTAVAIL;
	wsac_addr_expect(test, &c);

	c.name = "INADDR_ANY on UDP";
	c.sock_type = SOCK_DGRAM;
	wsac_addr_expect(test, &c);

	c.name = "port 0 on UDP connects";
	wsac_put_in(c.addr, "127.0.0.1", 0);
	c.verdict = 0;
	wsac_addr_expect(test, &c);
}

static void wsac_addr_inet6(struct kunit *test)
{
	struct in6_addr mapped_any = { .s6_addr32 = { 0, 0, htonl(0xffff), 0 } };
	struct wsac_addr_case c = { .sock_family = AF_INET6, .sock_type = SOCK_STREAM,
				    .addrlen = sizeof(struct sockaddr_in6) };

	c.name = "::1";
	wsac_put_in6(c.addr, &in6addr_loopback, 80);
	wsac_addr_expect(test, &c);

	c.name = "::";
	wsac_put_in6(c.addr, &in6addr_any, 80);
	c.verdict = -EADDRNOTAVAIL;
	wsac_addr_expect(test, &c);

	c.name = "::ffff:0.0.0.0";
	wsac_put_in6(c.addr, &mapped_any, 80);
	wsac_addr_expect(test, &c);

	c.name = "sockaddr_in length on an AF_INET6 socket";
	wsac_put_in6(c.addr, &in6addr_loopback, 80);
	c.addrlen = sizeof(struct sockaddr_in);
	c.verdict = -EFAULT;
	wsac_addr_expect(test, &c);

	c.name = "AF_INET name on an AF_INET6 UDP socket";
	memset(c.addr, 0, sizeof(c.addr));
	wsac_put_in(c.addr, "127.0.0.1", 80);
	c.addrlen = sizeof(struct sockaddr_in6);
	c.sock_type = SOCK_DGRAM;
	c.verdict = -EAFNOSUPPORT;
	wsac_addr_expect(test, &c);
}

static void wsac_addr_unspec(struct kunit *test)
{
	struct wsac_addr_case c = { .sock_family = AF_INET, .sock_type = SOCK_DGRAM,
				    .addrlen = sizeof(struct sockaddr_in) };

	c.name = "all-zero name disconnects UDP";
	c.action = WSAC_ACTION_DISCONNECT;
	wsac_addr_expect(test, &c);

	c.name = "AF_UNSPEC never reaches a TCP socket";
	c.sock_type = SOCK_STREAM;
	c.verdict = -EAFNOSUPPORT;
	wsac_addr_expect(test, &c);

	c.name = "AF_UNSPEC with a port is not a disconnect";
	c.sock_type = SOCK_DGRAM;
	c.addr[3] = 1;
	wsac_addr_expect(test, &c);
}

static void wsac_addr_unix(struct kunit *test)
{
	struct wsac_addr_case c = { .sock_family = AF_UNIX, .sock_type = SOCK_STREAM };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	memcpy(c.addr, &sun, sizeof(sun.sun_family));
	c.name = "family only";
	c.addrlen = offsetof(struct sockaddr_un, sun_path);
	c.verdict = -EFAULT;
	wsac_addr_expect(test, &c);

	c.name = "abstract name";
	c.addrlen = offsetof(struct sockaddr_un, sun_path) + 4;
	memcpy(c.addr + c.addrlen - 3, "abc", 3);
	c.verdict = 0;
	wsac_addr_expect(test, &c);

	c.name = "unknown socket family";
	c.sock_family = AF_PACKET;
	c.verdict = -EAFNOSUPPORT;
	wsac_addr_expect(test, &c);
}

struct wsac_state_case {
	unsigned short sock_type;
	socket_state ss;
	int tcp_state;
	enum wsac_sock_state state;
	int verdict;
};

static const struct wsac_state_case wsac_state_cases[] = {
	{ SOCK_STREAM, SS_UNCONNECTED, TCP_CLOSE, WSAC_STATE_UNCONNECTED, 0 },
	{ SOCK_STREAM, SS_UNCONNECTED, TCP_LISTEN, WSAC_STATE_LISTENING, -EINVAL },
	{ SOCK_STREAM, SS_CONNECTING, TCP_SYN_SENT, WSAC_STATE_CONNECTING, -EALREADY },
	/* Linux would return 0 once here; Winsock says connected. */
	{ SOCK_STREAM, SS_CONNECTING, TCP_ESTABLISHED, WSAC_STATE_CONNECTED, -EISCONN },
	/* A failed nonblocking connect may be retried on Winsock. */
	{ SOCK_STREAM, SS_CONNECTING, TCP_CLOSE, WSAC_STATE_FAILED, 0 },
	{ SOCK_STREAM, SS_CONNECTED, TCP_ESTABLISHED, WSAC_STATE_CONNECTED, -EISCONN },
	{ SOCK_STREAM, SS_CONNECTED, TCP_CLOSE_WAIT, WSAC_STATE_CONNECTED, -EISCONN },
	{ SOCK_STREAM, SS_CONNECTED, TCP_CLOSE, WSAC_STATE_CLOSED, -EISCONN },
	{ SOCK_DGRAM, SS_UNCONNECTED, TCP_CLOSE, WSAC_STATE_UNCONNECTED, 0 },
	{ SOCK_DGRAM, SS_CONNECTED, TCP_ESTABLISHED, WSAC_STATE_CONNECTED, 0 },
};

static void wsac_state_table(struct kunit *test)
{
	const struct wsac_state_case *c;
	enum wsac_sock_state state;

	for (c = wsac_state_cases; c < wsac_state_cases + ARRAY_SIZE(wsac_state_cases); c++) {
		state = wsac_sock_state(c->sock_type, c->ss, c->tcp_state);
		KUNIT_EXPECT_EQ_MSG(test, state, c->state, "type %u ss %d tcp %d",
				    c->sock_type, c->ss, c->tcp_state);
		KUNIT_EXPECT_EQ_MSG(test, wsac_state_verdict(state, c->sock_type),
				    c->verdict, "type %u ss %d tcp %d",
				    c->sock_type, c->ss, c->tcp_state);
	}
}

static struct socket *wsac_kunit_socket(struct kunit *test, int family, int type,
					int proto)
{
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, family, type, proto, &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	return sock;
}

static void wsac_check_tcp(struct kunit *test)
{
	struct sockaddr_in any = { .sin_family = AF_INET };
	struct wsac_connect_check req = {};
	struct socket *sock;

	sock = wsac_kunit_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	wsac_put_in(req.addr, "127.0.0.1", 9);
	req.addrlen = sizeof(struct sockaddr_in);

	KUNIT_EXPECT_EQ(test, wsac_check_socket(sock, &req), 0);
	KUNIT_EXPECT_EQ(test, req.verdict, 0);
	KUNIT_EXPECT_EQ(test, req.state, (u32)WSAC_STATE_UNCONNECTED);
	KUNIT_EXPECT_EQ(test, req.family, (u16)AF_INET);
	KUNIT_EXPECT_EQ(test, req.type, (u16)SOCK_STREAM);
	KUNIT_EXPECT_EQ(test, req.protocol, (u16)IPPROTO_TCP);

	KUNIT_ASSERT_EQ(test, kernel_bind(sock, wsac_sockaddr_arg(&any), sizeof(any)), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sock, 1), 0);
	KUNIT_EXPECT_EQ(test, wsac_check_socket(sock, &req), 0);
	KUNIT_EXPECT_EQ(test, req.state, (u32)WSAC_STATE_LISTENING);
	KUNIT_EXPECT_EQ(test, req.verdict, -EINVAL);
	sock_release(sock);
}

static void wsac_check_udp(struct kunit *test)
{
	struct wsac_connect_check req = { .addrlen = sizeof(struct sockaddr_in6) };
	struct socket *sock;

	sock = wsac_kunit_socket(test, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, wsac_check_socket(sock, &req), 0);
	KUNIT_EXPECT_EQ(test, req.verdict, 0);
	KUNIT_EXPECT_EQ(test, req.action, (u32)WSAC_ACTION_DISCONNECT);
	KUNIT_EXPECT_EQ(test, req.state, (u32)WSAC_STATE_UNCONNECTED);
	sock_release(sock);
}

static void wsac_check_unsupported(struct kunit *test)
{
	struct wsac_connect_check req = { .addrlen = sizeof(struct sockaddr_un) };
	struct socket *sock;

	sock = wsac_kunit_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	KUNIT_EXPECT_EQ(test, wsac_check_socket(sock, &req), -EPROTONOSUPPORT);
	sock_release(sock);

	sock = wsac_kunit_socket(test, AF_INET, SOCK_RAW, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, wsac_check_socket(sock, &req), -EPROTONOSUPPORT);
	sock_release(sock);
}

static struct kunit_case wsac_addr_test_cases[] = {
	KUNIT_CASE(wsac_addr_inet),
	KUNIT_CASE(wsac_addr_inet6),
	KUNIT_CASE(wsac_addr_unspec),
	KUNIT_CASE(wsac_addr_unix),
	{}
};

static struct kunit_suite wsac_addr_test_suite = {
	.name = "wsaconnect_addr",
	.test_cases = wsac_addr_test_cases,
};

static struct kunit_case wsac_state_test_cases[] = {
	KUNIT_CASE(wsac_state_table),
	KUNIT_CASE(wsac_check_tcp),
	KUNIT_CASE(wsac_check_udp),
	KUNIT_CASE(wsac_check_unsupported),
	{}
};

static struct kunit_suite wsac_state_test_suite = {
	.name = "wsaconnect_state",
	.test_cases = wsac_state_test_cases,
};

kunit_test_suites(&wsac_addr_test_suite, &wsac_state_test_suite);

MODULE_DESCRIPTION("KUnit tests for wsaconnect");
MODULE_LICENSE("GPL");
