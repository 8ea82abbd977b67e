// SPDX-License-Identifier: GPL-2.0
/*
 * connect-data [TRIALS]: time to the first response byte with connect
 * data (WSAConnect's lpCallerData in the SYN, the reply in lpCalleeData)
 * over connect + send + recv, with netem on loopback giving RTT 10 and
 * 50 ms; median (and min-max) of TRIALS side-by-side ratios.  Needs root
 * (a private network namespace, its tcp_fastopen sysctl and a netem
 * qdisc).  Goal: ratio <= 0.55.
 */
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQ	"GET /index"
#define REPLY	"200 OK: hello"

static int listener;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *serve(void *arg)
{
	char buf[64];
	int fd;

	(void)arg;
	for (;;) {
		fd = accept(listener, NULL, NULL);
		if (fd < 0)
			continue;
		if (recv(fd, buf, sizeof(buf), 0) > 0)
			send(fd, REPLY, strlen(REPLY), MSG_NOSIGNAL);
		close(fd);
	}
	return NULL;
}

static double with_data(const struct sockaddr_in *sin)
{
	char back[64];
	WSABUF caller = { .len = strlen(REQ), .buf = REQ };
	WSABUF callee = { .len = sizeof(back), .buf = back };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	double t0 = now_ms(), t;

	if (WSAConnect(s, (const struct sockaddr *)sin, sizeof(*sin), &caller, &callee,
		       NULL, NULL) || callee.len == 0)
		t = -1;
	else
		t = now_ms() - t0;
	closesocket(s);
	return t;
}

static double without_data(const struct sockaddr_in *sin)
{
	char back[64];
	int s = socket(AF_INET, SOCK_STREAM, 0);
	double t0 = now_ms(), t = -1;

	if (!WSAConnect(s, (const struct sockaddr *)sin, sizeof(*sin), NULL, NULL, NULL, NULL) &&
	    send(s, REQ, strlen(REQ), 0) > 0 && recv(s, back, 1, 0) == 1)
		t = now_ms() - t0;
	closesocket(s);
	return t;
}

int main(int argc, char **argv)
{
	int trials = argc > 1 ? atoi(argv[1]) : 15, rtts[] = { 10, 50 }, i, r, on = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	double *a, *b, *q;
	char cmd[128], name[64];
	WSADATA wsa;
	pthread_t t;
	FILE *f;

	if (trials < 1 || unshare(CLONE_NEWNET) || system("ip link set lo up"))
		return perror("connect-data: setup"), 1;
	f = fopen("/proc/sys/net/ipv4/tcp_fastopen", "w");
	if (!f || fputs("3", f) < 0 || fclose(f))
		return perror("connect-data: tcp_fastopen"), 1;
	if (WSAStartup(MAKEWORD(2, 2), &wsa))
		return fprintf(stderr, "connect-data: WSAStartup\n"), 1;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(listener, (struct sockaddr *)&sin, len) || listen(listener, 128) ||
	    getsockname(listener, (struct sockaddr *)&sin, &len))
		return perror("connect-data: listen"), 1;
	/* A plain Linux TFO server, data accepted without a cookie. */
	i = 64;
	setsockopt(listener, IPPROTO_TCP, TCP_FASTOPEN, &i, sizeof(i));
	setsockopt(listener, IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE, &on, sizeof(on));
	pthread_create(&t, NULL, serve, NULL);
	a = calloc(trials, sizeof(*a));
	b = calloc(trials, sizeof(*b));
	q = calloc(trials, sizeof(*q));
	if (!a || !b || !q)
		return 1;
	printf("# connect data: time to the first response byte, %d trials per RTT\n",
	       trials);
	for (r = 0; r < 2; r++) {
		snprintf(cmd, sizeof(cmd), "tc qdisc replace dev lo root netem delay %dms",
			 rtts[r] / 2);
		if (system(cmd))
			return fprintf(stderr, "connect-data: netem unavailable\n"), 1;
		/* Side by side, so that each ratio compares one moment. */
		for (i = 0; i < trials; i++) {
			a[i] = with_data(&sin);
			b[i] = without_data(&sin);
			q[i] = a[i] > 0 && b[i] > 0 ? a[i] / b[i] : 1e9;
		}
		snprintf(name, sizeof(name), "RTT%dms_connect_data_ms", rtts[r]);
		bench_result("rtt", name, bench_stat(a, trials), "-");
		snprintf(name, sizeof(name), "RTT%dms_connect+send+recv_ms", rtts[r]);
		bench_result("rtt", name, bench_stat(b, trials), "-");
		snprintf(name, sizeof(name), "RTT%dms_ratio", rtts[r]);
		bench_result("rtt", name, bench_stat(q, trials), "<=0.55");
	}
	WSACleanup();
	return 0;
}
