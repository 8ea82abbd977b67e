// SPDX-License-Identifier: GPL-2.0
/*
 * Winsock's last error, per thread, and the errno -> WSAE* tables.
 *
 * Ported code checks WSAGetLastError() after plain BSD calls as well as
 * after Winsock ones:
 *
 *	if (recv(s, buf, len, 0) == SOCKET_ERROR &&
 *	    WSAGetLastError() == WSAEWOULDBLOCK)
 *
 * The library cannot see a failing recv(2), but it can see errno.  So each
 * thread keeps the code the library (or WSASetLastError) last stored
 * together with the errno value it left behind: while errno still holds
 * that value, nothing failed since and the stored code is the answer; once
 * errno changed, a BSD call failed after it and errno is translated.
 */
#include <errno.h>

#include "internal.h"

struct wsac_errmap {
	int err;
	int wsa;
};

/* Any call, including the BSD ones the library never sees. */
static const struct wsac_errmap wsac_generic_map[] = {
	{ EINTR,		WSAEINTR },
	{ EBADF,		WSAENOTSOCK },	/* Winsock has no "bad fd" for sockets */
	{ EACCES,		WSAEACCES },
	{ EPERM,		WSAEACCES },
	{ EFAULT,		WSAEFAULT },
	{ EINVAL,		WSAEINVAL },
	{ EMFILE,		WSAEMFILE },
	{ ENFILE,		WSAEMFILE },
	{ EAGAIN,		WSAEWOULDBLOCK },	/* == EWOULDBLOCK on Linux */
	{ EINPROGRESS,		WSAEWOULDBLOCK },	/* a nonblocking connect(2) */
	{ EALREADY,		WSAEALREADY },
	{ ENOTSOCK,		WSAENOTSOCK },
	{ EDESTADDRREQ,		WSAEDESTADDRREQ },
	{ EMSGSIZE,		WSAEMSGSIZE },
	{ EPROTOTYPE,		WSAEPROTOTYPE },
	{ ENOPROTOOPT,		WSAENOPROTOOPT },
	{ EPROTONOSUPPORT,	WSAEPROTONOSUPPORT },
	{ ESOCKTNOSUPPORT,	WSAESOCKTNOSUPPORT },
	{ EOPNOTSUPP,		WSAEOPNOTSUPP },	/* == ENOTSUP on Linux */
	{ EPFNOSUPPORT,		WSAEPFNOSUPPORT },
	{ EAFNOSUPPORT,		WSAEAFNOSUPPORT },
	{ EADDRINUSE,		WSAEADDRINUSE },
	{ EADDRNOTAVAIL,	WSAEADDRNOTAVAIL },
	{ ENETDOWN,		WSAENETDOWN },
	{ ENETUNREACH,		WSAENETUNREACH },
	{ ENETRESET,		WSAENETRESET },
	{ ECONNABORTED,		WSAECONNABORTED },
	{ ECONNRESET,		WSAECONNRESET },
	{ ENOBUFS,		WSAENOBUFS },
	{ ENOMEM,		WSAENOBUFS },
	{ EISCONN,		WSAEISCONN },
	{ ENOTCONN,		WSAENOTCONN },
	{ EPIPE,		WSAECONNRESET },	/* usually the peer reset */
	{ ESHUTDOWN,		WSAESHUTDOWN },
	{ ETOOMANYREFS,		WSAETOOMANYREFS },
	{ ETIMEDOUT,		WSAETIMEDOUT },
	{ ECONNREFUSED,		WSAECONNREFUSED },
	{ ELOOP,		WSAELOOP },
	{ ENAMETOOLONG,		WSAENAMETOOLONG },
	{ EHOSTDOWN,		WSAEHOSTDOWN },
	{ EHOSTUNREACH,		WSAEHOSTUNREACH },
	{ ENOTEMPTY,		WSAENOTEMPTY },
	{ EUSERS,		WSAEUSERS },
	{ EDQUOT,		WSAEDQUOT },
	{ ESTALE,		WSAESTALE },
	{ EREMOTE,		WSAEREMOTE },
	{ ENOTTY,		WSAEOPNOTSUPP },	/* an ioctl the socket lacks */
	{ ENOSYS,		WSAEOPNOTSUPP },
	{ ECANCELED,		WSA_OPERATION_ABORTED },
};

/*
 * connect(2)'s errno, where Winsock's connect() says something else than
 * the generic table would.  Looked up first; misses fall through.
 */
