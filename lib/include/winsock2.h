/* SPDX-License-Identifier: GPL-2.0 */
/*
 * winsock2.h for libwsaconnect: Winsock 2 on Linux sockets.
 *
 * Differences from Windows a port must know (Documentation/library.rst):
 *  - SOCKET is the file descriptor, an int; INVALID_SOCKET is -1, which is
 *    what socket(2) and accept(2) return on failure.
 *  - AF_*, SOL_*, SO_*, MSG_*, POLL*, FIONBIO, FIONREAD, fd_set and
 *    select() are the C library's, with their Linux values.  ioctlsocket()
 *    also accepts Windows' FIONBIO and FIONREAD numbers.
 *  - u_long is Windows' 32-bit ULONG, and accept(), getsockname(),
 *    getpeername(), getsockopt() and recvfrom() take Winsock's int
 *    lengths as well as socklen_t ones (wsaconnect/bsdcompat.h).
 *  - socket() gives Winsock's defaults: AF_INET6 sockets are v6-only.
 *  - IOC_IN, IOC_OUT and IOC_INOUT keep the kernel's meaning; the SIO_*
 *    codes below carry Windows' values.
 *  - After a plain BSD call (recv, send, bind...) fails, WSAGetLastError()
 *    returns the Winsock code for errno.
 */
#ifndef WSACONNECT_WINSOCK2_H
#define WSACONNECT_WINSOCK2_H

/*
 * Windows' winsock2.h declares the whole BSD socket API whatever the
 * language standard; glibc hides getaddrinfo, u_long or POLLRDNORM under
 * a strict -std=c99.  Ask for the default feature set, as a program
 * compiled without -std would get, when the program chose none itself and
 * this is its first system header; otherwise this changes nothing.
 */
