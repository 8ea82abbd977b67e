// SPDX-License-Identifier: GPL-2.0
/*
 * WSAIoctl(SIO_SET_QOS / SIO_GET_QOS) and WSAConnect(lpSQOS) as a Winsock
 * program sees them: the service type mapping, every rejected request
 * (with nothing applied: SIO_GET_QOS and getsockopt(2) still show the QoS
 * set before), the round trip of every field, the values in force, other
 * descriptors of the socket, socket groups, /proc/net/wsaconnect_qos and
 * ss.  Each test runs in its own network namespace; nothing leaves loopback.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "qos_helpers.h"

#define WSAC_PRIOR_RATE	100000	/* bytes/s of the QoS set before each bad request */

FIXTURE(qos) {
	WSADATA wsa;
	int s;
	QOS prior;
	struct wsac_opts prior_opts;
};

FIXTURE_VARIANT(qos) {
	int family;
	int type;
};

FIXTURE_VARIANT_ADD(qos, tcp4) { .family = AF_INET, .type = SOCK_STREAM, };
FIXTURE_VARIANT_ADD(qos, tcp6) { .family = AF_INET6, .type = SOCK_STREAM, };
FIXTURE_VARIANT_ADD(qos, udp4) { .family = AF_INET, .type = SOCK_DGRAM, };
FIXTURE_VARIANT_ADD(qos, udp6) { .family = AF_INET6, .type = SOCK_DGRAM, };

FIXTURE_SETUP(qos)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	self->s = socket(variant->family, variant->type, 0);
	ASSERT_NE(INVALID_SOCKET, self->s);
	/* The QoS every rejected request must leave in force. */
	wsac_qos_init(&self->prior, SERVICETYPE_CONTROLLEDLOAD, WSAC_PRIOR_RATE);
	ASSERT_EQ(0, wsac_set_qos(self->s, &self->prior))
		TH_LOG("SIO_SET_QOS ControlledLoad: %d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &self->prior_opts));
}

FIXTURE_TEARDOWN(qos)
{
	closesocket(self->s);
	WSACleanup();
}

/*
 * SIO_SET_QOS with @in/@inlen fails with @want, and the socket keeps the
 * prior QoS: SIO_GET_QOS returns it and the socket options are unchanged.
 */
static void wsac_rejected(struct __test_metadata *_metadata,
			  FIXTURE_DATA(qos) *self, const FIXTURE_VARIANT(qos) *variant,
			  void *in, DWORD inlen, int want, const char *what)
{
	struct wsac_qos_buf got;
	struct wsac_opts now;
	DWORD n = 12345;

	EXPECT_EQ(SOCKET_ERROR, WSAIoctl(self->s, SIO_SET_QOS, in, inlen, NULL, 0,
					 &n, NULL, NULL)) TH_LOG("%s: accepted", what);
	EXPECT_EQ(want, WSAGetLastError()) TH_LOG("%s", what);
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL)) TH_LOG("%s: SIO_GET_QOS %d",
								 what, WSAGetLastError());
	EXPECT_TRUE(wsac_flowspec_eq(&self->prior.SendingFlowspec, &got.qos.SendingFlowspec))
		TH_LOG("%s: sending flowspec changed (type %#x rate %u)", what,
		       got.qos.SendingFlowspec.ServiceType, got.qos.SendingFlowspec.TokenRate);
	EXPECT_TRUE(wsac_flowspec_eq(&self->prior.ReceivingFlowspec, &got.qos.ReceivingFlowspec))
		TH_LOG("%s: receiving flowspec changed", what);
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &now));
	EXPECT_EQ(self->prior_opts.tos, now.tos) TH_LOG("%s: TOS changed", what);
	EXPECT_EQ(self->prior_opts.priority, now.priority) TH_LOG("%s: priority changed", what);
	EXPECT_EQ(self->prior_opts.pacing, now.pacing) TH_LOG("%s: pacing changed", what);
	EXPECT_EQ(self->prior_opts.rcvbuf, now.rcvbuf) TH_LOG("%s: rcvbuf changed", what);
}

static void wsac_rejected_qos(struct __test_metadata *_metadata,
			      FIXTURE_DATA(qos) *self, const FIXTURE_VARIANT(qos) *variant,
			      QOS *q, int want, const char *what)
{
	wsac_rejected(_metadata, self, variant, q, sizeof(*q), want, what);
}

/* A QOS whose ProviderSpecific is @objs/@len, sending ControlledLoad. */
static void wsac_qos_objs(QOS *q, unsigned char *objs, ULONG len)
{
	wsac_qos_init(q, SERVICETYPE_CONTROLLEDLOAD, 200000);
	q->ProviderSpecific.buf = (char *)objs;
	q->ProviderSpecific.len = len;
}

TEST_F(qos, prior_qos_is_in_force)
{
	struct wsac_qos_buf got;

	EXPECT_EQ(0x60, self->prior_opts.tos);
	EXPECT_EQ(4, self->prior_opts.priority);
	EXPECT_EQ(WSAC_PRIOR_RATE, self->prior_opts.pacing);
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_TRUE(wsac_flowspec_eq(&self->prior.SendingFlowspec, &got.qos.SendingFlowspec));
}

TEST_F(qos, peak_below_token_rate_is_einval)
{
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 200000);
	q.SendingFlowspec.PeakBandwidth = 199999;
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "peak < rate");
	/* Equal is fine. */
	q.SendingFlowspec.PeakBandwidth = 200000;
	EXPECT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("peak == rate: %d", WSAGetLastError());
}

TEST_F(qos, zero_token_rate_is_einval)
{
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 0);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "sending rate 0");
	wsac_qos_init(&q, SERVICETYPE_BESTEFFORT, 0);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "sending BestEffort rate 0");
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 200000);
	q.ReceivingFlowspec = wsac_flowspec(SERVICETYPE_BESTEFFORT, 0);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "receiving rate 0");
}

