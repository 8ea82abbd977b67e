// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/wsaconnect ioctl contract (uapi/linux/wsaconnect.h), driven
 * directly: versioned struct sizes, reserved fields, bad descriptors and
 * pointers, and that a check never changes the socket it looks at.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <linux/sock_diag.h>

#include <linux/wsaconnect.h>

#include "kselftest_harness.h"

static int wsac_dev(void)
{
	return open("/dev/" WSAC_DEVICE_NAME, O_RDWR | O_CLOEXEC);
}

static void wsac_fill_loopback(struct wsac_connect_check *req, int fd, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	memset(req, 0, sizeof(*req));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	req->size = sizeof(*req);
	req->fd = fd;
	req->addrlen = sizeof(sin);
	memcpy(req->addr, &sin, sizeof(sin));
}

FIXTURE(dev) {
	int dev;
	int s;
	struct wsac_connect_check req;
};

FIXTURE_SETUP(dev)
{
	self->dev = wsac_dev();
	ASSERT_LE(0, self->dev) TH_LOG("/dev/wsaconnect: %s (is the module loaded?)",
				       strerror(errno));
	self->s = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->s);
	wsac_fill_loopback(&self->req, self->s, 9);
}

FIXTURE_TEARDOWN(dev)
{
	close(self->s);
	close(self->dev);
}

TEST_F(dev, version_reports_abi_and_features)
{
	struct wsac_version v = { .size = sizeof(v) };

	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_VERSION, &v));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ(WSAC_ABI_MAJOR, v.abi_major);
	EXPECT_TRUE(v.features & WSAC_FEAT_CONNECT_CHECK);
	EXPECT_TRUE(v.features & WSAC_FEAT_DGRAM_PURGE);
	EXPECT_EQ(0, v.reserved);
}

TEST_F(dev, newer_caller_struct_with_zero_tail_is_accepted)
{
	struct {
		struct wsac_version v;
		__u64 future;
	} big = { .v.size = sizeof(big) };

	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_VERSION, &big));
	/* The module fills only what it knows and says so. */
	EXPECT_EQ(sizeof(struct wsac_version), big.v.size);
	EXPECT_EQ(0, big.future);
}

TEST_F(dev, newer_caller_struct_with_nonzero_tail_is_e2big)
{
	struct {
		struct wsac_version v;
		__u64 future;
	} big = { .v.size = sizeof(big), .future = 1 };

	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_VERSION, &big));
	EXPECT_EQ(E2BIG, errno);
}

TEST_F(dev, sizes_out_of_range_are_rejected)
{
	struct wsac_version v = { .size = WSAC_VERSION_SIZE_VER0 - 1 };

	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	v.size = 0;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	v.size = 1 << 20;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_VERSION, &v));
	EXPECT_EQ(E2BIG, errno);
}

TEST_F(dev, reserved_and_output_fields_must_be_zero)
{
	struct wsac_version v = { .size = sizeof(v), .reserved = 1 };

	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);

	self->req.flags = 1;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(EINVAL, errno);
	self->req.flags = 0;
	self->req.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(EINVAL, errno);
	self->req.reserved = 0;
	self->req.verdict = -1;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, bad_pointers_are_efault)
{
	void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(page != MAP_FAILED);
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, page));
	EXPECT_EQ(EFAULT, errno);
	munmap(page, 4096);
}

TEST_F(dev, struct_straddling_an_unmapped_page_is_efault)
{
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct wsac_connect_check *req;

	ASSERT_TRUE(two != MAP_FAILED);
	ASSERT_EQ(0, munmap(two + 4096, 4096));
	req = (void *)(two + 4096 - 64);
	memcpy(req, &self->req, 64);
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, req));
	EXPECT_EQ(EFAULT, errno);
	munmap(two, 4096);
}

TEST_F(dev, unknown_command_is_enotty)
{
	EXPECT_EQ(-1, ioctl(self->dev, _IOWR(WSAC_IOC_MAGIC, 0x7f, struct wsac_version),
			    &self->req));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(dev, descriptors_that_are_not_sockets)
{
	int p[2];

	self->req.fd = -1;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(0, pipe(p));
	self->req.fd = p[0];
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(ENOTSOCK, errno);
	close(p[0]);
	close(p[1]);
}

TEST_F(dev, socket_kinds_not_served)
{
	int u = socket(AF_UNIX, SOCK_DGRAM, 0);

	ASSERT_LE(0, u);
	self->req.fd = u;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
	close(u);
}

TEST_F(dev, check_reports_state_and_verdict)
{
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(0, self->req.verdict);
	EXPECT_EQ(WSAC_ACTION_CONNECT, self->req.action);
	EXPECT_EQ(WSAC_STATE_UNCONNECTED, self->req.state);
	EXPECT_EQ(AF_INET, self->req.family);
	EXPECT_EQ(SOCK_STREAM, self->req.type);
	EXPECT_EQ(IPPROTO_TCP, self->req.protocol);
}

TEST_F(dev, listener_verdict_is_einval)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(self->s, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(self->s, 1));
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(WSAC_STATE_LISTENING, self->req.state);
	EXPECT_EQ(-EINVAL, self->req.verdict);
}