#if !defined(_FEATURES_H) && !defined(_GNU_SOURCE) && \
	!defined(_DEFAULT_SOURCE) && !defined(_BSD_SOURCE) && \
	!defined(_SVID_SOURCE) && !defined(_POSIX_C_SOURCE) && \
	!defined(_XOPEN_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

/*
 * Windows programs raise FD_SETSIZE before including winsock2.h; glibc's
 * fd_set is fixed at 1024 descriptors whatever FD_SETSIZE says, so FD_SET()
 * on a descriptor from 1024 on writes past the set.  Say so at build time.
 */
#if defined(FD_SETSIZE) && FD_SETSIZE > 1024
#warning "FD_SETSIZE above 1024 has no effect with glibc: FD_SET() on descriptors >= 1024 overflows fd_set; use WSAPoll()"
#undef FD_SETSIZE
#endif

#include <ws2def.h>
#include <qos.h>
#include <wsaconnect/wsaerror.h>

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The socket is its file descriptor. */
typedef int SOCKET;
#define INVALID_SOCKET		(-1)
#define SOCKET_ERROR		(-1)

/* ioctlsocket() commands as Windows numbers them (_IOW/_IOR('f', ...)). */
#define WSAC_WINDOWS_FIONBIO	0x8004667EU
#define WSAC_WINDOWS_FIONREAD	0x4004667FU

#define WSADESCRIPTION_LEN	256
#define WSASYS_STATUS_LEN	128

/* The member order of Windows' WSADATA differs between Win64 and Win32. */
typedef struct WSAData {
	WORD wVersion;
	WORD wHighVersion;
#if UINTPTR_MAX > 0xffffffffu
	unsigned short iMaxSockets;
	unsigned short iMaxUdpDg;
	char *lpVendorInfo;
	char szDescription[WSADESCRIPTION_LEN + 1];
	char szSystemStatus[WSASYS_STATUS_LEN + 1];
#else
	char szDescription[WSADESCRIPTION_LEN + 1];
	char szSystemStatus[WSASYS_STATUS_LEN + 1];
	unsigned short iMaxSockets;
	unsigned short iMaxUdpDg;
	char *lpVendorInfo;
#endif
} WSADATA, *LPWSADATA;

/* Quality of service for one socket: one FLOWSPEC per direction. */
typedef struct _QualityOfService {
	FLOWSPEC SendingFlowspec;
	FLOWSPEC ReceivingFlowspec;
	WSABUF ProviderSpecific;
} QOS, *LPQOS;

/* Socket groups (reserved by Windows; never created here). */
typedef unsigned int GROUP;
#define SG_UNCONSTRAINED_GROUP	0x01
#define SG_CONSTRAINED_GROUP	0x02

/* shutdown() directions; equal to Linux's SHUT_RD, SHUT_WR, SHUT_RDWR. */
#define SD_RECEIVE		0x00
#define SD_SEND			0x01
#define SD_BOTH			0x02

/* Results of a WSAAccept() condition function. */
#define CF_ACCEPT		0x0000
#define CF_REJECT		0x0001
#define CF_DEFER		0x0002

/* Network events (WSAEventSelect, WSAEnumNetworkEvents). */
#define FD_READ_BIT				0
#define FD_READ					(1 << FD_READ_BIT)
#define FD_WRITE_BIT				1
#define FD_WRITE				(1 << FD_WRITE_BIT)
#define FD_OOB_BIT				2
#define FD_OOB					(1 << FD_OOB_BIT)
#define FD_ACCEPT_BIT				3
#define FD_ACCEPT				(1 << FD_ACCEPT_BIT)
#define FD_CONNECT_BIT				4
#define FD_CONNECT				(1 << FD_CONNECT_BIT)
#define FD_CLOSE_BIT				5
#define FD_CLOSE				(1 << FD_CLOSE_BIT)
#define FD_QOS_BIT				6
#define FD_QOS					(1 << FD_QOS_BIT)
#define FD_GROUP_QOS_BIT			7
#define FD_GROUP_QOS				(1 << FD_GROUP_QOS_BIT)
#define FD_ROUTING_INTERFACE_CHANGE_BIT		8
#define FD_ROUTING_INTERFACE_CHANGE		(1 << FD_ROUTING_INTERFACE_CHANGE_BIT)
#define FD_ADDRESS_LIST_CHANGE_BIT		9
#define FD_ADDRESS_LIST_CHANGE			(1 << FD_ADDRESS_LIST_CHANGE_BIT)
#define FD_MAX_EVENTS				10
#define FD_ALL_EVENTS				((1 << FD_MAX_EVENTS) - 1)

typedef struct _WSANETWORKEVENTS {
	LONG lNetworkEvents;
	int iErrorCode[FD_MAX_EVENTS];
} WSANETWORKEVENTS, *LPWSANETWORKEVENTS;

typedef HANDLE WSAEVENT, *LPWSAEVENT;
#define WSA_INVALID_EVENT		((WSAEVENT)0)
#define WSA_MAXIMUM_WAIT_EVENTS		64
#define WSA_WAIT_EVENT_0		0x00000000U
#define WSA_WAIT_IO_COMPLETION		0x000000C0U
#define WSA_WAIT_TIMEOUT		0x00000102U
#define WSA_WAIT_FAILED			0xFFFFFFFFU
#define WSA_INFINITE			0xFFFFFFFFU

/* Declared so that prototypes match Windows; overlapped I/O is not served. */
typedef struct _WSAOVERLAPPED {
	ULONG_PTR Internal;
	ULONG_PTR InternalHigh;
	DWORD Offset;
	DWORD OffsetHigh;
	WSAEVENT hEvent;
} WSAOVERLAPPED, *LPWSAOVERLAPPED;

typedef void (CALLBACK *LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError,
		DWORD cbTransferred, LPWSAOVERLAPPED lpOverlapped, DWORD dwFlags);

typedef int (CALLBACK *LPCONDITIONPROC)(LPWSABUF lpCallerId,
		LPWSABUF lpCallerData, LPQOS lpSQOS, LPQOS lpGQOS,
		LPWSABUF lpCalleeId, LPWSABUF lpCalleeData, GROUP *g,
		DWORD_PTR dwCallbackData);

/* SOCKET is an int, so Windows' WSAPOLLFD is exactly struct pollfd. */
typedef struct pollfd WSAPOLLFD, *PWSAPOLLFD, *LPWSAPOLLFD;

/*
 * Windows' WSAIoctl code layout.  Its IOC_IN/IOC_OUT/IOC_INOUT names are
 * taken by <asm-generic/ioctl.h> with other values, so they are spelled
 * WSAC_IOC_WIN_* here; the codes built from them are Windows' own.
 */
#define WSAC_IOC_WIN_VOID	0x20000000U
#define WSAC_IOC_WIN_OUT	0x40000000U
#define WSAC_IOC_WIN_IN		0x80000000U
#define WSAC_IOC_WIN_INOUT	(WSAC_IOC_WIN_IN | WSAC_IOC_WIN_OUT)
#ifndef IOC_UNIX
#define IOC_UNIX		0x00000000U
#endif
#ifndef IOC_WS2
#define IOC_WS2			0x08000000U
#endif
#ifndef IOC_PROTOCOL
#define IOC_PROTOCOL		0x10000000U
#endif
#ifndef IOC_VENDOR
#define IOC_VENDOR		0x18000000U
#endif
#define _WSAIO(x, y)		(WSAC_IOC_WIN_VOID | (x) | (y))
#define _WSAIOR(x, y)		(WSAC_IOC_WIN_OUT | (x) | (y))
#define _WSAIOW(x, y)		(WSAC_IOC_WIN_IN | (x) | (y))
#define _WSAIORW(x, y)		(WSAC_IOC_WIN_INOUT | (x) | (y))

#define SIO_GET_QOS		_WSAIORW(IOC_WS2, 7)	/* 0xC8000007 */
#define SIO_GET_GROUP_QOS	_WSAIORW(IOC_WS2, 8)	/* 0xC8000008 */
#define SIO_SET_QOS		_WSAIOW(IOC_WS2, 11)	/* 0x8800000B */
#define SIO_SET_GROUP_QOS	_WSAIOW(IOC_WS2, 12)	/* 0x8800000C */

#define SIO_ASSOCIATE_HANDLE		_WSAIOW(IOC_WS2, 1)
#define SIO_ENABLE_CIRCULAR_QUEUEING	_WSAIO(IOC_WS2, 2)
#define SIO_FIND_ROUTE			_WSAIOR(IOC_WS2, 3)
#define SIO_FLUSH			_WSAIO(IOC_WS2, 4)
#define SIO_GET_BROADCAST_ADDRESS	_WSAIOR(IOC_WS2, 5)
#define SIO_GET_EXTENSION_FUNCTION_POINTER _WSAIORW(IOC_WS2, 6) /* 0xC8000006 */
#define SIO_MULTIPOINT_LOOPBACK		_WSAIOW(IOC_WS2, 9)
#define SIO_MULTICAST_SCOPE		_WSAIOW(IOC_WS2, 10)
#define SIO_QUERY_TARGET_PNP_HANDLE	_WSAIOR(IOC_WS2, 24)
#define SIO_ADDRESS_LIST_QUERY		_WSAIOR(IOC_WS2, 22)
#define SIO_ADDRESS_LIST_CHANGE		_WSAIO(IOC_WS2, 23)
#define SIO_ADDRESS_LIST_SORT		_WSAIORW(IOC_WS2, 25)	/* 0xC8000019 */
#define SIO_ROUTING_INTERFACE_QUERY	_WSAIORW(IOC_WS2, 20)
#define SIO_ROUTING_INTERFACE_CHANGE	_WSAIOW(IOC_WS2, 21)

/* The GUID of WSAPoll, the one extension function served here. */
#define WSAID_WSAPOLL \
	{ 0x18C76F85, 0xDC66, 0x4964, { 0x97, 0x2E, 0x23, 0xC2, 0x72, 0x38, 0x31, 0x2B } }
typedef int (WSAAPI *LPFN_WSAPOLL)(LPWSAPOLLFD fdarray, ULONG nfds, INT timeout);

typedef struct timeval TIMEVAL, *PTIMEVAL, *LPTIMEVAL;
typedef struct hostent HOSTENT, *PHOSTENT, *LPHOSTENT;
typedef struct servent SERVENT, *PSERVENT, *LPSERVENT;
typedef struct protoent PROTOENT, *PPROTOENT, *LPPROTOENT;
typedef struct linger LINGER, *PLINGER, *LPLINGER;
typedef fd_set FD_SET, *PFD_SET, *LPFD_SET;

/*
 * SOL_SOCKET options Linux does not have.  The values are Windows'
 * definitions over Linux's SO_LINGER and SO_REUSEADDR (negative, so no
 * Linux option has them); setsockopt() and getsockopt() from a file that
 * includes this header hand them to the library, every other option goes
 * to the C library untouched (wsaconnect/bsdcompat.h,
 * Documentation/library.rst).
 */
#define SO_DONTLINGER		((int)(~SO_LINGER))
#define SO_EXCLUSIVEADDRUSE	((int)(~SO_REUSEADDR))
#define SO_CONDITIONAL_ACCEPT	0x3002
/* Read-only: the socket's WSAEnumProtocols entry and its dwMessageSize. */
#define SO_MAX_MSG_SIZE		0x2003
#define SO_PROTOCOL_INFOA	0x2004
#define SO_PROTOCOL_INFOW	0x2005
#ifdef UNICODE
#define SO_PROTOCOL_INFO	SO_PROTOCOL_INFOW
#else
#define SO_PROTOCOL_INFO	SO_PROTOCOL_INFOA
#endif
#define WSAC_WINSOCK_SOCKOPT(level, name) \
	((level) == SOL_SOCKET && ((name) == SO_DONTLINGER || \
				   (name) == SO_EXCLUSIVEADDRUSE || \
				   (name) == SO_CONDITIONAL_ACCEPT || \
				   ((name) >= SO_MAX_MSG_SIZE && \
				    (name) <= SO_PROTOCOL_INFOW)))

/* bind()'s wildcard as Winsock 1 spelled it. */
#define ADDR_ANY		INADDR_ANY

/*
 * 64-bit byte order, as <winsock2.h> declares it since Windows 8.  Not
 * over a program's own htonll/ntohll macros.
 */
#ifndef htonll
static inline ULONGLONG htonll(ULONGLONG v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	return ((v & 0xffULL) << 56) | ((v & 0xff00ULL) << 40) |
	       ((v & 0xff0000ULL) << 24) | ((v & 0xff000000ULL) << 8) |
	       ((v >> 8) & 0xff000000ULL) | ((v >> 24) & 0xff0000ULL) |
	       ((v >> 40) & 0xff00ULL) | (v >> 56);
#endif
}
#endif
#ifndef ntohll
static inline ULONGLONG ntohll(ULONGLONG v)
{
	return htonll(v);
}
#endif

/* listen()'s backlog as Windows spells "as many as possible" and hints. */
#define SOMAXCONN_HINT(b)	(-(b))

/* WSASocket() flags. */
#define WSA_FLAG_OVERLAPPED		0x01
#define WSA_FLAG_MULTIPOINT_C_ROOT	0x02
#define WSA_FLAG_MULTIPOINT_C_LEAF	0x04
#define WSA_FLAG_MULTIPOINT_D_ROOT	0x08
#define WSA_FLAG_MULTIPOINT_D_LEAF	0x10
#define WSA_FLAG_ACCESS_SYSTEM_SECURITY	0x40
#define WSA_FLAG_NO_HANDLE_INHERIT	0x80
#define WSA_FLAG_REGISTERED_IO		0x100

/* WSAJoinLeaf() roles. */
#define JL_SENDER_ONLY		0x01
#define JL_RECEIVER_ONLY	0x02
#define JL_BOTH			0x04

/* WSASend/WSARecv flags Linux lacks (MSG_OOB, MSG_PEEK, MSG_DONTROUTE,
 * MSG_WAITALL are the C library's, with the same values as Windows'). */
#define MSG_PARTIAL		0x8000

/* Protocol information (WSAEnumProtocols, WSASocket). */
#define MAX_PROTOCOL_CHAIN	7
#define BASE_PROTOCOL		1
#define LAYERED_PROTOCOL	0
#define WSAPROTOCOL_LEN		255

typedef struct _WSAPROTOCOLCHAIN {
	int ChainLen;
	DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN, *LPWSAPROTOCOLCHAIN;

typedef struct _WSAPROTOCOL_INFOA {
	DWORD dwServiceFlags1;
	DWORD dwServiceFlags2;
	DWORD dwServiceFlags3;
	DWORD dwServiceFlags4;
	DWORD dwProviderFlags;
	GUID ProviderId;
	DWORD dwCatalogEntryId;
	WSAPROTOCOLCHAIN ProtocolChain;
	int iVersion;
	int iAddressFamily;
	int iMaxSockAddr;
	int iMinSockAddr;
	int iSocketType;
	int iProtocol;
	int iProtocolMaxOffset;
	int iNetworkByteOrder;
	int iSecurityScheme;
	DWORD dwMessageSize;
	DWORD dwProviderReserved;
	CHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;

typedef struct _WSAPROTOCOL_INFOW {
	DWORD dwServiceFlags1;
	DWORD dwServiceFlags2;
	DWORD dwServiceFlags3;
	DWORD dwServiceFlags4;
	DWORD dwProviderFlags;
	GUID ProviderId;
	DWORD dwCatalogEntryId;
	WSAPROTOCOLCHAIN ProtocolChain;
	int iVersion;
	int iAddressFamily;
	int iMaxSockAddr;
	int iMinSockAddr;
	int iSocketType;
	int iProtocol;
	int iProtocolMaxOffset;
	int iNetworkByteOrder;
	int iSecurityScheme;
	DWORD dwMessageSize;
	DWORD dwProviderReserved;
	WCHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;

#ifdef UNICODE
typedef WSAPROTOCOL_INFOW WSAPROTOCOL_INFO;
typedef LPWSAPROTOCOL_INFOW LPWSAPROTOCOL_INFO;
#else
typedef WSAPROTOCOL_INFOA WSAPROTOCOL_INFO;
typedef LPWSAPROTOCOL_INFOA LPWSAPROTOCOL_INFO;
#endif

/* Take af, type or protocol from the WSAPROTOCOL_INFO given to WSASocket. */
#define FROM_PROTOCOL_INFO	(-1)

#define PFL_MULTIPLE_PROTO_ENTRIES	0x00000001
#define PFL_RECOMMENDED_PROTO_ENTRY	0x00000002
#define PFL_HIDDEN			0x00000004
#define PFL_MATCHES_PROTOCOL_ZERO	0x00000008
#define PFL_NETWORKDIRECT_PROVIDER	0x00000010

#define XP1_CONNECTIONLESS		0x00000001
#define XP1_GUARANTEED_DELIVERY		0x00000002
#define XP1_GUARANTEED_ORDER		0x00000004
#define XP1_MESSAGE_ORIENTED		0x00000008
#define XP1_PSEUDO_STREAM		0x00000010
#define XP1_GRACEFUL_CLOSE		0x00000020
#define XP1_EXPEDITED_DATA		0x00000040
#define XP1_CONNECT_DATA		0x00000080
#define XP1_DISCONNECT_DATA		0x00000100
#define XP1_SUPPORT_BROADCAST		0x00000200
#define XP1_SUPPORT_MULTIPOINT		0x00000400
#define XP1_MULTIPOINT_CONTROL_PLANE	0x00000800
#define XP1_MULTIPOINT_DATA_PLANE	0x00001000
#define XP1_QOS_SUPPORTED		0x00002000
#define XP1_INTERRUPT			0x00004000
#define XP1_UNI_SEND			0x00008000
#define XP1_UNI_RECV			0x00010000
#define XP1_IFS_HANDLES			0x00020000
#define XP1_PARTIAL_MESSAGE		0x00040000
#define XP1_SAN_SUPPORT_SDP		0x00080000

#define BIGENDIAN			0x0000
#define LITTLEENDIAN			0x0001
#define SECURITY_PROTOCOL_NONE		0x0000

int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
int WSAAPI WSACleanup(void);
int WSAAPI WSAGetLastError(void);
void WSAAPI WSASetLastError(int iError);

int WSAAPI closesocket(SOCKET s);
/* argp is a u_long *; spelled out so no feature macro is needed. */
int WSAAPI ioctlsocket(SOCKET s, long cmd, unsigned long *argp);

int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen,
		      LPWSABUF lpCallerData, LPWSABUF lpCalleeData,
		      LPQOS lpSQOS, LPQOS lpGQOS);
BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPCSTR nodename, LPCSTR servicename,
			      LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
			      LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
			      const struct timeval *timeout,
			      LPWSAOVERLAPPED Reserved);
BOOL WSAAPI WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST SocketAddress,
			     LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
			     LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
			     const struct timeval *timeout,
			     LPWSAOVERLAPPED Reserved);
SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
			LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData);