TEST_F(qos, unknown_service_types_are_einval)
{
	static const ULONG bad[] = { SERVICETYPE_NETWORK_UNAVAILABLE, 7, 8, 0xB, 0xC,
				     0xE, 0xF, 0xFF, 0xFFFF };
	char what[64];
	unsigned int i;
	QOS q;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wsac_qos_init(&q, bad[i], 200000);
		snprintf(what, sizeof(what), "sending type %#x", bad[i]);
		wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, what);
		wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 200000);
		q.ReceivingFlowspec = wsac_flowspec(bad[i], 200000);
		snprintf(what, sizeof(what), "receiving type %#x", bad[i]);
		wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, what);
	}
}

TEST_F(qos, unknown_flag_bits_are_einval)
{
	static const ULONG bad[] = { 0x00080000, 0x00100000, 0x00400000, 0x00800000,
				     0x02000000, 0x04000000, 0x10000000, 0x20000000 };
	char what[64];
	unsigned int i;
	QOS q;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD | bad[i], 200000);
		snprintf(what, sizeof(what), "flag %#x", bad[i]);
		wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, what);
	}
}

TEST_F(qos, short_object_is_einval)
{
	unsigned char objs[64];
	ULONG len = 0;
	QOS q;

	wsac_obj_add(objs, &len, QOS_OBJECT_SHAPING_RATE, 4, NULL, 0);
	wsac_obj_end(objs, &len);
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "ObjectLength 4");
	len = 0;
	wsac_obj_add(objs, &len, QOS_OBJECT_SHAPING_RATE, 0, NULL, 0);
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "ObjectLength 0");
	/* Fewer bytes than a header. */
	memset(objs, 0, sizeof(objs));
	wsac_qos_objs(&q, objs, 4);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "4-byte list");
}

TEST_F(qos, unaligned_object_is_einval)
{
	unsigned char objs[64] = { 0 };
	ULONG len = 0, rate = 100000;
	QOS q;

	wsac_obj_add(objs, &len, QOS_OBJECT_SHAPING_RATE, 14, &rate, sizeof(rate));
	len += 2;
	wsac_obj_end(objs, &len);
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "ObjectLength 14");
}

TEST_F(qos, truncated_object_list_is_einval)
{
	unsigned char objs[64];
	ULONG len = 0;
	QOS q;

	wsac_obj_ulong(objs, &len, QOS_OBJECT_SHAPING_RATE, 100000);
	/* ProviderSpecific.len ends inside the object. */
	wsac_qos_objs(&q, objs, 8);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "object past the end");
	wsac_qos_objs(&q, objs, 10);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "list of 10 bytes");
	/* An object claiming more than the list holds. */
	len = 0;
	wsac_obj_add(objs, &len, QOS_OBJECT_SD_MODE, 40, NULL, 0);
	wsac_obj_end(objs, &len);
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "ObjectLength 40 in 16");
}

TEST_F(qos, bad_sd_mode_and_shaping_rate_are_einval)
{
	ULONG v[2] = { TC_NONCONF_SHAPE, 0 };
	unsigned char objs[64];
	ULONG len;
	QOS q;

	len = 0;
	wsac_obj_add(objs, &len, QOS_OBJECT_SD_MODE, 16, v, sizeof(v));
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "SD_MODE length 16");
	len = 0;
	v[0] = 100000;
	wsac_obj_add(objs, &len, QOS_OBJECT_SHAPING_RATE, 16, v, sizeof(v));
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "SHAPING_RATE length 16");
	len = 0;
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SHAPING_RATE, 0);
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "ShapingRate 0");
	len = 0;
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SD_MODE, 4);
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "ShapeDiscardMode 4");
}

TEST_F(qos, unknown_object_is_einval)
{
	static const ULONG bad[] = { 2000, 2005, 999, 1005, 3000, QOS_OBJECT_WSAC_EFFECTIVE };
	unsigned char objs[64];
	char what[64];
	unsigned int i;
	ULONG len;
	QOS q;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = 0;
		wsac_obj_ulong(objs, &len, bad[i], 1);
		wsac_obj_end(objs, &len);
		wsac_qos_objs(&q, objs, len);
		snprintf(what, sizeof(what), "object type %u", bad[i]);
		wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, what);
	}
}

TEST_F(qos, destaddr_of_another_family_is_einval)
{
	struct sockaddr_storage other;
	unsigned char objs[64];
	socklen_t olen;
	ULONG len = 0;
	QOS q;

	olen = wsac_loopback(variant->family == AF_INET ? AF_INET6 : AF_INET, &other, 9);
	wsac_obj_destaddr(objs, &len, (struct sockaddr *)&other, olen);
	wsac_qos_objs(&q, objs, len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "DESTADDR of the other family");
}

TEST_F(qos, too_long_provider_specific_is_einval)
{
	unsigned char objs[1024];
	RSVP_STATUS_INFO r;
	ULONG len = 0;
	QOS q;

	memset(&r, 0, sizeof(r));
	while (len < WSAC_QOS_OBJECTS_MAX + 1)
		wsac_obj_add(objs, &len, RSVP_OBJECT_STATUS_INFO, sizeof(r),
			     &r.StatusCode, sizeof(r) - sizeof(r.ObjectHdr));
	wsac_obj_end(objs, &len);
	wsac_qos_objs(&q, objs, len);
	TH_LOG("%u bytes of objects", len);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEINVAL, "ProviderSpecific > 512");
}

TEST_F(qos, rsvp_objects_are_ignored_and_end_of_list_ends_the_list)
{
	struct wsac_qos_buf got;
	unsigned char objs[128];
	RSVP_STATUS_INFO r;
	struct wsac_opts o;
	ULONG len = 0;
	QOS q;

	memset(&r, 0, sizeof(r));
	wsac_obj_add(objs, &len, RSVP_OBJECT_STATUS_INFO, sizeof(r),
		     &r.StatusCode, sizeof(r) - sizeof(r.ObjectHdr));
	wsac_obj_end(objs, &len);
	/* Garbage after END_OF_LIST is not looked at. */
	wsac_obj_add(objs, &len, 77, 3, NULL, 0);
	wsac_qos_objs(&q, objs, len);
	q.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_EQ(SERVICETYPE_GUARANTEED, got.qos.SendingFlowspec.ServiceType);
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(200000, o.pacing);
}

