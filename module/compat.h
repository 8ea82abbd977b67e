/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels the module is built for:
 * Debian's 6.1 and 6.12, and the newest 7.x (the mainline lane).  Each
 * #if names the kernel commit that made it necessary; the rest of the
 * module calls the wsac_ names only.
 */
#ifndef WSAC_COMPAT_H
#define WSAC_COMPAT_H

#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/version.h>
#include <net/sock.h>
#include <net/udp.h>

/*
 * rtnl_lock_killable() is not exported since 6.14, commit 7bd72a4aa226
 * ("rtnetlink: Add rtnl_net_lock_killable()."), and the
 * rtnl_net_lock_killable() it added is not exported either: there the
 * RTNL is waited for without a fatal signal cutting the wait short.
 */
static inline int wsac_rtnl_lock_killable(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	rtnl_lock();
	return 0;
#else
	return rtnl_lock_killable();
#endif
}

/*
 * udp_skb_destructor() is exported only for a modular IPv6 since 6.15,
 * commit 2f8f4f22452a ("udp: use EXPORT_IPV6_MOD[_GPL]()"), and IPv6 is
 * built in on every kernel the module is tested on (on 7.x it cannot be a
 * module at all).  What it does, from exported pieces: net/ipv4/udp.c's
 * udp_rmem_release(sk, udp_skb_truesize(skb), 1, false), for a caller that
 * holds the reader_queue lock and not the sk_receive_queue lock.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0) && !IS_MODULE(CONFIG_IPV6)
/* net/ipv4/udp.c: the flag udp_set_dev_scratch() keeps beside the truesize */
#define WSAC_UDP_SKB_IS_STATELESS 0x80000000U

static inline void wsac_udp_skb_destructor(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff_head *sk_queue = &sk->sk_receive_queue;
	struct udp_sock *up = udp_sk(sk);
	unsigned int size, amt;

	up->forward_deficit += udp_skb_scratch(skb)->_tsize_state &
			       ~WSAC_UDP_SKB_IS_STATELESS;
	size = up->forward_deficit;
	if (size < READ_ONCE(up->forward_threshold) &&
	    !skb_queue_empty(&up->reader_queue))
		return;
	up->forward_deficit = 0;

	spin_lock(&sk_queue->lock);
	amt = (size + sk->sk_forward_alloc - 1) & ~(PAGE_SIZE - 1);
	/* __sk_mem_reclaim() takes amt back off the forward allocation. */
	sk_forward_alloc_add(sk, size);
	if (amt)
		__sk_mem_reclaim(sk, amt);
	atomic_sub(size, &sk->sk_rmem_alloc);
	skb_queue_splice_tail_init(sk_queue, &up->reader_queue);
	spin_unlock(&sk_queue->lock);
}
#else
static inline void wsac_udp_skb_destructor(struct sock *sk, struct sk_buff *skb)
{
	udp_skb_destructor(sk, skb);
}
#endif

/*
 * kernel_bind() and kernel_connect() take a struct sockaddr_unsized * since
 * 6.19, commit 0e50474fa514 ("net: Convert proto_ops bind() callbacks to
 * use sockaddr_unsized") and its series.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define wsac_sockaddr_arg(addr) ((struct sockaddr_unsized *)(addr))
#else
#define wsac_sockaddr_arg(addr) ((struct sockaddr *)(addr))
#endif

#endif /* WSAC_COMPAT_H */
