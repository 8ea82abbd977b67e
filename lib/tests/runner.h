/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP producer for the library's host unit tests: each check is
 * one "ok N - name" line; main() prints the plan and "N passed, N failed".
 */
#ifndef WSAC_TEST_RUNNER_H
#define WSAC_TEST_RUNNER_H

#include <stdbool.h>

__attribute__((format(printf, 2, 3)))
bool wsac_tap(bool ok, const char *fmt, ...);
/* A diagnostic line ("# ...") under the last result. */
__attribute__((format(printf, 1, 2)))
void wsac_diag(const char *fmt, ...);

/* Check an int result, printing both values on failure. */
#define WSAC_EXPECT_EQ(expected, actual, ...) do {			\
	long long e_ = (long long)(expected), a_ = (long long)(actual);	\
	if (!wsac_tap(e_ == a_, __VA_ARGS__))				\
		wsac_diag("%s:%d: expected %lld, got %lld",		\
			  __FILE__, __LINE__, e_, a_);			\
} while (0)

/* The test groups, one per file. */
void wsac_test_errors(void);
void wsac_test_startup(void);
void wsac_test_connect(void);
void wsac_test_socket(void);
void wsac_test_events(void);
void wsac_test_qos(void);
void wsac_test_regress(void);
void wsac_test_api(void);
void wsac_test_bsdcompat(void);
void wsac_test_duplicate(void);
void wsac_test_io(void);
void wsac_test_names(void);

#endif /* WSAC_TEST_RUNNER_H */
