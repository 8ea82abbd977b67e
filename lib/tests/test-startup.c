// SPDX-License-Identifier: GPL-2.0
/*
 * WSAStartup/WSACleanup: WSANOTINITIALISED everywhere before startup and
 * after the last cleanup, reference counting, version negotiation, and
 * WSASYSNOTREADY with a reason when the module is missing or wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

/* Run WSAStartup with stderr captured into @err (NUL-terminated). */
static int startup_capturing(WORD version, WSADATA *wsa, char *err, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO), rc;
	size_t n;

	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	rc = WSAStartup(version, wsa);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(err, 1, size - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return rc;
}

static void expect_not_initialised(const char *when)
{
	unsigned long arg = 0;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	WSAC_EXPECT_EQ(SOCKET_ERROR, WSAConnect(s, (struct sockaddr *)&sin, sizeof(sin),
						NULL, NULL, NULL, NULL), "WSAConnect fails %s", when);
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "with WSANOTINITIALISED %s", when);
	WSAC_EXPECT_EQ(SOCKET_ERROR, ioctlsocket(s, FIONBIO, &arg), "ioctlsocket fails %s", when);
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "with WSANOTINITIALISED %s", when);
	WSAC_EXPECT_EQ(SOCKET_ERROR, closesocket(s), "closesocket fails %s", when);
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "with WSANOTINITIALISED %s", when);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSACleanup(), "WSACleanup fails %s", when);
	WSAC_EXPECT_EQ(WSANOTINITIALISED, WSAGetLastError(), "with WSANOTINITIALISED %s", when);
	close(s);
}

static void expect_not_ready(const char *device, const char *reason_part, const char *what)
{
	char *saved = strdup(getenv(WSAC_ENV_DEVICE));
	char err[512];
	WSADATA wsa;

	setenv(WSAC_ENV_DEVICE, device, 1);
	unsetenv(WSAC_ENV_VERBOSE);
	WSAC_EXPECT_EQ(WSASYSNOTREADY, startup_capturing(MAKEWORD(2, 2), &wsa, err, sizeof(err)),
		       "WSAStartup is WSASYSNOTREADY: %s", what);
	if (!wsac_tap(strstr(wsa.szSystemStatus, reason_part) != NULL,
		      "szSystemStatus says why: %s", what))
		wsac_diag("szSystemStatus: \"%s\"", wsa.szSystemStatus);
	WSAC_EXPECT_EQ(0, strlen(err), "nothing on stderr without WSACONNECT_VERBOSE: %s", what);
	setenv(WSAC_ENV_VERBOSE, "1", 1);
	startup_capturing(MAKEWORD(2, 2), &wsa, err, sizeof(err));
	wsac_tap(strstr(err, reason_part) != NULL,
		 "the reason on stderr with WSACONNECT_VERBOSE=1: %s", what);
	unsetenv(WSAC_ENV_VERBOSE);
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSACleanup(), "a failed WSAStartup took no reference: %s", what);
	setenv(WSAC_ENV_DEVICE, saved, 1);
	free(saved);
}

static void test_not_ready(void)
{
	expect_not_ready("/nonexistent/wsaconnect",
			 "wsaconnect kernel module not loaded: load it with 'modprobe wsaconnect'",
			 "no device");
	expect_not_ready("/dev/null", "is not the wsaconnect module's device", "not the module");
	wsac_fake.abi_major = WSAC_ABI_MAJOR + 1;
	expect_not_ready(getenv(WSAC_ENV_DEVICE), "module ABI 2.x, library needs 1.x",
			 "ABI major mismatch");
	wsac_fake_reset();
	wsac_fake.features = 0;
	expect_not_ready(getenv(WSAC_ENV_DEVICE), "lacks the connect check", "feature missing");
	wsac_fake_reset();
}

static void test_versions(void)
{
	static const struct {
		WORD requested, granted;
	} v[] = {
		{ MAKEWORD(2, 2), MAKEWORD(2, 2) }, { MAKEWORD(2, 0), MAKEWORD(2, 0) },
		{ MAKEWORD(1, 1), MAKEWORD(1, 1) }, { MAKEWORD(1, 0), MAKEWORD(1, 0) },
		{ MAKEWORD(1, 5), MAKEWORD(1, 1) }, { MAKEWORD(2, 5), MAKEWORD(2, 2) },
		{ MAKEWORD(3, 0), MAKEWORD(2, 2) }, { MAKEWORD(9, 9), MAKEWORD(2, 2) },
	};
	WSADATA wsa;
	size_t i;

	for (i = 0; i < WSAC_ARRAY_SIZE(v); i++) {
		memset(&wsa, 0xa5, sizeof(wsa));
		WSAC_EXPECT_EQ(0, WSAStartup(v[i].requested, &wsa), "WSAStartup(%u.%u) succeeds",
			       LOBYTE(v[i].requested), HIBYTE(v[i].requested));
		WSAC_EXPECT_EQ(v[i].granted, wsa.wVersion, "and grants %u.%u",
			       LOBYTE(v[i].granted), HIBYTE(v[i].granted));
		WSAC_EXPECT_EQ(MAKEWORD(2, 2), wsa.wHighVersion, "wHighVersion is 2.2");
		WSAC_EXPECT_EQ(0, WSACleanup(), "its WSACleanup succeeds");
	}
	WSAC_EXPECT_EQ(0, strcmp(wsa.szSystemStatus, "Running"), "szSystemStatus is \"Running\"");
	WSAC_EXPECT_EQ(WSAVERNOTSUPPORTED, WSAStartup(MAKEWORD(0, 9), &wsa),
		       "WSAStartup(0.9) is WSAVERNOTSUPPORTED");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSACleanup(), "and took no reference");
	WSAC_EXPECT_EQ(WSAEFAULT, WSAStartup(MAKEWORD(2, 2), NULL),
		       "WSAStartup with a NULL WSADATA is WSAEFAULT");
	WSAC_EXPECT_EQ(SOCKET_ERROR, WSACleanup(), "and took no reference");
}

static unsigned int open_fake_devices(void)
{
	const char *path = getenv(WSAC_ENV_DEVICE);
	char link[64], target[256];
	unsigned int n = 0;
	ssize_t len;
	int fd;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = readlink(link, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		n += strcmp(target, path) == 0;
	}
	return n;
}

static void test_refcount(void)
{
	unsigned long arg = 0;
	WSADATA wsa;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	WSAC_EXPECT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa), "first WSAStartup");
	WSAC_EXPECT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa), "second WSAStartup");
	WSAC_EXPECT_EQ(1, open_fake_devices(), "the device is opened once");
	WSAC_EXPECT_EQ(0, WSACleanup(), "first WSACleanup");
	WSAC_EXPECT_EQ(0, ioctlsocket(s, FIONBIO, &arg), "still started after one of two cleanups");
	WSAC_EXPECT_EQ(0, WSACleanup(), "second WSACleanup");
	WSAC_EXPECT_EQ(0, open_fake_devices(), "the last WSACleanup closed the device");
	close(s);
	expect_not_initialised("after the last WSACleanup");
}

void wsac_test_startup(void)
{
	wsac_fake_install();
	expect_not_initialised("before WSAStartup");
	test_not_ready();
	test_versions();
	test_refcount();
}
