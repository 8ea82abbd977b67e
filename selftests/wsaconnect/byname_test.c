// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnectByNameA and WSAConnectByList: name resolution, trying each
 * address in order within the timeout, and the address out-parameters.
 */
#include "helpers.h"

#include <sys/time.h>

#include "kselftest_harness.h"

FIXTURE(byname) {
	WSADATA wsa;
	int s, listener;
	struct sockaddr_storage live;
	socklen_t len;
	char port[8];
};

FIXTURE_SETUP(byname)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	ASSERT_EQ(0, wsac_dummy_up("d0", "198.51.100.1/24"));
	self->listener = wsac_bound_socket(AF_INET, SOCK_STREAM, 1, &self->live, &self->len);
	ASSERT_LE(0, self->listener);
	snprintf(self->port, sizeof(self->port), "%u",
		 ntohs(((struct sockaddr_in *)&self->live)->sin_port));
	self->s = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(byname)
{
	closesocket(self->s);
	closesocket(self->listener);
	WSACleanup();
}

TEST_F(byname, connects_and_fills_addresses)
{
	struct sockaddr_storage local, remote;
	DWORD llen = sizeof(local), rlen = sizeof(remote);
	struct timeval tv = { .tv_sec = 5 };

	ASSERT_TRUE(WSAConnectByNameA(self->s, "127.0.0.1", self->port, &llen,
				      (struct sockaddr *)&local, &rlen,
				      (struct sockaddr *)&remote, &tv, NULL));
	EXPECT_EQ(sizeof(struct sockaddr_in), llen);
	EXPECT_EQ(sizeof(struct sockaddr_in), rlen);
	EXPECT_EQ(0, memcmp(&remote, &self->live, sizeof(struct sockaddr_in)));
}

TEST_F(byname, short_length_buffers_are_fault)
{
	struct sockaddr_storage local, remote;
	DWORD llen = 3, rlen = 3;

	EXPECT_FALSE(WSAConnectByNameA(self->s, "127.0.0.1", self->port, &llen,
				       (struct sockaddr *)&local, &rlen,
				       (struct sockaddr *)&remote, NULL, NULL));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	EXPECT_EQ(3, llen);
	EXPECT_EQ(3, rlen);
}

TEST_F(byname, null_names_are_einval)
{
	EXPECT_FALSE(WSAConnectByNameA(self->s, NULL, self->port, NULL, NULL, NULL,
				       NULL, NULL, NULL));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
}

TEST_F_TIMEOUT(byname, list_tries_each_address_in_order, 60)
{
	struct sockaddr_in dead = { .sin_family = AF_INET };
	struct sockaddr_storage remote;
	DWORD rlen = sizeof(remote);
	struct timeval tv = { .tv_sec = 10 };
	struct {
		INT count;
		SOCKET_ADDRESS addr[2];
	} list;
	SOCKET_ADDRESS_LIST *l = (SOCKET_ADDRESS_LIST *)&list;

	/* The first address never answers; the second is the listener. */
	dead.sin_port = htons(9);
	inet_pton(AF_INET, "198.51.100.2", &dead.sin_addr);
	list.count = 2;
	list.addr[0].lpSockaddr = (struct sockaddr *)&dead;
	list.addr[0].iSockaddrLength = sizeof(dead);
	list.addr[1].lpSockaddr = (struct sockaddr *)&self->live;
	list.addr[1].iSockaddrLength = self->len;
	ASSERT_TRUE(WSAConnectByList(self->s, l, NULL, NULL, &rlen,
				     (struct sockaddr *)&remote, &tv, NULL));
	EXPECT_EQ(0, memcmp(&remote, &self->live, sizeof(struct sockaddr_in)));
}

TEST_F_TIMEOUT(byname, list_honours_the_timeout, 60)
{
	struct sockaddr_in dead = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 1 }, t0, t1;
	struct {
		INT count;
		SOCKET_ADDRESS addr[1];
	} list;

	dead.sin_port = htons(9);
	inet_pton(AF_INET, "198.51.100.2", &dead.sin_addr);
	list.count = 1;
	list.addr[0].lpSockaddr = (struct sockaddr *)&dead;
	list.addr[0].iSockaddrLength = sizeof(dead);
	gettimeofday(&t0, NULL);
	EXPECT_FALSE(WSAConnectByList(self->s, (SOCKET_ADDRESS_LIST *)&list, NULL, NULL,
				      NULL, NULL, &tv, NULL));
	gettimeofday(&t1, NULL);
	EXPECT_EQ(WSAETIMEDOUT, WSAGetLastError());
	/* A protocol property with a wide margin: well under the SYN timeout. */
	EXPECT_GT(10, t1.tv_sec - t0.tv_sec);
}

TEST_HARNESS_MAIN
