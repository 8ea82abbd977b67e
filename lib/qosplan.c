// SPDX-License-Identifier: GPL-2.0
/*
 * Putting a QoS request in force: the module plans, the caller's own
 * setsockopt(2) applies (so LSM, cgroup-BPF and capability checks see
 * every option), the module records.
 *
 *   1. WSAC_IOC_QOS_SET without COMMIT: the verdict and the plan;
 *   2. snapshot of the options the plan touches (getsockopt);
 *   3. the plan, in its order: TCP_ULP, IP_TOS, IPV6_TCLASS, SO_PRIORITY
 *      (after IP_TOS, which resets it), SO_MAX_PACING_RATE, SO_RCVBUF;
 *   4. WSAC_IOC_QOS_SET with COMMIT, which checks again and records.
 *
 * A failure in 3 or 4 puts the snapshot back (the options applied, in the
 * same order), so the QoS the socket had stays in force.  Two things
 * cannot be undone: an attached TCP ULP stays (the module's ULP carries no
 * QoS until a COMMIT), and a restored SO_RCVBUF keeps TCP receive
 * autotuning off.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* The options a plan sets, and what the socket had before. */
struct wsac_qos_snapshot {
	unsigned int have;	/* WSAC_PLAN_* bits snapshotted */
	int tos, tclass, priority, rcvbuf;
	unsigned long pacing;	/* the kernel's own type for this option */
};

#define WSAC_PLAN_OPTS	(WSAC_PLAN_TOS | WSAC_PLAN_TCLASS | WSAC_PLAN_PRIORITY | \
			 WSAC_PLAN_PACING | WSAC_PLAN_RCVBUF)

static int wsac_getint(SOCKET s, int level, int name, int *v)
{
	socklen_t len = sizeof(*v);

	return getsockopt(s, level, name, v, &len);
}

static int wsac_setint(SOCKET s, int level, int name, int v)
{
	return setsockopt(s, level, name, &v, sizeof(v));
}

/* Setting IP_TOS resets SO_PRIORITY: snapshot the priority with it. */
static unsigned int wsac_snap_bits(unsigned int set)
{
	set &= WSAC_PLAN_OPTS;
	if (set & WSAC_PLAN_TOS)
		set |= WSAC_PLAN_PRIORITY;
	return set;
}

static int wsac_snapshot(SOCKET s, unsigned int set, struct wsac_qos_snapshot *snap)
{
	socklen_t len = sizeof(snap->pacing);

	memset(snap, 0, sizeof(*snap));
	set = wsac_snap_bits(set);
	if ((set & WSAC_PLAN_TOS) && wsac_getint(s, SOL_IP, IP_TOS, &snap->tos))
		return -1;
	if ((set & WSAC_PLAN_TCLASS) &&
	    wsac_getint(s, SOL_IPV6, IPV6_TCLASS, &snap->tclass))
		return -1;
	if ((set & WSAC_PLAN_PRIORITY) &&
	    wsac_getint(s, SOL_SOCKET, SO_PRIORITY, &snap->priority))
		return -1;
	if ((set & WSAC_PLAN_PACING) &&
	    getsockopt(s, SOL_SOCKET, SO_MAX_PACING_RATE, &snap->pacing, &len))
		return -1;
	/* getsockopt reports the doubled size; setsockopt doubles again. */
	if ((set & WSAC_PLAN_RCVBUF) &&
	    wsac_getint(s, SOL_SOCKET, SO_RCVBUF, &snap->rcvbuf))
		return -1;
	snap->rcvbuf /= 2;
	snap->have = set;
	return 0;
}

/* Put back the options in @applied (best effort: nothing to report to). */
static void wsac_restore(SOCKET s, const struct wsac_qos_snapshot *snap,
			 unsigned int applied)
{
	int saved_errno = errno;

	applied = wsac_snap_bits(applied) & snap->have;
	if (applied & WSAC_PLAN_TOS)
		(void)wsac_setint(s, SOL_IP, IP_TOS, snap->tos);
	if (applied & WSAC_PLAN_TCLASS)
		(void)wsac_setint(s, SOL_IPV6, IPV6_TCLASS, snap->tclass);
	if (applied & WSAC_PLAN_PRIORITY)
		(void)wsac_setint(s, SOL_SOCKET, SO_PRIORITY, snap->priority);
	if (applied & WSAC_PLAN_PACING)
		(void)setsockopt(s, SOL_SOCKET, SO_MAX_PACING_RATE, &snap->pacing,
				 sizeof(snap->pacing));
	if (applied & WSAC_PLAN_RCVBUF)
		(void)wsac_setint(s, SOL_SOCKET, SO_RCVBUF, snap->rcvbuf);
	errno = saved_errno;
}

