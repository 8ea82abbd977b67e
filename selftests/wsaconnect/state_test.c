// SPDX-License-Identifier: GPL-2.0
/*
 * The QoS state a socket carries and what it costs the kernel: the
 * "wsaconnect" TCP ULP next to sockmap (a socket is either in a sockmap or
 * carries the ULP, never both), and the module references sockets hold.
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
#include <unistd.h>

#include <linux/wsaconnect.h>

#include "helpers.h"
#include "kselftest_harness.h"

#define WSAC_REFCNT	"/sys/module/wsaconnect/refcnt"

/* The module's reference count, or -1 if it is not loaded. */
static long wsac_refcnt(void)
{
	FILE *f = fopen(WSAC_REFCNT, "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/*
 * Wait, at most @ms, for the module's references to come down to @want:
 * sockets are destroyed after close() returns (TCP after its FIN
 * exchange, UDP state after an RCU grace period).
 */
static long wsac_refcnt_settle(long want, int ms)
{
	long n = wsac_refcnt();

	for (; n > want && ms > 0; ms -= 20) {
		usleep(20 * 1000);
		n = wsac_refcnt();
	}
	return n;
}

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
	self->refcnt = wsac_refcnt();
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
	EXPECT_GE(self->refcnt, wsac_refcnt_settle(self->refcnt, 5000))
		TH_LOG("module references: %ld before, %ld now", self->refcnt,
		       wsac_refcnt());
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

TEST_HARNESS_MAIN
