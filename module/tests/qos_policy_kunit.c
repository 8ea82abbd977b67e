// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the QoS policy of wsaconnect.ko: what each ServiceType
 * and rate becomes, which requests are refused, and the bounds checks of
 * the QoS object list.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/pkt_sched.h>
#include <linux/slab.h>

#include "../qos_policy.c"

#define NS	WSAC_QOS_NOT_SPECIFIED

static struct wsac_qos *wsac_req(struct kunit *test, u32 type, u32 rate)
{
	struct wsac_qos *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, req);
	req->sending = (struct wsac_flowspec){ rate, NS, NS, NS, NS, type, NS, NS };
	req->receiving.service_type = WSAC_ST_NOTRAFFIC;
	return req;
}

static void wsac_put_object(struct wsac_qos *req, u32 type, u32 len,
			    const void *body, u32 bodylen)
{
	u32 hdr[2] = { type, len };

	memcpy(req->objects + req->objects_len, hdr, sizeof(hdr));
	memcpy(req->objects + req->objects_len + sizeof(hdr), body, bodylen);
	req->objects_len += len;
}

struct wsac_map_case {
	u32 type;
	u32 tos;
	u32 priority;
};

static void wsac_qos_mapping(struct kunit *test)
{
	static const struct wsac_map_case cases[] = {
		{ WSAC_ST_BESTEFFORT, 0x00, TC_PRIO_BESTEFFORT },
		{ WSAC_ST_CONTROLLEDLOAD, 0x60, TC_PRIO_INTERACTIVE_BULK },
		{ WSAC_ST_GUARANTEED, 0xa0, TC_PRIO_INTERACTIVE },
		{ WSAC_ST_NONCONFORMING, 0x00, TC_PRIO_FILLER },
		{ WSAC_ST_QUALITATIVE, 0x00, TC_PRIO_BESTEFFORT },
		{ WSAC_ST_GENERAL_INFORMATION, 0x00, TC_PRIO_BESTEFFORT },
		{ WSAC_ST_NETWORK_CONTROL, 0xc0, TC_PRIO_CONTROL },
	};
	struct wsac_qos_policy pol;
	u32 reason;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct wsac_qos *req = wsac_req(test, cases[i].type, NS);

		KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
		KUNIT_EXPECT_TRUE(test, pol.has_send);
		KUNIT_EXPECT_EQ(test, pol.tos, cases[i].tos);
		KUNIT_EXPECT_EQ(test, pol.priority, cases[i].priority);
		KUNIT_EXPECT_EQ(test, pol.pacing_rate, WSAC_RATE_NONE);
	}
}

static void wsac_qos_rates(struct kunit *test)
{
	struct wsac_qos *req = wsac_req(test, WSAC_ST_GUARANTEED, 125000);
	u32 shaping[] = { 62500 }, mode[] = { WSAC_NONCONF_BORROW };
	struct wsac_qos_policy pol;
	u32 reason;

	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	KUNIT_EXPECT_EQ(test, pol.pacing_rate, 125000ULL);
	KUNIT_EXPECT_EQ(test, pol.admit_rate, 125000ULL);

	/* A shaping rate overrides the token rate; admission keeps the latter. */
	wsac_put_object(req, WSAC_QOS_OBJECT_SHAPING_RATE, 12, shaping, 4);
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	KUNIT_EXPECT_EQ(test, pol.pacing_rate, 62500ULL);
	KUNIT_EXPECT_EQ(test, pol.admit_rate, 125000ULL);

	/* Borrowing flows are not capped. */
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 12, mode, 4);
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	KUNIT_EXPECT_EQ(test, pol.pacing_rate, WSAC_RATE_NONE);

	req = wsac_req(test, WSAC_ST_BESTEFFORT, WSAC_POSITIVE_INFINITY_RATE);
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	KUNIT_EXPECT_EQ(test, pol.pacing_rate, WSAC_RATE_NONE);
	KUNIT_EXPECT_EQ(test, pol.admit_rate, 0ULL);

	/* No traffic control: recorded, nothing marked or capped. */
	req = wsac_req(test, WSAC_ST_CONTROLLEDLOAD | 0x81000000U, 1000);
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	KUNIT_EXPECT_EQ(test, pol.tos, 0U);
	KUNIT_EXPECT_EQ(test, pol.pacing_rate, WSAC_RATE_NONE);
}

