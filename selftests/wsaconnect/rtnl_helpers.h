/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network set-up for the selftests through rtnetlink and ioctl, not ip(8)
 * or tc(8).  Most fixtures build a namespace, a device or a qdisc for every
 * test case; under QEMU's TCG (and more so on the KASAN kernel) each
 * fork+exec of a shell and a tool costs a large share of a second, which
 * over several hundred cases dominated the run.  Each helper returns 0, or
 * -1 with errno set from the kernel's answer.
 */
#ifndef WSAC_RTNL_HELPERS_H
#define WSAC_RTNL_HELPERS_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct wsac_nlreq {
	struct nlmsghdr nh;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct rtmsg rtm;
		struct tcmsg tcm;
	};
	char attrs[512];
};

/* Start a request of @type carrying a @hdrlen-byte family header. */
static inline void wsac_nl_init(struct wsac_nlreq *req, unsigned short type,
				unsigned short flags, size_t hdrlen)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
}

/*
 * Append an attribute; returns it (to close a nest with wsac_nl_nest_end())
 * or NULL when the request would overflow, which wsac_nl_talk() then
 * refuses to send.
 */
static inline struct rtattr *wsac_nl_put(struct wsac_nlreq *req, unsigned short type,
					 const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(req->nh.nlmsg_len);
	struct rtattr *rta = (struct rtattr *)((char *)req + at);

	if (at + RTA_SPACE(len) > sizeof(*req)) {
		req->nh.nlmsg_len = sizeof(*req) + 1;
		return NULL;
	}
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = at + RTA_ALIGN(rta->rta_len);
	return rta;
}

static inline struct rtattr *wsac_nl_put_str(struct wsac_nlreq *req, unsigned short type,
					     const char *s)
{
	return wsac_nl_put(req, type, s, strlen(s) + 1);
}

static inline struct rtattr *wsac_nl_put_u32(struct wsac_nlreq *req, unsigned short type,
					     __u32 v)
{
	return wsac_nl_put(req, type, &v, sizeof(v));
}

/* A nest's length covers everything appended since it was opened. */
static inline void wsac_nl_nest_end(struct wsac_nlreq *req, struct rtattr *nest)
{
	if (nest && req->nh.nlmsg_len <= sizeof(*req))
		nest->rta_len = (char *)req + req->nh.nlmsg_len - (char *)nest;
}

/* Send @req in the current network namespace and wait for its ack. */
static inline int wsac_nl_talk(struct wsac_nlreq *req)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	ssize_t n;
	int fd, err;

	if (req->nh.nlmsg_len > sizeof(*req)) {
		errno = EMSGSIZE;
		return -1;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		err = errno;
		goto out;
	}
	/* An error ack echoes the request after it: only its head is read. */
	n = recv(fd, &ack, sizeof(ack), 0);
	if (n < 0)
		err = errno;
	else if ((size_t)n < sizeof(ack.nh) + sizeof(int) || ack.nh.nlmsg_type != NLMSG_ERROR)
		err = EPROTO;
	else
		err = -ack.err.error;
out:
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

/* IFF_UP on @ifname in the current namespace (ip link set IFNAME up). */
static inline int wsac_link_up(const char *ifname)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		err = errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			err = errno;
	}
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

/*
 * ip link add @ifname [index @ifindex] [numtxqueues @txq numrxqueues @txq]
 * type @kind; for a veth, its peer @peer goes to the namespace of
 * descriptor @peer_ns.  @ifindex 0 lets the kernel choose.
 */
static inline int wsac_link_add_at(const char *ifname, int ifindex, const char *kind,
				   int txq, const char *peer, int peer_ns)
{
	struct rtattr *linkinfo, *data, *peerinfo;
	struct wsac_nlreq req;

	wsac_nl_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(req.ifi));
	req.ifi.ifi_index = ifindex;
	wsac_nl_put_str(&req, IFLA_IFNAME, ifname);
	if (txq > 0) {
		wsac_nl_put_u32(&req, IFLA_NUM_TX_QUEUES, txq);
		wsac_nl_put_u32(&req, IFLA_NUM_RX_QUEUES, txq);
	}
	linkinfo = wsac_nl_put(&req, IFLA_LINKINFO, NULL, 0);
	wsac_nl_put_str(&req, IFLA_INFO_KIND, kind);
	if (peer) {
		struct ifinfomsg peer_ifi = {};

		data = wsac_nl_put(&req, IFLA_INFO_DATA, NULL, 0);
		/* VETH_INFO_PEER holds an ifinfomsg followed by attributes. */
		peerinfo = wsac_nl_put(&req, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
		wsac_nl_put_str(&req, IFLA_IFNAME, peer);
		if (peer_ns >= 0)
			wsac_nl_put_u32(&req, IFLA_NET_NS_FD, peer_ns);
		if (txq > 0) {
			wsac_nl_put_u32(&req, IFLA_NUM_TX_QUEUES, txq);
			wsac_nl_put_u32(&req, IFLA_NUM_RX_QUEUES, txq);
		}
		wsac_nl_nest_end(&req, peerinfo);
		wsac_nl_nest_end(&req, data);
	}
	wsac_nl_nest_end(&req, linkinfo);
	return wsac_nl_talk(&req);
}

static inline int wsac_link_add(const char *ifname, const char *kind, int txq,
				const char *peer, int peer_ns)
{
	return wsac_link_add_at(ifname, 0, kind, txq, peer, peer_ns);
}

/* ip link del @ifname */
static inline int wsac_link_del(const char *ifname)
{
	struct wsac_nlreq req;

	wsac_nl_init(&req, RTM_DELLINK, 0, sizeof(req.ifi));
	wsac_nl_put_str(&req, IFLA_IFNAME, ifname);
	return wsac_nl_talk(&req);
}

