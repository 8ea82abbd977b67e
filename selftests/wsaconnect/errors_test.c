// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnect's errors produced for real, each in its own network
 * namespace: timeouts, unreachable networks and hosts, a vanished link,
 * a taken 4-tuple, exhausted ephemeral ports, a signal.  After the errors
 * Winsock allows it, the same socket must connect again.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/time.h>

#include "kselftest_harness.h"

#define WSAC_BLACKHOLE	"198.51.100.2"	/* SYNs to it vanish on a dummy link */
#define WSAC_UNREACH	"203.0.113.1"	/* an "unreachable" route */

static int wsac_connect_in(int s, const char *ip, unsigned short port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return WSAConnect(s, (struct sockaddr *)&sin, sizeof(sin), NULL, NULL, NULL, NULL);
}

FIXTURE(net) {
	WSADATA wsa;
	int s, listener;
	struct sockaddr_storage lo;
	socklen_t lolen;
};

FIXTURE_SETUP(net)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	ASSERT_EQ(0, wsac_dummy_up("d0", "198.51.100.1/24"));
	ASSERT_EQ(0, wsac_route_unreachable("203.0.113.0/24"));
	ASSERT_EQ(0, wsac_sysctl("net.ipv4.tcp_syn_retries", "1"));
	self->listener = wsac_bound_socket(AF_INET, SOCK_STREAM, 1, &self->lo, &self->lolen);
	ASSERT_LE(0, self->listener);
	self->s = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(net)
{
	closesocket(self->s);
	closesocket(self->listener);
	WSACleanup();
}

/* After these errors Winsock lets the same socket connect again. */
static void wsac_reconnects(struct __test_metadata *_metadata,
			    FIXTURE_DATA(net) *self)
{
	EXPECT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->lo, self->lolen,
				NULL, NULL, NULL, NULL));
}

TEST_F_TIMEOUT(net, timedout_then_reconnects, 60)
{
	/* tcp_syn_retries=1: the SYN and one retry, about 3 seconds. */
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_in(self->s, WSAC_BLACKHOLE, 9));
	EXPECT_EQ(WSAETIMEDOUT, WSAGetLastError());
	wsac_reconnects(_metadata, self);
}

TEST_F(net, netunreach_then_reconnects)
{
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_in(self->s, "192.0.2.1", 9));
	EXPECT_EQ(WSAENETUNREACH, WSAGetLastError());
	wsac_reconnects(_metadata, self);
}

TEST_F(net, hostunreach)
{
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_in(self->s, WSAC_UNREACH, 9));
	EXPECT_EQ(WSAEHOSTUNREACH, WSAGetLastError());
	wsac_reconnects(_metadata, self);
}

TEST_F(net, netdown_when_the_bound_link_is_gone)
{
	ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_BINDTODEVICE, "d0", 3));
	ASSERT_EQ(0, wsac_link_del("d0"));
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_in(self->s, WSAC_BLACKHOLE, 9));
	EXPECT_EQ(WSAENETDOWN, WSAGetLastError());
}

TEST_F(net, addrinuse_for_a_taken_four_tuple)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	int on = 1, other = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT_LE(0, other);
	ASSERT_EQ(0, setsockopt(other, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)));
	ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)));
	wsac_loopback(AF_INET, &local, 0);
	ASSERT_EQ(0, bind(other, (struct sockaddr *)&local, sizeof(struct sockaddr_in)));
	ASSERT_EQ(0, getsockname(other, (struct sockaddr *)&local, &len));
	ASSERT_EQ(0, connect(other, (struct sockaddr *)&self->lo, self->lolen));
	ASSERT_EQ(0, bind(self->s, (struct sockaddr *)&local, len));
	/* Linux says EADDRNOTAVAIL for this; Winsock WSAEADDRINUSE. */
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&self->lo,
					   self->lolen, NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEADDRINUSE, WSAGetLastError());
	close(other);
}

TEST_F(net, nobufs_when_ephemeral_ports_run_out)
{
	int a = socket(AF_INET, SOCK_STREAM, 0), b = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT_EQ(0, wsac_sysctl("net.ipv4.ip_local_port_range", "40000 40001"));
	ASSERT_EQ(0, connect(a, (struct sockaddr *)&self->lo, self->lolen));
	ASSERT_EQ(0, connect(b, (struct sockaddr *)&self->lo, self->lolen));
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&self->lo,
					   self->lolen, NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAENOBUFS, WSAGetLastError());
	close(a);
	close(b);
}

static void wsac_on_alarm(int sig)
{
	(void)sig;
}

TEST_F_TIMEOUT(net, intr_by_a_signal_without_restart, 60)
{
	struct sigaction sa = { .sa_handler = wsac_on_alarm };

	/*
	 * No SA_RESTART: Linux's connect(2) returns EINTR and goes on in the
	 * background; a Winsock 2 blocking connect ends only with its result,
	 * so WSAConnect waits for it (issue 10.5): about 3 s with
	 * tcp_syn_retries=1, then WSAETIMEDOUT, and the socket is free again.
	 */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, wsac_sysctl("net.ipv4.tcp_syn_retries", "1"));
	alarm(1);
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_in(self->s, WSAC_BLACKHOLE, 9));
	EXPECT_EQ(WSAETIMEDOUT, WSAGetLastError());
}

static int wsac_in_handler_rc, wsac_in_handler_err;

static void wsac_call_from_handler(int sig)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	(void)sig;
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	wsac_in_handler_rc = WSAConnect(s, (struct sockaddr *)&sin, sizeof(sin),
					NULL, NULL, NULL, NULL);
	wsac_in_handler_err = WSAGetLastError();
	close(s);
}

TEST_F_TIMEOUT(net, inprogress_from_a_signal_handler, 60)
{
	struct sigaction sa = { .sa_handler = wsac_call_from_handler,
				.sa_flags = SA_RESTART };

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	/* Blocks about 3 seconds (tcp_syn_retries=1), the handler runs inside. */
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_in(self->s, WSAC_BLACKHOLE, 9));
	EXPECT_EQ(WSAETIMEDOUT, WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, wsac_in_handler_rc);
	EXPECT_EQ(WSAEINPROGRESS, wsac_in_handler_err);
}

TEST_HARNESS_MAIN
