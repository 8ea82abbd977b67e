// SPDX-License-Identifier: GPL-2.0
/*
 * What Winsock keeps per socket and Linux does not: the outcome of the
 * last connect attempt, and the WSAEventSelect association with its
 * network event record.
 *
 * Deferred connect errors.  A nonblocking Winsock connect never fails at
 * once: it says WSAEWOULDBLOCK and the error arrives through FD_CONNECT,
 * WSAPoll or SO_ERROR, and stays until the next attempt.  Linux often
 * refuses a loopback connect synchronously, and clears SO_ERROR when it is
 * read.  So the library keeps the Winsock code here, from the synchronous
 * failure or from the one SO_ERROR read after an asynchronous one, and
 * reports it until WSAConnect starts a new attempt or the socket closes.
 *
 * The table is indexed by descriptor; each entry remembers the socket's
 * device and inode, so that an entry whose descriptor was closed behind
 * the library's back (close(2) rather than closesocket) and reused is
 * found stale and starts fresh.  One mutex guards the table and the
 * event registry of event.c; nothing blocks while holding it.
 *
 * Network events are evaluated when something happened, never by polling
 * idle sockets: each event-selected socket is in its event's epoll set
 * (edge-triggered, for data, connections and state changes) and, when
 * FD_WRITE or FD_CONNECT is selected, in one write-edge set of the library (for send
 * buffer space freed), so a wait sleeps in poll(2) on a few descriptors
 * and evaluates only the sockets that were woken.  What no wake-up shows
 * (the program read part of the queued data, accepted one of several
 * connections) is looked at again only for the sockets whose data or
 * connections are still queued: they are on the recheck list.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <netinet/tcp.h>

#include "internal.h"

static pthread_mutex_t wsac_state_mutex = PTHREAD_MUTEX_INITIALIZER;

/*
 * The table: entries found in O(1) by descriptor, in chunks of
 * WSAC_CHUNK made with mmap() when a descriptor in their range first
 * needs one (async-signal-safe, unlike malloc(); memory follows the
 * descriptors in use, not the highest one).  Descriptors from
 * WSAC_MAX_FD on get no entry (their deferred errors and events are not
 * kept).  The entries with a WSAEventSelect association are also on the
 * list wsac_selected, so that waits never scan the table.
 */
#define WSAC_CHUNK_BITS	9
#define WSAC_CHUNK	(1U << WSAC_CHUNK_BITS)
#define WSAC_MAX_FD	(1U << 24)
static struct wsac_sock *wsac_chunks[WSAC_MAX_FD / WSAC_CHUNK];
static struct wsac_sock *wsac_selected;
static struct wsac_sock *wsac_rechecks;
/* The write-edge epoll set: made when a socket first selects FD_WRITE. */
static int wsac_wr_epoll = -1;

/*
 * The lock is a section a signal handler's WSAConnect must not enter on
 * the same thread: it would deadlock (nested.c refuses it instead).
 */
void wsac_state_lock(void)
{
	wsac_busy_enter();
	pthread_mutex_lock(&wsac_state_mutex);
}

void wsac_state_unlock(void)
{
	pthread_mutex_unlock(&wsac_state_mutex);
	wsac_busy_leave();
}

/* fork(): the child gets the lock free, whoever held it in the parent. */
void wsac_state_fork_prepare(void)
{
	pthread_mutex_lock(&wsac_state_mutex);
}

void wsac_state_fork_done(void)
{
	pthread_mutex_unlock(&wsac_state_mutex);
}

void wsac_state_fork_child(void)
{
	static const pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

	memcpy(&wsac_state_mutex, &fresh, sizeof(fresh));
}

static struct wsac_sock *wsac_slot_locked(SOCKET s, bool create);

