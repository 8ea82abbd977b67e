// SPDX-License-Identifier: GPL-2.0
/*
 * QoS stays subject to the caller's own setsockopt(2) policy.  The library
 * puts a QoS plan in force with the caller's setsockopt(2) (lib/qosplan.c),
 * so a seccomp filter that denies one of the plan's options makes
 * SIO_SET_QOS and WSAConnect(lpSQOS) fail with WSAEOPNOTSUPP, the code
 * Documentation/library.rst gives for a refused option, and the QoS the
 * socket had stays in force: options set before the refused one are put
 * back, SIO_GET_QOS returns the previous flowspecs, and WSAConnect does not
 * connect.  Were the options set any other way (by the module, say), the
 * filter would not stop them and these tests would fail.
 *
 * The plan sets IP_TOS (IPv6 sockets too), IPV6_TCLASS (IPv6), SO_PRIORITY,
 * SO_MAX_PACING_RATE, in that order.  The prior QoS is ControlledLoad
 * without a rate (TOS 0x60, priority 4, no pacing cap); the request is
 * Guaranteed at 200000 bytes/s (TOS 0xa0, priority 6, cap 200000).
 * Denying SO_MAX_PACING_RATE refuses it after TOS and priority were set;
 * denying IP_TOS, before anything was; denying IPV6_TCLASS, after IP_TOS.
 *
 * Each case forks a child that installs the filter (a small BPF program,
 * SECCOMP_RET_ERRNO | EPERM for setsockopt(2) with one level and option
 * name; no libseccomp) and reports through its exit status.  The parent
 * then checks the shared socket itself, and that the same request succeeds
 * without the filter: the refusal was the filter's, not, say, fq's.
 *
 * i386: glibc 2.36 calls socketcall(2) for setsockopt(), and a seccomp
 * filter cannot read socketcall's arguments (they are in memory).  The
 * 32-bit build defines setsockopt() below with the direct system call
 * (Linux 4.3+), which the statically linked library then calls; the kernel
 * runs the same __sys_setsockopt() either way.
 */
#include "helpers.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "qos_helpers.h"

#if defined(__x86_64__)
#define WSAC_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define WSAC_AUDIT_ARCH	AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define WSAC_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#else
#error "qos_policy_test: add this architecture's AUDIT_ARCH_*"
#endif

/* The low 32 bits of a system call argument (level and optname are ints). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WSAC_ARG_LO(i)	(offsetof(struct seccomp_data, args[i]))
#else
#define WSAC_ARG_LO(i)	(offsetof(struct seccomp_data, args[i]) + 4)
#endif

#ifdef __i386__
/* See the file comment: a setsockopt(2) the filter can see. */
int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
	return syscall(__NR_setsockopt, fd, level, optname, optval, optlen);
}
#endif

#define WSAC_RATE	200000	/* bytes/s of the Guaranteed request */

/* The option the filter denies, named as the library's message names it. */
struct wsac_denial {
	int level, optname;
	const char *name;
};

static const struct wsac_denial wsac_deny_pacing = {
	SOL_SOCKET, SO_MAX_PACING_RATE, "SO_MAX_PACING_RATE",
};

/* The plan's first socket option, IPv6 sockets included (qosplan.c). */
static const struct wsac_denial wsac_deny_ip_tos = { SOL_IP, IP_TOS, "IP_TOS" };

/* An IPv6 socket's second: IP_TOS is set, then put back. */
static const struct wsac_denial wsac_deny_tclass = {
	SOL_IPV6, IPV6_TCLASS, "IPV6_TCLASS",
};

/*
 * Deny setsockopt(@level, @optname) to the calling process with EPERM;
 * every other system call, and every other option, is allowed.  0 or -1.
 */
static int wsac_deny_setsockopt(int level, int optname)
{
	struct sock_filter f[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, WSAC_AUDIT_ARCH, 0, 7),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setsockopt, 0, 5),
		/* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, WSAC_ARG_LO(1)),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)level, 0, 3),
		/* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, WSAC_ARG_LO(2)),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)optname, 0, 1),
		/* 8 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
		/* 9 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(f) / sizeof(f[0]),
		.filter = f,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	if (!syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 0;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* IP_TOS, which an IPv6 socket has as well (for IPv4-mapped peers). */
