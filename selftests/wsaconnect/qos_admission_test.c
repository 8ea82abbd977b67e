// SPDX-License-Identifier: GPL-2.0
/*
 * Admission control of Guaranteed sending flowspecs: a capacity written to
 * /proc/net/wsaconnect_admission for the sender's veth, filled with
 * Guaranteed sockets; the next one is refused with WSAEOPNOTSUPP and
 * nothing applied, and admitted once a socket holding capacity is
 * destroyed or changes its QoS.  Only CAP_NET_ADMIN may write the file,
 * and each network namespace has its own.  One user may hold at most its
 * share of a device's capacity (50% unless the capacity line says), and
 * the charge stays with that user whatever fchown(2) does to the socket;
 * the test switches its effective uid between root and two unprivileged
 * users (WSAC_UID_A, WSAC_UID_B), which owns the sockets it creates.
 *
 * File formats (one line per device, or per user and device, after a
 * header):
 *   wsaconnect_admission:
 *   <ifname> <ifindex> <capacity bytes/s> <reserved bytes/s> <sockets> <share>
 *   wsaconnect_admission_users:
 *   <ifname> <ifindex> <uid> <reserved bytes/s> <sockets>
 */
#include "helpers.h"

#include <sys/ioctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "qos_helpers.h"

#define WSAC_ADM	"/proc/net/wsaconnect_admission"
#define WSAC_R		1000000ULL	/* bytes/s of each Guaranteed socket */
#define WSAC_CAPACITY	(3 * WSAC_R)
#define WSAC_N		3
#define WSAC_NONE	(~0ULL)		/* capacity "none" */
#define WSAC_USERS	"/proc/net/wsaconnect_admission_users"
#define WSAC_SHARE	"/sys/module/wsaconnect/parameters/user_share"
#define WSAC_UID_A	4001
#define WSAC_UID_B	4002

struct wsac_adm {
	int ifindex;
	unsigned long long capacity, reserved, sockets;
	char share[16];
};

/* The admission line of @ifname: 1 found, 0 absent, -1 unreadable. */
static int wsac_adm_read(const char *ifname, struct wsac_adm *a)
{
	char line[256], name[64], cap[32];
	int rc = wsac_proc_line(WSAC_ADM, ifname, line, sizeof(line));

	memset(a, 0, sizeof(*a));
	if (rc != 1)
		return rc;
	/* The share column came with the per-user bound. */
	if (sscanf(line, "%63s %d %31s %llu %llu %15s", name, &a->ifindex, cap,
		   &a->reserved, &a->sockets, a->share) < 5)
		return -1;
	a->capacity = strcmp(cap, "none") ? strtoull(cap, NULL, 10) : WSAC_NONE;
	return 1;
}

/* Write @text to the admission file; 0 or -errno. */
static int wsac_adm_write(const char *text)
{
	int fd = open(WSAC_ADM, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));

	if (n < 0)
		rc = -errno;
	else if (n != (ssize_t)strlen(text))
		rc = -EIO;
	close(fd);
	return rc;
}

/* Wait up to @ms for the reserved rate of wq0 to become @want. */
static unsigned long long wsac_adm_wait_reserved(unsigned long long want, int ms)
{
	struct wsac_adm a;

	for (;;) {
		if (wsac_adm_read(WSAC_TX_IF, &a) == 1 && a.reserved == want)
			return want;
		if (ms <= 0)
			return a.reserved;
		usleep(50 * 1000);
		ms -= 50;
	}
}

FIXTURE(adm) {
	WSADATA wsa;
	struct wsac_pair p;
	int srv;
	struct sockaddr_storage addr;
	socklen_t alen;
	int s[WSAC_N], acc[WSAC_N];
};

FIXTURE_VARIANT(adm) {
	int type;
};

FIXTURE_VARIANT_ADD(adm, tcp) { .type = SOCK_STREAM, };
FIXTURE_VARIANT_ADD(adm, udp) { .type = SOCK_DGRAM, };

