// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/wsaconnect is 0666: every command is reachable by any user in any
 * network namespace.  Regression tests for what outside reviewers reached
 * that way (issue 9), driven through the raw ioctls:
 *
 *   dest_family        an address of the wrong family for the socket
 *                      (WSAC_QOS_DEST, QOS_OBJECT_DESTADDR, QOS_ADMIT)
 *                      once reached ip6_route_output() on an AF_INET
 *                      socket: a NULL dereference
 *   purge_peek_race    WSAC_IOC_DGRAM_PURGE racing recv(MSG_PEEK) that
 *                      meets bad checksums once corrupted the queue and
 *                      uncharged receive memory twice
 *   unbounded_credit   a socket that held an unbounded Guaranteed
 *                      reservation was admitted anything afterwards
 *   adm_write_*        malformed capacity lines are refused
 *   netctl_*           NetworkControl follows SO_PRIORITY's rule
 *   commit_needs_the_plan_in_force, reservation_follows_the_peer
 *                      the admission rule (Documentation/qos.rst)
 */
#include "helpers.h"

#include <linux/sock_diag.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "qos_helpers.h"

#define WSAC_ADM	"/proc/net/wsaconnect_admission"

static int wsac_dev(void)
{
	return open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);
}

/* A WSAC_IOC_QOS_SET request for @fd with a sending flowspec. */
static void wsac_qos_req(struct wsac_qos *q, int fd, __u32 service, __u32 rate)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->fd = fd;
	q->sending.token_rate = rate;
	q->sending.token_bucket_size = WSAC_QOS_NOT_SPECIFIED;
	q->sending.peak_bandwidth = WSAC_QOS_NOT_SPECIFIED;
	q->sending.latency = WSAC_QOS_NOT_SPECIFIED;
	q->sending.delay_variation = WSAC_QOS_NOT_SPECIFIED;
	q->sending.service_type = service;
	q->sending.max_sdu_size = WSAC_QOS_NOT_SPECIFIED;
	q->sending.minimum_policed_size = WSAC_QOS_NOT_SPECIFIED;
	q->receiving = q->sending;
	q->receiving.service_type = 0x6;	/* SERVICETYPE_NOCHANGE */
}

static socklen_t wsac_addr4(struct sockaddr_storage *ss, const char *ip, int port)
{
	return wsac_sockaddr(AF_INET, ip, port, ss);
}

static socklen_t wsac_addr6(struct sockaddr_storage *ss, const char *ip, int port)
{
	return wsac_sockaddr(AF_INET6, ip, port, ss);
}

/* --- item 1: addresses of the wrong family ------------------------------ */

FIXTURE(fam) {
	int dev;
};

FIXTURE_SETUP(fam)
{
	ASSERT_EQ(0, wsac_private_netns());
	/* Routes for both families, so that a lookup gets far. */
	ASSERT_EQ(0, wsac_dummy_up("wf0", "10.79.0.1/24"));
	ASSERT_EQ(0, wsac_addr_add("wf0", "fd00:79::1/64"));
	self->dev = wsac_dev();
	ASSERT_LE(0, self->dev) TH_LOG("/dev/wsaconnect: %s", strerror(errno));
}

FIXTURE_TEARDOWN(fam)
{
	close(self->dev);
}

/* SET with WSAC_QOS_DEST @addr on a new socket of @family; the verdict. */
static int wsac_set_dest(int dev, int family, int type, const void *addr,
			 socklen_t len, __u32 flags, __u32 *reason)
{
	struct wsac_qos q;
	int s = socket(family, type, 0), rc;

	if (s < 0)
		return -1000;
	wsac_qos_req(&q, s, 0x1 /* BESTEFFORT */, WSAC_QOS_NOT_SPECIFIED);
	q.flags = WSAC_QOS_DEST | flags;
	q.addrlen = len;
	memcpy(q.addr, addr, len);
	rc = ioctl(dev, WSAC_IOC_QOS_SET, &q);
	close(s);
	if (rc)
		return -2000 - errno;
	*reason = q.reason;
	return q.verdict;
}

