// SPDX-License-Identifier: GPL-2.0
/*
 * WSAPoll, event objects, WSAEventSelect/WSAEnumNetworkEvents and
 * WSAConnectByNameA/ByList on loopback, with the fake module.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

#define EXPECT_FAILS_WITH(code, call, ...) do {				\
	WSAC_EXPECT_EQ(SOCKET_ERROR, (call), __VA_ARGS__);		\
	WSAC_EXPECT_EQ(code, WSAGetLastError(), "  ... with " #code);	\
} while (0)

#define EXPECT_FALSE_WITH(code, call, ...) do {				\
	WSAC_EXPECT_EQ(FALSE, (call), __VA_ARGS__);			\
	WSAC_EXPECT_EQ(code, WSAGetLastError(), "  ... with " #code);	\
} while (0)

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

/* A loopback port bound but not listening: connects to it are refused. */
static int closed_port(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    getsockname(fd, (struct sockaddr *)addr, &len))
		return -1;
	return fd;
}

static void drain(int listener)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };

	while (poll(&pfd, 1, 0) == 1) {
		int fd = accept(listener, NULL, NULL);

		if (fd < 0)
			break;
		close(fd);
	}
}

static int wsa_connect(int s, const void *addr, int len)
{
	return WSAConnect(s, addr, len, NULL, NULL, NULL, NULL);
}

static void test_poll_args(void)
{
	WSAPOLLFD pfd = { .fd = -1, .events = POLLRDNORM };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	EXPECT_FAILS_WITH(WSAEFAULT, WSAPoll(NULL, 1, 0), "WSAPoll(NULL)");
	EXPECT_FAILS_WITH(WSAEINVAL, WSAPoll(&pfd, 0, 0), "WSAPoll with no entries");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAPoll((WSAPOLLFD *)16, 1, 0), "WSAPoll((void *)16)");
	pfd.fd = s;
	pfd.events = POLLPRI;
	EXPECT_FAILS_WITH(WSAEINVAL, WSAPoll(&pfd, 1, 0), "POLLPRI is refused, as on Windows");
	pfd.events = POLLWRNORM | POLLWRBAND;
	EXPECT_FAILS_WITH(WSAEINVAL, WSAPoll(&pfd, 1, 0), "POLLWRBAND is refused");
	pfd.fd = -1;
	pfd.events = POLLRDNORM;
	pfd.revents = 77;
	WSAC_EXPECT_EQ(0, WSAPoll(&pfd, 1, 0), "a negative fd is ignored");
	WSAC_EXPECT_EQ(0, pfd.revents, "  ... and its revents cleared");
	close(s);
}

static void test_poll_pair(void)
{
	WSAPOLLFD pfd[2];
	int sv[2], p[2];

	if (!wsac_tap(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv) && !pipe(p), "socketpair, pipe"))
		return;
	memset(pfd, 0, sizeof(pfd));
	pfd[0].fd = sv[0];
	pfd[0].events = POLLRDNORM;
	WSAC_EXPECT_EQ(0, WSAPoll(pfd, 1, 50), "nothing to read: timeout, 0");
	WSAC_EXPECT_EQ(1, write(sv[1], "x", 1), "one byte written");
	pfd[0].events = POLLRDNORM | POLLWRNORM;
	WSAC_EXPECT_EQ(1, WSAPoll(pfd, 1, 1000), "readable and writable: one entry");
	WSAC_EXPECT_EQ(POLLRDNORM | POLLWRNORM, pfd[0].revents, "  ... POLLRDNORM|POLLWRNORM");
	pfd[0].events = POLLIN;
	WSAC_EXPECT_EQ(1, WSAPoll(pfd, 1, 0), "POLLIN asked");
	WSAC_EXPECT_EQ(POLLIN, pfd[0].revents, "  ... POLLIN reported, nothing unasked");
	pfd[1].fd = p[0];
	pfd[1].events = POLLRDNORM;
	WSAC_EXPECT_EQ(2, WSAPoll(pfd, 2, 0), "a pipe in the set");
	WSAC_EXPECT_EQ(POLLNVAL, pfd[1].revents, "  ... is POLLNVAL: not a socket");
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}

