// SPDX-License-Identifier: GPL-2.0
/*
 * WSAAccept(): accept(2) with a condition function.
 *
 * The function sees the peer's address (lpCallerId), the local address
 * (lpCalleeId), an empty lpCallerData (connect data in the SYN is not
 * carried) and a 64-byte lpCalleeData buffer whose contents go nowhere;
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
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define WSAC_DEFER_SLOTS	64
#define WSAC_CALLEE_DATA	64

/* Deferred connections: one per listener, keyed by its inode. */
struct wsac_deferred {
	bool used;
	int listener;
	dev_t dev;
	ino_t ino;
	int fd;
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
static int wsac_defer_take(SOCKET s, const struct stat *st)
{
	int fd = -1;
	size_t i;

	pthread_mutex_lock(&wsac_defer_lock);
	for (i = 0; i < WSAC_DEFER_SLOTS; i++) {
		struct wsac_deferred *d = &wsac_defer[i];

		if (d->used && d->listener == s) {
			if (d->dev == st->st_dev && d->ino == st->st_ino)
				fd = d->fd;
			else	/* the number was reused: the old one is gone */
				wsac_reset(d->fd);
			d->used = false;
			break;
		}
	}
	pthread_mutex_unlock(&wsac_defer_lock);
	return fd;
}

static bool wsac_defer_put(SOCKET s, const struct stat *st, int fd)
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
			ok = true;
		}
	}
	pthread_mutex_unlock(&wsac_defer_lock);
	return ok;
}

/* Does listener @fd hold a deferred connection (WSAPoll, FD_ACCEPT)? */
bool wsac_accept_has_deferred(int fd)
{
	struct stat st;
	bool found = false;
	size_t i;

	pthread_mutex_lock(&wsac_defer_lock);
	for (i = 0; i < WSAC_DEFER_SLOTS && !found; i++)
		found = wsac_defer[i].used && wsac_defer[i].listener == fd;
	pthread_mutex_unlock(&wsac_defer_lock);
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

/* closesocket() of a listener drops (resets) its deferred connection. */
void wsac_accept_forget(SOCKET s)
{
	struct stat st;
	int fd;

	if (fstat(s, &st) < 0)
		return;
	fd = wsac_defer_take(s, &st);
	if (fd >= 0)
		wsac_reset(fd);
}

static SOCKET wsac_accept_fail(int code, int err)
{
	wsac_fail(code, err);
	return INVALID_SOCKET;
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

	fd = wsac_defer_take(s, &st);
	if (fd >= 0) {
		if (getpeername(fd, (struct sockaddr *)&peer, &plen) < 0)
			plen = 0;
	} else {
		fd = accept(s, (struct sockaddr *)&peer, &plen);
		if (fd < 0)
			return wsac_accept_fail(wsac_errno_to_wsa(errno), errno);
	}
	if (getsockname(fd, (struct sockaddr *)&local, &llen) < 0)
		llen = 0;

	if (lpfnCondition) {
		caller_id.buf = (CHAR *)&peer;
		caller_id.len = plen;
		caller_data.buf = NULL;
		caller_data.len = 0;
		callee_id.buf = (CHAR *)&local;
		callee_id.len = llen;
		callee.buf = callee_data;
		callee.len = sizeof(callee_data);
		rc = lpfnCondition(&caller_id, &caller_data, NULL, NULL,
				   &callee_id, &callee, &g, dwCallbackData);
		if (rc == CF_DEFER) {
			if (!wsac_defer_put(s, &st, fd)) {
				wsac_reset(fd);
				return wsac_accept_fail(WSAENOBUFS, ENOBUFS);
			}
			return wsac_accept_fail(WSATRY_AGAIN, 0);
		}
		if (rc == CF_REJECT) {
			wsac_reset(fd);
			return wsac_accept_fail(WSAECONNREFUSED, ECONNREFUSED);
		}
		if (rc != CF_ACCEPT) {
			wsac_reset(fd);
			return wsac_accept_fail(WSAEINVAL, EINVAL);
		}
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
