// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every group and reports in TAP 13 (plan at the end, which TAP
 * allows), then the plain summary line scripts/check collects.
 */
#include <stdarg.h>
#include <stdio.h>

#include "runner.h"

static unsigned int wsac_passed, wsac_failed;

bool wsac_tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		wsac_passed++;
	else
		wsac_failed++;
	printf("%sok %u - ", ok ? "" : "not ", wsac_passed + wsac_failed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return ok;
}

void wsac_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int main(void)
{
	printf("TAP version 13\n");
	wsac_test_errors();
	wsac_test_startup();
	wsac_test_connect();
	wsac_test_socket();
	wsac_test_events();
	wsac_test_qos();
	wsac_test_regress();
	wsac_test_api();
	wsac_test_bsdcompat();
	wsac_test_duplicate();
	wsac_test_io();
	wsac_test_names();
	printf("1..%u\n", wsac_passed + wsac_failed);
	printf("%u passed, %u failed\n", wsac_passed, wsac_failed);
	return wsac_failed ? 1 : 0;
}
