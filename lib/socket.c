// SPDX-License-Identifier: GPL-2.0
/*
 * closesocket() and ioctlsocket(): Winsock's names for close(2) and two
 * ioctls, with Winsock's errors.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/**
 * wsac_socket_fd_check() - is @s an open socket?
 * @s: the descriptor
 *
 * fstat(2) resolves an empty path and can fail for want of kernel memory:
 * that is WSAENOBUFS, not a claim that @s is no socket.
 *
 * Return: 0 for a socket, WSAENOBUFS, or WSAENOTSOCK.
 */
int wsac_socket_fd_check(SOCKET s)
{
	struct stat st;

	if (s < 0)
		return WSAENOTSOCK;
	if (fstat(s, &st) < 0)
		return errno == ENOMEM ? WSAENOBUFS : WSAENOTSOCK;
	return S_ISSOCK(st.st_mode) ? 0 : WSAENOTSOCK;
}

/**
 * wsac_socket_call_check() - what every call taking a socket checks first
 * @s: the caller's descriptor
 *
 * Return: 0; WSANOTINITIALISED before WSAStartup(); or the code of
 * wsac_socket_fd_check().  wsac_code_errno() gives the errno to go with it.
 */
int wsac_socket_call_check(SOCKET s)
{
	return wsac_started() ? wsac_socket_fd_check(s) : WSANOTINITIALISED;
}

/*
 * The errno that goes with a code the argument checks return
 * (wsac_socket_fd_check() and the like); 0 for one no errno means.
 */
int wsac_code_errno(int wsa_code)
{
	switch (wsa_code) {
	case WSAENOTSOCK:
		return ENOTSOCK;
	case WSAENOBUFS:
		return ENOBUFS;
	case WSAEFAULT:
		return EFAULT;
	case WSAEINVAL:
		return EINVAL;
	case WSAEOPNOTSUPP:
		return EOPNOTSUPP;
	default:
		return 0;
	}
}

/* Return: 0 if @s is an open socket, else the WSA code to fail with. */
static int wsac_check_socket(SOCKET s)
{
	if (!wsac_started())
		return WSANOTINITIALISED;
	return wsac_socket_fd_check(s);
}

WSAC_EXPORT int WSAAPI closesocket(SOCKET s)
{
	int rc = wsac_check_socket(s);

	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	wsac_sock_forget(s);
	wsac_accept_forget(s);
	/*
	 * Linux releases the descriptor even when close(2) reports EINTR;
	 * reporting a failure would invite a retry that closes a reused fd.
	 */
	if (close(s) < 0 && errno != EINTR)
		return wsac_fail_errno(errno);
	return 0;
}

/*
 * Windows numbers its ioctls in 32 bits; a Windows code that went through
 * an int or a 32-bit long may arrive sign-extended, so compare 32 bits.
 */
static uint32_t wsac_ioctl_code(long cmd)
{
	return (uint32_t)(unsigned long)cmd;
}

/* Has WSAEventSelect (or, one day, WSAAsyncSelect) a mask on @s? */
static bool wsac_event_selected(SOCKET s)
{
	struct wsac_sock *e;
	bool selected;

	wsac_state_lock();
	e = wsac_sock_get_locked(s, false);
	selected = e && e->mask && e->ev;
	wsac_state_unlock();
	return selected;
}

/* FIONBIO for ioctlsocket() and WSAIoctl(): 0 or SOCKET_ERROR. */
int wsac_set_nonblocking(SOCKET s, int on)
{
	/* Windows: an event-selected socket cannot be made blocking. */
	if (!on && wsac_event_selected(s))
		return wsac_fail(WSAEINVAL, EINVAL);
	if (ioctl(s, FIONBIO, &on) < 0)
		return wsac_fail_errno(errno);
	return 0;
}

/* FIONREAD for ioctlsocket() and WSAIoctl(): 0 or SOCKET_ERROR. */
int wsac_queued_bytes(SOCKET s, unsigned long *n)
{
	int queued;

	if (ioctl(s, FIONREAD, &queued) < 0)
		return wsac_fail_errno(errno);
	*n = queued < 0 ? 0 : (unsigned long)queued;
	return 0;
}

static int wsac_fionbio(SOCKET s, unsigned long *argp)
{
	unsigned long arg;

	if (wsac_copy_from_caller(&arg, argp, sizeof(arg)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return wsac_set_nonblocking(s, arg != 0);
}

static int wsac_fionread(SOCKET s, unsigned long *argp)
{
	unsigned long arg;

	if (wsac_queued_bytes(s, &arg))
		return SOCKET_ERROR;
	if (wsac_copy_to_caller(argp, &arg, sizeof(arg)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

WSAC_EXPORT int WSAAPI ioctlsocket(SOCKET s, long cmd, unsigned long *argp)
{
	uint32_t code = wsac_ioctl_code(cmd);
	int rc = wsac_check_socket(s);

	if (rc)
		return wsac_fail(rc, wsac_code_errno(rc));
	if (!argp)
		return wsac_fail(WSAEFAULT, EFAULT);
	if (code == FIONBIO || code == WSAC_WINDOWS_FIONBIO)
		return wsac_fionbio(s, argp);
	if (code == FIONREAD || code == WSAC_WINDOWS_FIONREAD)
		return wsac_fionread(s, argp);
	return wsac_fail(WSAEINVAL, EINVAL);
}
