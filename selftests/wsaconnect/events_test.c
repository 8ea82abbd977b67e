// SPDX-License-Identifier: GPL-2.0
/*
 * How a nonblocking WSAConnect reports completion and failure: FD_CONNECT
 * through WSAEventSelect/WSAEnumNetworkEvents with the error in
 * iErrorCode[FD_CONNECT_BIT], and WSAPoll's revents as Windows sets them.
 */
#include "helpers.h"

#include "kselftest_harness.h"

FIXTURE(events) {
	WSADATA wsa;
	int s, listener;
	struct sockaddr_storage live, dead;
	socklen_t len;
	int holder;
};

FIXTURE_SETUP(events)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	self->listener = wsac_bound_socket(AF_INET, SOCK_STREAM, 1, &self->live, &self->len);
	self->holder = wsac_closed_port(AF_INET, &self->dead, &self->len);
	ASSERT_LE(0, self->listener);
	ASSERT_LE(0, self->holder);
	self->s = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(events)
{
	closesocket(self->s);
	closesocket(self->listener);
	closesocket(self->holder);
	WSACleanup();
}

/* Wait for FD_CONNECT and return its error code, or -1 if none came. */
static int wsac_fd_connect_error(int s, WSAEVENT ev)
{
	WSANETWORKEVENTS ne;

	if (WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE) != WSA_WAIT_EVENT_0)
		return -1;
	memset(&ne, 0, sizeof(ne));
	if (WSAEnumNetworkEvents(s, ev, &ne) == SOCKET_ERROR)
		return -1;
	if (!(ne.lNetworkEvents & FD_CONNECT))
		return -1;
	return ne.iErrorCode[FD_CONNECT_BIT];
}

TEST_F(events, fd_connect_on_success)
{
	WSAEVENT ev = WSACreateEvent();
	int rc;

	ASSERT_TRUE(ev != WSA_INVALID_EVENT);
	/* WSAEventSelect makes the socket nonblocking, as on Windows. */
	ASSERT_EQ(0, WSAEventSelect(self->s, ev, FD_CONNECT | FD_WRITE));
	rc = WSAConnect(self->s, (struct sockaddr *)&self->live, self->len,
			NULL, NULL, NULL, NULL);
	if (rc == SOCKET_ERROR)
		EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	EXPECT_EQ(0, wsac_fd_connect_error(self->s, ev));
	WSACloseEvent(ev);
}

TEST_F(events, fd_connect_carries_the_refusal)
{
	WSAEVENT ev = WSACreateEvent();
	int rc;

	ASSERT_TRUE(ev != WSA_INVALID_EVENT);
	ASSERT_EQ(0, WSAEventSelect(self->s, ev, FD_CONNECT));
	rc = WSAConnect(self->s, (struct sockaddr *)&self->dead, self->len,
			NULL, NULL, NULL, NULL);
	/* A nonblocking connect never fails synchronously on Winsock. */
	EXPECT_EQ(SOCKET_ERROR, rc);
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	EXPECT_EQ(WSAECONNREFUSED, wsac_fd_connect_error(self->s, ev));
	/* And the socket may try again, at a live port this time. */
	WSAResetEvent(ev);
	rc = WSAConnect(self->s, (struct sockaddr *)&self->live, self->len,
			NULL, NULL, NULL, NULL);
	if (rc == SOCKET_ERROR)
		EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	EXPECT_EQ(0, wsac_fd_connect_error(self->s, ev));
	WSACloseEvent(ev);
}

TEST_F(events, wsapoll_after_a_refusal)
{
	WSAPOLLFD pfd = { .fd = self->s, .events = POLLRDNORM | POLLWRNORM };
	u_long on = 1;

	ASSERT_EQ(0, ioctlsocket(self->s, FIONBIO, &on));
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&self->dead,
					   self->len, NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	ASSERT_EQ(1, WSAPoll(&pfd, 1, 5000));
	EXPECT_EQ(POLLWRNORM | POLLHUP | POLLERR, pfd.revents);
}

TEST_F(events, wsapoll_after_success)
{
	WSAPOLLFD pfd = { .fd = self->s, .events = POLLWRNORM };
	u_long on = 1;
	int rc;

	ASSERT_EQ(0, ioctlsocket(self->s, FIONBIO, &on));
	rc = WSAConnect(self->s, (struct sockaddr *)&self->live, self->len,
			NULL, NULL, NULL, NULL);
	if (rc == SOCKET_ERROR)
		EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	ASSERT_EQ(1, WSAPoll(&pfd, 1, 5000));
	EXPECT_EQ(POLLWRNORM, pfd.revents);
}

