// SPDX-License-Identifier: GPL-2.0
/*
 * From a Winsock QOS to Linux socket options: which requests are well
 * formed, and what each ServiceType and rate becomes.  Pure functions of
 * their arguments, so KUnit tests them without sockets.  The mapping is the
 * table in Documentation/qos.rst.
 */
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/pkt_sched.h>
#include <linux/string.h>

#include "qos.h"

/* What one ServiceType puts on the wire. */
struct wsac_service {
	u32 type;
	u8 tos;
	u8 priority;
};

/*
 * Windows' default DSCP per service type, as TOS bytes.  Priorities keep
 * Guaranteed and ControlledLoad out of fq's lowest band (6.7+ default
 * priomap: 0 and 4 -> band 1, 6 and 7 -> band 0, 1 -> band 2).
 */
static const struct wsac_service wsac_services[] = {
	{ WSAC_ST_NOTRAFFIC,		0x00, TC_PRIO_BESTEFFORT },
	{ WSAC_ST_BESTEFFORT,		0x00, TC_PRIO_BESTEFFORT },
	{ WSAC_ST_CONTROLLEDLOAD,	0x60, TC_PRIO_INTERACTIVE_BULK },
	{ WSAC_ST_GUARANTEED,		0xa0, TC_PRIO_INTERACTIVE },
	{ WSAC_ST_GENERAL_INFORMATION,	0x00, TC_PRIO_BESTEFFORT },
	{ WSAC_ST_NONCONFORMING,	0x00, TC_PRIO_FILLER },
	{ WSAC_ST_NETWORK_CONTROL,	0xc0, TC_PRIO_CONTROL },
	{ WSAC_ST_QUALITATIVE,		0x00, TC_PRIO_BESTEFFORT },
};

static const struct wsac_service *wsac_service(u32 type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(wsac_services); i++)
		if (wsac_services[i].type == type)
			return &wsac_services[i];
	return NULL;
}

static bool wsac_rate_finite(u32 rate)
{
	return rate != WSAC_QOS_NOT_SPECIFIED &&
	       rate != WSAC_POSITIVE_INFINITY_RATE;
}

static u32 wsac_type(const struct wsac_flowspec *f)
{
	return f->service_type & WSAC_ST_TYPE_MASK;
}

static bool wsac_carries_traffic(u32 type)
{
	return type != WSAC_ST_NOTRAFFIC && type != WSAC_ST_NOCHANGE;
}

static u32 wsac_flowspec_check(const struct wsac_flowspec *f)
{
	u32 type = wsac_type(f);

	if (f->service_type & ~WSAC_ST_TYPE_MASK & ~WSAC_SERVICE_FLAGS_KNOWN)
		return WSAC_QOS_BAD_SERVICE_TYPE;
	if (type == WSAC_ST_NOCHANGE)
		return WSAC_QOS_OK;
	if (!wsac_service(type))
		return WSAC_QOS_BAD_SERVICE_TYPE;
	if (wsac_carries_traffic(type) && f->token_rate == 0)
		return WSAC_QOS_ZERO_RATE;
	if (f->peak_bandwidth != WSAC_QOS_NOT_SPECIFIED &&
	    wsac_rate_finite(f->token_rate) &&
	    f->peak_bandwidth < f->token_rate)
		return WSAC_QOS_BAD_PEAK;
	return WSAC_QOS_OK;
}

static bool wsac_destaddr_ok(const u8 *addr, u32 addrlen)
{
	sa_family_t family;

	if (addrlen < sizeof(family) || addrlen > sizeof(struct sockaddr_storage))
		return false;
	memcpy(&family, addr, sizeof(family));
	if (family == AF_INET)
		return addrlen >= sizeof(struct sockaddr_in);
	if (family == AF_INET6)
		return addrlen >= sizeof(struct sockaddr_in6);
	return false;
}

