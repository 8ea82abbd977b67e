// SPDX-License-Identifier: GPL-2.0
/*
 * What the QoS state of other sockets costs a new connection (issue 14,
 * items 4 and 5), in a private network namespace over loopback:
 *
 *   qos-load scale CONNECTIONS TRIALS N...
 *	WSAConnect() with a sending FLOWSPEC, connections per second, with
 *	no other socket, then with N UDP sockets carrying a QoS state each
 *	(SIO_SET_QOS, as make scale's selftests/scale/qos_scale does); the
 *	kernel memory those states take per socket (Slab + Percpu of
 *	/proc/meminfo); the time to read /proc/net/wsaconnect_qos at the
 *	largest N.
 *   qos-load admission CONNECTIONS TRIALS FLOWS
 *	a Guaranteed WSAConnect(), connections per second, admitted on lo
 *	against a capacity, with no other flow admitted there, then with
 *	FLOWS Guaranteed UDP flows admitted on lo (fq on lo for both).
 *
 * Ratios are per trial over the median of the empty case, once as
 * measured and once host-normalized (see report_ratio()).  Needs root.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../selftests/scale/meminfo.h"

#define MAX_TRIALS	99
#define BLOCK		25
#define QOS_PROC	"/proc/net/wsaconnect_qos"
#define ADMISSION_PROC	"/proc/net/wsaconnect_admission"

static struct sockaddr_in target;

static int write_file(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(value, f);
	return fclose(f);
}

/* Seconds to read the whole /proc file with 128 KiB reads. */
static double read_proc(void)
{
	static char buf[128 * 1024];
	double t0 = bench_now();
	int fd = open(QOS_PROC, O_RDONLY);

	if (fd < 0)
		return -1;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return bench_now() - t0;
}

/*
 * Connections per second of @trials trials into @rate: WSAConnect() with
 * @q, interleaved in rounds of BLOCK with connect(2) plus the same options
 * (into @ref), which the QoS state of other sockets does not concern: its
 * rate tells a slower host from a slower WSAConnect().
 */
static void measure(int n, int trials, const QOS *q, double *rate, double *ref)
{
	double t, tr;
	int i, done, b;

	for (i = 0; i < trials; i++) {
		t = tr = 0;
		for (done = 0; done < n; done += b) {
			b = n - done < BLOCK ? n - done : BLOCK;
			t += bench_connections(&target, b, BENCH_WSACONNECT_QOS, q);
			tr += bench_connections(&target, b, BENCH_CONNECT_OPTS, q);
		}
		rate[i] = n / t;
		ref[i] = n / tr;
	}
}

/* The median of @rate over @ref, trial by trial. */
static double relative(const double *rate, const double *ref, int trials)
{
	double v[MAX_TRIALS];
	int i;

	for (i = 0; i < trials; i++)
		v[i] = rate[i] / ref[i];
	return bench_stat(v, trials).median;
}

/*
 * Two ratios to the empty case: of the rates as measured, and of the
 * rates relative to the interleaved connect(2) (host-normalized), which
 * leaves out what the host's load did between the two measurements.
 */
static void report_ratio(const char *section, const char *name, const double *rate,
			 const double *ref, int trials, double base, double base_rel,
			 const char *goal)
{
	double raw[MAX_TRIALS], norm[MAX_TRIALS];
	char label[128];
	int i;

	for (i = 0; i < trials; i++) {
		raw[i] = rate[i] / base;
		norm[i] = rate[i] / ref[i] / base_rel;
	}
	bench_result(section, name, bench_stat(raw, trials), goal);
	snprintf(label, sizeof(label), "%s_host-normalized", name);
	bench_result(section, label, bench_stat(norm, trials), goal);
}

