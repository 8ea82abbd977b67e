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

#endif /* WSACONNECT_QOSSP_H */
