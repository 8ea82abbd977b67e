// SPDX-License-Identifier: GPL-2.0
/*
 * The QoS state a socket carries, and its lifetime.
 *
 * A state exists only for a socket whose QoS was committed
 * (WSAC_IOC_QOS_SET with WSAC_QOS_COMMIT); it is found without any global
 * lock, so that every descriptor of a socket (dup, fork, SCM_RIGHTS) sees
 * the same QoS.  It is freed when its socket is destroyed, and the socket
 * holds a reference on this module until then:
 *
 * - TCP: a TCP upper layer protocol, attached by the library with its own
 *   setsockopt(TCP_ULP) so the caller's setsockopt policy applies.  The
 *   ULP core pins the module per socket from the attach on, and calls
 *   ->release() from the socket's destroy, after a closed connection
 *   finished draining.  The state hangs off icsk_ulp_data.
 * - UDP: the module wraps sk_destruct when the first QoS is committed.
 *   UDP sockets are never cloned, so the wrapper always finds its state;
 *   the state and the module reference are dropped from an RCU callback
 *   that module exit waits for.
 *
 * Each network namespace keeps its states in an rhashtable keyed by
 * socket: UDP sockets are looked up there, under RCU, and
 * /proc/net/wsaconnect_qos (qos_proc.c) walks it without a lock across the
 * walk.  A state's fields change under the socket lock and the state's
 * own spinlock, taken only in this file.
 */
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "qos.h"

/**
 * struct wsac_qos_net - the QoS states of one network namespace
 * @states: every state of the namespace's sockets, keyed by socket
 * @ulp: TCP sockets carrying the ULP, with or without a state
 * @nstates: states in @states
 */
struct wsac_qos_net {
	struct rhashtable states;
	atomic_t ulp;
	atomic_t nstates;
};

static unsigned int wsac_qos_net_id;

/* States come from a cache of their own, charged to the memory cgroup. */
static struct kmem_cache *wsac_qos_cache;

static_assert(sizeof(struct wsac_qos_state) <= WSAC_QOS_STATE_MAX);

static const struct rhashtable_params wsac_qos_params = {
	.head_offset		= offsetof(struct wsac_qos_state, node),
	.key_offset		= offsetof(struct wsac_qos_state, sk),
	.key_len		= sizeof(struct sock *),
	.automatic_shrinking	= true,
};

static struct wsac_qos_net *wsac_qos_net(const struct net *net)
{
	return net_generic(net, wsac_qos_net_id);
}

static struct tcp_ulp_ops wsac_tcp_ulp;

/**
 * wsac_qos_ulp_attached() - does a socket carry the "wsaconnect" ULP?
 * @sk: a socket locked by the caller
 *
 * Return: true for a TCP socket with this module's ULP.
 */
bool wsac_qos_ulp_attached(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP &&
	       inet_csk(sk)->icsk_ulp_ops == &wsac_tcp_ulp;
}

/**
 * wsac_qos_state_get() - the QoS state of a socket
 * @sk: a socket the caller holds and has locked with lock_sock()
 *
 * Return: the state, valid as long as @sk is, or NULL if it has none.
 */
struct wsac_qos_state *wsac_qos_state_get(struct sock *sk)
{
	if (sk->sk_protocol == IPPROTO_TCP) {
		if (!wsac_qos_ulp_attached(sk))
			return NULL;
		return rcu_dereference_protected(inet_csk(sk)->icsk_ulp_data,
						 lockdep_sock_is_held(sk));
	}
	return rhashtable_lookup_fast(&wsac_qos_net(sock_net(sk))->states, &sk,
				      wsac_qos_params);
}

/* Unhash the state of a socket and give back its admission. */
static void wsac_qos_state_unhash(struct sock *sk, struct wsac_qos_state *st)
{
	struct wsac_qos_net *qn = wsac_qos_net(sock_net(sk));

	WARN_ON_ONCE(rhashtable_remove_fast(&qn->states, &st->node,
					    wsac_qos_params));
	atomic_dec(&qn->nstates);
	if (st->held)
		wsac_adm_release(sock_net(sk), st->ifindex, st->uid,
				 st->reserved);
}

static void wsac_qos_state_free(struct wsac_qos_state *st)
{
	kfree(st->objects);
	kmem_cache_free(wsac_qos_cache, st);
}

/* Module exit runs rcu_barrier() before it destroys the cache. */
static void wsac_qos_state_free_rcu(struct rcu_head *head)
{
	wsac_qos_state_free(container_of(head, struct wsac_qos_state, rcu));
}