static void test_poll_connect(int listener, const struct sockaddr_in *live,
			      const struct sockaddr_in *dead)
{
	WSAPOLLFD pfd = { .events = POLLRDNORM | POLLWRNORM };
	unsigned long on = 1;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	ioctlsocket(s, FIONBIO, &on);
	EXPECT_FAILS_WITH(WSAEWOULDBLOCK, wsa_connect(s, dead, sizeof(*dead)),
			  "nonblocking connect to a closed port: WSAEWOULDBLOCK");
	pfd.fd = s;
	WSAC_EXPECT_EQ(1, WSAPoll(&pfd, 1, 2000), "WSAPoll reports the refusal");
	WSAC_EXPECT_EQ(POLLWRNORM | POLLHUP | POLLERR, pfd.revents,
		       "  ... as POLLWRNORM|POLLHUP|POLLERR, never readable");
	WSAC_EXPECT_EQ(1, WSAPoll(&pfd, 1, 0), "again: the error stays");
	WSAC_EXPECT_EQ(POLLWRNORM | POLLHUP | POLLERR, pfd.revents, "  ... the same revents");
	WSAC_EXPECT_EQ(WSAECONNREFUSED, wsac_sock_conn_error(s, 0), "the table holds WSAECONNREFUSED");

	wsa_connect(s, live, sizeof(*live));
	WSAC_EXPECT_EQ(0, wsac_sock_conn_error(s, 0), "a new attempt clears it");
	pfd.events = POLLWRNORM;
	WSAC_EXPECT_EQ(1, WSAPoll(&pfd, 1, 2000), "the new attempt connects");
	WSAC_EXPECT_EQ(POLLWRNORM, pfd.revents, "  ... POLLWRNORM only");
	drain(listener);
	closesocket(s);

	/* A closed and reused descriptor starts fresh. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	ioctlsocket(s, FIONBIO, &on);
	wsa_connect(s, dead, sizeof(*dead));
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	WSAC_EXPECT_EQ(0, wsac_sock_conn_error(s, 0), "close(2) then reuse: no stale error");
	close(s);
}

static void test_event_objects(void)
{
	WSAEVENT ev = WSACreateEvent(), ev2 = WSACreateEvent(), evs[2];
	struct timespec t0, t1;
	long ms;

	evs[0] = ev;
	evs[1] = ev2;
	WSAC_EXPECT_EQ(true, ev != WSA_INVALID_EVENT && ev2 != WSA_INVALID_EVENT, "WSACreateEvent");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	WSAC_EXPECT_EQ(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, &ev, FALSE, 50, FALSE),
		       "a new event is not signalled: WSA_WAIT_TIMEOUT");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	WSAC_EXPECT_EQ(true, ms >= 45 && ms < 1000, "  ... after about 50 ms (%ld)", ms);
	WSAC_EXPECT_EQ(TRUE, WSASetEvent(ev2), "WSASetEvent");
	WSAC_EXPECT_EQ(WSA_WAIT_EVENT_0 + 1, WSAWaitForMultipleEvents(2, evs, FALSE, 0, FALSE),
		       "the second is signalled: WSA_WAIT_EVENT_0 + 1");
	WSAC_EXPECT_EQ(WSA_WAIT_EVENT_0 + 1, WSAWaitForMultipleEvents(2, evs, FALSE, 0, FALSE),
		       "manual reset: still signalled");
	WSAC_EXPECT_EQ(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(2, evs, TRUE, 20, FALSE),
		       "fWaitAll with one unsignalled: timeout");
	WSASetEvent(ev);
	WSASetEvent(ev);
	WSAC_EXPECT_EQ(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(2, evs, TRUE, WSA_INFINITE, FALSE),
		       "fWaitAll with both signalled");
	WSAC_EXPECT_EQ(TRUE, WSAResetEvent(ev), "WSAResetEvent");
	WSAC_EXPECT_EQ(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE),
		       "  ... once is enough after two sets");
	WSAC_EXPECT_EQ(WSA_WAIT_FAILED, WSAWaitForMultipleEvents(0, evs, FALSE, 0, FALSE),
		       "no events: WSA_WAIT_FAILED");
	WSAC_EXPECT_EQ(WSA_INVALID_PARAMETER, WSAGetLastError(), "  ... WSA_INVALID_PARAMETER");
	WSAC_EXPECT_EQ(TRUE, WSACloseEvent(ev2), "WSACloseEvent");
	WSAC_EXPECT_EQ(FALSE, WSACloseEvent(ev2), "closing it twice fails");
	WSAC_EXPECT_EQ(WSA_INVALID_HANDLE, WSAGetLastError(), "  ... WSA_INVALID_HANDLE");
	WSAC_EXPECT_EQ(FALSE, WSASetEvent((WSAEVENT)&t0), "WSASetEvent on a forged handle");
	WSAC_EXPECT_EQ(WSA_WAIT_FAILED, WSAWaitForMultipleEvents(2, evs, FALSE, 0, FALSE),
		       "waiting on a closed event fails");
	WSAC_EXPECT_EQ(WSA_INVALID_HANDLE, WSAGetLastError(), "  ... WSA_INVALID_HANDLE");
	WSACloseEvent(ev);
}

/* Wait on @ev and enumerate @s; Return: the events, -1 on a timeout. */
static LONG wait_enum(int s, WSAEVENT ev, WSANETWORKEVENTS *ne, DWORD ms)
{
	memset(ne, 0x55, sizeof(*ne));
	if (WSAWaitForMultipleEvents(1, &ev, FALSE, ms, FALSE) != WSA_WAIT_EVENT_0)
		return -1;
	if (WSAEnumNetworkEvents(s, ev, ne))
		return -2;
	return ne->lNetworkEvents;
}

static void test_event_select_args(WSAEVENT ev)
{
	WSANETWORKEVENTS ne;
	int p[2], s = socket(AF_INET, SOCK_STREAM, 0);

	if (pipe(p))
		p[0] = p[1] = -1;
	EXPECT_FAILS_WITH(WSAENOTSOCK, WSAEventSelect(p[0], ev, FD_READ), "WSAEventSelect on a pipe");
	EXPECT_FAILS_WITH(WSAEINVAL, WSAEventSelect(s, ev, 1 << 12), "an unknown FD_ bit");
	EXPECT_FAILS_WITH(WSAEINVAL, WSAEventSelect(s, NULL, FD_READ), "no event for a mask");
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, NULL, 0), "mask 0 disassociates, the event ignored");
	WSAC_EXPECT_EQ(O_NONBLOCK, fcntl(s, F_GETFL) & O_NONBLOCK, "  ... and the socket is nonblocking");
	EXPECT_FAILS_WITH(WSAENOTSOCK, WSAEnumNetworkEvents(p[0], ev, &ne), "WSAEnumNetworkEvents on a pipe");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAEnumNetworkEvents(s, ev, NULL), "NULL lpNetworkEvents");
	WSAC_EXPECT_EQ(0, WSAEnumNetworkEvents(s, NULL, &ne), "no events recorded");
	WSAC_EXPECT_EQ(0, ne.lNetworkEvents, "  ... lNetworkEvents 0");
	close(p[0]);
	close(p[1]);
	close(s);
}