/**
 * wsac_qos_objects_walk() - check a QoS object list and pick out its values
 * @buf: the objects, packed back to back
 * @len: bytes in @buf
 * @shaping: set to QOS_OBJECT_SHAPING_RATE's rate, else left alone
 * @sd_mode: set to QOS_OBJECT_SD_MODE's mode, else left alone
 * @dest: set to QOS_OBJECT_DESTADDR's address, else left alone
 * @destlen: set to the length of @dest
 * @used: set to the bytes before END_OF_LIST (all of @len without one)
 *
 * Every object must lie inside @buf, be 4-byte sized, have its type's exact
 * size, and appear once; END_OF_LIST ends the list early.
 *
 * Return: %WSAC_QOS_OK or %WSAC_QOS_BAD_OBJECT.
 */
u32 wsac_qos_objects_walk(const u8 *buf, u32 len, u64 *shaping,
			  u32 *sd_mode, struct sockaddr_storage *dest,
			  u32 *destlen, u32 *used)
{
	unsigned long seen = 0;
	u32 off = 0;

	while (off < len) {
		u32 hdr[2], val, type, olen;

		if (len - off < sizeof(hdr))
			return WSAC_QOS_BAD_OBJECT;
		memcpy(hdr, buf + off, sizeof(hdr));
		type = hdr[0];
		olen = hdr[1];
		if (olen < sizeof(hdr) || olen % 4 || olen > len - off)
			return WSAC_QOS_BAD_OBJECT;

		switch (type) {
		case WSAC_QOS_OBJECT_END_OF_LIST:
			*used = off;
			return WSAC_QOS_OK;
		case WSAC_QOS_OBJECT_SD_MODE:
		case WSAC_QOS_OBJECT_SHAPING_RATE:
			if (olen != sizeof(hdr) + sizeof(val) ||
			    __test_and_set_bit(type - WSAC_QOS_OBJECT_END_OF_LIST, &seen))
				return WSAC_QOS_BAD_OBJECT;
			memcpy(&val, buf + off + sizeof(hdr), sizeof(val));
			if (type == WSAC_QOS_OBJECT_SD_MODE) {
				if (val > WSAC_NONCONF_BORROW_PLUS)
					return WSAC_QOS_BAD_OBJECT;
				*sd_mode = val;
			} else {
				if (val == 0)
					return WSAC_QOS_BAD_OBJECT;
				if (wsac_rate_finite(val))
					*shaping = val;
			}
			break;
		case WSAC_QOS_OBJECT_DESTADDR:
			if (olen < sizeof(hdr) + sizeof(val) ||
			    __test_and_set_bit(type - WSAC_QOS_OBJECT_END_OF_LIST, &seen))
				return WSAC_QOS_BAD_OBJECT;
			memcpy(&val, buf + off + sizeof(hdr), sizeof(val));
			/* The address fills the object, up to 3 bytes of padding. */
			if (val > olen - sizeof(hdr) - sizeof(val) ||
			    olen - sizeof(hdr) - sizeof(val) - val >= 4 ||
			    !wsac_destaddr_ok(buf + off + 12, val))
				return WSAC_QOS_BAD_OBJECT;
			memset(dest, 0, sizeof(*dest));
			memcpy(dest, buf + off + 12, val);
			*destlen = val;
			break;
		default:
			if (type < WSAC_QOS_OBJECT_RSVP_FIRST ||
			    type > WSAC_QOS_OBJECT_RSVP_LAST)
				return WSAC_QOS_BAD_OBJECT;
			/* RSVP signalling does not exist on Linux. */
			break;
		}
		off += olen;
	}
	*used = len;
	return WSAC_QOS_OK;
}

static u32 wsac_rcvbuf(const struct wsac_flowspec *f)
{
	u64 bytes = 0;

	if (!wsac_carries_traffic(wsac_type(f)))
		return 0;
	if (wsac_rate_finite(f->token_bucket_size))
		bytes += f->token_bucket_size;
	if (wsac_rate_finite(f->token_rate) &&
	    f->latency != WSAC_QOS_NOT_SPECIFIED)
		bytes += div_u64((u64)f->token_rate * f->latency, USEC_PER_SEC);
	return min_t(u64, bytes, INT_MAX / 2);
}

