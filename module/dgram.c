// SPDX-License-Identifier: GPL-2.0
/*
 * WSAC_IOC_DGRAM_PURGE: Winsock discards the datagrams queued on a UDP
 * socket when it is connected to another peer; Linux keeps them.  Right
 * after the library's connect(2), drop every queued datagram that did not
 * come from the new peer.
 *
 * UDP keeps received datagrams in two queues: sk_receive_queue, filled by
 * softirq, and the reader_queue that recvmsg() drains.  This follows
 * __skb_recv_udp(): with the reader_queue lock held, move everything to the
 * reader_queue, and release each dropped datagram's receive memory with
 * udp_skb_destructor(), which expects exactly that lock.
 *
 * A reader peeking at a datagram holds its own reference and, when the
 * checksum turns out bad, gives it back through __sk_queue_drop_skb(),
 * which takes the datagram off the reader_queue -- and uncharges it --
 * only if skb->next says it is still queued.  So a dropped datagram is
 * unlinked and freed under the reader_queue lock, as first_packet_length()
 * does: never parked on another list, where skb->next would lie.
 */
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/udp.h>

#include "compat.h"
#include "wsaconnect.h"
#include "uaccess.h"

/* The connected peer of a UDP socket, as an IPv6 or v4-mapped address. */
struct wsac_peer {
	struct in6_addr addr;
	__be16 port;
};

static bool wsac_dgram_peer(struct sock *sk, struct wsac_peer *peer)
{
	if (sk->sk_state != TCP_ESTABLISHED)
		return false;
	peer->port = inet_sk(sk)->inet_dport;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		peer->addr = sk->sk_v6_daddr;
		return true;
	}
#endif
	ipv6_addr_set_v4mapped(inet_sk(sk)->inet_daddr, &peer->addr);
	return true;
}

static bool wsac_skb_from(const struct sk_buff *skb, const struct wsac_peer *peer)
{
	struct in6_addr src;

	if (udp_hdr(skb)->source != peer->port)
		return false;
	if (skb->protocol == htons(ETH_P_IP))
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &src);
	else
		src = ipv6_hdr(skb)->saddr;
	return ipv6_addr_equal(&src, &peer->addr);
}

/**
 * wsac_dgram_purge() - drop queued datagrams not sent by the socket's peer
 * @sk: a UDP socket
 * @req: @req->dropped and @req->kept are filled in
 *
 * Context: process context; takes the socket lock and the UDP queue locks.
 * Return: 0, or -ENOTCONN if the socket has no peer.
 */
int wsac_dgram_purge(struct sock *sk, struct wsac_dgram_purge *req)
{
	struct sk_buff_head *reader = &udp_sk(sk)->reader_queue;
	struct sk_buff *skb, *tmp;
	struct wsac_peer peer;

	lock_sock(sk);
	if (!wsac_dgram_peer(sk, &peer)) {
		release_sock(sk);
		return -ENOTCONN;
	}

	spin_lock_bh(&reader->lock);
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_splice_tail_init(&sk->sk_receive_queue, reader);
	spin_unlock(&sk->sk_receive_queue.lock);
	skb_queue_walk_safe(reader, skb, tmp) {
		if (wsac_skb_from(skb, &peer)) {
			req->kept++;
			continue;
		}
		__skb_unlink(skb, reader);
		wsac_udp_skb_destructor(sk, skb);
		/* A peeking reader's reference keeps it until it is done. */
		kfree_skb(skb);
		req->dropped++;
	}
	spin_unlock_bh(&reader->lock);
	release_sock(sk);

	/* A peek offset counts bytes the dropped datagrams no longer hold. */
	if (req->dropped && READ_ONCE(sk->sk_peek_off) >= 0)
		WRITE_ONCE(sk->sk_peek_off, 0);
	return 0;
}

/**
 * wsac_ioctl_dgram_purge() - serve WSAC_IOC_DGRAM_PURGE
 * @arg: user pointer to struct wsac_dgram_purge
 *
 * Return: 0 with the counts copied out, or a negative errno.
 */
long wsac_ioctl_dgram_purge(void __user *arg)
{
	struct wsac_dgram_purge req;
	struct socket *sock;
	u32 usize;
	int err;

	err = wsac_copy_req_from_user(&req, sizeof(req), WSAC_DGRAM_PURGE_SIZE_VER0,
				      arg, &usize);
	if (err)
		return err;
	if (req.flags || req.reserved || req.dropped || req.kept)
		return -EINVAL;

	sock = sockfd_lookup(req.fd, &err);
	if (!sock)
		return err;
	if ((sock->sk->sk_family != AF_INET && sock->sk->sk_family != AF_INET6) ||
	    sock->type != SOCK_DGRAM || sock->sk->sk_protocol != IPPROTO_UDP)
		err = -EPROTONOSUPPORT;
	else
		err = wsac_dgram_purge(sock->sk, &req);
	sockfd_put(sock);
	if (err)
		return err;

	return wsac_copy_reply_to_user(arg, &req, sizeof(req), usize);
}