FIXTURE_SETUP(adm)
{
	char cap[64];
	struct wsac_adm a;
	int i;

	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	self->srv = -1;
	for (i = 0; i < WSAC_N; i++)
		self->s[i] = self->acc[i] = -1;
	WSAC_PAIR_SETUP(&self->p, 1);
	/* A UDP rate needs fq on the egress device. */
	if (variant->type == SOCK_DGRAM &&
	    wsac_qdisc_replace(WSAC_TX_IF, TC_H_ROOT, 0, "fq"))
		SKIP(return, "fq on " WSAC_TX_IF ": %s (sch_fq missing?)", strerror(errno));
	ASSERT_EQ(0, access(WSAC_ADM, R_OK)) TH_LOG(WSAC_ADM ": %s", strerror(errno));
	snprintf(cap, sizeof(cap), WSAC_TX_IF " %llu\n", WSAC_CAPACITY);
	ASSERT_EQ(0, wsac_adm_write(cap));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	ASSERT_EQ(self->p.tx_ifindex, a.ifindex);
	ASSERT_EQ(WSAC_CAPACITY, a.capacity);
	ASSERT_EQ(0, a.reserved);
	ASSERT_EQ(0, a.sockets);
	self->srv = wsac_pair_server(&self->p, AF_INET, variant->type, &self->addr,
				     &self->alen);
	ASSERT_LE(0, self->srv);
}

FIXTURE_TEARDOWN(adm)
{
	int i;

	for (i = 0; i < WSAC_N; i++) {
		if (self->s[i] >= 0)
			close(self->s[i]);
		if (self->acc[i] >= 0)
			close(self->acc[i]);
	}
	if (self->srv >= 0)
		close(self->srv);
	wsac_pair_teardown(&self->p);
	WSACleanup();
}

/*
 * WSAConnect a new socket with a Guaranteed lpSQOS of @rate to the
 * receiver; *@acc gets the accepted TCP connection.  Returns the socket;
 * *@err gets 0 or WSAGetLastError().
 */
static int wsac_guaranteed(FIXTURE_DATA(adm) *self, int type, ULONG rate, int *acc,
			   int *err)
{
	int s = socket(AF_INET, type, 0);
	QOS q;

	*acc = -1;
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, rate);
	*err = WSAConnect(s, (struct sockaddr *)&self->addr, self->alen, NULL, NULL,
			  &q, NULL) ? WSAGetLastError() : 0;
	if (!*err && type == SOCK_STREAM)
		*acc = wsac_accept_within_ms(self->srv, 5000);
	return s;
}

static void wsac_fill(struct __test_metadata *_metadata, FIXTURE_DATA(adm) *self,
		      const FIXTURE_VARIANT(adm) *variant)
{
	struct wsac_qos_buf got;
	QOS_WSAC_EFFECTIVE e;
	struct wsac_adm a;
	int i, err;

	for (i = 0; i < WSAC_N; i++) {
		self->s[i] = wsac_guaranteed(self, variant->type, WSAC_R, &self->acc[i], &err);
		ASSERT_EQ(0, err) TH_LOG("socket %d of %d: %d", i + 1, WSAC_N, err);
		ASSERT_EQ(0, wsac_get_qos(self->s[i], &got, NULL));
		ASSERT_EQ(sizeof(e), wsac_find_object(&got, QOS_OBJECT_WSAC_EFFECTIVE, &e,
						      sizeof(e)));
		EXPECT_EQ(WSAC_R, e.AdmittedRate);
		EXPECT_EQ((ULONG)self->p.tx_ifindex, e.InterfaceIndex);
	}
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.reserved);
	EXPECT_EQ(WSAC_N, a.sockets);
}