TEST_F(fam, dest_family)
{
	struct sockaddr_storage v4, v6, mapped;
	socklen_t l4 = wsac_addr4(&v4, "10.79.0.2", 9);
	socklen_t l6 = wsac_addr6(&v6, "fd00:79::2", 9);
	socklen_t lm = wsac_addr6(&mapped, "::ffff:10.79.0.2", 9);
	int types[] = { SOCK_DGRAM, SOCK_STREAM };
	__u32 reason;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		int t = types[i];

		/* The crash: an IPv6 route looked up for an AF_INET socket. */
		EXPECT_EQ(-EAFNOSUPPORT, wsac_set_dest(self->dev, AF_INET, t, &v6, l6, 0, &reason));
		EXPECT_EQ(WSAC_QOS_BAD_ADDRESS, reason);
		EXPECT_EQ(-EAFNOSUPPORT, wsac_set_dest(self->dev, AF_INET, t, &mapped, lm,
						       WSAC_QOS_COMMIT, &reason));
		EXPECT_EQ(WSAC_QOS_BAD_ADDRESS, reason);
		/* An AF_INET6 socket takes AF_INET6 names, v4-mapped included. */
		EXPECT_EQ(-EAFNOSUPPORT,
			  wsac_set_dest(self->dev, AF_INET6, t, &v4, l4, 0, &reason));
		EXPECT_EQ(WSAC_QOS_BAD_ADDRESS, reason);
		EXPECT_EQ(0, wsac_set_dest(self->dev, AF_INET6, t, &mapped, lm, 0, &reason));
		EXPECT_EQ(0, wsac_set_dest(self->dev, AF_INET6, t, &v6, l6, 0, &reason));
		EXPECT_EQ(0, wsac_set_dest(self->dev, AF_INET, t, &v4, l4, 0, &reason));
		/* Shorter than its family's sockaddr. */
		EXPECT_EQ(-EFAULT, wsac_set_dest(self->dev, AF_INET6, t, &v6, l6 - 4, 0, &reason));
		EXPECT_EQ(WSAC_QOS_BAD_ADDRESS, reason);
		EXPECT_EQ(-EFAULT, wsac_set_dest(self->dev, AF_INET, t, &v4, 2, 0, &reason));
	}
}

TEST_F(fam, destaddr_object_family)
{
	struct sockaddr_storage v6;
	socklen_t l6 = wsac_addr6(&v6, "fd00:79::2", 9);
	struct wsac_qos q;
	__u32 hdr[3];
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	ASSERT_LE(0, s);
	wsac_qos_req(&q, s, 0x1, WSAC_QOS_NOT_SPECIFIED);
	hdr[0] = WSAC_QOS_OBJECT_DESTADDR;
	hdr[1] = sizeof(hdr) + ((l6 + 3) & ~3U);
	hdr[2] = l6;
	memcpy(q.objects, hdr, sizeof(hdr));
	memcpy(q.objects + sizeof(hdr), &v6, l6);
	q.objects_len = hdr[1];
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_SET, &q));
	EXPECT_EQ(-EINVAL, q.verdict);
	EXPECT_EQ(WSAC_QOS_BAD_OBJECT, q.reason);
	close(s);
}

TEST_F(fam, admit_family)
{
	struct sockaddr_storage v6, mapped, v4;
	socklen_t l6 = wsac_addr6(&v6, "fd00:79::2", 9);
	socklen_t lm = wsac_addr6(&mapped, "::ffff:10.79.0.2", 9);
	socklen_t l4 = wsac_addr4(&v4, "10.79.0.2", 9);
	struct wsac_qos_admit a;
	struct wsac_qos q;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	ASSERT_LE(0, s);
	/* A committed QoS without a destination: ADMIT routes. */
	wsac_qos_req(&q, s, 0x1, WSAC_QOS_NOT_SPECIFIED);
	q.flags = WSAC_QOS_COMMIT;
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_SET, &q));
	ASSERT_EQ(0, q.verdict) TH_LOG("reason %u", q.reason);

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.fd = s;
	a.addrlen = l6;
	memcpy(a.addr, &v6, l6);
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_ADMIT, &a));
	EXPECT_EQ(-EAFNOSUPPORT, a.verdict);
	EXPECT_EQ(WSAC_QOS_BAD_ADDRESS, a.reason);
	EXPECT_EQ(0, a.ifindex);

	memset(a.addr, 0, sizeof(a.addr));
	a.addrlen = lm;
	memcpy(a.addr, &mapped, lm);
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_ADMIT, &a));
	EXPECT_EQ(-EAFNOSUPPORT, a.verdict);

	memset(a.addr, 0, sizeof(a.addr));
	a.addrlen = l4;
	memcpy(a.addr, &v4, l4);
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_ADMIT, &a));
	EXPECT_EQ(0, a.verdict);
	EXPECT_EQ(if_nametoindex("wf0"), a.ifindex);
	close(s);
}