/*
 * A socket in a sockmap (sk_user_data holds its psock) runs sockmap's
 * proto, which is restored through the ULP's ->update() when the socket
 * leaves the map; without one, sockmap's close stays installed, WARNs and
 * leaks the socket and this module.  Refuse it, as espintcp does.  The
 * kernel refuses the other order itself (sk_psock_init() turns away
 * sockets with a ULP), and both run under the socket lock.
 *
 * Attaching allocates nothing: the state comes with the first commit.
 */
static int wsac_ulp_init(struct sock *sk)
{
	if (READ_ONCE(sk->sk_user_data))
		return -EBUSY;
	rcu_assign_pointer(inet_csk(sk)->icsk_ulp_data, NULL);
	atomic_inc(&wsac_qos_net(sock_net(sk))->ulp);
	return 0;
}

/* From the socket's destroy, possibly in softirq context. */
static void wsac_ulp_release(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct wsac_qos_state *st;

	st = rcu_dereference_protected(icsk->icsk_ulp_data, true);
	rcu_assign_pointer(icsk->icsk_ulp_data, NULL);
	if (st) {
		wsac_qos_state_unhash(sk, st);
		call_rcu(&st->rcu, wsac_qos_state_free_rcu);
	}
	atomic_dec(&wsac_qos_net(sock_net(sk))->ulp);
}

/*
 * A connection accepted on a listener with QoS starts without any (Winsock
 * gives accepted sockets no QoS), and without the ULP: the core took no
 * module reference for it, and the child may want kTLS.
 */
static void wsac_ulp_clone(const struct request_sock *req, struct sock *newsk,
			   const gfp_t priority)
{
	struct inet_connection_sock *icsk = inet_csk(newsk);

	icsk->icsk_ulp_ops = NULL;
	rcu_assign_pointer(icsk->icsk_ulp_data, NULL);
}

static struct tcp_ulp_ops wsac_tcp_ulp = {
	.name		= WSAC_TCP_ULP_NAME,
	.owner		= THIS_MODULE,
	.init		= wsac_ulp_init,
	.release	= wsac_ulp_release,
	.clone		= wsac_ulp_clone,
};

static void wsac_udp_state_free(struct rcu_head *head)
{
	wsac_qos_state_free(container_of(head, struct wsac_qos_state, rcu));
	/* Module exit runs rcu_barrier(), so this text outlives the call. */
	module_put(THIS_MODULE);
}

/* Possibly from an RCU callback (SOCK_RCU_FREE sockets). */
static void wsac_udp_destruct(struct sock *sk)
{
	struct wsac_qos_net *qn = wsac_qos_net(sock_net(sk));
	struct wsac_qos_state *st;

	st = rhashtable_lookup_fast(&qn->states, &sk, wsac_qos_params);
	/* Only wrapped sockets get here, and each keeps its state to the end. */
	if (WARN_ON_ONCE(!st))
		return;
	wsac_qos_state_unhash(sk, st);
	if (st->orig_destruct)
		st->orig_destruct(sk);
	call_rcu(&st->rcu, wsac_udp_state_free);
}

/**
 * wsac_qos_state_attach() - the state of a socket about to commit a QoS
 * @sock: a TCP or UDP socket, locked by the caller with lock_sock()
 * @stp: set to the state
 *
 * A socket without a state gets a new one, which becomes its state with
 * wsac_qos_state_record() or goes again with wsac_qos_state_abandon(),
 * before the caller releases the socket lock.
 *
 * Return: 0, -ENOMEM, or -ENOPROTOOPT for a TCP socket without the
 * "wsaconnect" ULP (the library attaches it before committing).
 */
