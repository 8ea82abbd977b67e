// SPDX-License-Identifier: GPL-2.0
/* What the bench programs share: see common.h. */
#include "common.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct bench_stat bench_stat(double *v, int n)
{
	struct bench_stat s = { 0, 0, 0 };

	if (n < 1)
		return s;
	qsort(v, n, sizeof(*v), cmp);
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

void bench_result(const char *section, const char *name, struct bench_stat s,
		  const char *goal)
{
	printf("result %s %s %.4g %.4g %.4g %s\n", section, name, s.median, s.min,
	       s.max, goal);
	fflush(stdout);
}

static void *acceptor(void *arg)
{
	int l = (int)(long)arg, c;

	while ((c = accept(l, NULL, NULL)) >= 0)
		close(c);
	return NULL;
}

void bench_listen(struct sockaddr_in *target)
{
	socklen_t len = sizeof(*target);
	pthread_t thread;
	int l;

	memset(target, 0, sizeof(*target));
	target->sin_family = AF_INET;
	target->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)target, len) || listen(l, 4096) ||
	    getsockname(l, (struct sockaddr *)target, &len) ||
	    pthread_create(&thread, NULL, acceptor, (void *)(long)l)) {
		perror("bench: listener");
		exit(1);
	}
}

void bench_fill_qos(QOS *qos, ULONG type, ULONG rate)
{
	memset(qos, 0, sizeof(*qos));
	memset(&qos->SendingFlowspec, 0xff, sizeof(qos->SendingFlowspec));
	qos->SendingFlowspec.ServiceType = type;
	qos->SendingFlowspec.TokenRate = rate;
	qos->ReceivingFlowspec.ServiceType = SERVICETYPE_NOTRAFFIC;
}

/*
 * What a Linux programmer writes for a sending FLOWSPEC of ServiceType
 * ControlledLoad or Guaranteed (Documentation/qos.rst, "ServiceType
 * mapping"): the pacing cap, the TOS byte, then the priority, since
 * IP_TOS resets it.
 */
static int linux_opts(int s, const QOS *qos)
{
	int guaranteed = qos->SendingFlowspec.ServiceType == SERVICETYPE_GUARANTEED;
	unsigned long long rate = qos->SendingFlowspec.TokenRate;
	int tos = guaranteed ? 0xa0 : 0x60, prio = guaranteed ? 6 : 4;

	return setsockopt(s, SOL_SOCKET, SO_MAX_PACING_RATE, &rate, sizeof(rate)) ||
	       setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) ||
	       setsockopt(s, SOL_SOCKET, SO_PRIORITY, &prio, sizeof(prio));
}

double bench_connections(const struct sockaddr_in *target, int n,
			 enum bench_connect how, const QOS *qos)
{
	const struct sockaddr *sa = (const struct sockaddr *)target;
	static const struct linger rst = { 1, 0 };
	double start = bench_now();
	int i, r;

	for (i = 0; i < n; i++) {
		SOCKET s = socket(AF_INET, SOCK_STREAM, 0);

		switch (how) {
		case BENCH_CONNECT:
			r = connect(s, sa, sizeof(*target));
			break;
		case BENCH_CONNECT_OPTS:
			r = linux_opts(s, qos) ? -1 : connect(s, sa, sizeof(*target));
			break;
		default:
			r = WSAConnect(s, sa, sizeof(*target), NULL, NULL,
				       how == BENCH_WSACONNECT_QOS ? (LPQOS)qos : NULL,
				       NULL);
		}
		if (r) {
			fprintf(stderr, "bench: connection kind %d: errno %d, WSA %d\n",
				how, errno, WSAGetLastError());
			exit(1);
		}
		setsockopt(s, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
		/* What each kind's programs close with: the whole cost. */
		if (how == BENCH_CONNECT || how == BENCH_CONNECT_OPTS)
			close(s);
		else
			closesocket(s);
	}
	return bench_now() - start;
}
