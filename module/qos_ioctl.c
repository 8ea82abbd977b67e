// SPDX-License-Identifier: GPL-2.0
/*
 * WSAC_IOC_QOS_SET, _GET and _ADMIT: the QoS commands of /dev/wsaconnect.
 *
 * SET never changes a socket option.  It answers with the options the
 * library sets with its own setsockopt(2), so the caller's LSM and
 * cgroup-BPF setsockopt hooks and capability checks decide them; the
 * committing SET then records the QoS and reserves admission.  Everything
 * is decided under the socket lock, against the QoS the socket carries.
 */
#include <linux/capability.h>
#include <linux/net.h>
#include <linux/pkt_sched.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/inet_ecn.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "qos.h"
#include "uaccess.h"

static int wsac_qos_sock(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return -EPROTONOSUPPORT;
	if (sock->type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP)
		return 0;
	if (sock->type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP)
		return 0;
	return -EPROTONOSUPPORT;
}

/* The TCP or UDP socket behind @fd, or NULL with *@err set. */
static struct socket *wsac_qos_sockfd(int fd, int *err)
{
	struct socket *sock = sockfd_lookup(fd, err);

	if (!sock)
		return NULL;
	*err = wsac_qos_sock(sock);
	if (*err) {
		sockfd_put(sock);
		return NULL;
	}
	return sock;
}

static void wsac_qos_fill_effective(struct sock *sk,
				    const struct wsac_qos_state *st,
				    struct wsac_qos_effective *e, u32 *status)
{
	unsigned long rate = READ_ONCE(sk->sk_max_pacing_rate);

	memset(e, 0, sizeof(*e));
	e->pacing_rate = rate == ~0UL ? U64_MAX : rate;
	e->tos = READ_ONCE(inet_sk(sk)->tos);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		e->tclass = READ_ONCE(inet6_sk(sk)->tclass);
#endif
	e->priority = READ_ONCE(sk->sk_priority);
	e->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	*status = 0;
	if (!st || !st->set)
		return;
	*status |= WSAC_QOS_ST_SET;
	e->ifindex = st->ifindex;
	e->pacing = st->pacing;
	if (st->held)
		e->admitted_rate = st->reserved;
	if (st->admitted)
		*status |= WSAC_QOS_ST_ADMITTED;
	else
		*status |= WSAC_QOS_ST_PENDING;
}

static void wsac_qos_plan(struct sock *sk, const struct wsac_qos_policy *pol,
			  bool has_ulp, struct wsac_qos_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	if (sk->sk_protocol == IPPROTO_TCP && !has_ulp)
		plan->set |= WSAC_PLAN_ULP;
	if (pol->has_send) {
		plan->set |= WSAC_PLAN_TOS | WSAC_PLAN_PRIORITY | WSAC_PLAN_PACING;
		if (sk->sk_family == AF_INET6)
			plan->set |= WSAC_PLAN_TCLASS;
		plan->tos = pol->tos;
		plan->tclass = pol->tos;
		plan->priority = pol->priority;
		plan->pacing_rate = pol->pacing_rate;
	}
	if (pol->has_recv && pol->rcvbuf) {
		plan->set |= WSAC_PLAN_RCVBUF;
		plan->rcvbuf = pol->rcvbuf;
	}
}

/*
 * Whether a destination the caller names suits the socket: an AF_INET
 * socket takes AF_INET addresses only, an AF_INET6 socket AF_INET6 ones
 * (v4-mapped included), as connect(2) on the socket would.  AF_UNSPEC
 * names no destination.  The egress checks route with the socket, so an
 * IPv6 route for an AF_INET socket must never be looked up.
 *
 * Return: 0, -EAFNOSUPPORT for another family, -EFAULT for an address
 * shorter than its family's sockaddr.
 */
static int wsac_qos_addr_check(const struct sock *sk, const void *addr,
			       u32 len)
{
	sa_family_t family;

	if (len < sizeof(family))
		return -EFAULT;
	memcpy(&family, addr, sizeof(family));
	if (family == AF_UNSPEC)
		return 0;
	if (family != sk->sk_family)
		return -EAFNOSUPPORT;
	if (len < (family == AF_INET ? sizeof(struct sockaddr_in) :
				       sizeof(struct sockaddr_in6)))
		return -EFAULT;
	return 0;
}

