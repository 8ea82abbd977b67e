// SPDX-License-Identifier: GPL-2.0
/*
 * WSAIoctl and QoS on the host: flattening and its bounds, the WSAEFAULT
 * and WSAEINVAL rules, the SET sequence (dry run, snapshot, plan, commit)
 * and its restore on failure, SIO_GET_QOS's buffer layout, and
 * WSAConnect's lpSQOS and admission.  The fake module answers QOS_SET,
 * QOS_GET and QOS_ADMIT as configured; the QoS socket options are logged
 * through the linker's --wrap.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <unistd.h>

#include <qossp.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

#define EXPECT_FAILS_WITH(code, call, ...) do {				\
	WSAC_EXPECT_EQ(SOCKET_ERROR, (call), __VA_ARGS__);		\
	WSAC_EXPECT_EQ(code, WSAGetLastError(), "  ... with " #code);	\
} while (0)

#define EXPECT_LOG(expected, ...) do {					\
	if (!wsac_tap(strcmp(expected, wsac_fake.log) == 0, __VA_ARGS__))	\
		wsac_diag("expected \"%s\", got \"%s\"", expected, wsac_fake.log); \
} while (0)

static void flowspec(FLOWSPEC *f, ULONG type, ULONG rate)
{
	f->TokenRate = rate;
	f->TokenBucketSize = QOS_NOT_SPECIFIED;
	f->PeakBandwidth = QOS_NOT_SPECIFIED;
	f->Latency = QOS_NOT_SPECIFIED;
	f->DelayVariation = QOS_NOT_SPECIFIED;
	f->ServiceType = type;
	f->MaxSduSize = QOS_NOT_SPECIFIED;
	f->MinimumPolicedSize = QOS_NOT_SPECIFIED;
}

static void make_qos(QOS *q, void *objs, ULONG len)
{
	memset(q, 0, sizeof(*q));
	flowspec(&q->SendingFlowspec, SERVICETYPE_GUARANTEED, 125000);
	flowspec(&q->ReceivingFlowspec, SERVICETYPE_BESTEFFORT, 125000);
	q->ProviderSpecific.len = len;
	q->ProviderSpecific.buf = objs;
}

static int flatten(void *objs, ULONG len, int family, struct wsac_qos *req)
{
	QOS q;

	make_qos(&q, objs, len);
	memset(req, 0, sizeof(*req));
	return wsac_qos_flatten(&q, family, req);
}

/*
 * A list as a program writes it: DESTADDR, SD_MODE, SHAPING_RATE, END,
 * junk.  DESTADDR first: after a 12-byte object its pointer would leave a
 * hole in a struct (on Windows as well).
 */
struct winlist {
	QOS_DESTADDR dest;
	QOS_SD_MODE sd;
	QOS_SHAPING_RATE shaping;
	QOS_OBJECT_HDR end;
	ULONG junk[4];
};

static void make_winlist(struct winlist *w, const struct sockaddr_in *sin)
{
	memset(w, 0, sizeof(*w));
	w->sd.ObjectHdr.ObjectType = QOS_OBJECT_SD_MODE;
	w->sd.ObjectHdr.ObjectLength = sizeof(w->sd);
	w->sd.ShapeDiscardMode = TC_NONCONF_SHAPE;
	w->dest.ObjectHdr.ObjectType = QOS_OBJECT_DESTADDR;
	w->dest.ObjectHdr.ObjectLength = sizeof(w->dest);
	w->dest.SocketAddress = (const struct sockaddr *)sin;
	w->dest.SocketAddressLength = sizeof(*sin);
	w->shaping.ObjectHdr.ObjectType = QOS_OBJECT_SHAPING_RATE;
	w->shaping.ObjectHdr.ObjectLength = sizeof(w->shaping);
	w->shaping.ShapingRate = 50000;
	w->end.ObjectType = QOS_OBJECT_END_OF_LIST;
	w->end.ObjectLength = sizeof(w->end);
	w->junk[0] = 0xdead;	/* an ObjectLength of 0 if it were read */
}

static __u32 word(const struct wsac_qos *req, size_t off)
{
	__u32 v;

	memcpy(&v, req->objects + off, sizeof(v));
	return v;
}