/* @s was refused: not connected, no QoS recorded, no option set. */
static void wsac_refused_untouched(struct __test_metadata *_metadata,
				  FIXTURE_DATA(adm) *self,
				  const FIXTURE_VARIANT(adm) *variant, int s,
				  int qos_recorded)
{
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	struct wsac_qos_buf got;
	struct wsac_opts o;
	int a;

	EXPECT_EQ(-1, getpeername(s, (struct sockaddr *)&peer, &plen));
	if (variant->type == SOCK_STREAM) {
		a = wsac_accept_within_ms(self->srv, 300);
		EXPECT_EQ(-1, a) TH_LOG("the refused socket connected");
		if (a >= 0)
			close(a);
	}
	if (qos_recorded)
		return;
	ASSERT_EQ(0, wsac_get_qos(s, &got, NULL));
	EXPECT_EQ(0, got.qos.SendingFlowspec.ServiceType);
	EXPECT_EQ(0, got.qos.SendingFlowspec.TokenRate);
	ASSERT_EQ(0, wsac_opts_get(s, AF_INET, &o));
	EXPECT_EQ(0, o.tos);
	EXPECT_EQ(0, o.priority);
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
}

TEST_F_TIMEOUT(adm, full_refuses_then_admits_after_a_close, 60)
{
	struct wsac_adm a;
	int extra, acc, err;

	WSAC_SKIPPED_IN_SETUP();
	wsac_fill(_metadata, self, variant);

	extra = wsac_guaranteed(self, variant->type, WSAC_R, &acc, &err);
	EXPECT_EQ(WSAEOPNOTSUPP, err);
	wsac_refused_untouched(_metadata, self, variant, extra, 0);
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.reserved);
	EXPECT_EQ(WSAC_N, a.sockets);

	/* Close one, both ends; its capacity returns once it is destroyed. */
	close(self->s[0]);
	self->s[0] = -1;
	if (self->acc[0] >= 0) {
		close(self->acc[0]);
		self->acc[0] = -1;
	}
	EXPECT_EQ(WSAC_CAPACITY - WSAC_R, wsac_adm_wait_reserved(WSAC_CAPACITY - WSAC_R, 15000));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_N - 1, a.sockets);

	/* The same socket that was refused is admitted now. */
	struct wsac_opts o;
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, WSAC_R);
	ASSERT_EQ(0, WSAConnect(extra, (struct sockaddr *)&self->addr, self->alen, NULL, NULL,
				&q, NULL)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(extra, AF_INET, &o));
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(WSAC_R, o.pacing);
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.reserved);
	EXPECT_EQ(WSAC_N, a.sockets);
	close(extra);
}

TEST_F(adm, set_qos_with_destaddr_is_refused_when_full)
{
	unsigned char objs[64];
	ULONG len = 0;
	int s;
	QOS q;

	WSAC_SKIPPED_IN_SETUP();
	wsac_fill(_metadata, self, variant);
	s = socket(AF_INET, variant->type, 0);
	ASSERT_LE(0, s);
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, WSAC_R);
	wsac_obj_destaddr(objs, &len, (struct sockaddr *)&self->addr, self->alen);
	q.ProviderSpecific.buf = (char *)objs;
	q.ProviderSpecific.len = len;
	EXPECT_EQ(SOCKET_ERROR, wsac_set_qos(s, &q));
	EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError());
	wsac_refused_untouched(_metadata, self, variant, s, 0);
	close(s);
}

/* QoS set with no destination waits; WSAConnect then runs admission. */
TEST_F(adm, set_qos_before_connect_is_refused_at_wsaconnect)
{
	struct wsac_adm a;
	int s;
	QOS q;

	WSAC_SKIPPED_IN_SETUP();
	wsac_fill(_metadata, self, variant);
	s = socket(AF_INET, variant->type, 0);
	ASSERT_LE(0, s);
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, WSAC_R);
	ASSERT_EQ(0, wsac_set_qos(s, &q)) TH_LOG("%d", WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(s, (struct sockaddr *)&self->addr, self->alen,
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError());
	wsac_refused_untouched(_metadata, self, variant, s, 1);
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.reserved);
	close(s);
}

