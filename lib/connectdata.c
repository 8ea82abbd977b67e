// SPDX-License-Identifier: GPL-2.0
/*
 * Connect data over TCP Fast Open (Documentation/connect-data.rst).
 *
 * WSAConnect's lpCallerData rides in the SYN: the library sets
 * TCP_FASTOPEN_CONNECT and TCP_FASTOPEN_NO_COOKIE on the caller's socket,
 * connect(2)s it (Linux defers the SYN to the first write) and send(2)s the
 * data, all with the caller's own syscalls, so every LSM and cgroup hook
 * sees the connect and the send.  Never MSG_FASTOPEN: that connects from
 * inside sendmsg, past the LSM connect hooks.
 *
 * The send is nonblocking (MSG_DONTWAIT), so it returns as soon as the SYN
 * with its data is queued; waiting for the handshake is a separate
 * connect(2), which a signal may interrupt and the library repeats without
 * sending anything again.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "internal.h"

/* At most this much callee data is moved; more stays in the stream. */
#define WSAC_CALLEE_READ_MAX	65536

struct wsac_tfo_saved {
	int fastopen_connect;
	int no_cookie;
};

static int wsac_tcp_get(SOCKET s, int opt)
{
	socklen_t len = sizeof(int);
	int val = 0;

	if (getsockopt(s, IPPROTO_TCP, opt, &val, &len) < 0)
		return 0;
	return val;
}

static int wsac_tcp_set(SOCKET s, int opt, int val)
{
	return setsockopt(s, IPPROTO_TCP, opt, &val, sizeof(val));
}

/* Put the options back; possible only while the socket is closed. */
static void wsac_tfo_restore(SOCKET s, const struct wsac_tfo_saved *o)
{
	int saved_errno = errno;

	(void)wsac_tcp_set(s, TCP_FASTOPEN_CONNECT, o->fastopen_connect);
	(void)wsac_tcp_set(s, TCP_FASTOPEN_NO_COOKIE, o->no_cookie);
	errno = saved_errno;
}

/**
 * wsac_tfo_reset() - give a TCP socket its caller's TFO options back
 * @s: a stream socket about to start a new connection attempt
 * @fastopen_connect: the caller's TCP_FASTOPEN_CONNECT
 * @no_cookie: the caller's TCP_FASTOPEN_NO_COOKIE
 *
 * A nonblocking attempt with caller data returns with the library's
 * options still set.  Should that attempt fail, the next must not inherit
 * them: TCP_FASTOPEN_CONNECT would defer a plain connect's SYN to a write
 * that may never come.  wsac_sock_attempt() says whether they were left.
 */
void wsac_tfo_reset(SOCKET s, int fastopen_connect, int no_cookie)
{
	struct wsac_tfo_saved o = { fastopen_connect, no_cookie };

	wsac_tfo_restore(s, &o);
}

static bool wsac_fd_nonblocking(SOCKET s)
{
	int saved_errno = errno, fl = fcntl(s, F_GETFL);

	errno = saved_errno;
	return fl >= 0 && (fl & O_NONBLOCK);
}

static long long wsac_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/**
 * wsac_callee_timeout_ms() - how long WSAConnect waits for callee data
 * @s: the socket
 *
 * SO_RCVTIMEO when set; else %WSAC_ENV_CALLEE_TIMEOUT (milliseconds, 0 =
 * do not wait) when set and valid; else %WSAC_CALLEE_TIMEOUT_MS.
 *
 * Return: the bound in milliseconds.
 */
int wsac_callee_timeout_ms(SOCKET s)
{
	struct timeval tv;
	socklen_t len = sizeof(tv);
	const char *env;
	char *end;
	long v;

	if (!getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) &&
	    (tv.tv_sec || tv.tv_usec)) {
		if (tv.tv_sec > 86400)
			return 86400 * 1000;
		return (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
	}
	env = getenv(WSAC_ENV_CALLEE_TIMEOUT);
	if (env && *env) {
		errno = 0;
		v = strtol(env, &end, 10);
		if (!errno && !*end && v >= 0 && v <= 86400L * 1000)
			return (int)v;
	}
	return WSAC_CALLEE_TIMEOUT_MS;
}

/*
 * Wait (bounded) for readable data, a FIN or an error on a connected
 * socket.  Return: 1 readable or ended, 0 timed out.
 */
static int wsac_wait_readable(SOCKET s, int timeout_ms)
{
	long long deadline = wsac_now_ms() + timeout_ms, left;
	struct pollfd pfd = { .fd = s, .events = POLLIN | POLLRDHUP };
	int rc;

	for (;;) {
		left = deadline - wsac_now_ms();
		if (left < 0)
			left = 0;
		rc = poll(&pfd, 1, (int)left);
		if (rc > 0)
			return 1;
		if (rc == 0 || errno != EINTR)
			return 0;
	}
}

/**
 * wsac_read_callee() - move the peer's first bytes into lpCalleeData
 * @s: the connected socket
 * @user: the caller's WSABUF (its len is written)
 * @callee: a checked copy of *@user
 * @err: set to the errno of a failure
 *
 * Return: 0 (len set, possibly 0 on expiry or a FIN), or the WSA code.
 */