TEST_F(qos, short_qos_buffer_is_efault)
{
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 300000);
	wsac_rejected(_metadata, self, variant, &q, sizeof(q) - 1, WSAEFAULT, "sizeof(QOS) - 1");
	wsac_rejected(_metadata, self, variant, &q, 0, WSAEFAULT, "length 0");
	wsac_rejected(_metadata, self, variant, NULL, sizeof(q), WSAEFAULT, "NULL buffer");
}

TEST_F(qos, unreadable_qos_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	QOS q;

	ASSERT_TRUE(m != MAP_FAILED);
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 300000);
	ASSERT_EQ(0, mprotect(m + page, page, PROT_NONE));
	/* Wholly unreadable, then running into the unreadable page. */
	wsac_rejected(_metadata, self, variant, m + page, sizeof(q), WSAEFAULT, "PROT_NONE");
	memcpy(m + page - 16, &q, 16);
	wsac_rejected(_metadata, self, variant, m + page - 16, sizeof(q), WSAEFAULT,
		      "QOS across into PROT_NONE");
	munmap(m, 2 * page);
}

TEST_F(qos, bad_provider_buffer_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	QOS q;

	ASSERT_TRUE(m != MAP_FAILED);
	wsac_qos_objs(&q, NULL, 12);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEFAULT, "ProviderSpecific NULL, len 12");
	wsac_qos_objs(&q, (unsigned char *)m, 12);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEFAULT, "ProviderSpecific unreadable");
	munmap(m, page);
}

TEST_F(qos, network_control_with_a_rate_is_eopnotsupp)
{
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_NETWORK_CONTROL, 300000);
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEOPNOTSUPP, "NetworkControl 300000");
	/* A shaping rate is a finite rate too. */
	unsigned char objs[32];
	ULONG len = 0;

	wsac_obj_ulong(objs, &len, QOS_OBJECT_SHAPING_RATE, 300000);
	wsac_qos_init(&q, SERVICETYPE_NETWORK_CONTROL, POSITIVE_INFINITY_RATE);
	q.ProviderSpecific.buf = (char *)objs;
	q.ProviderSpecific.len = len;
	wsac_rejected_qos(_metadata, self, variant, &q, WSAEOPNOTSUPP,
			  "NetworkControl with ShapingRate");
}

TEST_F(qos, network_control_unpaced_as_root)
{
	struct wsac_opts o;
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_NETWORK_CONTROL, POSITIVE_INFINITY_RATE);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(0xc0, o.tos);
	EXPECT_EQ(7, o.priority);
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
}

/*
 * NetworkControl needs CAP_NET_ADMIN or CAP_NET_RAW, as SO_PRIORITY 7
 * does: a child without both (uid 0, every other capability kept) is
 * refused and leaves the prior QoS in force.  security_test checks that
 * either capability alone is enough.
 */
TEST_F(qos, network_control_without_cap_net_admin_is_eopnotsupp)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct wsac_qos_buf got;
		struct wsac_opts o;
		DWORD n;
		QOS q;

		if (wsac_drop_cap(CAP_NET_ADMIN) || wsac_drop_cap(CAP_NET_RAW))
			_exit(10);
		wsac_qos_init(&q, SERVICETYPE_NETWORK_CONTROL, POSITIVE_INFINITY_RATE);
		if (WSAIoctl(self->s, SIO_SET_QOS, &q, sizeof(q), NULL, 0, &n, NULL, NULL) !=
		    SOCKET_ERROR)
			_exit(11);
		if (WSAGetLastError() != WSAEOPNOTSUPP) {
			fprintf(stderr, "# child: WSAGetLastError %d\n", WSAGetLastError());
			_exit(12);
		}
		if (wsac_get_qos(self->s, &got, NULL) ||
		    !wsac_flowspec_eq(&self->prior.SendingFlowspec, &got.qos.SendingFlowspec))
			_exit(13);
		if (wsac_opts_get(self->s, variant->family, &o) ||
		    !wsac_opts_eq(&o, &self->prior_opts))
			_exit(14);
		/* Without NetworkControl the same child may set QoS. */
		wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 300000);
		if (wsac_set_qos(self->s, &q))
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child step %d failed (10 capset, 11 accepted, 12 wrong error, "
		       "13 GET changed, 14 options changed, 15 Guaranteed refused)",
		       WEXITSTATUS(status));
}

struct wsac_map {
	ULONG type;
	int tos, priority;
	int capped;	/* the TokenRate becomes the pacing cap */
};

/* The mapping comes from the low 16 bits; SERVICE_* bits change nothing. */
static const struct wsac_map wsac_mapping[] = {
	{ SERVICETYPE_BESTEFFORT, 0x00, 0, 1 },
	{ SERVICETYPE_CONTROLLEDLOAD, 0x60, 4, 1 },
	{ SERVICETYPE_GUARANTEED, 0xa0, 6, 1 },
	{ SERVICETYPE_GENERAL_INFORMATION, 0x00, 0, 1 },
	{ SERVICETYPE_NONCONFORMING, 0x00, 1, 1 },
	{ SERVICETYPE_QUALITATIVE, 0x00, 0, 1 },
	{ SERVICETYPE_NOTRAFFIC, 0x00, 0, 0 },
	{ SERVICETYPE_CONTROLLEDLOAD | SERVICE_CONTROLLEDLOAD, 0x60, 4, 1 },
	{ SERVICETYPE_GUARANTEED | SERVICE_GUARANTEED, 0xa0, 6, 1 },
	{ SERVICETYPE_BESTEFFORT | SERVICE_BESTEFFORT, 0x00, 0, 1 },
	{ SERVICETYPE_GUARANTEED | SERVICE_NO_QOS_SIGNALING, 0xa0, 6, 1 },
	{ SERVICETYPE_CONTROLLEDLOAD | SERVICE_QUALITATIVE, 0x60, 4, 1 },
	{ SERVICE_GUARANTEED, 0x00, 0, 0 },	/* low bits: NOTRAFFIC */
};