static void wsac_qos_refusals(struct kunit *test)
{
	struct wsac_qos_policy pol;
	struct wsac_qos *req;
	u32 reason;

	req = wsac_req(test, 0x7, 1000);
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), -EINVAL);
	KUNIT_EXPECT_EQ(test, reason, (u32)WSAC_QOS_BAD_SERVICE_TYPE);

	req = wsac_req(test, WSAC_ST_NETWORK_UNAVAILABLE, 1000);
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), -EINVAL);

	req = wsac_req(test, WSAC_ST_BESTEFFORT | 0x00800000U, 1000);
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), -EINVAL);
	KUNIT_EXPECT_EQ(test, reason, (u32)WSAC_QOS_BAD_SERVICE_TYPE);

	req = wsac_req(test, WSAC_ST_GUARANTEED, 0);
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), -EINVAL);
	KUNIT_EXPECT_EQ(test, reason, (u32)WSAC_QOS_ZERO_RATE);

	/* NOTRAFFIC sends nothing, so a zero rate is fine. */
	req = wsac_req(test, WSAC_ST_NOTRAFFIC, 0);
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);

	req = wsac_req(test, WSAC_ST_GUARANTEED, 2000);
	req->sending.peak_bandwidth = 1000;
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), -EINVAL);
	KUNIT_EXPECT_EQ(test, reason, (u32)WSAC_QOS_BAD_PEAK);

	req = wsac_req(test, WSAC_ST_BESTEFFORT, 1000);
	req->receiving.service_type = WSAC_ST_GUARANTEED;
	req->receiving.token_rate = 0;
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), -EINVAL);

	req = wsac_req(test, WSAC_ST_NETWORK_CONTROL, 1000);
	KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, reason, (u32)WSAC_QOS_NETCTL_RATE);
}

static void wsac_qos_nochange(struct kunit *test)
{
	struct wsac_qos_state *prev = kunit_kzalloc(test, sizeof(*prev), GFP_KERNEL);
	struct wsac_qos *req = wsac_req(test, WSAC_ST_NOCHANGE, 0);
	struct wsac_qos_policy pol;
	u32 reason;

	KUNIT_ASSERT_NOT_NULL(test, prev);
	/* Nothing recorded: the direction stays unset. */
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	KUNIT_EXPECT_FALSE(test, pol.has_send);

	prev->set = true;
	prev->sending = (struct wsac_flowspec){ 5000, NS, NS, NS, NS,
						WSAC_ST_CONTROLLEDLOAD, NS, NS };
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, prev, &pol, &reason), 0);
	KUNIT_EXPECT_TRUE(test, pol.has_send);
	KUNIT_EXPECT_EQ(test, pol.sending.token_rate, 5000U);
	KUNIT_EXPECT_EQ(test, pol.tos, 0x60U);
	KUNIT_EXPECT_EQ(test, pol.pacing_rate, 5000ULL);
}

static void wsac_qos_rcvbuf(struct kunit *test)
{
	struct wsac_qos *req = wsac_req(test, WSAC_ST_BESTEFFORT, NS);
	struct wsac_qos_policy pol;
	u32 reason;

	req->receiving = (struct wsac_flowspec){ 1000000, 65536, NS, 100000, NS,
						 WSAC_ST_GUARANTEED, NS, NS };
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	/* bucket + rate x latency: 65536 + 1e6 B/s x 0.1 s */
	KUNIT_EXPECT_EQ(test, pol.rcvbuf, 165536U);

	req->receiving.service_type = WSAC_ST_NOTRAFFIC;
	KUNIT_ASSERT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
	KUNIT_EXPECT_EQ(test, pol.rcvbuf, 0U);
}

static u32 wsac_walk(struct wsac_qos *req, u32 *used)
{
	struct sockaddr_storage dest;
	u32 sd = 0, destlen = 0;
	u64 shaping = 0;

	return wsac_qos_objects_walk(req->objects, req->objects_len, &shaping,
				     &sd, &dest, &destlen, used);
}

