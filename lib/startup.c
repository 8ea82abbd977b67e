// SPDX-License-Identifier: GPL-2.0
/*
 * WSAStartup() and WSACleanup(): a process-wide reference count on the
 * open /dev/wsaconnect.
 *
 * Locking: wsac_lock (a rwlock) protects wsac_refs, wsac_devfd and the
 * negotiated version.  Startup and cleanup take it for writing; a call
 * that uses the device holds it for reading from its "started?" check to
 * its last ioctl, so the last WSACleanup() cannot close the descriptor
 * (and let the number be reused by another file) under an ioctl.
 * wsac_refs is also read locklessly with an atomic load by wsac_started(),
 * which must be async-signal-safe.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Winsock versions this library implements: 1.0 to 2.2. */
#define WSAC_LOWEST_MAJOR	1
#define WSAC_HIGHEST_MAJOR	2
#define WSAC_HIGHEST_MINOR	2
#define WSAC_V1_HIGHEST_MINOR	1
#define WSAC_STATUS_RUNNING	"Running"

static pthread_rwlock_t wsac_lock = PTHREAD_RWLOCK_INITIALIZER;
static unsigned int wsac_refs;
static int wsac_devfd = -1;
static WORD wsac_version;
static unsigned long long wsac_features;

/*
 * fork() while another thread holds a lock would leave it held forever in
 * the child.  Take both (startup lock first, the order of every call)
 * before forking, release them on both sides.  Another thread inside a
 * blocking connect holds neither.
 */
static void wsac_fork_prepare(void)
{
	pthread_rwlock_wrlock(&wsac_lock);
	wsac_state_fork_prepare();
}

static void wsac_fork_done(void)
{
	wsac_state_fork_done();
	pthread_rwlock_unlock(&wsac_lock);
}

static void wsac_fork_child(void)
{
	static const pthread_rwlock_t fresh = PTHREAD_RWLOCK_INITIALIZER;

	/*
	 * glibc's rwlock knows its writer by tid, which the child's thread no
	 * longer has: unlocking would take it for a reader.  The child has
	 * one thread, and the lock is ours: start it afresh.
	 */
	wsac_state_fork_child();
	memcpy(&wsac_lock, &fresh, sizeof(fresh));
	wsac_probe_recheck();
}

static __attribute__((constructor)) void wsac_startup_init(void)
{
	pthread_atfork(wsac_fork_prepare, wsac_fork_done, wsac_fork_child);
}

/*
 * Winsock never raises SIGPIPE; Linux's send() to a reset peer kills a
 * program that kept the default disposition.  While the default is in
 * force, each successful WSAStartup installs a handler that does
 * nothing (send() then fails with EPIPE, WSAECONNRESET).  A handler, not
 * SIG_IGN: exec() resets it, so programs the process starts keep the
 * default.  A disposition the program chose is left alone, and
 * WSACONNECT_SIGPIPE=default keeps the default.  It stays after
 * WSACleanup(), since sockets outlive it.
 */
static void wsac_sigpipe_nothing(int sig)
{
	(void)sig;
}

static void wsac_sigpipe_guard(void)
{
	const char *keep = getenv(WSAC_ENV_SIGPIPE);
	struct sigaction old, sa;

	if (keep && !strcmp(keep, "default"))
		return;
	if (sigaction(SIGPIPE, NULL, &old) || old.sa_handler != SIG_DFL ||
	    (old.sa_flags & SA_SIGINFO))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wsac_sigpipe_nothing;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGPIPE, &sa, NULL);
}

/* Lockless and async-signal-safe; callers recheck under the lock. */
bool wsac_started(void)
{
	return __atomic_load_n(&wsac_refs, __ATOMIC_ACQUIRE) != 0;
}

/**
 * wsac_session_get() - take a read reference on the started library
 * @session: filled with the device descriptor and what was negotiated
 *
 * On success the caller must call wsac_session_put() once it no longer
 * uses @session->devfd.
 *
 * Return: 0, or WSANOTINITIALISED.
 */
int wsac_session_get(struct wsac_session *session)
{
	pthread_rwlock_rdlock(&wsac_lock);
	if (!wsac_refs) {
		pthread_rwlock_unlock(&wsac_lock);
		return WSANOTINITIALISED;
	}
	session->devfd = wsac_devfd;
	session->version = wsac_version;
	session->features = wsac_features;
	return 0;
}

void wsac_session_put(void)
{
	pthread_rwlock_unlock(&wsac_lock);
}

/*
 * Microsoft's rule: a request below 1.0 is refused; anything else gets the
 * highest version not above it (3.0 gets 2.2, 1.5 gets 1.1).
 */
