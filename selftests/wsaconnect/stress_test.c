// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency stress: ten kinds of threads race WSAConnect() with QoS,
 * SIO_SET_QOS/SIO_GET_QOS, WSAC_IOC_DGRAM_PURGE against recv(MSG_PEEK)
 * readers, close, dup2() over the descriptors in use, shutdown, fork,
 * deletion of the egress devices and teardown of whole namespaces.  At the
 * end the admission counters, /proc/net/wsaconnect_qos and the module's
 * reference count must be back where they started (once the sockets are
 * destroyed), and kmemleak, where the kernel has it, is asked to scan.
 * Then the module lifecycle: unloading is refused cleanly while a socket
 * carries QoS, and load/unload cycles work once nothing does.
 *
 * Environment: STRESS_SECONDS (default 10; `make stress` runs longer),
 * FUZZ_SEED (default 1), FUZZ_SKIP (purge, peek, fork, netns, netdev:
 * leave that kind of thread out), WSA_MODULE (the .ko, for the lifecycle
 * test).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>
#include <qossp.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/wsaconnect.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "qos_helpers.h"
#include "fuzz_helpers.h"

#ifndef TCP_ULP
#define TCP_ULP 31
#endif

#define ST_POOL		16	/* shared descriptors the threads fight over */
#define ST_CAPACITY	"5000000"

struct st {
	struct wsac_pair pair;
	struct sockaddr_storage tcp4, udp4, tcp6, udp6;	/* receivers */
	socklen_t tcp4len, udp4len, tcp6len, udp6len;
	int servers[4];
	int pool[ST_POOL];	/* fixed numbers, replaced with dup2() */
	int dev;
	volatile int stop;
	uint64_t seed;
	unsigned long count[16];
	int skip_purge, skip_peek, skip_fork, skip_netns, skip_netdev;
};

struct st_thread {
	struct st *st;
	int id;
	struct wsac_rng r;
	pthread_t t;
};

/*
 * QoS through the raw ioctls (plan, ULP, commit): what a forked child of
 * this multithreaded process may use, since the library's locks may have
 * been held by another thread at fork().  Only async-signal-safe calls.
 */
static void st_raw_qos(int fd, __u32 type, __u32 rate)
{
	struct wsac_qos q;
	int dev = open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	if (dev < 0)
		return;
	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.fd = fd;
	q.sending.service_type = type;
	q.sending.token_rate = rate;
	q.sending.peak_bandwidth = WSAC_QOS_NOT_SPECIFIED;
	q.receiving.service_type = SERVICETYPE_NOTRAFFIC;
	if (!ioctl(dev, WSAC_IOC_QOS_SET, &q) && !q.verdict) {
		if (q.plan.set & WSAC_PLAN_ULP)
			(void)!setsockopt(fd, SOL_TCP, TCP_ULP, WSAC_TCP_ULP_NAME,
					  strlen(WSAC_TCP_ULP_NAME));
		q.flags = WSAC_QOS_COMMIT;
		q.size = sizeof(q);
		q.verdict = 0;
		q.reason = 0;
		q.status = 0;
		memset(&q.plan, 0, sizeof(q.plan));
		memset(&q.effective, 0, sizeof(q.effective));
		(void)!ioctl(dev, WSAC_IOC_QOS_SET, &q);
	}
	close(dev);
}

static void st_qos(struct wsac_rng *r, QOS *q)
{
	static const ULONG types[] = {
		SERVICETYPE_BESTEFFORT, SERVICETYPE_CONTROLLEDLOAD,
		SERVICETYPE_GUARANTEED, SERVICETYPE_GUARANTEED, SERVICETYPE_QUALITATIVE,
	};

	wsac_qos_init(q, types[wsac_rnd(r, 5)], 10000 + wsac_rnd(r, 2000000));
	if (wsac_one_in(r, 4))
		q->ReceivingFlowspec = wsac_flowspec(SERVICETYPE_BESTEFFORT, 100000);
}

