// SPDX-License-Identifier: GPL-2.0
/*
 * Winsock event objects and WSAEventSelect.
 *
 * A WSAEVENT is a manual-reset event backed by an eventfd: signalled while
 * its counter is non-zero, so waiting never consumes it, WSASetEvent adds
 * one and WSAResetEvent drains it.  Live events are kept in a registry
 * (under the lock of sockstate.c), so a stale or forged handle is an error
 * rather than a crash.
 *
 * Network events are evaluated, not pushed: there is no helper thread.
 * WSAWaitForMultipleEvents polls the event descriptors together with every
 * socket selected onto one of them; each socket's readiness is translated
 * into the network events Winsock would have recorded
 * (wsac_sock_eval_locked()), which signal the event.  WSAEventSelect and
 * WSAEnumNetworkEvents evaluate the socket as well.  A socket's events are
 * therefore recorded only while some thread is inside one of these calls.
 * A library call that changes the state wakes the waiting threads
 * (wsac_wake_waiters_locked()); the waits also rescan every
 * WSAC_IDLE_RESCAN_MS for what only a full evaluation shows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define WSAC_EVENT_MAGIC	0x57534145U	/* "WSAE" */
#define WSAC_RESCAN_MS		100
/* With a wake-up descriptor: for what only a full evaluation shows. */
#define WSAC_IDLE_RESCAN_MS	1000

struct wsac_event {
	unsigned int magic;
	int fd;
	struct wsac_event *next;
};

static struct wsac_event *wsac_events;

struct wsac_event *wsac_event_lookup_locked(WSAEVENT handle)
{
	struct wsac_event *ev;

	for (ev = wsac_events; ev; ev = ev->next)
		if (ev == handle && ev->magic == WSAC_EVENT_MAGIC)
			return ev;
	return NULL;
}

void wsac_event_set_locked(struct wsac_event *ev)
{
	uint64_t one = 1;
	int saved_errno = errno;

	/* Only EAGAIN at a counter of 2^64 - 2: signalled anyway. */
	(void)!write(ev->fd, &one, sizeof(one));
	errno = saved_errno;
}

void wsac_event_reset_locked(struct wsac_event *ev)
{
	uint64_t v;
	int saved_errno = errno;

	(void)!read(ev->fd, &v, sizeof(v));	/* EAGAIN: not signalled */
	errno = saved_errno;
}

int wsac_event_fd(const struct wsac_event *ev)
{
	return ev->fd;
}

static WSAEVENT wsac_create_event(void)
{
	struct wsac_event *ev = calloc(1, sizeof(*ev));

	if (!ev) {
		wsac_fail(WSA_NOT_ENOUGH_MEMORY, ENOMEM);
		return WSA_INVALID_EVENT;
	}
	ev->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ev->fd < 0) {
		int err = errno;

		free(ev);
		wsac_fail(err == ENOMEM ? WSA_NOT_ENOUGH_MEMORY : wsac_errno_to_wsa(err), err);
		return WSA_INVALID_EVENT;
	}
	ev->magic = WSAC_EVENT_MAGIC;
	wsac_state_lock();
	ev->next = wsac_events;
	wsac_events = ev;
	wsac_state_unlock();
	return ev;
}

static BOOL wsac_close_event(WSAEVENT hEvent)
{
	struct wsac_event **p, *ev = NULL;

	wsac_state_lock();
	for (p = &wsac_events; *p; p = &(*p)->next)
		if (*p == hEvent) {
			ev = *p;
			*p = ev->next;
			break;
		}
	if (ev)
		wsac_sock_drop_event_locked(ev);
	wsac_state_unlock();
	if (!ev) {
		wsac_fail(WSA_INVALID_HANDLE, EBADF);
		return FALSE;
	}
	ev->magic = 0;
	close(ev->fd);
	free(ev);
	return TRUE;
}