/* Where the egress checks look: @addr, a DESTADDR object, or the peer. */
static const struct sockaddr *wsac_qos_dest(const struct wsac_qos *req,
					    const struct wsac_qos_policy *pol,
					    u32 *len, bool *known)
{
	*known = true;
	if (req->flags & WSAC_QOS_DEST) {
		*len = req->addrlen;
		return (const struct sockaddr *)req->addr;
	}
	if (pol->destlen) {
		*len = pol->destlen;
		return (const struct sockaddr *)&pol->dest;
	}
	*len = 0;
	*known = false;
	return NULL;
}

/* The peer of a connected (or connecting) socket, as a sockaddr. */
static bool wsac_qos_peer(struct sock *sk, struct sockaddr_storage *ss,
			  u32 *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return false;
	memset(ss, 0, sizeof(*ss));
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = inet_sk(sk)->inet_dport;
		sin6->sin6_addr = sk->sk_v6_daddr;
		sin6->sin6_scope_id = sk->sk_bound_dev_if;
		*len = sizeof(*sin6);
		return true;
	}
#endif
	sin->sin_family = AF_INET;
	sin->sin_port = inet_sk(sk)->inet_dport;
	sin->sin_addr.s_addr = inet_sk(sk)->inet_daddr;
	*len = sizeof(*sin);
	return true;
}

/*
 * Whether the socket has the options @plan asks for: a commit records, and
 * reserves capacity for, only a QoS the library really put in force with
 * its setsockopt(2) calls (which a cgroup-BPF hook may have refused or
 * rewritten).  The ECN bits of the TOS and traffic class belong to the
 * stack, and SO_RCVBUF is doubled and clamped, so neither is compared.
 */
static bool wsac_qos_plan_in_force(struct sock *sk,
				   const struct wsac_qos_plan *plan)
{
	unsigned long rate = READ_ONCE(sk->sk_max_pacing_rate);

	if ((plan->set & WSAC_PLAN_TOS) &&
	    ((READ_ONCE(inet_sk(sk)->tos) ^ plan->tos) & ~INET_ECN_MASK))
		return false;
#if IS_ENABLED(CONFIG_IPV6)
	if ((plan->set & WSAC_PLAN_TCLASS) && sk->sk_family == AF_INET6 &&
	    ((READ_ONCE(inet6_sk(sk)->tclass) ^ plan->tclass) & ~INET_ECN_MASK))
		return false;
#endif
	if ((plan->set & WSAC_PLAN_PRIORITY) &&
	    READ_ONCE(sk->sk_priority) != plan->priority)
		return false;
	if (plan->set & WSAC_PLAN_PACING) {
		if (plan->pacing_rate == WSAC_RATE_NONE)
			return rate == ~0UL;
		return rate == plan->pacing_rate;
	}
	return true;
}

/*
 * Who a reservation of @sk is charged to: its owner now (sk_uid, which
 * fchown(2) changes; the state remembers the owner it charged).  A caller
 * with CAP_NET_ADMIN over the socket's namespace, who could give itself
 * any capacity anyway, is not bounded by the per-user share.  Probed
 * without an audit record, as a refusal is an answer, not an event.
 * sk_uid is read directly: fchown(2) writes it without a lock on every
 * kernel, and sock_i_uid() is gone from 7.x (its sk_uid() is this read).
 */
static void wsac_qos_adm_req(struct sock *sk, int ifindex,
			     struct wsac_adm_req *adm)
{
	memset(adm, 0, sizeof(*adm));
	adm->ifindex = ifindex;
	adm->uid = READ_ONCE(sk->sk_uid);
	adm->exempt = ns_capable_noaudit(sock_net(sk)->user_ns, CAP_NET_ADMIN);
}

/*
 * Egress checks for a policy on a device: a UDP rate needs fq, a
 * Guaranteed rate needs admission.  With @st->held the socket's current
 * reservation counts as free.
 */