static void wsac_recheck_set_locked(struct wsac_sock *e, bool on)
{
	if (e->recheck == on)
		return;
	e->recheck = on;
	if (on) {
		e->re_prev = NULL;
		e->re_next = wsac_rechecks;
		if (wsac_rechecks)
			wsac_rechecks->re_prev = e;
		wsac_rechecks = e;
		/* A wait sleeping without a deadline must look at it again. */
		wsac_wake_waiters_locked(e->ev);
		return;
	}
	if (e->re_prev)
		e->re_prev->re_next = e->re_next;
	else
		wsac_rechecks = e->re_next;
	if (e->re_next)
		e->re_next->re_prev = e->re_prev;
	e->re_prev = e->re_next = NULL;
}

static void wsac_epoll_del(int epfd, int fd)
{
	int saved_errno = errno;

	/* ENOENT/EBADF: closed with close(2), the kernel dropped it. */
	if (epfd >= 0)
		(void)epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	errno = saved_errno;
}

/* Return: 0, or the errno of epoll_ctl(2). */
static int wsac_epoll_add(int epfd, int fd, uint32_t events)
{
	struct epoll_event ee = { .events = events | EPOLLET, .data.fd = fd };
	int saved_errno = errno, err = 0;

	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ee) < 0 &&
	    (errno != EEXIST || epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ee) < 0))
		err = errno;
	errno = saved_errno;
	return err;
}

/* The write-edge set, made on demand (@create); Return: it or -1. */
int wsac_sock_write_epoll_locked(bool create)
{
	if (wsac_wr_epoll < 0 && create) {
		wsac_wr_epoll = epoll_create1(EPOLL_CLOEXEC);
		if (wsac_wr_epoll >= 0)
			wsac_wake_waiters_locked(NULL);	/* a new set to watch */
	}
	return wsac_wr_epoll;	/* -1 with errno set by epoll_create1() */
}

static void wsac_unselect_locked(struct wsac_sock *e)
{
	wsac_recheck_set_locked(e, false);
	if (e->wr_registered)
		wsac_epoll_del(wsac_wr_epoll, e->fd);
	e->wr_registered = false;
	if (!e->ev)
		return;
	wsac_epoll_del(wsac_event_epoll_locked(e->ev, false), e->fd);
	if (e->sel_prev)
		e->sel_prev->sel_next = e->sel_next;
	else
		wsac_selected = e->sel_next;
	if (e->sel_next)
		e->sel_next->sel_prev = e->sel_prev;
	e->sel_prev = e->sel_next = NULL;
	e->ev = NULL;
	e->mask = 0;
}

/**
 * wsac_sock_select_locked() - associate @e with @ev (NULL: disassociate)
 * @e: the socket's entry
 * @ev: the event, or NULL
 * @mask: the network events
 *
 * The socket goes into @ev's epoll set, and into the write-edge set if
 * @mask has FD_WRITE or FD_CONNECT; an association that was there stays.
 * Return: 0, or the errno that kept the socket from its epoll sets (the
 * old association is then gone).
 */
int wsac_sock_select_locked(struct wsac_sock *e, struct wsac_event *ev, LONG mask)
{
	int epfd, err;

	if (!ev || e->ev != ev)
		wsac_unselect_locked(e);
	if (!ev)
		return 0;
	if (e->ev != ev) {
		epfd = wsac_event_epoll_locked(ev, true);
		if (epfd < 0)
			return errno ? errno : ENOMEM;
		err = wsac_epoll_add(epfd, e->fd, EPOLLIN | EPOLLPRI | EPOLLRDHUP);
		if (err)
			return err;
		e->ev = ev;
		e->sel_prev = NULL;
		e->sel_next = wsac_selected;
		if (wsac_selected)
			wsac_selected->sel_prev = e;
		wsac_selected = e;
	}
	e->mask = mask;
	/*
	 * A connection made wakes the socket with POLLOUT alone, which the
	 * event's set does not watch: FD_CONNECT needs the write-edge set too.
	 */
	if ((mask & (FD_WRITE | FD_CONNECT)) && !e->wr_registered) {
		epfd = wsac_sock_write_epoll_locked(true);
		err = epfd < 0 ? (errno ? errno : ENOMEM) : wsac_epoll_add(epfd, e->fd, EPOLLOUT);
		if (err) {
			wsac_unselect_locked(e);
			return err;
		}
		e->wr_registered = true;
	} else if (!(mask & (FD_WRITE | FD_CONNECT)) && e->wr_registered) {
		wsac_epoll_del(wsac_wr_epoll, e->fd);
		e->wr_registered = false;
	}
	return 0;
}

