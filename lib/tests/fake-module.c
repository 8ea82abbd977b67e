// SPDX-License-Identifier: GPL-2.0
/*
 * The fake module: WSAC_IOC_VERSION, and a WSAC_IOC_CONNECT_CHECK that
 * derives the socket state from userspace (TCP_INFO, getpeername) and
 * applies the module's name rules.  It is good enough to drive the
 * library's code paths on a host; the real module's judgement is tested
 * by the selftests in a VM.
 */
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"
#include "fake-module.h"

struct wsac_fake wsac_fake;
static char wsac_fake_path[64];

void wsac_fake_reset(void)
{
	memset(&wsac_fake, 0, sizeof(wsac_fake));
	wsac_fake.abi_major = WSAC_ABI_MAJOR;
	wsac_fake.features = WSAC_FEAT_CONNECT_CHECK | WSAC_FEAT_DGRAM_PURGE |
			     WSAC_FEAT_QOS;
	wsac_fake.force_state = -1;
}

void wsac_fake_install(void)
{
	int fd;

	snprintf(wsac_fake_path, sizeof(wsac_fake_path), "/tmp/wsac-fake-dev-XXXXXX");
	fd = mkstemp(wsac_fake_path);
	if (fd < 0) {
		perror("mkstemp");
		exit(2);
	}
	close(fd);
	setenv(WSAC_ENV_DEVICE, wsac_fake_path, 1);
	wsac_fake_reset();
}

static __attribute__((destructor)) void wsac_fake_remove(void)
{
	if (wsac_fake_path[0])
		unlink(wsac_fake_path);
}

