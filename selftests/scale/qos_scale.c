// SPDX-License-Identifier: GPL-2.0
/*
 * What many sockets carrying QoS cost the kernel: `make scale` runs this
 * in a stock-6.1 VM (scripts/vm-run).  Not a pass/fail test.
 *
 *   qos_scale [N]        N sockets per protocol (default 100000, or
 *                        WSA_SCALE_N)
 *
 * In a private network namespace, for TCP (unconnected, the ULP attached
 * by the library) and then UDP: open N sockets, then commit a QoS on each
 * with SIO_SET_QOS, then read /proc/net/wsaconnect_qos, then close them
 * all.  It prints the kernel memory each step took per socket (Slab and
 * Percpu of /proc/meminfo, which cover sockets, files, inodes and the QoS
 * state), the times, and how long the states took to go once closed.
 */
#include <winsock2.h>
#include <qos.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "meminfo.h"

#define WSAC_QOS_PROC	"/proc/net/wsaconnect_qos"
#define WSAC_HOLDERS	"/sys/module/wsaconnect/parameters/holders"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_file(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(value, f);
		fclose(f);
	}
}

/* Bytes of one QoS state object (its slab cache), -1 if not shown. */
static long state_object_size(void)
{
	FILE *f = fopen("/sys/kernel/slab/wsac_qos_state/object_size", "r");
	long size = -1;

	if (f) {
		if (fscanf(f, "%ld", &size) != 1)
			size = -1;
		fclose(f);
	}
	return size;
}

/* This namespace's "qos" count in the holders parameter (0 if none). */
static long holders_qos(void)
{
	unsigned int inum, ulp, qos;
	struct stat st;
	long found = 0;
	FILE *f;

	if (stat("/proc/self/ns/net", &st))
		return -1;
	f = fopen(WSAC_HOLDERS, "r");
	if (!f)
		return -1;
	while (fscanf(f, "netns %u tcp_ulp %u qos %u\n", &inum, &ulp, &qos) == 3)
		if (inum == st.st_ino)
			found = qos;
	fclose(f);
	return found;
}

/* Read the whole /proc file with @bufsize reads: lines, and seconds. */
static long read_proc(size_t bufsize, double *secs)
{
	char *buf = malloc(bufsize);
	long lines = 0;
	double t0 = now();
	ssize_t n;
	int fd;

	fd = open(WSAC_QOS_PROC, O_RDONLY);
	if (fd < 0 || !buf) {
		free(buf);
		return -1;
	}
	while ((n = read(fd, buf, bufsize)) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	free(buf);
	*secs = now() - t0;
	return lines - 1;
}

static int run(const char *name, int type, int n)
{
	int *fds = calloc(n, sizeof(*fds));
	long k0, k1, k2, k3, lines;
	double t0, t_open, t_qos, t_close, t_gone, t_read;
	DWORD bytes;
	QOS q;
	int i;

	if (!fds)
		return -1;
	memset(&q, 0, sizeof(q));
	q.SendingFlowspec.ServiceType = SERVICETYPE_CONTROLLEDLOAD;
	q.SendingFlowspec.TokenRate = 125000;
	q.SendingFlowspec.PeakBandwidth = QOS_NOT_SPECIFIED;
	q.ReceivingFlowspec.ServiceType = SERVICETYPE_NOTRAFFIC;

	k0 = wsac_kmem_kib();
	t0 = now();
	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, type, 0);
		if (fds[i] < 0) {
			printf("# %s: socket %d: %s\n", name, i, strerror(errno));
			return -1;
		}
	}
	t_open = now() - t0;
	k1 = wsac_kmem_kib();
	t0 = now();
	for (i = 0; i < n; i++) {
		if (WSAIoctl(fds[i], SIO_SET_QOS, &q, sizeof(q), NULL, 0, &bytes,
			     NULL, NULL)) {
			printf("# %s: SIO_SET_QOS %d: %d\n", name, i, WSAGetLastError());
			return -1;
		}
	}
	t_qos = now() - t0;
	k2 = wsac_kmem_kib();
	lines = read_proc(128 * 1024, &t_read);
	printf("# %s: %d sockets: plain %.0f bytes/socket, QoS state +%.0f bytes/socket (Slab+Percpu)\n",
	       name, n, (k1 - k0) * 1024.0 / n, (k2 - k1) * 1024.0 / n);
	printf("# %s: open %.2f us/socket, SIO_SET_QOS %.2f us/socket\n", name,
	       t_open * 1e6 / n, t_qos * 1e6 / n);
	printf("# %s: /proc/net/wsaconnect_qos: %ld lines in %.3f s with 128 KiB reads",
	       name, lines, t_read);
	lines = read_proc(4096, &t_read);
	printf(", %ld lines in %.3f s with 4 KiB reads\n", lines, t_read);

	t0 = now();
	for (i = 0; i < n; i++)
		close(fds[i]);
	t_close = now() - t0;
	while (holders_qos() > 0 && now() - t0 < 120)
		usleep(1000);
	t_gone = now() - t0;
	k3 = wsac_kmem_kib();
	printf("# %s: close %.2f us/socket; all states gone %.3f s after the first close; %.0f bytes/socket not back yet\n",
	       name, t_close * 1e6 / n, t_gone, (k3 - k0) * 1024.0 / n);
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("WSA_SCALE_N");
	int n = argc > 1 ? atoi(argv[1]) : env ? atoi(env) : 100000;
	struct rlimit rl = { n + 1024, n + 1024 };
	char val[32];
	WSADATA wsa;
	int rc = 0;

	snprintf(val, sizeof(val), "%d", 2 * n + 65536);
	write_file("/proc/sys/fs/nr_open", val);
	write_file("/proc/sys/fs/file-max", val);
	if (setrlimit(RLIMIT_NOFILE, &rl))
		printf("# setrlimit(%d): %s\n", n + 1024, strerror(errno));
	if (unshare(CLONE_NEWNET)) {
		printf("# unshare: %s\n", strerror(errno));
		return 1;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsa)) {
		printf("# WSAStartup failed: is wsaconnect.ko loaded?\n");
		return 1;
	}
	printf("# qos_scale: %d sockets per protocol\n", n);
	printf("# QoS state object (wsac_qos_state): %ld bytes, goal <= 256\n",
	       state_object_size());
	rc |= run("tcp", SOCK_STREAM, n);
	rc |= run("udp", SOCK_DGRAM, n);
	WSACleanup();
	return rc ? 1 : 0;
}