static void wsac_sock_init(struct wsac_sock *e, SOCKET s, const struct stat *st)
{
	wsac_unselect_locked(e);
	memset(e, 0, sizeof(*e));
	e->used = true;
	e->fd = s;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->write_armed = true;
}

static struct wsac_sock *wsac_slot_locked(SOCKET s, bool create)
{
	struct wsac_sock **chunk;
	void *m;

	if (s < 0 || (unsigned int)s >= WSAC_MAX_FD)
		return NULL;
	chunk = &wsac_chunks[(unsigned int)s >> WSAC_CHUNK_BITS];
	if (!*chunk) {
		if (!create)
			return NULL;
		m = mmap(NULL, WSAC_CHUNK * sizeof(struct wsac_sock), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		*chunk = m;
	}
	return &(*chunk)[(unsigned int)s & (WSAC_CHUNK - 1)];
}

/**
 * wsac_sock_get_locked() - the entry of socket @s
 * @s: a descriptor
 * @create: make an entry if there is none
 *
 * An entry whose socket was closed with close(2) and whose number now
 * names another socket (another device or inode) is found stale and
 * starts fresh.
 *
 * Return: the entry, or NULL if @s is no socket, has no entry and @create
 * is false, or memory ran out.
 */
struct wsac_sock *wsac_sock_get_locked(SOCKET s, bool create)
{
	struct wsac_sock *e;
	struct stat st;
	int saved_errno = errno;