static BOOL wsac_event_op(WSAEVENT hEvent, bool set)
{
	struct wsac_event *ev;

	wsac_state_lock();
	ev = wsac_event_lookup_locked(hEvent);
	if (ev) {
		if (set)
			wsac_event_set_locked(ev);
		else
			wsac_event_reset_locked(ev);
	}
	wsac_state_unlock();
	if (!ev) {
		wsac_fail(WSA_INVALID_HANDLE, EBADF);
		return FALSE;
	}
	return TRUE;
}

WSAC_EXPORT BOOL WSAAPI WSASetEvent(WSAEVENT hEvent)
{
	return wsac_event_op(hEvent, true);
}

WSAC_EXPORT BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent)
{
	return wsac_event_op(hEvent, false);
}

/* Return: 0 if @s is an open socket, else the WSA code to fail with. */
static int wsac_socket_arg(SOCKET s)
{
	if (!wsac_started())
		return WSANOTINITIALISED;
	return wsac_socket_fd_check(s);
}

static short wsac_poll_now(SOCKET s)
{
	struct pollfd pfd = { .fd = s, .events = WSAC_EVAL_EVENTS };
	int saved_errno = errno;

	if (poll(&pfd, 1, 0) < 0)
		pfd.revents = 0;
	errno = saved_errno;
	return pfd.revents;
}

/* Bring @s's record up to date (lock held). */
static void wsac_eval_now_locked(SOCKET s, struct wsac_sock *e)
{
	wsac_sock_eval_locked(s, e, wsac_poll_now(s));
}

WSAC_EXPORT int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject,
				      LONG lNetworkEvents)
{
	struct wsac_event *ev = NULL;
	struct wsac_sock *e;
	int rc = wsac_socket_arg(s), on = 1;

	if (rc)
		return wsac_fail(rc, rc == WSAENOTSOCK ? ENOTSOCK : 0);
	if (lNetworkEvents & ~FD_ALL_EVENTS)
		return wsac_fail(WSAEINVAL, EINVAL);
	wsac_state_lock();
	if (lNetworkEvents) {
		ev = wsac_event_lookup_locked(hEventObject);
		if (!ev) {
			wsac_state_unlock();
			return wsac_fail(WSAEINVAL, EINVAL);
		}
	}
	/* Validated: Winsock makes the socket nonblocking whatever the mask. */
	if (ioctl(s, FIONBIO, &on) < 0) {
		int err = errno;

		wsac_state_unlock();
		return wsac_fail_errno(err);
	}
	e = wsac_sock_get_locked(s, true);
	if (!e) {
		wsac_state_unlock();
		return wsac_fail(WSAENOBUFS, ENOMEM);
	}
	/* A new selection replaces the old one and clears the record. */
	wsac_sock_select_locked(e, ev, lNetworkEvents);
	e->pending = 0;
	memset(e->errors, 0, sizeof(e->errors));
	if (ev)
		wsac_eval_now_locked(s, e);
	wsac_state_unlock();
	return 0;
}