/* A fresh socket of a random kind, numbered @slot (dup2'd over it). */
static void st_replace(struct st *st, struct wsac_rng *r, int slot)
{
	int fam = wsac_one_in(r, 2) ? AF_INET : AF_INET6;
	int type = wsac_one_in(r, 2) ? SOCK_STREAM : SOCK_DGRAM;
	int fd = socket(fam, type | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return;
	if (type == SOCK_DGRAM && wsac_one_in(r, 2)) {
		const struct sockaddr_storage *to = fam == AF_INET ? &st->udp4 : &st->udp6;

		(void)!connect(fd, (const struct sockaddr *)to,
			       fam == AF_INET ? st->udp4len : st->udp6len);
	}
	dup2(fd, st->pool[slot]);
	close(fd);
}

/* WSAConnect(lpSQOS) on new sockets, TCP and UDP, v4 and v6. */
static void st_connect(struct st_thread *t)
{
	struct st *st = t->st;
	int v6 = wsac_one_in(&t->r, 2), tcp = wsac_one_in(&t->r, 2);
	int fd = socket(v6 ? AF_INET6 : AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	const struct sockaddr_storage *to = v6 ? (tcp ? &st->tcp6 : &st->udp6) :
						 (tcp ? &st->tcp4 : &st->udp4);
	socklen_t len = v6 ? (tcp ? st->tcp6len : st->udp6len) :
			     (tcp ? st->tcp4len : st->udp4len);
	QOS q;

	if (fd < 0)
		return;
	st_qos(&t->r, &q);
	WSAConnect(fd, (const struct sockaddr *)to, len, NULL, NULL, &q, NULL);
	if (wsac_one_in(&t->r, 3))
		usleep(wsac_rnd(&t->r, 2000));
	close(fd);
}

static void st_set_get(struct st_thread *t)
{
	struct wsac_qos_buf b;
	int fd = t->st->pool[wsac_rnd(&t->r, ST_POOL)];
	QOS q;

	st_qos(&t->r, &q);
	if (wsac_one_in(&t->r, 3))
		wsac_get_qos(fd, &b, NULL);
	else
		wsac_set_qos(fd, &q);
}

static void st_purge(struct st_thread *t)
{
	struct wsac_dgram_purge d = { .size = sizeof(d) };

	d.fd = t->st->pool[wsac_rnd(&t->r, ST_POOL)];
	(void)!ioctl(t->st->dev, WSAC_IOC_DGRAM_PURGE, &d);
}

static void st_peek(struct st_thread *t)
{
	char buf[32];
	int fd = t->st->pool[wsac_rnd(&t->r, ST_POOL)], off = 0;

	if (wsac_one_in(&t->r, 8))
		(void)!setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off));
	(void)!recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
}

/* Datagrams into the pool's UDP sockets, from the receiver's side. */
static void st_send(struct st_thread *t)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = t->st->pool[wsac_rnd(&t->r, ST_POOL)], i;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) || !wsac_port_of(&ss))
		return;
	for (i = 0; i < 4; i++)
		(void)!sendto(fd, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&ss, len);
}

static void st_churn(struct st_thread *t)
{
	int slot = wsac_rnd(&t->r, ST_POOL);

	switch (wsac_rnd(&t->r, 4)) {
	case 0:
		close(t->st->pool[slot]);
		/* fall through */
	case 1:
		st_replace(t->st, &t->r, slot);
		break;
	case 2:
		(void)!shutdown(t->st->pool[slot], wsac_rnd(&t->r, 3));
		break;
	default:
		(void)!setsockopt(t->st->pool[slot], SOL_TCP, TCP_ULP,
				  WSAC_TCP_ULP_NAME, strlen(WSAC_TCP_ULP_NAME));
		break;
	}
}