/* --- item 2: DGRAM_PURGE against a peeking reader ----------------------- */

#define WSAC_BAD_N	24	/* bad datagrams queued per round */
#define WSAC_BAD_LEN	1200	/* payload: above CHECKSUM_BREAK, checked lazily */
#define WSAC_ROUNDS	150
#define WSAC_RACE_SEC	3.0

struct wsac_race {
	int s;
	atomic_int go, started, done, stop;
};

/* Peek at the queue each round until it is empty: bad checksums get dropped. */
static void *wsac_peeker(void *arg)
{
	struct wsac_race *r = arg;
	char buf[64];
	int seen = 0;

	for (;;) {
		int go;

		while ((go = atomic_load(&r->go)) == seen && !atomic_load(&r->stop))
			;
		if (atomic_load(&r->stop))
			return NULL;
		seen = go;
		atomic_store(&r->started, seen);
		while (recv(r->s, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT) >= 0)
			;
		atomic_store(&r->done, seen);
	}
}

static int wsac_rmem(int s)
{
	__u32 mem[SK_MEMINFO_VARS];
	socklen_t l = sizeof(mem);

	if (getsockopt(s, SOL_SOCKET, SO_MEMINFO, mem, &l))
		return -1;
	return (int)mem[SK_MEMINFO_RMEM_ALLOC];
}

FIXTURE(purge) {
	struct wsac_pair p;
	int dev, raw, s;
};

FIXTURE_SETUP(purge)
{
	self->dev = self->raw = self->s = -1;
	WSAC_PAIR_SETUP(&self->p, 1);
	self->dev = wsac_dev();
	ASSERT_LE(0, self->dev);
	/* Raw IPPROTO_UDP: the kernel leaves our bad checksum alone. */
	self->raw = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	ASSERT_LE(0, self->raw) TH_LOG("raw socket: %s", strerror(errno));
}

FIXTURE_TEARDOWN(purge)
{
	if (self->s >= 0)
		close(self->s);
	if (self->raw >= 0)
		close(self->raw);
	if (self->dev >= 0)
		close(self->dev);
	wsac_pair_teardown(&self->p);
}