static void test_event_connect(int listener, const struct sockaddr_in *live,
			       const struct sockaddr_in *dead)
{
	WSAEVENT ev = WSACreateEvent();
	WSANETWORKEVENTS ne;
	int s = socket(AF_INET, SOCK_STREAM, 0), a, rc;
	LONG got;

	test_event_select_args(ev);
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE),
		       "WSAEventSelect(FD_CONNECT|FD_WRITE|FD_READ|FD_CLOSE)");
	WSAC_EXPECT_EQ(-1, wait_enum(s, ev, &ne, 50), "a fresh socket has no events");
	rc = wsa_connect(s, live, sizeof(*live));
	WSAC_EXPECT_EQ(true, rc == 0 || WSAGetLastError() == WSAEWOULDBLOCK,
		       "connect: 0 or WSAEWOULDBLOCK");
	got = wait_enum(s, ev, &ne, 2000);
	WSAC_EXPECT_EQ(FD_CONNECT | FD_WRITE, got, "FD_CONNECT and FD_WRITE");
	WSAC_EXPECT_EQ(0, ne.iErrorCode[FD_CONNECT_BIT], "  ... FD_CONNECT's error 0");
	WSAC_EXPECT_EQ(0x55555555, ne.iErrorCode[FD_READ_BIT], "  ... iErrorCode of others untouched");
	WSAC_EXPECT_EQ(-1, wait_enum(s, ev, &ne, 50), "then nothing: FD_CONNECT and FD_WRITE are one-shot");
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE),
		       "selecting again");
	WSAC_EXPECT_EQ(-1, wait_enum(s, ev, &ne, 50), "  ... does not report FD_CONNECT again");

	a = accept(listener, NULL, NULL);
	WSAC_EXPECT_EQ(4, write(a, "data", 4), "the peer sends");
	WSAC_EXPECT_EQ(FD_READ, wait_enum(s, ev, &ne, 2000), "FD_READ");
	WSAC_EXPECT_EQ(-1, wait_enum(s, ev, &ne, 150),
		       "unread, nothing new: no FD_READ again, the wait does not spin");
	{
		char buf[8];

		WSAC_EXPECT_EQ(2, read(s, buf, 2), "part of the data is read");
		WSAC_EXPECT_EQ(FD_READ, wait_enum(s, ev, &ne, 2000),
			       "  ... data left: FD_READ again, as after Winsock's recv()");
		WSAC_EXPECT_EQ(2, read(s, buf, sizeof(buf)), "the rest is read");
	}
	WSAC_EXPECT_EQ(-1, wait_enum(s, ev, &ne, 50), "then no FD_READ");
	close(a);
	got = wait_enum(s, ev, &ne, 2000);
	WSAC_EXPECT_EQ(FD_CLOSE, got, "the peer closes: FD_CLOSE");
	WSAC_EXPECT_EQ(0, ne.iErrorCode[FD_CLOSE_BIT], "  ... graceful, error 0");
	WSAC_EXPECT_EQ(-1, wait_enum(s, ev, &ne, 50), "FD_CLOSE is one-shot");
	closesocket(s);

	/* Refusal: FD_CONNECT carries WSAECONNREFUSED, then a retry works. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	WSAEventSelect(s, ev, FD_CONNECT);
	EXPECT_FAILS_WITH(WSAEWOULDBLOCK, wsa_connect(s, dead, sizeof(*dead)),
			  "event-selected connect to a closed port: WSAEWOULDBLOCK");
	got = wait_enum(s, ev, &ne, 2000);
	WSAC_EXPECT_EQ(FD_CONNECT, got, "FD_CONNECT");
	WSAC_EXPECT_EQ(WSAECONNREFUSED, ne.iErrorCode[FD_CONNECT_BIT], "  ... with WSAECONNREFUSED");
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, ev, FD_CONNECT), "selecting again");
	WSAC_EXPECT_EQ(-1, wait_enum(s, ev, &ne, 50), "  ... does not re-signal the failure");
	rc = wsa_connect(s, live, sizeof(*live));
	WSAC_EXPECT_EQ(true, rc == 0 || WSAGetLastError() == WSAEWOULDBLOCK,
		       "the same socket connects again: 0 or WSAEWOULDBLOCK");
	got = wait_enum(s, ev, &ne, 2000);
	WSAC_EXPECT_EQ(FD_CONNECT, got, "FD_CONNECT for the new attempt");
	WSAC_EXPECT_EQ(0, ne.iErrorCode[FD_CONNECT_BIT], "  ... error 0");
	drain(listener);
	closesocket(s);

	/* A listener: FD_ACCEPT while a connection waits. */
	WSAC_EXPECT_EQ(0, WSAEventSelect(listener, ev, FD_ACCEPT), "listener selects FD_ACCEPT");
	s = socket(AF_INET, SOCK_STREAM, 0);
	connect(s, (const struct sockaddr *)live, sizeof(*live));
	WSAC_EXPECT_EQ(FD_ACCEPT, wait_enum(listener, ev, &ne, 2000), "FD_ACCEPT");
	drain(listener);
	WSAC_EXPECT_EQ(-1, wait_enum(listener, ev, &ne, 50), "accepted: no FD_ACCEPT");
	WSAEventSelect(listener, NULL, 0);
	{
		unsigned long off = 0;

		ioctlsocket(listener, FIONBIO, &off);
	}
	close(s);
	WSACloseEvent(ev);
}

