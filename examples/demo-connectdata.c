// SPDX-License-Identifier: GPL-2.0
/*
 * One connect-data exchange (Documentation/connect-data.rst):
 *
 *   demo-connectdata server PORT          WSAAccept once; the condition
 *                                         function prints the caller data
 *                                         and answers with callee data
 *   demo-connectdata client ADDR PORT RTT_MS
 *                                         WSAConnect with caller data;
 *                                         prints the callee data and the
 *                                         round trips it took
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CALLER	"GET /weather?city=Oslo"
#define CALLEE	"Oslo: -3 C, snow"

static int CALLBACK condition(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos,
			      LPQOS gqos, LPWSABUF callee_id, LPWSABUF callee_data,
			      GROUP *g, DWORD_PTR cb)
{
	(void)caller_id;
	(void)sqos;
	(void)gqos;
	(void)callee_id;
	(void)g;
	(void)cb;
	printf("server: condition function saw caller data (%lu bytes): \"%.*s\"\n",
	       (unsigned long)caller_data->len, (int)caller_data->len, caller_data->buf);
	memcpy(callee_data->buf, CALLEE, strlen(CALLEE));
	callee_data->len = strlen(CALLEE);
	fflush(stdout);
	return CF_ACCEPT;
}

static int server(const char *port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	int off = 0, l = socket(AF_INET6, SOCK_STREAM, 0);
	SOCKET s;

	sin6.sin6_port = htons((unsigned short)atoi(port));
	setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&off, sizeof(off));
	if (bind(l, (struct sockaddr *)&sin6, sizeof(sin6)) || listen(l, 4)) {
		perror("server: listen");
		return 1;
	}
	s = WSAAccept(l, NULL, NULL, condition, 0);
	if (s == INVALID_SOCKET) {
		fprintf(stderr, "server: WSAAccept: %d\n", WSAGetLastError());
		return 1;
	}
	closesocket(s);
	closesocket(l);
	return 0;
}

static int client(const char *host, const char *port, const char *rtt)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char back[128];
	WSABUF caller = { .len = strlen(CALLER), .buf = CALLER };
	WSABUF callee = { .len = sizeof(back), .buf = back };
	struct timespec t0, t1;
	double ms;
	SOCKET s;

	if (getaddrinfo(host, port, &hints, &ai)) {
		fprintf(stderr, "client: bad address %s\n", host);
		return 1;
	}
	s = socket(ai->ai_family, SOCK_STREAM, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (WSAConnect(s, ai->ai_addr, (int)ai->ai_addrlen, &caller, &callee, NULL, NULL)) {
		fprintf(stderr, "client: WSAConnect: %d\n", WSAGetLastError());
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	{
		struct tcp_info ti;
		socklen_t tlen = sizeof(ti);

		memset(&ti, 0, sizeof(ti));
		getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &tlen);
		printf("client: sent caller data \"%s\" %s\n", CALLER,
		       ti.tcpi_options & TCPI_OPT_SYN_DATA ? "in the SYN (acknowledged)" :
		       "after the handshake (the server did not take SYN data)");
	}
	printf("client: lpCalleeData (%lu bytes): \"%.*s\"\n", (unsigned long)callee.len,
	       (int)callee.len, back);
	printf("client: %.0f ms at RTT %s ms: %.1f round trip(s)\n", ms, rtt, ms / atof(rtt));
	closesocket(s);
	freeaddrinfo(ai);
	return callee.len ? 0 : 1;
}

int main(int argc, char **argv)
{
	WSADATA wsa;
	int rc;

	if (WSAStartup(MAKEWORD(2, 2), &wsa)) {
		fprintf(stderr, "WSAStartup failed\n");
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "server"))
		rc = server(argv[2]);
	else if (argc == 5 && !strcmp(argv[1], "client"))
		rc = client(argv[2], argv[3], argv[4]);
	else
		rc = fprintf(stderr, "usage: see the comment at the top\n") > 0 ? 2 : 2;
	WSACleanup();
	return rc;
}
