// SPDX-License-Identifier: GPL-2.0
/*
 * WSAConnect on AF_UNIX stream sockets follows the same state rules as
 * TCP: path and abstract names (Linux-only; Windows has no abstract
 * names), WSAEISCONN, WSAEINVAL on a listener, WSAECONNREFUSED.
 */
#include "helpers.h"

#include <stddef.h>
#include <sys/un.h>

#include "kselftest_harness.h"

FIXTURE(unix_stream) {
	WSADATA wsa;
	int listener, s;
	struct sockaddr_un addr;
	socklen_t len;
	char dir[64];
};

FIXTURE_VARIANT(unix_stream) {
	int abstract;
};

FIXTURE_VARIANT_ADD(unix_stream, path) {
	.abstract = 0,
};

FIXTURE_VARIANT_ADD(unix_stream, abstract) {
	.abstract = 1,
};

FIXTURE_SETUP(unix_stream)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	memset(&self->addr, 0, sizeof(self->addr));
	self->addr.sun_family = AF_UNIX;
	if (variant->abstract) {
		snprintf(self->addr.sun_path + 1, sizeof(self->addr.sun_path) - 1,
			 "wsaconnect-test-%d", getpid());
		self->len = offsetof(struct sockaddr_un, sun_path) + 1 +
			    strlen(self->addr.sun_path + 1);
	} else {
		strcpy(self->dir, "/tmp/wsac-unix-XXXXXX");
		ASSERT_TRUE(mkdtemp(self->dir) != NULL);
		snprintf(self->addr.sun_path, sizeof(self->addr.sun_path), "%s/sock",
			 self->dir);
		self->len = sizeof(self->addr);
	}
	self->listener = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, self->listener);
	ASSERT_EQ(0, bind(self->listener, (struct sockaddr *)&self->addr, self->len));
	ASSERT_EQ(0, listen(self->listener, 4));
	self->s = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(unix_stream)
{
	closesocket(self->s);
	closesocket(self->listener);
	if (!variant->abstract) {
		unlink(self->addr.sun_path);
		rmdir(self->dir);
	}
	WSACleanup();
}

static int wsac_connect_un(int s, const struct sockaddr_un *sun, socklen_t len)
{
	return WSAConnect(s, (const struct sockaddr *)sun, (int)len, NULL, NULL, NULL, NULL);
}

TEST_F(unix_stream, connects_then_isconn)
{
	ASSERT_EQ(0, wsac_connect_un(self->s, &self->addr, self->len));
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_un(self->s, &self->addr, self->len));
	EXPECT_EQ(WSAEISCONN, WSAGetLastError());
}

TEST_F(unix_stream, listener_is_einval)
{
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_un(self->listener, &self->addr, self->len));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
}

TEST_F(unix_stream, nobody_listening_is_refused)
{
	struct sockaddr_un other = self->addr;

	/* Change one byte of the name: nobody is bound there. */
	other.sun_path[variant->abstract ? 1 : strlen(other.sun_path) - 1] ^= 1;
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_un(self->s, &other, self->len));
	/* A path nobody is bound to is ENOENT on Linux: still a refusal. */
	EXPECT_EQ(WSAECONNREFUSED, WSAGetLastError());
	EXPECT_EQ(0, wsac_connect_un(self->s, &self->addr, self->len));
}

TEST_F(unix_stream, family_only_name_is_fault)
{
	EXPECT_EQ(SOCKET_ERROR, wsac_connect_un(self->s, &self->addr,
						offsetof(struct sockaddr_un, sun_path)));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
}

TEST_HARNESS_MAIN