TEST_F(adm, changing_the_qos_returns_the_capacity)
{
	struct wsac_adm a;
	QOS q;

	WSAC_SKIPPED_IN_SETUP();
	wsac_fill(_metadata, self, variant);
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, WSAC_R);
	ASSERT_EQ(0, wsac_set_qos(self->s[1], &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY - WSAC_R, a.reserved);
	EXPECT_EQ(WSAC_N - 1, a.sockets);
	/* A smaller Guaranteed rate on another one shrinks its share. */
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, WSAC_R / 2);
	ASSERT_EQ(0, wsac_set_qos(self->s[2], &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY - WSAC_R - WSAC_R / 2, a.reserved);
	/* And growing it beyond what is left is refused, keeping the old one. */
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 3 * WSAC_R);
	EXPECT_EQ(SOCKET_ERROR, wsac_set_qos(self->s[2], &q));
	EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError());
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY - WSAC_R - WSAC_R / 2, a.reserved);
}

/*
 * SIO_SET_QOS on a connected socket is admitted on the device of its
 * route, also when the new service type changes the socket's TOS (which
 * drops the socket's cached route).
 */
TEST_F(adm, set_qos_on_a_connected_socket_reserves)
{
	struct wsac_qos_buf got;
	QOS_WSAC_EFFECTIVE e;
	struct wsac_adm a;
	int s, acc, err;
	QOS q;

	WSAC_SKIPPED_IN_SETUP();
	s = socket(AF_INET, variant->type, 0);
	ASSERT_LE(0, s);
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, WSAC_R);
	err = WSAConnect(s, (struct sockaddr *)&self->addr, self->alen, NULL, NULL, &q, NULL);
	ASSERT_EQ(0, err) TH_LOG("%d", WSAGetLastError());
	acc = variant->type == SOCK_STREAM ? wsac_accept_within_ms(self->srv, 5000) : -1;
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(0, a.reserved);

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 2 * WSAC_R);
	ASSERT_EQ(0, wsac_set_qos(s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(2 * WSAC_R, a.reserved);
	EXPECT_EQ(1, a.sockets);
	ASSERT_EQ(0, wsac_get_qos(s, &got, NULL));
	ASSERT_EQ(sizeof(e), wsac_find_object(&got, QOS_OBJECT_WSAC_EFFECTIVE, &e, sizeof(e)));
	EXPECT_EQ((ULONG)self->p.tx_ifindex, e.InterfaceIndex);
	EXPECT_EQ(2 * WSAC_R, e.AdmittedRate);
	/* What is left is R: 2R more is refused. */
	int other = wsac_guaranteed(self, variant->type, 2 * WSAC_R, &self->acc[0], &err);

	EXPECT_EQ(WSAEOPNOTSUPP, err);
	close(other);
	if (acc >= 0)
		close(acc);
	close(s);
}

TEST_F(adm, controlled_load_is_not_admitted_against_capacity)
{
	struct wsac_adm a;
	int s, err, acc;
	QOS q;

	WSAC_SKIPPED_IN_SETUP();
	wsac_fill(_metadata, self, variant);
	s = socket(AF_INET, variant->type, 0);
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 10 * WSAC_R);
	err = WSAConnect(s, (struct sockaddr *)&self->addr, self->alen, NULL, NULL, &q, NULL);
	EXPECT_EQ(0, err) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.reserved);
	acc = variant->type == SOCK_STREAM ? wsac_accept_within_ms(self->srv, 5000) : -1;
	if (acc >= 0)
		close(acc);
	close(s);
}

TEST_F(adm, infinite_rate_never_fits_a_capacity)
{
	int s, acc, err;

	WSAC_SKIPPED_IN_SETUP();
	s = wsac_guaranteed(self, variant->type, POSITIVE_INFINITY_RATE, &acc, &err);
	EXPECT_EQ(WSAEOPNOTSUPP, err);
	wsac_refused_untouched(_metadata, self, variant, s, 0);
	close(s);
}