static int wsac_qos_check_egress(struct sock *sk, const struct wsac_qos_state *st,
				 u64 pacing_rate, u64 admit_rate,
				 struct wsac_adm_req *adm, u32 pacing,
				 bool commit, u32 *reason)
{
	int err;

	if (!adm->ifindex)
		return 0;
	if (sk->sk_protocol == IPPROTO_UDP && pacing_rate != WSAC_RATE_NONE &&
	    pacing != WSAC_PACING_FQ) {
		*reason = WSAC_QOS_NO_FQ;
		return -EOPNOTSUPP;
	}
	if (!admit_rate)
		return 0;
	adm->rate = admit_rate;
	adm->credit = 0;
	if (st && st->held && st->ifindex == adm->ifindex) {
		adm->credit = st->reserved;
		adm->credit_uid = st->uid;
	}
	err = wsac_adm_reserve(sock_net(sk), adm, commit);
	if (err == -EOPNOTSUPP)
		*reason = WSAC_QOS_ADMISSION;
	if (err == -EDQUOT) {
		*reason = WSAC_QOS_USER_SHARE;
		err = -EOPNOTSUPP;
	}
	return err;
}

/*
 * The rule sk_setsockopt() applies to SO_PRIORITY above TC_PRIO_INTERACTIVE
 * (6.1 and 6.12 alike): CAP_NET_RAW or CAP_NET_ADMIN in the user namespace
 * owning the socket's network namespace.  The library's setsockopt(2)
 * makes the real, audited check; this probe only predicts it, so a
 * refusal leaves no audit record.
 */
static bool wsac_qos_prio_allowed(const struct sock *sk)
{
	struct user_namespace *ns = sock_net(sk)->user_ns;

	return ns_capable_noaudit(ns, CAP_NET_RAW) ||
	       ns_capable_noaudit(ns, CAP_NET_ADMIN);
}

static int wsac_qos_set_locked(struct socket *sock, struct wsac_qos *req)
{
	struct sock *sk = sock->sk;
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct wsac_qos_policy *pol;
	struct wsac_qos_state *st;
	const struct sockaddr *dest;
	bool commit = req->flags & WSAC_QOS_COMMIT;
	struct sockaddr_storage peer;
	struct wsac_adm_req adm;
	u8 *objects = NULL;
	u32 destlen, pacing;
	int ifindex, err;
	bool known;

	st = wsac_qos_state_get(sk);
	if (sk->sk_protocol == IPPROTO_TCP && icsk->icsk_ulp_ops &&
	    !wsac_qos_ulp_attached(sk)) {
		/* kTLS or another upper layer owns the socket. */
		req->reason = WSAC_QOS_BAD_SOCKET;
		return -EOPNOTSUPP;
	}

	pol = kmalloc(sizeof(*pol), GFP_KERNEL);
	if (!pol)
		return -ENOMEM;
	err = wsac_qos_policy(req, sk->sk_family, st, pol, &req->reason);
	if (err)
		goto out;
	if (pol->has_send && pol->priority > TC_PRIO_INTERACTIVE &&
	    !wsac_qos_prio_allowed(sk)) {
		req->reason = WSAC_QOS_NETCTL_CAP;
		err = -EOPNOTSUPP;
		goto out;
	}
	wsac_qos_plan(sk, pol, wsac_qos_ulp_attached(sk), &req->plan);

	if (req->flags & WSAC_QOS_DEST) {
		err = wsac_qos_addr_check(sk, req->addr, req->addrlen);
		if (err) {
			req->reason = WSAC_QOS_BAD_ADDRESS;
			goto out;
		}
	}
	/*
	 * A connected socket's traffic goes to its peer: the checks, and
	 * the reservation, follow the peer whatever @addr or a DESTADDR
	 * object name, so that capacity is only held where the socket
	 * sends.  Not the cached route: the new TOS the library sets
	 * between check and commit resets it.
	 */
	if (wsac_qos_peer(sk, &peer, &destlen)) {
		dest = (const struct sockaddr *)&peer;
		known = true;
	} else {
		dest = wsac_qos_dest(req, pol, &destlen, &known);
		if (known && dest->sa_family == AF_UNSPEC)
			known = false;
	}
	ifindex = 0;
	pacing = WSAC_PACING_NONE;
	if (known) {
		err = wsac_qos_egress(sk, dest, destlen, pol->tos, &ifindex,
				      &pacing);
		if (err)
			goto out;
	}
	/* A refusal names the device it happened on. */
	req->effective.ifindex = ifindex;
	req->effective.pacing = pacing;
	wsac_qos_adm_req(sk, ifindex, &adm);
	err = wsac_qos_check_egress(sk, st, pol->pacing_rate, pol->admit_rate,
				    &adm, pacing, false, &req->reason);
	if (err || !commit)
		goto out;
	if (!wsac_qos_plan_in_force(sk, &req->plan)) {
		req->reason = WSAC_QOS_NOT_IN_FORCE;
		err = -EOPNOTSUPP;
		goto out;
	}

	if (pol->objects_len) {
		objects = kmemdup(req->objects, pol->objects_len,
				  GFP_KERNEL_ACCOUNT);
		if (!objects) {
			err = -ENOMEM;
			goto out;
		}
	}
	err = wsac_qos_state_attach(sock, &st);
	if (err == -ENOPROTOOPT) {
		req->reason = WSAC_QOS_BAD_SOCKET;
		err = -EOPNOTSUPP;
	}
	if (err)
		goto out;
	err = wsac_qos_check_egress(sk, st, pol->pacing_rate, pol->admit_rate,
				    &adm, pacing, true, &req->reason);
	if (err) {
		wsac_qos_state_abandon(sk, st);
		goto out;
	}
	wsac_qos_state_record(sk, st, pol, objects, &adm, pacing);
	objects = NULL;
out:
	kfree(objects);
	kfree(pol);
	return err;
}

