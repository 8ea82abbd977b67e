// SPDX-License-Identifier: GPL-2.0
/*
 * WSAC_IOC_CONNECT_CHECK: validate a WSAConnect request against the state
 * of the caller's socket.  Nothing here changes the socket; the connection
 * itself is made by the caller's own connect(2) so that every LSM and
 * cgroup hook sees it (Documentation/design.rst).
 */

#include <linux/in.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uaccess.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "wsaconnect.h"
#include "uaccess.h"

static bool wsac_sock_supported(const struct sock *sk, unsigned short type)
{
	switch (sk->sk_family) {
	case AF_INET:
	case AF_INET6:
		/* MPTCP and SCTP have their own ops and states: not served. */
		return (type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP) ||
		       (type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP);
	case AF_UNIX:
		return type == SOCK_STREAM;
	default:
		return false;
	}
}

/*
 * TCP_FASTOPEN_CONNECT: connect(2) returned 0 without sending a SYN, which
 * waits for the first write.  Linux's next connect(2) says EISCONN, so
 * Winsock's view is "connected", not "connecting".
 */
static bool wsac_tfo_deferred(const struct sock *sk)
{
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return false;
#ifdef inet_test_bit	/* 6.6: the inet flags became atomic bits */
	return inet_test_bit(DEFER_CONNECT, sk);
#else
	return inet_sk(sk)->defer_connect;
#endif
}

/**
 * wsac_check_socket() - fill in the verdict of a connect check
 * @sock: the socket, kept alive by the caller
 * @req: the request, with @req->addr and @req->addrlen from userspace
 *
 * Reads the socket's state under the socket lock, so that the state and
 * the verdict derived from it belong to one moment.
 *
 * Return: 0 with the out fields of @req filled in, or -EPROTONOSUPPORT
 * for a socket WSAConnect does not serve.
 */
int wsac_check_socket(struct socket *sock, struct wsac_connect_check *req)
{
	struct sock *sk = sock->sk;
	enum wsac_sock_state state;
	unsigned short type;
	int verdict;

	lock_sock(sk);
	type = sock->type;
	if (!wsac_sock_supported(sk, type)) {
		release_sock(sk);
		return -EPROTONOSUPPORT;
	}
	state = wsac_sock_state(type, sock->state, sk->sk_state);
	if (state == WSAC_STATE_CONNECTING && type == SOCK_STREAM &&
	    wsac_tfo_deferred(sk))
		state = WSAC_STATE_CONNECTED;
	req->family = sk->sk_family;
	req->protocol = sk->sk_protocol;
	release_sock(sk);

	req->type = type;
	req->state = state;
	req->action = WSAC_ACTION_CONNECT;
	verdict = wsac_state_verdict(state, type);
	if (!verdict)
		verdict = wsac_addr_verdict(req->family, type, req->addr,
					    req->addrlen, &req->action);
	req->verdict = verdict;
	return 0;
}

/**
 * wsac_ioctl_connect_check() - serve WSAC_IOC_CONNECT_CHECK
 * @arg: user pointer to struct wsac_connect_check
 *
 * Context: process context; takes and releases the socket lock.
 * Return: 0 with the reply copied out, or a negative errno describing a
 * malformed request.
 */
long wsac_ioctl_connect_check(void __user *arg)
{
	struct wsac_connect_check req;
	struct socket *sock;
	u32 usize;
	int err;

	err = wsac_copy_req_from_user(&req, sizeof(req),
				      WSAC_CONNECT_CHECK_SIZE_VER0, arg, &usize);
	if (err)
		return err;
	if (req.flags || req.reserved || req.reserved2 || req.verdict ||
	    req.action || req.state || req.family || req.type ||
	    req.protocol)
		return -EINVAL;

	/* The file reference keeps the socket alive if another thread closes fd. */
	sock = sockfd_lookup(req.fd, &err);
	if (!sock)
		return err;
	err = wsac_check_socket(sock, &req);
	sockfd_put(sock);
	if (err)
		return err;

	return wsac_copy_reply_to_user(arg, &req, sizeof(req), usize);
}