TEST_F(adm, device_without_capacity_admits_everything)
{
	struct wsac_adm a;
	int s, acc, err;

	WSAC_SKIPPED_IN_SETUP();
	ASSERT_EQ(0, wsac_adm_write(WSAC_TX_IF " none\n"));
	/* Gone, or listed without a capacity. */
	if (wsac_adm_read(WSAC_TX_IF, &a) == 1) {
		EXPECT_EQ(WSAC_NONE, a.capacity);
	}
	s = wsac_guaranteed(self, variant->type, 100 * WSAC_CAPACITY, &acc, &err);
	EXPECT_EQ(0, err);
	if (acc >= 0)
		close(acc);
	close(s);
	s = wsac_guaranteed(self, variant->type, POSITIVE_INFINITY_RATE, &acc, &err);
	EXPECT_EQ(0, err);
	if (acc >= 0)
		close(acc);
	close(s);
}

TEST_F(adm, malformed_writes_are_refused)
{
	struct wsac_adm a;

	WSAC_SKIPPED_IN_SETUP();
	EXPECT_EQ(-ENODEV, wsac_adm_write("nosuchdev0 1000\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF " lots\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF "\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF " -5\n"));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.capacity);
}

TEST_F(adm, writer_without_cap_net_admin_is_refused)
{
	struct wsac_adm a;
	int status;
	pid_t pid;

	WSAC_SKIPPED_IN_SETUP();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (wsac_drop_cap(CAP_NET_ADMIN))
			_exit(10);
		_exit(wsac_adm_write(WSAC_TX_IF " 1\n") == -EPERM ? 0 : 11);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("10 capset, 11 not EPERM: %d",
						 WEXITSTATUS(status));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.capacity);
}

/*
 * A deleted device takes its capacity along: the reservation of a socket
 * admitted on it stays counted (under "-") until the socket is destroyed,
 * and a new device that gets the same index starts without a capacity.
 */
TEST_F_TIMEOUT(adm, a_deleted_device_takes_its_capacity_along, 60)
{
	struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
	struct wsac_adm a;
	int idx = self->p.tx_ifindex, err;

	WSAC_SKIPPED_IN_SETUP();
	self->s[0] = wsac_guaranteed(self, variant->type, WSAC_R, &self->acc[0], &err);
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, wsac_link_del(WSAC_TX_IF)) TH_LOG("%s", strerror(errno));

	ASSERT_EQ(1, wsac_adm_read("-", &a));
	EXPECT_EQ(idx, a.ifindex);
	EXPECT_EQ(WSAC_NONE, a.capacity);
	EXPECT_EQ(WSAC_R, a.reserved);
	EXPECT_EQ(1, a.sockets);

	ASSERT_EQ(0, wsac_link_add_at(WSAC_TX_IF, idx, "dummy", 0, NULL, -1))
		TH_LOG("%s", strerror(errno));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(idx, a.ifindex);
	EXPECT_EQ(WSAC_NONE, a.capacity);

	/* No FIN to a peer that is gone: the socket is destroyed at close. */
	ASSERT_EQ(0, setsockopt(self->s[0], SOL_SOCKET, SO_LINGER, &abort_on_close,
				sizeof(abort_on_close)));
	close(self->s[0]);
	self->s[0] = -1;
	for (int ms = 0; ms < 15000 && wsac_adm_read(WSAC_TX_IF, &a) == 1; ms += 50)
		usleep(50 * 1000);
	EXPECT_EQ(0, wsac_adm_read(WSAC_TX_IF, &a))
		TH_LOG("still listed: %llu reserved by %llu", a.reserved, a.sockets);
}