int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
		    DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
		    LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
		    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);

WSAEVENT WSAAPI WSACreateEvent(void);
BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent);
BOOL WSAAPI WSASetEvent(WSAEVENT hEvent);
BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent);
int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents);
DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents,
				      BOOL fWaitAll, DWORD dwTimeout,
				      BOOL fAlertable);
int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
				LPWSANETWORKEVENTS lpNetworkEvents);

/*
 * Sockets.  WSASocketA/W accept WSA_FLAG_OVERLAPPED (the socket works as
 * any other; overlapped calls on it fail with WSAEOPNOTSUPP) and
 * WSA_FLAG_NO_HANDLE_INHERIT (close-on-exec); multipoint and registered
 * I/O flags fail with WSAEOPNOTSUPP.  AF_INET6 sockets made through the
 * Winsock API are v6-only, Windows' default (Documentation/porting.rst).
 */
SOCKET WSAAPI WSASocketA(int af, int type, int protocol,
			 LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags);
SOCKET WSAAPI WSASocketW(int af, int type, int protocol,
			 LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags);
/* socket() as a program including this header calls it (see below). */
SOCKET WSAAPI wsac_winsock_socket(int af, int type, int protocol);
SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen,
			  LPWSABUF lpCallerData, LPWSABUF lpCalleeData,
			  LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags);