/* TCP_ULP: EEXIST is fine when the ULP there is already ours. */
static int wsac_attach_ulp(SOCKET s)
{
	char name[16] = "";
	socklen_t len = sizeof(name);
	int err;

	if (!setsockopt(s, SOL_TCP, TCP_ULP, WSAC_TCP_ULP_NAME,
			sizeof(WSAC_TCP_ULP_NAME) - 1))
		return 0;
	err = errno;
	if (err == EEXIST && !getsockopt(s, SOL_TCP, TCP_ULP, name, &len) &&
	    strncmp(name, WSAC_TCP_ULP_NAME, sizeof(name)) == 0)
		return 0;
	errno = err;
	return -1;
}

/* SO_MAX_PACING_RATE takes an unsigned long: 32 bits on a 32-bit ABI. */
static unsigned long wsac_pacing_arg(__u64 rate)
{
	if (rate == ~(__u64)0)
		return ~0UL;
	if (rate >= (__u64)~0UL)
		return ~0UL - 1;
	return (unsigned long)rate;
}

/*
 * Apply @plan in its order.  Return: 0, or -1 with errno and *@what set;
 * *@applied says which options were set (to be restored).
 */
static int wsac_apply(SOCKET s, const struct wsac_qos_plan *plan,
		      unsigned int *applied, const char **what)
{
	unsigned long pacing = wsac_pacing_arg(plan->pacing_rate);

	*applied = 0;
	*what = "TCP_ULP";
	if ((plan->set & WSAC_PLAN_ULP) && wsac_attach_ulp(s))
		return -1;
	*what = "IP_TOS";
	if ((plan->set & WSAC_PLAN_TOS) &&
	    wsac_setint(s, SOL_IP, IP_TOS, (int)plan->tos))
		return -1;
	*applied |= plan->set & WSAC_PLAN_TOS;
	*what = "IPV6_TCLASS";
	if ((plan->set & WSAC_PLAN_TCLASS) &&
	    wsac_setint(s, SOL_IPV6, IPV6_TCLASS, (int)plan->tclass))
		return -1;
	*applied |= plan->set & WSAC_PLAN_TCLASS;
	*what = "SO_PRIORITY";
	if ((plan->set & WSAC_PLAN_PRIORITY) &&
	    wsac_setint(s, SOL_SOCKET, SO_PRIORITY, (int)plan->priority))
		return -1;
	*applied |= plan->set & WSAC_PLAN_PRIORITY;
	*what = "SO_MAX_PACING_RATE";
	if ((plan->set & WSAC_PLAN_PACING) &&
	    setsockopt(s, SOL_SOCKET, SO_MAX_PACING_RATE, &pacing, sizeof(pacing)))
		return -1;
	*applied |= plan->set & WSAC_PLAN_PACING;
	*what = "SO_RCVBUF";
	if ((plan->set & WSAC_PLAN_RCVBUF) &&
	    wsac_setint(s, SOL_SOCKET, SO_RCVBUF, (int)plan->rcvbuf))
		return -1;
	*applied |= plan->set & WSAC_PLAN_RCVBUF;
	return 0;
}

/* The Winsock code for a QoS verdict (a negative errno). */
static int wsac_verdict_code(int verdict)
{
	switch (-verdict) {
	case EINVAL:
		return WSAEINVAL;
	case EOPNOTSUPP:
		return WSAEOPNOTSUPP;
	case EFAULT:
		return WSAEFAULT;
	case EAFNOSUPPORT:
		return WSAEAFNOSUPPORT;
	default:
		return wsac_errno_to_wsa(-verdict);
	}
}

/* The Winsock code for a failed QoS ioctl. */
static int wsac_ioctl_code(const char *call, int err)
{
	switch (err) {
	case ENOTTY:
		wsac_qos_note_text(call, WSAC_QOS_OK, "the wsaconnect module is too "
				   "old for QoS: load a newer module");
		return WSAEOPNOTSUPP;
	case EBADF:
	case ENOTSOCK:
		return WSAENOTSOCK;
	case EPROTONOSUPPORT:
		wsac_qos_note(call, WSAC_QOS_BAD_SOCKET, 0);
		return WSAEOPNOTSUPP;
	case EFAULT:
		return WSAEFAULT;
	case ENOMEM:
		return WSAENOBUFS;
	default:
		/* EINVAL, E2BIG: this library and the module disagree. */
		return WSASYSCALLFAILURE;
	}
}

/* QoS needs a module that serves it. */
static int wsac_need_qos(const struct wsac_session *ses, const char *call, int *err)
{
	if (ses->features & WSAC_FEAT_QOS)
		return 0;
	*err = EOPNOTSUPP;
	return wsac_ioctl_code(call, ENOTTY);
}

/* One QOS_SET round trip on a copy of @req.  Return: 0 or a WSA code. */
static int wsac_set_call(const struct wsac_session *ses, const struct wsac_qos *req,
			 __u32 flags, struct wsac_qos *rep, const char *call, int *err)
{
	*rep = *req;
	rep->flags |= flags;
	if (wsac_dev_ioctl(ses->devfd, WSAC_IOC_QOS_SET, rep) < 0) {
		*err = errno;
		return wsac_ioctl_code(call, *err);
	}
	if (rep->verdict < 0) {
		*err = -rep->verdict;
		wsac_qos_note(call, rep->reason, rep->effective.ifindex);
		return wsac_verdict_code(rep->verdict);
	}
	return 0;
}

