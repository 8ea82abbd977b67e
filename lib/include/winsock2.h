/* SPDX-License-Identifier: GPL-2.0 */
/*
 * winsock2.h for libwsaconnect: Winsock 2 on Linux sockets.
 *
 * Differences from Windows a port must know (Documentation/library.rst):
 *  - SOCKET is the file descriptor, an int; INVALID_SOCKET is -1, which is
 *    what socket(2) and accept(2) return on failure.
 *  - AF_*, SOL_*, SO_*, MSG_*, POLL*, FIONBIO, FIONREAD, u_long, fd_set and
 *    select() are the C library's, with their Linux values.  ioctlsocket()
 *    also accepts Windows' FIONBIO and FIONREAD numbers.
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

#ifdef __cplusplus
}
#endif

#endif /* WSACONNECT_WINSOCK2_H */
