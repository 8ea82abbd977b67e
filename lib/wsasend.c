// SPDX-License-Identifier: GPL-2.0
/*
 * WSASend, WSASendTo, WSARecv, WSARecvFrom: scatter/gather I/O with
 * Winsock's results, synchronously.
 *
 * Overlapped I/O is not served: a non-NULL lpOverlapped or
 * lpCompletionRoutine fails with WSAEOPNOTSUPP before anything is sent or
 * received (Documentation/porting.rst).  Sends never raise SIGPIPE
 * (MSG_NOSIGNAL): a send on a connection the peer reset fails with
 * WSAECONNRESET / WSAESHUTDOWN as on Windows.  A datagram larger than the
 * buffers fills them and fails with WSAEMSGSIZE, *lpNumberOfBytesRecvd
 * holding what was copied.  A graceful close reads as 0 bytes, success.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "internal.h"

/* Windows' send flags that mean the same on Linux. */
#define WSAC_SEND_FLAGS		(MSG_OOB | MSG_DONTROUTE | MSG_PARTIAL)
#define WSAC_RECV_FLAGS		(MSG_OOB | MSG_PEEK | MSG_WAITALL | MSG_PARTIAL)
#define WSAC_MAX_BUFFERS	1024	/* IOV_MAX on Linux */

/*
 * What WSASend* and WSARecv* check alike, in Winsock's order, and the
 * caller's buffers as @msg's iovec.  Return: 0, or the WSA code to fail
 * with (*@done, when writable, is 0 either way).
 */
static int wsac_io_prepare(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD done,
			   LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr,
			   struct iovec *iov, struct msghdr *msg)
{
	DWORD zero = 0, i;
	int rc;

	rc = wsac_socket_call_check(s);
	if (rc)
		return rc;
	if (ov || cr)
		return WSAEOPNOTSUPP;
	if (!done || wsac_copy_to_caller(done, &zero, sizeof(zero)))
		return WSAEFAULT;
	if (count && !bufs)
		return WSAEFAULT;
	if (count > WSAC_MAX_BUFFERS)
		return WSAENOBUFS;
	for (i = 0; i < count; i++) {
		WSABUF b;

		if (wsac_copy_from_caller(&b, &bufs[i], sizeof(b)) || (b.len && !b.buf))
			return WSAEFAULT;
		iov[i].iov_base = b.buf;
		iov[i].iov_len = b.len;
	}
	memset(msg, 0, sizeof(*msg));
	msg->msg_iov = iov;
	msg->msg_iovlen = count;
	return 0;
}

/* Fail with @code and the errno that means it. */
static int wsac_fail_code(int code)
{
	return wsac_fail(code, wsac_code_errno(code));
}

/* The number of bytes @n moved, to the caller's *@done. */
static int wsac_io_done(ssize_t n, LPDWORD done)
{
	DWORD d;

	if (n < 0)
		return wsac_fail_errno(errno);
	d = (DWORD)n;
	if (wsac_copy_to_caller(done, &d, sizeof(d)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

static int wsac_send(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent,
		     DWORD flags, const struct sockaddr *to, int tolen,
		     LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
	struct iovec iov[WSAC_MAX_BUFFERS];
	struct msghdr msg;
	int rc = wsac_io_prepare(s, bufs, count, sent, ov, cr, iov, &msg);

	if (rc)
		return wsac_fail_code(rc);
	if (flags & ~(DWORD)WSAC_SEND_FLAGS)
		return wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
	if (to && tolen < (int)sizeof(struct sockaddr_in))
		return wsac_fail(WSAEFAULT, EFAULT);
	msg.msg_name = (void *)to;
	msg.msg_namelen = to ? (socklen_t)tolen : 0;
	return wsac_io_done(sendmsg(s, &msg, (int)(flags & ~(DWORD)MSG_PARTIAL) | MSG_NOSIGNAL),
			    sent);
}

static int wsac_recv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD got,
		     LPDWORD lpflags, struct sockaddr *from, LPINT fromlen,
		     LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
	struct iovec iov[WSAC_MAX_BUFFERS];
	struct sockaddr_storage ss;
	struct msghdr msg;
	DWORD flags;
	int rc = wsac_io_prepare(s, bufs, count, got, ov, cr, iov, &msg), type, flen = 0;
	socklen_t len = sizeof(type);

	if (rc)
		return wsac_fail_code(rc);
	if (!lpflags || wsac_copy_from_caller(&flags, lpflags, sizeof(flags)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (flags & ~(DWORD)WSAC_RECV_FLAGS)
		return wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
	if (from) {
		int family;

		if (!fromlen || wsac_copy_from_caller(&flen, fromlen, sizeof(flen)))
			return wsac_fail(WSAEFAULT, EFAULT);
		len = sizeof(family);
		if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &len) < 0)
			return wsac_fail_errno(errno);
		if (flen < (family == AF_INET6 ? (int)sizeof(struct sockaddr_in6) :
					       (int)sizeof(struct sockaddr_in)))
			return wsac_fail(WSAEFAULT, EFAULT);
		msg.msg_name = &ss;
		msg.msg_namelen = sizeof(ss);
	}
	if (wsac_io_done(recvmsg(s, &msg, (int)(flags & ~(DWORD)MSG_PARTIAL)), got))
		return SOCKET_ERROR;
	if (from) {
		int outlen = (int)msg.msg_namelen;

		if (wsac_copy_to_caller(from, &ss, (size_t)(outlen < flen ? outlen : flen)) ||
		    wsac_copy_to_caller(fromlen, &outlen, sizeof(outlen)))
			return wsac_fail(WSAEFAULT, EFAULT);
	}
	flags = 0;
	len = sizeof(type);
	if (msg.msg_flags & MSG_TRUNC) {
		if (getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
		    type != SOCK_STREAM) {
			wsac_copy_to_caller(lpflags, &flags, sizeof(flags));
			return wsac_fail(WSAEMSGSIZE, EMSGSIZE);
		}
	}
	if (wsac_copy_to_caller(lpflags, &flags, sizeof(flags)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

WSAC_EXPORT int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
			       LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
			       LPWSAOVERLAPPED lpOverlapped,
			       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
	return wsac_send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
			 NULL, 0, lpOverlapped, lpCompletionRoutine);
}

WSAC_EXPORT int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
				 LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
				 const struct sockaddr *lpTo, int iTolen,
				 LPWSAOVERLAPPED lpOverlapped,
				 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
	return wsac_send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
			 lpTo, iTolen, lpOverlapped, lpCompletionRoutine);
}

WSAC_EXPORT int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
			       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
			       LPWSAOVERLAPPED lpOverlapped,
			       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
	return wsac_recv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
			 NULL, NULL, lpOverlapped, lpCompletionRoutine);
}

WSAC_EXPORT int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
				   LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
				   struct sockaddr *lpFrom, LPINT lpFromlen,
				   LPWSAOVERLAPPED lpOverlapped,
				   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
	return wsac_recv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
			 lpFrom, lpFromlen, lpOverlapped, lpCompletionRoutine);
}
