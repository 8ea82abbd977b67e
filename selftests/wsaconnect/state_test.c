// SPDX-License-Identifier: GPL-2.0
/*
 * The QoS state a socket carries and what it costs the kernel: the
 * "wsaconnect" TCP ULP next to sockmap (a socket is either in a sockmap or
 * carries the ULP, never both), the module references sockets hold, state
 * only for sockets that committed a QoS, closed sockets still draining in
 * /proc/net/wsaconnect_qos, and nothing of it seen from another namespace.
 *
 * Each test runs in a private network namespace on loopback:
 *
 *   +--------------- netns (private) ---------------+
 *   |  client (TCP) ----- lo 127.0.0.1 ----- server |
 *   |  sockmap[0] = client           (bpf(2) only)  |
 *   +-----------------------------------------------+
 *
 * Needs root and the module loaded (scripts/vm-run loads it).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/wsaconnect.h>

#include "helpers.h"
#include "qos_helpers.h"
#include "kselftest_harness.h"

#define WSAC_HOLDERS	"/sys/module/wsaconnect/parameters/holders"
#define WSAC_QOS_PROC	"/proc/net/wsaconnect_qos"

static int wsac_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int wsac_sockmap_create(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_SOCKMAP;
	attr.key_size = sizeof(uint32_t);
	attr.value_size = sizeof(uint32_t);
	attr.max_entries = 1;
	return wsac_bpf(BPF_MAP_CREATE, &attr);
}

static int wsac_sockmap_update(int map, uint32_t key, uint32_t fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&fd;
	attr.flags = BPF_ANY;
	return wsac_bpf(BPF_MAP_UPDATE_ELEM, &attr);
}

static int wsac_sockmap_delete(int map, uint32_t key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map;
	attr.key = (uintptr_t)&key;
	return wsac_bpf(BPF_MAP_DELETE_ELEM, &attr);
}

static int wsac_attach_ulp(int fd)
{
	return setsockopt(fd, IPPROTO_TCP, TCP_ULP, WSAC_TCP_ULP_NAME,
			  sizeof(WSAC_TCP_ULP_NAME));
}

FIXTURE(pair) {
	int listener, client, server;
	long refcnt;
};

FIXTURE_SETUP(pair)
{
	struct sockaddr_storage ss;
	socklen_t len;

	self->listener = self->client = self->server = -1;
	self->refcnt = wsac_module_refcnt();
	if (self->refcnt < 0)
		SKIP(return, "wsaconnect.ko is not loaded");
	ASSERT_EQ(0, wsac_private_netns());
	self->listener = wsac_bound_socket(AF_INET, SOCK_STREAM, 1, &ss, &len);
	ASSERT_LE(0, self->listener);
	self->client = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->client);
	ASSERT_EQ(0, connect(self->client, (struct sockaddr *)&ss, len));
	self->server = accept(self->listener, NULL, NULL);
	ASSERT_LE(0, self->server);
}

FIXTURE_TEARDOWN(pair)
{
	if (self->server >= 0)
		close(self->server);
	if (self->client >= 0)
		close(self->client);
	if (self->listener >= 0)
		close(self->listener);
}

/* Close the pair and check that no module reference is left behind. */
static void wsac_pair_close_settles(struct __test_metadata *_metadata,
				    FIXTURE_DATA(pair) *self)
{
	close(self->client);
	close(self->server);
	close(self->listener);
	self->client = self->server = self->listener = -1;
	EXPECT_GE(self->refcnt, wsac_module_refcnt_settle(self->refcnt, 5000))
		TH_LOG("module references: %ld before, %ld now", self->refcnt,
		       wsac_module_refcnt());
}

/*
 * Sockmap replaced the socket's proto and owns sk_user_data; a ULP without
 * ->update() would leave sockmap's close in place when the socket leaves
 * the map (sock_map_close() then WARNs and leaks socket and module).  The
 * ULP refuses such sockets, as espintcp does.
 */
TEST_F(pair, ulp_refused_on_a_socket_in_a_sockmap)
{
	int map = wsac_sockmap_create();

	if (map < 0)
		SKIP(return, "no sockmap (CONFIG_BPF_SYSCALL): %s", strerror(errno));
	ASSERT_EQ(0, wsac_sockmap_update(map, 0, self->client))
		TH_LOG("sockmap insert: %s", strerror(errno));
	EXPECT_EQ(-1, wsac_attach_ulp(self->client));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, wsac_sockmap_delete(map, 0));
	close(map);
	wsac_pair_close_settles(_metadata, self);
}

