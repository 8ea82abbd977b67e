// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnect(): the module judges, the caller's own connect(2) connects.
 *
 * Checks run in the order of Documentation/library.rst.  The ones that
 * need no kernel state come first, so they work (and are tested) without
 * the module; every check before connect(2) leaves the socket untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "internal.h"

/* Winsock reports a name shorter than its family's address as WSAEFAULT. */
static size_t wsac_min_namelen(int family)
{
	switch (family) {
	case AF_INET:
		return sizeof(struct sockaddr_in);
	case AF_INET6:
		return sizeof(struct sockaddr_in6);
	case AF_UNIX:
		/* At least one byte of path (or the abstract NUL). */
		return offsetof(struct sockaddr_un, sun_path) + 1;
	default:
		/* Families the module refuses anyway: the generic sockaddr. */
		return sizeof(struct sockaddr);
	}
}

/* The caller's optional arguments, copied and checked for WSAEFAULT. */
struct wsac_extras {
	WSABUF caller;
	WSABUF callee;
	QOS sqos;
	bool has_caller, has_callee, has_sqos;
};

static int wsac_read_extras(struct wsac_extras *x, LPWSABUF caller,
			    LPWSABUF callee, LPQOS sqos)
{
	memset(x, 0, sizeof(*x));
	if (caller) {
		if (wsac_copy_from_caller(&x->caller, caller, sizeof(*caller)))
			return -EFAULT;
		x->has_caller = true;
	}
	if (callee) {
		/* Written on success: prove now that it can be. */
		if (wsac_copy_from_caller(&x->callee, callee, sizeof(*callee)) ||
		    wsac_copy_to_caller(&callee->len, &x->callee.len,
					sizeof(callee->len)))
			return -EFAULT;
		x->has_callee = true;
	}
	if (sqos) {
		if (wsac_copy_from_caller(&x->sqos, sqos, sizeof(*sqos)))
			return -EFAULT;
		x->has_sqos = true;
	}
	return 0;
}

/* "No user data came back": the only answer TCP/IP and UDP ever give. */
static void wsac_clear_callee(LPWSABUF callee)
{
	ULONG zero = 0;

	/* Checked writable before; a concurrent munmap is the caller's bug. */
	if (callee)
		(void)wsac_copy_to_caller(&callee->len, &zero, sizeof(zero));
}

/* The errno of a refused WSAC_IOC_CONNECT_CHECK request. */
static int wsac_check_failed(int err)
{
	switch (err) {
	case EBADF:
	case ENOTSOCK:
		return wsac_fail(WSAENOTSOCK, err);
	case EPROTONOSUPPORT:
		/* MPTCP, SCTP, raw, AF_UNIX datagram: not served by WSAConnect. */
		return wsac_fail(WSAEOPNOTSUPP, err);
	case EFAULT:
		return wsac_fail(WSAEFAULT, err);
	case ENOMEM:
		return wsac_fail(WSAENOBUFS, err);
	default:
		/* EINVAL, E2BIG, ENOTTY: this library and the module disagree. */
		return wsac_fail(WSASYSCALLFAILURE, err);
	}
}

/*
 * connect(2) says EADDRNOTAVAIL both when no ephemeral port is left and
 * when a socket bound to a port finds its 4-tuple taken; Winsock says
 * WSAENOBUFS and WSAEADDRINUSE.  The local port tells them apart: a
 * failed connect(2) leaves an unbound socket unbound.
 */
static int wsac_addrnotavail(SOCKET s, int family, int type)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);

	if (type != SOCK_STREAM || (family != AF_INET && family != AF_INET6))
		return WSAEADDRNOTAVAIL;
	if (getsockname(s, (struct sockaddr *)&local, &len) < 0)
		return WSAEADDRNOTAVAIL;
	/* sin_port and sin6_port share their offset. */
	return ((struct sockaddr_in *)&local)->sin_port ? WSAEADDRINUSE : WSAENOBUFS;
}

/* The Winsock code for connect(2)'s (or the verdict's) errno. */
static int wsac_connect_code(SOCKET s, const struct wsac_connect_check *req,
			     WORD version, int err)
{
	/* Winsock 1.1 programs poll with connect() and expect WSAEINVAL. */
	if (err == EALREADY && LOBYTE(version) == 1)
		return WSAEINVAL;
	if (err == EADDRNOTAVAIL && !req->verdict)
		return wsac_addrnotavail(s, req->family, req->type);
	return wsac_connect_errno_to_wsa(err);
}

/*
 * A failed nonblocking connect not yet reaped: Linux's next connect(2)
 * only reports the old error and resets the socket; Winsock starts a new
 * attempt.  Reap it first.  Return: true if that call already settled the
 * outcome (another thread raced us into a new attempt), with *rc set.
 */
