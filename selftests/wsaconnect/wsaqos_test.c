// SPDX-License-Identifier: GPL-2.0
/*
 * wsaqos(8) against live sockets: QoS set through the library shows in
 * "wsaqos --json" with its owner, addresses and device; "wsaqos set" and
 * "clear" change /proc/net/wsaconnect_admission; the exit codes are those
 * the man page documents.  wsaqos is installed next to this test (or named
 * by $WSAQOS).  Each test runs in its own network namespace.
 */
#include "helpers.h"

#include <libgen.h>
#include <limits.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "qos_helpers.h"

static char wsaqos_bin[PATH_MAX];

static const char *wsaqos_path(void)
{
	char self[PATH_MAX];
	ssize_t n;

	if (getenv("WSAQOS"))
		return getenv("WSAQOS");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return "wsaqos";
	self[n] = 0;
	snprintf(wsaqos_bin, sizeof(wsaqos_bin), "%s/wsaqos", dirname(self));
	return wsaqos_bin;
}

/* Runs wsaqos ARGS; its stdout into @out; returns its exit status or -1. */
static int wsaqos_run(const char *args, char *out, size_t size)
{
	char cmd[PATH_MAX + 128];
	size_t used = 0, n;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' %s", wsaqos_path(), args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (used + 1 < size && (n = fread(out + used, 1, size - 1 - used, p)) > 0)
		used += n;
	out[used] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The --json object of socket @ino (one per line), or NULL. */
static char *wsaqos_object(char *out, unsigned long ino)
{
	char key[48], *o, *end;

	snprintf(key, sizeof(key), "{\"inode\":%lu,", ino);
	o = strstr(out, key);
	if (!o)
		return NULL;
	end = strchr(o, '\n');
	if (end)
		*end = 0;
	return o;
}

FIXTURE(wsaqos) {
	WSADATA wsa;
	int listener;
	int s;
	char out[65536];
};

FIXTURE_SETUP(wsaqos)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	ASSERT_EQ(0, access(wsaqos_path(), X_OK)) TH_LOG("%s missing", wsaqos_path());
	self->listener = -1;
	self->s = -1;
}

FIXTURE_TEARDOWN(wsaqos)
{
	if (self->s >= 0)
		closesocket(self->s);
	if (self->listener >= 0)
		close(self->listener);
	WSACleanup();
}

TEST_F(wsaqos, json_shows_a_connected_socket_with_qos)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	char want[128], *o;
	QOS q;

	self->listener = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->listener);
	ASSERT_EQ(0, bind(self->listener, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(self->listener, 4));
	ASSERT_EQ(0, getsockname(self->listener, (struct sockaddr *)&a, &alen));

	self->s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_NE(INVALID_SOCKET, self->s);
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 125000);
	ASSERT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&a, sizeof(a), NULL, NULL,
				&q, NULL)) TH_LOG("WSAConnect: %d", WSAGetLastError());

	ASSERT_EQ(0, wsaqos_run("--json", self->out, sizeof(self->out)));
	o = wsaqos_object(self->out, wsac_inode(self->s));
	ASSERT_NE(NULL, o) TH_LOG("inode %lu not in: %s", wsac_inode(self->s), self->out);
	TH_LOG("%s", o);
	EXPECT_NE(NULL, strstr(o, "\"proto\":\"tcp\""));
	EXPECT_NE(NULL, strstr(o, "\"send_service\":\"controlledload\""));
	EXPECT_NE(NULL, strstr(o, "\"send_rate\":125000"));
	EXPECT_NE(NULL, strstr(o, "\"pacing_rate\":125000"));
	EXPECT_NE(NULL, strstr(o, "\"priority\":4"));
	EXPECT_NE(NULL, strstr(o, "\"dscp\":24"));		/* TOS 0x60 */
	EXPECT_NE(NULL, strstr(o, "\"device\":\"lo\""));
	/* "wsaqos_state" once the module's table has a "state" column. */
	EXPECT_TRUE(strstr(o, "\"state\":\"ESTAB\"") || strstr(o, "\"wsaqos_state\":\"ESTAB\""));
	snprintf(want, sizeof(want), "\"peer\":\"127.0.0.1:%u\"", ntohs(a.sin_port));
	EXPECT_NE(NULL, strstr(o, want)) TH_LOG("want %s", want);
	snprintf(want, sizeof(want), "{\"pid\":%d,\"fd\":%d,", getpid(), self->s);
	EXPECT_NE(NULL, strstr(o, want)) TH_LOG("want %s", want);

	/* The table names the socket, too. */
	ASSERT_EQ(0, wsaqos_run("", self->out, sizeof(self->out)));
	snprintf(want, sizeof(want), "pid=%d,fd=%d", getpid(), self->s);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "controlledload/1Mbit")) TH_LOG("%s", self->out);

	/* Gone once closed (with SO_LINGER 0 the kernel frees it at once). */
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	unsigned long ino = wsac_inode(self->s);

	ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
	closesocket(self->s);
	self->s = -1;
	ASSERT_EQ(0, wsaqos_run("--json", self->out, sizeof(self->out)));
	EXPECT_EQ(NULL, wsaqos_object(self->out, ino)) TH_LOG("%s", self->out);
}