static void test_flatten(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	long page = sysconf(_SC_PAGESIZE);
	struct wsac_qos req;
	struct winlist w;
	ULONG words[8];
	void *gone;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	gone = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, page);

	make_winlist(&w, &sin);
	WSAC_EXPECT_EQ(0, flatten(&w, sizeof(w), AF_INET, &req),
		       "flatten DESTADDR, SD_MODE, SHAPING_RATE, END_OF_LIST, junk");
	WSAC_EXPECT_EQ(28 + 12 + 12, req.objects_len, "  ... 52 flat bytes, the junk not read");
	WSAC_EXPECT_EQ(QOS_OBJECT_DESTADDR, word(&req, 0), "  ... DESTADDR first");
	WSAC_EXPECT_EQ(28, word(&req, 4), "  ... its length 12 + 16");
	WSAC_EXPECT_EQ(16, word(&req, 8), "  ... its address length");
	WSAC_EXPECT_EQ(0, memcmp(req.objects + 12, &sin, sizeof(sin)), "  ... the address inline");
	WSAC_EXPECT_EQ(QOS_OBJECT_SD_MODE, word(&req, 28), "  ... SD_MODE copied");
	WSAC_EXPECT_EQ(TC_NONCONF_SHAPE, word(&req, 36), "  ... with its mode");
	WSAC_EXPECT_EQ(QOS_OBJECT_SHAPING_RATE, word(&req, 40), "  ... SHAPING_RATE last");
	WSAC_EXPECT_EQ(50000, word(&req, 48), "  ... with its rate");
	WSAC_EXPECT_EQ(SERVICETYPE_GUARANTEED, req.sending.service_type, "  ... flowspecs copied");
	WSAC_EXPECT_EQ(125000, req.receiving.token_rate, "  ... both of them");

	WSAC_EXPECT_EQ(0, flatten(NULL, 0, AF_INET, &req), "no objects: len 0, buf NULL");
	WSAC_EXPECT_EQ(0, req.objects_len, "  ... nothing flat");
	WSAC_EXPECT_EQ(-EFAULT, flatten(NULL, 8, AF_INET, &req), "buf NULL with len 8: EFAULT");
	WSAC_EXPECT_EQ(-EFAULT, flatten(gone, 12, AF_INET, &req), "unmapped buf: EFAULT");
	WSAC_EXPECT_EQ(-EFAULT, flatten((void *)16, 12, AF_INET, &req), "buf (void *)16: EFAULT");

	/* The sockaddr of a 6-byte... AF_UNIX name would not be 4-padded: pad it. */
	make_winlist(&w, &sin);
	w.dest.SocketAddressLength = 6;
	WSAC_EXPECT_EQ(0, flatten(&w.dest, sizeof(w.dest), 0, &req),
		       "a 6-byte address is padded to 4 bytes");
	WSAC_EXPECT_EQ(20, word(&req, 4), "  ... object length 12 + 8");
	WSAC_EXPECT_EQ(6, word(&req, 8), "  ... address length 6");

	make_winlist(&w, &sin);
	w.dest.SocketAddress = NULL;
	WSAC_EXPECT_EQ(-EFAULT, flatten(&w, sizeof(w), AF_INET, &req), "DESTADDR NULL address: EFAULT");
	w.dest.SocketAddress = gone;
	WSAC_EXPECT_EQ(-EFAULT, flatten(&w, sizeof(w), AF_INET, &req), "DESTADDR unmapped: EFAULT");
	make_winlist(&w, &sin);
	w.dest.SocketAddressLength = 0;
	WSAC_EXPECT_EQ(-EINVAL, flatten(&w, sizeof(w), AF_INET, &req), "DESTADDR length 0: EINVAL");
	w.dest.SocketAddressLength = WSAC_ADDR_MAX + 1;
	WSAC_EXPECT_EQ(-EINVAL, flatten(&w, sizeof(w), AF_INET, &req), "DESTADDR length 129: EINVAL");
	make_winlist(&w, &sin);
	WSAC_EXPECT_EQ(-EINVAL, flatten(&w, sizeof(w), AF_INET6, &req),
		       "an AF_INET DESTADDR on an AF_INET6 socket: EINVAL");
	w.dest.SocketAddress = (const struct sockaddr *)&sin6;
	w.dest.SocketAddressLength = sizeof(sin6);
	WSAC_EXPECT_EQ(0, flatten(&w, sizeof(w), AF_INET6, &req), "an AF_INET6 one: fine");
	WSAC_EXPECT_EQ(40 + 12 + 12, req.objects_len, "  ... 40 flat bytes for it");
	make_winlist(&w, &sin);
	w.dest.ObjectHdr.ObjectLength = sizeof(w.dest) - 4;
	WSAC_EXPECT_EQ(-EINVAL, flatten(&w.dest, sizeof(w.dest), AF_INET, &req),
		       "DESTADDR shorter than QOS_DESTADDR: EINVAL");

	/* Bounds of the walk. */
	memset(words, 0, sizeof(words));
	words[0] = QOS_OBJECT_SD_MODE;
	words[1] = 4;
	WSAC_EXPECT_EQ(-EINVAL, flatten(words, 12, AF_INET, &req), "ObjectLength 4: EINVAL");
	words[1] = 10;
	WSAC_EXPECT_EQ(-EINVAL, flatten(words, 12, AF_INET, &req), "ObjectLength 10: EINVAL");
	words[1] = 16;
	WSAC_EXPECT_EQ(-EINVAL, flatten(words, 16, AF_INET, &req), "SD_MODE of 16 bytes: EINVAL");
	words[1] = 12;
	WSAC_EXPECT_EQ(-EINVAL, flatten(words, 8, AF_INET, &req), "an object past the end: EINVAL");
	WSAC_EXPECT_EQ(-EINVAL, flatten(words, 16, AF_INET, &req),
		       "4 bytes left after the last object: EINVAL");
	WSAC_EXPECT_EQ(-EINVAL, flatten(words, 6, AF_INET, &req), "a header cut short: EINVAL");
	words[0] = QOS_OBJECT_SHAPING_RATE;
	words[1] = 8;
	WSAC_EXPECT_EQ(-EINVAL, flatten(words, 8, AF_INET, &req), "SHAPING_RATE of 8 bytes: EINVAL");
	words[0] = RSVP_OBJECT_STATUS_INFO;
	words[1] = 16;
	WSAC_EXPECT_EQ(0, flatten(words, 16, AF_INET, &req), "an RSVP object: copied");
	WSAC_EXPECT_EQ(16, req.objects_len, "  ... verbatim");
	words[0] = QOS_OBJECT_END_OF_LIST;
	words[1] = 8;
	words[2] = QOS_OBJECT_SD_MODE;
	words[3] = 3;
	WSAC_EXPECT_EQ(0, flatten(words, 32, AF_INET, &req),
		       "END_OF_LIST ends the list: a bad object after it is not read");
	WSAC_EXPECT_EQ(0, req.objects_len, "  ... and END_OF_LIST is not passed on");
}

