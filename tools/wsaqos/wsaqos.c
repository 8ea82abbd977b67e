// SPDX-License-Identifier: GPL-2.0
/*
 * wsaqos: show the sockets carrying wsaconnect QoS and the admission table,
 * and set or clear a device's admission capacity.
 *
 * Everything comes from /proc: /proc/net/wsaconnect_qos and
 * /proc/net/wsaconnect_admission (parsed by the names in their header line,
 * so that columns added later are shown in --json and never break it),
 * /proc/net/{tcp,tcp6,udp,udp6} for the addresses and /proc/PID/fd for the
 * owning processes.  Whether a device has an fq qdisc comes from one
 * RTM_GETQDISC dump.  See wsaqos(8).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef WSAQOS_VERSION
#define WSAQOS_VERSION "1.0.0"
#endif

/* Exit codes, documented in wsaqos(8). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed (EPERM, ENODEV, I/O) */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NOMODULE = 3,	/* the module is not loaded */
};

static const char *proc_dir = "/proc";
static const char *prog = "wsaqos";

#define QOS_FILE "net/wsaconnect_qos"
#define ADM_FILE "net/wsaconnect_admission"

#define MAX_COLS 64

/* One /proc table: column names from its header line, then rows. */
struct table {
	int ncols;
	char *cols[MAX_COLS];
	int nrows;
	char ***rows;		/* rows[i][j]: column j of row i, or NULL */
};

static void die_oom(void)
{
	fprintf(stderr, "%s: out of memory\n", prog);
	exit(EXIT_FAIL);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die_oom();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die_oom();
	return d;
}

static void proc_path(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", proc_dir, rel);
}

static int split(char *line, char **tok, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " \t\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\n", &save))
		tok[n++] = t;
	return n;
}

/* 0, or -errno; ENOENT means the module is not loaded. */
static int table_read(const char *rel, struct table *t)
{
	char path[PATH_MAX], *line = NULL, *tok[MAX_COLS];
	size_t cap = 0;
	FILE *f;
	int n, i;

	memset(t, 0, sizeof(*t));
	proc_path(path, sizeof(path), rel);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (getline(&line, &cap, f) < 0) {
		free(line);
		fclose(f);
		return -EIO;
	}
	n = split(line, tok, MAX_COLS);
	for (i = 0; i < n; i++)
		t->cols[i] = xstrdup(tok[i]);
	t->ncols = n;
	while (getline(&line, &cap, f) >= 0) {
		char **row;

		n = split(line, tok, MAX_COLS);
		if (n == 0)
			continue;
		row = xrealloc(NULL, sizeof(*row) * t->ncols);
		for (i = 0; i < t->ncols; i++)
			row[i] = i < n ? xstrdup(tok[i]) : NULL;
		t->rows = xrealloc(t->rows, sizeof(*t->rows) * (t->nrows + 1));
		t->rows[t->nrows++] = row;
	}
	free(line);
	fclose(f);
	return 0;
}

