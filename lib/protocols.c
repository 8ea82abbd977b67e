// SPDX-License-Identifier: GPL-2.0
/*
 * WSAEnumProtocolsA/W: the four transport providers a Linux host gives a
 * Winsock program -- TCP and UDP over IPv4 and IPv6 -- with Windows' flags
 * for them, plus XP1_QOS_SUPPORTED, since WSAConnect(lpSQOS) and
 * SIO_SET_QOS work on all four.  WSAGetQOSByName: a few named templates.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include "internal.h"

struct wsac_proto {
	DWORD flags;
	int family, type, protocol, maxaddr, minaddr;
	DWORD msgsize;
	const char *name;
};

#define WSAC_TCP_FLAGS	(XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | \
			 XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA | \
			 XP1_IFS_HANDLES | XP1_QOS_SUPPORTED)
#define WSAC_UDP_FLAGS	(XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | \
			 XP1_SUPPORT_BROADCAST | XP1_IFS_HANDLES | \
			 XP1_QOS_SUPPORTED)

static const struct wsac_proto wsac_protos[] = {
	{ WSAC_TCP_FLAGS, AF_INET, SOCK_STREAM, IPPROTO_TCP,
	  sizeof(struct sockaddr_in), sizeof(struct sockaddr_in), 0,
	  "libwsaconnect TCP/IP" },
	{ WSAC_UDP_FLAGS, AF_INET, SOCK_DGRAM, IPPROTO_UDP,
	  sizeof(struct sockaddr_in), sizeof(struct sockaddr_in), 65507,
	  "libwsaconnect UDP/IP" },
	{ WSAC_TCP_FLAGS, AF_INET6, SOCK_STREAM, IPPROTO_TCP,
	  sizeof(struct sockaddr_in6), sizeof(struct sockaddr_in6), 0,
	  "libwsaconnect TCP/IPv6" },
	{ WSAC_UDP_FLAGS & ~(DWORD)XP1_SUPPORT_BROADCAST, AF_INET6, SOCK_DGRAM,
	  IPPROTO_UDP, sizeof(struct sockaddr_in6), sizeof(struct sockaddr_in6),
	  65527, "libwsaconnect UDP/IPv6" },
};

/* "wsaconnect" in the provider GUID, so that it is recognisably ours. */
static const GUID wsac_provider = {
	0x77736163, 0x6f6e, 0x6e65, { 0x63, 0x74, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 }
};

static bool wsac_wanted(const int *list, int protocol)
{
	if (!list)
		return true;
	for (; *list; list++)
		if (*list == protocol)
			return true;
	return false;
}

/* Fill @out (A if !wide) with the selected entries; their count. */
#define WSAC_FILL(info, p, i)						\
	do {								\
		memset(info, 0, sizeof(*(info)));			\
		(info)->dwServiceFlags1 = (p)->flags;			\
		(info)->dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;	\
		(info)->ProviderId = wsac_provider;			\
		(info)->dwCatalogEntryId = 1001 + (DWORD)(i);		\
		(info)->ProtocolChain.ChainLen = BASE_PROTOCOL;		\
		(info)->iVersion = 2;					\
		(info)->iAddressFamily = (p)->family;			\
		(info)->iMaxSockAddr = (p)->maxaddr;			\
		(info)->iMinSockAddr = (p)->minaddr;			\
		(info)->iSocketType = (p)->type;			\
		(info)->iProtocol = (p)->protocol;			\
		(info)->iNetworkByteOrder = BIGENDIAN;			\
		(info)->iSecurityScheme = SECURITY_PROTOCOL_NONE;	\
		(info)->dwMessageSize = (p)->msgsize;			\
	} while (0)

