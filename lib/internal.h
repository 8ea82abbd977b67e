/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libwsaconnect internals shared between its source files.  Everything
 * here has hidden visibility (-fvisibility=hidden); WSAC_EXPORT marks the
 * Winsock entry points, the only symbols the shared library exports.
 */
#ifndef WSACONNECT_INTERNAL_H
#define WSACONNECT_INTERNAL_H

#include <winsock2.h>
#include <linux/wsaconnect.h>

#include <stdbool.h>
#include <stddef.h>

#define WSAC_EXPORT	__attribute__((visibility("default")))

/*
 * initial-exec TLS: these are touched from signal handlers (a WSAConnect
 * interrupted by a handler that calls WSAConnect), where the lazy
 * allocation of dynamic TLS would not be async-signal-safe.
 */
#define WSAC_TLS	__thread __attribute__((tls_model("initial-exec")))

#define WSAC_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Environment: the device to open, and whether to explain failures. */
#define WSAC_ENV_DEVICE		"WSACONNECT_DEVICE"
#define WSAC_ENV_VERBOSE	"WSACONNECT_VERBOSE"
#define WSAC_DEFAULT_DEVICE	"/dev/" WSAC_DEVICE_NAME

/* error.c */
int wsac_errno_to_wsa(int err);
int wsac_connect_errno_to_wsa(int err);
int wsac_fail(int wsa_code, int err);
int wsac_fail_errno(int err);

/* startup.c: a reference on the started library, for one call. */
struct wsac_session {
	int devfd;		/* the open /dev/wsaconnect */
	WORD version;		/* negotiated by the first WSAStartup */
	unsigned long long features;	/* WSAC_FEAT_* of the module */
};
bool wsac_started(void);
int wsac_session_get(struct wsac_session *session);
void wsac_session_put(void);

/* device.c */
int wsac_device_open(char *reason, size_t reason_size, unsigned long long *features);

/* devioctl.c: the only place the module is called (a seam for tests). */
int wsac_dev_ioctl(int devfd, unsigned long request, void *arg);

/* probe.c */
int wsac_copy_from_caller(void *dst, const void *src, size_t len);
int wsac_copy_to_caller(void *dst, const void *src, size_t len);

/* nested.c: Winsock 1.1's "a blocking call is in progress". */
bool wsac_call_enter(void);
void wsac_call_leave(void);

#endif /* WSACONNECT_INTERNAL_H */
