/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel memory as make scale and make bench count it, so that their
 * per-socket figures mean the same thing: Slab + Percpu of /proc/meminfo.
 */
#ifndef WSAC_SCALE_MEMINFO_H
#define WSAC_SCALE_MEMINFO_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Slab + Percpu in KiB, after letting RCU frees run; -1 if unreadable. */
static inline long wsac_kmem_kib(void)
{
	char key[64];
	long v, sum = 0;
	FILE *f;

	usleep(200 * 1000);
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld kB\n", key, &v) == 2)
		if (!strcmp(key, "Slab:") || !strcmp(key, "Percpu:"))
			sum += v;
	fclose(f);
	return sum;
}

#endif /* WSAC_SCALE_MEMINFO_H */
