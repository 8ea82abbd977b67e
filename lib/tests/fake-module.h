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

	/* QoS: what QOS_SET, QOS_GET and QOS_ADMIT answer. */
	int qos_errno;			/* 0, or the errno the QoS ioctls fail with */
	struct wsac_qos_plan qos_plan;	/* the plan the dry run returns */
	int qos_dry_verdict;		/* verdict of QOS_SET without COMMIT */
	int qos_commit_verdict;		/* verdict of QOS_SET with COMMIT */
	unsigned int qos_reason;	/* reason with a non-zero verdict */
	struct wsac_qos_effective qos_effective;	/* reported by every reply */
	int admit_verdict;		/* verdict of QOS_ADMIT */
	unsigned int admit_reason;
	unsigned int qos_sets, qos_commits, qos_gets, admits;
	struct wsac_qos last_set;	/* the last request, dry run or commit */
	struct wsac_qos recorded;	/* what the last successful COMMIT recorded */
	struct wsac_qos_admit last_admit;

	/* setsockopt/getsockopt of the QoS options (linked with --wrap). */
	bool log_sockopts;		/* append them to @log */
	bool ulp_ok;			/* TCP_ULP "wsaconnect" succeeds */
	int fail_level, fail_name;	/* this setsockopt fails ... */
	int fail_errno;			/* ... with this errno (0: never) */
	char log[2048];			/* "QOS_SET;get IP_TOS;set IP_TOS=160;..." */
};

extern struct wsac_fake wsac_fake;

/* Create the fake device and point WSACONNECT_DEVICE at it. */
void wsac_fake_install(void);
/* Back to defaults (ABI 1, every feature, no forcing, counters zero). */
void wsac_fake_reset(void);

#endif /* WSAC_FAKE_MODULE_H */