/* The ULP stays refused while the map holds the socket, also at close. */
TEST_F(pair, sockmap_closed_with_the_socket_inside)
{
	int map = wsac_sockmap_create();

	if (map < 0)
		SKIP(return, "no sockmap (CONFIG_BPF_SYSCALL): %s", strerror(errno));
	ASSERT_EQ(0, wsac_sockmap_update(map, 0, self->client));
	EXPECT_EQ(-1, wsac_attach_ulp(self->client));
	close(map);
	wsac_pair_close_settles(_metadata, self);
}

/* The other order: the kernel keeps sockets with a ULP out of sockmaps. */
TEST_F(pair, sockmap_refuses_a_socket_with_the_ulp)
{
	int map = wsac_sockmap_create();

	if (map < 0)
		SKIP(return, "no sockmap (CONFIG_BPF_SYSCALL): %s", strerror(errno));
	ASSERT_EQ(0, wsac_attach_ulp(self->client)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(-1, wsac_sockmap_update(map, 0, self->client));
	EXPECT_EQ(EINVAL, errno);
	close(map);
	wsac_pair_close_settles(_metadata, self);
}

/* This namespace's line of the holders parameter: 1, 0 if none, -1 if unreadable. */
static int wsac_holders(unsigned int *ulp, unsigned int *qos)
{
	unsigned int inum, u, q;
	struct stat st;
	int found = 0;
	FILE *f;

	*ulp = *qos = 0;
	if (stat("/proc/self/ns/net", &st))
		return -1;
	f = fopen(WSAC_HOLDERS, "r");
	if (!f)
		return -1;
	while (fscanf(f, "netns %u tcp_ulp %u qos %u\n", &inum, &u, &q) == 3) {
		if (inum == st.st_ino) {
			*ulp = u;
			*qos = q;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* Lines of /proc/net/wsaconnect_qos after the header, -1 if unreadable. */
static int wsac_proc_lines(void)
{
	FILE *f = fopen(WSAC_QOS_PROC, "r");
	char buf[512];
	int n = -1;

	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		n++;
	fclose(f);
	return n;
}

/*
 * Attaching the ULP without committing a QoS allocates nothing: the socket
 * is not listed and counts only as a ULP socket (the ULP core holds the
 * module for it), without a state.
 */
TEST_F(pair, attached_ulp_without_qos_has_no_state)
{
	unsigned int ulp, qos;
	char line[512], key[32];

	ASSERT_EQ(0, wsac_attach_ulp(self->client)) TH_LOG("%s", strerror(errno));
	snprintf(key, sizeof(key), "%lu", wsac_inode(self->client));
	EXPECT_EQ(0, wsac_proc_line(WSAC_QOS_PROC, key, line, sizeof(line)));
	EXPECT_EQ(0, wsac_proc_lines());
	ASSERT_EQ(1, wsac_holders(&ulp, &qos)) TH_LOG("no line in " WSAC_HOLDERS);
	EXPECT_EQ(1, ulp);
	EXPECT_EQ(0, qos);
	wsac_pair_close_settles(_metadata, self);
	EXPECT_EQ(0, wsac_holders(&ulp, &qos));
}

/*
 * A listener may carry the ULP (it has ->clone()).  Its accepted sockets
 * start without it: no module reference taken for them, free to take a
 * ULP of their own, and the pair settles to no reference at all.
 */
TEST_F(pair, ulp_on_a_listener_is_not_inherited)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss), ulen;
	char ulp[16], b = 0;
	int c, a;

	ASSERT_EQ(0, wsac_attach_ulp(self->listener)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, getsockname(self->listener, (struct sockaddr *)&ss, &len));
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&ss, len));
	a = accept(self->listener, NULL, NULL);
	ASSERT_LE(0, a);
	ulen = sizeof(ulp);
	EXPECT_EQ(0, getsockopt(a, IPPROTO_TCP, TCP_ULP, ulp, &ulen));
	EXPECT_EQ(0, ulen);
	EXPECT_EQ(0, wsac_attach_ulp(a)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(1, send(c, "x", 1, 0));
	EXPECT_EQ(1, recv(a, &b, 1, 0));
	close(c);
	close(a);
	wsac_pair_close_settles(_metadata, self);
}

/* Commit a QoS through the library: ControlledLoad at @rate bytes/s. */
static int wsac_commit(int fd, ULONG rate)
{
	WSADATA wsa;
	QOS q;
	int rc;

	if (WSAStartup(MAKEWORD(2, 2), &wsa))
		return -1;
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, rate);
	rc = wsac_set_qos(fd, &q);
	WSACleanup();
	return rc;
}