TEST_F(qos, service_types_map_to_tos_priority_and_pacing)
{
	struct wsac_qos_buf got;
	QOS_WSAC_EFFECTIVE e;
	struct wsac_opts o;
	unsigned int i;
	QOS q;

	for (i = 0; i < sizeof(wsac_mapping) / sizeof(wsac_mapping[0]); i++) {
		const struct wsac_map *m = &wsac_mapping[i];

		wsac_qos_init(&q, m->type, 150000 + i);
		ASSERT_EQ(0, wsac_set_qos(self->s, &q))
			TH_LOG("type %#x: %d", m->type, WSAGetLastError());
		ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
		EXPECT_EQ(m->tos, o.tos) TH_LOG("type %#x", m->type);
		EXPECT_EQ(m->priority, o.priority) TH_LOG("type %#x", m->type);
		EXPECT_EQ(m->capped ? 150000 + i : WSAC_NO_CAP, o.pacing)
			TH_LOG("type %#x", m->type);
		ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
		/* Recorded as given, flag bits included. */
		EXPECT_EQ(m->type, got.qos.SendingFlowspec.ServiceType);
		ASSERT_EQ(sizeof(e), wsac_find_object(&got, QOS_OBJECT_WSAC_EFFECTIVE,
						      &e, sizeof(e)));
		EXPECT_EQ(o.pacing, e.PacingRate) TH_LOG("type %#x", m->type);
		EXPECT_EQ((ULONG)o.priority, e.Priority) TH_LOG("type %#x", m->type);
		if (variant->family == AF_INET6) {
			EXPECT_EQ((ULONG)o.tos, e.TrafficClass) TH_LOG("type %#x", m->type);
		} else {
			EXPECT_EQ((ULONG)o.tos, e.Tos) TH_LOG("type %#x", m->type);
		}
	}
}

TEST_F(qos, no_traffic_control_sets_nothing)
{
	struct wsac_opts o;
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED | SERVICE_NO_TRAFFIC_CONTROL, 300000);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(0, o.tos);
	EXPECT_EQ(0, o.priority);
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
}

TEST_F(qos, unlimited_rates_set_no_cap)
{
	struct wsac_opts o;
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, POSITIVE_INFINITY_RATE);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(0x60, o.tos);
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, QOS_NOT_SPECIFIED);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
}

TEST_F(qos, shaping_rate_and_sd_mode_decide_the_cap)
{
	unsigned char objs[64];
	struct wsac_opts o;
	ULONG len;
	QOS q;

	/* SHAPING_RATE wins over TokenRate. */
	len = 0;
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SHAPING_RATE, 70000);
	wsac_qos_objs(&q, objs, len);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(70000, o.pacing);
	/* BORROW: no cap. */
	len = 0;
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SD_MODE, TC_NONCONF_BORROW);
	wsac_qos_objs(&q, objs, len);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
	len = 0;
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SD_MODE, TC_NONCONF_BORROW_PLUS);
	wsac_qos_objs(&q, objs, len);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
	/* DISCARD and SHAPE: paced at TokenRate. */
	len = 0;
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SD_MODE, TC_NONCONF_DISCARD);
	wsac_qos_objs(&q, objs, len);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(200000, o.pacing);
	len = 0;
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SD_MODE, TC_NONCONF_SHAPE);
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SHAPING_RATE, 90000);
	wsac_obj_end(objs, &len);
	wsac_qos_objs(&q, objs, len);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(90000, o.pacing);
}

TEST_F(qos, get_before_any_set_is_zero)
{
	int s = socket(variant->family, variant->type, 0);
	struct wsac_qos_buf got;
	FLOWSPEC zero;
	DWORD n = 0;

	ASSERT_LE(0, s);
	memset(&zero, 0, sizeof(zero));
	ASSERT_EQ(0, wsac_get_qos(s, &got, &n)) TH_LOG("%d", WSAGetLastError());
	EXPECT_TRUE(wsac_flowspec_eq(&zero, &got.qos.SendingFlowspec));
	EXPECT_TRUE(wsac_flowspec_eq(&zero, &got.qos.ReceivingFlowspec));
	EXPECT_LE(sizeof(QOS), n);
	closesocket(s);
}