	/*
	 * Without @create, a descriptor with no entry has nothing to check:
	 * skip the fstat(2), which the hot paths (WSAConnect's FD_QOS note on
	 * a socket never event-selected) would otherwise pay for nothing.
	 */
	if (!create) {
		e = wsac_slot_locked(s, false);
		if (!e || !e->used)
			return NULL;
	}
	if (s < 0 || fstat(s, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		errno = saved_errno;
		return NULL;
	}
	e = wsac_slot_locked(s, create);
	errno = saved_errno;
	if (!e)
		return NULL;
	if (e->used && (e->dev != st.st_dev || e->ino != st.st_ino)) {
		wsac_unselect_locked(e);	/* closed and reused behind our back */
		e->used = false;
	}
	if (!e->used) {
		if (!create)
			return NULL;
		wsac_sock_init(e, s, &st);
	}
	return e;
}

/* closesocket(): forget everything about @s. */
void wsac_sock_forget(SOCKET s)
{
	struct wsac_sock *e;

	wsac_state_lock();
	e = wsac_slot_locked(s, false);
	if (e) {
		wsac_unselect_locked(e);
		e->used = false;
	}
	wsac_state_unlock();
}

/* The association is gone with the event (WSACloseEvent). */
void wsac_sock_drop_event_locked(const struct wsac_event *ev)
{
	struct wsac_sock *e, *next;

	for (e = wsac_selected; e; e = next) {
		next = e->sel_next;
		if (e->ev == ev)
			wsac_unselect_locked(e);
	}
}

/**
 * wsac_sock_attempt() - WSAConnect is about to call connect(2)
 * @s: the socket
 * @fastopen_connect: NULL, or set to the caller's TCP_FASTOPEN_CONNECT
 * @no_cookie: set to the caller's TCP_FASTOPEN_NO_COOKIE
 *
 * A new attempt, a clean slate.  With @fastopen_connect, the TFO options
 * wsac_sock_tfo_keep() remembered are taken in the same lookup: every
 * lookup costs an fstat(2), and this runs on every WSAConnect().
 *
 * Return: true, and forgotten, if there were TFO options to take.
 */
bool wsac_sock_attempt(SOCKET s, int *fastopen_connect, int *no_cookie)
{
	struct wsac_sock *e;
	bool had = false;

	wsac_state_lock();
	e = wsac_sock_get_locked(s, true);
	if (e) {
		e->attempted = true;
		e->connecting = false;
		e->conn_reported = false;
		e->was_connected = false;
		e->close_reported = false;
		e->write_armed = true;
		e->conn_error = 0;
		e->pending &= ~(FD_CONNECT | FD_WRITE | FD_CLOSE);
		if (fastopen_connect && e->tfo_saved) {
			had = true;
			e->tfo_saved = false;
			*fastopen_connect = e->tfo_connect;
			*no_cookie = e->tfo_no_cookie;
		}
	}
	wsac_state_unlock();
	return had;
}

/**
 * wsac_sock_attempt_done() - what connect(2) said
 * @s: the socket
 * @err: connect(2)'s errno, 0 on success
 * @wsa_code: the Winsock code of @err
 *
 * EINPROGRESS leaves the attempt pending; a connection error becomes the
 * attempt's deferred error; any other error means no attempt was made.
 */
void wsac_sock_attempt_done(SOCKET s, int err, int wsa_code)
{
	struct wsac_sock *e;

	wsac_state_lock();
	e = wsac_sock_get_locked(s, false);
	if (e) {
		if (!err) {
			/* Connected now: never again a candidate for failure. */
			e->connecting = false;
			e->was_connected = true;
		} else if (err == EINPROGRESS) {
			e->connecting = true;
		}
		else if (wsac_connect_error_deferred(err))
			e->conn_error = wsa_code;
		else
			e->attempted = false;
		/* What the attempt's outcome records: no wake-up may follow. */
		if (e->ev)
			wsac_sock_eval_now_locked(e, 0);
	}
	wsac_state_unlock();
}

/**
 * wsac_sock_tfo_keep() - remember the caller's TCP Fast Open options
 * @s: a TCP socket left with the library's TFO options set
 * @fastopen_connect: the caller's TCP_FASTOPEN_CONNECT
 * @no_cookie: the caller's TCP_FASTOPEN_NO_COOKIE
 *
 * A nonblocking attempt with caller data cannot put them back when it
 * returns: Linux changes them only on a closed socket.
 */
void wsac_sock_tfo_keep(SOCKET s, int fastopen_connect, int no_cookie)
{
	struct wsac_sock *e;

	wsac_state_lock();
	e = wsac_sock_get_locked(s, true);
	if (e && !e->tfo_saved) {
		e->tfo_saved = true;
		e->tfo_connect = fastopen_connect;
		e->tfo_no_cookie = no_cookie;
	}
	wsac_state_unlock();
}

static bool wsac_is_connected(SOCKET s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int saved_errno = errno;
	bool connected = getpeername(s, (struct sockaddr *)&ss, &len) == 0;

	errno = saved_errno;
	return connected;
}

static int wsac_sockopt_int(SOCKET s, int name)
{
	int v = 0, saved_errno = errno;
	socklen_t len = sizeof(v);

	if (getsockopt(s, SOL_SOCKET, name, &v, &len) < 0)
		v = -1;
	errno = saved_errno;
	return v;
}

/*
 * Linux keeps a socket whose connect failed half-open (connect(2) again
 * would only report the old error); Winsock's is unconnected again and
 * may connect or listen.  AF_UNSPEC resets it.
 */
void wsac_sock_disconnect(SOCKET s)
{
	static const struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int saved_errno = errno;

	(void)connect(s, &unspec, sizeof(unspec));
	errno = saved_errno;
}

/*
 * Linux's struct tcp_info up to tcpi_bytes_received (4.1); glibc's stops
 * at tcpi_total_retrans.  Its 104 bytes keep the u64s 8-byte aligned.
 */
struct wsac_tcp_info {
	struct tcp_info base;
	uint64_t pacing_rate;
	uint64_t max_pacing_rate;
	uint64_t bytes_acked;
	uint64_t bytes_received;
};

/**
 * wsac_tcp_reached_established() - did this TCP socket ever connect?
 * @s: the socket
 *
 * Once the SYN-ACK acknowledged our SYN, tcpi_bytes_acked is at least 1;
 * a connect that was refused, timed out or unreachable never got there.
 * Return: 1 if the socket was connected, 0 if not (or still connecting),
 * -1 if this is not a TCP socket or TCP_INFO is not available.
 */
static int wsac_tcp_reached_established(SOCKET s)
{
	struct wsac_tcp_info ti;
	socklen_t len = sizeof(ti);
	int saved_errno = errno, rc;

	memset(&ti, 0, sizeof(ti));
	rc = getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len);
	errno = saved_errno;
	if (rc < 0 || len < offsetof(struct wsac_tcp_info, bytes_received) + sizeof(uint64_t))
		return -1;
	if (ti.base.tcpi_state == TCP_SYN_SENT || ti.base.tcpi_state == TCP_SYN_RECV)
		return 0;
	return ti.bytes_acked > 0 || ti.bytes_received > 0 ||
	       ti.base.tcpi_state != TCP_CLOSE;
}

/*
 * A pending attempt: has it ended?  SO_ERROR is read once, here, and only
 * for an attempt that never reached ESTABLISHED: a connection that was
 * made is never judged a failed connect (its data, its reset and its end
 * are the program's to see), and never reset by the library.
 */
static void wsac_settle_locked(SOCKET s, struct wsac_sock *e, short revents)
{
	int err;

	if (!e->connecting)
		return;
	if (wsac_is_connected(s) || wsac_tcp_reached_established(s) == 1) {
		e->connecting = false;
		e->was_connected = true;
		return;
	}
	if (!(revents & (POLLERR | POLLHUP)))
		return;
	err = wsac_sockopt_int(s, SO_ERROR);
	/* Someone else read SO_ERROR first: the reason is lost. */
	if (err <= 0)
		err = ECONNABORTED;
	e->connecting = false;
	e->conn_error = wsac_connect_errno_to_wsa(err);
	wsac_sock_disconnect(s);
}

/**
 * wsac_sock_conn_error() - the deferred error of @s's last connect attempt
 * @s: the socket
 * @revents: what poll(2) just reported on @s (0 if not polled)
 *
 * Return: the WSAE* code, or 0 if the attempt did not fail (yet).
 */
int wsac_sock_conn_error(SOCKET s, short revents)
{
	struct wsac_sock *e;
	int code = 0;

	wsac_state_lock();
	e = wsac_sock_get_locked(s, false);
	if (e) {
		wsac_settle_locked(s, e, revents);
		code = e->conn_error;
	}
	wsac_state_unlock();
	return code;
}

static int wsac_ioctl_int(SOCKET s, unsigned long req)
{
	int v = 0, saved_errno = errno;

	if (ioctl(s, req, &v) < 0)
		v = 0;
	errno = saved_errno;
	return v;
}

static bool wsac_has_data(SOCKET s)
{
	return wsac_ioctl_int(s, FIONREAD) > 0;
}

/* TCP's byte counters; Return: false if @s is not TCP (or too old). */
static bool wsac_tcp_counters(SOCKET s, uint64_t *acked, uint64_t *received)
{
	struct wsac_tcp_info ti;
	socklen_t len = sizeof(ti);
	int saved_errno = errno, rc;

	memset(&ti, 0, sizeof(ti));
	rc = getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len);
	errno = saved_errno;
	if (rc < 0 || len < offsetof(struct wsac_tcp_info, bytes_received) + sizeof(uint64_t))
		return false;
	*acked = ti.bytes_acked;
	*received = ti.bytes_received;
	return true;
}