WSAC_EXPORT int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
					    LPWSANETWORKEVENTS lpNetworkEvents)
{
	WSANETWORKEVENTS ne;
	struct wsac_event *ev = NULL;
	struct wsac_sock *e;
	int rc = wsac_socket_arg(s), bit;

	if (rc)
		return wsac_fail(rc, rc == WSAENOTSOCK ? ENOTSOCK : 0);
	if (!lpNetworkEvents)
		return wsac_fail(WSAEFAULT, EFAULT);
	memset(&ne, 0, sizeof(ne));
	wsac_state_lock();
	if (hEventObject) {
		ev = wsac_event_lookup_locked(hEventObject);
		if (!ev) {
			wsac_state_unlock();
			return wsac_fail(WSAEINVAL, EINVAL);
		}
	}
	e = wsac_sock_get_locked(s, false);
	if (e) {
		if (e->mask)
			wsac_eval_now_locked(s, e);
		ne.lNetworkEvents = e->pending;
		memcpy(ne.iErrorCode, e->errors, sizeof(ne.iErrorCode));
		e->pending = 0;
		memset(e->errors, 0, sizeof(e->errors));
		wsac_state_changed_locked();
	}
	if (ev)
		wsac_event_reset_locked(ev);
	wsac_state_unlock();

	/* lNetworkEvents, and iErrorCode[] only for the events reported. */
	if (wsac_copy_to_caller(&lpNetworkEvents->lNetworkEvents, &ne.lNetworkEvents,
				sizeof(ne.lNetworkEvents)))
		return wsac_fail(WSAEFAULT, EFAULT);
	for (bit = 0; bit < FD_MAX_EVENTS; bit++)
		if ((ne.lNetworkEvents & (1 << bit)) &&
		    wsac_copy_to_caller(&lpNetworkEvents->iErrorCode[bit],
					&ne.iErrorCode[bit], sizeof(ne.iErrorCode[bit])))
			return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

static long long wsac_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * One round of a wait: evaluate the sockets selected onto @evs, then look
 * at the events.  Return: the WSA_WAIT_* result, or WSA_WAIT_TIMEOUT when
 * not satisfied yet (then the round's pollfds are left in @pfds/@npfds for
 * the blocking poll); WSA_WAIT_FAILED with the last error set.
 */
static DWORD wsac_wait_round(struct wsac_event **evs, DWORD n, BOOL all,
			     struct pollfd **pfds, size_t *npfds)
{
	size_t i, nsocks = 0, signalled = 0;
	struct pollfd *p;
	DWORD first = WSA_WAIT_TIMEOUT;
	int *socks;

	wsac_state_lock();
	for (i = 0; i < n; i++)
		if (!wsac_event_lookup_locked(evs[i])) {
			wsac_state_unlock();
			wsac_fail(WSA_INVALID_HANDLE, EBADF);
			return WSA_WAIT_FAILED;
		}
	socks = wsac_sock_collect_locked(evs, n, &nsocks);
	/* One more slot: the caller's wake-up descriptor. */
	p = calloc(n + nsocks + 1, sizeof(*p));
	if (!p) {
		wsac_state_unlock();
		free(socks);
		wsac_fail(WSA_NOT_ENOUGH_MEMORY, ENOMEM);
		return WSA_WAIT_FAILED;
	}
	for (i = 0; i < n; i++) {
		p[i].fd = wsac_event_fd(evs[i]);
		p[i].events = POLLIN;
	}
	for (i = 0; i < nsocks; i++) {
		p[n + i].fd = socks[i];
		p[n + i].events = WSAC_EVAL_EVENTS;
	}
	wsac_state_unlock();
	free(socks);

	/* Evaluate the sockets: their new events signal the events. */
	if (nsocks && poll(p + n, nsocks, 0) >= 0) {
		long long now = wsac_ms();

		wsac_state_lock();
		for (i = n; i < n + nsocks; i++) {
			p[i].events = wsac_sock_wait_eval_locked(p[i].fd, p[i].revents, now);
			if (!p[i].events)
				p[i].fd = -1;
		}
		wsac_state_unlock();
	}
	if (poll(p, n, 0) >= 0)
		for (i = 0; i < n; i++)
			if (p[i].revents & POLLIN) {
				signalled++;
				if (first == WSA_WAIT_TIMEOUT)
					first = WSA_WAIT_EVENT_0 + (DWORD)i;
				if (all)
					p[i].fd = -1;	/* wait for the others */
			}
	if (all ? signalled == n : signalled > 0) {
		free(p);
		return all ? WSA_WAIT_EVENT_0 : first;
	}
	*pfds = p;
	*npfds = n + nsocks;
	return WSA_WAIT_TIMEOUT;
}

/*
 * Waiting threads, each with an eventfd that wsac_wake_waiters_locked()
 * signals when a library call changed the state (an association, a
 * connect attempt, a record read): a wait then evaluates again at once
 * instead of rescanning every WSAC_RESCAN_MS.
 */
struct wsac_waiter {
	int fd;
	struct wsac_waiter *next;
};
static struct wsac_waiter *wsac_waiters;

void wsac_wake_waiters_locked(void)
{
	static const uint64_t one = 1;
	struct wsac_waiter *w;
	int saved_errno = errno;

	for (w = wsac_waiters; w; w = w->next)
		(void)!write(w->fd, &one, sizeof(one));
	errno = saved_errno;
}

static void wsac_waiter_add(struct wsac_waiter *w)
{
	w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->fd < 0)
		return;		/* no descriptor: rescan every WSAC_RESCAN_MS */
	wsac_state_lock();
	w->next = wsac_waiters;
	wsac_waiters = w;
	wsac_state_unlock();
}

