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
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * Bumped by every library call that changes what an evaluation depends on
 * (an association, a connect attempt, a record read, a close): a wait then
 * evaluates its sockets fully again.
 */
static unsigned long wsac_state_gen = 1;

void wsac_state_changed_locked(void)
{
	wsac_state_gen++;
	wsac_wake_waiters_locked();
}

/* A socket whose poll(2) answer, and nothing else, has not changed: */
#define WSAC_FULL_EVAL_MS	1000

/**
 * wsac_sock_wait_eval_locked() - a wait round's evaluation of @s
 * @s: a socket selected onto an event the round waits for
 * @revents: poll(2)'s answer for it, just now
 * @now_ms: CLOCK_MONOTONIC in ms
 *
 * A full evaluation costs about seven system calls.  An idle socket (same
 * @revents as at its last full evaluation in a wait, no library call
 * changed anything since) is fully evaluated again only after
 * WSAC_FULL_EVAL_MS, for what poll(2) cannot show (a partial read, data
 * sent): so 10,000 idle sockets do not cost 70,000 system calls per
 * round.  Return: the events to wait for, as wsac_sock_eval_locked().
 */
short wsac_sock_wait_eval_locked(SOCKET s, short revents, long long now_ms)
{
	struct wsac_sock *e = wsac_slot_locked(s, false);

	if (e && e->used && e->eval_gen == wsac_state_gen && e->last_revents == revents &&
	    now_ms - e->eval_ms < WSAC_FULL_EVAL_MS)
		return e->last_interest;
	e = wsac_sock_get_locked(s, false);
	if (!e)
		return 0;
	e->last_interest = wsac_sock_eval_locked(s, e, revents);
	e->last_revents = revents;
	e->eval_gen = wsac_state_gen;
	e->eval_ms = now_ms;
	return e->last_interest;
}

static void wsac_unselect_locked(struct wsac_sock *e)
{
	if (!e->ev)
		return;
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

/* Associate @e with @ev (NULL: disassociate), keeping wsac_selected. */
void wsac_sock_select_locked(struct wsac_sock *e, struct wsac_event *ev, LONG mask)
{
	wsac_state_changed_locked();
	wsac_unselect_locked(e);
	if (!ev)
		return;
	e->ev = ev;
	e->mask = mask;
	e->sel_prev = NULL;
	e->sel_next = wsac_selected;
	if (wsac_selected)
		wsac_selected->sel_prev = e;
	wsac_selected = e;
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
	wsac_state_changed_locked();
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
	wsac_state_changed_locked();
}

/* WSAConnect is about to call connect(2): a new attempt, a clean slate. */
void wsac_sock_attempt(SOCKET s)
{
	struct wsac_sock *e;

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
	}
	wsac_state_changed_locked();
	wsac_state_unlock();
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
	}
	wsac_state_changed_locked();
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
 * Edge-like FD_READ and FD_WRITE without seeing recv() and send().
 *
 * Winsock re-enables FD_READ with recv() and FD_WRITE with a send() that
 * failed with WSAEWOULDBLOCK.  The library sees neither, so it compares
 * what the socket shows now with what it showed when the event was last
 * recorded.  FD_READ: the queued bytes and, for TCP, the bytes received
 * so far; unchanged means the program neither read nor got more, and a
 * wait does not wake again for data it left unread.  FD_WRITE: for TCP the
 * bytes the program has written so far (acknowledged plus queued); any
 * change means it sent, perhaps until WSAEWOULDBLOCK, so FD_WRITE comes
 * again once writable (spurious ones are harmless, missed ones hang
 * programs); for other sockets, the bytes in the send queue (a change
 * means a send or the peer reading).
 */
static void wsac_io_signature(SOCKET s, struct wsac_sock *e, uint64_t *rd, uint64_t *wr,
			      bool *tcp)
{
	uint64_t acked = 0, received = 0;
	uint64_t inq = (uint64_t)wsac_ioctl_int(s, FIONREAD);
	uint64_t outq = (uint64_t)wsac_ioctl_int(s, TIOCOUTQ);

	(void)e;
	*tcp = wsac_tcp_counters(s, &acked, &received);
	*rd = (received << 24) ^ inq;
	*wr = *tcp ? acked + outq : outq;
}