static bool wsac_reap_failed(SOCKET s, const struct wsac_connect_check *req,
			     socklen_t len, int *rc)
{
	if (!connect(s, (const struct sockaddr *)req->addr, len)) {
		*rc = 0;
		return true;
	}
	switch (errno) {
	case EALREADY:
	case EINPROGRESS:
	case EISCONN:
		*rc = -1;
		return true;
	default:
		return false;
	}
}

/*
 * Linux's UDP disconnect also gives up a port the kernel chose, and the
 * source address it picked; Winsock keeps the socket bound.  Bind it again
 * to what it had (the wildcard address if the kernel had chosen one).
 */
static int wsac_disconnect(SOCKET s)
{
	static const struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct sockaddr_storage before, after;
	socklen_t blen = sizeof(before), alen = sizeof(after);

	if (getsockname(s, (struct sockaddr *)&before, &blen))
		return -1;
	if (connect(s, &unspec, sizeof(unspec)))
		return -1;
	if (getsockname(s, (struct sockaddr *)&after, &alen))
		return -1;
	/* sin_port and sin6_port share their offset. */
	if (((struct sockaddr_in *)&before)->sin_port == 0 ||
	    ((struct sockaddr_in *)&after)->sin_port != 0)
		return 0;
	((struct sockaddr_in *)&after)->sin_port =
		((struct sockaddr_in *)&before)->sin_port;
	return bind(s, (struct sockaddr *)&after, alen);
}

static bool wsac_nonblocking(SOCKET s);

/*
 * A Winsock 2 blocking connect ends only with its result (or the socket's
 * closing).  Linux's returns EINTR when a handler without SA_RESTART runs,
 * and EINPROGRESS once SO_SNDTIMEO expires, while the attempt goes on in
 * the background.  connect(2) again on the still blocking socket waits for
 * that same attempt (Linux answers EALREADY only after SO_SNDTIMEO again),
 * returns 0 once it is made, or its error after resetting the socket.
 */
int wsac_connect_to_the_end(SOCKET s, const struct wsac_connect_check *req,
			    socklen_t len)
{
	int rc;

	do
		rc = connect(s, (const struct sockaddr *)req->addr, len);
	while (rc < 0 && (errno == EINTR || errno == EALREADY || errno == EINPROGRESS) &&
	       !wsac_nonblocking(s));
	if (rc < 0 && errno == EISCONN)
		rc = 0;
	return rc;
}

static int wsac_do_connect(SOCKET s, const struct wsac_connect_check *req,
			   socklen_t len)
{
	int rc;

	if (req->action == WSAC_ACTION_DISCONNECT)
		return wsac_disconnect(s);
	if (req->state == WSAC_STATE_FAILED && wsac_reap_failed(s, req, len, &rc))
		return rc;
	rc = connect(s, (const struct sockaddr *)req->addr, len);
	if (rc < 0 && req->type == SOCK_STREAM && (errno == EINTR || errno == EINPROGRESS) &&
	    !wsac_nonblocking(s))
		rc = wsac_connect_to_the_end(s, req, len);
	return rc;
}

/* Winsock drops datagrams queued from others when the peer changes. */
static void wsac_purge(const struct wsac_session *ses, SOCKET s)
{
	struct wsac_dgram_purge purge;

	if (!(ses->features & WSAC_FEAT_DGRAM_PURGE))
		return;
	memset(&purge, 0, sizeof(purge));
	purge.size = sizeof(purge);
	purge.fd = s;
	/*
	 * Best effort: the connect(2) succeeded and cannot be undone; a purge
	 * fails only if another thread changed the socket meanwhile.
	 */
	(void)wsac_dev_ioctl(ses->devfd, WSAC_IOC_DGRAM_PURGE, &purge);
}

/**
 * wsac_connect_error_deferred() - does Winsock report @err later?
 * @err: connect(2)'s errno
 *
 * The outcome of the connection itself (refused, unreachable, timed out,
 * reset) reaches a nonblocking Winsock caller through FD_CONNECT, WSAPoll
 * and SO_ERROR, never from connect().  Argument and policy errors
 * (EACCES, EADDRNOTAVAIL, EAFNOSUPPORT, EINVAL...) stay synchronous.
 */
bool wsac_connect_error_deferred(int err)
{
	switch (err) {
	case ECONNREFUSED:
	case ENOENT:		/* AF_UNIX: refused */
	case ETIMEDOUT:
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ECONNRESET:
		return true;
	default:
		return false;
	}
}

