// SPDX-License-Identifier: GPL-2.0
/*
 * WSAPoll(): poll(2) with Winsock's argument rules and revents.
 *
 * Windows' POLLIN is POLLRDNORM | POLLRDBAND and its POLLOUT is
 * POLLWRNORM; here the POLL* names keep Linux's values, so each readiness
 * is reported with every bit of its class the caller asked for: readable
 * data sets the requested ones of POLLIN and POLLRDNORM, out-of-band data
 * POLLRDBAND (and POLLIN), writability POLLOUT and POLLWRNORM.  POLLERR,
 * POLLHUP and POLLNVAL are reported unasked, as on both systems.
 *
 * A failed connect attempt is reported as Windows does, exactly
 * POLLHUP | POLLERR plus the requested write bits and never readable,
 * from the deferred error of sockstate.c, until the next attempt.  A
 * listener holding a connection WSAAccept deferred is readable: Winsock
 * keeps that connection pending in the listen queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "internal.h"

#define WSAC_POLL_READ		(POLLIN | POLLRDNORM)
#define WSAC_POLL_WRITE		(POLLOUT | POLLWRNORM)
/* Windows refuses these in events (POLLPRI is "not supported"). */
#define WSAC_POLL_REFUSED	(POLLPRI | POLLWRBAND)

static long long wsac_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool wsac_is_socket(int fd)
{
	struct stat st;
	int saved_errno = errno;
	bool sock = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);

	errno = saved_errno;
	return sock;
}

/* Winsock's revents for one entry, from Linux's @rev on its socket. */
static short wsac_revents(const WSAPOLLFD *in, short rev, int conn_error)
{
	short ev = in->events, out = 0;

	if (conn_error)
		return (short)((ev & WSAC_POLL_WRITE) | POLLHUP | POLLERR);
	if (rev & POLLNVAL)
		return POLLNVAL;
	if (rev & POLLIN)
		out |= ev & WSAC_POLL_READ;
	if (rev & POLLPRI)
		out |= ev & (POLLRDBAND | POLLIN);
	if (rev & POLLOUT)
		out |= ev & WSAC_POLL_WRITE;
	return (short)(out | (rev & (POLLERR | POLLHUP)));
}

/* Is @in a listener asked for reading that holds a deferred connection? */
static bool wsac_deferred_ready(const WSAPOLLFD *in)
{
	return (in->events & WSAC_POLL_READ) && wsac_accept_has_deferred(in->fd);
}

static int wsac_poll(WSAPOLLFD *fds, ULONG n, INT timeout)
{
	long long deadline = timeout > 0 ? wsac_now_ms() + timeout : 0;
	struct pollfd *lx;
	int *failed, rc, ready = 0, wait_ms = timeout < 0 ? -1 : timeout;
	ULONG i;

	lx = calloc(n, sizeof(*lx));
	failed = calloc(n, sizeof(*failed));
	if (!lx || !failed) {
		free(lx);
		free(failed);
		return wsac_fail(WSAENOBUFS, ENOMEM);
	}
	for (i = 0; i < n; i++) {
		lx[i].fd = fds[i].fd;
		lx[i].events = (short)(((fds[i].events & WSAC_POLL_READ) ? POLLIN : 0) |
				       ((fds[i].events & (POLLRDBAND | POLLIN)) ? POLLPRI : 0) |
				       ((fds[i].events & WSAC_POLL_WRITE) ? POLLOUT : 0));
		if (fds[i].fd < 0)
			continue;
		if (!wsac_is_socket(fds[i].fd)) {
			lx[i].fd = -1;
			failed[i] = -1;	/* POLLNVAL */
		} else {
			failed[i] = wsac_sock_conn_error(fds[i].fd, 0);
		}
		if (failed[i]) {
			lx[i].fd = -1;
			ready = 1;
		} else if (wsac_deferred_ready(&fds[i])) {
			ready = 1;
		}
	}
	for (;;) {
		rc = poll(lx, n, ready ? 0 : wait_ms);
		if (rc >= 0 || errno != EINTR)
			break;
		if (timeout > 0) {
			long long left = deadline - wsac_now_ms();

			wait_ms = left > 0 ? (int)left : 0;
		}
	}
	if (rc < 0) {
		rc = wsac_fail_errno(errno);
		goto out;
	}
	rc = 0;
	for (i = 0; i < n; i++) {
		short rev = lx[i].revents;

		if (fds[i].fd < 0) {
			fds[i].revents = 0;
			continue;
		}
		if (failed[i] < 0) {
			fds[i].revents = POLLNVAL;
		} else {
			/* A pending attempt that just ended reads SO_ERROR once. */
			if (!failed[i] && (rev & (POLLERR | POLLHUP)))
				failed[i] = wsac_sock_conn_error(fds[i].fd, rev);
			if (!failed[i] && wsac_deferred_ready(&fds[i]))
				rev |= POLLIN;
			fds[i].revents = wsac_revents(&fds[i], rev, failed[i]);
		}
		if (fds[i].revents)
			rc++;
	}
out:
	free(lx);
	free(failed);
	return rc;
}

static int wsac_wsapoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
	WSAPOLLFD *copy;
	ULONG i;
	int rc;

	if (!wsac_started())
		return wsac_fail(WSANOTINITIALISED, 0);
	if (!fdArray)
		return wsac_fail(WSAEFAULT, EFAULT);
	if (!fds)
		return wsac_fail(WSAEINVAL, EINVAL);
	/* Linux's own limit; more entries cannot all be distinct sockets. */
	if (fds > (ULONG)INT32_MAX / sizeof(*copy))
		return wsac_fail(WSAENOBUFS, ENOMEM);
	copy = malloc(fds * sizeof(*copy));
	if (!copy)
		return wsac_fail(WSAENOBUFS, ENOMEM);
	if (wsac_copy_from_caller(copy, fdArray, fds * sizeof(*copy))) {
		free(copy);
		return wsac_fail(WSAEFAULT, EFAULT);
	}
	for (i = 0; i < fds; i++)
		if (copy[i].events & WSAC_POLL_REFUSED) {
			free(copy);
			return wsac_fail(WSAEINVAL, EINVAL);
		}
	rc = wsac_poll(copy, fds, timeout);
	if (rc != SOCKET_ERROR &&
	    wsac_copy_to_caller(fdArray, copy, fds * sizeof(*copy)))
		rc = wsac_fail(WSAEFAULT, EFAULT);
	free(copy);
	return rc;
}

/* Busy for a handler's WSAConnect: it allocates and takes the state lock. */
WSAC_EXPORT int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
	int rc;

	wsac_busy_enter();
	rc = wsac_wsapoll(fdArray, fds, timeout);
	wsac_busy_leave();
	return rc;
}
