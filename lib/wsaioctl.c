// SPDX-License-Identifier: GPL-2.0
/*
 * WSAIoctl(): the QoS ioctls, FIONBIO and FIONREAD, synchronously.
 *
 * Checks, in order: WSANOTINITIALISED; WSAENOTSOCK; WSAEOPNOTSUPP for
 * overlapped I/O (lpOverlapped or lpCompletionRoutine not NULL: there is
 * no overlapped I/O here); WSAEFAULT for a NULL or unwritable
 * lpcbBytesReturned (then set to 0 until the call succeeds); WSAEINVAL for
 * a code not served; then the code's own buffer checks.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* A Windows code that went through a sign-extending long: 32 bits count. */
static bool wsac_is(DWORD code, uint32_t linux_code, uint32_t windows_code)
{
	return code == linux_code || code == windows_code;
}

/*
 * u_long is 32 bits on Windows and the C library's unsigned long here:
 * take either size, whichever the buffer holds.
 */
static int wsac_fionbio(SOCKET s, const void *in, DWORD cb)
{
	unsigned long lv = 0;
	uint32_t v32 = 0;
	int on;

	if (!in || cb < sizeof(v32))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (cb >= sizeof(lv)) {
		if (wsac_copy_from_caller(&lv, in, sizeof(lv)))
			return wsac_fail(WSAEFAULT, EFAULT);
		on = lv != 0;
	} else {
		if (wsac_copy_from_caller(&v32, in, sizeof(v32)))
			return wsac_fail(WSAEFAULT, EFAULT);
		on = v32 != 0;
	}
	return wsac_set_nonblocking(s, on);
}

static int wsac_fionread(SOCKET s, void *out, DWORD cb, LPDWORD returned)
{
	unsigned long lv;
	uint32_t v32;
	DWORD n;
	int rc;

	if (!out || cb < sizeof(v32))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (wsac_queued_bytes(s, &lv))
		return SOCKET_ERROR;
	v32 = (uint32_t)lv;
	if (cb >= sizeof(lv)) {
		n = sizeof(lv);
		rc = wsac_copy_to_caller(out, &lv, sizeof(lv));
	} else {
		n = sizeof(v32);
		rc = wsac_copy_to_caller(out, &v32, sizeof(v32));
	}
	if (rc || wsac_copy_to_caller(returned, &n, sizeof(n)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

static int wsac_set_qos(SOCKET s, const void *in, DWORD cb)
{
	struct wsac_session ses;
	struct wsac_qos req;
	socklen_t len = sizeof(int);
	int family, rc, err = 0;
	QOS qos;

	wsac_qos_reason_clear();
	if (!in || cb < sizeof(qos) || wsac_copy_from_caller(&qos, in, sizeof(qos)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &len) < 0)
		return wsac_fail_errno(errno);
	if (family != AF_INET && family != AF_INET6) {
		wsac_qos_note("SIO_SET_QOS", WSAC_QOS_BAD_SOCKET, 0);
		return wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
	}
	memset(&req, 0, sizeof(req));
	rc = wsac_qos_flatten(&qos, family, &req);
	if (rc == -EFAULT)
		return wsac_fail(WSAEFAULT, EFAULT);
	if (rc) {
		wsac_qos_note("SIO_SET_QOS", WSAC_QOS_BAD_OBJECT, 0);
		return wsac_fail(WSAEINVAL, EINVAL);
	}
	rc = wsac_session_get(&ses);
	if (rc)
		return wsac_fail(rc, 0);
	rc = wsac_qos_set(&ses, s, &req, "SIO_SET_QOS", &err);
	wsac_session_put();
	if (rc)
		return wsac_fail(rc, err);
	wsac_note_qos_change(s);
	return 0;
}

static int wsac_get_qos(SOCKET s, void *out, DWORD cb, LPDWORD returned)
{
	unsigned char buf[sizeof(QOS) + WSAC_QOS_OBJECTS_MAX * 2];
	struct wsac_session ses;
	struct wsac_qos rep;
	int rc, err = 0;
	DWORD n;

	if (!out || cb < sizeof(QOS))
		return wsac_fail(WSAEFAULT, EFAULT);
	rc = wsac_session_get(&ses);
	if (rc)
		return wsac_fail(rc, 0);
	rc = wsac_qos_get(&ses, s, &rep, "SIO_GET_QOS", &err);
	wsac_session_put();
	if (rc)
		return wsac_fail(rc, err);
	n = (DWORD)wsac_qos_unflatten(&rep, buf, cb < sizeof(buf) ? cb : sizeof(buf),
				      (uintptr_t)out);
	if (wsac_copy_to_caller(out, buf, n) ||
	    wsac_copy_to_caller(returned, &n, sizeof(n)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

/* No socket is ever in a group: an empty QOS. */
static int wsac_get_group_qos(void *out, DWORD cb, LPDWORD returned)
{
	DWORD n = sizeof(QOS);
	QOS qos;

	if (!out || cb < sizeof(qos))
		return wsac_fail(WSAEFAULT, EFAULT);
	memset(&qos, 0, sizeof(qos));
	if (wsac_copy_to_caller(out, &qos, sizeof(qos)) ||
	    wsac_copy_to_caller(returned, &n, sizeof(n)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

WSAC_EXPORT int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
				DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
				LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
				LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
	int saved_errno = errno, rc;
	DWORD zero = 0;

	rc = wsac_socket_call_check(s);
	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	if (lpOverlapped || lpCompletionRoutine)
		return wsac_fail(WSAEOPNOTSUPP, EOPNOTSUPP);
	if (!lpcbBytesReturned ||
	    wsac_copy_to_caller(lpcbBytesReturned, &zero, sizeof(zero)))
		return wsac_fail(WSAEFAULT, EFAULT);

	if (wsac_is(dwIoControlCode, FIONBIO, WSAC_WINDOWS_FIONBIO))
		rc = wsac_fionbio(s, lpvInBuffer, cbInBuffer);
	else if (wsac_is(dwIoControlCode, FIONREAD, WSAC_WINDOWS_FIONREAD))
		rc = wsac_fionread(s, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned);
	else if (dwIoControlCode == SIO_SET_QOS)
		rc = wsac_set_qos(s, lpvInBuffer, cbInBuffer);
	else if (dwIoControlCode == SIO_GET_QOS)
		rc = wsac_get_qos(s, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned);
	else if (dwIoControlCode == SIO_GET_GROUP_QOS)
		rc = wsac_get_group_qos(lpvOutBuffer, cbOutBuffer, lpcbBytesReturned);
	else if (dwIoControlCode == SIO_SET_GROUP_QOS)
		/* No socket is in a group. */
		rc = wsac_fail(WSAEINVAL, EINVAL);
	else if ((rc = wsac_ioctl_ext(s, dwIoControlCode, lpvInBuffer, cbInBuffer,
				      lpvOutBuffer, cbOutBuffer,
				      lpcbBytesReturned)) == -2)
		rc = wsac_fail(WSAEINVAL, EINVAL);
	if (!rc)
		errno = saved_errno;
	return rc;
}