/* Scatter/gather I/O; lpOverlapped/lpCompletionRoutine: WSAEOPNOTSUPP. */
int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
		   LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
		   LPWSAOVERLAPPED lpOverlapped,
		   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
		     LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
		     const struct sockaddr *lpTo, int iTolen,
		     LPWSAOVERLAPPED lpOverlapped,
		     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
		   LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
		   LPWSAOVERLAPPED lpOverlapped,
		   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
		       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
		       struct sockaddr *lpFrom, LPINT lpFromlen,
		       LPWSAOVERLAPPED lpOverlapped,
		       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

/* Addresses as text: "1.2.3.4:80", "[fe80::1%2]:80", "::1". */
INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
			       LPWSAPROTOCOL_INFOA lpProtocolInfo,
			       LPSTR lpszAddressString,
			       LPDWORD lpdwAddressStringLength);
INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
			       LPWSAPROTOCOL_INFOW lpProtocolInfo,
			       LPWSTR lpszAddressString,
			       LPDWORD lpdwAddressStringLength);
INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
			       LPWSAPROTOCOL_INFOA lpProtocolInfo,
			       LPSOCKADDR lpAddress, LPINT lpAddressLength);
INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
			       LPWSAPROTOCOL_INFOW lpProtocolInfo,
			       LPSOCKADDR lpAddress, LPINT lpAddressLength);