/*
 * 6. QoS before the connection: lpSQOS goes through SIO_SET_QOS's sequence
 * with the name as its destination; without it, a QoS set earlier is
 * admitted on the device the name routes to.  A UDP disconnect ignores
 * lpSQOS; AF_UNIX has no QoS.  @flat is the flattening's result (0 or
 * -EINVAL).  Return: 0, or the WSA code to fail with, *@err set.
 */
static int wsac_connect_qos(const struct wsac_session *ses, SOCKET s,
			    const struct wsac_connect_check *req, socklen_t len,
			    struct wsac_qos *qos, int flat, int *err)
{
	int rc;

	if (req->action == WSAC_ACTION_DISCONNECT)
		return 0;
	if (req->family != AF_INET && req->family != AF_INET6) {
		if (!qos)
			return 0;
		*err = EOPNOTSUPP;
		wsac_qos_note("WSAConnect", WSAC_QOS_BAD_SOCKET, 0);
		return WSAEOPNOTSUPP;
	}
	if (qos) {
		if (flat) {
			*err = EINVAL;
			wsac_qos_note("WSAConnect", WSAC_QOS_BAD_OBJECT, 0);
			return WSAEINVAL;
		}
		qos->flags = WSAC_QOS_DEST;
		qos->addrlen = len;
		memcpy(qos->addr, req->addr, len);
		rc = wsac_qos_set(ses, s, qos, "WSAConnect", err);
		if (!rc)
			wsac_note_qos_change(s);	/* FD_QOS */
		return rc;
	}
	if (ses->features & WSAC_FEAT_QOS)
		return wsac_qos_admit(ses, s, req->addr, len, err);
	return 0;
}

/*
 * Caller data on a stream socket: TCP only, at most what one SYN carries,
 * readable, and an lpCalleeData with a length has a buffer.  Nothing has
 * touched the socket yet.  Return: 0 with *@data a copy, or the WSA code.
 */
static int wsac_take_caller_data(const struct wsac_connect_check *req,
				 const struct wsac_extras *x, char **data, int *err)
{
	if (req->family != AF_INET && req->family != AF_INET6) {
		*err = EOPNOTSUPP;
		return WSAEOPNOTSUPP;
	}
	if (x->caller.len > WSAC_CONNECT_DATA_MAX || !x->caller.buf ||
	    (x->has_callee && x->callee.len && !x->callee.buf)) {
		*err = EFAULT;
		return WSAEFAULT;
	}
	*data = malloc(x->caller.len);
	if (!*data) {
		*err = ENOMEM;
		return WSAENOBUFS;
	}
	if (wsac_copy_from_caller(*data, x->caller.buf, x->caller.len)) {
		free(*data);
		*data = NULL;
		*err = EFAULT;
		return WSAEFAULT;
	}
	return 0;
}

/* wsac_do_connect() with caller data; returns as wsac_connect_data(). */
static int wsac_do_connect_data(SOCKET s, const struct wsac_connect_check *req,
				socklen_t len, const char *data, size_t n,
				LPWSABUF user, const WSABUF *callee, int *err)
{
	int rc;

	if (req->state == WSAC_STATE_FAILED && wsac_reap_failed(s, req, len, &rc)) {
		/* Another thread's attempt won the race: ours sent nothing. */
		if (!rc)
			errno = EISCONN;
		return -1;
	}
	return wsac_connect_data(s, req, len, data, n, user, callee, err);
}

static bool wsac_nonblocking(SOCKET s)
{
	int saved_errno = errno, fl = fcntl(s, F_GETFL);

	errno = saved_errno;
	return fl >= 0 && (fl & O_NONBLOCK);
}

