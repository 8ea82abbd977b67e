/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the QoS selftests (qos_test, qos_wire_test,
 * qos_admission_test): QOS buffers built the way a Winsock program builds
 * them, SIO_SET_QOS / SIO_GET_QOS calls, the socket options QoS sets, a
 * pair of network namespaces joined by a veth pair, and a packet capture on
 * the receiving side.  Include after helpers.h and kselftest_harness.h.
 *
 * The veth pair: the test process enters a private namespace (the sender,
 * device wq0, 10.77.0.1 and fd00:77::1); a second namespace, reached
 * through a descriptor, holds the receiver (device wq1, 10.77.0.2 and
 * fd00:77::2).  Sockets are tied to the namespace they are created in, so
 * wsac_pair_socket() switches into the receiver's namespace only to create
 * them.
 */
#ifndef WSAC_QOS_HELPERS_H
#define WSAC_QOS_HELPERS_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>
#include <qossp.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/wsaconnect.h>

#include "rtnl_helpers.h"

#define WSAC_TX_IF	"wq0"
#define WSAC_RX_IF	"wq1"
#define WSAC_TX_IP4	"10.77.0.1"
#define WSAC_RX_IP4	"10.77.0.2"
#define WSAC_TX_IP6	"fd00:77::1"
#define WSAC_RX_IP6	"fd00:77::2"

#define WSAC_NO_CAP	(~(uint64_t)0)	/* SO_MAX_PACING_RATE without a cap */

/*
 * The 6.1 harness runs a test body even when its FIXTURE_SETUP called
 * SKIP(): every TEST_F that may be skipped in setup starts with this.
 */
#define WSAC_SKIPPED_IN_SETUP() do { if (_metadata->skip) return; } while (0)

/* A QOS followed by room for its objects (SIO_GET_QOS output, too). */
struct wsac_qos_buf {
	QOS qos;
	unsigned char objects[1024];
};

/* A FLOWSPEC with @type and @rate; everything else left unspecified. */
static inline FLOWSPEC wsac_flowspec(ULONG type, ULONG rate)
{
	FLOWSPEC f = {
		.TokenRate = rate,
		.TokenBucketSize = QOS_NOT_SPECIFIED,
		.PeakBandwidth = QOS_NOT_SPECIFIED,
		.Latency = QOS_NOT_SPECIFIED,
		.DelayVariation = QOS_NOT_SPECIFIED,
		.ServiceType = type,
		.MaxSduSize = QOS_NOT_SPECIFIED,
		.MinimumPolicedSize = QOS_NOT_SPECIFIED,
	};

	return f;
}

/* Sending @type at @rate bytes/s, nothing received, no objects. */
static inline void wsac_qos_init(QOS *q, ULONG type, ULONG rate)
{
	memset(q, 0, sizeof(*q));
	q->SendingFlowspec = wsac_flowspec(type, rate);
	q->ReceivingFlowspec = wsac_flowspec(SERVICETYPE_NOTRAFFIC, QOS_NOT_SPECIFIED);
}

/* Append an object of @type whose ObjectLength is @objlen, payload @p. */
static inline void *wsac_obj_add(unsigned char *buf, ULONG *len, ULONG type,
				 ULONG objlen, const void *p, size_t plen)
{
	QOS_OBJECT_HDR h = { .ObjectType = type, .ObjectLength = objlen };
	unsigned char *o = buf + *len;

	memcpy(o, &h, sizeof(h));
	if (plen)
		memcpy(o + sizeof(h), p, plen);
	*len += sizeof(h) + plen;
	return o;
}

static inline void wsac_obj_ulong(unsigned char *buf, ULONG *len, ULONG type,
				  ULONG value)
{
	wsac_obj_add(buf, len, type, sizeof(QOS_OBJECT_HDR) + sizeof(ULONG),
		     &value, sizeof(value));
}