/*
 * A reader in another namespace sees none of this namespace's sockets, in
 * the /proc file or the holders parameter.
 */
TEST_F(pair, other_namespace_sees_nothing)
{
	unsigned int ulp, qos;
	int status, udp;
	pid_t pid;

	ASSERT_EQ(0, wsac_commit(self->client, 100000)) TH_LOG("%d", WSAGetLastError());
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, udp);
	ASSERT_EQ(0, wsac_commit(udp, 100000)) TH_LOG("%d", WSAGetLastError());
	EXPECT_EQ(2, wsac_proc_lines());
	ASSERT_EQ(1, wsac_holders(&ulp, &qos));
	EXPECT_EQ(1, ulp);
	EXPECT_EQ(2, qos);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			_exit(10);
		if (wsac_proc_lines() != 0)
			_exit(11);
		_exit(wsac_holders(&ulp, &qos) == 0 ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 10 unshare, 11 sockets listed, 12 counted: %d",
		       WEXITSTATUS(status));
	close(udp);
	wsac_pair_close_settles(_metadata, self);
}

/*
 * A closed socket whose paced queue still drains stays in the table, and
 * holds the module, until the kernel destroys it: it is listed as an
 * orphan with its TCP state.
 */
TEST_F(pair, draining_orphan_is_listed)
{
	int sndbuf = 256 * 1024, rcvbuf = 4096, n = 0, i;
	char line[512], key[32], f[17][32];
	static char chunk[65536];
	unsigned int ulp, qos;

	ASSERT_EQ(0, setsockopt(self->client, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));
	ASSERT_EQ(0, setsockopt(self->server, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	ASSERT_EQ(0, wsac_commit(self->client, 10000)) TH_LOG("%d", WSAGetLastError());
	snprintf(key, sizeof(key), "%lu", wsac_inode(self->client));
	while (send(self->client, chunk, sizeof(chunk), MSG_DONTWAIT) > 0 && n++ < 64)
		;
	close(self->client);
	self->client = -1;
	ASSERT_EQ(1, wsac_proc_line(WSAC_QOS_PROC, key, line, sizeof(line)))
		TH_LOG("the orphan is not listed");
	TH_LOG("%s", line);
	ASSERT_EQ(17, sscanf(line, "%31s %31s %31s %31s %31s %31s %31s %31s %31s "
			     "%31s %31s %31s %31s %31s %31s %31s %31s", f[0], f[1],
			     f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10],
			     f[11], f[12], f[13], f[14], f[15], f[16]));
	EXPECT_STREQ("FIN-WAIT-1", f[15]);
	EXPECT_STREQ("1", f[16]);
	ASSERT_EQ(1, wsac_holders(&ulp, &qos));
	EXPECT_EQ(1, ulp);
	EXPECT_EQ(1, qos);
	/* The peer closes with unread data: a reset ends the orphan. */
	close(self->server);
	self->server = -1;
	for (i = 0; i < 100 && wsac_proc_line(WSAC_QOS_PROC, key, line, sizeof(line)) == 1; i++)
		usleep(20 * 1000);
	EXPECT_EQ(0, wsac_proc_line(WSAC_QOS_PROC, key, line, sizeof(line)));
	wsac_pair_close_settles(_metadata, self);
}

/*
 * The state a committed QoS costs is one object of at most 256 bytes
 * (issue 14), from a cache of its own that memory cgroups are charged for.
 */
TEST(state_object_is_at_most_256_bytes)
{
	long size = wsac_state_object_size();

	if (size < 0)
		SKIP(return, "neither /sys/kernel/slab nor /proc/slabinfo shows wsac_qos_state");
	TH_LOG("wsac_qos_state: %ld bytes", size);
	EXPECT_LE(size, 256);
	EXPECT_LT(0, size);
}

TEST_HARNESS_MAIN
