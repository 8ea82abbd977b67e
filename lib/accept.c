// SPDX-License-Identifier: GPL-2.0
/*
 * WSAAccept(): accept(2) with a condition function.
 *
 * The function sees the peer's address (lpCallerId), the local address
 * (lpCalleeId), the bytes the client's SYN carried (lpCallerData, taken
 * out of the stream; Documentation/connect-data.rst) and an lpCalleeData
 * buffer of WSAC_CALLEE_DATA bytes it may fill, sent as the first bytes;
 * lpSQOS and lpGQOS are NULL.  Its answer:
 *
 *  - CF_ACCEPT: the connection is returned;
 *  - CF_REJECT: the connection is reset (SO_LINGER 0) and WSAAccept fails
 *    with WSAECONNREFUSED;
 *  - CF_DEFER: the connection is kept in the listener's slot and
 *    WSAAccept fails with WSATRY_AGAIN; the next WSAAccept (not accept) on
 *    that listener is offered the same connection first;
 *  - anything else: the connection is reset, WSAEINVAL.
 *
 * Linux completes the handshake before accept(2) sees a connection, so a
 * rejected peer sees a reset after connecting rather than a refused SYN.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define WSAC_DEFER_SLOTS	64
/* The lpCalleeData buffer a condition function may fill (one SYN's worth). */
#define WSAC_CALLEE_DATA	WSAC_CONNECT_DATA_MAX
/* A listener's TCP Fast Open queue: SYNs with data awaiting their ACK. */
#define WSAC_TFO_QLEN		64
/* Set to 1: the listener requires TFO cookies (no data in a first SYN). */
#define WSAC_ENV_TFO_COOKIE	"WSACONNECT_TFO_REQUIRE_COOKIE"

/* Deferred connections: one per listener, keyed by its inode. */
struct wsac_deferred {
	bool used;
	int listener;
	dev_t dev;
	ino_t ino;
	int fd;
	char *data;	/* the caller data the condition saw */
	size_t len;
};

static pthread_mutex_t wsac_defer_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wsac_deferred wsac_defer[WSAC_DEFER_SLOTS];

static void wsac_reset(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/* The deferred connection of listener @s, taken out of its slot, or -1. */
static int wsac_defer_take_data(SOCKET s, const struct stat *st, char **data,
				size_t *len)
{
	int fd = -1;
	size_t i;

	pthread_mutex_lock(&wsac_defer_lock);
	for (i = 0; i < WSAC_DEFER_SLOTS; i++) {
		struct wsac_deferred *d = &wsac_defer[i];

		if (d->used && d->listener == s) {
			if (d->dev == st->st_dev && d->ino == st->st_ino) {
				fd = d->fd;
				*data = d->data;
				*len = d->len;
			} else {	/* the number was reused: the old one is gone */
				wsac_reset(d->fd);
				free(d->data);
			}
			d->data = NULL;
			d->used = false;
			break;
		}
	}
	pthread_mutex_unlock(&wsac_defer_lock);
	return fd;
}

static int wsac_defer_take(SOCKET s, const struct stat *st)
{
	char *data = NULL;
	size_t len = 0;
	int fd = wsac_defer_take_data(s, st, &data, &len);

	free(data);
	return fd;
}

static bool wsac_defer_put(SOCKET s, const struct stat *st, int fd, char *data,
			   size_t len)
{
	bool ok = false;
	size_t i;

	pthread_mutex_lock(&wsac_defer_lock);
	for (i = 0; i < WSAC_DEFER_SLOTS && !ok; i++) {
		struct wsac_deferred *d = &wsac_defer[i];

		if (!d->used) {
			d->used = true;
			d->listener = s;
			d->dev = st->st_dev;
			d->ino = st->st_ino;
			d->fd = fd;
			d->data = data;
			d->len = len;
			ok = true;
		}
	}
	pthread_mutex_unlock(&wsac_defer_lock);
	return ok;
}

/* Is a deferred connection kept for a listener numbered @fd, whichever? */
static bool wsac_defer_listed(int fd)
{
	bool found = false;
	size_t i;

	pthread_mutex_lock(&wsac_defer_lock);
	for (i = 0; i < WSAC_DEFER_SLOTS && !found; i++)
		found = wsac_defer[i].used && wsac_defer[i].listener == fd;
	pthread_mutex_unlock(&wsac_defer_lock);
	return found;
}

/* Does listener @fd hold a deferred connection (WSAPoll, FD_ACCEPT)? */
bool wsac_accept_has_deferred(int fd)
{
	struct stat st;
	bool found = wsac_defer_listed(fd);
	size_t i;

	if (found) {
		int saved_errno = errno;

		found = fstat(fd, &st) == 0;
		errno = saved_errno;
		if (found) {
			pthread_mutex_lock(&wsac_defer_lock);
			found = false;
			for (i = 0; i < WSAC_DEFER_SLOTS && !found; i++)
				found = wsac_defer[i].used && wsac_defer[i].listener == fd &&
					wsac_defer[i].dev == st.st_dev &&
					wsac_defer[i].ino == st.st_ino;
			pthread_mutex_unlock(&wsac_defer_lock);
		}
	}
	return found;
}

/*
 * closesocket() of a listener drops (resets) its deferred connection.
 * The fstat(2) that tells the listener from a reused number is paid only
 * when a connection is kept for that number: not by every closesocket().
 */
void wsac_accept_forget(SOCKET s)
{
	struct stat st;
	int fd;

	if (!wsac_defer_listed(s) || fstat(s, &st) < 0)
		return;
	fd = wsac_defer_take(s, &st);
	if (fd >= 0)
		wsac_reset(fd);
}

static bool wsac_is_tcp(SOCKET s, int family)
{
	socklen_t len = sizeof(int);
	int proto = 0;

	return (family == AF_INET || family == AF_INET6) &&
	       !getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &proto, &len) &&
	       proto == IPPROTO_TCP;
}

