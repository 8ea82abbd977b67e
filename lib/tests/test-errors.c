// SPDX-License-Identifier: GPL-2.0
/*
 * The errno -> WSAE* tables row by row, Windows' constant values and
 * struct layouts, and the per-thread last error with its BSD-errno rule.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "runner.h"

struct row {
	int err;
	const char *name;
	int wsa;
};
#define ROW(e, w)	{ e, #e, w }

/* Written from the documentation, independently of lib/error.c. */
static const struct row generic_rows[] = {
	ROW(EINTR, WSAEINTR), ROW(EBADF, WSAENOTSOCK), ROW(EACCES, WSAEACCES),
	ROW(EPERM, WSAEACCES), ROW(EFAULT, WSAEFAULT), ROW(EINVAL, WSAEINVAL),
	ROW(EMFILE, WSAEMFILE), ROW(ENFILE, WSAEMFILE),
	ROW(EAGAIN, WSAEWOULDBLOCK), ROW(EWOULDBLOCK, WSAEWOULDBLOCK),
	ROW(EINPROGRESS, WSAEWOULDBLOCK), ROW(EALREADY, WSAEALREADY),
	ROW(ENOTSOCK, WSAENOTSOCK), ROW(EDESTADDRREQ, WSAEDESTADDRREQ),
	ROW(EMSGSIZE, WSAEMSGSIZE), ROW(EPROTOTYPE, WSAEPROTOTYPE),
	ROW(ENOPROTOOPT, WSAENOPROTOOPT), ROW(EPROTONOSUPPORT, WSAEPROTONOSUPPORT),
	ROW(ESOCKTNOSUPPORT, WSAESOCKTNOSUPPORT), ROW(EOPNOTSUPP, WSAEOPNOTSUPP),
	ROW(ENOTSUP, WSAEOPNOTSUPP), ROW(EPFNOSUPPORT, WSAEPFNOSUPPORT),
	ROW(EAFNOSUPPORT, WSAEAFNOSUPPORT), ROW(EADDRINUSE, WSAEADDRINUSE),
	ROW(EADDRNOTAVAIL, WSAEADDRNOTAVAIL), ROW(ENETDOWN, WSAENETDOWN),
	ROW(ENETUNREACH, WSAENETUNREACH), ROW(ENETRESET, WSAENETRESET),
	ROW(ECONNABORTED, WSAECONNABORTED), ROW(ECONNRESET, WSAECONNRESET),
	ROW(ENOBUFS, WSAENOBUFS), ROW(ENOMEM, WSAENOBUFS), ROW(EISCONN, WSAEISCONN),
	ROW(ENOTCONN, WSAENOTCONN), ROW(EPIPE, WSAECONNRESET),
	ROW(ESHUTDOWN, WSAESHUTDOWN), ROW(ETOOMANYREFS, WSAETOOMANYREFS),
	ROW(ETIMEDOUT, WSAETIMEDOUT), ROW(ECONNREFUSED, WSAECONNREFUSED),
	ROW(ELOOP, WSAELOOP), ROW(ENAMETOOLONG, WSAENAMETOOLONG),
	ROW(EHOSTDOWN, WSAEHOSTDOWN), ROW(EHOSTUNREACH, WSAEHOSTUNREACH),
	ROW(ENOTEMPTY, WSAENOTEMPTY), ROW(EUSERS, WSAEUSERS), ROW(EDQUOT, WSAEDQUOT),
	ROW(ESTALE, WSAESTALE), ROW(EREMOTE, WSAEREMOTE), ROW(ENOTTY, WSAEOPNOTSUPP),
	ROW(ENOSYS, WSAEOPNOTSUPP), ROW(ECANCELED, WSA_OPERATION_ABORTED),
	ROW(0, 0), ROW(EIO, WSASYSCALLFAILURE), ROW(ENOENT, WSASYSCALLFAILURE),
};