BOOL WSAAPI WSAConnectByNameW(SOCKET s, LPWSTR nodename, LPWSTR servicename,
			      LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
			      LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
			      const struct timeval *timeout,
			      LPWSAOVERLAPPED Reserved);

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols,
			     LPWSAPROTOCOL_INFOA lpProtocolBuffer,
			     LPDWORD lpdwBufferLength);
int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols,
			     LPWSAPROTOCOL_INFOW lpProtocolBuffer,
			     LPDWORD lpdwBufferLength);
BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS);

/*
 * Sharing a socket with another process (libwsaconnect 1.2): the target
 * passes the WSAPROTOCOL_INFO to WSASocket(FROM_PROTOCOL_INFO, ...) once.
 * The source keeps its socket open until then; another process needs
 * pidfd_getfd(2) (Linux 5.6) and ptrace access to the source, else
 * WSASocket fails with WSAEOPNOTSUPP or WSAEACCES (WSADuplicateSocket(3)).
 */
int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId,
			       LPWSAPROTOCOL_INFOA lpProtocolInfo);
int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId,
			       LPWSAPROTOCOL_INFOW lpProtocolInfo);

/*
 * The Winsock-only socket options above (libwsaconnect 1.3), for the
 * setsockopt()/getsockopt() wrappers of wsaconnect/bsdcompat.h; any other
 * option is passed to the C library.
 */
