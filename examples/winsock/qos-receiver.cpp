// SPDX-License-Identifier: GPL-2.0
// Event-based QoS receiver: finds a QoS-capable TCP provider with
// WSAEnumProtocols, listens on it, and counts what one sender sends,
// driven by WSAEventSelect and WSAWaitForMultipleEvents.
//
//	qos-receiver port
#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>
#include <qossp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool FindQosProvider(int family, WSAPROTOCOL_INFOA *out)
{
	int protocols[] = { IPPROTO_TCP, 0 };
	DWORD len = 0;

	if (WSAEnumProtocolsA(protocols, NULL, &len) != SOCKET_ERROR ||
	    WSAGetLastError() != WSAENOBUFS) {
		printf("WSAEnumProtocols did not report its size: %d\n", WSAGetLastError());
		return false;
	}
	WSAPROTOCOL_INFOA *infos = (WSAPROTOCOL_INFOA *)malloc(len);
	int n = WSAEnumProtocolsA(protocols, infos, &len);
	bool found = false;

	for (int i = 0; i < n && !found; i++) {
		if (infos[i].iAddressFamily == family &&
		    (infos[i].dwServiceFlags1 & XP1_QOS_SUPPORTED)) {
			*out = infos[i];
			found = true;
		}
	}
	free(infos);
	return found;
}

int main(int argc, char **argv)
{
	WSADATA wsa;
	WSAPROTOCOL_INFOA info;

	if (argc != 2) {
		printf("usage: %s port\n", argv[0]);
		return 1;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		printf("WSAStartup failed\n");
		return 1;
	}
	if (!FindQosProvider(AF_INET, &info)) {
		printf("qos-receiver: no QoS provider for TCP/IPv4\n");
		return 1;
	}
	printf("qos-receiver: QoS provider found (XP1_QOS_SUPPORTED)\n");

	SOCKET ls = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
			       &info, 0, WSA_FLAG_OVERLAPPED);
	if (ls == INVALID_SOCKET) {
		printf("WSASocket failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	SOCKADDR_IN sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((u_short)atoi(argv[1]));
	sin.sin_addr.S_un.S_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (SOCKADDR *)&sin, sizeof(sin)) == SOCKET_ERROR ||
	    listen(ls, 5) == SOCKET_ERROR) {
		printf("bind/listen failed with error: %d\n", WSAGetLastError());
		return 1;
	}

	WSAEVENT events[2];
	SOCKET socks[2] = { ls, INVALID_SOCKET };
	DWORD nevents = 1;
	events[0] = WSACreateEvent();
	if (WSAEventSelect(ls, events[0], FD_ACCEPT) == SOCKET_ERROR) {
		printf("WSAEventSelect failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	printf("qos-receiver: listening\n");
	fflush(stdout);

	unsigned long total = 0;
	for (;;) {
		DWORD w = WSAWaitForMultipleEvents(nevents, events, FALSE, 20000, FALSE);
		if (w == WSA_WAIT_TIMEOUT || w == WSA_WAIT_FAILED) {
			printf("qos-receiver: wait failed (%lu)\n", (unsigned long)w);
			return 1;
		}
		DWORD i = w - WSA_WAIT_EVENT_0;
		WSANETWORKEVENTS ne;
		if (WSAEnumNetworkEvents(socks[i], events[i], &ne) == SOCKET_ERROR) {
			printf("WSAEnumNetworkEvents failed with error: %d\n", WSAGetLastError());
			return 1;
		}
		if (ne.lNetworkEvents & FD_ACCEPT) {
			SOCKET c = WSAAccept(ls, NULL, NULL, NULL, 0);
			if (c == INVALID_SOCKET) {
				printf("WSAAccept failed with error: %d\n", WSAGetLastError());
				return 1;
			}
			printf("qos-receiver: sender connected\n");
			socks[1] = c;
			events[1] = WSACreateEvent();
			WSAEventSelect(c, events[1], FD_READ | FD_CLOSE);
			nevents = 2;
		}
		if (ne.lNetworkEvents & (FD_READ | FD_CLOSE)) {
			char data[4096];
			for (;;) {
				WSABUF buf;
				DWORD got = 0, flags = 0;
				buf.buf = data;
				buf.len = sizeof(data);
				if (WSARecv(socks[1], &buf, 1, &got, &flags, NULL, NULL) == SOCKET_ERROR) {
					if (WSAGetLastError() == WSAEWOULDBLOCK)
						break;
					printf("WSARecv failed with error: %d\n", WSAGetLastError());
					return 1;
				}
				if (got == 0) {
					printf("qos-receiver: received %lu bytes\n", total);
					closesocket(socks[1]);
					closesocket(ls);
					WSACloseEvent(events[0]);
					WSACloseEvent(events[1]);
					WSACleanup();
					return 0;
				}
				total += got;
			}
		}
	}
}