TEST_F(dev, check_has_no_side_effect)
{
	struct sockaddr_in local;
	socklen_t len = sizeof(local);

	/* A rejected and an accepted check: neither binds nor connects. */
	((struct sockaddr_in *)self->req.addr)->sin_addr.s_addr = 0;
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	EXPECT_EQ(-EADDRNOTAVAIL, self->req.verdict);
	wsac_fill_loopback(&self->req, self->s, 9);
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req));
	ASSERT_EQ(0, getsockname(self->s, (struct sockaddr *)&local, &len));
	EXPECT_EQ(0, local.sin_port);
	EXPECT_EQ(-1, getpeername(self->s, (struct sockaddr *)&local, &len));
	EXPECT_EQ(ENOTCONN, errno);
}

/* Bind a UDP socket on loopback; its address goes to @sin. */
static int wsac_udp_on_lo(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len))
		return -1;
	return fd;
}

/* The receive memory @fd holds now (SO_MEMINFO), or -1. */
static long wsac_rmem(int fd)
{
	__u32 mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len))
		return -1;
	return mem[SK_MEMINFO_RMEM_ALLOC];
}

/*
 * Send @msg from @from to @to (bound at @sin) and return only once it is
 * queued there: loopback delivers from a softirq that a loaded guest may
 * run late, and a purge must meet every datagram the test sent.
 */
static ssize_t wsac_sendto_queued(int from, const char *msg, int to,
				  const struct sockaddr_in *sin)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	long before = wsac_rmem(to);
	ssize_t n = sendto(from, msg, strlen(msg), 0, (const struct sockaddr *)sin,
			   sizeof(*sin));
	int i;

	for (i = 0; n > 0 && i < 5000 && wsac_rmem(to) <= before; i++)
		nanosleep(&ms, NULL);
	return n;
}

TEST_F(dev, dgram_purge_keeps_only_the_peer)
{
	struct wsac_dgram_purge req = { .size = sizeof(req) };
	struct sockaddr_in me, a, b;
	int s = wsac_udp_on_lo(&me), pa = wsac_udp_on_lo(&a), pb = wsac_udp_on_lo(&b);
	char buf[8];

	ASSERT_LE(0, s);
	ASSERT_LE(0, pa);
	ASSERT_LE(0, pb);
	ASSERT_EQ(2, wsac_sendto_queued(pb, "b1", s, &me));
	ASSERT_EQ(2, wsac_sendto_queued(pa, "a1", s, &me));
	ASSERT_EQ(2, wsac_sendto_queued(pb, "b2", s, &me));
	ASSERT_EQ(2, wsac_sendto_queued(pa, "a2", s, &me));
	/* Linux's connect(2) keeps b1 and b2 queued. */
	ASSERT_EQ(0, connect(s, (struct sockaddr *)&a, sizeof(a)));

	req.fd = s;
	ASSERT_EQ(0, ioctl(self->dev, WSAC_IOC_DGRAM_PURGE, &req));
	EXPECT_EQ(2, req.dropped);
	EXPECT_EQ(2, req.kept);
	EXPECT_EQ(2, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "a1", 2));
	EXPECT_EQ(2, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "a2", 2));
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	/* The socket's receive memory was released with the datagrams. */
	ASSERT_EQ(2, sendto(pa, "a3", 2, 0, (struct sockaddr *)&me, sizeof(me)));
	EXPECT_EQ(2, recv(s, buf, sizeof(buf), 0));
	close(s);
	close(pa);
	close(pb);
}

TEST_F(dev, dgram_purge_needs_a_connected_udp_socket)
{
	struct wsac_dgram_purge req = { .size = sizeof(req), .fd = self->s };
	struct sockaddr_in me;
	int u = wsac_udp_on_lo(&me);

	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_DGRAM_PURGE, &req));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
	ASSERT_LE(0, u);
	req.fd = u;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_DGRAM_PURGE, &req));
	EXPECT_EQ(ENOTCONN, errno);
	req.kept = 1;
	EXPECT_EQ(-1, ioctl(self->dev, WSAC_IOC_DGRAM_PURGE, &req));
	EXPECT_EQ(EINVAL, errno);
	close(u);
}

struct wsac_race {
	int dev;
	volatile int stop;
	int fd;
};

static void *wsac_close_reopen(void *arg)
{
	struct wsac_race *r = arg;

	while (!r->stop) {
		close(r->fd);
		/* socket() reuses the lowest free number: the same fd. */
		if (socket(AF_INET6, SOCK_DGRAM, 0) < 0)
			break;
	}
	return NULL;
}

TEST_F(dev, descriptor_closed_by_another_thread_mid_call)
{
	struct wsac_race r = { .dev = self->dev, .fd = self->s };
	int i, ok = 0, badf = 0;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, wsac_close_reopen, &r));
	for (i = 0; i < 20000; i++) {
		wsac_fill_loopback(&self->req, r.fd, 9);
		if (!ioctl(self->dev, WSAC_IOC_CONNECT_CHECK, &self->req))
			ok++;
		else if (errno == EBADF)
			badf++;
		else
			ASSERT_EQ(EBADF, errno);
	}
	r.stop = 1;
	pthread_join(t, NULL);
	TH_LOG("%d checks answered, %d saw the descriptor closed", ok, badf);
	EXPECT_EQ(20000, ok + badf);
}

TEST_HARNESS_MAIN