/**
 * wsac_sock_eval_locked() - record the network events @revents show
 * @s: the socket
 * @e: its entry
 * @revents: poll(2)'s answer for WSAC_EVAL_EVENTS, polled just now
 *
 * Records, within the selected mask, the events Winsock would have
 * recorded by now, and signals the associated event for new ones.
 * FD_CONNECT and FD_CLOSE are one-shot; FD_WRITE is recorded after a
 * connect and again once the program may have met WSAEWOULDBLOCK, FD_READ
 * when data is queued that was not reported yet (see
 * wsac_io_signature()); FD_OOB and FD_ACCEPT whenever their condition
 * holds.
 *
 * Return: the poll(2) events that could bring a new record, to wait for;
 * 0 if none can (the caller then leaves @s out of a blocking poll).
 */
short wsac_sock_eval_locked(SOCKET s, struct wsac_sock *e, short revents)
{
	int type = wsac_sockopt_int(s, SO_TYPE);
	int err[FD_MAX_EVENTS] = { 0 };
	short cand = 0, interest;
	LONG rec = 0, fresh;
	uint64_t rd_sig = 0, wr_sig = 0;
	bool connected, tcp = false;
	int bit;

	wsac_settle_locked(s, e, revents);
	if (revents & POLLNVAL)
		return 0;
	if (type == SOCK_STREAM && wsac_sockopt_int(s, SO_ACCEPTCONN) == 1) {
		if (revents & POLLIN)
			rec |= FD_ACCEPT;
		if (e->mask & FD_ACCEPT)
			cand = POLLIN;
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
	if (e->connecting) {
		cand = POLLOUT;		/* completion shows as POLLOUT or POLLERR */
		goto record;
	}
	if (type == SOCK_STREAM && !e->was_connected)
		goto record;		/* an idle stream socket */

	wsac_io_signature(s, e, &rd_sig, &wr_sig, &tcp);
	if (wr_sig != e->wr_sig)
		e->write_armed = true;	/* the program sent since FD_WRITE */
	if (revents & POLLOUT) {
		if (e->write_armed)
			rec |= FD_WRITE;
	} else {
		e->write_armed = true;
	}
	if (revents & POLLPRI)
		rec |= FD_OOB;
	if (type == SOCK_STREAM) {
		bool eof = revents & (POLLRDHUP | POLLHUP | POLLERR);

		if ((revents & POLLIN) && (!eof || wsac_has_data(s)) &&
		    (!tcp || !e->read_seen || rd_sig != e->rd_sig))
			rec |= FD_READ;
		if (eof && !e->close_reported)
			rec |= FD_CLOSE;
		if (e->mask & (FD_READ | FD_CLOSE))
			cand |= POLLIN | POLLRDHUP;
	} else {
		if (revents & POLLIN)
			rec |= FD_READ;
		if (e->mask & FD_READ)
			cand |= POLLIN;
	}
	if ((e->mask & FD_WRITE) && e->write_armed)
		cand |= POLLOUT;
	if (e->mask & FD_OOB)
		cand |= POLLPRI;

record:
	rec &= e->mask;
	if (rec & FD_CONNECT)
		e->conn_reported = true;
	if (rec & FD_WRITE) {
		e->write_armed = false;
		e->wr_sig = wr_sig;
	}
	if (rec & FD_READ) {
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

	/*
	 * Wait only for what is not true now: a condition that holds was
	 * recorded above or cannot be; POLLHUP and POLLERR cannot be masked,
	 * so a socket showing them is left out.
	 */
	interest = cand & ~revents;
	if (revents & (POLLHUP | POLLERR))
		interest = 0;
	return interest;
}

/**
 * wsac_sock_collect_locked() - the sockets selected onto any of @evs
 * @evs: events
 * @n: how many
 * @count: set to the number of sockets returned
 *
 * Return: a malloc'ed array of descriptors (NULL if none or no memory).
 */
int *wsac_sock_collect_locked(struct wsac_event *const *evs, size_t n, size_t *count)
{
	struct wsac_sock *e;
	size_t j, k = 0;
	int *fds = NULL;

	*count = 0;
	for (e = wsac_selected; e; e = e->sel_next) {
		if (!e->used || !e->mask)
			continue;
		for (j = 0; j < n; j++)
			if (evs[j] == e->ev)
				break;
		if (j == n)
			continue;
		if (!(k & (k + 1)) || !fds) {
			int *t = realloc(fds, (k + 1) * 2 * sizeof(*t));

			if (!t)
				break;
			fds = t;
		}
		fds[k++] = e->fd;
	}
	*count = k;
	return fds;
}
