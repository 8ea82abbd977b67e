/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the wsaconnect selftests: loopback listeners and
 * private network namespaces, so that every test sees only its own sockets
 * and routes.  Each harness test runs in its own forked process, so an
 * unshare() here never leaks into another test.
 */
#ifndef WSAC_SELFTEST_HELPERS_H
#define WSAC_SELFTEST_HELPERS_H

#include <winsock2.h>
#include <ws2tcpip.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rtnl_helpers.h"

/* Fill @ss with the loopback address of @family and @port (host order). */
static inline socklen_t wsac_loopback(int family, struct sockaddr_storage *ss,
				      unsigned short port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = htons(port);
	return sizeof(*sin);
}

/*
 * A bound socket of @type on loopback; listening if @type is SOCK_STREAM
 * and @listen_too.  Its address goes to @ss/@len.  Returns the fd or -1.
 */
static inline int wsac_bound_socket(int family, int type, int listen_too,
				    struct sockaddr_storage *ss, socklen_t *len)
{
	int fd = socket(family, type, 0);

	if (fd < 0)
		return -1;
	*len = wsac_loopback(family, ss, 0);
	if (bind(fd, (struct sockaddr *)ss, *len) ||
	    (listen_too && listen(fd, 16)) ||
	    getsockname(fd, (struct sockaddr *)ss, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A port on loopback that nothing listens on (refused at connect). */
static inline int wsac_closed_port(int family, struct sockaddr_storage *ss,
				   socklen_t *len)
{
	int fd = wsac_bound_socket(family, SOCK_STREAM, 0, ss, len);

	if (fd < 0)
		return -1;
	/* Keep the port bound but not listening, so no one else takes it. */
	return fd;
}

/*
 * Enter a fresh network namespace with loopback up.  Needs CAP_SYS_ADMIN;
 * the tests run as root inside the test VM.
 */
static inline int wsac_private_netns(void)
{
	if (unshare(CLONE_NEWNET))
		return -1;
	return wsac_link_up("lo");
}

/* /sys/module/wsaconnect/refcnt, or -1 when the module is not loaded. */
static inline long wsac_module_refcnt(void)
{
	FILE *f = fopen("/sys/module/wsaconnect/refcnt", "re");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * Wait, at most @ms, for the module's references to come down to @want:
 * sockets are destroyed after close() returns (TCP after its FIN
 * exchange, UDP state after an RCU grace period).  Return: the count
 * last read (-1: not loaded).
 */
static inline long wsac_module_refcnt_settle(long want, int ms)
{
	long n = wsac_module_refcnt();

	for (; n > want && ms > 0; ms -= 20) {
		usleep(20 * 1000);
		n = wsac_module_refcnt();
	}
	return n;
}

#endif /* WSAC_SELFTEST_HELPERS_H */