static void test_flatten_limit(void)
{
	static ULONG big[2 * 65 + 2];
	struct wsac_qos req;
	size_t i;

	/* 65 RSVP objects of 8 bytes: 520 flat bytes, over the 512 limit. */
	for (i = 0; i < 65; i++) {
		big[2 * i] = RSVP_OBJECT_ADSPEC;
		big[2 * i + 1] = 8;
	}
	WSAC_EXPECT_EQ(-EINVAL, flatten(big, 65 * 8, AF_INET, &req), "520 flat bytes: EINVAL");
	WSAC_EXPECT_EQ(0, flatten(big, 64 * 8, AF_INET, &req), "512 flat bytes: fine");
	big[2 * 64] = QOS_OBJECT_END_OF_LIST;
	WSAC_EXPECT_EQ(0, flatten(big, 65 * 8 + 8, AF_INET, &req),
		       "a long buffer whose list ends within 512 bytes: fine");
}

static int ioctl_in(int s, DWORD code, void *in, DWORD len)
{
	DWORD n = 77;

	return WSAIoctl(s, code, in, len, NULL, 0, &n, NULL, NULL);
}

static void test_wsaioctl_args(int tcp, int unix_s)
{
	WSAOVERLAPPED ov;
	unsigned long on = 1;
	uint32_t on32 = 1, q32 = 99;
	unsigned long queued = 99;
	DWORD n = 77;
	QOS q;
	int p[2], sv[2];

	memset(&ov, 0, sizeof(ov));
	make_qos(&q, NULL, 0);
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, WSAIoctl(tcp, FIONBIO, &on, sizeof(on), NULL, 0, &n,
						  &ov, NULL), "WSAIoctl with lpOverlapped");
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, WSAIoctl(tcp, FIONBIO, &on, sizeof(on), NULL, 0, &n,
						  NULL, (LPWSAOVERLAPPED_COMPLETION_ROUTINE)1),
			  "WSAIoctl with a completion routine");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAIoctl(tcp, FIONBIO, &on, sizeof(on), NULL, 0, NULL,
					      NULL, NULL), "lpcbBytesReturned NULL");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAIoctl(tcp, FIONBIO, &on, sizeof(on), NULL, 0,
					      (LPDWORD)16, NULL, NULL), "lpcbBytesReturned (void *)16");
	EXPECT_FAILS_WITH(WSAEINVAL, WSAIoctl(tcp, 0x12345678, NULL, 0, NULL, 0, &n, NULL, NULL),
			  "an unknown code");
	WSAC_EXPECT_EQ(0, n, "  ... *lpcbBytesReturned is 0");
	if (pipe(p) == 0) {
		EXPECT_FAILS_WITH(WSAENOTSOCK, ioctl_in(p[0], FIONBIO, &on, sizeof(on)),
				  "WSAIoctl on a pipe");
		close(p[0]);
		close(p[1]);
	}

	/* FIONBIO and FIONREAD, both numberings, both u_long sizes. */
	WSAC_EXPECT_EQ(0, ioctl_in(tcp, FIONBIO, &on, sizeof(on)), "FIONBIO 1 (unsigned long)");
	WSAC_EXPECT_EQ(O_NONBLOCK, fcntl(tcp, F_GETFL) & O_NONBLOCK, "  ... nonblocking");
	on32 = 0;
	WSAC_EXPECT_EQ(0, ioctl_in(tcp, WSAC_WINDOWS_FIONBIO, &on32, sizeof(on32)),
		       "Windows FIONBIO 0 (32-bit u_long)");
	WSAC_EXPECT_EQ(0, fcntl(tcp, F_GETFL) & O_NONBLOCK, "  ... blocking");
	EXPECT_FAILS_WITH(WSAEFAULT, ioctl_in(tcp, FIONBIO, &on, 2), "FIONBIO with 2 bytes");
	EXPECT_FAILS_WITH(WSAEFAULT, ioctl_in(tcp, FIONBIO, NULL, 4), "FIONBIO with NULL");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		WSAC_EXPECT_EQ(3, write(sv[1], "abc", 3), "3 bytes queued");
		WSAC_EXPECT_EQ(0, WSAIoctl(sv[0], FIONREAD, NULL, 0, &queued, sizeof(queued), &n,
					   NULL, NULL), "FIONREAD into an unsigned long");
		WSAC_EXPECT_EQ(3, queued, "  ... 3");
		WSAC_EXPECT_EQ(sizeof(queued), n, "  ... bytes returned");
		WSAC_EXPECT_EQ(0, WSAIoctl(sv[0], WSAC_WINDOWS_FIONREAD, NULL, 0, &q32,
					   sizeof(q32), &n, NULL, NULL),
			       "Windows FIONREAD into 32 bits");
		WSAC_EXPECT_EQ(3, q32, "  ... 3");
		WSAC_EXPECT_EQ(4, n, "  ... 4 bytes returned");
		EXPECT_FAILS_WITH(WSAEFAULT, WSAIoctl(sv[0], FIONREAD, NULL, 0, &q32, 3, &n,
						      NULL, NULL), "FIONREAD into 3 bytes");
		close(sv[0]);
		close(sv[1]);
	}

	/* The QoS codes' buffer rules. */
	wsac_fake.qos_sets = 0;
	EXPECT_FAILS_WITH(WSAEFAULT, ioctl_in(tcp, SIO_SET_QOS, NULL, sizeof(q)),
			  "SIO_SET_QOS with no buffer");
	EXPECT_FAILS_WITH(WSAEFAULT, ioctl_in(tcp, SIO_SET_QOS, &q, sizeof(q) - 1),
			  "SIO_SET_QOS with a buffer shorter than QOS");
	EXPECT_FAILS_WITH(WSAEFAULT, ioctl_in(tcp, SIO_SET_QOS, (void *)16, sizeof(q)),
			  "SIO_SET_QOS with an unreadable QOS");
	q.ProviderSpecific.len = 8;
	EXPECT_FAILS_WITH(WSAEFAULT, ioctl_in(tcp, SIO_SET_QOS, &q, sizeof(q)),
			  "ProviderSpecific.buf NULL with len 8");
	q.ProviderSpecific.buf = (CHAR *)16;
	EXPECT_FAILS_WITH(WSAEFAULT, ioctl_in(tcp, SIO_SET_QOS, &q, sizeof(q)),
			  "ProviderSpecific.buf unreadable");
	q.ProviderSpecific.buf = (CHAR *)&q;	/* type 125000, length 0xffffffff */
	EXPECT_FAILS_WITH(WSAEINVAL, ioctl_in(tcp, SIO_SET_QOS, &q, sizeof(q)),
			  "a malformed object list");
	WSAC_EXPECT_EQ(WSAC_QOS_BAD_OBJECT, wsac_qos_last_reason(), "  ... reason BAD_OBJECT");
	WSAC_EXPECT_EQ(0, wsac_fake.qos_sets, "none of these reached the module");
	make_qos(&q, NULL, 0);
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, ioctl_in(unix_s, SIO_SET_QOS, &q, sizeof(q)),
			  "SIO_SET_QOS on an AF_UNIX socket");
	EXPECT_FAILS_WITH(WSAEINVAL, ioctl_in(tcp, SIO_SET_GROUP_QOS, &q, sizeof(q)),
			  "SIO_SET_GROUP_QOS: in no group");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAIoctl(tcp, SIO_GET_QOS, NULL, 0, &q, sizeof(q) - 1, &n,
					      NULL, NULL), "SIO_GET_QOS into less than a QOS");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAIoctl(tcp, SIO_GET_QOS, NULL, 0, (void *)16, sizeof(q),
					      &n, NULL, NULL), "SIO_GET_QOS into (void *)16");
	EXPECT_FAILS_WITH(WSAEFAULT, WSAIoctl(tcp, SIO_GET_GROUP_QOS, NULL, 0, &q, 8, &n,
					      NULL, NULL), "SIO_GET_GROUP_QOS into 8 bytes");
	memset(&q, 0xff, sizeof(q));
	WSAC_EXPECT_EQ(0, WSAIoctl(tcp, SIO_GET_GROUP_QOS, NULL, 0, &q, sizeof(q), &n, NULL, NULL),
		       "SIO_GET_GROUP_QOS: in no group");
	WSAC_EXPECT_EQ(sizeof(q), n, "  ... a QOS returned");
	WSAC_EXPECT_EQ(0, q.SendingFlowspec.ServiceType | q.ProviderSpecific.len,
		       "  ... all zero");
	WSAC_EXPECT_EQ(true, q.ProviderSpecific.buf == NULL, "  ... no objects");

	/* An old module. */
	wsac_fake.features &= ~WSAC_FEAT_QOS;
	WSACleanup();
	{
		WSADATA wsa;

		WSAStartup(MAKEWORD(2, 2), &wsa);
	}
	make_qos(&q, NULL, 0);
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, ioctl_in(tcp, SIO_SET_QOS, &q, sizeof(q)),
			  "SIO_SET_QOS with a module without WSAC_FEAT_QOS");
	WSAC_EXPECT_EQ(true, strstr(wsac_qos_last_text(), "too old") != NULL,
		       "  ... the reason says the module is too old");
	wsac_fake.features |= WSAC_FEAT_QOS;
	WSACleanup();
	{
		WSADATA wsa;

		WSAStartup(MAKEWORD(2, 2), &wsa);
	}
	wsac_fake.qos_errno = ENOTTY;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, ioctl_in(tcp, SIO_SET_QOS, &q, sizeof(q)),
			  "SIO_SET_QOS answered ENOTTY");
	wsac_fake.qos_errno = 0;
}

