// SPDX-License-Identifier: GPL-2.0
/*
 * The QoS state a socket carries, and its lifetime.
 *
 * States are found by socket in one table, so every descriptor of a socket
 * (dup, fork, SCM_RIGHTS) sees the same QoS.  A state is freed when its
 * socket is destroyed, and holds a reference on this module until then:
 *
 * - TCP: a TCP upper layer protocol, attached by the library with its own
 *   setsockopt(TCP_ULP) so the caller's setsockopt policy applies.  The ULP
 *   core pins the module per socket and calls ->release() from the
 *   socket's destroy, after a closed connection finished draining.
 * - UDP: the module wraps sk_destruct.  UDP sockets are never cloned, so
 *   the wrapper always finds its state; the state and the module reference
 *   are dropped from an RCU callback that module exit waits for.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "qos.h"

DEFINE_SPINLOCK(wsac_qos_lock);
static DEFINE_HASHTABLE(wsac_qos_table, 8);

static struct wsac_qos_state *wsac_qos_find(const struct sock *sk)
{
	struct wsac_qos_state *st;

	lockdep_assert_held(&wsac_qos_lock);
	hash_for_each_possible(wsac_qos_table, st, node, (unsigned long)sk)
		if (st->sk == sk)
			return st;
	return NULL;
}

/**
 * wsac_qos_state_get() - the QoS state of a socket
 * @sk: a socket the caller holds a reference on
 *
 * Return: the state, valid as long as @sk is, or NULL if it has none.
 */
struct wsac_qos_state *wsac_qos_state_get(struct sock *sk)
{
	struct wsac_qos_state *st;

	spin_lock_bh(&wsac_qos_lock);
	st = wsac_qos_find(sk);
	spin_unlock_bh(&wsac_qos_lock);
	return st;
}

static struct wsac_qos_state *wsac_qos_state_new(struct sock *sk)
{
	struct wsac_qos_state *st;

	/* Charged to the caller's memory cgroup, like the socket itself. */
	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return NULL;
	st->sk = sk;
	st->pacing_rate = WSAC_RATE_NONE;
	if (sk->sk_socket)
		st->ino = SOCK_INODE(sk->sk_socket)->i_ino;
	spin_lock_bh(&wsac_qos_lock);
	hash_add(wsac_qos_table, &st->node, (unsigned long)sk);
	spin_unlock_bh(&wsac_qos_lock);
	return st;
}

/* Unhash the state of a dying socket and give back its admission. */
static struct wsac_qos_state *wsac_qos_state_drop(struct sock *sk)
{
	struct wsac_qos_state *st;

	spin_lock_bh(&wsac_qos_lock);
	st = wsac_qos_find(sk);
	if (st)
		hash_del(&st->node);
	spin_unlock_bh(&wsac_qos_lock);
	if (st && st->held)
		wsac_adm_release(sock_net(sk), st->ifindex, st->reserved);
	return st;
}

/*
 * A socket in a sockmap (sk_user_data holds its psock) runs sockmap's
 * proto, which is restored through the ULP's ->update() when the socket
 * leaves the map; without one, sockmap's close stays installed, WARNs and
 * leaks the socket and this module.  Refuse it, as espintcp does.  The
 * kernel refuses the other order itself (sk_psock_init() turns away
 * sockets with a ULP), and both run under the socket lock.
 */
static int wsac_ulp_init(struct sock *sk)
{
	if (rcu_access_pointer(sk->sk_user_data))
		return -EBUSY;
	return wsac_qos_state_new(sk) ? 0 : -ENOMEM;
}

static void wsac_ulp_release(struct sock *sk)
{
	kfree(wsac_qos_state_drop(sk));
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
	kfree(container_of(head, struct wsac_qos_state, rcu));
	/* Module exit runs rcu_barrier(), so this text outlives the call. */
	module_put(THIS_MODULE);
}