static int table_col(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

static const char *cell(const struct table *t, int row, const char *name)
{
	int c = table_col(t, name);

	return c < 0 ? NULL : t->rows[row][c];
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

static int module_missing(const char *rel)
{
	fprintf(stderr, "%s: module not loaded: %s/%s missing -- modprobe wsaconnect\n",
		prog, proc_dir, rel);
	return EXIT_NOMODULE;
}

static int read_or_explain(const char *rel, struct table *t)
{
	int err = table_read(rel, t);

	if (err == -ENOENT)
		return module_missing(rel);
	if (err) {
		fprintf(stderr, "%s: %s/%s: %s\n", prog, proc_dir, rel, strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* --- sockets: addresses, state, owners ---------------------------------- */

struct sockinfo {
	unsigned long ino;
	char local[INET6_ADDRSTRLEN + 8];
	char remote[INET6_ADDRSTRLEN + 8];
	int state;
	bool found;
};

struct owner {
	unsigned long ino;
	int pid;
	int fd;
	char comm[32];
};

static struct owner *owners;
static size_t nowners;

static const char *const tcp_states[] = {
	[1] = "ESTAB", [2] = "SYN-SENT", [3] = "SYN-RECV", [4] = "FIN-WAIT-1",
	[5] = "FIN-WAIT-2", [6] = "TIME-WAIT", [7] = "UNCONN", [8] = "CLOSE-WAIT",
	[9] = "LAST-ACK", [10] = "LISTEN", [11] = "CLOSING", [12] = "NEW-SYN-RECV",
};

static const char *state_name(const char *proto, int st)
{
	if (st <= 0 || st >= (int)(sizeof(tcp_states) / sizeof(tcp_states[0])))
		return "-";
	/* UDP reports TCP_ESTABLISHED for a connected socket, TCP_CLOSE else. */
	if (!strcmp(proto, "udp") && st != 1)
		return "UNCONN";
	return tcp_states[st];
}

/* "0100007F:1F90" (IPv4) or 32 hex digits and a port (IPv6). */
static void format_addr(const char *hex, bool v6, char *out, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	const char *colon = strchr(hex, ':');
	unsigned int port;

	snprintf(out, len, "?");
	if (!colon || sscanf(colon + 1, "%x", &port) != 1)
		return;
	if (!v6) {
		struct in_addr a;
		uint32_t w;

		if (sscanf(hex, "%8x", &w) != 1)
			return;
		memcpy(&a, &w, sizeof(w));	/* printed as the raw word */
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
		snprintf(out, len, "%s:%u", w ? ip : "*", port);
	} else {
		struct in6_addr a;
		uint32_t w[4];
		char part[9];

		for (int i = 0; i < 4; i++) {
			memcpy(part, hex + 8 * i, 8);
			part[8] = 0;
			if (sscanf(part, "%8x", &w[i]) != 1)
				return;
		}
		memcpy(&a, w, sizeof(a));
		inet_ntop(AF_INET6, &a, ip, sizeof(ip));
		if (IN6_IS_ADDR_UNSPECIFIED(&a))
			snprintf(out, len, "*:%u", port);
		else
			snprintf(out, len, "[%s]:%u", ip, port);
	}
}

/*
 * /proc/net/{tcp,udp}{,6} have a fixed layout whose header words do not
 * match its fields one to one: sl, local, remote, st, queues, timer,
 * retransmits, uid, timeout, inode.
 */
static void scan_inet(const char *rel, bool v6, struct sockinfo *si, int n)
{
	char path[PATH_MAX], *line = NULL, *tok[16];
	size_t cap = 0;
	FILE *f;

	proc_path(path, sizeof(path), rel);
	f = fopen(path, "re");
	if (!f)
		return;
	if (getline(&line, &cap, f) < 0)
		goto out;
	while (getline(&line, &cap, f) >= 0) {
		unsigned long ino;

		if (split(line, tok, 16) < 10)
			continue;
		ino = strtoul(tok[9], NULL, 10);
		for (int i = 0; i < n; i++) {
			if (si[i].found || si[i].ino != ino)
				continue;
			format_addr(tok[1], v6, si[i].local, sizeof(si[i].local));
			format_addr(tok[2], v6, si[i].remote, sizeof(si[i].remote));
			si[i].state = (int)strtol(tok[3], NULL, 16);
			si[i].found = true;
		}
	}
out:
	free(line);
	fclose(f);
}

static bool wanted(const struct sockinfo *si, int n, unsigned long ino)
{
	for (int i = 0; i < n; i++)
		if (si[i].ino == ino)
			return true;
	return false;
}

/* Every fd under /proc/PID/fd that is one of the sockets listed. */
static void scan_owners(const struct sockinfo *si, int n)
{
	char path[PATH_MAX], link[64];
	struct dirent *pe, *fe;
	DIR *pd, *fdd;

	pd = opendir(proc_dir);
	if (!pd)
		return;
	while ((pe = readdir(pd))) {
		char comm[32] = "?";
		bool have_comm = false;
		int pid;

		if (!isdigit((unsigned char)pe->d_name[0]))
			continue;
		pid = atoi(pe->d_name);
		snprintf(path, sizeof(path), "%s/%d/fd", proc_dir, pid);
		fdd = opendir(path);
		if (!fdd)
			continue;	/* gone, or not ours to read */
		while ((fe = readdir(fdd))) {
			unsigned long ino;
			ssize_t l;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%d/fd/%s", proc_dir, pid, fe->d_name);
			l = readlink(path, link, sizeof(link) - 1);
			if (l <= 0)
				continue;
			link[l] = 0;
			if (sscanf(link, "socket:[%lu]", &ino) != 1 || !wanted(si, n, ino))
				continue;
			if (!have_comm) {
				FILE *f;

				snprintf(path, sizeof(path), "%s/%d/comm", proc_dir, pid);
				f = fopen(path, "re");
				if (f) {
					if (fgets(comm, sizeof(comm), f))
						comm[strcspn(comm, "\n")] = 0;
					fclose(f);
				}
				have_comm = true;
			}
			owners = xrealloc(owners, sizeof(*owners) * (nowners + 1));
			owners[nowners].ino = ino;
			owners[nowners].pid = pid;
			owners[nowners].fd = atoi(fe->d_name);
			snprintf(owners[nowners].comm, sizeof(owners[nowners].comm), "%s", comm);
			nowners++;
		}
		closedir(fdd);
	}
	closedir(pd);
}

/* --- fq per device, from one RTM_GETQDISC dump --------------------------- */

static int *fq_ifindex;
static size_t nfq;
static bool fq_known;

static void scan_qdiscs(void)
{
	struct {
		struct nlmsghdr nh;
		struct tcmsg tc;
	} req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg)),
			.nlmsg_type = RTM_GETQDISC,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.tc = { .tcm_family = AF_UNSPEC },
	};
	static char buf[32768];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		goto out;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (len <= 0)
			goto out;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)len);
		     nh = NLMSG_NEXT(nh, len)) {
			struct tcmsg *tc;
			struct rtattr *a;
			int alen;

			if (nh->nlmsg_type == NLMSG_DONE) {
				fq_known = true;
				goto out;
			}
			if (nh->nlmsg_type == NLMSG_ERROR)
				goto out;
			if (nh->nlmsg_type != RTM_NEWQDISC)
				continue;
			tc = NLMSG_DATA(nh);
			alen = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*tc));
			for (a = (struct rtattr *)((char *)tc + NLMSG_ALIGN(sizeof(*tc)));
			     RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
				if (a->rta_type == TCA_KIND &&
				    !strncmp(RTA_DATA(a), "fq", RTA_PAYLOAD(a))) {
					fq_ifindex = xrealloc(fq_ifindex,
							      sizeof(int) * (nfq + 1));
					fq_ifindex[nfq++] = tc->tcm_ifindex;
				}
			}
		}
	}