TEST_F(adm, capacity_is_per_network_namespace)
{
	int status;
	pid_t pid;

	WSAC_SKIPPED_IN_SETUP();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct wsac_adm a;

		if (unshare(CLONE_NEWNET))
			_exit(10);
		if (access(WSAC_ADM, R_OK))
			_exit(11);
		/* A device of the same name here has no capacity... */
		if (wsac_link_add(WSAC_TX_IF, "dummy", 0, NULL, -1))
			_exit(12);
		if (wsac_adm_read(WSAC_TX_IF, &a) != 0)
			_exit(13);
		/* ...and one set here does not change the other namespace's. */
		if (wsac_adm_write(WSAC_TX_IF " 5\n") || wsac_adm_read(WSAC_TX_IF, &a) != 1 ||
		    a.capacity != 5)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10 unshare, 11 no file, 12 dummy, 13 wq0 listed, 14 own capacity: %d",
		       WEXITSTATUS(status));
	struct wsac_adm a;

	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.capacity);
}

/* --- the per-user share ----------------------------------------------- */

/*
 * What @uid holds on wq0: reserved bytes/s, or 0 without a line; sockets
 * in *@sockets.  -1 if the file cannot be read.
 */
static long long wsac_user_read(uid_t uid, unsigned long long *sockets)
{
	unsigned long long reserved, n;
	FILE *f = fopen(WSAC_USERS, "re");
	char line[256], name[64];
	long long found = 0;
	unsigned int u;
	int idx;

	*sockets = 0;
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %d %u %llu %llu", name, &idx, &u, &reserved, &n) == 5 &&
		    !strcmp(name, WSAC_TX_IF) && u == uid) {
			found = reserved;
			*sockets = n;
		}
	}
	fclose(f);
	return found;
}

/* Wait up to @ms for @uid's reservation on wq0 to become @want. */
static long long wsac_user_wait(uid_t uid, long long want, int ms)
{
	unsigned long long n;
	long long got;

	for (;;) {
		got = wsac_user_read(uid, &n);
		if (got == want || ms <= 0)
			return got;
		usleep(50 * 1000);
		ms -= 50;
	}
}

/*
 * Act as @uid: sockets created now are owned by it, and it has no
 * capability (the effective set empties while the effective uid is not 0).
 */
static int wsac_become(uid_t uid)
{
	return setresuid(-1, uid, -1);
}

/*
 * The reason a dry run of a Guaranteed @rate towards the fixture's
 * receiver gets, on a new socket of the caller's; -1 on a failed call.
 */
static int wsac_dry_run_reason(FIXTURE_DATA(adm) *self, int type, __u32 rate)
{
	int dev = open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	int s = socket(AF_INET, type, 0), rc = -1;
	struct wsac_qos q;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.fd = s;
	q.flags = WSAC_QOS_DEST;
	memset(&q.sending, 0xff, sizeof(q.sending));
	q.sending.service_type = SERVICETYPE_GUARANTEED;
	q.sending.token_rate = rate;
	q.receiving = q.sending;
	q.receiving.service_type = SERVICETYPE_NOCHANGE;
	q.addrlen = self->alen;
	memcpy(q.addr, &self->addr, self->alen);
	if (dev >= 0 && s >= 0 && !ioctl(dev, WSAC_IOC_QOS_SET, &q))
		rc = q.verdict == -EOPNOTSUPP ? (int)q.reason : 1000 - q.verdict;
	if (s >= 0)
		close(s);
	if (dev >= 0)
		close(dev);
	return rc;
}

static void wsac_close_pair(FIXTURE_DATA(adm) *self, int i)
{
	if (self->s[i] >= 0)
		close(self->s[i]);
	if (self->acc[i] >= 0)
		close(self->acc[i]);
	self->s[i] = self->acc[i] = -1;
}

/*
 * Capacity 3R, share 50%: user A gets R and is refused a second R
 * (WSAEOPNOTSUPP, reason WSAC_QOS_USER_SHARE) though the device has room;
 * user B still gets R, and root, exempt, the rest.
 */