int wsac_read_callee(SOCKET s, LPWSABUF user, const WSABUF *callee, int *err)
{
	size_t room = callee->len < WSAC_CALLEE_READ_MAX ? callee->len : WSAC_CALLEE_READ_MAX;
	ULONG got = 0;
	char *buf;
	ssize_t n;

	buf = malloc(room);
	if (!buf) {
		*err = ENOMEM;
		return WSAENOBUFS;
	}
	for (;;) {
		if (!wsac_wait_readable(s, wsac_callee_timeout_ms(s)))
			break;
		n = recv(s, buf, room, MSG_DONTWAIT);
		if (n > 0) {
			got = (ULONG)n;
			break;
		}
		if (n == 0)
			break;	/* a FIN first: no callee data */
		if (errno == EAGAIN || errno == EINTR)
			continue;
		*err = errno;
		free(buf);
		/* A reset before any callee data: the peer refused us. */
		if (*err == ECONNRESET || *err == EPIPE)
			return WSAECONNREFUSED;
		return wsac_errno_to_wsa(*err);
	}
	if ((got && wsac_copy_to_caller(callee->buf, buf, got)) ||
	    wsac_copy_to_caller(&user->len, &got, sizeof(got))) {
		free(buf);
		*err = EFAULT;
		return WSAEFAULT;
	}
	free(buf);
	return 0;
}

/* Blocking send of what the SYN did not carry, after the handshake. */
static int wsac_send_rest(SOCKET s, const char *data, size_t n, size_t sent)
{
	struct pollfd pfd = { .fd = s, .events = POLLOUT };
	ssize_t k;

	while (sent < n) {
		k = send(s, data + sent, n - sent, MSG_NOSIGNAL);
		if (k > 0) {
			sent += (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN) {
			/* A nonblocking socket: wait for room. */
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		return -1;
	}
	return 0;
}

/* Nonblocking socket, SYN without all the data: wait for the handshake. */
static int wsac_wait_connected(SOCKET s)
{
	struct pollfd pfd = { .fd = s, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int soerr = 0;

	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return -1;
	if (soerr) {
		errno = soerr;
		return -1;
	}
	return 0;
}

/**
 * wsac_connect_data() - connect a TCP socket with caller data in its SYN
 * @s: the socket, checked by the module (verdict 0, unconnected)
 * @req: the module's answer, with the name in @req->addr
 * @len: the name's length
 * @data: the caller data, already copied
 * @n: its length, 1 to %WSAC_CONNECT_DATA_MAX
 * @user: the caller's lpCalleeData, or NULL
 * @callee: a checked copy of *@user
 * @err: set to the errno of a failure reported as a WSA code
 *
 * Return: 0 connected (lpCalleeData filled); -1 with errno set as
 * connect(2) would have it (EINPROGRESS: a nonblocking socket's SYN is on
 * its way with the data); or a WSA code with *@err set.
 */
int wsac_connect_data(SOCKET s, const struct wsac_connect_check *req, socklen_t len,
		      const char *data, size_t n, LPWSABUF user, const WSABUF *callee,
		      int *err)
{
	bool nonblocking = wsac_fd_nonblocking(s);
	struct wsac_tfo_saved saved;
	size_t sent = 0;
	ssize_t k;
	int e;

	saved.fastopen_connect = wsac_tcp_get(s, TCP_FASTOPEN_CONNECT);
	saved.no_cookie = wsac_tcp_get(s, TCP_FASTOPEN_NO_COOKIE);
	if (wsac_tcp_set(s, TCP_FASTOPEN_CONNECT, 1)) {
		*err = errno;
		/* net.ipv4.tcp_fastopen has no client bit (0x1). */
		return *err == EOPNOTSUPP ? WSAEPROTONOSUPPORT : wsac_errno_to_wsa(*err);
	}
	if (wsac_tcp_set(s, TCP_FASTOPEN_NO_COOKIE, 1)) {
		*err = errno;
		wsac_tfo_restore(s, &saved);
		return wsac_errno_to_wsa(*err);
	}

	if (connect(s, (const struct sockaddr *)req->addr, len) < 0) {
		if (errno != EINPROGRESS && errno != EINTR) {
			wsac_tfo_restore(s, &saved);
			return -1;
		}
		/*
		 * Not deferred: the kernel refused cookie-less TFO on this
		 * route (its blackhole detection) and sent a plain SYN.  The
		 * data follows the handshake.
		 */
	} else {
		/* The SYN leaves now, with as much of the data as it carries. */
		k = send(s, data, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (k > 0) {
			sent = (size_t)k;
		} else if (k < 0 && errno != EINPROGRESS) {
			e = errno;
			wsac_tfo_restore(s, &saved);
			errno = e;
			return -1;
		}
	}

	if (nonblocking) {
		if (sent == n) {
			wsac_sock_tfo_keep(s, saved.fastopen_connect, saved.no_cookie);
			errno = EINPROGRESS;
			return -1;
		}
		/* Rare: the SYN carried less; the rest needs the handshake. */
		if (wsac_wait_connected(s) < 0) {
			e = errno;
			wsac_tfo_restore(s, &saved);
			errno = e;
			return -1;
		}
	} else if (wsac_connect_to_the_end(s, req, len) < 0) {
		e = errno;
		wsac_tfo_restore(s, &saved);
		/*
		 * The peer took the SYN and reset before this thread saw the
		 * handshake complete (a WSAAccept CF_REJECT): refused, as a
		 * reset before callee data is.
		 */
		errno = e == ECONNRESET ? ECONNREFUSED : e;
		return -1;
	}

	if (wsac_send_rest(s, data, n, sent) < 0) {
		*err = errno;
		return *err == ECONNRESET || *err == EPIPE ? WSAECONNREFUSED :
		       wsac_errno_to_wsa(*err);
	}
	if (user && callee->len && !nonblocking)
		return wsac_read_callee(s, user, callee, err);
	if (user) {
		ULONG zero = 0;

		/* Checked writable before; no callee data is waited for. */
		(void)wsac_copy_to_caller(&user->len, &zero, sizeof(zero));
	}
	return 0;
}