TEST_F(wsaqos, json_shows_an_unconnected_udp6_socket)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t alen = sizeof(a);
	char want[128], *o;
	QOS q;

	self->s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_NE(INVALID_SOCKET, self->s);
	ASSERT_EQ(0, bind(self->s, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(self->s, (struct sockaddr *)&a, &alen));
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 100000);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("SIO_SET_QOS: %d", WSAGetLastError());

	ASSERT_EQ(0, wsaqos_run("--json", self->out, sizeof(self->out)));
	o = wsaqos_object(self->out, wsac_inode(self->s));
	ASSERT_NE(NULL, o) TH_LOG("inode %lu not in: %s", wsac_inode(self->s), self->out);
	TH_LOG("%s", o);
	EXPECT_NE(NULL, strstr(o, "\"proto\":\"udp\",\"family\":\"inet6\",\"ifindex\":0,"));
	/* "wsaqos_state" once the module's table has a "state" column. */
	EXPECT_TRUE(strstr(o, "\"state\":\"UNCONN\"") || strstr(o, "\"wsaqos_state\":\"UNCONN\""));
	snprintf(want, sizeof(want), "\"local\":\"[::1]:%u\"", ntohs(a.sin6_port));
	EXPECT_NE(NULL, strstr(o, want)) TH_LOG("want %s", want);
	EXPECT_NE(NULL, strstr(o, "\"dscp\":24"));		/* traffic class 0x60 */
	EXPECT_NE(NULL, strstr(o, "\"device\":null,\"fq\":null"));
	/* Only this process holds it (SOCK_CLOEXEC): one user. */
	snprintf(want, sizeof(want), "\"users\":[{\"pid\":%d,\"fd\":%d,", getpid(), self->s);
	EXPECT_NE(NULL, strstr(o, want)) TH_LOG("want %s", want);
	EXPECT_EQ(NULL, strstr(o, "},{")) TH_LOG("more than one user");
}

TEST_F(wsaqos, set_and_clear_a_capacity)
{
	char *o;

	ASSERT_EQ(0, wsaqos_run("set lo 8mbit", self->out, sizeof(self->out)));
	ASSERT_EQ(0, wsaqos_run("--json admission", self->out, sizeof(self->out)));
	o = strstr(self->out, "{\"device\":\"lo\",");
	ASSERT_NE(NULL, o) TH_LOG("%s", self->out);
	EXPECT_EQ(o, strstr(o, "{\"device\":\"lo\",\"ifindex\":1,\"capacity\":1000000,"))
		TH_LOG("%s", o);
	ASSERT_EQ(0, wsaqos_run("admission", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "8Mbit")) TH_LOG("%s", self->out);

	ASSERT_EQ(0, wsaqos_run("clear lo", self->out, sizeof(self->out)));
	ASSERT_EQ(0, wsaqos_run("--json admission", self->out, sizeof(self->out)));
	o = strstr(self->out, "{\"device\":\"lo\",");
	if (o)
		EXPECT_NE(NULL, strstr(o, "\"capacity\":null")) TH_LOG("%s", o);
}

TEST_F(wsaqos, exit_codes)
{
	EXPECT_EQ(2, wsaqos_run("--bogus 2>/dev/null", self->out, sizeof(self->out)));
	EXPECT_EQ(2, wsaqos_run("set lo fast 2>/dev/null", self->out, sizeof(self->out)));
	EXPECT_EQ(1, wsaqos_run("set nosuchdev0 1000 2>/dev/null", self->out,
				sizeof(self->out)));
	/* No module: 3, seen through a /proc without its files. */
	ASSERT_EQ(0, setenv("WSAQOS_PROC", "/nonexistent", 1));
	EXPECT_EQ(3, wsaqos_run("2>/dev/null", self->out, sizeof(self->out)));
	EXPECT_EQ(3, wsaqos_run("admission 2>/dev/null", self->out, sizeof(self->out)));
	unsetenv("WSAQOS_PROC");
}

TEST_HARNESS_MAIN