/*
 * What a listener needs to take caller data from SYNs, set with the
 * caller's own setsockopt(2): a TFO queue (if it has none), cookie-less
 * acceptance (unless the operator requires cookies) and saved SYNs.  Best
 * effort: a listener that refuses them still accepts, its conditions see
 * the caller data when the SYN's headers were saved.
 */
static void wsac_listener_tfo(SOCKET s)
{
	int qlen = 0, on = 1, saved_errno = errno;
	socklen_t len = sizeof(qlen);
	const char *cookie = getenv(WSAC_ENV_TFO_COOKIE);

	if (getsockopt(s, IPPROTO_TCP, TCP_FASTOPEN, &qlen, &len) || !qlen) {
		qlen = WSAC_TFO_QLEN;
		(void)setsockopt(s, IPPROTO_TCP, TCP_FASTOPEN, &qlen, sizeof(qlen));
	}
	if (!cookie || strcmp(cookie, "1"))
		(void)setsockopt(s, IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE, &on, sizeof(on));
	(void)setsockopt(s, IPPROTO_TCP, TCP_SAVE_SYN, &on, sizeof(on));
	errno = saved_errno;
}

/*
 * The length of the data the SYN of accepted @fd carried: its IP length
 * less its IP and TCP headers, from TCP_SAVED_SYN (network and TCP
 * headers).  0 when no SYN was saved.
 */
static size_t wsac_syn_payload(int fd)
{
	unsigned char syn[512];
	socklen_t len = sizeof(syn);
	size_t total;

	if (getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, syn, &len) < 0 || len < 20)
		return 0;
	switch (syn[0] >> 4) {
	case 4:
		total = (size_t)syn[2] << 8 | syn[3];
		break;
	case 6:
		if (len < 40)
			return 0;
		total = 40 + ((size_t)syn[4] << 8 | syn[5]);
		break;
	default:
		return 0;
	}
	return total > len ? total - len : 0;
}

/*
 * Take the SYN's bytes out of the stream of @fd: exactly @n, waiting
 * (bounded) for those the client retransmits when this host did not take
 * them from the SYN.  Return: a buffer of *@got bytes (maybe fewer than
 * @n if the wait expired), or NULL.
 */
static char *wsac_take_syn_data(int fd, size_t n, size_t *got)
{
	char *buf = malloc(n);
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLRDHUP };
	int timeout = wsac_callee_timeout_ms(fd);
	ssize_t k;

	*got = 0;
	if (!buf)
		return NULL;
	while (*got < n) {
		k = recv(fd, buf + *got, n - *got, MSG_DONTWAIT);
		if (k > 0) {
			*got += (size_t)k;
			continue;
		}
		if (k == 0 || (errno != EAGAIN && errno != EINTR))
			break;
		if (poll(&pfd, 1, timeout) == 0)
			break;
	}
	return buf;
}

