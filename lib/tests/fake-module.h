/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for wsaconnect.ko on hosts that cannot load it: the unit
 * tests link it in place of lib/devioctl.c.  Requests on any descriptor
 * other than the fake device go to the real ioctl(2).
 */
#ifndef WSAC_FAKE_MODULE_H
#define WSAC_FAKE_MODULE_H

#include <linux/wsaconnect.h>

struct wsac_fake {
	unsigned int abi_major;		/* reported by WSAC_IOC_VERSION */
	unsigned long long features;
	int force_state;		/* -1, or the enum wsac_sock_state to report */
	int force_verdict;		/* 0, or the verdict to report */
	void (*during_check)(void);	/* called inside WSAC_IOC_CONNECT_CHECK */
	unsigned int checks;		/* WSAC_IOC_CONNECT_CHECK calls */
	unsigned int purges;		/* WSAC_IOC_DGRAM_PURGE calls */
};

extern struct wsac_fake wsac_fake;

/* Create the fake device and point WSACONNECT_DEVICE at it. */
void wsac_fake_install(void);
/* Back to defaults (ABI 1, every feature, no forcing, counters zero). */
void wsac_fake_reset(void);

#endif /* WSAC_FAKE_MODULE_H */