TEST_F(qos, get_roundtrips_every_field)
{
	struct wsac_qos_buf got;
	unsigned char objs[64];
	QOS_SHAPING_RATE sr;
	QOS_SD_MODE sd;
	ULONG len = 0;
	DWORD n = 0;
	QOS q;

	memset(&q, 0, sizeof(q));
	q.SendingFlowspec = (FLOWSPEC){
		.TokenRate = 125000, .TokenBucketSize = 3000, .PeakBandwidth = 250000,
		.Latency = 1000, .DelayVariation = 500,
		.ServiceType = SERVICETYPE_CONTROLLEDLOAD, .MaxSduSize = 1500,
		.MinimumPolicedSize = 64,
	};
	q.ReceivingFlowspec = (FLOWSPEC){
		.TokenRate = 50000, .TokenBucketSize = 8000, .PeakBandwidth = 60000,
		.Latency = 20000, .DelayVariation = 700,
		.ServiceType = SERVICETYPE_GUARANTEED, .MaxSduSize = 1400,
		.MinimumPolicedSize = 40,
	};
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SD_MODE, TC_NONCONF_DISCARD);
	wsac_obj_ulong(objs, &len, QOS_OBJECT_SHAPING_RATE, 110000);
	wsac_obj_end(objs, &len);
	q.ProviderSpecific.buf = (char *)objs;
	q.ProviderSpecific.len = len;
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());

	ASSERT_EQ(0, wsac_get_qos(self->s, &got, &n)) TH_LOG("%d", WSAGetLastError());
	EXPECT_TRUE(wsac_flowspec_eq(&q.SendingFlowspec, &got.qos.SendingFlowspec));
	EXPECT_TRUE(wsac_flowspec_eq(&q.ReceivingFlowspec, &got.qos.ReceivingFlowspec));
	/* The objects follow the QOS in the same buffer; n counts all of it. */
	ASSERT_TRUE(got.qos.ProviderSpecific.buf != NULL);
	EXPECT_TRUE((char *)got.objects == got.qos.ProviderSpecific.buf);
	EXPECT_EQ(sizeof(QOS) + got.qos.ProviderSpecific.len, n);
	ASSERT_EQ(sizeof(sd), wsac_find_object(&got, QOS_OBJECT_SD_MODE, &sd, sizeof(sd)));
	EXPECT_EQ(TC_NONCONF_DISCARD, sd.ShapeDiscardMode);
	ASSERT_EQ(sizeof(sr), wsac_find_object(&got, QOS_OBJECT_SHAPING_RATE, &sr, sizeof(sr)));
	EXPECT_EQ(110000, sr.ShapingRate);
	EXPECT_EQ(sizeof(QOS_WSAC_EFFECTIVE),
		  wsac_find_object(&got, QOS_OBJECT_WSAC_EFFECTIVE, NULL, 0));
	/* The list ends with END_OF_LIST, the last 8 bytes. */
	QOS_OBJECT_HDR end;

	ASSERT_LE(sizeof(end), got.qos.ProviderSpecific.len);
	memcpy(&end, got.qos.ProviderSpecific.buf + got.qos.ProviderSpecific.len - sizeof(end),
	       sizeof(end));
	EXPECT_EQ(QOS_OBJECT_END_OF_LIST, end.ObjectType);
	EXPECT_EQ(sizeof(end), end.ObjectLength);
}

TEST_F(qos, get_into_a_short_buffer)
{
	struct wsac_qos_buf got;
	DWORD n = 0;

	memset(&got, 0, sizeof(got));
	EXPECT_EQ(SOCKET_ERROR, WSAIoctl(self->s, SIO_GET_QOS, NULL, 0, &got,
					 sizeof(QOS) - 1, &n, NULL, NULL));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, WSAIoctl(self->s, SIO_GET_QOS, NULL, 0, NULL,
					 sizeof(got), &n, NULL, NULL));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	/* Exactly a QOS: the flowspecs, and no room for objects. */
	memset(&got, 0xa5, sizeof(got));
	ASSERT_EQ(0, WSAIoctl(self->s, SIO_GET_QOS, NULL, 0, &got, sizeof(QOS), &n,
			      NULL, NULL)) TH_LOG("%d", WSAGetLastError());
	EXPECT_EQ(sizeof(QOS), n);
	EXPECT_TRUE(wsac_flowspec_eq(&self->prior.SendingFlowspec, &got.qos.SendingFlowspec));
	EXPECT_EQ(0, got.qos.ProviderSpecific.len);
	EXPECT_TRUE(got.qos.ProviderSpecific.buf == NULL);
	/* Nothing written past the QOS. */
	EXPECT_EQ(0xa5, got.objects[0]);
}

TEST_F(qos, effective_values_match_getsockopt)
{
	struct wsac_qos_buf got;
	QOS_WSAC_EFFECTIVE e;
	struct wsac_opts o;
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 180000);
	/* rcvbuf = TokenBucketSize + TokenRate * Latency / 1e6 = 8000 + 10000 */
	q.ReceivingFlowspec = wsac_flowspec(SERVICETYPE_BESTEFFORT, 100000);
	q.ReceivingFlowspec.TokenBucketSize = 8000;
	q.ReceivingFlowspec.Latency = 100000;
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(2 * 18000, o.rcvbuf);
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(6, o.priority);
	EXPECT_EQ(180000, o.pacing);

	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	ASSERT_EQ(sizeof(e), wsac_find_object(&got, QOS_OBJECT_WSAC_EFFECTIVE, &e, sizeof(e)));
	EXPECT_EQ(o.pacing, e.PacingRate);
	EXPECT_EQ((ULONG)o.priority, e.Priority);
	EXPECT_EQ((ULONG)o.rcvbuf, e.ReceiveBuffer);
	if (variant->family == AF_INET6) {
		EXPECT_EQ((ULONG)o.tos, e.TrafficClass);
	} else {
		EXPECT_EQ((ULONG)o.tos, e.Tos);
	}
	/* No destination yet: nothing admitted, no device. */
	EXPECT_EQ(0, e.AdmittedRate);
	EXPECT_EQ(0, e.InterfaceIndex);
	EXPECT_EQ(QOS_WSAC_PACING_NONE, e.Pacing);
}

TEST_F(qos, nochange_keeps_the_previous_flowspec)
{
	struct wsac_qos_buf got;
	struct wsac_opts o;
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_NOCHANGE, 999999);
	q.ReceivingFlowspec = wsac_flowspec(SERVICETYPE_BESTEFFORT, 100000);
	q.ReceivingFlowspec.TokenBucketSize = 4000;
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_TRUE(wsac_flowspec_eq(&self->prior.SendingFlowspec, &got.qos.SendingFlowspec))
		TH_LOG("sending type %#x rate %u", got.qos.SendingFlowspec.ServiceType,
		       got.qos.SendingFlowspec.TokenRate);
	EXPECT_TRUE(wsac_flowspec_eq(&q.ReceivingFlowspec, &got.qos.ReceivingFlowspec));
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(self->prior_opts.tos, o.tos);
	EXPECT_EQ(self->prior_opts.priority, o.priority);
	EXPECT_EQ(self->prior_opts.pacing, o.pacing);
	EXPECT_EQ(2 * 4000, o.rcvbuf);

	/* And the other way round. */
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 222222);
	q.ReceivingFlowspec = wsac_flowspec(SERVICETYPE_NOCHANGE, 0);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_EQ(SERVICETYPE_GUARANTEED, got.qos.SendingFlowspec.ServiceType);
	EXPECT_EQ(SERVICETYPE_BESTEFFORT, got.qos.ReceivingFlowspec.ServiceType);
	EXPECT_EQ(4000, got.qos.ReceivingFlowspec.TokenBucketSize);
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(222222, o.pacing);
}

