// SPDX-License-Identifier: GPL-2.0
/*
 * Cost benchmark, reported as ratios measured in one run:
 *   time of WSAConnect() / time of connect(2), TCP over loopback;
 *   time of WSAConnect() with lpSQOS / without;
 *   kernel memory (Slab in /proc/meminfo) of UDP sockets carrying QoS /
 *   of plain UDP sockets.
 *
 * usage: connect-cost [ITERATIONS]
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SOCKETS	900	/* below the default limit of 1024 descriptors */

static struct sockaddr_in target = { .sin_family = AF_INET };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *acceptor(void *arg)
{
	SOCKET l = *(SOCKET *)arg, c;

	while ((c = accept(l, NULL, NULL)) != INVALID_SOCKET)
		closesocket(c);
	return NULL;
}

static void fill_qos(QOS *qos)
{
	memset(qos, 0, sizeof(*qos));
	memset(&qos->SendingFlowspec, 0xff, sizeof(qos->SendingFlowspec));
	qos->SendingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
}

/* Seconds for @n TCP connections, with mode 0: connect, 1: WSAConnect, 2: + QoS. */
static double connections(int n, int mode)
{
	double start = now();
	QOS qos;
	int i, r;

	fill_qos(&qos);
	for (i = 0; i < n; i++) {
		SOCKET s = socket(AF_INET, SOCK_STREAM, 0);

		if (mode == 0)
			r = connect(s, (struct sockaddr *)&target, sizeof(target));
		else
			r = WSAConnect(s, (struct sockaddr *)&target, sizeof(target),
				       NULL, NULL, mode == 2 ? &qos : NULL, NULL);
		if (r == SOCKET_ERROR) {
			fprintf(stderr, "connect-cost: mode %d: %d\n", mode,
				WSAGetLastError());
			exit(1);
		}
		/* RST instead of TIME_WAIT, so ports do not run out. */
		setsockopt(s, SOL_SOCKET, SO_LINGER,
			   (const char *)&(struct linger){ 1, 0 }, sizeof(struct linger));
		closesocket(s);
	}
	return now() - start;
}

static long slab_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* Slab KiB held by SOCKETS UDP sockets, with or without QoS. */
static long udp_memory(int with_qos)
{
	static SOCKET s[SOCKETS];
	DWORD got;
	long before, after;
	QOS qos;
	int i;

	fill_qos(&qos);
	before = slab_kib();
	for (i = 0; i < SOCKETS; i++) {
		s[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (with_qos && WSAIoctl(s[i], SIO_SET_QOS, &qos, sizeof(qos), NULL,
					 0, &got, NULL, NULL) == SOCKET_ERROR) {
			fprintf(stderr, "connect-cost: SIO_SET_QOS: %d\n",
				WSAGetLastError());
			exit(1);
		}
	}
	after = slab_kib();
	for (i = 0; i < SOCKETS; i++)
		closesocket(s[i]);
	return after - before;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	double plain, wsa, wsa_qos;
	long mem_plain, mem_qos;
	pthread_t thread;
	int len = sizeof(target);
	WSADATA wsa_data;
	SOCKET l;

	if (WSAStartup(MAKEWORD(2, 2), &wsa_data))
		return 1;
	target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&target, sizeof(target)) ||
	    listen(l, 4096) ||
	    getsockname(l, (struct sockaddr *)&target, (socklen_t *)&len))
		return 1;
	pthread_create(&thread, NULL, acceptor, &l);

	connections(n / 10, 1);		/* warm up caches and the module */
	plain = connections(n, 0);
	wsa = connections(n, 1);
	wsa_qos = connections(n, 2);
	sleep(1);			/* let QoS sockets be destroyed */
	mem_plain = udp_memory(0);
	sleep(1);
	mem_qos = udp_memory(1);

	printf("# connect-cost: %d TCP connections over loopback, %d UDP sockets\n",
	       n, SOCKETS);
	printf("connect(2)            %8.1f us per connection\n", plain / n * 1e6);
	printf("WSAConnect            %8.1f us per connection\n", wsa / n * 1e6);
	printf("WSAConnect + lpSQOS   %8.1f us per connection\n", wsa_qos / n * 1e6);
	printf("ratio WSAConnect / connect(2):         %.2f\n", wsa / plain);
	printf("ratio WSAConnect+QoS / WSAConnect:     %.2f\n", wsa_qos / wsa);
	printf("ratio slab of UDP sockets with QoS / without: %.2f (%ld / %ld KiB)\n",
	       mem_plain > 0 ? (double)mem_qos / mem_plain : 0.0, mem_qos, mem_plain);
	return 0;
}
