// SPDX-License-Identifier: GPL-2.0
/*
 * Why the calling thread's last QoS request was refused.
 *
 * WSAEOPNOTSUPP alone does not tell a user that the UDP rate needs the fq
 * qdisc, or which device it is on.  Each refusal leaves the module's
 * reason (enum wsac_qos_reason) and a sentence in thread-local storage;
 * with WSACONNECT_VERBOSE=1 the sentence is also printed on stderr, as
 * WSAStartup() prints its reasons.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WSAC_QOS_TEXT_LEN	200

static WSAC_TLS unsigned int wsac_reason;
static WSAC_TLS char wsac_text[WSAC_QOS_TEXT_LEN];

/* The egress device's name, or a description when unknown. */
static const char *wsac_ifname(unsigned int ifindex, char *buf)
{
	if (ifindex && if_indextoname(ifindex, buf))
		return buf;
	return "the egress device";
}

static void wsac_describe(char *text, size_t size, unsigned int reason,
			  unsigned int ifindex)
{
	char ifbuf[IF_NAMESIZE];
	const char *dev = wsac_ifname(ifindex, ifbuf);

	switch (reason) {
	case WSAC_QOS_BAD_SERVICE_TYPE:
		snprintf(text, size, "unknown ServiceType or SERVICE_* flag in a FLOWSPEC");
		break;
	case WSAC_QOS_BAD_PEAK:
		snprintf(text, size, "PeakBandwidth is below TokenRate");
		break;
	case WSAC_QOS_ZERO_RATE:
		snprintf(text, size, "TokenRate 0 with a service type that carries traffic");
		break;
	case WSAC_QOS_BAD_OBJECT:
		snprintf(text, size, "malformed or unknown object in ProviderSpecific");
		break;
	case WSAC_QOS_NO_FQ:
		if (ifindex && dev == ifbuf)
			snprintf(text, size, "UDP rate needs the fq qdisc on %s: "
				 "tc qdisc replace dev %s root fq", dev, dev);
		else
			snprintf(text, size, "UDP rate needs the fq qdisc on the "
				 "egress device: tc qdisc replace dev DEV root fq");
		break;
	case WSAC_QOS_NETCTL_RATE:
		snprintf(text, size, "NetworkControl traffic cannot be paced "
			 "(fq does not pace priority 7): use POSITIVE_INFINITY_RATE");
		break;
	case WSAC_QOS_NETCTL_CAP:
		snprintf(text, size, "NetworkControl (SO_PRIORITY 7) needs "
			 "CAP_NET_RAW or CAP_NET_ADMIN in the socket's network namespace");
		break;
	case WSAC_QOS_ADMISSION:
		snprintf(text, size, "Guaranteed TokenRate exceeds the capacity left "
			 "on %s (/proc/net/wsaconnect_admission)", dev);
		break;
	case WSAC_QOS_BAD_SOCKET:
		snprintf(text, size, "QoS needs a TCP or UDP socket");
		break;
	case WSAC_QOS_BAD_ADDRESS:
		snprintf(text, size, "the destination address is not of the "
			 "socket's family (an AF_INET6 socket takes v4-mapped ones)");
		break;
	case WSAC_QOS_NOT_IN_FORCE:
		snprintf(text, size, "the socket no longer carries the options the "
			 "QoS plan set (changed by another thread?)");
		break;
	case WSAC_QOS_USER_SHARE:
		snprintf(text, size, "Guaranteed TokenRate exceeds what is left of "
			 "the socket owner's share of %s's capacity "
			 "(/proc/net/wsaconnect_admission_users)", dev);
		break;
	default:
		snprintf(text, size, "refused by the module (reason %u)", reason);
		break;
	}
}

static void wsac_print(const char *call)
{
	const char *verbose = getenv(WSAC_ENV_VERBOSE);

	if (verbose && strcmp(verbose, "1") == 0)
		fprintf(stderr, "libwsaconnect: %s: %s\n", call, wsac_text);
}

/* A new request: nothing refused yet. */
void wsac_qos_reason_clear(void)
{
	wsac_reason = WSAC_QOS_OK;
	wsac_text[0] = '\0';
}

/**
 * wsac_qos_note() - remember (and maybe print) the module's refusal
 * @call: the Winsock call, for the message ("SIO_SET_QOS", "WSAConnect")
 * @reason: enum wsac_qos_reason
 * @ifindex: the egress device the module named, 0 if none
 */
void wsac_qos_note(const char *call, unsigned int reason, unsigned int ifindex)
{
	wsac_reason = reason;
	wsac_describe(wsac_text, sizeof(wsac_text), reason, ifindex);
	wsac_print(call);
}

/* Remember a refusal the library itself found, with its own sentence. */
void wsac_qos_note_text(const char *call, unsigned int reason, const char *text)
{
	wsac_reason = reason;
	snprintf(wsac_text, sizeof(wsac_text), "%s", text);
	wsac_print(call);
}

unsigned int wsac_qos_last_reason(void)
{
	return wsac_reason;
}

const char *wsac_qos_last_text(void)
{
	return wsac_text;
}