TEST_F(qos, destaddr_roundtrips_in_windows_layout)
{
	struct sockaddr_storage dst;
	struct wsac_qos_buf got;
	unsigned char objs[64];
	QOS_DESTADDR d;
	socklen_t dlen;
	ULONG len = 0;
	QOS q;

	dlen = wsac_loopback(variant->family, &dst, 4242);
	wsac_obj_destaddr(objs, &len, (struct sockaddr *)&dst, dlen);
	wsac_obj_end(objs, &len);
	/* Unpaced, so that a UDP socket needs no fq on loopback. */
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, POSITIVE_INFINITY_RATE);
	q.ProviderSpecific.buf = (char *)objs;
	q.ProviderSpecific.len = len;
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	/* The caller's copy may go away: the library must have copied it. */
	memset(&dst, 0, sizeof(dst));
	memset(objs, 0, sizeof(objs));
	dlen = wsac_loopback(variant->family, &dst, 4242);

	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL)) TH_LOG("%d", WSAGetLastError());
	/* The library may keep the address inside the object: at least the struct. */
	ASSERT_LE(sizeof(d), wsac_find_object(&got, QOS_OBJECT_DESTADDR, &d, sizeof(d)));
	EXPECT_EQ(dlen, d.SocketAddressLength);
	ASSERT_TRUE(d.SocketAddress != NULL);
	/* It points into the caller's output buffer. */
	EXPECT_TRUE((const char *)d.SocketAddress >= (const char *)&got &&
		    (const char *)d.SocketAddress + dlen <= (const char *)(&got + 1));
	EXPECT_EQ(0, memcmp(d.SocketAddress, &dst, dlen));
}

/* Every descriptor of the socket sees the same QoS. */
TEST_F(qos, dup_fork_and_scm_rights_share_the_qos)
{
	int d = dup(self->s), sv[2], passed = -1, status;
	struct wsac_qos_buf got;
	char cbuf[CMSG_SPACE(sizeof(int))], byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	struct wsac_opts o;
	pid_t pid;
	QOS q;

	ASSERT_LE(0, d);
	ASSERT_EQ(0, wsac_get_qos(d, &got, NULL)) TH_LOG("%d", WSAGetLastError());
	EXPECT_TRUE(wsac_flowspec_eq(&self->prior.SendingFlowspec, &got.qos.SendingFlowspec));
	/* Set through the duplicate, seen through the original. */
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 333333);
	ASSERT_EQ(0, wsac_set_qos(d, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_TRUE(wsac_flowspec_eq(&q.SendingFlowspec, &got.qos.SendingFlowspec));
	close(d);

	/* A forked child reads it and sets another. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (wsac_get_qos(self->s, &got, NULL))
			_exit(10);
		if (got.qos.SendingFlowspec.TokenRate != 333333)
			_exit(11);
		wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 444444);
		if (wsac_set_qos(self->s, &q))
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child step %d", WEXITSTATUS(status));
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_EQ(444444, got.qos.SendingFlowspec.TokenRate);
	EXPECT_EQ(SERVICETYPE_CONTROLLEDLOAD, got.qos.SendingFlowspec.ServiceType);
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(444444, o.pacing);

	/* A descriptor passed over AF_UNIX. */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &self->s, sizeof(int));
	ASSERT_EQ(1, sendmsg(sv[0], &msg, 0));
	memset(cbuf, 0, sizeof(cbuf));
	msg.msg_controllen = sizeof(cbuf);
	ASSERT_EQ(1, recvmsg(sv[1], &msg, 0));
	c = CMSG_FIRSTHDR(&msg);
	ASSERT_TRUE(c != NULL);
	memcpy(&passed, CMSG_DATA(c), sizeof(int));
	ASSERT_LE(0, passed);
	ASSERT_NE(self->s, passed);
	ASSERT_EQ(0, wsac_get_qos(passed, &got, NULL)) TH_LOG("%d", WSAGetLastError());
	EXPECT_EQ(444444, got.qos.SendingFlowspec.TokenRate);
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 555555);
	ASSERT_EQ(0, wsac_set_qos(passed, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_EQ(555555, got.qos.SendingFlowspec.TokenRate);
	close(passed);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(qos, group_qos_of_a_socket_in_no_group)
{
	struct wsac_qos_buf got;
	FLOWSPEC zero;
	DWORD n = 0;

	memset(&zero, 0, sizeof(zero));
	memset(&got, 0xa5, sizeof(got));
	ASSERT_EQ(0, WSAIoctl(self->s, SIO_GET_GROUP_QOS, NULL, 0, &got, sizeof(got), &n,
			      NULL, NULL)) TH_LOG("%d", WSAGetLastError());
	EXPECT_TRUE(wsac_flowspec_eq(&zero, &got.qos.SendingFlowspec));
	EXPECT_TRUE(wsac_flowspec_eq(&zero, &got.qos.ReceivingFlowspec));
	EXPECT_EQ(0, got.qos.ProviderSpecific.len);
	EXPECT_TRUE(got.qos.ProviderSpecific.buf == NULL);

	QOS q;

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 300000);
	EXPECT_EQ(SOCKET_ERROR, WSAIoctl(self->s, SIO_SET_GROUP_QOS, &q, sizeof(q), NULL, 0,
					 &n, NULL, NULL));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
	/* The socket's own QoS is untouched. */
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_TRUE(wsac_flowspec_eq(&self->prior.SendingFlowspec, &got.qos.SendingFlowspec));
}

/*
 * The fields of /proc/net/wsaconnect_qos (Documentation/qos.rst):
 *  inode proto family ifindex send_type send_rate recv_type recv_rate
 *  pacing_rate tos tclass priority rcvbuf admitted_rate pacing
 * service types, TOS and traffic class in hex; pacing_rate "none" or a rate.
 */
#define WSAC_QOS_PROC	"/proc/net/wsaconnect_qos"
#define WSAC_QOS_FIELDS	15

static int wsac_proc_has_inode(unsigned long ino, char *line, size_t size)
{
	char key[32];

	snprintf(key, sizeof(key), "%lu", ino);
	return wsac_proc_line(WSAC_QOS_PROC, key, line, size);
}

static int wsac_proc_fields(const char *line, char f[][32])
{
	return sscanf(line, "%31s %31s %31s %31s %31s %31s %31s %31s %31s %31s %31s "
		      "%31s %31s %31s %31s", f[0], f[1], f[2], f[3], f[4], f[5], f[6],
		      f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14]);
}