/* A QOS_DESTADDR in Windows' layout (a pointer to the sockaddr). */
static inline void wsac_obj_destaddr(unsigned char *buf, ULONG *len,
				     const struct sockaddr *sa, ULONG salen)
{
	QOS_DESTADDR d;

	memset(&d, 0, sizeof(d));
	d.ObjectHdr.ObjectType = QOS_OBJECT_DESTADDR;
	d.ObjectHdr.ObjectLength = sizeof(d);
	d.SocketAddress = sa;
	d.SocketAddressLength = salen;
	memcpy(buf + *len, &d, sizeof(d));
	*len += sizeof(d);
}

static inline void wsac_obj_end(unsigned char *buf, ULONG *len)
{
	wsac_obj_add(buf, len, QOS_OBJECT_END_OF_LIST, sizeof(QOS_OBJECT_HDR), NULL, 0);
}

static inline int wsac_set_qos(SOCKET s, QOS *q)
{
	DWORD n = 0;

	return WSAIoctl(s, SIO_SET_QOS, q, sizeof(*q), NULL, 0, &n, NULL, NULL);
}

/* SIO_GET_QOS into @b (whole buffer); *@n gets the bytes returned. */
static inline int wsac_get_qos(SOCKET s, struct wsac_qos_buf *b, DWORD *n)
{
	DWORD dummy;

	memset(b, 0xa5, sizeof(*b));
	return WSAIoctl(s, SIO_GET_QOS, NULL, 0, b, sizeof(*b), n ? n : &dummy,
			NULL, NULL);
}

/*
 * The object of @type in SIO_GET_QOS output @b, copied to @out (at most
 * @size bytes); returns its ObjectLength, 0 if absent, -1 if the list is
 * malformed (runs past ProviderSpecific, or no END_OF_LIST).
 */
static inline long wsac_find_object(const struct wsac_qos_buf *b, ULONG type,
				    void *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)b->qos.ProviderSpecific.buf;
	ULONG len = b->qos.ProviderSpecific.len, off = 0;
	QOS_OBJECT_HDR h;

	if (!p || !len)
		return 0;
	if (p < (const unsigned char *)b + sizeof(QOS) ||
	    p + len > (const unsigned char *)b + sizeof(*b))
		return -1;
	while (off + sizeof(h) <= len) {
		memcpy(&h, p + off, sizeof(h));
		if (h.ObjectLength < sizeof(h) || off + h.ObjectLength > len)
			return -1;
		if (h.ObjectType == type) {
			if (out)
				memcpy(out, p + off, h.ObjectLength < size ? h.ObjectLength : size);
			return h.ObjectLength;
		}
		if (h.ObjectType == QOS_OBJECT_END_OF_LIST)
			return 0;
		off += h.ObjectLength;
	}
	return -1;
}

static inline int wsac_flowspec_eq(const FLOWSPEC *a, const FLOWSPEC *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The socket options QoS sets, read back with getsockopt(2). */
struct wsac_opts {
	int tos;	/* IP_TOS (AF_INET) or IPV6_TCLASS (AF_INET6) */
	int priority;
	uint64_t pacing;
	int rcvbuf;
};

static inline int wsac_opts_get(SOCKET s, int family, struct wsac_opts *o)
{
	socklen_t l = sizeof(int);
	uint64_t rate = 0;

	memset(o, 0, sizeof(*o));
	if (family == AF_INET6) {
		if (getsockopt(s, SOL_IPV6, IPV6_TCLASS, &o->tos, &l))
			return -1;
	} else if (getsockopt(s, SOL_IP, IP_TOS, &o->tos, &l)) {
		return -1;
	}
	l = sizeof(int);
	if (getsockopt(s, SOL_SOCKET, SO_PRIORITY, &o->priority, &l))
		return -1;
	l = sizeof(int);
	if (getsockopt(s, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf, &l))
		return -1;
	/* 8 bytes: the kernel answers with its 64-bit value, 32-bit callers too. */
	l = sizeof(rate);
	if (getsockopt(s, SOL_SOCKET, SO_MAX_PACING_RATE, &rate, &l))
		return -1;
	o->pacing = l == sizeof(rate) ? rate :
		    ((uint32_t)rate == ~0U ? WSAC_NO_CAP : (uint32_t)rate);
	return 0;
}

static inline int wsac_opts_eq(const struct wsac_opts *a, const struct wsac_opts *b)
{
	return a->tos == b->tos && a->priority == b->priority &&
	       a->pacing == b->pacing && a->rcvbuf == b->rcvbuf;
}

/* Drop @cap from the calling process's capability sets; 0 on success. */
static inline int wsac_drop_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &h, d);
}

