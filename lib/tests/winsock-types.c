// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled, never run, by "make header-check" as C11 and C++17 with
 * -Wall -Wextra -Werror: Winsock code passing Winsock's types where glibc
 * declares others -- int lengths, 32-bit u_long and DWORD arguments of
 * ioctlsocket, in_addr.S_un -- must build without a cast or a warning,
 * and BSD code passing socklen_t and NULL must still build too.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <qossp.h>
#include <wspiapi.h>

int winsock_types(SOCKET s);

int winsock_types(SOCKET s)
{
	SOCKADDR_IN a;
	SOCKADDR_IN6 a6;
	SOCKADDR_STORAGE ss;
	int len = sizeof(a), err = 0, errlen = sizeof(err);
	socklen_t slen = sizeof(a);
	u_long mode = 1;
	DWORD dmode = 1;
	ULONG umode = 1;
	unsigned long lmode = 1;
	char buf[16];
	SOCKET c;
	SCOPE_ID scope = SCOPEID_UNSPECIFIED_INIT;
	TIMEVAL tv = { 1, 0 };
	fd_set rd;

	/* Winsock's int lengths. */
	c = accept(s, (SOCKADDR *)&a, &len);
	c = accept(s, NULL, NULL);
	getsockname(s, (SOCKADDR *)&a, &len);
	getpeername(s, (SOCKADDR *)&a, &len);
	getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &errlen);
	recvfrom(s, buf, (int)sizeof(buf), 0, (SOCKADDR *)&a, &len);
	/* Winsock's char * option values, its own options among them. */
	setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&err, sizeof(err));
	setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (const char *)&err, (int)sizeof(err));
	getsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, (char *)&err, &errlen);
	/* BSD's socklen_t lengths, unchanged. */
	c = accept(s, (struct sockaddr *)&a, &slen);
	getsockname(s, (struct sockaddr *)&a, &slen);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &slen);
	getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &slen);
	getsockopt(s, SOL_SOCKET, SO_ERROR, NULL, NULL);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &err, slen);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, NULL, 0);
#ifndef __cplusplus
	/* A compound literal's comma inside the macro's arguments. */
	setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&(struct linger){ 1, 0 },
		   sizeof(struct linger));
#endif
	/* ioctlsocket with every spelling of u_long a program uses. */
	ioctlsocket(s, FIONBIO, &mode);
	ioctlsocket(s, FIONBIO, &dmode);
	ioctlsocket(s, FIONBIO, &umode);
	ioctlsocket(s, FIONBIO, (u_long *)&dmode);
	ioctlsocket(s, FIONBIO, &lmode);
	/* Windows' in_addr and the address helpers. */
	a.sin_addr.S_un.S_addr = inet_addr("127.0.0.1");
	a.sin_addr.S_un.S_un_b.s_b4 = 2;
	IN6ADDR_SETV4MAPPED(&a6, &a.sin_addr, scope, htons(80));
	memcpy(&ss, &a6, sizeof(a6));
	FD_ZERO(&rd);
	FD_SET(s, &rd);
	select(0, &rd, NULL, NULL, &tv);
	c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	return (int)c + (int)sizeof(u_long) + (int)SS_PORT(&ss) +
	       (INETADDR_ISLOOPBACK((SOCKADDR *)&ss) ? 1 : 0);
}