/* A fresh receiver socket, bound (not connected) in the receiver's namespace. */
static int wsac_receiver(struct wsac_pair *p, struct sockaddr_storage *local,
			 socklen_t *llen)
{
	int s = wsac_pair_socket(p, AF_INET, SOCK_DGRAM, 0);

	*llen = wsac_addr4(local, WSAC_RX_IP4, 0);
	if (s < 0 || bind(s, (struct sockaddr *)local, *llen) ||
	    getsockname(s, (struct sockaddr *)local, llen)) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

TEST_F(purge, purge_peek_race)
{
	struct sockaddr_storage local, peer;
	socklen_t llen, plen = wsac_addr4(&peer, WSAC_TX_IP4, 9);
	unsigned char pkt[sizeof(struct udphdr) + WSAC_BAD_LEN];
	struct udphdr *uh = (struct udphdr *)pkt;
	struct wsac_race r = {};
	double end = wsac_now() + WSAC_RACE_SEC;
	int round, i, spin, dropped = 0, peeked_away = 0;
	pthread_t th;

	memset(pkt, 0xa5, sizeof(pkt));
	uh->source = htons(7777);	/* not the peer's port */
	uh->len = htons(sizeof(pkt));
	uh->check = htons(0x1234);	/* wrong, and not "no checksum" */

	r.s = -1;
	ASSERT_EQ(0, pthread_create(&th, NULL, wsac_peeker, &r));
	for (round = 1; round <= WSAC_ROUNDS && wsac_now() < end; round++) {
		struct wsac_dgram_purge req = { .size = sizeof(req) };
		int off = (WSAC_BAD_N - 1) * WSAC_BAD_LEN;

		/*
		 * A new socket each round: only an unconnected one takes the
		 * datagrams the purge is to drop.
		 */
		self->s = wsac_receiver(&self->p, &local, &llen);
		ASSERT_LE(0, self->s);
		r.s = self->s;
		req.fd = self->s;
		uh->dest = ((struct sockaddr_in *)&local)->sin_port;
		for (i = 0; i < WSAC_BAD_N; i++)
			ASSERT_EQ(sizeof(pkt), sendto(self->raw, pkt, sizeof(pkt), 0,
						      (struct sockaddr *)&local, llen));
		/* veth delivers from the sender's softirq: wait a little at most. */
		for (i = 0; i < 1000 && wsac_rmem(self->s) < WSAC_BAD_N * WSAC_BAD_LEN; i++)
			usleep(100);
		ASSERT_LE(WSAC_BAD_N * WSAC_BAD_LEN, wsac_rmem(self->s));
		ASSERT_EQ(0, connect(self->s, (struct sockaddr *)&peer, plen));
		/* Peek at the last datagram: the one a purge frees last. */
		ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)));
		atomic_store(&r.go, round);
		/*
		 * Purge while the reader is about to peek, or in the middle
		 * of it, or just done: a head start of varying length.
		 */
		while (atomic_load(&r.started) != round)
			;
		for (spin = 0; spin < (round % 8) * 200; spin++)
			atomic_signal_fence(memory_order_seq_cst);
		ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_DGRAM_PURGE, &req));
		dropped += req.dropped;
		EXPECT_EQ(0, req.kept);
		while (atomic_load(&r.done) != round)
			;
		peeked_away += WSAC_BAD_N - req.dropped;
		/* Nothing is left, and nothing is charged twice or leaked. */
		EXPECT_EQ(0, wsac_rmem(self->s)) TH_LOG("round %d", round);
		close(self->s);
		self->s = -1;
		if (!_metadata->passed)
			break;
	}
	atomic_store(&r.stop, 1);
	pthread_join(th, NULL);
	TH_LOG("%d rounds: %d dropped by the purge, %d by the peeking reader",
	       round - 1, dropped, peeked_away);
	/* Both kinds of drop must have happened for the race to be tested. */
	EXPECT_LT(0, dropped);
	EXPECT_LT(0, peeked_away);
}

/* --- item 4: the credit of an unbounded reservation --------------------- */

#define WSAC_R		1000000U
#define WSAC_GUAR	(0x3 | 0x01000000)	/* Guaranteed, NO_TRAFFIC_CONTROL */

static int wsac_adm_write(const char *text)
{
	int fd = open(WSAC_ADM, O_WRONLY | O_CLOEXEC), rc = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		rc = -errno;
	else if (n != (ssize_t)strlen(text))
		rc = -EIO;
	close(fd);
	return rc;
}

/* Commit a Guaranteed sending QoS of @rate on connected @s; the verdict. */
static int wsac_guarantee(int dev, int s, __u32 rate, __u32 *reason)
{
	struct wsac_qos q;

	wsac_qos_req(&q, s, WSAC_GUAR, rate);
	q.flags = WSAC_QOS_COMMIT;
	if (ioctl(dev, WSAC_IOC_QOS_SET, &q))
		return -1000 - errno;
	*reason = q.reason;
	return q.verdict;
}

static int wsac_udp_to(const char *ip)
{
	struct sockaddr_storage ss;
	socklen_t l = wsac_addr4(&ss, ip, 9);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s >= 0 && connect(s, (struct sockaddr *)&ss, l)) {
		close(s);
		return -1;
	}
	return s;
}

FIXTURE(adm) {
	int dev;
};

FIXTURE_SETUP(adm)
{
	ASSERT_EQ(0, wsac_private_netns());
	ASSERT_EQ(0, wsac_dummy_up("wa0", "10.78.0.1/24"));
	self->dev = wsac_dev();
	ASSERT_LE(0, self->dev);
}

FIXTURE_TEARDOWN(adm)
{
	close(self->dev);
}

