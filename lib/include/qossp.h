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

/* Filter specs of an RSVP reservation (RSVP_FILTERSPEC.Type). */
typedef union _IN_ADDR_IPV4 {
	ULONG Addr;
	UCHAR AddrBytes[4];
} IN_ADDR_IPV4, *LPIN_ADDR_IPV4;

typedef struct _IN_ADDR_IPV6 {
	UCHAR Addr[16];
} IN_ADDR_IPV6, *LPIN_ADDR_IPV6;
typedef const IN_ADDR_IPV6 *LPCIN_ADDR_IPV6;

typedef struct _RSVP_FILTERSPEC_V4 {
	IN_ADDR_IPV4 Address;
	USHORT Unused;
	USHORT Port;
} RSVP_FILTERSPEC_V4, *LPRSVP_FILTERSPEC_V4;

typedef struct _RSVP_FILTERSPEC_V6 {
	IN_ADDR_IPV6 Address;
	USHORT UnUsed;
	USHORT Port;
} RSVP_FILTERSPEC_V6, *LPRSVP_FILTERSPEC_V6;

typedef struct _RSVP_FILTERSPEC_V6_FLOW {
	IN_ADDR_IPV6 Address;
	UCHAR UnUsed;
	UCHAR FlowLabel[3];
} RSVP_FILTERSPEC_V6_FLOW, *LPRSVP_FILTERSPEC_V6_FLOW;

typedef struct _RSVP_FILTERSPEC_V4_GPI {
	IN_ADDR_IPV4 Address;
	ULONG GeneralPortId;
} RSVP_FILTERSPEC_V4_GPI, *LPRSVP_FILTERSPEC_V4_GPI;

typedef struct _RSVP_FILTERSPEC_V6_GPI {
	IN_ADDR_IPV6 Address;
	ULONG GeneralPortId;
} RSVP_FILTERSPEC_V6_GPI, *LPRSVP_FILTERSPEC_V6_GPI;

typedef enum {
	FILTERSPECV4 = 1,
	FILTERSPECV6,
	FILTERSPECV6_FLOW,
	FILTERSPECV4_GPI,
	FILTERSPECV6_GPI,
	FILTERSPEC_END
} FilterType;

typedef struct _RSVP_FILTERSPEC {
	FilterType Type;
	union {
		RSVP_FILTERSPEC_V4 FilterSpecV4;
		RSVP_FILTERSPEC_V6 FilterSpecV6;
		RSVP_FILTERSPEC_V6_FLOW FilterSpecV6Flow;
		RSVP_FILTERSPEC_V4_GPI FilterSpecV4Gpi;
		RSVP_FILTERSPEC_V6_GPI FilterSpecV6Gpi;
	} u;
} RSVP_FILTERSPEC, *LPRSVP_FILTERSPEC;

typedef struct _FLOWDESCRIPTOR {
	FLOWSPEC FlowSpec;
	ULONG NumFilters;
	LPRSVP_FILTERSPEC FilterList;
} FLOWDESCRIPTOR, *LPFLOWDESCRIPTOR;

/* One policy element; Len covers the header and Info. */
typedef struct _RSVP_POLICY {
	USHORT Len;
	USHORT Type;
	UCHAR Info[4];
} RSVP_POLICY, *LPRSVP_POLICY;
typedef const RSVP_POLICY *LPCRSVP_POLICY;

typedef struct _RSVP_POLICY_INFO {
	QOS_OBJECT_HDR ObjectHdr;	/* RSVP_OBJECT_POLICY_INFO */
	ULONG NumPolicyElement;
	RSVP_POLICY PolicyElement[1];
} RSVP_POLICY_INFO, *LPRSVP_POLICY_INFO;

typedef struct _RSVP_RESERVE_INFO {
	QOS_OBJECT_HDR ObjectHdr;	/* RSVP_OBJECT_RESERVE_INFO */
	ULONG Style;			/* RSVP_*_STYLE */
	ULONG ConfirmRequest;
	LPRSVP_POLICY_INFO PolicyElementList;
	ULONG NumFlowDesc;
	LPFLOWDESCRIPTOR FlowDescList;
} RSVP_RESERVE_INFO, *LPRSVP_RESERVE_INFO;
typedef const RSVP_RESERVE_INFO *LPCRSVP_RESERVE_INFO;