static void wsac_udp_destruct(struct sock *sk)
{
	struct wsac_qos_state *st = wsac_qos_state_drop(sk);

	/* Only wrapped sockets get here, and each keeps its state to the end. */
	if (WARN_ON_ONCE(!st))
		return;
	if (st->orig_destruct)
		st->orig_destruct(sk);
	call_rcu(&st->rcu, wsac_udp_state_free);
}

/**
 * wsac_qos_state_attach() - the state of a socket, created for UDP if needed
 * @sock: a TCP or UDP socket, locked by the caller with lock_sock()
 * @stp: set to the state
 *
 * Return: 0, -ENOMEM, or -ENOPROTOOPT for a TCP socket without the
 * "wsaconnect" ULP (the library attaches it before committing).
 */
int wsac_qos_state_attach(struct socket *sock, struct wsac_qos_state **stp)
{
	struct sock *sk = sock->sk;
	struct wsac_qos_state *st;

	st = wsac_qos_state_get(sk);
	if (!st && sk->sk_protocol == IPPROTO_UDP) {
		st = wsac_qos_state_new(sk);
		if (!st)
			return -ENOMEM;
		__module_get(THIS_MODULE);
		st->orig_destruct = sk->sk_destruct;
		WRITE_ONCE(sk->sk_destruct, wsac_udp_destruct);
	}
	if (!st)
		return -ENOPROTOOPT;
	*stp = st;
	return 0;
}

static const char *const wsac_pacing_names[] = {
	[WSAC_PACING_NONE]	= "none",
	[WSAC_PACING_FQ]	= "fq",
	[WSAC_PACING_TCP]	= "tcp",
};

static void wsac_qos_show_one(struct seq_file *m, struct wsac_qos_state *st)
{
	struct sock *sk = st->sk;
	unsigned long rate = READ_ONCE(sk->sk_max_pacing_rate);
	u32 tclass = 0;

#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		tclass = READ_ONCE(inet6_sk(sk)->tclass);
#endif
	seq_printf(m, "%lu %s %s %d %#x %u %#x %u ", st->ino,
		   sk->sk_protocol == IPPROTO_TCP ? "tcp" : "udp",
		   sk->sk_family == AF_INET6 ? "inet6" : "inet", st->ifindex,
		   st->sending.service_type, st->sending.token_rate,
		   st->receiving.service_type, st->receiving.token_rate);
	if (rate == ~0UL)
		seq_puts(m, "none");
	else
		seq_printf(m, "%lu", rate);
	seq_printf(m, " %#x %#x %u %d %llu %s\n", READ_ONCE(inet_sk(sk)->tos),
		   tclass, READ_ONCE(sk->sk_priority), READ_ONCE(sk->sk_rcvbuf),
		   st->reserved, wsac_pacing_names[st->pacing]);
}

/**
 * wsac_qos_proc_show() - /proc/net/wsaconnect_qos: sockets with QoS
 * @m: the seq_file of a network namespace's file
 * @v: unused
 *
 * Return: 0.
 */
int wsac_qos_proc_show(struct seq_file *m, void *v)
{
	struct net *net = seq_file_single_net(m);
	struct wsac_qos_state *st;
	int bkt;

	seq_puts(m, "inode proto family ifindex send_type send_rate recv_type recv_rate pacing_rate tos tclass priority rcvbuf admitted_rate pacing\n");
	spin_lock_bh(&wsac_qos_lock);
	hash_for_each(wsac_qos_table, bkt, st, node)
		if (st->set && net_eq(sock_net(st->sk), net))
			wsac_qos_show_one(m, st);
	spin_unlock_bh(&wsac_qos_lock);
	return 0;
}

int wsac_qos_state_init(void)
{
	return tcp_register_ulp(&wsac_tcp_ulp);
}

void wsac_qos_state_exit(void)
{
	tcp_unregister_ulp(&wsac_tcp_ulp);
	/* Let the last UDP state frees finish before the text goes away. */
	rcu_barrier();
}