static int wsac_send_all(int fd, const char *buf, size_t n)
{
	ssize_t k;

	while (n) {
		k = send(fd, buf, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

static SOCKET wsac_accept_fail(int code, int err)
{
	wsac_fail(code, err);
	return INVALID_SOCKET;
}

/*
 * How many bytes of callee data the condition function gave: the count it
 * set in lpCalleeData->len.  Most Winsock programs never touch
 * lpCalleeData, as no Windows TCP/IP provider carries callee data, and
 * leave len at the size offered: that reads as "none" unless the buffer
 * (zeroed before the call) was written to, so those programs' clients
 * never receive a buffer nobody filled.
 */
static ULONG wsac_callee_given(const WSABUF *callee, const char *buf, size_t offered)
{
	size_t i;

	if (callee->len < offered)
		return callee->len;
	for (i = 0; i < offered; i++)
		if (buf[i])
			return (ULONG)offered;
	return 0;
}

WSAC_EXPORT SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
				    LPCONDITIONPROC lpfnCondition,
				    DWORD_PTR dwCallbackData)
{
	struct sockaddr_storage peer, local;
	socklen_t plen = sizeof(peer), llen = sizeof(local), olen;
	char callee_data[WSAC_CALLEE_DATA];
	WSABUF caller_id, caller_data, callee_id, callee;
	int listening = 0, family = 0, fd, rc, inlen = 0;
	char *data = NULL;
	size_t dlen = 0, syn;
	bool tcp;
	struct stat st;
	GROUP g = 0;

	if (!wsac_started())
		return wsac_accept_fail(WSANOTINITIALISED, 0);
	/* As wsac_socket_fd_check(), keeping @st for the deferred slot. */
	rc = fstat(s, &st) < 0 ? (errno == ENOMEM ? WSAENOBUFS : WSAENOTSOCK) :
	     S_ISSOCK(st.st_mode) ? 0 : WSAENOTSOCK;
	if (rc)
		return wsac_accept_fail(rc, wsac_code_errno(rc));
	olen = sizeof(listening);
	if (getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &listening, &olen) < 0 || !listening)
		return wsac_accept_fail(WSAEINVAL, EINVAL);
	olen = sizeof(family);
	if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &olen) < 0)
		return wsac_accept_fail(wsac_errno_to_wsa(errno), errno);
	if (addr || addrlen) {
		int need = family == AF_INET6 ? (int)sizeof(struct sockaddr_in6) :
			   family == AF_INET ? (int)sizeof(struct sockaddr_in) :
			   (int)sizeof(sa_family_t);

		if (!addr || !addrlen ||
		    wsac_copy_from_caller(&inlen, addrlen, sizeof(inlen)) || inlen < need)
			return wsac_accept_fail(WSAEFAULT, EFAULT);
	}

	tcp = wsac_is_tcp(s, family);
	if (tcp && lpfnCondition)
		wsac_listener_tfo(s);

	fd = wsac_defer_take_data(s, &st, &data, &dlen);
	if (fd >= 0) {
		if (getpeername(fd, (struct sockaddr *)&peer, &plen) < 0)
			plen = 0;
	} else {
		fd = accept(s, (struct sockaddr *)&peer, &plen);
		if (fd < 0)
			return wsac_accept_fail(wsac_errno_to_wsa(errno), errno);
		/* The SYN's data: beside the stream, never returned by recv(). */
		syn = tcp && lpfnCondition ? wsac_syn_payload(fd) : 0;
		if (syn)
			data = wsac_take_syn_data(fd, syn, &dlen);
	}
	if (getsockname(fd, (struct sockaddr *)&local, &llen) < 0)
		llen = 0;

	if (lpfnCondition) {
		caller_id.buf = (CHAR *)&peer;
		caller_id.len = plen;
		caller_data.buf = data;
		caller_data.len = data ? (ULONG)dlen : 0;
		callee_id.buf = (CHAR *)&local;
		callee_id.len = llen;
		memset(callee_data, 0, sizeof(callee_data));
		callee.buf = callee_data;
		callee.len = sizeof(callee_data);
		rc = lpfnCondition(&caller_id, &caller_data, NULL, NULL,
				   &callee_id, &callee, &g, dwCallbackData);
		if (rc == CF_DEFER) {
			if (!wsac_defer_put(s, &st, fd, data, dlen)) {
				free(data);
				wsac_reset(fd);
				return wsac_accept_fail(WSAENOBUFS, ENOBUFS);
			}
			return wsac_accept_fail(WSATRY_AGAIN, 0);
		}
		free(data);
		if (rc == CF_REJECT) {
			wsac_reset(fd);
			return wsac_accept_fail(WSAECONNREFUSED, ECONNREFUSED);
		}
		if (rc != CF_ACCEPT) {
			wsac_reset(fd);
			return wsac_accept_fail(WSAEINVAL, EINVAL);
		}
		/* Callee data: the first bytes the client reads. */
		callee.len = wsac_callee_given(&callee, callee_data, sizeof(callee_data));
		if (callee.len && wsac_send_all(fd, callee_data, callee.len)) {
			rc = errno;
			close(fd);
			return wsac_accept_fail(wsac_errno_to_wsa(rc), rc);
		}
	} else {
		free(data);
	}
	if (addr) {
		int out = (int)plen;

		if (wsac_copy_to_caller(addr, &peer, (size_t)(out < inlen ? out : inlen)) ||
		    wsac_copy_to_caller(addrlen, &out, sizeof(out))) {
			close(fd);
			return wsac_accept_fail(WSAEFAULT, EFAULT);
		}
	}
	return fd;
}