/**
 * wsac_qos_policy() - check a QoS request and decide what it puts in force
 * @req: the request; its flowspecs and objects are read
 * @family: the socket's address family
 * @prev: the QoS the socket carries, or NULL; SERVICETYPE_NOCHANGE keeps it
 * @pol: the decision
 * @reason: set to an enum wsac_qos_reason when the request is refused
 *
 * Return: 0, -EINVAL for a malformed request, or -EOPNOTSUPP for one Linux
 * cannot enforce as stated (a capped NetworkControl flow: fq never paces
 * priority 7 on 6.1).  Capability and egress checks are the caller's.
 */
int wsac_qos_policy(const struct wsac_qos *req, unsigned short family,
		    const struct wsac_qos_state *prev,
		    struct wsac_qos_policy *pol, u32 *reason)
{
	u32 sd_mode = WSAC_NONCONF_SHAPE;
	u64 shaping = WSAC_RATE_NONE;
	const struct wsac_flowspec *s;
	const struct wsac_service *svc;
	sa_family_t dfamily;
	u32 type;

	memset(pol, 0, sizeof(*pol));
	*reason = wsac_flowspec_check(&req->sending);
	if (*reason == WSAC_QOS_OK)
		*reason = wsac_flowspec_check(&req->receiving);
	if (*reason == WSAC_QOS_OK && req->objects_len > WSAC_QOS_OBJECTS_MAX)
		*reason = WSAC_QOS_BAD_OBJECT;
	if (*reason == WSAC_QOS_OK)
		*reason = wsac_qos_objects_walk(req->objects, req->objects_len,
						&shaping, &sd_mode, &pol->dest,
						&pol->destlen, &pol->objects_len);
	if (*reason == WSAC_QOS_OK && pol->destlen) {
		memcpy(&dfamily, &pol->dest, sizeof(dfamily));
		if (dfamily != family)
			*reason = WSAC_QOS_BAD_OBJECT;
	}
	if (*reason != WSAC_QOS_OK)
		return -EINVAL;

	pol->sending = req->sending;
	pol->receiving = req->receiving;
	if (wsac_type(&req->sending) == WSAC_ST_NOCHANGE && prev && prev->set)
		pol->sending = prev->sending;
	if (wsac_type(&req->receiving) == WSAC_ST_NOCHANGE && prev && prev->set)
		pol->receiving = prev->receiving;
	pol->has_send = wsac_type(&pol->sending) != WSAC_ST_NOCHANGE;
	pol->has_recv = wsac_type(&pol->receiving) != WSAC_ST_NOCHANGE;
	pol->pacing_rate = WSAC_RATE_NONE;
	if (pol->has_recv)
		pol->rcvbuf = wsac_rcvbuf(&pol->receiving);
	if (!pol->has_send)
		return 0;

	s = &pol->sending;
	type = wsac_type(s);
	if (type == WSAC_ST_GUARANTEED)
		pol->admit_rate = wsac_rate_finite(s->token_rate) ?
				  s->token_rate : WSAC_RATE_NONE;
	if (s->service_type & WSAC_SERVICE_NO_TRAFFIC_CONTROL)
		return 0;

	svc = wsac_service(type);
	pol->tos = svc->tos;
	pol->priority = svc->priority;
	pol->netctl = type == WSAC_ST_NETWORK_CONTROL;
	if (wsac_carries_traffic(type) && sd_mode != WSAC_NONCONF_BORROW &&
	    sd_mode != WSAC_NONCONF_BORROW_PLUS) {
		if (shaping != WSAC_RATE_NONE)
			pol->pacing_rate = shaping;
		else if (wsac_rate_finite(s->token_rate))
			pol->pacing_rate = s->token_rate;
	}
	if (pol->netctl && pol->pacing_rate != WSAC_RATE_NONE) {
		*reason = WSAC_QOS_NETCTL_RATE;
		return -EOPNOTSUPP;
	}
	return 0;
}