static int wsac_ip_tos(int s, int *tos)
{
	socklen_t l = sizeof(*tos);

	return getsockopt(s, SOL_IP, IP_TOS, tos, &l);
}

/* stderr into a pipe, to read the line WSACONNECT_VERBOSE=1 prints. */
struct wsac_stderr {
	int saved, pipe[2];
};

static int wsac_stderr_capture(struct wsac_stderr *c)
{
	fflush(stderr);
	c->saved = -1;
	if (pipe2(c->pipe, O_CLOEXEC | O_NONBLOCK))
		return -1;
	c->saved = dup(STDERR_FILENO);
	if (c->saved < 0 || dup2(c->pipe[1], STDERR_FILENO) < 0)
		return -1;
	return 0;
}

static void wsac_stderr_release(struct wsac_stderr *c, char *buf, size_t size)
{
	ssize_t n;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	close(c->pipe[1]);
	n = read(c->pipe[0], buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(c->pipe[0]);
}

/* A socket with the prior QoS, and what getsockopt(2) showed for it. */
struct wsac_policy {
	WSADATA wsa;
	int family, type;
	int s;
	QOS prior;
	struct wsac_opts prior_opts;
	int prior_ip_tos;
};

FIXTURE(policy) {
	struct wsac_policy p;
};

FIXTURE_VARIANT(policy) {
	int family;
	int type;
};

FIXTURE_VARIANT_ADD(policy, tcp4) { .family = AF_INET, .type = SOCK_STREAM, };
FIXTURE_VARIANT_ADD(policy, udp4) { .family = AF_INET, .type = SOCK_DGRAM, };
FIXTURE_VARIANT_ADD(policy, tcp6) { .family = AF_INET6, .type = SOCK_STREAM, };
FIXTURE_VARIANT_ADD(policy, udp6) { .family = AF_INET6, .type = SOCK_DGRAM, };

static void wsac_policy_setup(struct __test_metadata *_metadata, struct wsac_policy *p,
			      int family, int type)
{
	p->family = family;
	p->type = type;
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &p->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	p->s = socket(family, type, 0);
	ASSERT_NE(INVALID_SOCKET, p->s);
	/* The QoS every refused request must leave in force: no rate. */
	wsac_qos_init(&p->prior, SERVICETYPE_CONTROLLEDLOAD, POSITIVE_INFINITY_RATE);
	ASSERT_EQ(0, wsac_set_qos(p->s, &p->prior))
		TH_LOG("SIO_SET_QOS ControlledLoad: %d", WSAGetLastError());
	ASSERT_EQ(0, wsac_opts_get(p->s, family, &p->prior_opts));
	ASSERT_EQ(0, wsac_ip_tos(p->s, &p->prior_ip_tos));
	ASSERT_EQ(0x60, p->prior_opts.tos);
	ASSERT_EQ(4, p->prior_opts.priority);
	ASSERT_EQ(WSAC_NO_CAP, p->prior_opts.pacing);
}

static void wsac_policy_teardown(struct wsac_policy *p)
{
	closesocket(p->s);
	WSACleanup();
}

FIXTURE_SETUP(policy)
{
	wsac_policy_setup(_metadata, &self->p, variant->family, variant->type);
}

FIXTURE_TEARDOWN(policy)
{
	wsac_policy_teardown(&self->p);
}

/* IPv6 sockets only: their plan has IPV6_TCLASS after IP_TOS. */
FIXTURE(policy6) {
	struct wsac_policy p;
};

FIXTURE_VARIANT(policy6) {
	int type;
};

FIXTURE_VARIANT_ADD(policy6, tcp6) { .type = SOCK_STREAM, };
FIXTURE_VARIANT_ADD(policy6, udp6) { .type = SOCK_DGRAM, };

FIXTURE_SETUP(policy6)
{
	wsac_policy_setup(_metadata, &self->p, AF_INET6, variant->type);
}

FIXTURE_TEARDOWN(policy6)
{
	wsac_policy_teardown(&self->p);
}

/* The child's exit status when the kernel cannot filter syscalls. */
#define WSAC_CHILD_NO_SECCOMP	77

#define WSAC_CHILD_FAIL(step, fmt, ...) do {					\
	fprintf(stderr, "# child step %d: " fmt "\n", step, ##__VA_ARGS__);	\
	return step;								\
} while (0)

/*
 * In the child: deny @d with seccomp, then ask for Guaranteed at WSAC_RATE
 * with SIO_SET_QOS, or with WSAConnect(lpSQOS) to @addr if @addr is set.
 * The request must fail with WSAEOPNOTSUPP, the library's reason must name
 * the denied option, and the socket must keep the prior QoS (and, for
 * WSAConnect, stay unconnected).  Returns 0 or the step that failed.
 */
static int wsac_policy_child(struct wsac_policy *p, const struct wsac_denial *d,
			     const struct sockaddr_storage *addr, socklen_t alen)
{
	const char *call = addr ? "WSAConnect" : "SIO_SET_QOS";
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	struct wsac_qos_buf got;
	struct wsac_stderr cap;
	char said[512], want[96];
	int rc, err, scratch, tos, zero = 0, one = 1;
	struct wsac_opts o;
	QOS q;

	scratch = socket(p->family, p->type, 0);
	if (scratch < 0)
		WSAC_CHILD_FAIL(9, "socket: %s", strerror(errno));
	if (wsac_deny_setsockopt(d->level, d->optname)) {
		/* A kernel built without CONFIG_SECCOMP_FILTER (the debug lane). */
		if (errno == EINVAL)
			return WSAC_CHILD_NO_SECCOMP;
		WSAC_CHILD_FAIL(10, "installing the seccomp filter: %s", strerror(errno));
	}
	/* The filter denies that option, and only that one. */
	errno = 0;
	if (setsockopt(scratch, d->level, d->optname, &zero, sizeof(zero)) != -1 ||
	    errno != EPERM)
		WSAC_CHILD_FAIL(11, "setsockopt(%s) not denied by the filter: %s",
				d->name, strerror(errno));
	if (setsockopt(scratch, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)))
		WSAC_CHILD_FAIL(12, "setsockopt(SO_KEEPALIVE) denied too: %s", strerror(errno));
	close(scratch);

	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, WSAC_RATE);
	setenv("WSACONNECT_VERBOSE", "1", 1);
	if (wsac_stderr_capture(&cap))
		WSAC_CHILD_FAIL(9, "capturing stderr: %s", strerror(errno));
	if (addr) {
		rc = WSAConnect(p->s, (const struct sockaddr *)addr, alen, NULL, NULL,
				&q, NULL);
	} else {
		DWORD n = 0;

		rc = WSAIoctl(p->s, SIO_SET_QOS, &q, sizeof(q), NULL, 0, &n, NULL, NULL);
	}
	err = WSAGetLastError();
	wsac_stderr_release(&cap, said, sizeof(said));
	unsetenv("WSACONNECT_VERBOSE");

	if (rc != SOCKET_ERROR)
		WSAC_CHILD_FAIL(13, "%s with setsockopt(%s) denied succeeded", call, d->name);
	if (err != WSAEOPNOTSUPP)
		WSAC_CHILD_FAIL(14, "%s: WSAGetLastError %d, want WSAEOPNOTSUPP (%d); "
				"the library said: %s", call, err, WSAEOPNOTSUPP, said);
	/* The refusal is the filter's (not, say, a missing fq). */
	snprintf(want, sizeof(want), "libwsaconnect: %s: ", call);
	if (!strstr(said, want))
		WSAC_CHILD_FAIL(15, "no \"%s\" line on stderr: \"%s\"", want, said);
	snprintf(want, sizeof(want), "setsockopt(%s)", d->name);
	if (!strstr(said, want))
		WSAC_CHILD_FAIL(15, "the reason does not name %s: \"%s\"", want, said);

	if (wsac_get_qos(p->s, &got, NULL))
		WSAC_CHILD_FAIL(16, "SIO_GET_QOS: %d", WSAGetLastError());
	if (!wsac_flowspec_eq(&p->prior.SendingFlowspec, &got.qos.SendingFlowspec) ||
	    !wsac_flowspec_eq(&p->prior.ReceivingFlowspec, &got.qos.ReceivingFlowspec))
		WSAC_CHILD_FAIL(16, "SIO_GET_QOS changed: sending type %#x rate %u",
				got.qos.SendingFlowspec.ServiceType,
				got.qos.SendingFlowspec.TokenRate);
	if (wsac_opts_get(p->s, p->family, &o))
		WSAC_CHILD_FAIL(17, "getsockopt: %s", strerror(errno));
	if (!wsac_opts_eq(&o, &p->prior_opts))
		WSAC_CHILD_FAIL(17, "options changed: tos %#x -> %#x, priority %d -> %d, "
				"pacing %llu -> %llu, rcvbuf %d -> %d",
				p->prior_opts.tos, o.tos, p->prior_opts.priority,
				o.priority, (unsigned long long)p->prior_opts.pacing,
				(unsigned long long)o.pacing, p->prior_opts.rcvbuf, o.rcvbuf);
	if (wsac_ip_tos(p->s, &tos) || tos != p->prior_ip_tos)
		WSAC_CHILD_FAIL(18, "IP_TOS changed: %#x -> %#x", p->prior_ip_tos, tos);
	if (addr) {
		if (!getpeername(p->s, (struct sockaddr *)&peer, &plen))
			WSAC_CHILD_FAIL(19, "the socket is connected");
		if (errno != ENOTCONN)
			WSAC_CHILD_FAIL(19, "getpeername: %s, want ENOTCONN", strerror(errno));
	}
	return 0;
}