int wsac_qos_state_attach(struct socket *sock, struct wsac_qos_state **stp)
{
	struct sock *sk = sock->sk;
	struct wsac_qos_net *qn = wsac_qos_net(sock_net(sk));
	struct wsac_qos_state *st;
	int err;

	if (sk->sk_protocol == IPPROTO_TCP && !wsac_qos_ulp_attached(sk))
		return -ENOPROTOOPT;
	st = wsac_qos_state_get(sk);
	if (st) {
		*stp = st;
		return 0;
	}
	/* Charged to the caller's memory cgroup, like the socket itself. */
	st = kmem_cache_zalloc(wsac_qos_cache, GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->sk = sk;
	st->ino = SOCK_INODE(sock)->i_ino;
	st->pacing_rate = WSAC_RATE_NONE;
	spin_lock_init(&st->lock);
	/* -EBUSY (a table too full while it grows) is as fatal as -ENOMEM. */
	err = rhashtable_insert_fast(&qn->states, &st->node, wsac_qos_params);
	if (err) {
		wsac_qos_state_free(st);
		return -ENOMEM;
	}
	atomic_inc(&qn->nstates);
	*stp = st;
	return 0;
}

/**
 * wsac_qos_state_abandon() - drop a state whose first commit failed
 * @sk: the socket, locked by the caller
 * @st: the state wsac_qos_state_attach() gave
 *
 * A state that has a committed QoS stays.
 */
void wsac_qos_state_abandon(struct sock *sk, struct wsac_qos_state *st)
{
	if (st->set)
		return;
	wsac_qos_state_unhash(sk, st);
	call_rcu(&st->rcu, wsac_qos_state_free_rcu);
}

/* Make a new state the socket's own: from now on its destroy frees it. */
static void wsac_qos_state_publish(struct sock *sk, struct wsac_qos_state *st)
{
	if (sk->sk_protocol == IPPROTO_TCP) {
		rcu_assign_pointer(inet_csk(sk)->icsk_ulp_data, st);
		return;
	}
	__module_get(THIS_MODULE);
	st->orig_destruct = sk->sk_destruct;
	WRITE_ONCE(sk->sk_destruct, wsac_udp_destruct);
}

/**
 * wsac_qos_state_record() - record a committed (admitted or pending) QoS
 * @sk: the socket, locked by the caller
 * @st: its state, from wsac_qos_state_attach()
 * @pol: the policy committed
 * @objects: the request's objects, @pol->objects_len bytes of them in an
 *	allocation the state takes over (NULL without any)
 * @adm: the egress device checked (0 if none yet) and the user charged
 * @pacing: enum wsac_pacing found on @adm->ifindex
 *
 * The caller reserved @pol->admit_rate on @adm->ifindex for @adm->uid if
 * it is not 0; the old reservation is given back to whom it was charged.
 */
void wsac_qos_state_record(struct sock *sk, struct wsac_qos_state *st,
			   const struct wsac_qos_policy *pol, u8 *objects,
			   const struct wsac_adm_req *adm, u32 pacing)
{
	bool was_held, fresh = !st->set;
	int old_ifindex;
	u8 *old_objects;
	kuid_t old_uid;
	u64 old_rate;

	spin_lock(&st->lock);
	was_held = st->held;
	old_ifindex = st->ifindex;
	old_uid = st->uid;
	old_rate = st->reserved;
	old_objects = st->objects;
	st->set = true;
	st->sending = pol->sending;
	st->receiving = pol->receiving;
	st->objects = objects;
	st->objects_len = objects ? pol->objects_len : 0;
	st->pacing_rate = pol->pacing_rate;
	st->admit_rate = pol->admit_rate;
	st->ifindex = adm->ifindex;
	st->pacing = pacing;
	st->admitted = adm->ifindex != 0;
	st->held = adm->ifindex && pol->admit_rate;
	st->reserved = st->held ? pol->admit_rate : 0;
	st->uid = adm->uid;
	spin_unlock(&st->lock);
	kfree(old_objects);
	if (fresh)
		wsac_qos_state_publish(sk, st);
	if (was_held)
		wsac_adm_release(sock_net(sk), old_ifindex, old_uid, old_rate);
}

/**
 * wsac_qos_state_route() - record the egress device a socket now uses
 * @sk: the socket, locked by the caller
 * @st: its state
 * @adm: the egress device checked and the user charged
 * @pacing: enum wsac_pacing found on @adm->ifindex
 * @reserve: the caller reserved @st->admit_rate on @adm->ifindex for
 *	@adm->uid, and the old reservation is to be given back
 */
void wsac_qos_state_route(struct sock *sk, struct wsac_qos_state *st,
			  const struct wsac_adm_req *adm, u32 pacing,
			  bool reserve)
{
	bool was_held = false;
	int old_ifindex;
	kuid_t old_uid;
	u64 old_rate;

	spin_lock(&st->lock);
	old_ifindex = st->ifindex;
	old_uid = st->uid;
	old_rate = st->reserved;
	if (reserve) {
		was_held = st->held;
		st->held = adm->ifindex != 0;
		st->reserved = st->held ? st->admit_rate : 0;
		st->uid = adm->uid;
	}
	st->ifindex = adm->ifindex;
	st->pacing = pacing;
	st->admitted = adm->ifindex != 0;
	spin_unlock(&st->lock);
	if (was_held)
		wsac_adm_release(sock_net(sk), old_ifindex, old_uid, old_rate);
}

/**
 * wsac_qos_state_snapshot() - copy the recorded QoS into a GET reply
 * @st: a state with a committed QoS
 * @req: receives the flowspecs and the objects
 */
void wsac_qos_state_snapshot(struct wsac_qos_state *st, struct wsac_qos *req)
{
	spin_lock(&st->lock);
	req->sending = st->sending;
	req->receiving = st->receiving;
	req->objects_len = st->objects_len;
	if (st->objects_len)
		memcpy(req->objects, st->objects, st->objects_len);
	spin_unlock(&st->lock);
}

/**
 * wsac_qos_state_walk_enter() - start walking a namespace's states
 * @net: the namespace
 * @iter: the walker, for rhashtable_walk_start() and the rest
 */
void wsac_qos_state_walk_enter(struct net *net, struct rhashtable_iter *iter)
{
	rhashtable_walk_enter(&wsac_qos_net(net)->states, iter);
}

/**
 * wsac_qos_state_view() - what /proc shows of a state
 * @net: the namespace walked
 * @st: a state the walk returned
 * @v: filled in
 *
 * Context: in the walk, under rcu_read_lock().
 * Return: false if @st's socket is gone or its QoS is not committed yet.
 */
bool wsac_qos_state_view(struct net *net, struct wsac_qos_state *st,
			 struct wsac_qos_view *v)
{
	struct sock *sk = st->sk;
	bool ok;

	/*
	 * Sockets are SLAB_TYPESAFE_BY_RCU: hold it, then make sure it is
	 * still the one @st belongs to (states leave the table first).
	 */
	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		return false;
	ok = rhashtable_lookup(&wsac_qos_net(net)->states, &sk,
			       wsac_qos_params) == st;
	if (ok) {
		spin_lock(&st->lock);
		ok = st->set;
		v->ino = st->ino;
		v->ifindex = st->ifindex;
		v->send_type = st->sending.service_type;
		v->send_rate = st->sending.token_rate;
		v->recv_type = st->receiving.service_type;
		v->recv_rate = st->receiving.token_rate;
		v->reserved = st->reserved;
		v->pacing = st->pacing;
		spin_unlock(&st->lock);
	}
	if (ok) {
		v->protocol = sk->sk_protocol;
		v->family = sk->sk_family;
		v->state = READ_ONCE(sk->sk_state);
		v->orphan = sock_flag(sk, SOCK_DEAD);
		v->pacing_rate = READ_ONCE(sk->sk_max_pacing_rate);
		v->tos = READ_ONCE(inet_sk(sk)->tos);
		v->tclass = 0;
#if IS_ENABLED(CONFIG_IPV6)
		if (sk->sk_family == AF_INET6)
			v->tclass = READ_ONCE(inet6_sk(sk)->tclass);
#endif
		v->priority = READ_ONCE(sk->sk_priority);
		v->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	}
	sock_put(sk);
	return ok;
}

/**
 * wsac_qos_state_count() - what holds this module in a namespace
 * @net: the namespace
 * @ulp: TCP sockets with the ULP, committed or not, draining included
 * @states: sockets with a QoS state (TCP and UDP)
 */
void wsac_qos_state_count(struct net *net, unsigned int *ulp,
			  unsigned int *states)
{
	struct wsac_qos_net *qn = wsac_qos_net(net);

	*ulp = atomic_read(&qn->ulp);
	*states = atomic_read(&qn->nstates);
}

static int __net_init wsac_qos_net_init(struct net *net)
{
	return rhashtable_init(&wsac_qos_net(net)->states, &wsac_qos_params);
}

/* Sockets hold their namespace: no state is left by now. */
static void __net_exit wsac_qos_net_exit(struct net *net)
{
	struct wsac_qos_net *qn = wsac_qos_net(net);

	WARN_ON_ONCE(atomic_read(&qn->nstates) || atomic_read(&qn->ulp));
	rhashtable_destroy(&qn->states);
}

static struct pernet_operations wsac_qos_net_ops = {
	.init	= wsac_qos_net_init,
	.exit	= wsac_qos_net_exit,
	.id	= &wsac_qos_net_id,
	.size	= sizeof(struct wsac_qos_net),
};

int wsac_qos_state_init(void)
{
	int err;

	wsac_qos_cache = KMEM_CACHE(wsac_qos_state, SLAB_ACCOUNT);
	if (!wsac_qos_cache)
		return -ENOMEM;
	err = register_pernet_subsys(&wsac_qos_net_ops);
	if (err)
		goto err_cache;
	err = tcp_register_ulp(&wsac_tcp_ulp);
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&wsac_qos_net_ops);
err_cache:
	kmem_cache_destroy(wsac_qos_cache);
	return err;
}

void wsac_qos_state_exit(void)
{
	tcp_unregister_ulp(&wsac_tcp_ulp);
	/* Let the last state frees finish before the text goes away. */
	rcu_barrier();
	unregister_pernet_subsys(&wsac_qos_net_ops);
	kmem_cache_destroy(wsac_qos_cache);
}