TEST_F(adm, one_user_cannot_take_more_than_its_share)
{
	unsigned long long n;
	struct wsac_adm a;
	int extra, acc, err;

	WSAC_SKIPPED_IN_SETUP();
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_STREQ("50%", a.share);

	ASSERT_EQ(0, wsac_become(WSAC_UID_A));
	self->s[0] = wsac_guaranteed(self, variant->type, WSAC_R, &self->acc[0], &err);
	EXPECT_EQ(0, err);
	extra = wsac_guaranteed(self, variant->type, WSAC_R, &acc, &err);
	EXPECT_EQ(WSAEOPNOTSUPP, err);
	EXPECT_EQ(WSAC_QOS_USER_SHARE, wsac_dry_run_reason(self, variant->type, WSAC_R));
	/* Half of its share is left: R/2 fits. */
	EXPECT_EQ(1000, wsac_dry_run_reason(self, variant->type, WSAC_R / 2));
	ASSERT_EQ(0, wsac_become(0));
	wsac_refused_untouched(_metadata, self, variant, extra, 0);
	close(extra);
	EXPECT_EQ(WSAC_R, wsac_user_read(WSAC_UID_A, &n));
	EXPECT_EQ(1, n);

	ASSERT_EQ(0, wsac_become(WSAC_UID_B));
	self->s[1] = wsac_guaranteed(self, variant->type, WSAC_R, &self->acc[1], &err);
	EXPECT_EQ(0, err);
	ASSERT_EQ(0, wsac_become(0));
	EXPECT_EQ(WSAC_R, wsac_user_read(WSAC_UID_B, &n));

	/* Root is not bounded by the share, only by what is left. */
	self->s[2] = wsac_guaranteed(self, variant->type, WSAC_R, &self->acc[2], &err);
	EXPECT_EQ(0, err);
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_CAPACITY, a.reserved);
	EXPECT_EQ(3, a.sockets);
	EXPECT_EQ(WSAC_R, wsac_user_read(0, &n));
}

/*
 * A reservation stays charged to the user it was admitted for: after
 * fchown(2) hands user A's socket to user B, a new QoS moves the charge
 * to B, and closing the socket gives back to whoever holds the charge,
 * once.
 */
