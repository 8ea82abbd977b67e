/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ws2tcpip.h for libwsaconnect: getaddrinfo() and friends are the C
 * library's; this adds Windows' names for them.
 */
#ifndef WSACONNECT_WS2TCPIP_H
#define WSACONNECT_WS2TCPIP_H

#include <winsock2.h>

#include <netdb.h>
#include <arpa/inet.h>

typedef struct addrinfo ADDRINFOA, *PADDRINFOA;

#endif /* WSACONNECT_WS2TCPIP_H */
