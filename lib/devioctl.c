// SPDX-License-Identifier: GPL-2.0
/*
 * The one function that talks to wsaconnect.ko.  It has a file of its own
 * so that the host unit tests can link a stand-in module in its place
 * (lib/tests/fake-module.c); nothing else in the library knows.
 */
#include <sys/ioctl.h>

#include "internal.h"

int wsac_dev_ioctl(int devfd, unsigned long request, void *arg)
{
	return ioctl(devfd, request, arg);
}
