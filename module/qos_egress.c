// SPDX-License-Identifier: GPL-2.0
/*
 * Which device a socket's traffic to a destination leaves by, and whether
 * that device paces it: fq paces every socket by its pacing rate; without
 * fq only TCP paces itself.  The answer is a snapshot -- qdiscs and routes
 * can change later -- which is what Winsock's admission at connect time
 * means too.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sch_generic.h>
#include <net/sock.h>

#include "qos.h"

/* The qdisc id of a device's root, or of one of its transmit queues. */
#define wsac_root_id(dev)	(rcu_dereference((dev)->qdisc)->ops->id)
#define wsac_txq_id(dev, i) \
	(rcu_dereference(netdev_get_tx_queue(dev, i)->qdisc)->ops->id)

/* fq at the root, or mq/mqprio whose every queue has fq. */
static bool wsac_dev_has_fq(struct net_device *dev)
{
	const char *root;
	unsigned int i;
	bool fq;

	rcu_read_lock();
	root = wsac_root_id(dev);
	fq = !strcmp(root, "fq");
	if (!strcmp(root, "mq") || !strcmp(root, "mqprio")) {
		fq = dev->real_num_tx_queues > 0;
		for (i = 0; fq && i < dev->real_num_tx_queues; i++)
			fq = !strcmp(wsac_txq_id(dev, i), "fq");
	}
	rcu_read_unlock();
	return fq;
}

/*
 * A route lookup that failed for want of memory (IPv4 says -ENOBUFS when
 * it cannot allocate a route) is -ENOMEM: not a missing route, which
 * connect(2) would report, but the caller's error.
 */
static struct dst_entry *wsac_route_err(int err)
{
	return ERR_PTR(err == -ENOMEM || err == -ENOBUFS ? -ENOMEM : -ENETUNREACH);
}

static struct dst_entry *wsac_route4(struct sock *sk, __be32 daddr,
				     __be16 dport, u32 tos)
{
	struct flowi4 fl4;
	struct rtable *rt;

	rt = ip_route_output_ports(sock_net(sk), &fl4, sk, daddr,
				   inet_sk(sk)->inet_saddr, dport,
				   inet_sk(sk)->inet_sport, sk->sk_protocol,
				   RT_TOS(tos), sk->sk_bound_dev_if);
	return IS_ERR(rt) ? wsac_route_err(PTR_ERR(rt)) : &rt->dst;
}

#if IS_ENABLED(CONFIG_IPV6)
static struct dst_entry *wsac_route6(struct sock *sk,
				     const struct sockaddr_in6 *sin6)
{
	struct flowi6 fl6 = {};
	struct dst_entry *dst;

	fl6.daddr = sin6->sin6_addr;
	fl6.saddr = sk->sk_v6_rcv_saddr;
	fl6.flowi6_oif = sk->sk_bound_dev_if;
	if (!fl6.flowi6_oif &&
	    (ipv6_addr_type(&sin6->sin6_addr) & IPV6_ADDR_LINKLOCAL))
		fl6.flowi6_oif = sin6->sin6_scope_id;
	fl6.flowi6_mark = READ_ONCE(sk->sk_mark);
	fl6.flowi6_proto = sk->sk_protocol;
	fl6.fl6_dport = sin6->sin6_port;
	fl6.fl6_sport = inet_sk(sk)->inet_sport;
	dst = ip6_route_output(sock_net(sk), sk, &fl6);
	if (dst->error) {
		int err = dst->error;

		dst_release(dst);
		return wsac_route_err(err);
	}
	return dst;
}
#endif

static struct dst_entry *wsac_route(struct sock *sk, const struct sockaddr *dest,
				    u32 destlen, u32 tos)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)dest;

	if (dest->sa_family == AF_INET && destlen >= sizeof(*sin))
		return wsac_route4(sk, sin->sin_addr.s_addr, sin->sin_port, tos);
#if IS_ENABLED(CONFIG_IPV6)
	/* An IPv6 route needs an IPv6 socket: ip6_route_output() uses inet6_sk(). */
	if (dest->sa_family == AF_INET6 && sk->sk_family == AF_INET6 &&
	    destlen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)dest;

		if (ipv6_addr_v4mapped(&sin6->sin6_addr))
			return wsac_route4(sk, sin6->sin6_addr.s6_addr32[3],
					   sin6->sin6_port, tos);
		return wsac_route6(sk, sin6);
	}
#endif
	return ERR_PTR(-ENETUNREACH);
}

/**
 * wsac_qos_egress() - the egress device towards a destination, and its pacing
 * @sk: the socket
 * @dest: the destination (a connected socket's peer is passed too: its
 *	cached route is reset whenever its TOS changes)
 * @destlen: length of @dest
 * @tos: the TOS the traffic will carry (policy routing may select on it)
 * @ifindex: set to the device, 0 when there is no route (yet)
 * @pacing: set to how a pacing rate is enforced there (enum wsac_pacing)
 *
 * Without a route *@ifindex is 0, and connect(2) reports why.
 *
 * Return: 0, or -ENOMEM when the route lookup ran out of memory.
 */
int wsac_qos_egress(struct sock *sk, const struct sockaddr *dest, u32 destlen,
		    u32 tos, int *ifindex, u32 *pacing)
{
	struct dst_entry *dst = wsac_route(sk, dest, destlen, tos);

	*ifindex = 0;
	*pacing = WSAC_PACING_NONE;
	if (IS_ERR(dst))
		return PTR_ERR(dst) == -ENOMEM ? -ENOMEM : 0;
	if (dst->dev) {
		*ifindex = dst->dev->ifindex;
		if (wsac_dev_has_fq(dst->dev))
			*pacing = WSAC_PACING_FQ;
		else if (sk->sk_protocol == IPPROTO_TCP)
			*pacing = WSAC_PACING_TCP;
	}
	dst_release(dst);
	return 0;
}