TEST_F(adm, unbounded_credit)
{
	int a = wsac_udp_to("10.78.0.2"), b = wsac_udp_to("10.78.0.3");
	char line[64];
	__u32 reason;
	int i, rc;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	/* No capacity yet: an unbounded Guaranteed flow is admitted. */
	ASSERT_EQ(0, wsac_guarantee(self->dev, a, WSAC_QOS_NOT_SPECIFIED, &reason));
	snprintf(line, sizeof(line), "wa0 %u\n", 3 * WSAC_R);
	ASSERT_EQ(0, wsac_adm_write(line));
	/* It reserved no bytes: all of the capacity goes to b. */
	ASSERT_EQ(0, wsac_guarantee(self->dev, b, 3 * WSAC_R, &reason));
	/* a asking for a bounded rate now must not be admitted past b. */
	EXPECT_EQ(-EOPNOTSUPP, wsac_guarantee(self->dev, a, WSAC_R, &reason));
	EXPECT_EQ(WSAC_QOS_ADMISSION, reason);
	close(b);
	/* With b destroyed (after an RCU grace period for UDP) it fits. */
	for (i = 0; i < 100; i++) {
		rc = wsac_guarantee(self->dev, a, WSAC_R, &reason);
		if (rc != -EOPNOTSUPP)
			break;
		usleep(20 * 1000);
	}
	EXPECT_EQ(0, rc);
	close(a);
}

/* --- the admission rule ------------------------------------------------- */

/*
 * A commit records, and reserves for, only a QoS whose plan is in force:
 * the options the dry run asked for must be on the socket.
 */
TEST_F(adm, commit_needs_the_plan_in_force)
{
	int s = wsac_udp_to("10.78.0.2"), tos, prio;
	struct wsac_qos q;

	ASSERT_LE(0, s);
	/* Guaranteed without a rate: TOS 0xa0 and priority 6, no pacing. */
	wsac_qos_req(&q, s, 0x3, WSAC_QOS_NOT_SPECIFIED);
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_SET, &q));
	ASSERT_EQ(0, q.verdict);
	ASSERT_TRUE(q.plan.set & WSAC_PLAN_TOS);
	ASSERT_TRUE(q.plan.set & WSAC_PLAN_PRIORITY);
	tos = q.plan.tos;
	prio = q.plan.priority;

	wsac_qos_req(&q, s, 0x3, WSAC_QOS_NOT_SPECIFIED);
	q.flags = WSAC_QOS_COMMIT;
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_SET, &q));
	EXPECT_EQ(-EOPNOTSUPP, q.verdict);
	EXPECT_EQ(WSAC_QOS_NOT_IN_FORCE, q.reason);
	EXPECT_FALSE(q.status & WSAC_QOS_ST_SET);

	/* IP_TOS first: it resets the priority. */
	ASSERT_EQ(0, setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)));
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_PRIORITY, &prio, sizeof(prio)));
	wsac_qos_req(&q, s, 0x3, WSAC_QOS_NOT_SPECIFIED);
	q.flags = WSAC_QOS_COMMIT;
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_SET, &q));
	EXPECT_EQ(0, q.verdict) TH_LOG("reason %u", q.reason);
	EXPECT_TRUE(q.status & WSAC_QOS_ST_SET);
	close(s);
}

/*
 * A connected socket reserves on the device towards its peer, not on
 * whatever device a route to the address it names goes through.
 */
TEST_F(adm, reservation_follows_the_peer)
{
	int s = wsac_udp_to("10.78.0.2");
	struct sockaddr_storage other;
	socklen_t l = wsac_addr4(&other, "10.78.2.2", 9);
	struct wsac_qos q;

	ASSERT_LE(0, s);
	ASSERT_EQ(0, wsac_dummy_up("wb0", "10.78.2.1/24"));
	ASSERT_EQ(0, wsac_adm_write("wb0 1000\n"));
	wsac_qos_req(&q, s, WSAC_GUAR, WSAC_R);
	q.flags = WSAC_QOS_COMMIT | WSAC_QOS_DEST;
	q.addrlen = l;
	memcpy(q.addr, &other, l);
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_QOS_SET, &q));
	/* wb0 could not take it; wa0, the peer's device, can. */
	EXPECT_EQ(0, q.verdict) TH_LOG("reason %u", q.reason);
	EXPECT_EQ(if_nametoindex("wa0"), q.effective.ifindex);
	EXPECT_EQ(WSAC_R, q.effective.admitted_rate);
	close(s);
}

/* --- item 5: capacity lines --------------------------------------------- */