out:
	close(fd);
}

/* "yes", "no", or "-" when unknown or no device. */
static const char *has_fq(int ifindex)
{
	if (ifindex <= 0 || !fq_known)
		return "-";
	for (size_t i = 0; i < nfq; i++)
		if (fq_ifindex[i] == ifindex)
			return "yes";
	return "no";
}

/* --- output helpers ----------------------------------------------------- */

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* A column value as JSON: a number when it is one, null for "-". */
static void json_val(const char *s)
{
	uint64_t v;

	if (!s || !strcmp(s, "-"))
		fputs("null", stdout);
	else if (parse_u64(s, &v))
		printf("%" PRIu64, v);
	else
		json_str(s);
}

static const char *service_name(uint64_t t)
{
	switch (t & 0xffff) {
	case 0x0: return "notraffic";
	case 0x1: return "besteffort";
	case 0x2: return "controlledload";
	case 0x3: return "guaranteed";
	case 0x4: return "unavailable";
	case 0x5: return "general";
	case 0x6: return "nochange";
	case 0x9: return "nonconforming";
	case 0xa: return "netcontrol";
	case 0xd: return "qualitative";
	}
	return "?";
}

/* Bytes per second as tc prints rates: bits, with a decimal prefix. */
static void fmt_rate(const char *bytes, char *out, size_t len)
{
	static const char *const unit[] = { "bit", "Kbit", "Mbit", "Gbit", "Tbit" };
	uint64_t v;
	double bits;
	int u = 0;

	if (!parse_u64(bytes, &v)) {
		snprintf(out, len, "%s", bytes ? bytes : "-");
		return;
	}
	if (v == UINT32_MAX || v == UINT64_MAX) {
		snprintf(out, len, "unlimited");
		return;
	}
	bits = (double)v * 8;
	while (bits >= 1000 && u < 4 && (uint64_t)bits % 1000 == 0) {
		bits /= 1000;
		u++;
	}
	snprintf(out, len, "%.0f%s", bits, unit[u]);
}

