/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ws2tcpip.h for libwsaconnect: getaddrinfo() and friends are the C
 * library's (their EAI_* codes are glibc's too); this adds Windows' names
 * for them and the wide-character variants.
 */
#ifndef WSACONNECT_WS2TCPIP_H
#define WSACONNECT_WS2TCPIP_H

#include <winsock2.h>

#include <netdb.h>
#include <arpa/inet.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sockaddr_in6 SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH,
	*LPSOCKADDR_IN6_LH;
typedef struct ip_mreq IP_MREQ, *PIP_MREQ;

/*
 * Windows' TCP_KEEPALIVE is the idle time in seconds before the first
 * probe: Linux's TCP_KEEPIDLE (TCP_KEEPCNT and TCP_KEEPINTVL are Linux's
 * own, with Windows' meaning).
 */
#ifndef TCP_KEEPALIVE
#define TCP_KEEPALIVE	TCP_KEEPIDLE
#endif

/*
 * glibc declares EAI_NODATA only for _GNU_SOURCE; getaddrinfo() may still
 * return it, so Winsock code that names it sees glibc's value.
 */
#ifndef EAI_NODATA
#define EAI_NODATA	(-5)
#endif

/* The port of a SOCKADDR_STORAGE (or any sockaddr) holding v4 or v6. */
#ifndef SS_PORT
#define SS_PORT(ss)	(((PSOCKADDR_IN)(ss))->sin_port)
#endif
typedef struct ipv6_mreq IPV6_MREQ, *PIPV6_MREQ;

/*
 * GetAddrInfoA is getaddrinfo() and returns its EAI_* code (glibc's
 * values, which the EAI_* names a program compares with are), and also
 * sets WSAGetLastError() to Windows' code for it (WSAHOST_NOT_FOUND...).
 * GetAddrInfoW converts the names from wchar_t to UTF-8 and the canonical
 * name back; its list is freed with FreeAddrInfoW.
 */
INT WSAAPI GetAddrInfoA(PCSTR pNodeName, PCSTR pServiceName,
			const ADDRINFOA *pHints, PADDRINFOA *ppResult);
INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName,
			const ADDRINFOW *pHints, PADDRINFOW *ppResult);
VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo);
/* Object-like, so that &FreeAddrInfoA and &InetPtonA work too. */
#define FreeAddrInfoA		freeaddrinfo

/*
 * getnameinfo() under Windows' names; GetNameInfoW (1.3) widens the names
 * and, like GetAddrInfoW, returns glibc's EAI_* code and sets
 * WSAGetLastError() (WSAEFAULT for a buffer too small).
 */
#define GetNameInfoA	getnameinfo
INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength,
			PWCHAR pNodeBuffer, DWORD NodeBufferSize,
			PWCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags);

/* Text to binary addresses and back; the W forms take wchar_t text. */
#define InetPtonA			inet_pton
#define InetNtopA(f, a, s, n)		inet_ntop(f, a, s, (socklen_t)(n))
INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf);
PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf,
			size_t StringBufSize);

/*
 * The IPv6 address helpers Windows declares with <ws2tcpip.h> (the
 * IN6_IS_ADDR_* tests and IN6ADDR_ANY_INIT, IN6ADDR_LOOPBACK_INIT are the
 * C library's); compared with mingw-w64's by tests/mstcpip-check.c.
 */
static inline void IN6_SET_ADDR_UNSPECIFIED(IN6_ADDR *a)
{
	memset(a, 0, sizeof(*a));
}

static inline void IN6_SET_ADDR_LOOPBACK(IN6_ADDR *a)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[15] = 1;
}

static inline BOOL IN6ADDR_ISANY(const SOCKADDR_IN6 *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
}

static inline BOOL IN6ADDR_ISLOOPBACK(const SOCKADDR_IN6 *a)
{
	return IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
}

static inline void IN6ADDR_SETANY(PSOCKADDR_IN6 a)
{
	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
}

static inline void IN6ADDR_SETLOOPBACK(PSOCKADDR_IN6 a)
{
	memset(a, 0, sizeof(*a));
	a->sin6_family = AF_INET6;
	IN6_SET_ADDR_LOOPBACK(&a->sin6_addr);
}

/*
 * The text of a getaddrinfo() failure (libwsaconnect 1.3): glibc's EAI_*
 * codes (which GetAddrInfo returns here) and the Winsock codes
 * WSAGetLastError() reports for them (WSAHOST_NOT_FOUND...).  The text is
 * in a buffer of the calling thread, valid until its next call.
 */
#define GAI_STRERROR_BUFFER_SIZE	1024
char *WSAAPI gai_strerrorA(int ecode);
WCHAR *WSAAPI gai_strerrorW(int ecode);

#ifdef UNICODE
typedef ADDRINFOW ADDRINFOT, *PADDRINFOT;
#define GetAddrInfo	GetAddrInfoW
#define FreeAddrInfo	FreeAddrInfoW
#define InetPton	InetPtonW
#define InetNtop	InetNtopW
#define gai_strerror	gai_strerrorW
#define GetNameInfo	GetNameInfoW
#else
typedef ADDRINFOA ADDRINFOT, *PADDRINFOT;
#define GetAddrInfo	GetAddrInfoA
#define FreeAddrInfo	FreeAddrInfoA
#define InetPton	InetPtonA
#define InetNtop	InetNtopA
#define gai_strerror	gai_strerrorA
#define GetNameInfo	GetNameInfoA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSACONNECT_WS2TCPIP_H */