static inline double wsac_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline socklen_t wsac_sockaddr(int family, const char *ip,
				      unsigned short port,
				      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &sin6->sin6_addr);
		return sizeof(*sin6);
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
	return sizeof(*sin);
}

static inline unsigned short wsac_port_of(const struct sockaddr_storage *ss)
{
	/* sin_port and sin6_port sit at the same offset */
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static inline unsigned short wsac_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &l))
		return 0;
	return wsac_port_of(&ss);
}

struct wsac_pair {
	int tx_ns, rx_ns;	/* namespace descriptors */
	int tx_ifindex;		/* wq0, in the sender's namespace */
	int rx_ifindex;		/* wq1, in the receiver's namespace */
};

/* Bring up @ifname with both test addresses, in the current namespace. */
static inline int wsac_pair_end_up(const char *ifname, const char *ip4, const char *ip6)
{
	char cidr4[32], cidr6[64];

	snprintf(cidr4, sizeof(cidr4), "%s/24", ip4);
	snprintf(cidr6, sizeof(cidr6), "%s/64", ip6);
	if (wsac_addr_add(ifname, cidr4) || wsac_addr_add(ifname, cidr6) ||
	    wsac_link_up(ifname))
		return -1;
	return 0;
}

/*
 * Enter a private namespace (the sender) and build the veth pair to a new
 * receiver namespace, which lives as long as the test process (it holds
 * the only reference, rx_ns).  Returns 0; -1 with a reason in @why if the
 * kernel lacks what it needs (skip), -2 for any other failure (fail).
 */
static inline int wsac_pair_setup_txq(struct wsac_pair *p, int txq, char *why,
				      size_t whylen)
{
	memset(p, 0, sizeof(*p));
	p->tx_ns = p->rx_ns = -1;
	if (wsac_private_netns()) {
		snprintf(why, whylen, "sender namespace: %s", strerror(errno));
		return -1;
	}
	p->tx_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (p->tx_ns < 0 || wsac_private_netns()) {
		snprintf(why, whylen, "receiver namespace: %s", strerror(errno));
		return -2;
	}
	p->rx_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (p->rx_ns < 0 || setns(p->tx_ns, CLONE_NEWNET)) {
		snprintf(why, whylen, "receiver namespace: %s", strerror(errno));
		return -2;
	}
	if (wsac_link_add(WSAC_TX_IF, "veth", txq, WSAC_RX_IF, p->rx_ns)) {
		snprintf(why, whylen, "veth pair: %s (no veth?)", strerror(errno));
		return -1;
	}
	if (wsac_pair_end_up(WSAC_TX_IF, WSAC_TX_IP4, WSAC_TX_IP6)) {
		snprintf(why, whylen, "sender namespace setup: %s", strerror(errno));
		return -2;
	}
	p->tx_ifindex = if_nametoindex(WSAC_TX_IF);
	if (setns(p->rx_ns, CLONE_NEWNET)) {
		snprintf(why, whylen, "setns: %s", strerror(errno));
		return -2;
	}
	if (wsac_pair_end_up(WSAC_RX_IF, WSAC_RX_IP4, WSAC_RX_IP6)) {
		snprintf(why, whylen, "receiver namespace setup: %s", strerror(errno));
		setns(p->tx_ns, CLONE_NEWNET);
		return -2;
	}
	p->rx_ifindex = if_nametoindex(WSAC_RX_IF);
	if (setns(p->tx_ns, CLONE_NEWNET)) {
		snprintf(why, whylen, "setns back: %s", strerror(errno));
		return -2;
	}
	if (!p->tx_ifindex || !p->rx_ifindex) {
		snprintf(why, whylen, "veth devices not found");
		return -2;
	}
	return 0;
}