static void fmt_flow(const struct table *t, int r, const char *type_col,
		     const char *rate_col, char *out, size_t len)
{
	char rate[32];
	uint64_t type;

	if (!parse_u64(cell(t, r, type_col), &type)) {
		snprintf(out, len, "-");
		return;
	}
	fmt_rate(cell(t, r, rate_col), rate, sizeof(rate));
	if (type == 0)
		snprintf(out, len, "-");
	else if (!strcmp(rate, "0bit") || !strcmp(rate, "unlimited"))
		snprintf(out, len, "%s", service_name(type));
	else
		snprintf(out, len, "%s/%s", service_name(type), rate);
}

static void ifname(int ifindex, char *out)
{
	if (ifindex <= 0 || !if_indextoname((unsigned int)ifindex, out))
		snprintf(out, IF_NAMESIZE, "%s", ifindex > 0 ? "?" : "-");
}

static int dscp_of(const struct table *t, int r)
{
	const char *fam = cell(t, r, "family");
	uint64_t v;

	if (!parse_u64(cell(t, r, fam && !strcmp(fam, "inet6") ? "tclass" : "tos"), &v))
		return -1;
	return (int)(v >> 2);
}

/*
 * A key wsaqos derives; when the module's table has a column of that name
 * (columns may be added), the derived value is named "wsaqos_<key>".
 */
static void json_key(const struct table *t, const char *key, bool comma)
{
	printf("%s\"%s%s\":", comma ? "," : "", table_col(t, key) >= 0 ? "wsaqos_" : "", key);
}

/* --- commands ----------------------------------------------------------- */

static int cmd_sockets(bool json)
{
	struct table t;
	struct sockinfo *si;
	int rc = read_or_explain(QOS_FILE, &t);

	if (rc)
		return rc;
	if (table_col(&t, "inode") < 0) {
		fprintf(stderr, "%s: %s/%s has no inode column\n", prog, proc_dir, QOS_FILE);
		return EXIT_FAIL;
	}
	si = xrealloc(NULL, sizeof(*si) * (t.nrows + 1));
	memset(si, 0, sizeof(*si) * (t.nrows + 1));
	for (int r = 0; r < t.nrows; r++) {
		si[r].ino = strtoul(cell(&t, r, "inode"), NULL, 10);
		snprintf(si[r].local, sizeof(si[r].local), "?");
		snprintf(si[r].remote, sizeof(si[r].remote), "?");
	}
	scan_inet("net/tcp", false, si, t.nrows);
	scan_inet("net/tcp6", true, si, t.nrows);
	scan_inet("net/udp", false, si, t.nrows);
	scan_inet("net/udp6", true, si, t.nrows);
	scan_owners(si, t.nrows);
	scan_qdiscs();

	if (json)
		printf("[");
	else
		printf("%-5s %-10s %-22s %-22s %-20s %-20s %-4s %-4s %-9s %-4s %-8s %-3s %s\n",
		       "Netid", "State", "Local Address:Port", "Peer Address:Port",
		       "Send", "Recv", "DSCP", "Prio", "Pacing", "By", "Dev", "fq",
		       "Process");
	for (int r = 0; r < t.nrows; r++) {
		const char *proto = cell(&t, r, "proto");
		char dev[IF_NAMESIZE], send[48], recv[48], pacing[32], dscps[8];
		uint64_t ifindex = 0, prio = 0;
		int dscp = dscp_of(&t, r);

		if (!proto)
			proto = "?";
		parse_u64(cell(&t, r, "ifindex"), &ifindex);
		ifname((int)ifindex, dev);
		if (json) {
			printf("%s\n {", r ? "," : "");
			for (int c = 0; c < t.ncols; c++) {
				json_str(t.cols[c]);
				putchar(':');
				json_val(t.rows[r][c]);
				putchar(',');
			}
			json_key(&t, "state", false);
			json_str(si[r].found ? state_name(proto, si[r].state) : "-");
			json_key(&t, "local", true);
			si[r].found ? json_str(si[r].local) : (void)fputs("null", stdout);
			json_key(&t, "peer", true);
			si[r].found ? json_str(si[r].remote) : (void)fputs("null", stdout);
			json_key(&t, "dscp", true);
			dscp >= 0 ? (void)printf("%d", dscp) : (void)fputs("null", stdout);
			json_key(&t, "send_service", true);
			json_str(cell(&t, r, "send_type") ?
				 service_name(strtoull(cell(&t, r, "send_type"), NULL, 0)) : "?");
			json_key(&t, "recv_service", true);
			json_str(cell(&t, r, "recv_type") ?
				 service_name(strtoull(cell(&t, r, "recv_type"), NULL, 0)) : "?");
			json_key(&t, "device", true);
			ifindex ? json_str(dev) : (void)fputs("null", stdout);
			json_key(&t, "fq", true);
			if (!strcmp(has_fq((int)ifindex), "-"))
				fputs("null", stdout);
			else
				fputs(strcmp(has_fq((int)ifindex), "yes") ? "false" : "true", stdout);
			printf(",\"users\":[");
			for (size_t o = 0, n = 0; o < nowners; o++) {
				if (owners[o].ino != si[r].ino)
					continue;
				printf("%s{\"pid\":%d,\"fd\":%d,\"comm\":", n++ ? "," : "",
				       owners[o].pid, owners[o].fd);
				json_str(owners[o].comm);
				putchar('}');
			}
			printf("]}");
			continue;
		}
		fmt_flow(&t, r, "send_type", "send_rate", send, sizeof(send));
		fmt_flow(&t, r, "recv_type", "recv_rate", recv, sizeof(recv));
		fmt_rate(cell(&t, r, "pacing_rate"), pacing, sizeof(pacing));
		parse_u64(cell(&t, r, "priority"), &prio);
		snprintf(dscps, sizeof(dscps), dscp >= 0 ? "%d" : "-", dscp);
		printf("%-5s %-10s %-22s %-22s %-20s %-20s %-4s %-4" PRIu64 " %-9s %-4s %-8s %-3s ",
		       proto, si[r].found ? state_name(proto, si[r].state) : "-",
		       si[r].local, si[r].remote, send, recv,
		       dscps, prio, pacing,
		       cell(&t, r, "pacing") ? cell(&t, r, "pacing") : "-",
		       dev, has_fq((int)ifindex));
		{
			bool first = true;

			for (size_t o = 0; o < nowners; o++) {
				if (owners[o].ino != si[r].ino)
					continue;
				printf("%s(\"%s\",pid=%d,fd=%d)", first ? "users:" : ",",
				       owners[o].comm, owners[o].pid, owners[o].fd);
				first = false;
			}
			if (first)
				printf("ino:%lu", si[r].ino);
		}
		putchar('\n');
	}
	if (json)
		printf("%s]\n", t.nrows ? "\n" : "");
	return EXIT_OK;
}

