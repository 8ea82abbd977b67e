// SPDX-License-Identifier: GPL-2.0
/*
 * A WSAPoll server listening on 0.0.0.0:port and [::]:port (two sockets,
 * as Winsock's IPv6 sockets are v6-only), accepting with WSAAccept and a
 * condition function, and answering each line with its upper-case copy.
 * It exits once "count" clients have come and gone.
 *
 *	pollserver port count
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#define MAX_CLIENTS 16

static int deferred;

/* Defer the very first connection once: it must come back to us. */
static int CALLBACK Condition(LPWSABUF lpCallerId, LPWSABUF lpCallerData,
			      LPQOS lpSQOS, LPQOS lpGQOS, LPWSABUF lpCalleeId,
			      LPWSABUF lpCalleeData, GROUP *g, DWORD_PTR dwCallbackData)
{
	char caller[64];
	DWORD len = sizeof(caller);
	SOCKADDR_STORAGE peer;

	(void)lpSQOS; (void)lpGQOS; (void)lpCalleeData; (void)g; (void)lpCalleeId;
	memset(&peer, 0, sizeof(peer));
	memcpy(&peer, lpCallerId->buf, lpCallerId->len < sizeof(peer) ? lpCallerId->len : sizeof(peer));
	SS_PORT(&peer) = 0;
	if (WSAAddressToStringA((LPSOCKADDR)&peer, lpCallerId->len, NULL, caller, &len) != 0)
		strcpy(caller, "?");
	if (lpCallerData->len != 0)
		printf("pollserver: unexpected caller data\n");
	if (!deferred && dwCallbackData == 1) {
		deferred = 1;
		printf("pollserver: deferring a connection from %s\n", caller);
		return CF_DEFER;
	}
	printf("pollserver: accepting a connection from %s\n", caller);
	return CF_ACCEPT;
}

static SOCKET Listen(int family, const char *port)
{
	SOCKADDR_STORAGE ss;
	int sslen = sizeof(ss);
	char text[64];
	SOCKET s;

	memset(&ss, 0, sizeof(ss));
	sprintf(text, family == AF_INET6 ? "[::]:%s" : "0.0.0.0:%s", port);
	if (WSAStringToAddressA(text, family, NULL, (LPSOCKADDR)&ss, &sslen) != 0) {
		printf("WSAStringToAddress(%s) failed with error: %d\n", text, WSAGetLastError());
		return INVALID_SOCKET;
	}
	if (family == AF_INET6)
		s = WSASocket(AF_INET6, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
	else
		s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (s == INVALID_SOCKET) {
		printf("socket failed with error: %d\n", WSAGetLastError());
		return INVALID_SOCKET;
	}
	if (bind(s, (SOCKADDR *)&ss, sslen) == SOCKET_ERROR ||
	    listen(s, SOMAXCONN) == SOCKET_ERROR) {
		printf("bind/listen on %s failed with error: %d\n", text, WSAGetLastError());
		closesocket(s);
		return INVALID_SOCKET;
	}
	printf("pollserver: listening on %s\n", text);
	return s;
}

int main(int argc, char **argv)
{
	WSAPOLLFD fds[2 + MAX_CLIENTS];
	int nfds = 2, served = 0, count, i;
	WSADATA wsa;
	u_long nonblocking = 1;

	if (argc != 3) {
		printf("usage: %s port count\n", argv[0]);
		return 1;
	}
	count = atoi(argv[2]);
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		printf("WSAStartup failed\n");
		return 1;
	}
	fds[0].fd = Listen(AF_INET, argv[1]);
	fds[1].fd = Listen(AF_INET6, argv[1]);
	if (fds[0].fd == INVALID_SOCKET || fds[1].fd == INVALID_SOCKET)
		return 1;
	for (i = 0; i < 2; i++) {
		fds[i].events = POLLRDNORM;
		if (ioctlsocket(fds[i].fd, FIONBIO, &nonblocking) == SOCKET_ERROR) {
			printf("ioctlsocket failed with error: %d\n", WSAGetLastError());
			return 1;
		}
	}
	fflush(stdout);

	while (served < count) {
		int n = WSAPoll(fds, (ULONG)nfds, 10000);

		if (n == SOCKET_ERROR) {
			printf("WSAPoll failed with error: %d\n", WSAGetLastError());
			return 1;
		}
		if (n == 0) {
			printf("pollserver: timed out\n");
			return 1;
		}
		for (i = 0; i < 2; i++) {
			SOCKADDR_STORAGE from;
			int fromlen = sizeof(from);
			SOCKET c;

			if (!(fds[i].revents & POLLRDNORM))
				continue;
			c = WSAAccept(fds[i].fd, (SOCKADDR *)&from, &fromlen, Condition, 1);
			if (c == INVALID_SOCKET && WSAGetLastError() == WSATRY_AGAIN) {
				printf("pollserver: WSAAccept: WSATRY_AGAIN\n");
				c = WSAAccept(fds[i].fd, (SOCKADDR *)&from, &fromlen, Condition, 2);
			}
			if (c == INVALID_SOCKET) {
				if (WSAGetLastError() != WSAEWOULDBLOCK)
					printf("WSAAccept failed with error: %d\n", WSAGetLastError());
				continue;
			}
			printf("pollserver: accepted (%s, address length %d)\n",
			       from.ss_family == AF_INET6 ? "IPv6" : "IPv4", fromlen);
			fds[nfds].fd = c;
			fds[nfds].events = POLLRDNORM;
			fds[nfds].revents = 0;
			nfds++;
		}
		for (i = 2; i < nfds; i++) {
			char buf[256];
			int got, k;

			if (!(fds[i].revents & (POLLRDNORM | POLLHUP | POLLERR)))
				continue;
			got = recv(fds[i].fd, buf, sizeof(buf), 0);
			if (got > 0) {
				for (k = 0; k < got; k++)
					buf[k] = (char)toupper((unsigned char)buf[k]);
				send(fds[i].fd, buf, got, 0);
				continue;
			}
			closesocket(fds[i].fd);
			fds[i] = fds[--nfds];
			i--;
			served++;
		}
		fflush(stdout);
	}
	printf("pollserver: served %d clients\n", served);
	closesocket(fds[0].fd);
	closesocket(fds[1].fd);
	WSACleanup();
	return 0;
}