/*
 * The first datagram queued, without taking it: its length, sender and
 * first bytes, hashed.  Not when the socket has an error (a peek would
 * consume it) or a peek offset the program set (a peek would move it).
 */
static uint64_t wsac_dgram_head(SOCKET s)
{
	struct sockaddr_storage from;
	unsigned char head[32];
	struct iovec iov = { .iov_base = head, .iov_len = sizeof(head) };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	int saved_errno = errno;
	ssize_t n, i;

	if (wsac_sockopt_int(s, SO_PEEK_OFF) >= 0 || wsac_sockopt_int(s, SO_ERROR) != 0)
		return 0;
	memset(&from, 0, sizeof(from));
	n = recvmsg(s, &msg, MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC);
	errno = saved_errno;
	if (n < 0)
		return 0;
	h = (h ^ (uint64_t)n) * 1099511628211ULL;
	for (i = 0; i < (ssize_t)msg.msg_namelen && i < (ssize_t)sizeof(from); i++)
		h = (h ^ ((unsigned char *)&from)[i]) * 1099511628211ULL;
	for (i = 0; i < n && i < (ssize_t)sizeof(head); i++)
		h = (h ^ head[i]) * 1099511628211ULL;
	return h;
}

/*
 * Edge-like FD_READ and FD_WRITE without seeing recv() and send().
 *
 * Winsock re-enables FD_READ with recv() and FD_WRITE with a send() that
 * failed with WSAEWOULDBLOCK.  The library sees neither, so it compares
 * what the socket shows now with what it showed when the event was last
 * recorded, and it knows the wake-ups the kernel gave.
 *
 * FD_READ: new data wakes the socket up.  A read does not, so the
 * signature tells it: for TCP the bytes received so far and the queued
 * bytes; for other stream sockets the queued bytes (more data woke the
 * socket, so a change without a wake-up is a read); for datagram sockets
 * the first datagram's length, sender and first bytes.  Unchanged means
 * the program neither read nor got more, and no FD_READ is recorded again
 * for data it left unread.
 *
 * FD_WRITE: for TCP the bytes the program has written so far
 * (acknowledged plus queued); any change means it sent, perhaps until
 * WSAEWOULDBLOCK, so FD_WRITE comes again once writable, and the kernel
 * wakes a TCP socket when space frees up after a send that found none.
 * Other sockets have no such counter: any wake-up for freed send space
 * (it follows the program's own sends) records FD_WRITE again.  Spurious
 * FD_WRITEs are harmless, missed ones hang programs.
 */