static int getint(int s, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	getsockopt(s, level, name, &v, &len);
	return v;
}

static void full_plan(void)
{
	memset(&wsac_fake.qos_plan, 0, sizeof(wsac_fake.qos_plan));
	wsac_fake.qos_plan.set = WSAC_PLAN_ULP | WSAC_PLAN_TOS | WSAC_PLAN_PRIORITY |
				 WSAC_PLAN_PACING | WSAC_PLAN_RCVBUF;
	wsac_fake.qos_plan.tos = 0xa0;
	wsac_fake.qos_plan.priority = 6;
	wsac_fake.qos_plan.pacing_rate = 125000;
	wsac_fake.qos_plan.rcvbuf = 65536;
}

static void test_set_sequence(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int tos0, prio0, rcv0;
	unsigned long pacing = 0;
	char expected[512];
	socklen_t len = sizeof(pacing);
	QOS q;

	tos0 = getint(s, SOL_IP, IP_TOS);
	prio0 = getint(s, SOL_SOCKET, SO_PRIORITY);
	rcv0 = getint(s, SOL_SOCKET, SO_RCVBUF);
	make_qos(&q, NULL, 0);
	full_plan();
	wsac_fake.ulp_ok = true;
	wsac_fake.log_sockopts = true;
	wsac_fake.log[0] = '\0';
	WSAC_EXPECT_EQ(0, ioctl_in(s, SIO_SET_QOS, &q, sizeof(q)), "SIO_SET_QOS with a full plan");
	EXPECT_LOG("QOS_SET;get IP_TOS;get SO_PRIORITY;get SO_MAX_PACING_RATE;get SO_RCVBUF;"
		   "set TCP_ULP=wsaconnect;set IP_TOS=160;set SO_PRIORITY=6;"
		   "set SO_MAX_PACING_RATE=125000;set SO_RCVBUF=65536;QOS_COMMIT;",
		   "  ... dry run, snapshot, plan in order, commit");
	WSAC_EXPECT_EQ(WSAC_QOS_COMMIT, wsac_fake.last_set.flags, "  ... the commit has COMMIT only");
	WSAC_EXPECT_EQ(s, wsac_fake.last_set.fd, "  ... for this socket");
	WSAC_EXPECT_EQ(0xa0, getint(s, SOL_IP, IP_TOS), "  ... IP_TOS is in force");
	WSAC_EXPECT_EQ(6, getint(s, SOL_SOCKET, SO_PRIORITY), "  ... SO_PRIORITY too");
	getsockopt(s, SOL_SOCKET, SO_MAX_PACING_RATE, &pacing, &len);
	WSAC_EXPECT_EQ(125000, pacing, "  ... and the pacing cap");

	/* A refused setsockopt: the options set before it are put back. */
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	wsac_fake.fail_level = SOL_SOCKET;
	wsac_fake.fail_name = SO_MAX_PACING_RATE;
	wsac_fake.fail_errno = EPERM;
	wsac_fake.log[0] = '\0';
	wsac_fake.qos_commits = 0;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, ioctl_in(s, SIO_SET_QOS, &q, sizeof(q)),
			  "SIO_SET_QOS whose SO_MAX_PACING_RATE is refused");
	EXPECT_LOG("QOS_SET;get IP_TOS;get SO_PRIORITY;get SO_MAX_PACING_RATE;get SO_RCVBUF;"
		   "set TCP_ULP=wsaconnect;set IP_TOS=160;set SO_PRIORITY=6;"
		   "set SO_MAX_PACING_RATE=125000;set IP_TOS=0;set SO_PRIORITY=0;",
		   "  ... IP_TOS then SO_PRIORITY restored, no commit");
	WSAC_EXPECT_EQ(0, wsac_fake.qos_commits, "  ... the module recorded nothing");
	WSAC_EXPECT_EQ(tos0, getint(s, SOL_IP, IP_TOS), "  ... IP_TOS as before");
	WSAC_EXPECT_EQ(prio0, getint(s, SOL_SOCKET, SO_PRIORITY), "  ... SO_PRIORITY as before");
	WSAC_EXPECT_EQ(rcv0, getint(s, SOL_SOCKET, SO_RCVBUF), "  ... SO_RCVBUF untouched");
	WSAC_EXPECT_EQ(true, strstr(wsac_qos_last_text(), "SO_MAX_PACING_RATE") != NULL,
		       "  ... the reason names the option");
	wsac_fake.fail_errno = 0;

	/* The commit refuses: everything applied is put back. */
	wsac_fake.qos_commit_verdict = -EOPNOTSUPP;
	wsac_fake.qos_reason = WSAC_QOS_NO_FQ;
	wsac_fake.qos_effective.ifindex = 1;
	wsac_fake.log[0] = '\0';
	snprintf(expected, sizeof(expected),
		 "QOS_SET;get IP_TOS;get SO_PRIORITY;get SO_MAX_PACING_RATE;get SO_RCVBUF;"
		 "set TCP_ULP=wsaconnect;set IP_TOS=160;set SO_PRIORITY=6;"
		 "set SO_MAX_PACING_RATE=125000;set SO_RCVBUF=65536;QOS_COMMIT;"
		 "set IP_TOS=%d;set SO_PRIORITY=%d;set SO_MAX_PACING_RATE=%lu;set SO_RCVBUF=%d;",
		 tos0, prio0, ~0UL, rcv0 / 2);
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, ioctl_in(s, SIO_SET_QOS, &q, sizeof(q)),
			  "SIO_SET_QOS refused at commit");
	EXPECT_LOG(expected, "  ... all four options restored after the commit");
	WSAC_EXPECT_EQ(tos0, getint(s, SOL_IP, IP_TOS), "  ... IP_TOS as before");
	WSAC_EXPECT_EQ(WSAC_QOS_NO_FQ, wsac_qos_last_reason(), "  ... the last reason is NO_FQ");
	WSAC_EXPECT_EQ(true, strstr(wsac_qos_last_text(), "tc qdisc replace dev lo root fq") != NULL,
		       "  ... and says which device needs fq");
	wsac_diag("%s", wsac_qos_last_text());
	wsac_fake.qos_commit_verdict = 0;
	wsac_fake.qos_effective.ifindex = 0;

	/* The dry run refuses: no option is even read. */
	wsac_fake.qos_dry_verdict = -EINVAL;
	wsac_fake.qos_reason = WSAC_QOS_BAD_PEAK;
	wsac_fake.log[0] = '\0';
	EXPECT_FAILS_WITH(WSAEINVAL, ioctl_in(s, SIO_SET_QOS, &q, sizeof(q)),
			  "SIO_SET_QOS refused by the dry run");
	EXPECT_LOG("QOS_SET;", "  ... nothing else happened");
	WSAC_EXPECT_EQ(WSAC_QOS_BAD_PEAK, wsac_qos_last_reason(), "  ... reason BAD_PEAK");
	wsac_fake.qos_dry_verdict = -EAFNOSUPPORT;
	wsac_fake.qos_reason = WSAC_QOS_BAD_ADDRESS;
	EXPECT_FAILS_WITH(WSAEAFNOSUPPORT, ioctl_in(s, SIO_SET_QOS, &q, sizeof(q)),
			  "a verdict -EAFNOSUPPORT");
	WSAC_EXPECT_EQ(1, strstr(wsac_qos_last_text(), "not of the socket's family") != NULL,
		       "  ... the text says the address is of another family");
	wsac_fake.qos_dry_verdict = 0;

	/* The ULP a socket already has. */
	wsac_fake.ulp_ok = false;
	wsac_fake.fail_level = SOL_TCP;
	wsac_fake.fail_name = TCP_ULP;
	wsac_fake.fail_errno = EEXIST;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, ioctl_in(s, SIO_SET_QOS, &q, sizeof(q)),
			  "TCP_ULP EEXIST (another ULP, kTLS)");
	wsac_fake.fail_errno = 0;
	wsac_fake.log_sockopts = false;
	close(s);
}

