/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ws2def.h for libwsaconnect: Winsock's names for the socket address
 * structures and WSABUF.  The structures themselves are the C library's;
 * AF_*, SOL_*, SO_* and the sockaddr layouts keep their Linux values.
 */
#ifndef WSACONNECT_WS2DEF_H
#define WSACONNECT_WS2DEF_H

#include <wsaconnect/wintypes.h>

#include <sys/socket.h>
#include <netinet/in.h>

typedef USHORT ADDRESS_FAMILY;

typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct sockaddr_in6 SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE,
	*LPSOCKADDR_STORAGE;
typedef struct in_addr IN_ADDR, *PIN_ADDR, *LPIN_ADDR;
typedef struct in6_addr IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;

typedef struct _SOCKET_ADDRESS {
	LPSOCKADDR lpSockaddr;
	INT iSockaddrLength;
} SOCKET_ADDRESS, *PSOCKET_ADDRESS, *LPSOCKET_ADDRESS;

typedef struct _SOCKET_ADDRESS_LIST {
	INT iAddressCount;
	SOCKET_ADDRESS Address[1];	/* iAddressCount entries follow */
} SOCKET_ADDRESS_LIST, *PSOCKET_ADDRESS_LIST, *LPSOCKET_ADDRESS_LIST;

/* len is a 32-bit ULONG as on Windows; x86-64: len@0, buf@8, size 16. */
typedef struct _WSABUF {
	ULONG len;
	CHAR *buf;
} WSABUF, *LPWSABUF;

#endif /* WSACONNECT_WS2DEF_H */
