// SPDX-License-Identifier: GPL-2.0
/*
 * Connect with WSAConnectByList to the first of several addresses that
 * answers, built from text with WSAStringToAddress, then exchange one
 * line with WSASend and WSARecv.
 *
 *	bylist port address...
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ADDRS 8

int main(int argc, char **argv)
{
	WSADATA wsaData;
	SOCKADDR_STORAGE addrs[MAX_ADDRS], remote;
	union {
		SOCKET_ADDRESS_LIST list;
		char bytes[sizeof(SOCKET_ADDRESS_LIST) + (MAX_ADDRS - 1) * sizeof(SOCKET_ADDRESS)];
	} listbuf;
	SOCKET_ADDRESS_LIST *list = &listbuf.list;
	DWORD remotelen = sizeof(remote), sent = 0, recvd = 0, flags = 0;
	DWORD ipv6only = 0, textlen;
	char text[64], reply[64];
	WSABUF buf;
	SOCKET s;
	int i;

	if (argc < 3 || argc - 2 > MAX_ADDRS) {
		printf("usage: %s port address...\n", argv[0]);
		return 1;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsaData) != 0) {
		printf("WSAStartup failed\n");
		return 1;
	}
	list->iAddressCount = 0;
	for (i = 2; i < argc; i++) {
		int len = sizeof(addrs[0]);
		SOCKADDR_IN6 *a6 = (SOCKADDR_IN6 *)&addrs[list->iAddressCount];

		/* IPv4 addresses become v4-mapped: the socket is IPv6. */
		if (WSAStringToAddressA(argv[i], AF_INET6, NULL, (LPSOCKADDR)a6, &len) != 0) {
			SOCKADDR_IN a4;
			int len4 = sizeof(a4);

			if (WSAStringToAddressA(argv[i], AF_INET, NULL, (LPSOCKADDR)&a4, &len4) != 0) {
				printf("WSAStringToAddress(%s) failed with error: %d\n",
				       argv[i], WSAGetLastError());
				return 1;
			}
			memset(a6, 0, sizeof(*a6));
			a6->sin6_family = AF_INET6;
			a6->sin6_addr.s6_addr[10] = 0xff;
			a6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&a6->sin6_addr.s6_addr[12], &a4.sin_addr, 4);
			len = sizeof(*a6);
		}
		a6->sin6_port = htons((u_short)atoi(argv[1]));
		list->Address[list->iAddressCount].lpSockaddr = (LPSOCKADDR)a6;
		list->Address[list->iAddressCount].iSockaddrLength = len;
		list->iAddressCount++;
	}

	s = WSASocketA(AF_INET6, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
	if (s == INVALID_SOCKET) {
		printf("WSASocket failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&ipv6only, sizeof(ipv6only));
	if (!WSAConnectByList(s, list, NULL, NULL, &remotelen, (LPSOCKADDR)&remote, NULL, NULL)) {
		printf("WSAConnectByList failed with error: %d\n", WSAGetLastError());
		closesocket(s);
		WSACleanup();
		return 1;
	}
	textlen = sizeof(text);
	WSAAddressToStringA((LPSOCKADDR)&remote, remotelen, NULL, text, &textlen);
	printf("bylist: connected to %s\n", text);

	buf.buf = (char *)"by list\n";
	buf.len = 8;
	if (WSASend(s, &buf, 1, &sent, 0, NULL, NULL) == SOCKET_ERROR) {
		printf("WSASend failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	shutdown(s, SD_SEND);
	buf.buf = reply;
	buf.len = sizeof(reply) - 1;
	if (WSARecv(s, &buf, 1, &recvd, &flags, NULL, NULL) == SOCKET_ERROR) {
		printf("WSARecv failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	reply[recvd] = '\0';
	printf("bylist: sent %lu, reply: %s", (unsigned long)sent, reply);
	closesocket(s);
	WSACleanup();
	return 0;
}