int WSAAPI wsac_winsock_setsockopt(SOCKET s, int level, int optname,
				   const char *optval, int optlen);
int WSAAPI wsac_winsock_getsockopt(SOCKET s, int level, int optname,
				   char *optval, int *optlen);

/* Byte order for the socket's provider: network order, big-endian (1.3). */
int WSAAPI WSAHtons(SOCKET s, USHORT hostshort, USHORT *lpnetshort);
int WSAAPI WSAHtonl(SOCKET s, ULONG hostlong, ULONG *lpnetlong);
int WSAAPI WSANtohs(SOCKET s, USHORT netshort, USHORT *lphostshort);
int WSAAPI WSANtohl(SOCKET s, ULONG netlong, ULONG *lphostlong);

/*
 * Half-closes (1.3): shutdown(SD_SEND) and shutdown(SD_RECEIVE).  TCP/IP
 * has no disconnect data: a non-NULL buffer is WSAENOPROTOOPT.
 */
int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData);
int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData);

#ifdef UNICODE
#define WSASocket		WSASocketW
#define WSAAddressToString	WSAAddressToStringW
#define WSAStringToAddress	WSAStringToAddressW
#define WSAConnectByName	WSAConnectByNameW
#define WSAEnumProtocols	WSAEnumProtocolsW
#define WSADuplicateSocket	WSADuplicateSocketW
#else
#define WSASocket		WSASocketA
#define WSAAddressToString	WSAAddressToStringA
#define WSAStringToAddress	WSAStringToAddressA
#define WSAConnectByName	WSAConnectByNameA
#define WSAEnumProtocols	WSAEnumProtocolsA
#define WSADuplicateSocket	WSADuplicateSocketA
#endif

#ifdef __cplusplus
}
#endif

/* Winsock's prototypes for the BSD calls: int lengths, 32-bit u_long. */
#include <wsaconnect/bsdcompat.h>

#endif /* WSACONNECT_WINSOCK2_H */
