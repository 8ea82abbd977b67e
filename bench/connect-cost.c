// SPDX-License-Identifier: GPL-2.0
/*
 * Connect cost (issue 14, item 1): connections per second over loopback,
 * as ratios measured side by side in one run, median of TRIALS trials:
 *   WSAConnect() / connect(2)                                  goal >= 0.95
 *   WSAConnect() + sending FLOWSPEC / connect(2) + the setsockopt(2)
 *   calls a Linux user writes for it (SO_MAX_PACING_RATE, IP_TOS,
 *   SO_PRIORITY)                                               goal >= 0.90
 * Each trial interleaves the four kinds in rounds of BLOCK connections
 * each, in an order that rotates from round to round, on the same
 * listener, so that a slower moment of the machine (TCG, a busy host)
 * weighs on all four alike instead of on whichever ran then.
 *
 * usage: connect-cost [CONNECTIONS [TRIALS]]
 *        connect-cost --only KIND CONNECTIONS   (KIND 0-3, enum
 *        bench_connect: one kind alone, for strace -c; prints nothing)
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRIALS	99
#define BLOCK		25

int main(int argc, char **argv)
{
	double t[4], wsa[MAX_TRIALS], qos[MAX_TRIALS], rate[4][MAX_TRIALS];
	int n, trials, i, k;
	struct sockaddr_in target;
	WSADATA wsa_data;
	QOS q;

	if (WSAStartup(MAKEWORD(2, 2), &wsa_data))
		return fprintf(stderr, "connect-cost: WSAStartup: %s\n",
			       wsa_data.szSystemStatus), 1;
	/* A finite rate, so that the cap is set as well as TOS and priority. */
	bench_fill_qos(&q, SERVICETYPE_CONTROLLEDLOAD, 125000000);
	bench_listen(&target);
	if (argc == 4 && !strcmp(argv[1], "--only")) {
		bench_connections(&target, atoi(argv[3]), atoi(argv[2]), &q);
		return 0;
	}
	n = argc > 1 ? atoi(argv[1]) : 2000;
	trials = argc > 2 ? atoi(argv[2]) : 5;
	if (n < 1 || trials < 1 || trials > MAX_TRIALS)
		return fprintf(stderr, "connect-cost: bad arguments\n"), 2;

	for (k = 0; k < 4; k++)		/* warm up caches and the module */
		bench_connections(&target, n / 10 + 1, k, &q);
	for (i = 0; i < trials; i++) {
		int done, round = 0, b;

		memset(t, 0, sizeof(t));
		for (done = 0; done < n; done += b, round++) {
			b = n - done < BLOCK ? n - done : BLOCK;
			for (k = 0; k < 4; k++) {
				int kind = (k + round) % 4;

				t[kind] += bench_connections(&target, b, kind, &q);
			}
		}
		for (k = 0; k < 4; k++)
			rate[k][i] = n / t[k];
		wsa[i] = t[BENCH_CONNECT] / t[BENCH_WSACONNECT];
		qos[i] = t[BENCH_CONNECT_OPTS] / t[BENCH_WSACONNECT_QOS];
	}
	printf("# connect-cost: %d TCP connections over loopback per kind, %d trials\n",
	       n, trials);
	bench_result("connect", "connect(2)_conn/s", bench_stat(rate[0], trials), "-");
	bench_result("connect", "WSAConnect_conn/s", bench_stat(rate[1], trials), "-");
	bench_result("connect", "connect(2)+setsockopt_conn/s", bench_stat(rate[2], trials), "-");
	bench_result("connect", "WSAConnect+FLOWSPEC_conn/s", bench_stat(rate[3], trials), "-");
	bench_result("connect", "ratio_WSAConnect/connect(2)", bench_stat(wsa, trials), ">=0.95");
	bench_result("connect", "ratio_WSAConnect+FLOWSPEC/connect(2)+setsockopt",
		     bench_stat(qos, trials), ">=0.90");
	WSACleanup();
	return 0;
}
