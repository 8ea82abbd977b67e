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
 * Each event that has sockets selected onto it has an epoll set holding
 * them (edge-triggered, sockstate.c); WSAWaitForMultipleEvents sleeps in
 * poll(2) on the event descriptors and those sets, evaluates only the
 * sockets the kernel woke up (wsac_sock_drain_locked()), translating their
 * state into the network events Winsock would have recorded, which signal
 * the event.  Sockets whose data or connections stay queued are looked at
 * again at the start of each wait and every WSAC_RECHECK_MS while one
 * lasts, for a read or accept (which wakes nothing).  WSAEventSelect and
 * WSAEnumNetworkEvents evaluate their socket as well, so a socket's events
 * are recorded only while some thread is inside one of these calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define WSAC_EVENT_MAGIC	0x57534145U	/* "WSAE" */
/* How often a wait looks again at sockets with data left unread. */
#define WSAC_RECHECK_MS		200
/* Without a wake-up descriptor: for what other threads changed. */
#define WSAC_RESCAN_MS		100

struct wsac_event {
	unsigned int magic;
	int fd;
	int epfd;		/* its sockets' epoll set, -1 until one is selected */
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

/*
 * The epoll set of @ev's sockets, made when the first one is selected
 * (events never used with WSAEventSelect cost one descriptor, not two).
 * Return: its descriptor, or -1 (errno set when @create failed).
 */
int wsac_event_epoll_locked(struct wsac_event *ev, bool create)
{
	if (ev->epfd < 0 && create) {
		ev->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (ev->epfd >= 0)
			wsac_wake_waiters_locked(ev);	/* a new set to watch */
	}
	return ev->epfd;
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
	ev->epfd = -1;
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
	if (ev->epfd >= 0)
		close(ev->epfd);
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
	e->pending = 0;
	memset(e->errors, 0, sizeof(e->errors));
	rc = wsac_sock_select_locked(e, ev, lNetworkEvents);
	if (rc) {
		/* No epoll set or no room in one (max_user_watches). */
		wsac_state_unlock();
		return wsac_fail(rc == ENOMEM || rc == ENOSPC ? WSAENOBUFS :
				 rc == EMFILE ? WSAEMFILE : wsac_errno_to_wsa(rc), rc);
	}
	if (ev)
		wsac_sock_eval_now_locked(e, 0);
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
		if (e->mask && e->ev) {
			/* Wake-ups no wait took yet, then the socket itself. */
			wsac_sock_drain_locked(&e->ev, 1);
			wsac_sock_eval_now_locked(e, 0);
		}
		ne.lNetworkEvents = e->pending;
		memcpy(ne.iErrorCode, e->errors, sizeof(ne.iErrorCode));
		e->pending = 0;
		memset(e->errors, 0, sizeof(e->errors));
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
 * Waiting threads, each with an eventfd that wsac_wake_waiters_locked()
 * signals when what the wait watches changed under it: a new epoll set, a
 * socket that joined the recheck list.
 */
struct wsac_waiter {
	int fd;
	struct wsac_event *const *evs;
	size_t n;
	struct wsac_waiter *next;
};
static struct wsac_waiter *wsac_waiters;

/* Wake the waits on @ev (NULL: all of them). */
void wsac_wake_waiters_locked(const struct wsac_event *ev)
{
	static const uint64_t one = 1;
	struct wsac_waiter *w;
	int saved_errno = errno;
	size_t i;

	for (w = wsac_waiters; w; w = w->next)
		for (i = 0; i < w->n; i++)
			if (!ev || w->evs[i] == ev) {
				(void)!write(w->fd, &one, sizeof(one));
				break;
			}
	errno = saved_errno;
}

static void wsac_waiter_add(struct wsac_waiter *w, struct wsac_event *const *evs, size_t n)
{
	w->evs = evs;
	w->n = n;
	w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->fd < 0)
		return;		/* no descriptor: look again every WSAC_RESCAN_MS */
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

/*
 * One round of a wait: evaluate the woken sockets of @evs (and, with
 * @recheck, those on the recheck list), then look at the events.  Return:
 * the WSA_WAIT_* result, or WSA_WAIT_TIMEOUT when not satisfied yet: then
 * @p holds what to sleep on (the events not signalled yet, the epoll sets,
 * the waiter's descriptor) in *@np entries and *@rechecks says whether
 * sockets of @evs are on the recheck list.  WSA_WAIT_FAILED with the last
 * error set.
 */
static DWORD wsac_wait_round(struct wsac_event **evs, DWORD n, BOOL all, bool recheck,
			     const struct wsac_waiter *w, struct pollfd *p, size_t *np,
			     bool *rechecks)
{
	size_t i, k = 0, signalled = 0;
	DWORD first = WSA_WAIT_TIMEOUT;
	int epfd;

	wsac_state_lock();
	for (i = 0; i < n; i++)
		if (!wsac_event_lookup_locked(evs[i])) {
			wsac_state_unlock();
			wsac_fail(WSA_INVALID_HANDLE, EBADF);
			return WSA_WAIT_FAILED;
		}
	/* Evaluate the sockets: their new events signal the events. */
	wsac_sock_drain_locked(evs, n);
	*rechecks = wsac_sock_recheck_locked(evs, n, recheck);
	for (i = 0; i < n; i++) {
		p[i].fd = wsac_event_fd(evs[i]);
		p[i].events = POLLIN;
		p[i].revents = 0;
	}
	k = n;
	for (i = 0; i < n; i++) {
		epfd = wsac_event_epoll_locked(evs[i], false);
		if (epfd >= 0) {
			p[k].fd = epfd;
			p[k++].events = POLLIN;
		}
	}
	epfd = wsac_sock_write_epoll_locked(false);
	if (epfd >= 0) {
		p[k].fd = epfd;
		p[k++].events = POLLIN;
	}
	wsac_state_unlock();

	if (poll(p, n, 0) >= 0)
		for (i = 0; i < n; i++)
			if (p[i].revents & POLLIN) {
				signalled++;
				if (first == WSA_WAIT_TIMEOUT)
					first = WSA_WAIT_EVENT_0 + (DWORD)i;
				if (all)
					p[i].fd = -1;	/* wait for the others */
			}
	if (all ? signalled == n : signalled > 0)
		return all ? WSA_WAIT_EVENT_0 : first;
	p[k].fd = w->fd;
	p[k++].events = POLLIN;
	*np = k;
	return WSA_WAIT_TIMEOUT;
}

static DWORD wsac_wait_events(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
			      DWORD dwTimeout, BOOL fAlertable)
{
	/* The events, their epoll sets, the write-edge set, the waiter. */
	struct pollfd p[2 * WSA_MAXIMUM_WAIT_EVENTS + 2];
	struct wsac_event *evs[WSA_MAXIMUM_WAIT_EVENTS];
	struct wsac_waiter waiter;
	long long now = wsac_ms(), deadline = now + dwTimeout, next_recheck = now;
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
	wsac_waiter_add(&waiter, evs, cEvents);
	for (;;) {
		size_t np = 0;
		bool rechecks = false, recheck = now >= next_recheck;
		long long slice = -1;
		uint64_t v;

		if (recheck)
			next_recheck = now + WSAC_RECHECK_MS;
		rc = wsac_wait_round(evs, cEvents, fWaitAll, recheck, &waiter, p, &np, &rechecks);
		if (rc != WSA_WAIT_TIMEOUT)
			break;
		now = wsac_ms();
		if (rechecks)
			slice = next_recheck > now ? next_recheck - now : 0;
		if (waiter.fd < 0 && (slice < 0 || slice > WSAC_RESCAN_MS))
			slice = WSAC_RESCAN_MS;
		if (dwTimeout != WSA_INFINITE) {
			long long left = deadline - now;

			if (left <= 0)
				break;
			if (slice < 0 || left < slice)
				slice = left;
		}
		(void)poll(p, np, slice > INT32_MAX ? INT32_MAX : (int)slice);
		if (waiter.fd >= 0)
			(void)!read(waiter.fd, &v, sizeof(v));
		now = wsac_ms();
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