/*
 * One case: the child's refused request (SIO_SET_QOS, or WSAConnect to a
 * loopback server if @connect_too), the parent's own look at the socket,
 * then the same request without the filter, which must be put in force.
 */
static void wsac_policy_case(struct __test_metadata *_metadata, struct wsac_policy *p,
			     const struct wsac_denial *d, int connect_too)
{
	struct sockaddr_storage addr, peer;
	socklen_t alen = 0, plen = sizeof(peer);
	struct wsac_qos_buf got;
	struct wsac_opts o;
	int srv = -1, status, tos, c;
	pid_t pid;
	QOS q;

	if (connect_too) {
		/* A UDP rate is admitted only on a device with fq (qos.rst). */
		if (p->type == SOCK_DGRAM &&
		    wsac_qdisc_replace("lo", TC_H_ROOT, 0, "fq"))
			SKIP(return, "fq on lo: %s (sch_fq missing?)", strerror(errno));
		srv = wsac_bound_socket(p->family, p->type,
					p->type == SOCK_STREAM, &addr, &alen);
		ASSERT_LE(0, srv);
	}

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(wsac_policy_child(p, d, connect_too ? &addr : NULL, alen));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("child status %#x", status);
	if (WEXITSTATUS(status) == WSAC_CHILD_NO_SECCOMP) {
		if (srv >= 0)
			closesocket(srv);
		SKIP(return, "this kernel has no seccomp filters (CONFIG_SECCOMP_FILTER)");
	}
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child step %d failed (its line above; 9 setup, 10 seccomp, "
		       "11/12 filter, 13 accepted, 14 wrong error, 15 reason, "
		       "16 SIO_GET_QOS, 17 options, 18 IP_TOS, 19 connected)",
		       WEXITSTATUS(status));

	/* The parent sees the same socket: the prior QoS, not connected. */
	ASSERT_EQ(0, wsac_get_qos(p->s, &got, NULL)) TH_LOG("%d", WSAGetLastError());
	EXPECT_TRUE(wsac_flowspec_eq(&p->prior.SendingFlowspec, &got.qos.SendingFlowspec))
		TH_LOG("sending flowspec changed (type %#x rate %u)",
		       got.qos.SendingFlowspec.ServiceType, got.qos.SendingFlowspec.TokenRate);
	ASSERT_EQ(0, wsac_opts_get(p->s, p->family, &o));
	EXPECT_EQ(0x60, o.tos);
	EXPECT_EQ(p->prior_opts.priority, o.priority);
	EXPECT_EQ(WSAC_NO_CAP, o.pacing);
	EXPECT_EQ(p->prior_opts.rcvbuf, o.rcvbuf);
	ASSERT_EQ(0, wsac_ip_tos(p->s, &tos));
	EXPECT_EQ(p->prior_ip_tos, tos);
	if (connect_too) {
		EXPECT_EQ(-1, getpeername(p->s, (struct sockaddr *)&peer, &plen))
			TH_LOG("the refused WSAConnect connected");
		if (p->type == SOCK_STREAM) {
			c = wsac_accept_within_ms(srv, 300);
			EXPECT_EQ(-1, c) TH_LOG("the listener saw a connection");
			if (c >= 0)
				close(c);
		}
	}

	/* Without the filter the same request is put in force. */
	wsac_qos_init(&q, SERVICETYPE_GUARANTEED, WSAC_RATE);
	if (connect_too) {
		ASSERT_EQ(0, WSAConnect(p->s, (struct sockaddr *)&addr, alen, NULL, NULL,
					&q, NULL)) TH_LOG("no filter: %d", WSAGetLastError());
		plen = sizeof(peer);
		EXPECT_EQ(0, getpeername(p->s, (struct sockaddr *)&peer, &plen));
		if (p->type == SOCK_STREAM) {
			c = wsac_accept_within_ms(srv, 2000);
			EXPECT_LE(0, c) TH_LOG("no connection without the filter");
			if (c >= 0)
				close(c);
		}
	} else {
		ASSERT_EQ(0, wsac_set_qos(p->s, &q)) TH_LOG("no filter: %d", WSAGetLastError());
	}
	ASSERT_EQ(0, wsac_get_qos(p->s, &got, NULL));
	EXPECT_TRUE(wsac_flowspec_eq(&q.SendingFlowspec, &got.qos.SendingFlowspec));
	ASSERT_EQ(0, wsac_opts_get(p->s, p->family, &o));
	EXPECT_EQ(0xa0, o.tos);
	EXPECT_EQ(6, o.priority);
	EXPECT_EQ(WSAC_RATE, o.pacing);
	if (srv >= 0)
		close(srv);
}