static const struct row connect_rows[] = {
	ROW(EINPROGRESS, WSAEWOULDBLOCK), ROW(EALREADY, WSAEALREADY),
	ROW(EISCONN, WSAEISCONN), ROW(ECONNREFUSED, WSAECONNREFUSED),
	ROW(ENOENT, WSAECONNREFUSED), ROW(ETIMEDOUT, WSAETIMEDOUT),
	ROW(ENETUNREACH, WSAENETUNREACH), ROW(EHOSTUNREACH, WSAEHOSTUNREACH),
	ROW(ENETDOWN, WSAENETDOWN), ROW(EADDRINUSE, WSAEADDRINUSE),
	ROW(EADDRNOTAVAIL, WSAEADDRNOTAVAIL), ROW(EAFNOSUPPORT, WSAEAFNOSUPPORT),
	ROW(EACCES, WSAEACCES), ROW(EPERM, WSAEACCES), ROW(ENOBUFS, WSAENOBUFS),
	ROW(ENOMEM, WSAENOBUFS), ROW(EAGAIN, WSAENOBUFS), ROW(EINTR, WSAEINTR),
	/* Misses fall through to the generic table. */
	ROW(EBADF, WSAENOTSOCK), ROW(ENOTSOCK, WSAENOTSOCK), ROW(EINVAL, WSAEINVAL),
	ROW(EFAULT, WSAEFAULT), ROW(ECONNRESET, WSAECONNRESET),
};

static void test_tables(void)
{
	size_t i;

	for (i = 0; i < WSAC_ARRAY_SIZE(generic_rows); i++)
		WSAC_EXPECT_EQ(generic_rows[i].wsa, wsac_errno_to_wsa(generic_rows[i].err),
			       "errno %s maps to %d", generic_rows[i].name,
			       generic_rows[i].wsa);
	for (i = 0; i < WSAC_ARRAY_SIZE(connect_rows); i++)
		WSAC_EXPECT_EQ(connect_rows[i].wsa,
			       wsac_connect_errno_to_wsa(connect_rows[i].err),
			       "connect errno %s maps to %d", connect_rows[i].name,
			       connect_rows[i].wsa);
}

static void test_constants(void)
{
	bool lp64 = sizeof(void *) == 8;

	WSAC_EXPECT_EQ(10035, WSAEWOULDBLOCK, "WSAEWOULDBLOCK is 10035");
	WSAC_EXPECT_EQ(10093, WSANOTINITIALISED, "WSANOTINITIALISED is 10093");
	WSAC_EXPECT_EQ(11002, WSATRY_AGAIN, "WSATRY_AGAIN is 11002");
	WSAC_EXPECT_EQ(11010, WSA_QOS_ADMISSION_FAILURE, "WSA_QOS_ADMISSION_FAILURE is 11010");
	WSAC_EXPECT_EQ(11031, WSA_QOS_RESERVED_PETYPE, "WSA_QOS_RESERVED_PETYPE is 11031");
	WSAC_EXPECT_EQ(997, WSA_IO_PENDING, "WSA_IO_PENDING is 997");
	WSAC_EXPECT_EQ(0xC8000007u, SIO_GET_QOS, "SIO_GET_QOS is 0xC8000007");
	WSAC_EXPECT_EQ(0xC8000008u, SIO_GET_GROUP_QOS, "SIO_GET_GROUP_QOS is 0xC8000008");
	WSAC_EXPECT_EQ(0x8800000Bu, SIO_SET_QOS, "SIO_SET_QOS is 0x8800000B");
	WSAC_EXPECT_EQ(0x8800000Cu, SIO_SET_GROUP_QOS, "SIO_SET_GROUP_QOS is 0x8800000C");
	WSAC_EXPECT_EQ(0x10, FD_CONNECT, "FD_CONNECT is 0x10");
	WSAC_EXPECT_EQ(2004, QOS_OBJECT_DESTADDR, "QOS_OBJECT_DESTADDR is 2004");
	WSAC_EXPECT_EQ(0x0202, MAKEWORD(2, 2), "MAKEWORD(2, 2) is 0x0202");
	WSAC_EXPECT_EQ(4, sizeof(DWORD), "DWORD is 32-bit");
	WSAC_EXPECT_EQ(4, sizeof(ULONG), "ULONG is 32-bit");
	WSAC_EXPECT_EQ(4, sizeof(LONG), "LONG is 32-bit");
	WSAC_EXPECT_EQ(32, sizeof(FLOWSPEC), "sizeof(FLOWSPEC) is 32");
	WSAC_EXPECT_EQ(lp64 ? 80 : 72, sizeof(QOS), "sizeof(QOS) as on Windows");
	WSAC_EXPECT_EQ(lp64 ? 16 : 8, sizeof(WSABUF), "sizeof(WSABUF) as on Windows");
	WSAC_EXPECT_EQ(44, sizeof(WSANETWORKEVENTS), "sizeof(WSANETWORKEVENTS) is 44");
	WSAC_EXPECT_EQ(lp64 ? 408 : 400, sizeof(WSADATA), "sizeof(WSADATA) as on Windows");
	WSAC_EXPECT_EQ(lp64 ? 8 : 396, offsetof(WSADATA, lpVendorInfo),
		       "WSADATA.lpVendorInfo where Windows puts it");
	WSAC_EXPECT_EQ(sizeof(struct pollfd), sizeof(WSAPOLLFD), "WSAPOLLFD is struct pollfd");
}

