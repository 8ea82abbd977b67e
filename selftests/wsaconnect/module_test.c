// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading wsaconnect.ko, and what a Winsock program sees
 * while it is gone.  Needs root and the module file: set WSA_MODULE to its
 * path (scripts/vm-run and `make check` do), or the tests are skipped.
 * Run last: it leaves the module loaded, as it found it.
 *
 * Sockets of earlier tests may still hold the module: a closed TCP socket
 * with the "wsaconnect" ULP keeps its reference until the kernel destroys
 * it, after its queue drained and the FIN exchange ended, possibly in a
 * namespace no process is left in.  Each test first waits, bounded, for
 * the module's reference count to reach 0, and names the holders if it
 * does not.
 */
#include <winsock2.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/wsaconnect.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define WSAC_CYCLES 100
/* Longer than an orphan's FIN timeout (tcp_fin_timeout, 60 s by default). */
#define WSAC_SETTLE_MS (90 * 1000)
/* Each test's timeout in seconds: the settling, then the test itself. */
#define WSAC_TIMEOUT (WSAC_SETTLE_MS / 1000 + 30)

static int wsac_unload(void)
{
	return syscall(__NR_delete_module, "wsaconnect", O_NONBLOCK);
}

static int wsac_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = syscall(__NR_finit_module, fd, "", 0);
	close(fd);
	return rc;
}

static int wsac_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/wsaconnect", &st);
}

static void wsac_show(const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		ksft_print_msg("%s: %s", path, line);
	fclose(f);
}

/* Wait for other tests' sockets to let go of the module: 0 once they did. */
static int wsac_settle(void)
{
	if (wsac_module_refcnt_settle(0, WSAC_SETTLE_MS) <= 0)
		return 0;
	ksft_print_msg("wsaconnect still has %ld references after %d s\n",
		       wsac_module_refcnt(), WSAC_SETTLE_MS / 1000);
	wsac_show("/sys/module/wsaconnect/parameters/holders");
	wsac_show("/proc/net/wsaconnect_qos");
	return -1;
}

FIXTURE(module) {
	const char *path;
};

FIXTURE_SETUP(module)
{
	self->path = getenv("WSA_MODULE");
	if (!self->path || access(self->path, R_OK))
		SKIP(return, "set WSA_MODULE to the path of wsaconnect.ko");
	if (geteuid())
		SKIP(return, "needs root to load modules");
	if (!wsac_loaded())
		ASSERT_EQ(0, wsac_load(self->path));
	ASSERT_EQ(0, wsac_settle());
}

FIXTURE_TEARDOWN(module)
{
	if (self->path && !wsac_loaded())
		wsac_load(self->path);
}

TEST_F_TIMEOUT(module, startup_without_module_is_sysnotready, WSAC_TIMEOUT)
{
	WSADATA wsa;

	memset(&wsa, 0, sizeof(wsa));
	ASSERT_EQ(0, wsac_unload()) TH_LOG("rmmod: %s", strerror(errno));
	EXPECT_EQ(WSASYSNOTREADY, WSAStartup(MAKEWORD(2, 2), &wsa));
	TH_LOG("szSystemStatus: %s", wsa.szSystemStatus);
	EXPECT_TRUE(strstr(wsa.szSystemStatus, "wsaconnect") != NULL);
	EXPECT_TRUE(strstr(wsa.szSystemStatus, "load") != NULL);

	ASSERT_EQ(0, wsac_load(self->path));
	EXPECT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	EXPECT_EQ(0, WSACleanup());
}

TEST_F_TIMEOUT(module, open_device_pins_the_module, WSAC_TIMEOUT)
{
	int dev = open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, dev);
	EXPECT_EQ(-1, wsac_unload());
	EXPECT_TRUE(errno == EBUSY || errno == EAGAIN) TH_LOG("errno %d", errno);
	close(dev);
	/* The release is immediate: unloading works now. */
	EXPECT_EQ(0, wsac_unload());
}

/*
 * A socket carrying QoS state pins the module, without any open device:
 * rmmod is refused while it exists and works once it is destroyed.
 */
static void wsac_qos_socket_pins(struct __test_metadata *_metadata,
				 FIXTURE_DATA(module) *self, int type)
{
	WSADATA wsa;
	DWORD n = 0;
	int s, rc, i;
	QOS q;

	if (_metadata->skip)	/* the 6.1 harness runs the body after a SKIP */
		return;
	memset(&q, 0, sizeof(q));
	q.SendingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
	q.SendingFlowspec.TokenRate = 100000;
	q.SendingFlowspec.PeakBandwidth = QOS_NOT_SPECIFIED;
	q.ReceivingFlowspec.ServiceType = SERVICETYPE_NOTRAFFIC;
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	s = socket(AF_INET, type, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, WSAIoctl(s, SIO_SET_QOS, &q, sizeof(q), NULL, 0, &n, NULL, NULL))
		TH_LOG("SIO_SET_QOS: %d", WSAGetLastError());
	/* The last WSACleanup closes the device: only the socket is left. */
	ASSERT_EQ(0, WSACleanup());
	EXPECT_EQ(-1, wsac_unload());
	EXPECT_TRUE(errno == EBUSY || errno == EAGAIN) TH_LOG("errno %d", errno);
	EXPECT_TRUE(wsac_loaded());
	close(s);
	/* UDP sockets are freed after an RCU grace period: allow a few seconds. */
	for (i = 0; i < 100; i++) {
		rc = wsac_unload();
		if (!rc || (errno != EBUSY && errno != EAGAIN))
			break;
		usleep(50 * 1000);
	}
	EXPECT_EQ(0, rc) TH_LOG("rmmod after close: %s", strerror(errno));
	ASSERT_EQ(0, wsac_load(self->path));
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	EXPECT_EQ(0, WSACleanup());
}

TEST_F_TIMEOUT(module, qos_tcp_socket_pins_the_module, WSAC_TIMEOUT)
{
	wsac_qos_socket_pins(_metadata, self, SOCK_STREAM);
}

TEST_F_TIMEOUT(module, qos_udp_socket_pins_the_module, WSAC_TIMEOUT)
{
	wsac_qos_socket_pins(_metadata, self, SOCK_DGRAM);
}

TEST_F_TIMEOUT(module, load_unload_cycles, WSAC_TIMEOUT)
{
	struct wsac_version v;
	int i, dev;

	for (i = 0; i < WSAC_CYCLES; i++) {
		ASSERT_EQ(0, wsac_unload()) TH_LOG("cycle %d: %s", i, strerror(errno));
		ASSERT_EQ(0, wsac_load(self->path)) TH_LOG("cycle %d: %s", i, strerror(errno));
		dev = open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, dev) TH_LOG("cycle %d: %s", i, strerror(errno));
		memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
		EXPECT_EQ(0, ioctl(dev, WSAC_IOC_VERSION, &v));
		close(dev);
	}
}

TEST_HARNESS_MAIN
