// SPDX-License-Identifier: GPL-2.0
/*
 * Pacing benchmark: a Winsock sender asking for a sending TokenRate, and a
 * plain receiver measuring the goodput that arrives.
 *
 * usage: pace recv tcp|udp PORT SECONDS RATE NAME
 *        pace send tcp|udp HOST PORT RATE SECONDS
 * The receiver counts payload bytes in one-second intervals, from the end
 * of the first second after the first byte (fq lets a new flow send its
 * initial quantum unpaced, TCP its first ten segments) for SECONDS
 * intervals, and prints the median, min and max interval over RATE as
 * result lines named NAME: once counting payload bytes, once counting IP
 * datagram bytes (payload + IPv4 and UDP/TCP headers, full-size segments
 * assumed for TCP).  RATE 0 prints the goodput in bytes/s instead.
 */
#include "common.h"

#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WARMUP		1.0
#define PAYLOAD		1400	/* per send: one datagram, below the MTU */
#define MAX_SECS	60
#define SEG_MSS		1448	/* IPv4 with timestamps on a 1500-byte MTU */
#define SEG_HDRS	52	/* IPv4 20 + TCP 20 + timestamps 12 */
#define UDP_HDRS	28	/* IPv4 20 + UDP 8 */

static int receive(int udp, const char *port, int secs, double rate,
		   const char *name)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static const struct timeval tmo = { 5, 0 };
	static char buf[65536];
	double first = 0, t, per[MAX_SECS], ip[MAX_SECS];
	double got[MAX_SECS + 1] = { 0 };
	char label[128];
	int n, i, slot = -1;
	SOCKET l, s;

	if (secs < 1 || secs > MAX_SECS)
		return 2;
	/* IPv4: a Winsock IPv6 socket is IPV6_V6ONLY unless told otherwise. */
	sin.sin_port = htons(atoi(port));
	l = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, (const char *)&(int){ 1 }, sizeof(int));
	/* A sender that failed must not leave the receiver waiting forever. */
	setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, (const char *)&tmo, sizeof(tmo));
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) ||
	    (!udp && listen(l, 1)))
		return 1;
	s = udp ? l : accept(l, NULL, NULL);
	if (s == INVALID_SOCKET)
		return fprintf(stderr, "pace: %s: no sender\n", name), 1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&tmo, sizeof(tmo));
	while ((n = recv(s, buf, sizeof(buf), 0)) > 0) {
		t = bench_now();
		if (!first)
			first = t;
		if (t - first < WARMUP)
			continue;
		slot = (int)(t - first - WARMUP);
		if (slot >= secs)
			break;
		got[slot] += n;
	}
	if (!first || slot < secs)
		return fprintf(stderr, "pace: %s: the flow stopped early\n", name), 1;
	for (i = 0; i < secs; i++) {
		per[i] = rate ? got[i] / rate : got[i];
		ip[i] = per[i] * (udp ? (PAYLOAD + UDP_HDRS) / (double)PAYLOAD :
				   (SEG_MSS + SEG_HDRS) / (double)SEG_MSS);
	}
	if (!rate) {
		bench_result("pacing", name, bench_stat(per, secs), "-");
		return 0;
	}
	snprintf(label, sizeof(label), "%s_payload/TokenRate", name);
	bench_result("pacing", label, bench_stat(per, secs), "1±0.02");
	snprintf(label, sizeof(label), "%s_IPbytes/TokenRate", name);
	bench_result("pacing", label, bench_stat(ip, secs), "1±0.02");
	return 0;
}

static int sender(int udp, const char *host, const char *port, ULONG rate,
		  double secs)
{
	struct addrinfo hints = { 0 }, *ai;
	static char buf[PAYLOAD];
	double end;
	int tries;
	QOS qos;
	SOCKET s;

	hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai))
		return 1;
	bench_fill_qos(&qos, SERVICETYPE_CONTROLLEDLOAD, rate);
	/* The receiver may still be starting: retry, on a new socket each time. */
	for (tries = 0;; tries++) {
		s = socket(ai->ai_family, hints.ai_socktype, 0);
		if (WSAConnect(s, ai->ai_addr, (int)ai->ai_addrlen, NULL, NULL,
			       &qos, NULL) != SOCKET_ERROR)
			break;
		closesocket(s);
		if (WSAGetLastError() != WSAECONNREFUSED || tries == 100) {
			fprintf(stderr, "pace: WSAConnect: %d\n", WSAGetLastError());
			return 1;
		}
		usleep(100000);
	}
	end = bench_now() + secs + WARMUP + 1;
	while (bench_now() < end)
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
	if (!strcmp(argv[1], "recv") && argc == 7)
		return receive(udp, argv[3], atoi(argv[4]), atof(argv[5]), argv[6]);
	if (!strcmp(argv[1], "send") && argc == 7)
		return sender(udp, argv[3], argv[4], strtoul(argv[5], NULL, 0),
			      atof(argv[6]));
	return 2;
}
