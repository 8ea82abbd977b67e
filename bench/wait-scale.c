// SPDX-License-Identifier: GPL-2.0
/*
 * wait-scale: what idle event-selected sockets cost the threads waiting on
 * them.  N socketpairs (one end each selected with FD_READ|FD_CLOSE onto
 * one of 64 events), T threads each waiting on its share of the events
 * with WSAWaitForMultipleEvents for S seconds while nothing happens.
 * Prints the CPU the process used per second waited (ideal: ~0), and the
 * latency of one FD_READ after that.
 *
 *   wait-scale [sockets [threads [seconds]]]
 */
#include <winsock2.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define NEVENTS 64

static WSAEVENT events[NEVENTS];
static int nthreads, seconds;
static volatile int stop;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void *waiter(void *p)
{
	long t = (long)p;
	int per = NEVENTS / nthreads;

	while (!stop)
		WSAWaitForMultipleEvents((DWORD)per, events + t * per, FALSE, 200, FALSE);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, i, (*sv)[2];
	struct rlimit rl;
	pthread_t th[NEVENTS];
	WSANETWORKEVENTS ne;
	double c0, t0, c1, t1, lat;
	WSADATA wsa;
	DWORD w;

	nthreads = argc > 2 ? atoi(argv[2]) : 4;
	seconds = argc > 3 ? atoi(argv[3]) : 3;
	if (nthreads < 1 || nthreads > NEVENTS)
		nthreads = 4;
	rl.rlim_cur = rl.rlim_max = (rlim_t)n * 2 + 256;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		perror("setrlimit");
	if (WSAStartup(MAKEWORD(2, 2), &wsa)) {
		fprintf(stderr, "WSAStartup: %s\n", wsa.szSystemStatus);
		return 1;
	}
	sv = calloc((size_t)n, sizeof(*sv));
	for (i = 0; i < NEVENTS; i++)
		events[i] = WSACreateEvent();
	for (i = 0; i < n; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i])) {
			perror("socketpair");
			return 1;
		}
		if (WSAEventSelect(sv[i][0], events[i % NEVENTS], FD_READ | FD_CLOSE)) {
			fprintf(stderr, "WSAEventSelect: %d\n", WSAGetLastError());
			return 1;
		}
	}
	c0 = cpu();
	t0 = now();
	for (i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, waiter, (void *)(long)i);
	sleep((unsigned int)seconds);
	stop = 1;
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	c1 = cpu();
	t1 = now();

	/* One FD_READ on the last socket: how long until a wait sees it. */
	t0 = now();
	send(sv[n - 1][1], "x", 1, 0);
	w = WSAWaitForMultipleEvents(1, &events[(n - 1) % NEVENTS], FALSE, 5000, FALSE);
	lat = now() - t0;
	WSAEnumNetworkEvents(sv[n - 1][0], events[(n - 1) % NEVENTS], &ne);

	printf("# wait-scale: %d idle event-selected sockets, %d waiting threads, %.1fs\n",
	       n, nthreads, t1 - (t1 - seconds));
	printf("%-28s %10.3f\n", "cpu_s_per_waited_s", (c1 - c0) / seconds);
	printf("%-28s %10.1f\n", "cpu_ms_per_wait_thread_s", (c1 - c0) * 1000 / seconds / nthreads);
	printf("%-28s %10.1f %s\n", "fd_read_latency_ms", lat * 1000,
	       w == WSA_WAIT_EVENT_0 && (ne.lNetworkEvents & FD_READ) ? "" : "(missed)");
	WSACleanup();
	return 0;
}