static inline int wsac_pair_setup(struct wsac_pair *p, char *why, size_t whylen)
{
	return wsac_pair_setup_txq(p, 1, why, whylen);
}

static inline void wsac_pair_teardown(struct wsac_pair *p)
{
	if (p->rx_ns >= 0)
		close(p->rx_ns);
	if (p->tx_ns >= 0)
		close(p->tx_ns);
}

/* In a FIXTURE_SETUP: the pair, or SKIP / fail with the reason. */
#define WSAC_PAIR_SETUP(p, txq) do {					\
	char __why[128];						\
	int __rc = wsac_pair_setup_txq(p, txq, __why, sizeof(__why));	\
									\
	if (__rc == -1)							\
		SKIP(return, "%s", __why);				\
	ASSERT_EQ(0, __rc) TH_LOG("%s", __why);				\
} while (0)

/* A socket created in the receiver's namespace. */
static inline int wsac_pair_socket(struct wsac_pair *p, int family, int type, int proto)
{
	int fd, err;

	if (setns(p->rx_ns, CLONE_NEWNET))
		return -1;
	fd = socket(family, type, proto);
	err = errno;
	if (setns(p->tx_ns, CLONE_NEWNET)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	errno = err;
	return fd;
}

/*
 * A receiver socket of @type bound to the receiver's address of @family
 * (listening for TCP); its address goes to @ss.
 */
static inline int wsac_pair_server(struct wsac_pair *p, int family, int type,
				   struct sockaddr_storage *ss, socklen_t *len)
{
	int fd = wsac_pair_socket(p, family, type, 0);

	if (fd < 0)
		return -1;
	*len = wsac_sockaddr(family, family == AF_INET6 ? WSAC_RX_IP6 : WSAC_RX_IP4, 0, ss);
	if (bind(fd, (struct sockaddr *)ss, *len) ||
	    (type == SOCK_STREAM && listen(fd, 64)) ||
	    getsockname(fd, (struct sockaddr *)ss, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Accept within @ms milliseconds; -1 if nothing came. */
static inline int wsac_accept_within_ms(int listener, int ms)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return accept(listener, NULL, NULL);
}

/* A packet capture on the receiver's device (incoming packets only). */
static inline int wsac_capture_open(struct wsac_pair *p)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = p->rx_ifindex,
	};
	int fd = wsac_pair_socket(p, AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What the capture saw of one IPv4/IPv6 TCP or UDP packet. */
struct wsac_pkt {
	int family;
	unsigned int tos;	/* IPv4 TOS or IPv6 traffic class byte */
	unsigned int proto;
	unsigned short sport, dport;
	unsigned int tcpflags;
	unsigned int payload;
};

#define WSAC_TCP_SYN	0x02
#define WSAC_TCP_ACK	0x10

static inline int wsac_parse_pkt(const unsigned char *b, size_t n, struct wsac_pkt *k)
{
	unsigned int ethertype, l3len, l4off, iplen;

	if (n < 14)
		return -1;
	memset(k, 0, sizeof(*k));
	ethertype = (b[12] << 8) | b[13];
	b += 14;
	n -= 14;
	if (ethertype == ETH_P_IP) {
		if (n < 20 || (b[0] >> 4) != 4)
			return -1;
		k->family = AF_INET;
		k->tos = b[1];
		k->proto = b[9];
		l4off = (b[0] & 0x0f) * 4;
		iplen = (b[2] << 8) | b[3];
		l3len = iplen < n ? iplen : n;
	} else if (ethertype == ETH_P_IPV6) {
		if (n < 40 || (b[0] >> 4) != 6)
			return -1;
		k->family = AF_INET6;
		k->tos = ((b[0] & 0x0f) << 4) | (b[1] >> 4);
		k->proto = b[6];
		l4off = 40;
		iplen = 40 + ((b[4] << 8) | b[5]);
		l3len = iplen < n ? iplen : n;
	} else {
		return -1;
	}
	if (l3len < l4off + 8)
		return -1;
	b += l4off;
	k->sport = (b[0] << 8) | b[1];
	k->dport = (b[2] << 8) | b[3];
	if (k->proto == IPPROTO_TCP) {
		unsigned int doff;

		if (l3len < l4off + 20)
			return -1;
		doff = (b[12] >> 4) * 4;
		k->tcpflags = b[13];
		/* A GSO packet's IP length may be 0; then count what we have. */
		k->payload = l3len > l4off + doff ? l3len - l4off - doff : 0;
	} else if (k->proto == IPPROTO_UDP) {
		k->payload = l3len - l4off - 8;
	}
	return 0;
}

/*
 * The next incoming packet of @proto to @dport (or from @sport when @dport
 * is 0) that has the TCP flags in @flags and, if @want_payload, data.
 * Returns 0 with @k filled, -1 after @ms milliseconds.
 */
static inline int wsac_capture_find(int fd, int ms, unsigned int proto,
				    unsigned short sport, unsigned short dport,
				    unsigned int flags, int want_payload,
				    struct wsac_pkt *k)
{
	double end = wsac_now() + ms / 1000.0;
	unsigned char buf[65536 + 64];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		int left = (int)((end - wsac_now()) * 1000);
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) != 1)
			return -1;
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (wsac_parse_pkt(buf, n, k) || k->proto != proto)
			continue;
		if (dport && k->dport != dport)
			continue;
		if (sport && k->sport != sport)
			continue;
		if (proto == IPPROTO_TCP && (k->tcpflags & flags) != flags)
			continue;
		if (proto == IPPROTO_TCP && (flags & WSAC_TCP_SYN) == 0 &&
		    (k->tcpflags & WSAC_TCP_SYN))
			continue;
		if (want_payload && !k->payload)
			continue;
		return 0;
	}
}