/**
 * wsac_qos_set() - put a flattened QoS request in force on @s
 * @ses: the session (its device)
 * @s: the socket
 * @req: the request, with @sending, @receiving, @objects and, for
 *	WSAConnect, WSAC_QOS_DEST and @addr; @size and @fd are set here
 * @call: the Winsock call, for messages
 * @err: set to the errno to leave behind on failure
 *
 * Return: 0, or the WSA code to fail with (nothing changed on the socket,
 * bar the two exceptions in the file comment).
 */
int wsac_qos_set(const struct wsac_session *ses, SOCKET s,
		 const struct wsac_qos *req, const char *call, int *err)
{
	struct wsac_qos q = *req, rep;
	struct wsac_qos_snapshot snap;
	unsigned int applied = 0;
	const char *what;
	char text[96];
	int rc;

	wsac_qos_reason_clear();
	rc = wsac_need_qos(ses, call, err);
	if (rc)
		return rc;
	q.size = sizeof(q);
	q.fd = s;
	q.flags &= ~(__u32)WSAC_QOS_COMMIT;

	/* 1. The dry run: verdict and plan. */
	rc = wsac_set_call(ses, &q, 0, &rep, call, err);
	if (rc)
		return rc;
	/* 2. What the socket has now. */
	if (wsac_snapshot(s, rep.plan.set, &snap)) {
		*err = errno;
		return wsac_errno_to_wsa(*err);
	}
	/* 3. The plan, through the caller's own setsockopt(2). */
	if (wsac_apply(s, &rep.plan, &applied, &what)) {
		*err = errno;
		wsac_restore(s, &snap, applied);
		snprintf(text, sizeof(text), "setsockopt(%s) refused: %s", what,
			 strerror(*err));
		wsac_qos_note_text(call, WSAC_QOS_OK, text);
		if (*err == EBADF || *err == ENOTSOCK)
			return WSAENOTSOCK;
		if (*err == ENOMEM || *err == ENOBUFS)
			return WSAENOBUFS;
		/* EPERM, EACCES, EEXIST (kTLS has the ULP)...: not enforceable. */
		return WSAEOPNOTSUPP;
	}
	/* 4. The module checks again and records. */
	rc = wsac_set_call(ses, &q, WSAC_QOS_COMMIT, &rep, call, err);
	if (rc)
		wsac_restore(s, &snap, applied);
	return rc;
}

/**
 * wsac_qos_get() - the QoS the module recorded for @s
 * @ses: the session
 * @s: the socket
 * @rep: the reply
 * @call: the Winsock call, for messages
 * @err: set to the errno to leave behind on failure
 *
 * Return: 0, or the WSA code to fail with.
 */
int wsac_qos_get(const struct wsac_session *ses, SOCKET s,
		 struct wsac_qos *rep, const char *call, int *err)
{
	int rc;

	wsac_qos_reason_clear();
	rc = wsac_need_qos(ses, call, err);
	if (rc)
		return rc;
	memset(rep, 0, sizeof(*rep));
	rep->size = sizeof(*rep);
	rep->fd = s;
	if (wsac_dev_ioctl(ses->devfd, WSAC_IOC_QOS_GET, rep) < 0) {
		*err = errno;
		return wsac_ioctl_code(call, *err);
	}
	if (rep->verdict < 0) {
		*err = -rep->verdict;
		wsac_qos_note(call, rep->reason, rep->effective.ifindex);
		return wsac_verdict_code(rep->verdict);
	}
	return 0;
}

/**
 * wsac_qos_admit() - the egress checks of @s's QoS before connect(2)
 * @ses: the session; its module serves WSAC_FEAT_QOS
 * @s: a TCP or UDP socket
 * @addr: the name connect(2) will get
 * @addrlen: its length, at most %WSAC_ADDR_MAX
 * @err: set to the errno to leave behind on failure
 *
 * A socket without QoS passes without side effect.
 *
 * Return: 0, or the WSA code WSAConnect fails with (WSAEOPNOTSUPP).
 */
int wsac_qos_admit(const struct wsac_session *ses, SOCKET s,
		   const void *addr, socklen_t addrlen, int *err)
{
	struct wsac_qos_admit req;

	wsac_qos_reason_clear();
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.fd = s;
	req.addrlen = addrlen < sizeof(req.addr) ? addrlen : sizeof(req.addr);
	memcpy(req.addr, addr, req.addrlen);
	if (wsac_dev_ioctl(ses->devfd, WSAC_IOC_QOS_ADMIT, &req) < 0) {
		*err = errno;
		return wsac_ioctl_code("WSAConnect", *err);
	}
	if (req.verdict < 0) {
		*err = -req.verdict;
		wsac_qos_note("WSAConnect", req.reason, req.ifindex);
		return wsac_verdict_code(req.verdict);
	}
	return 0;
}
