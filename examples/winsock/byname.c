// SPDX-License-Identifier: GPL-2.0
/*
 * Connect by name with WSAConnectByName on a dual-stack IPv6 socket, as
 * the documentation's sample does, then exchange one line.
 *
 *	byname host port
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>
#include <string.h>

static SOCKET ConnectByName(LPSTR NodeName, LPSTR PortName)
{
	SOCKET ConnSocket;
	DWORD ipv6only = 0;
	int iResult;
	BOOL bSuccess;
	SOCKADDR_STORAGE LocalAddr, RemoteAddr;
	DWORD dwLocalAddr = sizeof(LocalAddr);
	DWORD dwRemoteAddr = sizeof(RemoteAddr);
	char text[64];
	DWORD textlen;
	struct timeval timeout;

	ConnSocket = socket(AF_INET6, SOCK_STREAM, 0);
	if (ConnSocket == INVALID_SOCKET) {
		printf("socket failed with error: %d\n", WSAGetLastError());
		return INVALID_SOCKET;
	}

	iResult = setsockopt(ConnSocket, IPPROTO_IPV6, IPV6_V6ONLY,
			     (char *)&ipv6only, sizeof(ipv6only));
	if (iResult == SOCKET_ERROR) {
		printf("setsockopt(IPV6_V6ONLY) failed with error: %d\n", WSAGetLastError());
		closesocket(ConnSocket);
		return INVALID_SOCKET;
	}

	timeout.tv_sec = 10;
	timeout.tv_usec = 0;
	bSuccess = WSAConnectByName(ConnSocket, NodeName, PortName,
				    &dwLocalAddr, (SOCKADDR *)&LocalAddr,
				    &dwRemoteAddr, (SOCKADDR *)&RemoteAddr,
				    &timeout, NULL);
	if (!bSuccess) {
		printf("WSAConnectByName failed with error: %d\n", WSAGetLastError());
		closesocket(ConnSocket);
		return INVALID_SOCKET;
	}
	textlen = sizeof(text);
	if (WSAAddressToString((SOCKADDR *)&RemoteAddr, dwRemoteAddr, NULL, text, &textlen) == 0)
		printf("byname: connected to %s\n", text);

	/* What the documentation's sample does next; harmless here. */
	setsockopt(ConnSocket, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
	return ConnSocket;
}

int main(int argc, char **argv)
{
	WSADATA wsaData;
	SOCKET s;
	char buf[64];
	int got;

	if (argc != 3) {
		printf("usage: %s host port\n", argv[0]);
		return 1;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsaData) != 0) {
		printf("WSAStartup failed\n");
		return 1;
	}
	s = ConnectByName(argv[1], argv[2]);
	if (s == INVALID_SOCKET) {
		WSACleanup();
		return 1;
	}
	send(s, "by name\n", 8, 0);
	shutdown(s, SD_SEND);
	got = recv(s, buf, sizeof(buf) - 1, 0);
	if (got > 0) {
		buf[got] = '\0';
		printf("byname: reply: %s", buf);
	}
	closesocket(s);
	WSACleanup();
	return got > 0 ? 0 : 1;
}
