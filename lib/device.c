// SPDX-License-Identifier: GPL-2.0
/*
 * Opening /dev/wsaconnect and checking that the module behind it speaks
 * our ABI.  Every failure comes with a sentence for WSADATA.szSystemStatus
 * that tells the user what to do, because "WSASYSNOTREADY" alone does not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define WSAC_LOAD_HINT \
	"load it with 'modprobe wsaconnect' (or insmod build/<lane>/wsaconnect.ko)"

static const char *wsac_device_path(void)
{
	/* secure_getenv: a set-id program must not be pointed elsewhere. */
	const char *path = secure_getenv(WSAC_ENV_DEVICE);

	return path && *path ? path : WSAC_DEFAULT_DEVICE;
}

static void wsac_open_reason(char *reason, size_t size, const char *path, int err)
{
	switch (err) {
	case ENOENT:
		snprintf(reason, size, "wsaconnect kernel module not loaded: %s",
			 WSAC_LOAD_HINT);
		break;
	case ENODEV:
	case ENXIO:
		/* A stale device node: the module that created it is gone. */
		snprintf(reason, size, "wsaconnect kernel module not loaded "
			 "(%s has no driver): %s", path, WSAC_LOAD_HINT);
		break;
	case EACCES:
	case EPERM:
		snprintf(reason, size, "no permission to open %s (the module "
			 "creates it mode 0666): %s", path, strerror(err));
		break;
	default:
		snprintf(reason, size, "cannot open %s: %s", path, strerror(err));
		break;
	}
}

static int wsac_check_version(int fd, const char *path, char *reason,
			      size_t size, unsigned long long *features)
{
	struct wsac_version ver;

	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	if (wsac_dev_ioctl(fd, WSAC_IOC_VERSION, &ver) < 0) {
		snprintf(reason, size, "%s is not the wsaconnect module's device "
			 "(version query: %s)", path, strerror(errno));
		return -1;
	}
	if (ver.size < WSAC_VERSION_SIZE_VER0) {
		snprintf(reason, size, "%s gave a short version reply (%u bytes)",
			 path, ver.size);
		return -1;
	}
	if (ver.abi_major != WSAC_ABI_MAJOR) {
		snprintf(reason, size, "module ABI %u.x, library needs %u.x: load "
			 "the wsaconnect module built with this library",
			 ver.abi_major, WSAC_ABI_MAJOR);
		return -1;
	}
	if (!(ver.features & WSAC_FEAT_CONNECT_CHECK)) {
		snprintf(reason, size, "module ABI %u.%u lacks the connect check "
			 "the library needs: load a newer wsaconnect module",
			 ver.abi_major, ver.abi_minor);
		return -1;
	}
	*features = ver.features;
	return 0;
}

/**
 * wsac_device_open() - open the module's device and check its ABI
 * @reason: where to explain a failure, for szSystemStatus
 * @reason_size: its size, including the terminating NUL
 * @features: set to the module's WSAC_FEAT_* bits on success
 *
 * The path is /dev/wsaconnect unless WSACONNECT_DEVICE names another
 * (tests point it at a missing path or at /dev/null).
 *
 * Return: the open descriptor (close-on-exec), or -1 with @reason set.
 */
int wsac_device_open(char *reason, size_t reason_size, unsigned long long *features)
{
	const char *path = wsac_device_path();
	int fd, saved_errno = errno;

	/* Read-only is enough: ioctls need no write permission. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		wsac_open_reason(reason, reason_size, path, errno);
		errno = saved_errno;
		return -1;
	}
	if (wsac_check_version(fd, path, reason, reason_size, features)) {
		close(fd);
		errno = saved_errno;
		return -1;
	}
	errno = saved_errno;
	return fd;
}