static void wsac_io_signature(SOCKET s, int type, short revents, uint64_t *rd,
			      uint64_t *wr, bool *tcp)
{
	uint64_t acked = 0, received = 0;
	uint64_t inq = (uint64_t)wsac_ioctl_int(s, FIONREAD);
	uint64_t outq = (uint64_t)wsac_ioctl_int(s, TIOCOUTQ);

	*tcp = wsac_tcp_counters(s, &acked, &received);
	*rd = (received << 24) ^ inq;
	if (!*tcp && type != SOCK_STREAM && type != SOCK_SEQPACKET && (revents & POLLIN))
		*rd ^= wsac_dgram_head(s) << 1;
	*wr = *tcp ? acked + outq : outq;
}

/* A TCP listener's accept queue length; Return: false if not TCP. */
static bool wsac_accept_backlog(SOCKET s, uint64_t *n)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	int saved_errno = errno, rc;

	memset(&ti, 0, sizeof(ti));
	rc = getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len);
	errno = saved_errno;
	if (rc < 0 || ti.tcpi_state != TCP_LISTEN)
		return false;
	*n = ti.tcpi_unacked;	/* sk_ack_backlog, for a listener */
	return true;
}

/**
 * wsac_sock_eval_locked() - record the network events @s shows now
 * @s: the socket
 * @e: its entry
 * @revents: poll(2)'s answer for WSAC_EVAL_EVENTS, polled just now
 * @edges: the WSAC_EDGE_* wake-ups that brought this evaluation
 *
 * Records, within the selected mask, the events Winsock would have
 * recorded by now, and signals the associated event for new ones.
 * FD_CONNECT and FD_CLOSE are one-shot; FD_WRITE is recorded after a
 * connect and again once the program may have met WSAEWOULDBLOCK,
 * FD_READ and FD_OOB when data is queued that was not reported yet, and
 * FD_ACCEPT when a connection waits that was not reported yet (see
 * wsac_io_signature()).  A socket whose data or connections stay queued
 * is put on the recheck list: a read or an accept brings no wake-up.
 */