static struct wsac_qos *wsac_qos_copy_in(void __user *arg, u32 *usize)
{
	struct wsac_qos *req;
	int err;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return ERR_PTR(-ENOMEM);
	err = wsac_copy_req_from_user(req, sizeof(*req), WSAC_QOS_SIZE_VER0,
				      arg, usize);
	if (!err && (req->reserved || req->reserved2 ||
		     req->addrlen > WSAC_ADDR_MAX))
		err = -EINVAL;
	if (err) {
		kfree(req);
		return ERR_PTR(err);
	}
	req->verdict = 0;
	req->reason = WSAC_QOS_OK;
	req->status = 0;
	memset(&req->plan, 0, sizeof(req->plan));
	memset(&req->effective, 0, sizeof(req->effective));
	return req;
}

static long wsac_qos_finish(void __user *arg, struct wsac_qos *req, u32 usize)
{
	long err = wsac_copy_reply_to_user(arg, req, sizeof(*req), usize);

	kfree(req);
	return err;
}

/**
 * wsac_ioctl_qos_set() - serve WSAC_IOC_QOS_SET
 * @arg: user pointer to struct wsac_qos
 *
 * Return: 0 with the verdict, plan and values in force copied out, or a
 * negative errno for a malformed request.
 */
long wsac_ioctl_qos_set(void __user *arg)
{
	struct wsac_qos_state *st;
	struct wsac_qos *req;
	struct socket *sock;
	u32 usize;
	int err;

	req = wsac_qos_copy_in(arg, &usize);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = -EINVAL;
	if (req->flags & ~(WSAC_QOS_COMMIT | WSAC_QOS_DEST))
		goto fail;
	sock = wsac_qos_sockfd(req->fd, &err);
	if (!sock)
		goto fail;
	lock_sock(sock->sk);
	req->verdict = wsac_qos_set_locked(sock, req);
	if (req->verdict != -ENOMEM) {
		struct wsac_qos_effective checked = req->effective;

		st = wsac_qos_state_get(sock->sk);
		wsac_qos_fill_effective(sock->sk, st, &req->effective,
					&req->status);
		if (req->verdict) {
			req->effective.ifindex = checked.ifindex;
			req->effective.pacing = checked.pacing;
		}
	}
	release_sock(sock->sk);
	sockfd_put(sock);
	err = -ENOMEM;
	if (req->verdict != -ENOMEM)
		return wsac_qos_finish(arg, req, usize);
fail:
	kfree(req);
	return err;
}