/* Wait on @ev, then enumerate @s: its events, or -1 if none came. */
static LONG wsac_wait_enum(int s, WSAEVENT ev, DWORD ms)
{
	WSANETWORKEVENTS ne;

	if (WSAWaitForMultipleEvents(1, &ev, FALSE, ms, FALSE) != WSA_WAIT_EVENT_0)
		return -1;
	memset(&ne, 0, sizeof(ne));
	if (WSAEnumNetworkEvents(s, ev, &ne) == SOCKET_ERROR)
		return -2;
	return ne.lNetworkEvents;
}

/*
 * FD_READ on a UDP socket: once per arrival, again after a read that
 * leaves a datagram, never again while data stays unread.
 */
TEST_F(events, udp_fd_read_is_re_enabled_by_recv)
{
	struct sockaddr_storage a, b;
	socklen_t alen, blen;
	WSAEVENT ev = WSACreateEvent();
	int u = wsac_bound_socket(AF_INET, SOCK_DGRAM, 0, &a, &alen);
	int v = wsac_bound_socket(AF_INET, SOCK_DGRAM, 0, &b, &blen);
	char buf[8];

	ASSERT_TRUE(ev != WSA_INVALID_EVENT);
	ASSERT_LE(0, u);
	ASSERT_LE(0, v);
	ASSERT_EQ(0, connect(v, (struct sockaddr *)&a, alen));
	ASSERT_EQ(0, WSAEventSelect(u, ev, FD_READ));
	ASSERT_EQ(4, send(v, "one!", 4, 0));
	ASSERT_EQ(4, send(v, "two!", 4, 0));
	EXPECT_EQ(FD_READ, wsac_wait_enum(u, ev, 5000));
	EXPECT_EQ(-1, wsac_wait_enum(u, ev, 300));	/* unread: the wait does not spin */
	EXPECT_EQ(4, recv(u, buf, sizeof(buf), 0));
	EXPECT_EQ(FD_READ, wsac_wait_enum(u, ev, 5000));	/* one left */
	EXPECT_EQ(4, recv(u, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, wsac_wait_enum(u, ev, 300));
	closesocket(u);
	closesocket(v);
	WSACloseEvent(ev);
}

static int CALLBACK wsac_answer(LPWSABUF caller, LPWSABUF caller_data, LPQOS sqos,
				LPQOS gqos, LPWSABUF callee, LPWSABUF callee_data,
				GROUP *g, DWORD_PTR answer)
{
	(void)caller; (void)caller_data; (void)sqos; (void)gqos;
	(void)callee; (void)callee_data; (void)g;
	return (int)answer;
}

/* A connection WSAAccept deferred is pending: WSAPoll and FD_ACCEPT. */
TEST_F(events, deferred_connection_stays_pending)
{
	WSAPOLLFD pfd = { .fd = self->listener, .events = POLLRDNORM };
	WSAEVENT ev = WSACreateEvent();
	SOCKET a;

	ASSERT_TRUE(ev != WSA_INVALID_EVENT);
	ASSERT_EQ(0, connect(self->s, (struct sockaddr *)&self->live, self->len));
	ASSERT_EQ(1, WSAPoll(&pfd, 1, 5000));
	EXPECT_EQ(INVALID_SOCKET, WSAAccept(self->listener, NULL, NULL, wsac_answer, CF_DEFER));
	EXPECT_EQ(WSATRY_AGAIN, WSAGetLastError());
	pfd.revents = 0;
	EXPECT_EQ(1, WSAPoll(&pfd, 1, 0));
	EXPECT_EQ(POLLRDNORM, pfd.revents);
	ASSERT_EQ(0, WSAEventSelect(self->listener, ev, FD_ACCEPT));
	EXPECT_EQ(FD_ACCEPT, wsac_wait_enum(self->listener, ev, 5000));
	a = WSAAccept(self->listener, NULL, NULL, wsac_answer, CF_ACCEPT);
	EXPECT_LE(0, (int)a);
	closesocket(a);
	EXPECT_EQ(0, WSAPoll(&pfd, 1, 0));
	WSACloseEvent(ev);
}

TEST_HARNESS_MAIN