void wsac_sock_eval_locked(SOCKET s, struct wsac_sock *e, short revents, unsigned int edges)
{
	int type = wsac_sockopt_int(s, SO_TYPE);
	int err[FD_MAX_EVENTS] = { 0 };
	LONG rec = 0, fresh;
	uint64_t rd_sig = 0, wr_sig = 0;
	bool connected, tcp = false, queued = false, new_rd;
	int bit;

	wsac_settle_locked(s, e, revents);
	if (revents & POLLNVAL)
		goto record;
	if (type == SOCK_STREAM && wsac_sockopt_int(s, SO_ACCEPTCONN) == 1) {
		/* A deferred WSAAccept connection is still pending. */
		queued = (revents & POLLIN) || wsac_accept_has_deferred(s);
		tcp = wsac_accept_backlog(s, &rd_sig);
		/* Without a queue length (AF_UNIX): whenever one waits. */
		if (queued && (!tcp || (edges & WSAC_EDGE_RD) || !e->read_seen ||
			       rd_sig != e->rd_sig))
			rec |= FD_ACCEPT;
		queued = queued && (e->mask & FD_ACCEPT);
		goto record;
	}
	connected = wsac_is_connected(s);
	if (connected)
		e->was_connected = true;
	if (e->attempted && !e->conn_reported) {
		if (e->conn_error) {
			rec |= FD_CONNECT;
			err[FD_CONNECT_BIT] = e->conn_error;
		} else if (e->was_connected) {
			rec |= FD_CONNECT;
		}
	}
	if (e->conn_error)
		goto record;		/* a failed attempt has nothing more to say */
	if (e->connecting)
		goto record;		/* its end wakes the socket up */
	if (type == SOCK_STREAM && !e->was_connected)
		goto record;		/* an idle stream socket */

	wsac_io_signature(s, type, revents, &rd_sig, &wr_sig, &tcp);
	if (wr_sig != e->wr_sig)
		e->write_armed = true;	/* the program sent since FD_WRITE */
	if (!tcp && (edges & WSAC_EDGE_WR) && !(revents & (POLLHUP | POLLERR | POLLRDHUP)))
		e->write_armed = true;	/* space freed after a send */
	if (revents & POLLOUT) {
		if (e->write_armed)
			rec |= FD_WRITE;
	} else {
		e->write_armed = true;
	}
	/* TCP's counter sees new data; other sockets need the wake-up. */
	new_rd = !e->read_seen || rd_sig != e->rd_sig || (!tcp && (edges & WSAC_EDGE_RD));
	if ((revents & POLLPRI) && new_rd)
		rec |= FD_OOB;
	if (type == SOCK_STREAM) {
		bool eof = revents & (POLLRDHUP | POLLHUP | POLLERR);

		queued = (revents & POLLIN) && (!eof || wsac_has_data(s));
		if (eof && !e->close_reported)
			rec |= FD_CLOSE;
	} else {
		queued = revents & POLLIN;
	}
	if (queued && new_rd)
		rec |= FD_READ;
	queued = (queued && (e->mask & FD_READ)) || ((revents & POLLPRI) && (e->mask & FD_OOB));

record:
	rec &= e->mask;
	if (rec & FD_CONNECT)
		e->conn_reported = true;
	if (rec & FD_WRITE) {
		e->write_armed = false;
		e->wr_sig = wr_sig;
	}
	if (rec & (FD_READ | FD_OOB | FD_ACCEPT)) {
		e->read_seen = true;
		e->rd_sig = rd_sig;
	}
	if (rec & FD_CLOSE) {
		e->close_reported = true;
		/*
		 * Not read from SO_ERROR: reading clears it, and the next
		 * recv() would then see a graceful end instead of the reset.
		 */
		if (revents & POLLERR)
			err[FD_CLOSE_BIT] = WSAECONNRESET;
	}
	for (bit = 0; bit < FD_MAX_EVENTS; bit++)
		if (rec & (1 << bit))
			e->errors[bit] = err[bit];
	fresh = rec & ~e->pending;
	e->pending |= rec;
	if (fresh && e->ev)
		wsac_event_set_locked(e->ev);
	wsac_recheck_set_locked(e, queued && e->ev && !(revents & POLLNVAL));
}

