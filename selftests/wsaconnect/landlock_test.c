// SPDX-License-Identifier: GPL-2.0
/*
 * A Landlock ruleset that forbids TCP connect to a port must stop
 * WSAConnect to that port, as it stops connect(2): the library connects
 * with the caller's own syscall, so the LSM hook sees it.
 *
 * Landlock's network rules need ABI 4 (Linux 6.7); older kernels skip.
 */
#include "helpers.h"

#include <linux/landlock.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"

/* linux-libc-dev of bookworm predates Landlock's network rules. */
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#define LANDLOCK_RULE_NET_PORT			2

struct wsac_landlock_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net;
};

struct landlock_net_port_attr {
	__u64 allowed_access;
	__u64 port;
};
#else
#define wsac_landlock_ruleset_attr landlock_ruleset_attr
#endif

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_add_rule		445
#define __NR_landlock_restrict_self	446
#endif

#define WSAC_LANDLOCK_NET_ABI	4

/* Allow TCP connect only to @allowed_port; every other port is denied. */
static int wsac_landlock_allow_only(unsigned short allowed_port)
{
	struct wsac_landlock_ruleset_attr attr = {
		.handled_access_net = LANDLOCK_ACCESS_NET_CONNECT_TCP,
	};
	struct landlock_net_port_attr port = {
		.allowed_access = LANDLOCK_ACCESS_NET_CONNECT_TCP,
		.port = allowed_port,
	};
	int rs, rc;

	rs = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0)
		return -1;
	rc = syscall(__NR_landlock_add_rule, rs, LANDLOCK_RULE_NET_PORT, &port, 0);
	if (!rc)
		rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!rc)
		rc = syscall(__NR_landlock_restrict_self, rs, 0);
	close(rs);
	return rc;
}

FIXTURE(landlock) {
	WSADATA wsa;
	int allowed, denied;
	struct sockaddr_storage allowed_addr, denied_addr;
	socklen_t len;
};

FIXTURE_SETUP(landlock)
{
	int abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
			  LANDLOCK_CREATE_RULESET_VERSION);

	if (abi < WSAC_LANDLOCK_NET_ABI)
		SKIP(return, "Landlock network rules need ABI %d, kernel has %d",
		     WSAC_LANDLOCK_NET_ABI, abi);
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	self->allowed = wsac_bound_socket(AF_INET, SOCK_STREAM, 1,
					  &self->allowed_addr, &self->len);
	self->denied = wsac_bound_socket(AF_INET, SOCK_STREAM, 1,
					 &self->denied_addr, &self->len);
	ASSERT_LE(0, self->allowed);
	ASSERT_LE(0, self->denied);
	ASSERT_EQ(0, wsac_landlock_allow_only(
		ntohs(((struct sockaddr_in *)&self->allowed_addr)->sin_port)));
}

FIXTURE_TEARDOWN(landlock)
{
	WSACleanup();
}

TEST_F(landlock, forbidden_port_is_eacces)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	/* A SKIP in the fixture's setup does not end the test body. */
	if (_metadata->skip) {
		close(s);
		return;
	}

	ASSERT_LE(0, s);
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(s, (struct sockaddr *)&self->denied_addr,
					   self->len, NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEACCES, WSAGetLastError());
	/* The policy, not the socket, refused: an allowed port still works. */
	EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&self->allowed_addr,
				self->len, NULL, NULL, NULL, NULL));
	closesocket(s);
}

/* Caller data in the SYN goes through the caller's connect(2) too. */
TEST_F(landlock, forbidden_port_with_caller_data_is_eacces)
{
	char data[] = "caller data";
	WSABUF caller = { .len = sizeof(data), .buf = data };
	struct pollfd pfd = { .fd = self->denied, .events = POLLIN };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	/* A SKIP in the fixture's setup does not end the test body. */
	if (_metadata->skip) {
		close(s);
		return;
	}

	ASSERT_LE(0, s);
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(s, (struct sockaddr *)&self->denied_addr,
					   self->len, &caller, NULL, NULL, NULL));
	EXPECT_EQ(WSAEACCES, WSAGetLastError());
	EXPECT_EQ(0, poll(&pfd, 1, 200));
	closesocket(s);
}

TEST_F(landlock, plain_connect_agrees)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	/* A SKIP in the fixture's setup does not end the test body. */
	if (_metadata->skip) {
		close(s);
		return;
	}

	ASSERT_LE(0, s);
	EXPECT_EQ(-1, connect(s, (struct sockaddr *)&self->denied_addr, self->len));
	EXPECT_EQ(EACCES, errno);
	close(s);
}

TEST_HARNESS_MAIN