/* A connected pair of @type: AF_UNIX, or UDP on loopback (@udp). */
static bool dgram_or_unix_pair(int sv[2], int type, bool udp)
{
	struct sockaddr_in a, b;
	socklen_t len = sizeof(a);

	if (!udp)
		return !socketpair(AF_UNIX, type, 0, sv);
	sv[0] = socket(AF_INET, SOCK_DGRAM, 0);
	sv[1] = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	b = a;
	if (sv[0] < 0 || sv[1] < 0 || bind(sv[0], (struct sockaddr *)&a, sizeof(a)) ||
	    bind(sv[1], (struct sockaddr *)&b, sizeof(b)) ||
	    getsockname(sv[0], (struct sockaddr *)&a, &len) ||
	    getsockname(sv[1], (struct sockaddr *)&b, &len))
		return false;
	return !connect(sv[0], (struct sockaddr *)&b, sizeof(b)) &&
	       !connect(sv[1], (struct sockaddr *)&a, sizeof(a));
}

/*
 * FD_READ on AF_UNIX and datagram sockets follows Winsock's re-enabling
 * rule as TCP's does: once per arrival, again after a read that leaves
 * data, never again for data left unread (a wait must not spin).
 */
static void test_read_rule(const char *what, int type, bool udp)
{
	WSAEVENT ev = WSACreateEvent();
	WSANETWORKEVENTS ne;
	char buf[16];
	int sv[2];

	if (!wsac_tap(dgram_or_unix_pair(sv, type, udp), "%s: a connected pair", what))
		return;
	WSAC_EXPECT_EQ(0, WSAEventSelect(sv[0], ev, FD_READ), "%s: WSAEventSelect(FD_READ)", what);
	WSAC_EXPECT_EQ(-1, wait_enum(sv[0], ev, &ne, 50), "%s: nothing queued, no FD_READ", what);
	WSAC_EXPECT_EQ(4, send(sv[1], "one!", 4, 0), "%s: the peer sends", what);
	WSAC_EXPECT_EQ(4, send(sv[1], "two!", 4, 0), "%s:   ... twice", what);
	WSAC_EXPECT_EQ(FD_READ, wait_enum(sv[0], ev, &ne, 2000), "%s: FD_READ", what);
	WSAC_EXPECT_EQ(-1, wait_enum(sv[0], ev, &ne, 150),
		       "%s: unread, nothing new: no FD_READ again, the wait does not spin", what);
	WSAC_EXPECT_EQ(type == SOCK_STREAM ? 2 : 4, recv(sv[0], buf, type == SOCK_STREAM ? 2 : 4, 0),
		       "%s: part of the data is read", what);
	WSAC_EXPECT_EQ(FD_READ, wait_enum(sv[0], ev, &ne, 2000),
		       "%s:   ... data left: FD_READ again, as after Winsock's recv()", what);
	WSAC_EXPECT_EQ(-1, wait_enum(sv[0], ev, &ne, 150), "%s:   ... once", what);
	WSAC_EXPECT_EQ(type == SOCK_STREAM ? 6 : 4, recv(sv[0], buf, sizeof(buf), 0),
		       "%s: the rest is read", what);
	WSAC_EXPECT_EQ(-1, wait_enum(sv[0], ev, &ne, 100), "%s: then no FD_READ", what);
	WSAC_EXPECT_EQ(1, send(sv[1], "x", 1, 0), "%s: new data", what);
	WSAC_EXPECT_EQ(FD_READ, wait_enum(sv[0], ev, &ne, 2000), "%s:   ... FD_READ", what);
	close(sv[0]);
	close(sv[1]);
	WSACloseEvent(ev);
}

