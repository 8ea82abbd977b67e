/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qossp.h for libwsaconnect: the provider-specific QoS objects of
 * Windows' qossp.h that a Winsock program may pass in a QOS buffer.
 */
#ifndef WSACONNECT_QOSSP_H
#define WSACONNECT_QOSSP_H

#include <qos.h>

struct sockaddr;

#define RSVP_OBJECT_ID_BASE		1000
#define RSVP_OBJECT_STATUS_INFO		(0x00000000 + RSVP_OBJECT_ID_BASE)
#define RSVP_OBJECT_RESERVE_INFO	(0x00000001 + RSVP_OBJECT_ID_BASE)
#define RSVP_OBJECT_ADSPEC		(0x00000002 + RSVP_OBJECT_ID_BASE)
#define RSVP_OBJECT_POLICY_INFO		(0x00000003 + RSVP_OBJECT_ID_BASE)
#define RSVP_OBJECT_FILTERSPEC_LIST	(0x00000004 + RSVP_OBJECT_ID_BASE)

/* Names the destination of an unconnected socket for SIO_SET_QOS. */
typedef struct _QOS_DESTADDR {
	QOS_OBJECT_HDR ObjectHdr;
	const struct sockaddr *SocketAddress;
	ULONG SocketAddressLength;
} QOS_DESTADDR, *LPQOS_DESTADDR;

typedef struct _RSVP_STATUS_INFO {
	QOS_OBJECT_HDR ObjectHdr;
	ULONG StatusCode;
	ULONG ExtendedStatus1;
	ULONG ExtendedStatus2;
} RSVP_STATUS_INFO, *LPRSVP_STATUS_INFO;

/* RSVP reservation styles (RSVP_RESERVE_INFO.Style). */
#define RSVP_DEFAULT_STYLE		0x00000000
#define RSVP_WILDCARD_STYLE		0x00000001
#define RSVP_FIXED_FILTER_STYLE		0x00000002
#define RSVP_SHARED_EXPLICIT_STYLE	0x00000003

/*
 * Linux extension (libwsaconnect only, not in Windows' qossp.h): what
 * SIO_GET_QOS reports as in force on the socket, as one more object in
 * ProviderSpecific, before QOS_OBJECT_END_OF_LIST.  The type number is
 * "WSA" 0x01, far from Windows' ranges; a program written for Windows
 * skips it as an unknown object.  Only SIO_GET_QOS produces it; passed to
 * SIO_SET_QOS it is WSAEINVAL.
 */
#define QOS_OBJECT_WSAC_EFFECTIVE	0x57534101

/* QOS_WSAC_EFFECTIVE.Pacing: how the sending rate is enforced. */
#define QOS_WSAC_PACING_NONE		0	/* no cap, or no destination known yet */
#define QOS_WSAC_PACING_FQ		1	/* the fq qdisc on the egress device */
#define QOS_WSAC_PACING_TCP		2	/* TCP's own pacing (no fq) */

/*
 * Objects in a list are only 4-byte aligned; the 64-bit members are
 * declared 4-byte aligned so that reading this struct in place is valid.
 */
#if defined(__GNUC__) || defined(__clang__)
typedef ULONG64 __attribute__((aligned(4))) WSAC_QOS_ULONG64;
#else
typedef ULONG64 WSAC_QOS_ULONG64;
#endif

typedef struct _QOS_WSAC_EFFECTIVE {
	QOS_OBJECT_HDR ObjectHdr;	/* QOS_OBJECT_WSAC_EFFECTIVE, 48 bytes */
	WSAC_QOS_ULONG64 PacingRate;	/* SO_MAX_PACING_RATE, bytes/s; ~0 = no cap */
	WSAC_QOS_ULONG64 AdmittedRate;	/* bytes/s reserved by admission control */
	ULONG Tos;			/* IP_TOS byte the packets carry */
	ULONG TrafficClass;		/* IPV6_TCLASS byte (0 on AF_INET) */
	ULONG Priority;			/* SO_PRIORITY */
	ULONG ReceiveBuffer;		/* SO_RCVBUF in force, bytes */
	ULONG InterfaceIndex;		/* egress device checked, 0 if none yet */
	ULONG Pacing;			/* QOS_WSAC_PACING_* */
} QOS_WSAC_EFFECTIVE, *LPQOS_WSAC_EFFECTIVE;

#endif /* WSACONNECT_QOSSP_H */