/* Path characteristics an RSVP ADSPEC carries. */
#define AD_FLAG_BREAK_BIT	0x00000001

typedef struct _AD_GENERAL_PARAMS {
	ULONG IntServAwareHopCount;
	ULONG PathBandwidthEstimate;
	ULONG MinimumLatency;
	ULONG PathMTU;
	ULONG Flags;
} AD_GENERAL_PARAMS, *LPAD_GENERAL_PARAMS;

typedef struct _AD_GUARANTEED {
	ULONG CTotal;
	ULONG DTotal;
	ULONG CSum;
	ULONG DSum;
} AD_GUARANTEED, *LPAD_GUARANTEED;

typedef struct _PARAM_BUFFER {
	ULONG ParameterId;
	ULONG Length;
	UCHAR Buffer[1];
} PARAM_BUFFER, *LPPARAM_BUFFER;

typedef struct _CONTROL_SERVICE {
	ULONG Length;
	SERVICETYPE Service;
	AD_GENERAL_PARAMS Overrides;
	union {
		AD_GUARANTEED Guaranteed;
		PARAM_BUFFER ParamBuffer[1];
	} u;
} CONTROL_SERVICE, *LPCONTROL_SERVICE;

typedef struct _RSVP_ADSPEC {
	QOS_OBJECT_HDR ObjectHdr;	/* RSVP_OBJECT_ADSPEC */
	AD_GENERAL_PARAMS GeneralParams;
	ULONG NumberOfServices;
	CONTROL_SERVICE Services[1];
} RSVP_ADSPEC, *LPRSVP_ADSPEC;

/*
 * What this library does with them: RSVP_RESERVE_INFO, RSVP_POLICY_INFO,
 * RSVP_ADSPEC and RSVP_STATUS_INFO in a QOS buffer given to SIO_SET_QOS,
 * WSAConnect or WSAAccept are checked for bounds (ObjectLength at least 8,
 * a multiple of 4, inside the buffer) and otherwise ignored: Linux has no
 * RSVP, so nothing is signalled and no reservation style or filter is
 * applied; the FLOWSPECs alone shape the traffic (Documentation/qos.rst).
 * SIO_GET_QOS never returns them.
 */

/*
 * SIO_CHK_QOS: ask the QoS provider a question.  In: a DWORD, one of the
 * requests below; out: a DWORD answer.
 */
#define mIOC_IN			0x80000000U
#define mIOC_OUT		0x40000000U
#define mIOC_VENDOR		0x04000000U
#define mCOMPANY		0x18000000U
#define SIO_CHK_QOS		(mIOC_IN | mIOC_OUT | mIOC_VENDOR | mCOMPANY | 0x00000001U)	/* 0xDC000001 */

#define QOSSPBASE		50000
#define ALLOWED_TO_SEND_DATA	(QOSSPBASE + 1)	/* may this socket send now? */
#define ABLE_TO_RECV_RSVP	(QOSSPBASE + 2)	/* does RSVP reach this host? */
#define LINE_RATE		(QOSSPBASE + 3)	/* the interface's rate, kbit/s */
#define LOCAL_TRAFFIC_CONTROL	(QOSSPBASE + 4)	/* is traffic control installed? */
#define LOCAL_QOSABILITY	(QOSSPBASE + 5)	/* can this host provide QoS? */
#define END_TO_END_QOSABILITY	(QOSSPBASE + 6)	/* can the path provide QoS? */
#define INFO_NOT_AVAILABLE	0xFFFFFFFFU
#define ANY_DEST_ADDR		0xFFFFFFFFU
#define MODERATELY_DELAY_SENSITIVE	0xFFFFFFFDU
#define HIGHLY_DELAY_SENSITIVE		0xFFFFFFFEU

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