static int scale(int n, int trials, int nlevels, char **levels)
{
	double rate[MAX_TRIALS], ref[MAX_TRIALS], secs[3], base, base_rel;
	int open = 0, *fds, level, i, top = atoi(levels[nlevels - 1]);
	char name[96];
	long k0, k1, k2;
	DWORD bytes;
	QOS q, uq;

	bench_fill_qos(&q, SERVICETYPE_CONTROLLEDLOAD, 125000000);
	bench_fill_qos(&uq, SERVICETYPE_CONTROLLEDLOAD, 125000);
	fds = calloc(top + 1, sizeof(*fds));
	if (!fds)
		return 1;
	measure(n / 10 + 1, 1, &q, rate, ref);	/* warm up */
	measure(n, trials, &q, rate, ref);
	base_rel = relative(rate, ref, trials);
	base = bench_stat(rate, trials).median;
	bench_result("scale", "0_sockets_WSAConnect+FLOWSPEC_conn/s",
		     bench_stat(rate, trials), "-");
	for (level = 0; level < nlevels; level++) {
		int want = atoi(levels[level]);

		k0 = wsac_kmem_kib();
		for (i = open; i < want; i++)
			if ((fds[i] = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
				return perror("qos-load: socket"), 1;
		k1 = wsac_kmem_kib();
		for (i = open; i < want; i++)
			if (WSAIoctl(fds[i], SIO_SET_QOS, &uq, sizeof(uq), NULL, 0,
				     &bytes, NULL, NULL))
				return fprintf(stderr, "qos-load: SIO_SET_QOS: %d\n",
					       WSAGetLastError()), 1;
		k2 = wsac_kmem_kib();
		if (want > open) {
			double per = (k2 - k1) * 1024.0 / (want - open);
			struct bench_stat one = { per, per, per };

			snprintf(name, sizeof(name), "%d_sockets_QoS_state_bytes/socket", want);
			bench_result("scale", name, one, "<=256");
			per = (k1 - k0) * 1024.0 / (want - open);
			one = (struct bench_stat){ per, per, per };
			snprintf(name, sizeof(name), "%d_sockets_plain_UDP_socket_bytes", want);
			bench_result("scale", name, one, "-");
		}
		open = want;
		measure(n, trials, &q, rate, ref);
		snprintf(name, sizeof(name), "%d_sockets_conn_rate/0_sockets", want);
		report_ratio("scale", name, rate, ref, trials, base, base_rel, ">=0.95");
	}
	for (i = 0; i < 3; i++)
		secs[i] = read_proc();
	snprintf(name, sizeof(name), "%d_sockets_%s_read_s", top, QOS_PROC);
	bench_result("scale", name, bench_stat(secs, 3), "-");
	return 0;
}

static int admission(int n, int trials, int flows)
{
	double rate[MAX_TRIALS], ref[MAX_TRIALS], base, base_rel;
	struct sockaddr_in sink = target;
	char name[96];
	QOS q, fq;
	int i, s;

	/*
	 * Room for every flow and every connection: only the lookup counts.
	 * fq on lo, since a UDP flow's cap is in force only through fq.
	 */
	if (write_file(ADMISSION_PROC, "lo 4000000000 100%"))
		return perror("qos-load: " ADMISSION_PROC), 1;
	if (system("tc qdisc replace dev lo root fq"))
		return fprintf(stderr, "qos-load: no fq on lo\n"), 1;
	bench_fill_qos(&q, SERVICETYPE_GUARANTEED, 1000);
	bench_fill_qos(&fq, SERVICETYPE_GUARANTEED, 1000);
	measure(n / 10 + 1, 1, &q, rate, ref);	/* warm up */
	measure(n, trials, &q, rate, ref);
	base_rel = relative(rate, ref, trials);
	base = bench_stat(rate, trials).median;
	bench_result("admission", "0_flows_Guaranteed_WSAConnect_conn/s",
		     bench_stat(rate, trials), "-");
	sink.sin_port = htons(9);
	for (i = 0; i < flows; i++) {
		s = socket(AF_INET, SOCK_DGRAM, 0);
		if (WSAConnect(s, (struct sockaddr *)&sink, sizeof(sink), NULL, NULL,
			       &fq, NULL))
			return fprintf(stderr, "qos-load: flow %d: %d\n", i,
				       WSAGetLastError()), 1;
	}
	measure(n, trials, &q, rate, ref);
	snprintf(name, sizeof(name), "%d_flows_Guaranteed_conn_rate/0_flows", flows);
	report_ratio("admission", name, rate, ref, trials, base, base_rel, ">=0.95");
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0, trials = argc > 3 ? atoi(argv[3]) : 0;
	struct rlimit rl = { 1 << 20, 1 << 20 };
	WSADATA wsa;

	if (argc < 5 || n < 1 || trials < 1 || trials > MAX_TRIALS)
		return fprintf(stderr, "usage: qos-load scale|admission CONNECTIONS TRIALS N...\n"), 2;
	write_file("/proc/sys/fs/nr_open", "1048576");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		perror("qos-load: setrlimit");
	if (unshare(CLONE_NEWNET) || system("ip link set lo up"))
		return perror("qos-load: network namespace"), 1;
	if (WSAStartup(MAKEWORD(2, 2), &wsa))
		return fprintf(stderr, "qos-load: WSAStartup: %s\n", wsa.szSystemStatus), 1;
	bench_listen(&target);
	if (!strcmp(argv[1], "scale"))
		return scale(n, trials, argc - 4, argv + 4);
	if (!strcmp(argv[1], "admission"))
		return admission(n, trials, atoi(argv[4]));
	return 2;
}
