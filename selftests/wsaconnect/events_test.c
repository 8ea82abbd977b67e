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

TEST_HARNESS_MAIN
