/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wspiapi.h for libwsaconnect.  On Windows it made getaddrinfo() and
 * getnameinfo() available on systems that predate them; the C library
 * has both, so this only brings in <ws2tcpip.h> and Windows' WspiapiX
 * names for them.
 */
#ifndef WSACONNECT_WSPIAPI_H
#define WSACONNECT_WSPIAPI_H

#include <ws2tcpip.h>

#define WspiapiGetAddrInfo	getaddrinfo
#define WspiapiGetNameInfo	getnameinfo
#define WspiapiFreeAddrInfo	freeaddrinfo

#endif /* WSACONNECT_WSPIAPI_H */