static bool wsac_is_fake(int fd)
{
	struct stat a, b;

	return wsac_fake_path[0] && !fstat(fd, &a) && !stat(wsac_fake_path, &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int wsac_sockopt(int fd, int level, int name)
{
	int v = 0;
	socklen_t len = sizeof(v);

	return getsockopt(fd, level, name, &v, &len) < 0 ? -1 : v;
}

static unsigned int wsac_fake_state(int fd, int family, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct tcp_info ti;
	socklen_t tlen = sizeof(ti);

	if (wsac_fake.force_state >= 0)
		return (unsigned int)wsac_fake.force_state;
	if (type == SOCK_STREAM && family != AF_UNIX &&
	    !getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tlen)) {
		switch (ti.tcpi_state) {
		case TCP_LISTEN:
			return WSAC_STATE_LISTENING;
		case TCP_SYN_SENT:
		case TCP_SYN_RECV:
			return WSAC_STATE_CONNECTING;
		case TCP_CLOSE:
			return WSAC_STATE_UNCONNECTED;
		default:
			return WSAC_STATE_CONNECTED;
		}
	}
	if (type == SOCK_STREAM && wsac_sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1)
		return WSAC_STATE_LISTENING;
	return getpeername(fd, (struct sockaddr *)&ss, &len) ? WSAC_STATE_UNCONNECTED :
							       WSAC_STATE_CONNECTED;
}

static bool wsac_zero(const unsigned char *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/* The module's rules (module/state.c, module/addr.c), in its order. */
static int wsac_fake_verdict(struct wsac_connect_check *req)
{
	size_t min, len = req->addrlen < WSAC_ADDR_MAX ? req->addrlen : WSAC_ADDR_MAX;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	sa_family_t family;

	if (wsac_fake.force_verdict)
		return wsac_fake.force_verdict;
	if (req->type == SOCK_STREAM) {
		switch (req->state) {
		case WSAC_STATE_CONNECTING:
			return -EALREADY;
		case WSAC_STATE_LISTENING:
			return -EINVAL;
		case WSAC_STATE_CONNECTED:
		case WSAC_STATE_CLOSED:
			return -EISCONN;
		}
	}
	min = req->family == AF_INET ? sizeof(sin) : req->family == AF_INET6 ?
		sizeof(sin6) : offsetof(struct sockaddr_un, sun_path) + 1;
	if (req->addrlen < min)
		return -EFAULT;
	if (req->type == SOCK_DGRAM && wsac_zero(req->addr, len)) {
		req->action = WSAC_ACTION_DISCONNECT;
		return 0;
	}
	memcpy(&family, req->addr, sizeof(family));
	if (family != req->family)
		return -EAFNOSUPPORT;
	if (family == AF_INET) {
		memcpy(&sin, req->addr, sizeof(sin));
		if (sin.sin_addr.s_addr == htonl(INADDR_ANY))
			return -EADDRNOTAVAIL;
	} else if (family == AF_INET6) {
		memcpy(&sin6, req->addr, sizeof(sin6));
		if (IN6_IS_ADDR_UNSPECIFIED(&sin6.sin6_addr))
			return -EADDRNOTAVAIL;
	}
	return 0;
}

static int wsac_fake_check(struct wsac_connect_check *req)
{
	int family, type, protocol;

	wsac_fake.checks++;
	if (req->size != sizeof(*req) || req->flags || req->verdict) {
		errno = EINVAL;
		return -1;
	}
	type = wsac_sockopt(req->fd, SOL_SOCKET, SO_TYPE);
	if (type < 0)
		return -1;
	family = wsac_sockopt(req->fd, SOL_SOCKET, SO_DOMAIN);
	protocol = wsac_sockopt(req->fd, SOL_SOCKET, SO_PROTOCOL);
	if (!((family == AF_INET || family == AF_INET6) &&
	      ((type == SOCK_STREAM && protocol == IPPROTO_TCP) ||
	       (type == SOCK_DGRAM && protocol == IPPROTO_UDP))) &&
	    !(family == AF_UNIX && type == SOCK_STREAM)) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	req->family = (__u16)family;
	req->type = (__u16)type;
	req->protocol = (__u16)protocol;
	req->state = wsac_fake_state(req->fd, family, type);
	req->action = WSAC_ACTION_CONNECT;
	req->verdict = wsac_fake_verdict(req);
	if (wsac_fake.during_check)
		wsac_fake.during_check();
	return 0;
}

static void wsac_fake_log(const char *fmt, ...)
{
	size_t n = strlen(wsac_fake.log);
	va_list ap;

	if (n + 1 >= sizeof(wsac_fake.log))
		return;
	va_start(ap, fmt);
	vsnprintf(wsac_fake.log + n, sizeof(wsac_fake.log) - n, fmt, ap);
	va_end(ap);
}

/* QOS_SET: the configured verdict and plan; a COMMIT records the request. */
static int wsac_fake_qos_set(struct wsac_qos *q)
{
	bool commit = q->flags & WSAC_QOS_COMMIT;

	if (q->size != sizeof(*q) || q->reserved || q->reserved2 ||
	    (q->flags & ~(__u32)(WSAC_QOS_COMMIT | WSAC_QOS_DEST))) {
		errno = EINVAL;
		return -1;
	}
	wsac_fake_log("%s;", commit ? "QOS_COMMIT" : "QOS_SET");
	wsac_fake.last_set = *q;
	q->effective = wsac_fake.qos_effective;
	if (commit) {
		wsac_fake.qos_commits++;
		q->verdict = wsac_fake.qos_commit_verdict;
	} else {
		wsac_fake.qos_sets++;
		q->verdict = wsac_fake.qos_dry_verdict;
		q->plan = wsac_fake.qos_plan;
	}
	q->reason = q->verdict ? wsac_fake.qos_reason : WSAC_QOS_OK;
	if (commit && !q->verdict)
		wsac_fake.recorded = *q;
	return 0;
}

static int wsac_fake_qos_get(struct wsac_qos *q)
{
	struct wsac_qos *r = &wsac_fake.recorded;

	wsac_fake.qos_gets++;
	if (q->size != sizeof(*q) || q->flags) {
		errno = EINVAL;
		return -1;
	}
	q->sending = r->sending;
	q->receiving = r->receiving;
	q->objects_len = r->objects_len;
	memcpy(q->objects, r->objects, sizeof(q->objects));
	q->effective = wsac_fake.qos_effective;
	q->status = r->size ? WSAC_QOS_ST_SET : 0;
	return 0;
}

static int wsac_fake_qos(unsigned long request, void *arg)
{
	struct wsac_qos_admit *a = arg;

	if (wsac_fake.qos_errno) {
		errno = wsac_fake.qos_errno;
		return -1;
	}
	switch (request) {
	case WSAC_IOC_QOS_SET:
		return wsac_fake_qos_set(arg);
	case WSAC_IOC_QOS_GET:
		return wsac_fake_qos_get(arg);
	default:
		wsac_fake.admits++;
		wsac_fake_log("QOS_ADMIT;");
		wsac_fake.last_admit = *a;
		a->verdict = wsac_fake.admit_verdict;
		a->reason = a->verdict ? wsac_fake.admit_reason : WSAC_QOS_OK;
		a->ifindex = wsac_fake.qos_effective.ifindex;
		return 0;
	}
}

/* The QoS options by name; NULL for the others, which are not logged. */
static const char *wsac_fake_optname(int level, int name)
{
	if (level == SOL_IP && name == IP_TOS)
		return "IP_TOS";
	if (level == SOL_IPV6 && name == IPV6_TCLASS)
		return "IPV6_TCLASS";
	if (level == SOL_TCP && name == TCP_ULP)
		return "TCP_ULP";
	if (level != SOL_SOCKET)
		return NULL;
	switch (name) {
	case SO_PRIORITY:
		return "SO_PRIORITY";
	case SO_MAX_PACING_RATE:
		return "SO_MAX_PACING_RATE";
	case SO_RCVBUF:
		return "SO_RCVBUF";
	default:
		return NULL;
	}
}

int __real_setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int __wrap_setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int __real_getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int __wrap_getsockopt(int fd, int level, int name, void *val, socklen_t *len);

int __wrap_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	const char *opt = wsac_fake_optname(level, name);
	unsigned long long v = 0;

	if (opt && wsac_fake.log_sockopts) {
		if (level == SOL_TCP)
			wsac_fake_log("set %s=%.*s;", opt, (int)len, (const char *)val);
		else {
			memcpy(&v, val, len < sizeof(v) ? len : sizeof(v));
			wsac_fake_log("set %s=%llu;", opt, len == sizeof(int) ?
				      (unsigned long long)*(const unsigned int *)val : v);
		}
	}
	if (wsac_fake.fail_errno && level == wsac_fake.fail_level &&
	    name == wsac_fake.fail_name) {
		errno = wsac_fake.fail_errno;
		return -1;
	}
	if (level == SOL_TCP && name == TCP_ULP && wsac_fake.ulp_ok)
		return 0;
	return __real_setsockopt(fd, level, name, val, len);
}

int __wrap_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	const char *opt = wsac_fake_optname(level, name);

	if (opt && wsac_fake.log_sockopts)
		wsac_fake_log("get %s;", opt);
	return __real_getsockopt(fd, level, name, val, len);
}

int wsac_dev_ioctl(int devfd, unsigned long request, void *arg)
{
	struct wsac_version *ver = arg;

	if (!wsac_is_fake(devfd))
		return ioctl(devfd, request, arg);
	switch (request) {
	case WSAC_IOC_VERSION:
		ver->size = sizeof(*ver);
		ver->abi_major = wsac_fake.abi_major;
		ver->abi_minor = 0;
		ver->features = wsac_fake.features;
		return 0;
	case WSAC_IOC_CONNECT_CHECK:
		return wsac_fake_check(arg);
	case WSAC_IOC_DGRAM_PURGE:
		wsac_fake.purges++;
		return 0;
	case WSAC_IOC_QOS_SET:
	case WSAC_IOC_QOS_GET:
	case WSAC_IOC_QOS_ADMIT:
		return wsac_fake_qos(request, arg);
	default:
		errno = ENOTTY;
		return -1;
	}
}