/* Evaluate @e's socket now (lock held), with the wake-ups @edges. */
void wsac_sock_eval_now_locked(struct wsac_sock *e, unsigned int edges)
{
	struct pollfd pfd = { .fd = e->fd, .events = WSAC_EVAL_EVENTS };
	int saved_errno = errno;

	if (poll(&pfd, 1, 0) < 0)
		pfd.revents = 0;
	errno = saved_errno;
	wsac_sock_eval_locked(e->fd, e, pfd.revents, edges);
}

/* Is @e still the socket it was made for?  If not, it is forgotten. */
static bool wsac_sock_live_locked(struct wsac_sock *e)
{
	struct stat st;
	int saved_errno = errno;
	bool live = fstat(e->fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    st.st_dev == e->dev && st.st_ino == e->ino;

	errno = saved_errno;
	if (!live) {
		wsac_unselect_locked(e);
		e->used = false;
	}
	return live;
}

static bool wsac_event_in(const struct wsac_event *ev, struct wsac_event *const *evs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (evs[i] == ev)
			return true;
	return false;
}

#define WSAC_DRAIN_BATCH	64

/*
 * Take the wake-ups @epfd has queued, mark each woken socket with @edge,
 * and evaluate them.  With @ev, only sockets selected onto @ev count (a
 * number reused behind the library's back may still be registered).
 */
static void wsac_drain_one_locked(int epfd, const struct wsac_event *ev, unsigned int edge)
{
	struct epoll_event got[WSAC_DRAIN_BATCH];
	int saved_errno = errno, n, i;

	if (epfd < 0)
		return;
	do {
		n = epoll_wait(epfd, got, WSAC_DRAIN_BATCH, 0);
		for (i = 0; i < n; i++) {
			struct wsac_sock *e = wsac_slot_locked(got[i].data.fd, false);

			if (!e || !e->used || !e->ev || (ev && e->ev != ev) ||
			    !wsac_sock_live_locked(e))
				continue;
			wsac_sock_eval_now_locked(e, edge);
		}
	} while (n == WSAC_DRAIN_BATCH);
	errno = saved_errno;
}

/**
 * wsac_sock_drain_locked() - evaluate the sockets woken since the last look
 * @evs: events
 * @n: how many
 *
 * The sockets of @evs that the kernel woke up (and any socket woken for
 * freed send space), and nothing else: idle sockets cost nothing.
 */
void wsac_sock_drain_locked(struct wsac_event *const *evs, size_t n)
{
	size_t i;

	wsac_drain_one_locked(wsac_wr_epoll, NULL, WSAC_EDGE_WR);
	for (i = 0; i < n; i++)
		wsac_drain_one_locked(wsac_event_epoll_locked(evs[i], false), evs[i],
				      WSAC_EDGE_RD);
}

/**
 * wsac_sock_recheck_locked() - the recheck list of @evs
 * @evs: events
 * @n: how many
 * @eval: evaluate them (else only say whether there are any)
 *
 * Return: whether sockets of @evs are on the recheck list (after the
 * evaluation, with @eval).
 */
bool wsac_sock_recheck_locked(struct wsac_event *const *evs, size_t n, bool eval)
{
	struct wsac_sock *e, *next;
	bool any = false;

	for (e = wsac_rechecks; e; e = next) {
		next = e->re_next;
		if (!wsac_event_in(e->ev, evs, n))
			continue;
		/* An evaluation moves @e alone on the list: @next stays. */
		if (eval && wsac_sock_live_locked(e))
			wsac_sock_eval_now_locked(e, 0);
		if (e->recheck)
			any = true;
	}
	return any;
}