TEST_F(qos, proc_lists_the_socket_in_its_own_netns_only)
{
	unsigned long ino = wsac_inode(self->s);
	char line[1024], f[WSAC_QOS_FIELDS][32];
	int status;
	pid_t pid;

	ASSERT_EQ(1, wsac_proc_has_inode(ino, line, sizeof(line)))
		TH_LOG("inode %lu not in " WSAC_QOS_PROC, ino);
	TH_LOG("%s", line);
	ASSERT_EQ(WSAC_QOS_FIELDS, wsac_proc_fields(line, f));
	EXPECT_STREQ(variant->type == SOCK_STREAM ? "tcp" : "udp", f[1]);
	EXPECT_STREQ(variant->family == AF_INET ? "inet" : "inet6", f[2]);
	EXPECT_EQ(0, strtoul(f[3], NULL, 10));			/* no destination yet */
	EXPECT_EQ(SERVICETYPE_CONTROLLEDLOAD, strtoul(f[4], NULL, 16));
	EXPECT_EQ(WSAC_PRIOR_RATE, strtoul(f[5], NULL, 10));
	EXPECT_EQ(SERVICETYPE_NOTRAFFIC, strtoul(f[6], NULL, 16));
	EXPECT_EQ(WSAC_PRIOR_RATE, strtoull(f[8], NULL, 10));
	if (variant->family == AF_INET) {
		EXPECT_EQ(0x60, strtoul(f[9], NULL, 16));
	} else {
		EXPECT_EQ(0x60, strtoul(f[10], NULL, 16));
	}
	EXPECT_EQ(4, strtoul(f[11], NULL, 10));
	EXPECT_EQ((unsigned long)self->prior_opts.rcvbuf, strtoul(f[12], NULL, 10));
	EXPECT_EQ(0, strtoul(f[13], NULL, 10));
	EXPECT_STREQ("none", f[14]);

	/* Another namespace has the file, without this socket. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			_exit(10);
		if (access(WSAC_QOS_PROC, R_OK))
			_exit(11);
		_exit(wsac_proc_has_inode(ino, line, sizeof(line)) == 0 ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 10 unshare, 11 no file, 12 socket listed: %d", WEXITSTATUS(status));

	/* Unpaced: "none". */
	QOS q;

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, POSITIVE_INFINITY_RATE);
	ASSERT_EQ(0, wsac_set_qos(self->s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(1, wsac_proc_has_inode(ino, line, sizeof(line)));
	ASSERT_EQ(WSAC_QOS_FIELDS, wsac_proc_fields(line, f));
	EXPECT_EQ(SERVICETYPE_GUARANTEED, strtoul(f[4], NULL, 16));
	EXPECT_STREQ("none", f[8]);
	EXPECT_EQ(6, strtoul(f[11], NULL, 10));

	/* Gone once the socket is. */
	closesocket(self->s);
	self->s = -1;
	for (int i = 0; i < 50 && wsac_proc_has_inode(ino, line, sizeof(line)) == 1; i++)
		usleep(100 * 1000);
	EXPECT_EQ(0, wsac_proc_has_inode(ino, line, sizeof(line)));
}

/* WSAConnect(lpSQOS) replaces what SIO_SET_QOS set before. */
TEST_F(qos, lpsqos_overrides_an_earlier_set_qos)
{
	struct sockaddr_storage addr;
	struct wsac_qos_buf got;
	struct wsac_opts o;
	socklen_t alen;
	int srv;
	QOS q;

	srv = wsac_bound_socket(variant->family, variant->type,
				variant->type == SOCK_STREAM, &addr, &alen);
	ASSERT_LE(0, srv);
	/* Unpaced: a UDP rate would need fq on loopback. */
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, POSITIVE_INFINITY_RATE);
	q.ReceivingFlowspec = wsac_flowspec(SERVICETYPE_BESTEFFORT, 100000);
	q.ReceivingFlowspec.TokenBucketSize = 6000;
	ASSERT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&addr, alen, NULL, NULL, &q, NULL))
		TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(self->s, &got, NULL));
	EXPECT_TRUE(wsac_flowspec_eq(&q.SendingFlowspec, &got.qos.SendingFlowspec));
	EXPECT_TRUE(wsac_flowspec_eq(&q.ReceivingFlowspec, &got.qos.ReceivingFlowspec));
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(6, o.priority);
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
	EXPECT_EQ(2 * 6000, o.rcvbuf);
	close(srv);
}