static int cmd_admission(bool json)
{
	struct table t;
	int rc = read_or_explain(ADM_FILE, &t);

	if (rc)
		return rc;
	if (json)
		printf("[");
	else
		printf("%-16s %-7s %-12s %-12s %-12s %s\n", "Device", "Ifindex",
		       "Capacity", "Reserved", "Free", "Sockets");
	for (int r = 0; r < t.nrows; r++) {
		uint64_t cap, res = 0;
		bool limited = parse_u64(cell(&t, r, "capacity"), &cap);
		char a[32], b[32], c[32];

		parse_u64(cell(&t, r, "reserved"), &res);
		if (json) {
			printf("%s\n {", r ? "," : "");
			for (int i = 0; i < t.ncols; i++) {
				json_str(t.cols[i]);
				putchar(':');
				/* "none" and "-" (a device gone) are null. */
				if (t.rows[r][i] && !strcmp(t.rows[r][i], "none"))
					fputs("null", stdout);
				else
					json_val(t.rows[r][i]);
				putchar(',');
			}
			printf("\"free\":");
			limited ? (void)printf("%" PRIu64, cap > res ? cap - res : 0)
				: (void)fputs("null", stdout);
			printf("}");
			continue;
		}
		if (limited) {
			snprintf(c, sizeof(c), "%" PRIu64, cap > res ? cap - res : 0);
			fmt_rate(c, c, sizeof(c));
			fmt_rate(cell(&t, r, "capacity"), a, sizeof(a));
		} else {
			snprintf(a, sizeof(a), "none");
			snprintf(c, sizeof(c), "-");
		}
		fmt_rate(cell(&t, r, "reserved"), b, sizeof(b));
		printf("%-16s %-7s %-12s %-12s %-12s %s\n",
		       cell(&t, r, "device") ? cell(&t, r, "device") : "?",
		       cell(&t, r, "ifindex") ? cell(&t, r, "ifindex") : "?",
		       a, b, c, cell(&t, r, "sockets") ? cell(&t, r, "sockets") : "?");
	}
	if (json)
		printf("%s]\n", t.nrows ? "\n" : "");
	return EXIT_OK;
}

