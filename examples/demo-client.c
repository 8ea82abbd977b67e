// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's client, written as a Winsock program: WSAStartup, WSAConnect
 * and WSAGetLastError, compiled unchanged against libwsaconnect.
 *
 * usage: demo-client HOST PORT [EXPECTED_ERROR]
 *   Connects to HOST:PORT with WSAConnect and prints what happened.  Exits
 *   0 if the result is EXPECTED_ERROR (a WSAE* number, default 0).
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>

static const char *wsa_name(int err)
{
	switch (err) {
	case 0: return "success";
	case WSAECONNREFUSED: return "WSAECONNREFUSED";
	case WSAEADDRNOTAVAIL: return "WSAEADDRNOTAVAIL";
	case WSAENETUNREACH: return "WSAENETUNREACH";
	case WSAETIMEDOUT: return "WSAETIMEDOUT";
	case WSAEISCONN: return "WSAEISCONN";
	case WSAEINVAL: return "WSAEINVAL";
	case WSAEFAULT: return "WSAEFAULT";
	case WSAEAFNOSUPPORT: return "WSAEAFNOSUPPORT";
	case WSANOTINITIALISED: return "WSANOTINITIALISED";
	case WSASYSNOTREADY: return "WSASYSNOTREADY";
	default: return "another Winsock error";
	}
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { 0 }, *ai;
	int expected = argc > 3 ? atoi(argv[3]) : 0;
	char reply[128];
	WSADATA wsa;
	SOCKET s;
	int err, n;

	if (argc < 3) {
		fprintf(stderr, "usage: %s HOST PORT [EXPECTED_ERROR]\n", argv[0]);
		return 2;
	}
	err = WSAStartup(MAKEWORD(2, 2), &wsa);
	if (err) {
		printf("client: WSAStartup failed: %d %s: %s\n", err, wsa_name(err),
		       wsa.szSystemStatus);
		return 1;
	}
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(argv[1], argv[2], &hints, &ai)) {
		printf("client: bad address %s\n", argv[1]);
		return 2;
	}
	s = socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
	if (s == INVALID_SOCKET) {
		printf("client: socket failed: %d\n", WSAGetLastError());
		return 1;
	}
	err = 0;
	if (WSAConnect(s, ai->ai_addr, (int)ai->ai_addrlen, NULL, NULL, NULL, NULL) ==
	    SOCKET_ERROR)
		err = WSAGetLastError();
	printf("client: WSAConnect to %s port %s: %s (%d)\n", argv[1], argv[2],
	       wsa_name(err), err);
	if (!err) {
		n = recv(s, reply, sizeof(reply) - 1, 0);
		if (n > 0) {
			reply[n] = '\0';
			printf("client: received: %s", reply);
		}
	}
	closesocket(s);
	freeaddrinfo(ai);
	WSACleanup();
	if (err != expected)
		printf("client: expected %s (%d)\n", wsa_name(expected), expected);
	return err == expected ? 0 : 1;
}