static const struct wsac_errmap wsac_connect_map[] = {
	{ EINPROGRESS,		WSAEWOULDBLOCK },	/* never WSAEINPROGRESS */
	{ EALREADY,		WSAEALREADY },
	{ EISCONN,		WSAEISCONN },
	{ ECONNREFUSED,		WSAECONNREFUSED },
	{ ENOENT,		WSAECONNREFUSED },	/* AF_UNIX: nobody bound there */
	{ ETIMEDOUT,		WSAETIMEDOUT },
	{ ENETUNREACH,		WSAENETUNREACH },
	{ EHOSTUNREACH,		WSAEHOSTUNREACH },
	{ ENETDOWN,		WSAENETDOWN },
	{ ENODEV,		WSAENETDOWN },	/* the bound interface is gone */
	{ EADDRINUSE,		WSAEADDRINUSE },
	{ EADDRNOTAVAIL,	WSAEADDRNOTAVAIL },
	{ EAFNOSUPPORT,		WSAEAFNOSUPPORT },
	{ EACCES,		WSAEACCES },	/* broadcast, or an LSM/BPF policy */
	{ EPERM,		WSAEACCES },
	{ ENOBUFS,		WSAENOBUFS },
	{ ENOMEM,		WSAENOBUFS },
	{ EAGAIN,		WSAENOBUFS },	/* no ephemeral port, AF_UNIX backlog */
	{ EINTR,		WSAEINTR },
};

static int wsac_lookup(const struct wsac_errmap *map, size_t n, int err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (map[i].err == err)
			return map[i].wsa;
	return 0;
}

/**
 * wsac_errno_to_wsa() - the Winsock code for an errno left by any call
 * @err: an errno value; 0 gives 0
 *
 * Return: the WSAE* code; WSASYSCALLFAILURE for an errno Winsock has no
 * counterpart for (rather than a specific code that ported code might act
 * on, such as WSAEINVAL, which Winsock 1.1 pollers treat as "pending").
 */
int wsac_errno_to_wsa(int err)
{
	int wsa;

	if (!err)
		return 0;
	wsa = wsac_lookup(wsac_generic_map, WSAC_ARRAY_SIZE(wsac_generic_map), err);
	return wsa ? wsa : WSASYSCALLFAILURE;
}

/**
 * wsac_connect_errno_to_wsa() - the Winsock code for connect(2)'s errno
 * @err: the errno connect(2) failed with
 *
 * Return: the WSAE* code WSAConnect() fails with.
 */
int wsac_connect_errno_to_wsa(int err)
{
	int wsa = wsac_lookup(wsac_connect_map, WSAC_ARRAY_SIZE(wsac_connect_map), err);

	return wsa ? wsa : wsac_errno_to_wsa(err);
}

static WSAC_TLS bool wsac_last_valid;
static WSAC_TLS int wsac_last_code;
static WSAC_TLS int wsac_last_errno;

static void wsac_store(int code, int err)
{
	errno = err;
	wsac_last_code = code;
	wsac_last_errno = err;
	wsac_last_valid = true;
}

/**
 * wsac_fail() - fail a Winsock call with @wsa_code
 * @wsa_code: the WSAE* code WSAGetLastError() must report
 * @err: the errno that caused it, or 0 when no errno means the same.  If
 *	@err's generic meaning is not @wsa_code, the errno left is one that
 *	means @wsa_code (ENOBUFS for WSAENOBUFS from EAGAIN); with none, the
 *	code itself, a value no Linux call sets.  Either way the next
 *	failing BSD call is noticed, and never read as @wsa_code.
 *
 * Return: SOCKET_ERROR, for "return wsac_fail(...)".
 */
int wsac_fail(int wsa_code, int err)
{
	size_t i;

	/*
	 * errno must mean the stored code on its own: else a later BSD call
	 * failing with the same errno (EAGAIN after WSAENOBUFS from a full
	 * AF_UNIX backlog) would be reported with the stale code.  Leave an
	 * errno whose generic meaning is the code, or the code itself.
	 */
	if (err && wsac_errno_to_wsa(err) != wsa_code) {
		err = 0;
		for (i = 0; i < WSAC_ARRAY_SIZE(wsac_generic_map); i++)
			if (wsac_generic_map[i].wsa == wsa_code) {
				err = wsac_generic_map[i].err;
				break;
			}
	}
	wsac_store(wsa_code, err ? err : wsa_code);
	return SOCKET_ERROR;
}

/* Fail with the generic translation of @err. */
int wsac_fail_errno(int err)
{
	return wsac_fail(wsac_errno_to_wsa(err), err);
}

WSAC_EXPORT int WSAAPI WSAGetLastError(void)
{
	int err = errno;

	if (wsac_last_valid && err == wsac_last_errno)
		return wsac_last_code;
	return wsac_errno_to_wsa(err);
}

/*
 * errno is set too: to 0 for 0, which is what ported code means by
 * WSASetLastError(0) before a call it then checks; else to the code, as
 * wsac_fail() does.
 */
WSAC_EXPORT void WSAAPI WSASetLastError(int iError)
{
	wsac_store(iError, iError);
}
