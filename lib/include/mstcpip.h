/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mstcpip.h for libwsaconnect: the address helpers (INETADDR_*,
 * IN4ADDR_*, IN6ADDR_*V4MAPPED; the other IN6ADDR_* are in ws2tcpip.h,
 * which this includes) as inline functions, and the vendor SIO_* codes
 * with Windows' values.  (SS_PORT is in ws2tcpip.h, as on Windows.)  Of the codes, WSAIoctl() serves
 * SIO_KEEPALIVE_VALS, SIO_LOOPBACK_FAST_PATH, SIO_UDP_CONNRESET and
 * SIO_UDP_NETRESET; the others fail with WSAEINVAL as on a provider
 * that lacks them.
 */
#ifndef WSACONNECT_MSTCPIP_H
#define WSACONNECT_MSTCPIP_H

#include <winsock2.h>
#include <ws2tcpip.h>

#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tcp_keepalive {
	ULONG onoff;
	ULONG keepalivetime;		/* milliseconds */
	ULONG keepaliveinterval;	/* milliseconds */
};

#define SIO_RCVALL			_WSAIOW(IOC_VENDOR, 1)
#define SIO_RCVALL_MCAST		_WSAIOW(IOC_VENDOR, 2)
#define SIO_RCVALL_IGMPMCAST		_WSAIOW(IOC_VENDOR, 3)
#define SIO_KEEPALIVE_VALS		_WSAIOW(IOC_VENDOR, 4)	/* 0x98000004 */
#define SIO_ABSORB_RTRALERT		_WSAIOW(IOC_VENDOR, 5)
#define SIO_UCAST_IF			_WSAIOW(IOC_VENDOR, 6)
#define SIO_LIMIT_BROADCASTS		_WSAIOW(IOC_VENDOR, 7)
#define SIO_INDEX_BIND			_WSAIOW(IOC_VENDOR, 8)
#define SIO_INDEX_MCASTIF		_WSAIOW(IOC_VENDOR, 9)
#define SIO_INDEX_ADD_MCAST		_WSAIOW(IOC_VENDOR, 10)
#define SIO_INDEX_DEL_MCAST		_WSAIOW(IOC_VENDOR, 11)
#define SIO_LOOPBACK_FAST_PATH		_WSAIOW(IOC_VENDOR, 16)
/*
 * UDP: whether recvfrom() reports an ICMP port unreachable (CONNRESET) or
 * time exceeded (NETRESET) for an earlier send.  WSAIoctl() accepts both
 * values on datagram sockets: Linux never reports these errors on an
 * unconnected UDP socket, which is what FALSE asks for (the servers that
 * use the codes turn them off).  Documentation/library.rst.
 */
#define SIO_UDP_CONNRESET		_WSAIOW(IOC_VENDOR, 12)
#define SIO_UDP_NETRESET		_WSAIOW(IOC_VENDOR, 15)

#define RCVALL_OFF			0
#define RCVALL_ON			1
#define RCVALL_SOCKETLEVELONLY		2
#define RCVALL_IPLEVEL			3

static inline BOOL IN4ADDR_ISANY(const SOCKADDR_IN *a)
{
	return a->sin_addr.s_addr == htonl(INADDR_ANY);
}

static inline BOOL IN4ADDR_ISLOOPBACK(const SOCKADDR_IN *a)
{
	return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
}

static inline BOOL IN6ADDR_ISV4MAPPED(const SOCKADDR_IN6 *a)
{
	return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr);
}

static inline void IN4ADDR_SETANY(PSOCKADDR_IN a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
}

static inline void IN4ADDR_SETLOOPBACK(PSOCKADDR_IN a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* a6 := [::ffff:a4]:port in scope (port in network order). */
static inline void IN6ADDR_SETV4MAPPED(PSOCKADDR_IN6 a6, const IN_ADDR *a4,
				       SCOPE_ID scope, USHORT port)
{
	memset(a6, 0, sizeof(*a6));
	a6->sin6_family = AF_INET6;
	a6->sin6_port = port;
	a6->sin6_scope_id = scope.Value;
	a6->sin6_addr.s6_addr[10] = 0xff;
	a6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&a6->sin6_addr.s6_addr[12], a4, 4);
}

static inline BOOL INETADDR_ISANY(const SOCKADDR *a)
{
	if (a->sa_family == AF_INET6)
		return IN6ADDR_ISANY((const SOCKADDR_IN6 *)(const void *)a);
	return IN4ADDR_ISANY((const SOCKADDR_IN *)(const void *)a);
}

static inline BOOL INETADDR_ISLOOPBACK(const SOCKADDR *a)
{
	if (a->sa_family == AF_INET6)
		return IN6ADDR_ISLOOPBACK((const SOCKADDR_IN6 *)(const void *)a);
	return IN4ADDR_ISLOOPBACK((const SOCKADDR_IN *)(const void *)a);
}

static inline void INETADDR_SETANY(PSOCKADDR a)
{
	if (a->sa_family == AF_INET6)
		IN6ADDR_SETANY((PSOCKADDR_IN6)(void *)a);
	else
		IN4ADDR_SETANY((PSOCKADDR_IN)(void *)a);
}

static inline void INETADDR_SETLOOPBACK(PSOCKADDR a)
{
	if (a->sa_family == AF_INET6)
		IN6ADDR_SETLOOPBACK((PSOCKADDR_IN6)(void *)a);
	else
		IN4ADDR_SETLOOPBACK((PSOCKADDR_IN)(void *)a);
}

/* The port, in network order. */
static inline USHORT INETADDR_PORT(const SOCKADDR *a)
{
	if (a->sa_family == AF_INET6)
		return ((const SOCKADDR_IN6 *)(const void *)a)->sin6_port;
	return ((const SOCKADDR_IN *)(const void *)a)->sin_port;
}

/* The address bytes: an IN_ADDR or an IN6_ADDR. */
static inline const UCHAR *INETADDR_ADDRESS(const SOCKADDR *a)
{
	if (a->sa_family == AF_INET6)
		return (const UCHAR *)&((const SOCKADDR_IN6 *)(const void *)a)->sin6_addr;
	return (const UCHAR *)&((const SOCKADDR_IN *)(const void *)a)->sin_addr;
}

#ifdef __cplusplus
}
#endif

#endif /* WSACONNECT_MSTCPIP_H */