int wsac_connect(SOCKET s, const struct sockaddr *name, int namelen,
		 LPWSABUF caller, LPWSABUF callee, LPQOS sqos, LPQOS gqos)
{
	struct wsac_connect_check req;
	struct wsac_session ses;
	struct wsac_extras extras;
	struct wsac_qos qos;
	char *data = NULL;
	socklen_t optlen = sizeof(int), len;
	int family, err, rc, flat = 0;
	bool dgram;

	/* 2. A socket?  SO_DOMAIN answers that and names the family at once. */
	if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &optlen) < 0) {
		err = errno;
		return err == EBADF || err == ENOTSOCK ?
			wsac_fail(WSAENOTSOCK, err) : wsac_fail_errno(err);
	}

	/* 3. WSAEFAULT: the name, then the optional buffers. */
	if (!name || namelen < 0 || (size_t)namelen < wsac_min_namelen(family))
		return wsac_fail(WSAEFAULT, EFAULT);
	memset(&req, 0, sizeof(req));
	len = (size_t)namelen < sizeof(req.addr) ? (socklen_t)namelen : sizeof(req.addr);
	if (wsac_copy_from_caller(req.addr, name, len) ||
	    wsac_read_extras(&extras, caller, callee, sqos))
		return wsac_fail(WSAEFAULT, EFAULT);
	/* lpSQOS's objects: unreadable is WSAEFAULT now, malformed at step 6. */
	if (extras.has_sqos) {
		memset(&qos, 0, sizeof(qos));
		flat = wsac_qos_flatten(&extras.sqos, family, &qos);
		if (flat == -EFAULT)
			return wsac_fail(WSAEFAULT, EFAULT);
	}

	/* 4. Socket groups are reserved. */
	if (gqos)
		return wsac_fail(WSAEINVAL, EINVAL);

	/* 5. The module's verdict on this socket and name. */
	rc = wsac_session_get(&ses);
	if (rc)
		return wsac_fail(rc, 0);
	req.size = sizeof(req);
	req.fd = s;
	req.addrlen = (__u32)namelen;
	if (wsac_dev_ioctl(ses.devfd, WSAC_IOC_CONNECT_CHECK, &req) < 0) {
		err = errno;
		wsac_session_put();
		return wsac_check_failed(err);
	}
	dgram = req.type == SOCK_DGRAM;
	if (req.verdict < 0) {
		err = -req.verdict;
		rc = wsac_connect_code(s, &req, ses.version, err);
		goto fail;
	}

	/*
	 * 6. Connect data (Documentation/connect-data.rst): caller data rides
	 * in a TCP SYN; datagram sockets ignore it, as Winsock documents.
	 */
	if (!dgram && extras.has_caller && extras.caller.len) {
		rc = wsac_take_caller_data(&req, &extras, &data, &err);
		if (rc)
			goto fail;
	}
	rc = wsac_connect_qos(&ses, s, &req, len, extras.has_sqos ? &qos : NULL,
			      flat, &err);
	if (rc)
		goto fail;
	/* A stream connect may block for minutes: never hold the lock over it. */
	if (!dgram)
		wsac_session_put();

	/*
	 * 7. The caller's own connect(2): every LSM and cgroup hook applies.
	 * A connect starts a new attempt: the last one's error is forgotten.
	 */
	if (req.action == WSAC_ACTION_CONNECT) {
		int tfo_connect, tfo_no_cookie;

		/* Options a failed nonblocking attempt with caller data left. */
		if (wsac_sock_attempt(s, dgram ? NULL : &tfo_connect, &tfo_no_cookie))
			wsac_tfo_reset(s, tfo_connect, tfo_no_cookie);
	}
	if (data) {
		rc = wsac_do_connect_data(s, &req, len, data, extras.caller.len,
					  callee, &extras.callee, &err);
		err = errno;
		free(data);
		errno = err;
		if (rc > 0) {
			wsac_sock_attempt_done(s, err, rc);
			return wsac_fail(rc, err);
		}
		if (!rc) {
			wsac_sock_attempt_done(s, 0, 0);
			return 0;
		}
	}
	if (rc < 0 || wsac_do_connect(s, &req, len) < 0) {
		err = errno;
		rc = wsac_connect_code(s, &req, ses.version, err);
		if (dgram)
			wsac_session_put();
		if (req.action == WSAC_ACTION_CONNECT)
			wsac_sock_attempt_done(s, err, rc);
		/* Winsock: a nonblocking connect's outcome arrives later. */
		if (!dgram && wsac_connect_error_deferred(err) && wsac_nonblocking(s)) {
			rc = WSAEWOULDBLOCK;
			err = EINPROGRESS;
		}
		if (rc == WSAEWOULDBLOCK)
			wsac_clear_callee(callee);
		return wsac_fail(rc, err);
	}
	if (req.action == WSAC_ACTION_CONNECT)
		wsac_sock_attempt_done(s, 0, 0);
	if (dgram) {
		if (req.action == WSAC_ACTION_CONNECT)
			wsac_purge(&ses, s);
		wsac_session_put();
	}
	wsac_clear_callee(callee);
	return 0;

fail:
	free(data);
	wsac_session_put();
	return wsac_fail(rc, err);
}

WSAC_EXPORT int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name,
				  int namelen, LPWSABUF lpCallerData,
				  LPWSABUF lpCalleeData, LPQOS lpSQOS,
				  LPQOS lpGQOS)
{
	int saved_errno = errno, rc;

	/* 1. Before anything else, as Winsock does. */
	if (!wsac_started())
		return wsac_fail(WSANOTINITIALISED, 0);
	if (!wsac_call_enter())
		return wsac_fail(WSAEINPROGRESS, 0);
	rc = wsac_connect(s, name, namelen, lpCallerData, lpCalleeData,
			  lpSQOS, lpGQOS);
	wsac_call_leave();
	/* A success leaves errno, and so WSAGetLastError(), as it found them. */
	if (!rc)
		errno = saved_errno;
	return rc;
}