TEST_F_TIMEOUT(adm, fchown_does_not_move_a_charge, 60)
{
	unsigned long long n;
	struct wsac_adm a;
	int err;
	QOS q;

	WSAC_SKIPPED_IN_SETUP();
	ASSERT_EQ(0, wsac_become(WSAC_UID_A));
	self->s[0] = wsac_guaranteed(self, variant->type, WSAC_R, &self->acc[0], &err);
	EXPECT_EQ(0, err);
	self->s[1] = wsac_guaranteed(self, variant->type, WSAC_R / 2, &self->acc[1], &err);
	EXPECT_EQ(0, err);
	ASSERT_EQ(0, wsac_become(0));
	ASSERT_EQ(0, fchown(self->s[0], WSAC_UID_B, -1)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, fchown(self->s[1], WSAC_UID_B, -1)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(WSAC_R + WSAC_R / 2, wsac_user_read(WSAC_UID_A, &n));
	EXPECT_EQ(2, n);
	EXPECT_EQ(0, wsac_user_read(WSAC_UID_B, &n));

	/* Closing s[0] gives R back to A, not to B. */
	wsac_close_pair(self, 0);
	EXPECT_EQ(WSAC_R / 2, wsac_user_wait(WSAC_UID_A, WSAC_R / 2, 15000));
	EXPECT_EQ(0, wsac_user_read(WSAC_UID_B, &n));
	EXPECT_EQ(WSAC_R / 2, wsac_adm_wait_reserved(WSAC_R / 2, 1000));

	/* A new QoS on s[1], now B's, is charged to B and A's is given back. */
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, WSAC_R);
	ASSERT_EQ(0, wsac_become(WSAC_UID_B));
	EXPECT_EQ(0, wsac_set_qos(self->s[1], &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_become(0));
	EXPECT_EQ(0, wsac_user_read(WSAC_UID_A, &n));
	EXPECT_EQ(WSAC_R, wsac_user_read(WSAC_UID_B, &n));
	EXPECT_EQ(1, n);
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(WSAC_R, a.reserved);
	EXPECT_EQ(1, a.sockets);

	/* A has all of its share again. */
	ASSERT_EQ(0, wsac_become(WSAC_UID_A));
	self->s[2] = wsac_guaranteed(self, variant->type, WSAC_R, &self->acc[2], &err);
	EXPECT_EQ(0, err);
	ASSERT_EQ(0, wsac_become(0));

	wsac_close_pair(self, 1);
	wsac_close_pair(self, 2);
	EXPECT_EQ(0, wsac_adm_wait_reserved(0, 15000));
	EXPECT_EQ(0, wsac_user_wait(WSAC_UID_A, 0, 1000));
	EXPECT_EQ(0, wsac_user_wait(WSAC_UID_B, 0, 1000));
}

/* Write @text to the user_share module parameter; 0 or -errno. */
static int wsac_share_param(const char *text)
{
	int fd = open(WSAC_SHARE, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/*
 * The share comes with the capacity line ("IFNAME RATE SHARE%"), or from
 * the user_share module parameter; a changed share bounds new requests,
 * and reservations made before keep what they hold.
 */
TEST_F(adm, root_sets_the_share)
{
	struct wsac_adm a;
	char line[64];
	int err;

	WSAC_SKIPPED_IN_SETUP();
	snprintf(line, sizeof(line), WSAC_TX_IF " %llu 100%%\n", WSAC_CAPACITY);
	ASSERT_EQ(0, wsac_adm_write(line));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_STREQ("100%", a.share);
	ASSERT_EQ(0, wsac_become(WSAC_UID_A));
	self->s[0] = wsac_guaranteed(self, variant->type, 2 * WSAC_R, &self->acc[0], &err);
	EXPECT_EQ(0, err);
	ASSERT_EQ(0, wsac_become(0));

	snprintf(line, sizeof(line), WSAC_TX_IF " %llu 10%%\n", WSAC_CAPACITY);
	ASSERT_EQ(0, wsac_adm_write(line));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_EQ(2 * WSAC_R, a.reserved);
	/* B's 10% is 0.3 R: R is refused though the device has R left. */
	ASSERT_EQ(0, wsac_become(WSAC_UID_B));
	EXPECT_EQ(WSAC_QOS_USER_SHARE, wsac_dry_run_reason(self, variant->type, WSAC_R));
	ASSERT_EQ(0, wsac_become(0));
	EXPECT_EQ(1000, wsac_dry_run_reason(self, variant->type, WSAC_R));

	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF " 3000000 101%\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF " 3000000 50\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF " 3000000 %\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF " 3000000 50% x\n"));
	EXPECT_EQ(-EINVAL, wsac_adm_write(WSAC_TX_IF " none 50%\n"));
	ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
	EXPECT_STREQ("10%", a.share);

	/* Without a share the line takes the module's. */
	if (wsac_share_param("20") == 0) {
		snprintf(line, sizeof(line), WSAC_TX_IF " %llu\n", WSAC_CAPACITY);
		EXPECT_EQ(0, wsac_adm_write(line));
		EXPECT_EQ(0, wsac_share_param("50"));
		ASSERT_EQ(1, wsac_adm_read(WSAC_TX_IF, &a));
		EXPECT_STREQ("20%", a.share);
		EXPECT_EQ(-EINVAL, wsac_share_param("101"));
	} else {
		TH_LOG(WSAC_SHARE ": %s", strerror(errno));
		EXPECT_TRUE(0);
	}
}

TEST_HARNESS_MAIN