/*
 * A rate in bytes per second, or with a tc-style unit: "12500000",
 * "100mbit", "1gbit", "500kbps" (bytes).  0 on error.
 */
static uint64_t parse_rate(const char *s)
{
	static const struct { const char *sfx; double mul; } units[] = {
		{ "", 1 }, { "bps", 1 }, { "kbps", 1e3 }, { "mbps", 1e6 },
		{ "gbps", 1e9 }, { "bit", 1.0 / 8 }, { "kbit", 1e3 / 8 },
		{ "mbit", 1e6 / 8 }, { "gbit", 1e9 / 8 }, { "tbit", 1e12 / 8 },
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v <= 0 || !isdigit((unsigned char)*s))
		return 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcasecmp(end, units[i].sfx)) {
			v *= units[i].mul;
			return v >= 1 && v < 1.8e19 ? (uint64_t)v : 0;
		}
	return 0;
}

static int cmd_write(const char *dev, const char *value)
{
	char path[PATH_MAX], line[128];
	int fd, len;

	if (strlen(dev) >= IF_NAMESIZE || !*dev || strchr(dev, ' ')) {
		fprintf(stderr, "%s: bad device name '%s'\n", prog, dev);
		return EXIT_USAGE;
	}
	proc_path(path, sizeof(path), ADM_FILE);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return module_missing(ADM_FILE);
		fprintf(stderr, "%s: %s: %s%s\n", prog, path, strerror(errno),
			errno == EACCES || errno == EPERM ?
			" (setting capacities needs CAP_NET_ADMIN)" : "");
		return EXIT_FAIL;
	}
	len = snprintf(line, sizeof(line), "%s %s\n", dev, value);
	if (write(fd, line, len) != len) {
		int e = errno;

		fprintf(stderr, "%s: %s %s: %s%s\n", prog, dev, value, strerror(e),
			e == EPERM ? " (needs CAP_NET_ADMIN in this network namespace)" :
			e == ENODEV ? " (no such device in this network namespace)" : "");
		close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	return EXIT_OK;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-j|--json] [sockets]        sockets carrying QoS\n"
		"       %s [-j|--json] admission        admission capacity and use per device\n"
		"       %s set DEVICE RATE              set DEVICE's capacity (bytes/s, or 100mbit)\n"
		"       %s clear DEVICE                 remove DEVICE's capacity\n"
		"       %s -h|--help | -V|--version\n"
		"Exit status: 0 ok, 1 failed, 2 usage, 3 module not loaded.\n",
		prog, prog, prog, prog, prog);
}

int main(int argc, char **argv)
{
	bool json = false;
	char *args[4];
	int nargs = 0;
	const char *env = getenv("WSAQOS_PROC");

	if (env && *env)
		proc_dir = env;	/* for tests: a copy of /proc's files */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("wsaqos %s\n", WSAQOS_VERSION);
			return EXIT_OK;
		} else if (!strcmp(a, "--")) {
			while (++i < argc && nargs < 4)
				args[nargs++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "%s: unknown option %s\n", prog, a);
			usage(stderr);
			return EXIT_USAGE;
		} else if (nargs < 4) {
			args[nargs++] = argv[i];
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (nargs == 0 || (nargs == 1 && (!strcmp(args[0], "sockets") ||
					   !strcmp(args[0], "show"))))
		return cmd_sockets(json);
	if (nargs == 1 && !strcmp(args[0], "admission"))
		return cmd_admission(json);
	if (nargs == 3 && !strcmp(args[0], "set")) {
		char buf[32];
		uint64_t rate = parse_rate(args[2]);

		if (!rate) {
			fprintf(stderr, "%s: bad rate '%s' (bytes/s, or e.g. 100mbit)\n",
				prog, args[2]);
			return EXIT_USAGE;
		}
		snprintf(buf, sizeof(buf), "%" PRIu64, rate);
		return cmd_write(args[1], buf);
	}
	if (nargs == 2 && !strcmp(args[0], "clear"))
		return cmd_write(args[1], "none");
	usage(stderr);
	return EXIT_USAGE;
}