/* Refused after IP_TOS (IPV6_TCLASS) and SO_PRIORITY were set: put back. */
TEST_F(policy, set_qos_with_pacing_denied_keeps_the_prior_qos)
{
	wsac_policy_case(_metadata, &self->p, &wsac_deny_pacing, 0);
}

/* The plan's first option refused: nothing is applied. */
TEST_F(policy, set_qos_with_ip_tos_denied_applies_nothing)
{
	wsac_policy_case(_metadata, &self->p, &wsac_deny_ip_tos, 0);
}

TEST_F(policy, lpsqos_with_pacing_denied_does_not_connect)
{
	wsac_policy_case(_metadata, &self->p, &wsac_deny_pacing, 1);
}

TEST_F(policy, lpsqos_with_ip_tos_denied_does_not_connect)
{
	wsac_policy_case(_metadata, &self->p, &wsac_deny_ip_tos, 1);
}

TEST_F(policy6, set_qos_with_tclass_denied_puts_ip_tos_back)
{
	wsac_policy_case(_metadata, &self->p, &wsac_deny_tclass, 0);
}

TEST_F(policy6, lpsqos_with_tclass_denied_does_not_connect)
{
	wsac_policy_case(_metadata, &self->p, &wsac_deny_tclass, 1);
}

TEST_HARNESS_MAIN
