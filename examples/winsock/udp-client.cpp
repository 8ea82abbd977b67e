// SPDX-License-Identifier: GPL-2.0
// A UDP client: GetAddrInfoW for the server, WSASendTo, then WSARecvFrom
// once select() says the answer is there; a too-small buffer shows
// WSAEMSGSIZE.
//
//	udp-client host port
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int Exchange(SOCKET s, const ADDRINFOW *server, const char *text, ULONG room)
{
	WSABUF buf;
	DWORD sent = 0, got = 0, flags = 0;
	char reply[64];
	SOCKADDR_STORAGE from;
	int fromlen = sizeof(from);

	buf.buf = (CHAR *)text;
	buf.len = (ULONG)strlen(text);
	if (WSASendTo(s, &buf, 1, &sent, 0, server->ai_addr, (int)server->ai_addrlen,
		      NULL, NULL) == SOCKET_ERROR) {
		printf("WSASendTo failed with error: %d\n", WSAGetLastError());
		return 1;
	}

	fd_set readfds;
	FD_ZERO(&readfds);
	FD_SET(s, &readfds);
	timeval tv = { 5, 0 };
	if (select(0, &readfds, NULL, NULL, &tv) != 1) {
		printf("udp-client: no answer\n");
		return 1;
	}

	memset(reply, 0, sizeof(reply));
	buf.buf = reply;
	buf.len = room;
	if (WSARecvFrom(s, &buf, 1, &got, &flags, (SOCKADDR *)&from, &fromlen,
			NULL, NULL) == SOCKET_ERROR) {
		printf("udp-client: WSARecvFrom: error %d, %lu bytes kept: %s\n",
		       WSAGetLastError(), (unsigned long)got, reply);
		return 0;
	}
	printf("udp-client: sent %lu, reply: %s\n", (unsigned long)sent, reply);
	return 0;
}

int main(int argc, char **argv)
{
	WSADATA wsa;
	wchar_t host[256], port[16];
	ADDRINFOW hints, *result = NULL;

	if (argc != 3) {
		printf("usage: %s host port\n", argv[0]);
		return 1;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		printf("WSAStartup failed\n");
		return 1;
	}
	if (mbstowcs(host, argv[1], 256) >= 256 || mbstowcs(port, argv[2], 16) >= 16) {
		printf("udp-client: name too long\n");
		return 1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	int rc = GetAddrInfoW(host, port, &hints, &result);
	if (rc != 0) {
		printf("GetAddrInfoW failed with error: %d\n", rc);
		return 1;
	}
	SOCKET s = WSASocketW(result->ai_family, result->ai_socktype, result->ai_protocol,
			      NULL, 0, WSA_FLAG_OVERLAPPED);
	if (s == INVALID_SOCKET) {
		printf("WSASocket failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	rc = Exchange(s, result, "stressed", 63) || Exchange(s, result, "0123456789", 4);
	FreeAddrInfoW(result);
	closesocket(s);
	WSACleanup();
	return rc;
}