static void test_get_layout(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	_Alignas(8) unsigned char out[1024];
	const QOS_WSAC_EFFECTIVE *e;
	const QOS_DESTADDR *d;
	const QOS_OBJECT_HDR *h;
	const QOS_SD_MODE *sd;
	struct winlist w;
	QOS q, *g = (QOS *)out;
	DWORD n = 0;
	size_t off;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	make_winlist(&w, &sin);
	make_qos(&q, &w, sizeof(w));
	memset(&wsac_fake.qos_plan, 0, sizeof(wsac_fake.qos_plan));
	WSAC_EXPECT_EQ(0, ioctl_in(s, SIO_SET_QOS, &q, sizeof(q)), "SIO_SET_QOS with three objects");
	memset(&wsac_fake.qos_effective, 0, sizeof(wsac_fake.qos_effective));
	wsac_fake.qos_effective.pacing_rate = 50000;
	wsac_fake.qos_effective.tos = 0xa0;
	wsac_fake.qos_effective.priority = 6;
	wsac_fake.qos_effective.pacing = WSAC_PACING_FQ;

	memset(out, 0xee, sizeof(out));
	WSAC_EXPECT_EQ(0, WSAIoctl(s, SIO_GET_QOS, NULL, 0, out, sizeof(out), &n, NULL, NULL),
		       "SIO_GET_QOS into 1024 bytes");
	WSAC_EXPECT_EQ(SERVICETYPE_GUARANTEED, g->SendingFlowspec.ServiceType, "  ... sending flowspec");
	WSAC_EXPECT_EQ(125000, g->ReceivingFlowspec.TokenRate, "  ... receiving flowspec");
	WSAC_EXPECT_EQ(true, g->ProviderSpecific.buf == (CHAR *)out + sizeof(QOS),
		       "  ... objects right after the QOS");
	WSAC_EXPECT_EQ(sizeof(QOS) + g->ProviderSpecific.len, n, "  ... bytes returned: all used");
	off = sizeof(QOS);
	d = (const QOS_DESTADDR *)(out + off);
	WSAC_EXPECT_EQ(QOS_OBJECT_DESTADDR, d->ObjectHdr.ObjectType, "  ... DESTADDR first");
	WSAC_EXPECT_EQ(sizeof(QOS_DESTADDR) + 16, d->ObjectHdr.ObjectLength,
		       "  ... holding its address");
	WSAC_EXPECT_EQ(true, (const unsigned char *)d->SocketAddress == out + off + sizeof(*d),
		       "  ... SocketAddress points into the buffer");
	WSAC_EXPECT_EQ(sizeof(sin), d->SocketAddressLength, "  ... its length");
	WSAC_EXPECT_EQ(0, memcmp(d->SocketAddress, &sin, sizeof(sin)), "  ... the address");
	off += d->ObjectHdr.ObjectLength;
	sd = (const QOS_SD_MODE *)(out + off);
	WSAC_EXPECT_EQ(QOS_OBJECT_SD_MODE, sd->ObjectHdr.ObjectType, "  ... SD_MODE");
	WSAC_EXPECT_EQ(TC_NONCONF_SHAPE, sd->ShapeDiscardMode, "  ... its mode");
	off += sd->ObjectHdr.ObjectLength;
	h = (const QOS_OBJECT_HDR *)(out + off);
	WSAC_EXPECT_EQ(QOS_OBJECT_SHAPING_RATE, h->ObjectType, "  ... SHAPING_RATE");
	off += h->ObjectLength;
	e = (const QOS_WSAC_EFFECTIVE *)(out + off);
	WSAC_EXPECT_EQ(QOS_OBJECT_WSAC_EFFECTIVE, e->ObjectHdr.ObjectType, "  ... EFFECTIVE");
	WSAC_EXPECT_EQ(48, e->ObjectHdr.ObjectLength, "  ... 48 bytes");
	WSAC_EXPECT_EQ(50000, e->PacingRate, "  ... pacing rate");
	WSAC_EXPECT_EQ(0xa0, e->Tos, "  ... TOS");
	WSAC_EXPECT_EQ(6, e->Priority, "  ... priority");
	WSAC_EXPECT_EQ(QOS_WSAC_PACING_FQ, e->Pacing, "  ... pacing by fq");
	off += e->ObjectHdr.ObjectLength;
	h = (const QOS_OBJECT_HDR *)(out + off);
	WSAC_EXPECT_EQ(QOS_OBJECT_END_OF_LIST, h->ObjectType, "  ... END_OF_LIST");
	off += h->ObjectLength;
	WSAC_EXPECT_EQ(n, off, "  ... and nothing after it");

	n = 0;
	memset(out, 0xee, sizeof(out));
	WSAC_EXPECT_EQ(0, WSAIoctl(s, SIO_GET_QOS, NULL, 0, out, sizeof(QOS), &n, NULL, NULL),
		       "SIO_GET_QOS into exactly a QOS");
	WSAC_EXPECT_EQ(sizeof(QOS), n, "  ... bytes returned: the QOS");
	WSAC_EXPECT_EQ(0, g->ProviderSpecific.len, "  ... no objects");
	WSAC_EXPECT_EQ(true, g->ProviderSpecific.buf == NULL, "  ... buf NULL");
	WSAC_EXPECT_EQ(0xee, out[sizeof(QOS)], "  ... nothing written after it");
	memset(&wsac_fake.qos_effective, 0, sizeof(wsac_fake.qos_effective));
	close(s);
}