/*
 * FD_WRITE after WSAEWOULDBLOCK on an AF_UNIX stream socket, although the
 * peer drained the queue back to where it was before any wait looked.
 */
static void test_unix_write_rule(void)
{
	WSAEVENT ev = WSACreateEvent();
	WSANETWORKEVENTS ne;
	static char chunk[4096];
	int sv[2], sent = 0, n;

	if (!wsac_tap(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "AF_UNIX: a pair for FD_WRITE"))
		return;
	WSAC_EXPECT_EQ(0, WSAEventSelect(sv[0], ev, FD_WRITE), "AF_UNIX: WSAEventSelect(FD_WRITE)");
	WSAC_EXPECT_EQ(FD_WRITE, wait_enum(sv[0], ev, &ne, 2000), "AF_UNIX: the first FD_WRITE");
	WSAC_EXPECT_EQ(-1, wait_enum(sv[0], ev, &ne, 100), "AF_UNIX:   ... once");
	while ((n = send(sv[0], chunk, sizeof(chunk), MSG_DONTWAIT)) > 0)
		sent += n;
	WSAC_EXPECT_EQ(true, n < 0 && errno == EAGAIN && sent > 0,
		       "AF_UNIX: sends until WSAEWOULDBLOCK (%d bytes)", sent);
	while (sent > 0 && (n = recv(sv[1], chunk, sizeof(chunk), 0)) > 0)
		sent -= n;
	WSAC_EXPECT_EQ(0, sent, "AF_UNIX: the peer reads it all before any wait");
	WSAC_EXPECT_EQ(FD_WRITE, wait_enum(sv[0], ev, &ne, 2000),
		       "AF_UNIX: FD_WRITE comes, as Winsock's after WSAEWOULDBLOCK");
	close(sv[0]);
	close(sv[1]);
	WSACloseEvent(ev);
}