static void wsac_waiter_remove(struct wsac_waiter *w)
{
	struct wsac_waiter **pp;

	if (w->fd < 0)
		return;
	wsac_state_lock();
	for (pp = &wsac_waiters; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	wsac_state_unlock();
	close(w->fd);
}

static DWORD wsac_wait_events(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
			      DWORD dwTimeout, BOOL fAlertable)
{
	struct wsac_waiter waiter;
	struct wsac_event *evs[WSA_MAXIMUM_WAIT_EVENTS];
	long long deadline = wsac_ms() + dwTimeout;
	int saved_errno = errno;
	DWORD rc;

	(void)fAlertable;	/* no APCs on Linux: never WSA_WAIT_IO_COMPLETION */
	if (!cEvents || cEvents > WSA_MAXIMUM_WAIT_EVENTS || !lphEvents) {
		wsac_fail(WSA_INVALID_PARAMETER, EINVAL);
		return WSA_WAIT_FAILED;
	}
	if (wsac_copy_from_caller(evs, lphEvents, cEvents * sizeof(*lphEvents))) {
		wsac_fail(WSAEFAULT, EFAULT);
		return WSA_WAIT_FAILED;
	}
	wsac_waiter_add(&waiter);
	for (;;) {
		struct pollfd *p = NULL;
		size_t np = 0;
		long long slice = waiter.fd >= 0 ? WSAC_IDLE_RESCAN_MS : WSAC_RESCAN_MS;
		uint64_t v;

		rc = wsac_wait_round(evs, cEvents, fWaitAll, &p, &np);
		if (rc != WSA_WAIT_TIMEOUT)
			break;
		if (dwTimeout != WSA_INFINITE) {
			long long left = deadline - wsac_ms();

			if (left <= 0) {
				free(p);
				break;
			}
			if (left < slice)
				slice = left;
		}
		p[np].fd = waiter.fd;
		p[np].events = POLLIN;
		(void)poll(p, np + 1, (int)slice);
		free(p);
		if (waiter.fd >= 0)
			(void)!read(waiter.fd, &v, sizeof(v));
	}
	wsac_waiter_remove(&waiter);
	if (rc != WSA_WAIT_FAILED)
		errno = saved_errno;
	return rc;
}

/*
 * The calls that allocate are busy for a handler's WSAConnect (nested.c):
 * one that interrupted them inside malloc() must not run.
 */
WSAC_EXPORT WSAEVENT WSAAPI WSACreateEvent(void)
{
	WSAEVENT ev;

	wsac_busy_enter();
	ev = wsac_create_event();
	wsac_busy_leave();
	return ev;
}

WSAC_EXPORT BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent)
{
	BOOL ok;

	wsac_busy_enter();
	ok = wsac_close_event(hEvent);
	wsac_busy_leave();
	return ok;
}

WSAC_EXPORT DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents,
						  BOOL fWaitAll, DWORD dwTimeout,
						  BOOL fAlertable)
{
	DWORD rc;

	wsac_busy_enter();
	rc = wsac_wait_events(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
	wsac_busy_leave();
	return rc;
}