static void st_fork(struct st_thread *t)
{
	pid_t pid = fork();

	if (pid == 0) {
		int i;

		/* The inherited descriptors: the same sockets, the same QoS. */
		for (i = 0; i < 4; i++)
			st_raw_qos(t->st->pool[wsac_rnd(&t->r, ST_POOL)],
				   SERVICETYPE_CONTROLLEDLOAD + wsac_rnd(&t->r, 2),
				   10000 + wsac_rnd(&t->r, 100000));
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/*
 * A device of our own with a capacity, sockets admitted on it, then the
 * device deleted under them; the sockets close later.
 */
static void st_netdev(struct st_thread *t)
{
	char name[16], cidr[32], peer[32], line[64];
	struct sockaddr_storage ss;
	int fds[4], i, n = 0, fd;
	socklen_t len;
	QOS q;

	snprintf(name, sizeof(name), "st%u", t->id);
	snprintf(cidr, sizeof(cidr), "10.61.%u.1/24", t->id);
	snprintf(peer, sizeof(peer), "10.61.%u.5", t->id);
	if (wsac_dummy_up(name, cidr))
		return;
	wsac_qdisc_replace(name, TC_H_ROOT, 0, "fq");
	fd = open("/proc/net/wsaconnect_admission", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		snprintf(line, sizeof(line), "%s %u\n", name, 100000 + wsac_rnd(&t->r, 1000000));
		(void)!write(fd, line, strlen(line));
		close(fd);
	}
	len = wsac_sockaddr(AF_INET, peer, 9, &ss);
	for (i = 0; i < 4; i++) {
		fds[n] = socket(AF_INET, wsac_one_in(&t->r, 2) ? SOCK_DGRAM :
				SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fds[n] < 0)
			continue;
		wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 50000);
		WSAConnect(fds[n], (struct sockaddr *)&ss, len, NULL, NULL, &q, NULL);
		n++;
	}
	if (wsac_one_in(&t->r, 2))
		usleep(wsac_rnd(&t->r, 5000));
	wsac_link_del(name);
	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* A whole namespace with QoS sockets, gone with its last process. */
static void st_netns(struct st_thread *t)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sockaddr_storage ss;
		socklen_t len;
		int i, fd;

		if (wsac_private_netns() || wsac_dummy_up("nsd0", "10.62.0.1/24"))
			_exit(1);
		fd = open("/proc/net/wsaconnect_admission", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			(void)!write(fd, "nsd0 1000000\n", 13);
			close(fd);
		}
		wsac_qdisc_replace("nsd0", TC_H_ROOT, 0, "fq");
		len = wsac_sockaddr(AF_INET, "10.62.0.5", 9, &ss);
		for (i = 0; i < 6; i++) {
			fd = socket(AF_INET, i % 2 ? SOCK_DGRAM : SOCK_STREAM | SOCK_NONBLOCK, 0);
			(void)!connect(fd, (struct sockaddr *)&ss, len);
			st_raw_qos(fd, SERVICETYPE_GUARANTEED, 100000);
			/* left open: exit closes them, then the namespace goes */
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

enum { ST_CONNECT, ST_SETGET, ST_PURGE, ST_PEEK, ST_SEND, ST_CHURN, ST_FORK,
       ST_NETDEV, ST_NETNS, ST_MIX, ST_KINDS };

static void *st_main(void *arg)
{
	struct st_thread *t = arg;
	struct st *st = t->st;
	int kind = t->id % ST_KINDS;

	while (!st->stop) {
		int k = kind == ST_MIX ? (int)wsac_rnd(&t->r, ST_MIX) : kind;

		switch (k) {
		case ST_CONNECT: st_connect(t); break;
		case ST_SETGET: st_set_get(t); break;
		case ST_PURGE:
			if (st->skip_purge)
				goto idle;
			st_purge(t);
			break;
		case ST_PEEK:
			if (st->skip_peek)
				goto idle;
			st_peek(t);
			break;
		case ST_SEND: st_send(t); break;
		case ST_CHURN: st_churn(t); break;
		case ST_FORK:
			if (st->skip_fork)
				goto idle;
			st_fork(t);
			break;
		case ST_NETDEV:
			if (st->skip_netdev)
				goto idle;
			st_netdev(t);
			break;
		case ST_NETNS:
			if (st->skip_netns)
				goto idle;
			st_netns(t);
			break;
		default:
idle:
			usleep(10000);
			continue;
		}
		__atomic_fetch_add(&st->count[k], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Wait up to @secs for the counters to come back; 0 when they did. */
static int st_drained(long refcnt0, int lines0, const struct wsac_adm_totals *t0,
		      double secs, struct wsac_adm_totals *t, int *lines, long *refcnt)
{
	double end = wsac_fz_now() + secs;

	for (;;) {
		wsac_adm_totals(t);
		*lines = wsac_qos_lines();
		*refcnt = wsac_module_refcnt();
		if (t->sockets == t0->sockets && t->reserved == t0->reserved &&
		    *lines == lines0 && *refcnt == refcnt0)
			return 0;
		if (wsac_fz_now() > end)
			return -1;
		usleep(200 * 1000);
	}
}

FIXTURE(stress) {
	struct st st;
};

FIXTURE_SETUP(stress)
{
	struct st *st = &self->st;
	int i, fd;

	memset(st, 0, sizeof(*st));
	if (getuid())
		SKIP(return, "needs root for its namespaces and devices");
	WSAC_PAIR_SETUP(&st->pair, 1);
	ASSERT_EQ(0, wsac_qdisc_replace(WSAC_TX_IF, TC_H_ROOT, 0, "fq"));
	wsac_sysctl("net.ipv4.tcp_fin_timeout", "1");
	fd = open("/proc/net/wsaconnect_admission", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, write(fd, WSAC_TX_IF " " ST_CAPACITY "\n",
			   strlen(WSAC_TX_IF " " ST_CAPACITY "\n")));
	close(fd);
	st->servers[0] = wsac_pair_server(&st->pair, AF_INET, SOCK_STREAM, &st->tcp4, &st->tcp4len);
	st->servers[1] = wsac_pair_server(&st->pair, AF_INET, SOCK_DGRAM, &st->udp4, &st->udp4len);
	st->servers[2] = wsac_pair_server(&st->pair, AF_INET6, SOCK_STREAM, &st->tcp6, &st->tcp6len);
	st->servers[3] = wsac_pair_server(&st->pair, AF_INET6, SOCK_DGRAM, &st->udp6, &st->udp6len);
	for (i = 0; i < 4; i++) {
		ASSERT_LE(0, st->servers[i]);
		fcntl(st->servers[i], F_SETFL, O_NONBLOCK);
	}
	st->seed = wsac_env_u64("FUZZ_SEED", 1);
	st->skip_purge = wsac_skip("purge");
	st->skip_peek = wsac_skip("peek");
	st->skip_fork = wsac_skip("fork");
	st->skip_netns = wsac_skip("netns");
	st->skip_netdev = wsac_skip("netdev");
}

FIXTURE_TEARDOWN(stress)
{
	wsac_pair_teardown(&self->st.pair);
}

TEST_F_TIMEOUT(stress, everything_at_once, 7200)
{
	struct st *st = &self->st;
	double secs = (double)wsac_env_u64("STRESS_SECONDS", 10);
	struct st_thread th[2 * ST_KINDS];
	struct wsac_adm_totals t0, t1;
	long refcnt0, refcnt1;
	int lines0, lines1, i, nth = 2 * ST_KINDS, kl, acc, over = 0, polls = 0;
	unsigned long long cap, res;
	char line[256];
	struct wsac_rng r;
	WSADATA wsa;

	WSAC_SKIPPED_IN_SETUP();
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, wsac_adm_totals(&t0));
	lines0 = wsac_qos_lines();
	refcnt0 = wsac_module_refcnt();
	printf("# stress: %d threads for %.0f s, FUZZ_SEED=%llu; before: %llu sockets admitted, %llu B/s reserved, %d QoS sockets, refcnt %ld\n",
	       nth, secs, (unsigned long long)st->seed, t0.sockets, t0.reserved, lines0, refcnt0);
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	st->dev = open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, st->dev);
	wsac_rng_seed(&r, st->seed, 7, 0);
	for (i = 0; i < ST_POOL; i++) {
		st->pool[i] = 700 + i;
		st_replace(st, &r, i);
	}
	for (i = 0; i < nth; i++) {
		th[i].st = st;
		th[i].id = i;
		wsac_rng_seed(&th[i].r, st->seed, 8, i);
		ASSERT_EQ(0, pthread_create(&th[i].t, NULL, st_main, &th[i]));
	}
	/*
	 * The accepting side, so that TCP connections complete and close;
	 * and admission's promise: what is reserved on wq0 never exceeds
	 * the capacity set before any socket asked.
	 */
	for (double end = wsac_fz_now() + secs; wsac_fz_now() < end; polls++) {
		for (i = 0; i < 4; i += 2) {
			acc = accept4(st->servers[i], NULL, NULL, SOCK_NONBLOCK);
			if (acc >= 0)
				close(acc);
		}
		if (!(polls % 10) &&
		    wsac_proc_line("/proc/net/wsaconnect_admission", WSAC_TX_IF, line, sizeof(line)) == 1 &&
		    sscanf(line, "%*s %*d %llu %llu", &cap, &res) == 2 && res > cap) {
			if (!over)
				printf("# stress: over-admission on %s: %s", WSAC_TX_IF, line);
			over++;
		}
		usleep(5000);
	}
	st->stop = 1;
	for (i = 0; i < nth; i++) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 60;
		ASSERT_EQ(0, pthread_timedjoin_np(th[i].t, NULL, &ts))
			TH_LOG("thread %d (kind %d) still busy 60 s after the end", i, i % ST_KINDS);
	}
	for (i = 0; i < ST_KINDS; i++)
		printf("# stress: kind %d: %lu operations\n", i, st->count[i]);
	EXPECT_EQ(0, over) TH_LOG("reserved above the capacity (" ST_CAPACITY " B/s) in %d of %d looks",
				  over, polls / 10);
	for (i = 0; i < ST_POOL; i++)
		close(st->pool[i]);
	close(st->dev);
	EXPECT_EQ(0, WSACleanup());
	/* Accept and close whatever connected last. */
	for (i = 0; i < 4; i += 2)
		while ((acc = accept4(st->servers[i], NULL, NULL, SOCK_NONBLOCK)) >= 0)
			close(acc);

	EXPECT_EQ(0, st_drained(refcnt0, lines0, &t0, 30, &t1, &lines1, &refcnt1))
		TH_LOG("after 30 s: %llu sockets admitted (was %llu), %llu B/s reserved (was %llu), %d QoS sockets (was %d), refcnt %ld (was %ld)",
		       t1.sockets, t0.sockets, t1.reserved, t0.reserved, lines1, lines0,
		       refcnt1, refcnt0);
	kl = open("/sys/kernel/debug/kmemleak", O_WRONLY | O_CLOEXEC);
	if (kl >= 0) {
		/* vm-run fails the run on any "unreferenced object" report. */
		EXPECT_LT(0, write(kl, "scan", 4));
		close(kl);
	}
	for (i = 0; i < 4; i++)
		close(st->servers[i]);
}

FIXTURE(lifecycle) {
	const char *path;
};

FIXTURE_SETUP(lifecycle)
{
	self->path = getenv("WSA_MODULE");
	if (!self->path || access(self->path, R_OK))
		SKIP(return, "set WSA_MODULE to the path of wsaconnect.ko");
	if (geteuid())
		SKIP(return, "needs root to load modules");
	if (wsac_module_refcnt() < 0)
		ASSERT_EQ(0, wsac_fz_load(self->path));
}

FIXTURE_TEARDOWN(lifecycle)
{
	if (self->path && wsac_module_refcnt() < 0)
		wsac_fz_load(self->path);
}

/*
 * Unloading is refused (EBUSY or EAGAIN, never a crash or a hang) while a
 * TCP or UDP socket carries QoS or the device is open, from several
 * threads at once; then cycles of unload and load.
 */
TEST_F_TIMEOUT(lifecycle, unload_refused_while_state_exists, 300)
{
	int fds[4], i, rc, dev, errs = 0;
	WSADATA wsa;
	QOS q;

	WSAC_SKIPPED_IN_SETUP();
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	for (i = 0; i < 4; i++) {
		fds[i] = socket(i % 2 ? AF_INET6 : AF_INET, i < 2 ? SOCK_DGRAM : SOCK_STREAM, 0);
		ASSERT_LE(0, fds[i]);
		wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 100000);
		ASSERT_EQ(0, wsac_set_qos(fds[i], &q)) TH_LOG("SIO_SET_QOS: %d", WSAGetLastError());
	}
	ASSERT_EQ(0, WSACleanup());
	for (i = 0; i < 4; i++) {
		/* Each socket alone still pins the module. */
		rc = wsac_fz_unload();
		EXPECT_EQ(-1, rc);
		if (rc == -1 && errno != EBUSY && errno != EAGAIN)
			errs++;
		close(fds[i]);
	}
	EXPECT_EQ(0, errs);
	EXPECT_EQ(0, wsac_fz_unload_wait(30)) TH_LOG("rmmod once the sockets are gone: %s",
						     strerror(errno));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, wsac_fz_load(self->path)) TH_LOG("cycle %d: %s", i, strerror(errno));
		dev = open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, dev);
		rc = wsac_fz_unload();
		EXPECT_EQ(-1, rc);
		close(dev);
		ASSERT_EQ(0, wsac_fz_unload_wait(10)) TH_LOG("cycle %d: %s", i, strerror(errno));
	}
	ASSERT_EQ(0, wsac_fz_load(self->path));
}

TEST_HARNESS_MAIN