/* Parse "ADDR/PREFIX" into @addr (16 bytes); returns the family or -1. */
static inline int wsac_parse_prefix(const char *cidr, unsigned char *addr, int *prefix)
{
	char buf[INET6_ADDRSTRLEN + 4];
	char *slash;
	int family;

	snprintf(buf, sizeof(buf), "%s", cidr);
	slash = strchr(buf, '/');
	if (!slash) {
		errno = EINVAL;
		return -1;
	}
	*slash = '\0';
	*prefix = atoi(slash + 1);
	family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, buf, addr) != 1 ||
	    *prefix < 0 || *prefix > (family == AF_INET6 ? 128 : 32)) {
		errno = EINVAL;
		return -1;
	}
	return family;
}

/*
 * ip addr add @cidr dev @ifname: IPv4 with the broadcast address of its
 * prefix (brd +), IPv6 without duplicate address detection (nodad), so
 * that the address is usable at once.
 */
static inline int wsac_addr_add(const char *ifname, const char *cidr)
{
	unsigned char addr[16] = {};
	struct wsac_nlreq req;
	int family, prefix, alen;

	family = wsac_parse_prefix(cidr, addr, &prefix);
	if (family < 0)
		return -1;
	alen = family == AF_INET6 ? 16 : 4;
	wsac_nl_init(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(req.ifa));
	req.ifa.ifa_family = family;
	req.ifa.ifa_prefixlen = prefix;
	req.ifa.ifa_index = if_nametoindex(ifname);
	if (!req.ifa.ifa_index)
		return -1;
	if (family == AF_INET6)
		req.ifa.ifa_flags = IFA_F_NODAD;
	wsac_nl_put(&req, IFA_LOCAL, addr, alen);
	wsac_nl_put(&req, IFA_ADDRESS, addr, alen);
	if (family == AF_INET && prefix < 31) {
		__u32 a, host = prefix ? ~0u >> prefix : ~0u;

		memcpy(&a, addr, 4);
		a |= htonl(host);
		wsac_nl_put(&req, IFA_BROADCAST, &a, 4);
	}
	return wsac_nl_talk(&req);
}

/* ip route add unreachable @cidr (main table). */
static inline int wsac_route_unreachable(const char *cidr)
{
	unsigned char addr[16] = {};
	struct wsac_nlreq req;
	int family, prefix;

	family = wsac_parse_prefix(cidr, addr, &prefix);
	if (family < 0)
		return -1;
	wsac_nl_init(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(req.rtm));
	req.rtm.rtm_family = family;
	req.rtm.rtm_dst_len = prefix;
	req.rtm.rtm_table = RT_TABLE_MAIN;
	req.rtm.rtm_protocol = RTPROT_BOOT;
	req.rtm.rtm_scope = RT_SCOPE_NOWHERE;
	req.rtm.rtm_type = RTN_UNREACHABLE;
	wsac_nl_put(&req, RTA_DST, addr, family == AF_INET6 ? 16 : 4);
	return wsac_nl_talk(&req);
}

/*
 * An RTM_NEWQDISC request replacing (or creating) the qdisc at @parent of
 * @ifname, with @kind and no options yet: -1 if there is no such device.
 */
static inline int wsac_qdisc_req(struct wsac_nlreq *req, const char *ifname,
				 __u32 parent, __u32 handle, const char *kind)
{
	wsac_nl_init(req, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE, sizeof(req->tcm));
	req->tcm.tcm_family = AF_UNSPEC;
	req->tcm.tcm_ifindex = if_nametoindex(ifname);
	if (!req->tcm.tcm_ifindex)
		return -1;
	req->tcm.tcm_parent = parent;
	req->tcm.tcm_handle = handle;
	wsac_nl_put_str(req, TCA_KIND, kind);
	return 0;
}

/*
 * tc qdisc replace dev @ifname parent @parent [handle @handle] @kind, with
 * the qdisc's default options.  @parent is TC_H_ROOT or TC_H_MAKE(major,
 * minor); @handle 0 lets the kernel choose.
 */
static inline int wsac_qdisc_replace(const char *ifname, __u32 parent, __u32 handle,
				     const char *kind)
{
	struct wsac_nlreq req;

	if (wsac_qdisc_req(&req, ifname, parent, handle, kind))
		return -1;
	return wsac_nl_talk(&req);
}

/*
 * fq as the root qdisc of @ifname with a flow quantum of @quantum bytes:
 * a paced flow leaves in bursts of that much, one timer per burst.
 */
static inline int wsac_fq_replace(const char *ifname, __u32 quantum)
{
	struct wsac_nlreq req;
	struct rtattr *opts;

	if (wsac_qdisc_req(&req, ifname, TC_H_ROOT, 0, "fq"))
		return -1;
	opts = wsac_nl_put(&req, TCA_OPTIONS, NULL, 0);
	wsac_nl_put_u32(&req, TCA_FQ_QUANTUM, quantum);
	wsac_nl_nest_end(&req, opts);
	return wsac_nl_talk(&req);
}

/* sysctl -w: write @value to /proc/sys/@name (dots or slashes). */
static inline int wsac_sysctl(const char *name, const char *value)
{
	char path[256];
	ssize_t len = strlen(value), n;
	int fd, err = 0;
	char *p;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	for (p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, value, len);
	if (n != len)
		err = n < 0 ? errno : EIO;
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

/* A dummy device @ifname, up, with the address @cidr. */
static inline int wsac_dummy_up(const char *ifname, const char *cidr)
{
	if (wsac_link_add(ifname, "dummy", 0, NULL, -1) ||
	    wsac_addr_add(ifname, cidr) || wsac_link_up(ifname))
		return -1;
	return 0;
}

#endif /* WSAC_RTNL_HELPERS_H */