static int wsac_enum(const int *lpi, void *buf, LPDWORD lenp, bool wide)
{
	int list[64], n = 0, count = 0;
	size_t esize = wide ? sizeof(WSAPROTOCOL_INFOW) : sizeof(WSAPROTOCOL_INFOA);
	DWORD cap, need;
	size_t i;

	if (!wsac_started())
		return wsac_fail(WSANOTINITIALISED, 0);
	if (!lenp || wsac_copy_from_caller(&cap, lenp, sizeof(cap)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (lpi) {
		do {
			if (n == (int)WSAC_ARRAY_SIZE(list) ||
			    wsac_copy_from_caller(&list[n], &lpi[n], sizeof(int)))
				return wsac_fail(WSAEFAULT, EFAULT);
		} while (list[n++]);
	}
	for (i = 0; i < WSAC_ARRAY_SIZE(wsac_protos); i++)
		if (wsac_wanted(lpi ? list : NULL, wsac_protos[i].protocol))
			count++;
	need = (DWORD)(count * esize);
	if (!buf || cap < need) {
		if (wsac_copy_to_caller(lenp, &need, sizeof(need)))
			return wsac_fail(WSAEFAULT, EFAULT);
		return wsac_fail(WSAENOBUFS, ENOBUFS);
	}
	count = 0;
	for (i = 0; i < WSAC_ARRAY_SIZE(wsac_protos); i++) {
		const struct wsac_proto *p = &wsac_protos[i];
		int rc;

		if (!wsac_wanted(lpi ? list : NULL, p->protocol))
			continue;
		if (wide) {
			WSAPROTOCOL_INFOW w;

			WSAC_FILL(&w, p, i);
			mbstowcs(w.szProtocol, p->name, WSAPROTOCOL_LEN);
			rc = wsac_copy_to_caller((char *)buf + count * esize, &w, esize);
		} else {
			WSAPROTOCOL_INFOA a;

			WSAC_FILL(&a, p, i);
			strncpy(a.szProtocol, p->name, WSAPROTOCOL_LEN);
			rc = wsac_copy_to_caller((char *)buf + count * esize, &a, esize);
		}
		if (rc)
			return wsac_fail(WSAEFAULT, EFAULT);
		count++;
	}
	return count;
}

WSAC_EXPORT int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols,
					 LPWSAPROTOCOL_INFOA lpProtocolBuffer,
					 LPDWORD lpdwBufferLength)
{
	return wsac_enum(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, false);
}

WSAC_EXPORT int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols,
					 LPWSAPROTOCOL_INFOW lpProtocolBuffer,
					 LPDWORD lpdwBufferLength)
{
	return wsac_enum(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, true);
}

/*
 * QoS templates by name.  Windows' table is not reproduced: these are
 * this library's values for the codecs the names stand for (bytes/s and
 * bytes, RTP/UDP/IP overhead included), in the sending and receiving
 * FLOWSPEC alike.
 */
struct wsac_qos_template {
	const char *name;
	ULONG rate, bucket, peak, sdu, policed;
	SERVICETYPE service;
};

static const struct wsac_qos_template wsac_templates[] = {
	{ "G711",	11200,  280,  11200,  280,  280, SERVICETYPE_GUARANTEED },
	{ "G723.1",	 2600,   64,   2600,   64,   64, SERVICETYPE_GUARANTEED },
	{ "G729",	 3200,   80,   3200,   80,   80, SERVICETYPE_GUARANTEED },
	{ "GSM6.10",	 4100,  112,   4100,  112,  112, SERVICETYPE_GUARANTEED },
	{ "H261CIF",	32000, 1500,  64000, 1500,  128, SERVICETYPE_CONTROLLEDLOAD },
	{ "H261QCIF",	16000, 1500,  32000, 1500,  128, SERVICETYPE_CONTROLLEDLOAD },
	{ "H263CIF",	32000, 1500,  64000, 1500,  128, SERVICETYPE_CONTROLLEDLOAD },
	{ "H263QCIF",	16000, 1500,  32000, 1500,  128, SERVICETYPE_CONTROLLEDLOAD },
};

WSAC_EXPORT BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS)
{
	char name[32];
	int rc;
	WSABUF nb;
	size_t i;
	QOS q;

	rc = wsac_socket_call_check(s);
	if (rc) {
		wsac_fail(rc, wsac_code_errno(rc));
		return FALSE;
	}
	if (!lpQOSName || !lpQOS || wsac_copy_from_caller(&nb, lpQOSName, sizeof(nb)) ||
	    !nb.buf) {
		wsac_fail(WSAEFAULT, EFAULT);
		return FALSE;
	}
	memset(name, 0, sizeof(name));
	for (i = 0; i + 1 < sizeof(name); i++) {
		if (wsac_copy_from_caller(&name[i], nb.buf + i, 1)) {
			wsac_fail(WSAEFAULT, EFAULT);
			return FALSE;
		}
		if (!name[i])
			break;
	}
	for (i = 0; i < WSAC_ARRAY_SIZE(wsac_templates); i++) {
		const struct wsac_qos_template *t = &wsac_templates[i];
		FLOWSPEC f;

		if (strcmp(name, t->name))
			continue;
		f.TokenRate = t->rate;
		f.TokenBucketSize = t->bucket;
		f.PeakBandwidth = t->peak;
		f.Latency = QOS_NOT_SPECIFIED;
		f.DelayVariation = QOS_NOT_SPECIFIED;
		f.ServiceType = t->service;
		f.MaxSduSize = t->sdu;
		f.MinimumPolicedSize = t->policed;
		memset(&q, 0, sizeof(q));
		q.SendingFlowspec = f;
		q.ReceivingFlowspec = f;
		if (wsac_copy_to_caller(lpQOS, &q, sizeof(q))) {
			wsac_fail(WSAEFAULT, EFAULT);
			return FALSE;
		}
		return TRUE;
	}
	wsac_fail(WSAEINVAL, EINVAL);
	return FALSE;
}