static WORD wsac_negotiate(WORD requested)
{
	BYTE major = LOBYTE(requested), minor = HIBYTE(requested);

	if (major > WSAC_HIGHEST_MAJOR)
		return MAKEWORD(WSAC_HIGHEST_MAJOR, WSAC_HIGHEST_MINOR);
	if (major == WSAC_HIGHEST_MAJOR && minor > WSAC_HIGHEST_MINOR)
		minor = WSAC_HIGHEST_MINOR;
	if (major == WSAC_LOWEST_MAJOR && minor > WSAC_V1_HIGHEST_MINOR)
		minor = WSAC_V1_HIGHEST_MINOR;
	return MAKEWORD(major, minor);
}

static void wsac_fill_wsadata(LPWSADATA data, WORD version, const char *status)
{
	memset(data, 0, sizeof(*data));
	data->wVersion = version;
	data->wHighVersion = MAKEWORD(WSAC_HIGHEST_MAJOR, WSAC_HIGHEST_MINOR);
	/* Winsock 2 leaves both limits at 0: they mean nothing any more. */
	data->iMaxSockets = 0;
	data->iMaxUdpDg = 0;
	data->lpVendorInfo = NULL;
	snprintf(data->szDescription, sizeof(data->szDescription),
		 "libwsaconnect (module ABI %u.%u)", WSAC_ABI_MAJOR, WSAC_ABI_MINOR);
	snprintf(data->szSystemStatus, sizeof(data->szSystemStatus), "%s", status);
}

/* Only on request: a library must not write to a program's stderr. */
static void wsac_explain(const char *reason)
{
	const char *verbose = getenv(WSAC_ENV_VERBOSE);

	if (verbose && strcmp(verbose, "1") == 0)
		fprintf(stderr, "libwsaconnect: WSAStartup: %s\n", reason);
}

static int wsac_startup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
	char reason[WSASYS_STATUS_LEN + 1];
	WSADATA data;
	WORD version;
	int err = 0;

	if (!lpWSAData)
		return WSAEFAULT;
	/* A seccomp filter may have come since: look again before probing. */
	wsac_probe_recheck();
	/* Windows: WSAEFAULT for a buffer it cannot write, nothing started. */
	memset(&data, 0, sizeof(data));
	if (wsac_copy_to_caller(lpWSAData, &data, sizeof(data)))
		return WSAEFAULT;
	if (LOBYTE(wVersionRequested) < WSAC_LOWEST_MAJOR) {
		wsac_fill_wsadata(lpWSAData,
				  MAKEWORD(WSAC_HIGHEST_MAJOR, WSAC_HIGHEST_MINOR),
				  "Winsock version below 1.0 requested");
		return WSAVERNOTSUPPORTED;
	}
	version = wsac_negotiate(wVersionRequested);

	pthread_rwlock_wrlock(&wsac_lock);
	if (wsac_refs == UINT_MAX) {
		err = WSAEPROCLIM;
		snprintf(reason, sizeof(reason), "too many WSAStartup calls");
	} else if (!wsac_refs) {
		unsigned long long features = 0;
		int fd = wsac_device_open(reason, sizeof(reason), &features);

		if (fd < 0) {
			err = WSASYSNOTREADY;
		} else {
			wsac_devfd = fd;
			wsac_features = features;
			/* The first caller's version rules, as in Winsock. */
			wsac_version = version;
		}
	}
	if (!err)
		wsac_sigpipe_guard();
	if (!err)
		__atomic_store_n(&wsac_refs, wsac_refs + 1, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&wsac_lock);

	if (err) {
		wsac_fill_wsadata(lpWSAData, version, reason);
		wsac_explain(reason);
		return err;
	}
	wsac_fill_wsadata(lpWSAData, version, WSAC_STATUS_RUNNING);
	return 0;
}

/* Returns the error code itself, not through WSAGetLastError(): Microsoft's contract. */
WSAC_EXPORT int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
	int rc;

	wsac_busy_enter();
	rc = wsac_startup(wVersionRequested, lpWSAData);
	wsac_busy_leave();
	return rc;
}

static int wsac_cleanup(void)
{
	int fd = -1;

	pthread_rwlock_wrlock(&wsac_lock);
	if (!wsac_refs) {
		pthread_rwlock_unlock(&wsac_lock);
		return wsac_fail(WSANOTINITIALISED, 0);
	}
	__atomic_store_n(&wsac_refs, wsac_refs - 1, __ATOMIC_RELEASE);
	if (!wsac_refs) {
		fd = wsac_devfd;
		wsac_devfd = -1;
		wsac_features = 0;
		wsac_version = 0;
	}
	pthread_rwlock_unlock(&wsac_lock);

	/* No reader can hold fd now: close it outside the lock. */
	if (fd >= 0)
		close(fd);
	return 0;
}

WSAC_EXPORT int WSAAPI WSACleanup(void)
{
	int rc;

	wsac_busy_enter();
	rc = wsac_cleanup();
	wsac_busy_leave();
	return rc;
}