static void wsac_qos_objects(struct kunit *test)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct wsac_qos *req = wsac_req(test, WSAC_ST_BESTEFFORT, NS);
	u32 one = 1, zero = 0, used, body[4] = {};
	u8 dest[4 + sizeof(sin)];

	/* Truncated header, odd length, length past the end. */
	req->objects_len = 4;
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);
	req->objects_len = 0;
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 10, &one, 2);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);
	req->objects_len = 0;
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 12, &one, 4);
	req->objects_len = 8;
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);

	/* Wrong sizes, values and repeats. */
	req->objects_len = 0;
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 16, body, 8);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);
	req->objects_len = 0;
	body[0] = 4;
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 12, body, 4);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);
	req->objects_len = 0;
	wsac_put_object(req, WSAC_QOS_OBJECT_SHAPING_RATE, 12, &zero, 4);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);
	req->objects_len = 0;
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 12, &one, 4);
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 12, &one, 4);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);
	req->objects_len = 0;
	wsac_put_object(req, 3000, 8, NULL, 0);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);

	/* RSVP objects are skipped; END_OF_LIST ends the list. */
	req->objects_len = 0;
	wsac_put_object(req, 1001, 16, body, 8);
	wsac_put_object(req, WSAC_QOS_OBJECT_SD_MODE, 12, &one, 4);
	wsac_put_object(req, WSAC_QOS_OBJECT_END_OF_LIST, 8, NULL, 0);
	wsac_put_object(req, 3000, 8, NULL, 0);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_OK);
	KUNIT_EXPECT_EQ(test, used, 28U);

	/* DESTADDR: a flat sockaddr of the socket's family. */
	req->objects_len = 0;
	memcpy(dest, &(u32){ sizeof(sin) }, 4);
	memcpy(dest + 4, &sin, sizeof(sin));
	wsac_put_object(req, WSAC_QOS_OBJECT_DESTADDR, 12 + sizeof(sin), dest,
			sizeof(dest));
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_OK);
	{
		struct wsac_qos_policy pol;
		u32 reason;

		KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET6, NULL, &pol, &reason),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason), 0);
		KUNIT_EXPECT_EQ(test, pol.destlen, (u32)sizeof(sin));
	}
	/* An address length beyond its object. */
	memcpy(req->objects + 8, &(u32){ sizeof(sin) + 8 }, 4);
	KUNIT_EXPECT_EQ(test, wsac_walk(req, &used), (u32)WSAC_QOS_BAD_OBJECT);
	/* A length beyond the list's maximum. */
	req->objects_len = WSAC_QOS_OBJECTS_MAX + 4;
	{
		struct wsac_qos_policy pol;
		u32 reason;

		KUNIT_EXPECT_EQ(test, wsac_qos_policy(req, AF_INET, NULL, &pol, &reason),
				-EINVAL);
	}
}

/*
 * A socket's QoS state stays within 256 bytes whatever the kernel's debug
 * options make of its spinlock (issue 14: state <= 256 bytes per socket);
 * the QoS objects, rarely given, are not part of it.
 */
static void wsac_qos_state_size(struct kunit *test)
{
	KUNIT_EXPECT_LE(test, sizeof(struct wsac_qos_state),
			(size_t)WSAC_QOS_STATE_MAX);
	kunit_info(test, "struct wsac_qos_state: %zu bytes\n",
		   sizeof(struct wsac_qos_state));
}

static struct kunit_case wsac_qos_policy_cases[] = {
	KUNIT_CASE(wsac_qos_mapping),
	KUNIT_CASE(wsac_qos_rates),
	KUNIT_CASE(wsac_qos_refusals),
	KUNIT_CASE(wsac_qos_nochange),
	KUNIT_CASE(wsac_qos_rcvbuf),
	KUNIT_CASE(wsac_qos_objects),
	KUNIT_CASE(wsac_qos_state_size),
	{}
};

static struct kunit_suite wsac_qos_policy_suite = {
	.name = "wsaconnect_qos_policy",
	.test_cases = wsac_qos_policy_cases,
};

kunit_test_suites(&wsac_qos_policy_suite);