static void test_set_get(void)
{
	WSASetLastError(WSAECONNRESET);
	WSAC_EXPECT_EQ(WSAECONNRESET, WSAGetLastError(), "WSASetLastError(x) then WSAGetLastError() is x");
	WSASetLastError(0);
	WSAC_EXPECT_EQ(0, WSAGetLastError(), "WSASetLastError(0) then WSAGetLastError() is 0");
	WSASetLastError(12345);
	WSAC_EXPECT_EQ(12345, WSAGetLastError(), "an arbitrary code is kept as is");
}

static void test_bsd_rule(void)
{
	char byte;
	int sv[2], fd;

	if (!wsac_tap(!socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv),
		      "socketpair for the BSD-errno rule"))
		return;
	/* Even right after a Winsock code was stored. */
	WSASetLastError(WSAEFAULT);
	WSAC_EXPECT_EQ(SOCKET_ERROR, recv(sv[0], &byte, 1, 0), "recv with nothing queued fails");
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(), "then WSAGetLastError() is WSAEWOULDBLOCK");
	WSASetLastError(0);
	WSAC_EXPECT_EQ(SOCKET_ERROR, recv(sv[0], &byte, 1, 0),
		       "recv fails again after WSASetLastError(0)");
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(),
		       "and WSAGetLastError() sees it although errno had that value before");
	fd = sv[1];
	close(sv[0]);
	close(sv[1]);
	WSAC_EXPECT_EQ(SOCKET_ERROR, send(fd, "x", 1, 0), "send on a closed descriptor fails");
	WSAC_EXPECT_EQ(WSAENOTSOCK, WSAGetLastError(), "then WSAGetLastError() is WSAENOTSOCK");
}

struct thread_arg {
	pthread_barrier_t *barrier;
	int code, seen;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	WSASetLastError(a->code);
	/* Both have set their code before either reads. */
	pthread_barrier_wait(a->barrier);
	a->seen = WSAGetLastError();
	return NULL;
}

static void test_threads(void)
{
	pthread_barrier_t barrier;
	struct thread_arg a = { &barrier, WSAECONNREFUSED, 0 };
	struct thread_arg b = { &barrier, WSAETIMEDOUT, 0 };
	pthread_t ta, tb;

	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&ta, NULL, thread_main, &a);
	pthread_create(&tb, NULL, thread_main, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&barrier);
	WSAC_EXPECT_EQ(WSAECONNREFUSED, a.seen, "thread A sees only its own last error");
	WSAC_EXPECT_EQ(WSAETIMEDOUT, b.seen, "thread B sees only its own last error");
}

void wsac_test_errors(void)
{
	test_tables();
	test_constants();
	test_set_get();
	test_bsd_rule();
	test_threads();
}