/*
 * One line of a /proc/net file whose first field is @key, copied into
 * @line; 1 if found, 0 if not, -1 if the file cannot be read.
 */
static inline int wsac_proc_line(const char *path, const char *key,
				 char *line, size_t size)
{
	FILE *f = fopen(path, "re");
	char buf[1024];
	int found = 0;

	if (!f)
		return -1;
	/* The first line is the header. */
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char first[128];

		if (sscanf(buf, "%127s", first) == 1 && !strcmp(first, key)) {
			size_t l = strlen(buf);

			if (l >= size)
				l = size - 1;
			memcpy(line, buf, l);
			line[l] = 0;
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

/*
 * Bytes of one QoS state object, from its slab cache ("wsac_qos_state"):
 * SLUB's sysfs, else /proc/slabinfo; -1 if neither says (a merged cache
 * reports the largest object it holds).
 */
static inline long wsac_state_object_size(void)
{
	FILE *f = fopen("/sys/kernel/slab/wsac_qos_state/object_size", "re");
	long size = -1, found = -1, active, total;
	char line[512], name[64];

	if (f) {
		if (fscanf(f, "%ld", &found) != 1)
			found = -1;
		fclose(f);
		return found;
	}
	f = fopen("/proc/slabinfo", "re");
	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &total, &size) == 4 &&
		    !strcmp(name, "wsac_qos_state"))
			found = size;
	fclose(f);
	return found;
}

static inline unsigned long wsac_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return 0;
	return (unsigned long)st.st_ino;
}

#endif /* WSAC_QOS_HELPERS_H */