/*
 * Several threads waiting on the same events while data arrives on many
 * sockets: every byte is read through FD_READ, none is lost to a missed
 * event (each thread reads one byte per FD_READ and leaves the rest, so
 * the re-enabling rule carries the load).
 */
#define STRESS_SOCKS	64
#define STRESS_EVENTS	4
#define STRESS_THREADS	3
#define STRESS_BYTES	2000

static struct {
	int sv[STRESS_SOCKS][2];
	WSAEVENT ev[STRESS_EVENTS];
	pthread_mutex_t lock;
	int got, stop;
} stress = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *stress_waiter(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stress.stop, __ATOMIC_RELAXED)) {
		DWORD w = WSAWaitForMultipleEvents(STRESS_EVENTS, stress.ev, FALSE, 100, FALSE);
		int i;

		if (w == WSA_WAIT_TIMEOUT)
			continue;
		if (w >= WSA_WAIT_EVENT_0 + STRESS_EVENTS)
			break;
		for (i = (int)(w - WSA_WAIT_EVENT_0); i < STRESS_SOCKS; i += STRESS_EVENTS) {
			WSANETWORKEVENTS ne;
			char c;

			if (WSAEnumNetworkEvents(stress.sv[i][0], i < STRESS_EVENTS ? stress.ev[i] : NULL,
						 &ne) || !(ne.lNetworkEvents & FD_READ))
				continue;
			if (recv(stress.sv[i][0], &c, 1, 0) == 1)
				__atomic_add_fetch(&stress.got, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void test_wait_stress(void)
{
	pthread_t th[STRESS_THREADS];
	struct timespec t0, t1;
	int i, ok = 1;
	long ms = 0;

	for (i = 0; i < STRESS_EVENTS; i++)
		stress.ev[i] = WSACreateEvent();
	for (i = 0; i < STRESS_SOCKS && ok; i++)
		ok = !socketpair(AF_UNIX, SOCK_STREAM, 0, stress.sv[i]) &&
		     !WSAEventSelect(stress.sv[i][0], stress.ev[i % STRESS_EVENTS], FD_READ);
	if (!wsac_tap(ok, "stress: %d pairs selected onto %d events", STRESS_SOCKS, STRESS_EVENTS))
		return;
	for (i = 0; i < STRESS_THREADS; i++)
		pthread_create(&th[i], NULL, stress_waiter, NULL);
	for (i = 0; i < STRESS_BYTES; i++) {
		(void)!write(stress.sv[(i * 7) % STRESS_SOCKS][1], "x", 1);
		if (!(i % 50))
			usleep(1000);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (__atomic_load_n(&stress.got, __ATOMIC_RELAXED) < STRESS_BYTES && ms < 20000) {
		usleep(10 * 1000);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	}
	__atomic_store_n(&stress.stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < STRESS_THREADS; i++)
		pthread_join(th[i], NULL);
	WSAC_EXPECT_EQ(STRESS_BYTES, stress.got,
		       "stress: %d waiting threads read every byte one FD_READ at a time (%ld ms)",
		       STRESS_THREADS, ms);
	for (i = 0; i < STRESS_SOCKS; i++) {
		close(stress.sv[i][0]);
		close(stress.sv[i][1]);
	}
	for (i = 0; i < STRESS_EVENTS; i++)
		WSACloseEvent(stress.ev[i]);
}

static int CALLBACK defer_cond(LPWSABUF caller, LPWSABUF caller_data, LPQOS sqos, LPQOS gqos,
			       LPWSABUF callee, LPWSABUF callee_data, GROUP *g, DWORD_PTR answer)
{
	(void)caller; (void)caller_data; (void)sqos; (void)gqos;
	(void)callee; (void)callee_data; (void)g;
	return (int)answer;
}

/*
 * FD_ACCEPT once per connection waiting, again after an accept that
 * leaves one; a connection WSAAccept deferred is still pending, for
 * WSAPoll and FD_ACCEPT (Winsock keeps it in the listen queue).
 */
static void test_accept_rule(int listener, const struct sockaddr_in *live)
{
	WSAPOLLFD pfd = { .fd = listener, .events = POLLRDNORM };
	WSAEVENT ev = WSACreateEvent();
	WSANETWORKEVENTS ne;
	unsigned long off = 0;
	int c1 = socket(AF_INET, SOCK_STREAM, 0), c2 = socket(AF_INET, SOCK_STREAM, 0), a;

	drain(listener);
	WSAC_EXPECT_EQ(0, WSAEventSelect(listener, ev, FD_ACCEPT), "listener selects FD_ACCEPT");
	connect(c1, (const struct sockaddr *)live, sizeof(*live));
	connect(c2, (const struct sockaddr *)live, sizeof(*live));
	usleep(50 * 1000);
	WSAC_EXPECT_EQ(FD_ACCEPT, wait_enum(listener, ev, &ne, 2000), "two connections: FD_ACCEPT");
	WSAC_EXPECT_EQ(-1, wait_enum(listener, ev, &ne, 150),
		       "  ... none accepted: no FD_ACCEPT again, the wait does not spin");
	a = accept(listener, NULL, NULL);
	WSAC_EXPECT_EQ(true, a >= 0, "one is accepted");
	close(a);
	WSAC_EXPECT_EQ(FD_ACCEPT, wait_enum(listener, ev, &ne, 2000),
		       "  ... one left: FD_ACCEPT again, as after Winsock's accept()");
	WSAC_EXPECT_EQ(INVALID_SOCKET, WSAAccept(listener, NULL, NULL, defer_cond, CF_DEFER),
		       "WSAAccept defers the other");
	WSAC_EXPECT_EQ(WSATRY_AGAIN, WSAGetLastError(), "  ... WSATRY_AGAIN");
	WSAC_EXPECT_EQ(1, WSAPoll(&pfd, 1, 0), "WSAPoll: the deferred connection is pending");
	WSAC_EXPECT_EQ(POLLRDNORM, pfd.revents, "  ... POLLRDNORM");
	WSAC_EXPECT_EQ(FD_ACCEPT, wait_enum(listener, ev, &ne, 2000),
		       "  ... and FD_ACCEPT is recorded for it");
	a = WSAAccept(listener, NULL, NULL, defer_cond, CF_ACCEPT);
	WSAC_EXPECT_EQ(true, a >= 0, "the next WSAAccept takes it");
	close(a);
	WSAC_EXPECT_EQ(0, WSAPoll(&pfd, 1, 0), "  ... then nothing pending for WSAPoll");
	WSAC_EXPECT_EQ(-1, wait_enum(listener, ev, &ne, 100), "  ... nor FD_ACCEPT");
	WSAEventSelect(listener, NULL, 0);
	ioctlsocket(listener, FIONBIO, &off);
	close(c1);
	close(c2);
	WSACloseEvent(ev);
}

static void test_byname(int listener, const struct sockaddr_in *live,
			const struct sockaddr_in *dead)
{
	struct sockaddr_storage local, remote;
	DWORD llen = sizeof(local), rlen = sizeof(remote), shortlen = 3;
	struct timeval tv = { .tv_sec = 5 };
	char port[8], deadport[8];
	int s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	WSAOVERLAPPED ov;
	struct {
		INT count;
		SOCKET_ADDRESS addr[2];
	} list;

	snprintf(port, sizeof(port), "%u", ntohs(live->sin_port));
	snprintf(deadport, sizeof(deadport), "%u", ntohs(dead->sin_port));
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByNameA(s, NULL, port, NULL, NULL, NULL, NULL,
						       NULL, NULL), "NULL node");
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByNameA(s, "127.0.0.1", NULL, NULL, NULL, NULL,
						       NULL, NULL, NULL), "NULL service");
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL,
						       NULL, NULL, &ov), "Reserved not NULL");
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByNameA(u, "127.0.0.1", port, NULL, NULL, NULL,
						       NULL, NULL, NULL), "a UDP socket");
	EXPECT_FALSE_WITH(WSAENOTSOCK, WSAConnectByNameA(-1, "127.0.0.1", port, NULL, NULL, NULL,
							 NULL, NULL, NULL), "INVALID_SOCKET");
	EXPECT_FALSE_WITH(WSATYPE_NOT_FOUND, WSAConnectByNameA(s, "127.0.0.1", "no-such-service-x",
							       NULL, NULL, NULL, NULL, NULL, NULL),
			  "an unknown service");
	EXPECT_FALSE_WITH(WSAEFAULT, WSAConnectByNameA(s, "127.0.0.1", port, &shortlen,
						       (struct sockaddr *)&local, &rlen,
						       (struct sockaddr *)&remote, NULL, NULL),
			  "a local length of 3");
	WSAC_EXPECT_EQ(3, shortlen, "  ... left unchanged");
	WSAC_EXPECT_EQ(false, ({ struct pollfd p = { listener, POLLIN, 0 }; poll(&p, 1, 0) == 1; }),
		       "  ... and nothing connected");
	EXPECT_FALSE_WITH(WSAECONNREFUSED, WSAConnectByNameA(s, "127.0.0.1", deadport, NULL, NULL,
							     NULL, NULL, &tv, NULL),
			  "a closed port: WSAECONNREFUSED");
	WSAC_EXPECT_EQ(0, fcntl(s, F_GETFL) & O_NONBLOCK, "  ... the socket is blocking again");
	WSAC_EXPECT_EQ(TRUE, WSAConnectByNameA(s, "127.0.0.1", port, &llen, (struct sockaddr *)&local,
					       &rlen, (struct sockaddr *)&remote, &tv, NULL),
		       "the same socket connects by name");
	WSAC_EXPECT_EQ(sizeof(struct sockaddr_in), llen, "  ... local length 16");
	WSAC_EXPECT_EQ(sizeof(struct sockaddr_in), rlen, "  ... remote length 16");
	WSAC_EXPECT_EQ(0, memcmp(&remote, live, sizeof(*live)), "  ... remote is the listener");
	WSAC_EXPECT_EQ(0, ((struct sockaddr_in *)&local)->sin_port, "  ... local port 0, as Windows");
	WSAC_EXPECT_EQ(0, fcntl(s, F_GETFL) & O_NONBLOCK, "  ... blocking as it was");
	drain(listener);
	closesocket(s);

	s = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByList(s, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
			  "ByList: NULL list");
	list.count = 0;
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByList(s, (SOCKET_ADDRESS_LIST *)&list, NULL, NULL,
						      NULL, NULL, NULL, NULL), "ByList: count 0");
	list.count = 2;
	list.addr[0].lpSockaddr = (struct sockaddr *)dead;
	list.addr[0].iSockaddrLength = sizeof(*dead);
	list.addr[1].lpSockaddr = (struct sockaddr *)live;
	list.addr[1].iSockaddrLength = sizeof(*live);
	rlen = sizeof(remote);
	wsac_fake.checks = 0;
	WSAC_EXPECT_EQ(TRUE, WSAConnectByList(s, (SOCKET_ADDRESS_LIST *)&list, NULL, NULL, &rlen,
					      (struct sockaddr *)&remote, &tv, NULL),
		       "ByList: refused, then the listener");
	WSAC_EXPECT_EQ(2, wsac_fake.checks, "  ... each attempt asked the module");
	WSAC_EXPECT_EQ(0, memcmp(&remote, live, sizeof(*live)), "  ... remote is the listener");
	drain(listener);
	closesocket(s);

	/* The Winsock rules apply to each attempt: 0.0.0.0 is refused. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	{
		struct sockaddr_in any = *live;

		any.sin_addr.s_addr = htonl(INADDR_ANY);
		list.count = 1;
		list.addr[0].lpSockaddr = (struct sockaddr *)&any;
		EXPECT_FALSE_WITH(WSAEADDRNOTAVAIL, WSAConnectByList(s, (SOCKET_ADDRESS_LIST *)&list,
								     NULL, NULL, NULL, NULL, &tv,
								     NULL), "ByList: 0.0.0.0");
	}
	closesocket(s);
	close(u);
}

void wsac_test_events(void)
{
	struct sockaddr_in live, dead;
	WSADATA wsa;
	int listener = listener_v4(&live), holder = closed_port(&dead);
	WSAPOLLFD pfd = { .fd = 0, .events = POLLRDNORM };

	wsac_fake_reset();
	EXPECT_FAILS_WITH(WSANOTINITIALISED, WSAPoll(&pfd, 1, 0), "WSAPoll before WSAStartup");
	if (!wsac_tap(listener >= 0 && holder >= 0 && !WSAStartup(MAKEWORD(2, 2), &wsa),
		      "loopback listener, closed port and WSAStartup for the event tests"))
		return;
	test_poll_args();
	test_poll_pair();
	test_poll_connect(listener, &live, &dead);
	test_event_objects();
	test_event_connect(listener, &live, &dead);
	test_read_rule("AF_UNIX stream", SOCK_STREAM, false);
	test_read_rule("AF_UNIX datagram", SOCK_DGRAM, false);
	test_read_rule("UDP", SOCK_DGRAM, true);
	test_unix_write_rule();
	test_wait_stress();
	test_accept_rule(listener, &live);
	test_byname(listener, &live, &dead);
	WSACleanup();
	close(listener);
	close(holder);
}