/* A rejected lpSQOS fails WSAConnect before anything is sent. */
TEST_F(qos, invalid_lpsqos_fails_without_connecting)
{
	struct sockaddr_storage addr, peer;
	socklen_t alen, plen = sizeof(peer);
	struct wsac_opts o;
	int srv;
	QOS q;

	srv = wsac_bound_socket(variant->family, variant->type,
				variant->type == SOCK_STREAM, &addr, &alen);
	ASSERT_LE(0, srv);
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 200000);
	q.SendingFlowspec.PeakBandwidth = 100000;
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&addr, alen,
					   NULL, NULL, &q, NULL));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
	EXPECT_EQ(-1, getpeername(self->s, (struct sockaddr *)&peer, &plen));
	EXPECT_EQ(ENOTCONN, errno);
	if (variant->type == SOCK_STREAM) {
		EXPECT_EQ(-1, wsac_accept_within_ms(srv, 200));
	}
	ASSERT_EQ(0, wsac_opts_get(self->s, variant->family, &o));
	EXPECT_TRUE(wsac_opts_eq(&o, &self->prior_opts));
	/*
	 * The socket still connects afterwards (TCP).  A UDP socket keeps the
	 * prior rate, which loopback (no fq) cannot pace: WSAEOPNOTSUPP.
	 */
	if (variant->type == SOCK_STREAM) {
		EXPECT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&addr, alen, NULL, NULL,
					NULL, NULL)) TH_LOG("%d", WSAGetLastError());
	} else {
		EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&addr, alen,
						   NULL, NULL, NULL, NULL));
		EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError());
	}
	close(srv);
}

TEST_F(qos, unreadable_lpsqos_is_efault)
{
	struct sockaddr_storage addr, peer;
	socklen_t alen, plen = sizeof(peer);
	long page = sysconf(_SC_PAGESIZE);
	void *m = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int srv;

	ASSERT_TRUE(m != MAP_FAILED);
	srv = wsac_bound_socket(variant->family, variant->type,
				variant->type == SOCK_STREAM, &addr, &alen);
	ASSERT_LE(0, srv);
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&addr, alen,
					   NULL, NULL, (LPQOS)m, NULL));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	EXPECT_EQ(-1, getpeername(self->s, (struct sockaddr *)&peer, &plen));
	close(srv);
	munmap(m, page);
}

/* TCP only: the ULP that carries the QoS, as ss(8) shows it. */
FIXTURE(loopback) {
	WSADATA wsa;
	int listener;
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

FIXTURE_SETUP(loopback)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	self->listener = wsac_bound_socket(AF_INET, SOCK_STREAM, 1, &self->addr,
					   &self->addrlen);
	ASSERT_LE(0, self->listener);
}

FIXTURE_TEARDOWN(loopback)
{
	closesocket(self->listener);
	WSACleanup();
}

/* ss -tinH for the socket whose local port is @port, into @out. */
static int wsac_ss(unsigned short port, char *out, size_t size)
{
	char cmd[128];
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ss -tinH 'sport = :%u' 2>&1", port);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, size - 1, p);
	out[n] = 0;
	return pclose(p) == 0 ? 0 : -1;
}

TEST_F(loopback, ss_shows_the_ulp)
{
	int with = socket(AF_INET, SOCK_STREAM, 0), without = socket(AF_INET, SOCK_STREAM, 0);
	char out[4096];
	QOS q;

	if (system("command -v ss >/dev/null 2>&1"))
		SKIP(return, "ss (iproute2) not installed");
	ASSERT_LE(0, with);
	ASSERT_LE(0, without);
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 1000000);
	ASSERT_EQ(0, WSAConnect(with, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, NULL, &q, NULL)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, WSAConnect(without, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, NULL, NULL, NULL)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_ss(wsac_local_port(with), out, sizeof(out)));
	TH_LOG("%s", out);
	EXPECT_TRUE(strstr(out, "tcp-ulp-" WSAC_TCP_ULP_NAME) != NULL);
	ASSERT_EQ(0, wsac_ss(wsac_local_port(without), out, sizeof(out)));
	EXPECT_TRUE(strstr(out, "tcp-ulp-") == NULL);
	closesocket(with);
	closesocket(without);
}

/* A socket whose QoS was set before connect: SIO_SET_QOS, then WSAConnect. */
TEST_F(loopback, qos_set_before_connect_stays_after_it)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct wsac_qos_buf got;
	QOS_WSAC_EFFECTIVE e;
	struct wsac_opts o;
	QOS q;

	ASSERT_LE(0, s);
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, 400000);
	ASSERT_EQ(0, wsac_set_qos(s, &q)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(s, &got, NULL));
	ASSERT_EQ(sizeof(e), wsac_find_object(&got, QOS_OBJECT_WSAC_EFFECTIVE, &e, sizeof(e)));
	EXPECT_EQ(0, e.InterfaceIndex);
	ASSERT_EQ(0, WSAConnect(s, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, NULL, NULL, NULL)) TH_LOG("%d", WSAGetLastError());
	ASSERT_EQ(0, wsac_get_qos(s, &got, NULL));
	EXPECT_TRUE(wsac_flowspec_eq(&q.SendingFlowspec, &got.qos.SendingFlowspec));
	ASSERT_EQ(sizeof(e), wsac_find_object(&got, QOS_OBJECT_WSAC_EFFECTIVE, &e, sizeof(e)));
	/* Checked on loopback when it connected; TCP paces itself there. */
	EXPECT_EQ(if_nametoindex("lo"), e.InterfaceIndex);
	EXPECT_EQ(QOS_WSAC_PACING_TCP, e.Pacing);
	ASSERT_EQ(0, wsac_opts_get(s, AF_INET, &o));
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(400000, o.pacing);
	closesocket(s);
}

/* UDP: a rate set earlier is refused at WSAConnect to a device without fq. */
TEST_F(loopback, udp_rate_set_before_connect_needs_fq)
{
	struct sockaddr_storage addr, peer;
	socklen_t alen, plen = sizeof(peer);
	int srv = wsac_bound_socket(AF_INET, SOCK_DGRAM, 0, &addr, &alen);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	QOS q;

	ASSERT_LE(0, srv);
	ASSERT_LE(0, s);
	wsac_qos_init(&q, SERVICETYPE_CONTROLLEDLOAD, 400000);
	ASSERT_EQ(0, wsac_set_qos(s, &q)) TH_LOG("no destination yet: %d", WSAGetLastError());
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(s, (struct sockaddr *)&addr, alen,
					   NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError());
	EXPECT_EQ(-1, getpeername(s, (struct sockaddr *)&peer, &plen));
	closesocket(s);
	close(srv);
}

TEST_HARNESS_MAIN