TEST_F(adm, adm_write_malformed)
{
	/* A 15-character name exists; a 16-character one must not become it. */
	ASSERT_EQ(0, wsac_dummy_up("abcdefghijklmno", "10.78.1.1/24"));
	EXPECT_EQ(-EINVAL, wsac_adm_write("abcdefghijklmno7 1000\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write("wa0 1000 junk\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write("wa0 1000junk\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write("wa0\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write("wa0 \n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write("wa0 1000\nwa0 2000\n"));
	EXPECT_EQ(-ENODEV, wsac_adm_write("nosuchdev 1000\n"));
	EXPECT_EQ(0, wsac_adm_write("abcdefghijklmno 1000\n"));
	EXPECT_EQ(0, wsac_adm_write("wa0 1000"));
	EXPECT_EQ(0, wsac_adm_write("wa0 none\n"));
	EXPECT_EQ(0, wsac_adm_write("abcdefghijklmno none\n"));
}

/*
 * Capacity writes racing the device's deletion: a capacity must never
 * survive on an index that a later device of the same index inherits.
 */
struct wsac_writer {
	atomic_int stop;
	int writes;
};

static void *wsac_adm_writer(void *arg)
{
	struct wsac_writer *w = arg;

	while (!atomic_load(&w->stop)) {
		wsac_adm_write("wr0 5000\n");
		w->writes++;
	}
	return NULL;
}

TEST_F(adm, adm_write_unregister_race)
{
	struct wsac_writer w = {};
	double end = wsac_now() + 2.0;
	char line[256];
	pthread_t th;
	int i, bad = 0;

	ASSERT_EQ(0, pthread_create(&th, NULL, wsac_adm_writer, &w));
	for (i = 0; i < 200 && wsac_now() < end && !bad; i++) {
		ASSERT_EQ(0, wsac_link_add_at("wr0", 4242, "dummy", 0, NULL, -1));
		ASSERT_EQ(0, wsac_link_del("wr0"));
		/* Another device takes the index: it has no capacity. */
		ASSERT_EQ(0, wsac_link_add_at("wr1", 4242, "dummy", 0, NULL, -1));
		if (wsac_proc_line(WSAC_ADM, "wr1", line, sizeof(line)) == 1 &&
		    !strstr(line, " none "))
			bad = 1;
		ASSERT_EQ(0, wsac_link_del("wr1"));
	}
	atomic_store(&w.stop, 1);
	pthread_join(th, NULL);
	TH_LOG("%d rounds, %d writes", i, w.writes);
	EXPECT_EQ(0, bad) TH_LOG("inherited: %s", line);
}

/* --- item 6: NetworkControl needs what SO_PRIORITY 7 needs -------------- */

/* Keep only the capabilities in @keep (a bit mask of CAP_*). */
static int wsac_caps_only(__u64 keep)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	d[0].effective = d[0].permitted = (__u32)keep;
	d[1].effective = d[1].permitted = (__u32)(keep >> 32);
	return syscall(SYS_capset, &h, d);
}

/*
 * In a child with only @keep: NetworkControl's verdict, and whether the
 * kernel lets the same socket have SO_PRIORITY 7.  Exit code: verdict
 * matched @want_verdict and setsockopt agreed.
 */
static int wsac_netctl_child(__u64 keep, int want_verdict)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		int dev = wsac_dev(), s, prio = 7, ok;
		struct wsac_qos q;

		s = socket(AF_INET, SOCK_DGRAM, 0);
		if (dev < 0 || s < 0 || wsac_caps_only(keep))
			_exit(10);
		wsac_qos_req(&q, s, 0xa /* NETWORK_CONTROL */, WSAC_QOS_NOT_SPECIFIED);
		if (ioctl(dev, WSAC_IOC_QOS_SET, &q))
			_exit(11);
		if (q.verdict != want_verdict) {
			fprintf(stderr, "# verdict %d reason %u, want %d\n",
				q.verdict, q.reason, want_verdict);
			_exit(12);
		}
		if (want_verdict && q.reason != WSAC_QOS_NETCTL_CAP)
			_exit(13);
		ok = !setsockopt(s, SOL_SOCKET, SO_PRIORITY, &prio, sizeof(prio));
		if (ok != !want_verdict)
			_exit(14);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(netctl_unprivileged)
{
	EXPECT_EQ(0, wsac_netctl_child(0, -EOPNOTSUPP));
}

TEST(netctl_cap_net_raw)
{
	EXPECT_EQ(0, wsac_netctl_child(1ULL << CAP_NET_RAW, 0));
}

TEST(netctl_cap_net_admin)
{
	EXPECT_EQ(0, wsac_netctl_child(1ULL << CAP_NET_ADMIN, 0));
}

TEST_HARNESS_MAIN
