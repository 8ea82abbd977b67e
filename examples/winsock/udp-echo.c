// SPDX-License-Identifier: GPL-2.0
/*
 * A UDP echo server on 127.0.0.1:port driven by select(), as Winsock
 * programs call it (nfds 0), answering each datagram with its reverse.
 * It exits after "count" datagrams.
 *
 *	udp-echo port count
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	WSADATA wsa;
	SOCKET s;
	SOCKADDR_IN local;
	int count, served = 0;

	if (argc != 3) {
		printf("usage: %s port count\n", argv[0]);
		return 1;
	}
	count = atoi(argv[2]);
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		printf("WSAStartup failed\n");
		return 1;
	}
	s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	if (s == INVALID_SOCKET) {
		printf("socket failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	memset(&local, 0, sizeof(local));
	local.sin_family = AF_INET;
	local.sin_port = htons((u_short)atoi(argv[1]));
	inet_pton(AF_INET, "127.0.0.1", &local.sin_addr);
	if (bind(s, (SOCKADDR *)&local, sizeof(local)) == SOCKET_ERROR) {
		printf("bind failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	printf("udp-echo: ready\n");
	fflush(stdout);

	while (served < count) {
		fd_set readfds;
		struct timeval tv;
		char buf[512], out[512];
		SOCKADDR_IN from;
		int fromlen = sizeof(from), got, i, rc;

		FD_ZERO(&readfds);
		FD_SET(s, &readfds);
		tv.tv_sec = 10;
		tv.tv_usec = 0;
		rc = select(0, &readfds, NULL, NULL, &tv);
		if (rc == SOCKET_ERROR) {
			printf("select failed with error: %d\n", WSAGetLastError());
			return 1;
		}
		if (rc == 0) {
			printf("udp-echo: timed out\n");
			return 1;
		}
		got = recvfrom(s, buf, sizeof(buf), 0, (SOCKADDR *)&from, &fromlen);
		if (got == SOCKET_ERROR) {
			printf("recvfrom failed with error: %d\n", WSAGetLastError());
			return 1;
		}
		for (i = 0; i < got; i++)
			out[i] = buf[got - 1 - i];
		if (sendto(s, out, got, 0, (SOCKADDR *)&from, fromlen) == SOCKET_ERROR) {
			printf("sendto failed with error: %d\n", WSAGetLastError());
			return 1;
		}
		printf("udp-echo: %d bytes from a %d-byte address\n", got, fromlen);
		fflush(stdout);
		served++;
	}
	closesocket(s);
	WSACleanup();
	return 0;
}
