/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the bench programs share: a clock, the statistics every figure is
 * reported with (median of repeated trials and their min-max spread) and
 * the line format bench/report turns into bench/README.md's tables.
 */
#ifndef WSAC_BENCH_COMMON_H
#define WSAC_BENCH_COMMON_H

#include <winsock2.h>
#include <qos.h>

double bench_now(void);

struct bench_stat {
	double median, min, max;
};

/* Sorts @v in place. */
struct bench_stat bench_stat(double *v, int n);

/*
 * One figure as a line of its own, also readable by bench/report:
 *   result <section> <name> <median> <min> <max> <goal>
 * @goal is what the median should reach, as text ("> =0.95", "-"); the
 * bench compares nothing itself and never fails on a figure.
 */
void bench_result(const char *section, const char *name, struct bench_stat s,
		  const char *goal);

/* A loopback TCP listener whose connections a thread accepts and closes. */
void bench_listen(struct sockaddr_in *target);

/* A sending FLOWSPEC of @type capped at @rate bytes/s, nothing else. */
void bench_fill_qos(QOS *qos, ULONG type, ULONG rate);

/*
 * Seconds for @n TCP connections to @target, one socket each, closed with
 * an RST so that ports do not run out, by close(2) after connect(2) and by
 * closesocket() after WSAConnect(), as each kind's programs do (close(2)
 * would leave the library's entry for the descriptor behind, to be found
 * stale, and checked, by the next socket with that number).  @how: see
 * enum bench_connect.
 */
enum bench_connect {
	BENCH_CONNECT,		/* connect(2) */
	BENCH_WSACONNECT,	/* WSAConnect(), no QoS */
	BENCH_CONNECT_OPTS,	/* connect(2) + the setsockopts for @qos */
	BENCH_WSACONNECT_QOS,	/* WSAConnect() with @qos */
};
double bench_connections(const struct sockaddr_in *target, int n,
			 enum bench_connect how, const QOS *qos);

#endif