/* WSACONNECT_VERBOSE=1: one line on stderr for a refusal; none without. */
static void test_verbose(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), p[2], saved;
	char err[512] = "";
	ssize_t n;
	QOS q;

	make_qos(&q, NULL, 0);
	if (pipe2(p, O_NONBLOCK))
		return;
	fflush(stderr);
	saved = dup(2);
	dup2(p[1], 2);
	wsac_fake.qos_dry_verdict = -EOPNOTSUPP;
	wsac_fake.qos_reason = WSAC_QOS_NO_FQ;
	wsac_fake.qos_effective.ifindex = 1;
	(void)ioctl_in(s, SIO_SET_QOS, &q, sizeof(q));
	setenv(WSAC_ENV_VERBOSE, "1", 1);
	(void)ioctl_in(s, SIO_SET_QOS, &q, sizeof(q));
	unsetenv(WSAC_ENV_VERBOSE);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = read(p[0], err, sizeof(err) - 1);
	err[n > 0 ? n : 0] = '\0';
	if (!wsac_tap(strcmp(err, "libwsaconnect: SIO_SET_QOS: UDP rate needs the fq qdisc "
			     "on lo: tc qdisc replace dev lo root fq\n") == 0,
		      "one line on stderr with WSACONNECT_VERBOSE=1 only"))
		wsac_diag("got \"%s\"", err);
	wsac_fake.qos_dry_verdict = 0;
	wsac_fake.qos_effective.ifindex = 0;
	close(p[0]);
	close(p[1]);
	close(s);
}