/**
 * wsac_ioctl_qos_get() - serve WSAC_IOC_QOS_GET
 * @arg: user pointer to struct wsac_qos
 *
 * Return: 0 with the recorded QoS and the values in force copied out, or
 * a negative errno.
 */
long wsac_ioctl_qos_get(void __user *arg)
{
	struct wsac_qos_state *st;
	struct wsac_qos *req;
	struct socket *sock;
	u32 usize;
	int err;

	req = wsac_qos_copy_in(arg, &usize);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = -EINVAL;
	if (req->flags || req->objects_len || req->addrlen)
		goto fail;
	sock = wsac_qos_sockfd(req->fd, &err);
	if (!sock)
		goto fail;
	memset(&req->sending, 0, sizeof(req->sending));
	memset(&req->receiving, 0, sizeof(req->receiving));
	lock_sock(sock->sk);
	st = wsac_qos_state_get(sock->sk);
	if (st && st->set)
		wsac_qos_state_snapshot(st, req);
	wsac_qos_fill_effective(sock->sk, st, &req->effective, &req->status);
	release_sock(sock->sk);
	sockfd_put(sock);
	return wsac_qos_finish(arg, req, usize);
fail:
	kfree(req);
	return err;
}

static int wsac_qos_admit_locked(struct sock *sk, struct wsac_qos_admit *req)
{
	struct wsac_qos_state *st = wsac_qos_state_get(sk);
	const struct sockaddr *dest = (const struct sockaddr *)req->addr;
	struct wsac_adm_req adm;
	int ifindex, err;
	u32 pacing;
	bool needs;

	err = wsac_qos_addr_check(sk, req->addr, req->addrlen);
	if (err) {
		req->reason = WSAC_QOS_BAD_ADDRESS;
		return err;
	}
	if (!st || !st->set || dest->sa_family == AF_UNSPEC)
		return 0;
	err = wsac_qos_egress(sk, dest, req->addrlen,
			      READ_ONCE(inet_sk(sk)->tos), &ifindex, &pacing);
	if (err)
		return err;
	req->ifindex = ifindex;
	req->pacing = pacing;
	needs = st->admit_rate && !(st->held && st->ifindex == ifindex);
	wsac_qos_adm_req(sk, ifindex, &adm);
	err = wsac_qos_check_egress(sk, st, st->pacing_rate,
				    needs ? st->admit_rate : 0, &adm, pacing,
				    true, &req->reason);
	if (err)
		return err;

	wsac_qos_state_route(sk, st, &adm, pacing, needs);
	return 0;
}

/**
 * wsac_ioctl_qos_admit() - serve WSAC_IOC_QOS_ADMIT
 * @arg: user pointer to struct wsac_qos_admit
 *
 * Return: 0 with the verdict copied out, or a negative errno.
 */
long wsac_ioctl_qos_admit(void __user *arg)
{
	struct wsac_qos_admit req;
	struct socket *sock;
	u32 usize;
	int err;

	err = wsac_copy_req_from_user(&req, sizeof(req), WSAC_QOS_ADMIT_SIZE_VER0,
				      arg, &usize);
	if (err)
		return err;
	if (req.flags || req.addrlen > WSAC_ADDR_MAX ||
	    req.addrlen < sizeof(sa_family_t))
		return -EINVAL;
	req.verdict = 0;
	req.reason = WSAC_QOS_OK;
	req.ifindex = 0;
	req.pacing = WSAC_PACING_NONE;

	sock = wsac_qos_sockfd(req.fd, &err);
	if (!sock)
		return err;
	lock_sock(sock->sk);
	req.verdict = wsac_qos_admit_locked(sock->sk, &req);
	release_sock(sock->sk);
	sockfd_put(sock);
	/* As for SET: running out of memory is the ioctl's error, not a verdict. */
	if (req.verdict == -ENOMEM)
		return -ENOMEM;
	return wsac_copy_reply_to_user(arg, &req, sizeof(req), usize);
}
