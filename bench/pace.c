// SPDX-License-Identifier: GPL-2.0
/*
 * Pacing benchmark: a Winsock sender asking for a sending TokenRate, and a
 * plain receiver measuring the goodput that arrives.
 *
 * usage: pace recv tcp|udp PORT SECONDS
 *        pace send tcp|udp HOST PORT RATE SECONDS
 * The receiver prints "goodput BYTES_PER_SEC" measured over SECONDS from
 * the first byte, ignoring the first half second (fq lets a new flow burst
 * its initial quantum unpaced).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WARMUP	0.5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int receive(int udp, const char *port, double secs)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	static char buf[65536];
	double first = 0, t = 0;
	unsigned long long bytes = 0;
	SOCKET l, s;
	int n;

	sin6.sin6_port = htons(atoi(port));
	l = socket(AF_INET6, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, (const char *)&(int){ 1 }, sizeof(int));
	if (bind(l, (struct sockaddr *)&sin6, sizeof(sin6)) ||
	    (!udp && listen(l, 1)))
		return 1;
	s = udp ? l : accept(l, NULL, NULL);
	/* A sender that failed must not leave the receiver waiting forever. */
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO,
		   (const char *)&(struct timeval){ 3, 0 }, sizeof(struct timeval));
	while ((n = recv(s, buf, sizeof(buf), 0)) > 0) {
		t = now();
		if (!first)
			first = t;
		if (t - first >= WARMUP)
			bytes += n;
		if (t - first >= WARMUP + secs)
			break;
	}
	printf("goodput %.0f\n", bytes / (t - first - WARMUP));
	return 0;
}

static int sender(int udp, const char *host, const char *port, ULONG rate,
		  double secs)
{
	struct addrinfo hints = { 0 }, *ai;
	static char buf[1400];
	double end;
	int tries;
	QOS qos;
	SOCKET s;

	hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai))
		return 1;
	s = socket(ai->ai_family, hints.ai_socktype, 0);
	memset(&qos, 0xff, sizeof(qos.SendingFlowspec));
	qos.SendingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
	qos.SendingFlowspec.TokenRate = rate;
	memset(&qos.ReceivingFlowspec, 0, sizeof(qos.ReceivingFlowspec));
	qos.ProviderSpecific.len = 0;
	qos.ProviderSpecific.buf = NULL;
	/* The receiver may still be starting: Winsock lets a refused socket retry. */
	for (tries = 0;; tries++) {
		if (WSAConnect(s, ai->ai_addr, (int)ai->ai_addrlen, NULL, NULL,
			       &qos, NULL) != SOCKET_ERROR)
			break;
		if (WSAGetLastError() != WSAECONNREFUSED || tries == 50) {
			fprintf(stderr, "pace: WSAConnect: %d\n", WSAGetLastError());
			return 1;
		}
		usleep(100000);
	}
	end = now() + secs + WARMUP + 1;
	while (now() < end)
		if (send(s, buf, sizeof(buf), 0) == SOCKET_ERROR &&
		    WSAGetLastError() != WSAECONNREFUSED)
			break;
	closesocket(s);
	return 0;
}

int main(int argc, char **argv)
{
	WSADATA wsa;
	int udp;

	if (argc < 5 || WSAStartup(MAKEWORD(2, 2), &wsa))
		return 2;
	udp = !strcmp(argv[2], "udp");
	if (!strcmp(argv[1], "recv"))
		return receive(udp, argv[3], atof(argv[4]));
	if (argc == 7)
		return sender(udp, argv[3], argv[4], strtoul(argv[5], NULL, 0),
			      atof(argv[6]));
	return 2;
}