static int listener_v4(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, 16) || getsockname(fd, (struct sockaddr *)addr, &len))
		return -1;
	return fd;
}

static bool accepted(int listener)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };
	int fd;

	if (poll(&pfd, 1, 200) != 1)
		return false;
	fd = accept(listener, NULL, NULL);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void test_connect_qos(void)
{
	struct sockaddr_in live, zero = { .sin_family = AF_UNSPEC };
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "x" };
	int listener = listener_v4(&live), s;
	ULONG bad[2] = { QOS_OBJECT_SD_MODE, 4 };
	QOS q;

	make_qos(&q, NULL, 0);
	memset(&wsac_fake.qos_plan, 0, sizeof(wsac_fake.qos_plan));
	wsac_fake.qos_plan.set = WSAC_PLAN_TOS;
	wsac_fake.qos_plan.tos = 0x60;

	s = socket(AF_INET, SOCK_STREAM, 0);
	wsac_fake.log_sockopts = false;
	wsac_fake.log[0] = '\0';
	wsac_fake.admits = 0;
	WSAC_EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&live, sizeof(live), NULL, NULL, &q, NULL),
		       "WSAConnect with lpSQOS");
	EXPECT_LOG("QOS_SET;QOS_COMMIT;", "  ... dry run and commit, no admission");
	WSAC_EXPECT_EQ(WSAC_QOS_COMMIT | WSAC_QOS_DEST, wsac_fake.last_set.flags,
		       "  ... with WSAC_QOS_DEST");
	WSAC_EXPECT_EQ(sizeof(live), wsac_fake.last_set.addrlen, "  ... the name's length");
	WSAC_EXPECT_EQ(0, memcmp(wsac_fake.last_set.addr, &live, sizeof(live)), "  ... the name");
	WSAC_EXPECT_EQ(0x60, getint(s, SOL_IP, IP_TOS), "  ... the plan applied");
	WSAC_EXPECT_EQ(true, accepted(listener), "  ... and connected");
	close(s);

	s = socket(AF_INET, SOCK_STREAM, 0);
	wsac_fake.qos_dry_verdict = -EOPNOTSUPP;
	wsac_fake.qos_reason = WSAC_QOS_ADMISSION;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, WSAConnect(s, (struct sockaddr *)&live, sizeof(live),
						    NULL, NULL, &q, NULL),
			  "WSAConnect whose lpSQOS cannot be satisfied");
	WSAC_EXPECT_EQ(false, accepted(listener), "  ... connect(2) not attempted");
	wsac_fake.qos_dry_verdict = 0;

	q.ProviderSpecific.buf = (CHAR *)bad;
	q.ProviderSpecific.len = sizeof(bad);
	EXPECT_FAILS_WITH(WSAEINVAL, WSAConnect(s, (struct sockaddr *)&live, sizeof(live),
						NULL, NULL, &q, NULL), "a malformed lpSQOS object list");
	q.ProviderSpecific.buf = (CHAR *)16;
	wsac_fake.checks = 0;
	EXPECT_FAILS_WITH(WSAEFAULT, WSAConnect(s, (struct sockaddr *)&live, sizeof(live),
						NULL, NULL, &q, NULL), "an unreadable ProviderSpecific");
	WSAC_EXPECT_EQ(0, wsac_fake.checks, "  ... found before the module is asked");
	WSAC_EXPECT_EQ(false, accepted(listener), "  ... neither connected");
	make_qos(&q, NULL, 0);

	/* No lpSQOS: admission first. */
	wsac_fake.admit_verdict = -EOPNOTSUPP;
	wsac_fake.admit_reason = WSAC_QOS_NO_FQ;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, WSAConnect(s, (struct sockaddr *)&live, sizeof(live),
						    NULL, NULL, NULL, NULL),
			  "WSAConnect refused by admission");
	WSAC_EXPECT_EQ(sizeof(live), wsac_fake.last_admit.addrlen, "  ... admission got the name");
	WSAC_EXPECT_EQ(WSAC_QOS_NO_FQ, wsac_qos_last_reason(), "  ... reason NO_FQ");
	WSAC_EXPECT_EQ(false, accepted(listener), "  ... connect(2) not attempted");
	/* A user over its share of the device reads as such, not as a number. */
	wsac_fake.admit_reason = WSAC_QOS_USER_SHARE;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, WSAConnect(s, (struct sockaddr *)&live, sizeof(live),
						    NULL, NULL, NULL, NULL),
			  "WSAConnect refused for the owner's share");
	WSAC_EXPECT_EQ(WSAC_QOS_USER_SHARE, wsac_qos_last_reason(), "  ... reason USER_SHARE");
	WSAC_EXPECT_EQ(true, strstr(wsac_qos_last_text(), "owner's share") != NULL,
		       "  ... its text names the owner's share");
	wsac_fake.admit_verdict = 0;
	wsac_fake.admits = 0;
	WSAC_EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&live, sizeof(live), NULL, NULL,
				     NULL, NULL), "WSAConnect admitted");
	WSAC_EXPECT_EQ(1, wsac_fake.admits, "  ... one admission");
	WSAC_EXPECT_EQ(true, accepted(listener), "  ... connected");
	close(s);

	/* AF_UNIX: no QoS. */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	wsac_fake.admits = 0;
	EXPECT_FAILS_WITH(WSAEOPNOTSUPP, WSAConnect(s, (struct sockaddr *)&sun, sizeof(sun),
						    NULL, NULL, &q, NULL),
			  "lpSQOS on an AF_UNIX socket");
	EXPECT_FAILS_WITH(WSAECONNREFUSED, WSAConnect(s, (struct sockaddr *)&sun, sizeof(sun),
						      NULL, NULL, NULL, NULL),
			  "AF_UNIX without lpSQOS goes on to connect(2)");
	WSAC_EXPECT_EQ(0, wsac_fake.admits, "  ... without admission");
	close(s);

	/* A UDP disconnect ignores lpSQOS. */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	WSAC_EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&live, sizeof(live), NULL, NULL, &q,
				     NULL), "UDP WSAConnect with lpSQOS");
	wsac_fake.qos_sets = 0;
	wsac_fake.admits = 0;
	WSAC_EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&zero, sizeof(zero), NULL, NULL, &q,
				     NULL), "UDP disconnect with lpSQOS");
	WSAC_EXPECT_EQ(0, wsac_fake.qos_sets + wsac_fake.admits, "  ... lpSQOS ignored");
	close(s);
	close(listener);
}

void wsac_test_qos(void)
{
	WSADATA wsa;
	int tcp, unix_s;

	wsac_fake_reset();
	test_flatten();
	test_flatten_limit();
	if (!wsac_tap(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup for the QoS tests"))
		return;
	tcp = socket(AF_INET, SOCK_STREAM, 0);
	unix_s = socket(AF_UNIX, SOCK_STREAM, 0);
	test_wsaioctl_args(tcp, unix_s);
	close(tcp);
	close(unix_s);
	test_set_sequence();
	test_get_layout();
	test_verbose();
	test_connect_qos();
	WSACleanup();
	EXPECT_FAILS_WITH(WSANOTINITIALISED, ioctl_in(0, FIONBIO, NULL, 0),
			  "WSAIoctl without WSAStartup");
	wsac_fake_reset();
}
