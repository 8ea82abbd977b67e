// SPDX-License-Identifier: GPL-2.0
/*
 * Library regressions of issue 10 that depend on the real module's
 * verdicts and on the kernel's TCP states: a connection that was made is
 * never judged a failed connect (its data survives), and a refused
 * WSAConnectByNameA/ByList leaves the socket exactly as it was.
 */
#include "helpers.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include "kselftest_harness.h"

FIXTURE(regress) {
	WSADATA wsa;
	int listener, s;
	struct sockaddr_storage live;
	socklen_t len;
};

FIXTURE_SETUP(regress)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	self->listener = wsac_bound_socket(AF_INET, SOCK_STREAM, 1, &self->live, &self->len);
	ASSERT_LE(0, self->listener);
	self->s = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(regress)
{
	closesocket(self->s);
	closesocket(self->listener);
	WSACleanup();
}

static int accept_within(int listener, int ms)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return accept(listener, NULL, NULL);
}

/* Request, shutdown(SD_SEND); the server replies and closes. */
static int request_reply(int s, int listener)
{
	char buf[8];
	int a;

	if (send(s, "req", 3, 0) != 3 || shutdown(s, SD_SEND))
		return -1;
	a = accept_within(listener, 5000);
	if (a < 0)
		return -1;
	if (recv(a, buf, sizeof(buf), MSG_WAITALL) != 3 || send(a, "reply", 5, 0) != 5) {
		close(a);
		return -1;
	}
	close(a);
	usleep(100 * 1000);
	return 0;
}

TEST_F(regress, wsapoll_keeps_the_reply)
{
	WSAPOLLFD pfd = { .fd = self->s, .events = POLLRDNORM };
	char buf[16];

	ASSERT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->live, self->len,
				NULL, NULL, NULL, NULL));
	ASSERT_EQ(0, request_reply(self->s, self->listener));
	EXPECT_EQ(1, WSAPoll(&pfd, 1, 2000));
	EXPECT_EQ(POLLRDNORM, pfd.revents & (POLLRDNORM | POLLERR));
	EXPECT_EQ(5, recv(self->s, buf, sizeof(buf), 0));
}

TEST_F(regress, event_select_reports_read_and_close)
{
	WSAEVENT ev = WSACreateEvent();
	WSANETWORKEVENTS ne;
	char buf[16];

	ASSERT_TRUE(ev != WSA_INVALID_EVENT);
	ASSERT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->live, self->len,
				NULL, NULL, NULL, NULL));
	ASSERT_EQ(0, request_reply(self->s, self->listener));
	ASSERT_EQ(0, WSAEventSelect(self->s, ev, FD_CONNECT | FD_READ | FD_CLOSE));
	ASSERT_EQ(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, &ev, FALSE, 2000, FALSE));
	memset(&ne, 0, sizeof(ne));
	ASSERT_EQ(0, WSAEnumNetworkEvents(self->s, ev, &ne));
	EXPECT_EQ(FD_CONNECT | FD_READ | FD_CLOSE, ne.lNetworkEvents);
	EXPECT_EQ(0, ne.iErrorCode[FD_CONNECT_BIT]);
	EXPECT_EQ(0, ne.iErrorCode[FD_CLOSE_BIT]);
	EXPECT_EQ(5, recv(self->s, buf, sizeof(buf), 0));
	WSACloseEvent(ev);
}

TEST_F(regress, nonblocking_connection_made_unseen)
{
	WSAPOLLFD pfd = { .fd = self->s, .events = POLLRDNORM };
	struct pollfd lp = { .fd = self->s, .events = POLLOUT };
	unsigned long on = 1;
	char buf[16];

	ASSERT_EQ(0, ioctlsocket(self->s, FIONBIO, &on));
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&self->live,
					   self->len, NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	ASSERT_EQ(1, poll(&lp, 1, 5000));
	ASSERT_EQ(0, request_reply(self->s, self->listener));
	EXPECT_EQ(1, WSAPoll(&pfd, 1, 2000));
	EXPECT_EQ(POLLRDNORM, pfd.revents & (POLLRDNORM | POLLERR));
	EXPECT_EQ(5, recv(self->s, buf, sizeof(buf), 0));
}

TEST_F(regress, reset_reaches_recv)
{
	WSAPOLLFD pfd = { .fd = self->s, .events = POLLRDNORM };
	struct linger lg = { 1, 0 };
	char buf[16];
	int a;

	ASSERT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->live, self->len,
				NULL, NULL, NULL, NULL));
	a = accept_within(self->listener, 5000);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(a);
	usleep(100 * 1000);
	EXPECT_EQ(1, WSAPoll(&pfd, 1, 2000));
	EXPECT_EQ(SOCKET_ERROR, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(WSAECONNRESET, WSAGetLastError());
}

static int still_listening(int listener, const struct sockaddr_storage *ss, socklen_t len)
{
	int c = socket(AF_INET, SOCK_STREAM, 0), a = -1;

	if (!connect(c, (const struct sockaddr *)ss, len))
		a = accept_within(listener, 2000);
	close(c);
	if (a < 0)
		return 0;
	close(a);
	return 1;
}

TEST_F(regress, byname_on_a_listener_keeps_it_listening)
{
	struct timeval tv = { .tv_sec = 2 };
	char port[8];

	snprintf(port, sizeof(port), "%u",
		 ntohs(((struct sockaddr_in *)&self->live)->sin_port));
	EXPECT_FALSE(WSAConnectByNameA(self->listener, "127.0.0.1", port, NULL, NULL,
				       NULL, NULL, &tv, NULL));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
	EXPECT_EQ(1, still_listening(self->listener, &self->live, self->len));
}

TEST_F(regress, bylist_on_a_connected_socket_keeps_the_connection)
{
	struct timeval tv = { .tv_sec = 2 };
	struct {
		INT count;
		SOCKET_ADDRESS addr[1];
	} list = { 1, { { (struct sockaddr *)&self->live, (INT)self->len } } };
	char buf[4];
	int a;

	ASSERT_EQ(0, connect(self->s, (struct sockaddr *)&self->live, self->len));
	a = accept_within(self->listener, 5000);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, fcntl(a, F_SETFL, O_NONBLOCK));
	EXPECT_FALSE(WSAConnectByList(self->s, (SOCKET_ADDRESS_LIST *)&list, NULL, NULL,
				      NULL, NULL, &tv, NULL));
	EXPECT_EQ(WSAEISCONN, WSAGetLastError());
	usleep(100 * 1000);
	EXPECT_EQ(-1, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, send(self->s, "ok", 2, MSG_NOSIGNAL));
	close(a);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A blocking connect to a listener whose accept queue is full (its SYN is
 * dropped and retried), interrupted by SIGALRM without SA_RESTART: it
 * still ends connected once the queue has room.
 */
TEST_F(regress, interrupted_blocking_connect_connects)
{
	struct itimerval it = { .it_value = { 0, 200 * 1000 } };
	struct sockaddr_storage ss;
	struct sigaction sa;
	socklen_t len;
	int l, filler, a, s;

	l = wsac_bound_socket(AF_INET, SOCK_STREAM, 0, &ss, &len);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, listen(l, 0));
	filler = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(filler, (struct sockaddr *)&ss, len));
	usleep(50 * 1000);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (!fork()) {
		usleep(400 * 1000);
		a = accept(l, NULL, NULL);
		_exit(a < 0);
	}
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&ss, len, NULL, NULL, NULL, NULL))
		TH_LOG("WSAGetLastError %d", WSAGetLastError());
	close(s);
	close(filler);
	close(l);
}

TEST_HARNESS_MAIN
