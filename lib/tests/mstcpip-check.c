// SPDX-License-Identifier: GPL-2.0
/*
 * The address helpers of <ws2tcpip.h> and <mstcpip.h> against one table
 * of expected results, on both systems:
 *
 *  - on Linux (make -C lib test) it is built against libwsaconnect's
 *    headers and run: each CHECK is a test line;
 *  - with mingw-w64 (make -C lib mingw-check) it is built at -O2, where
 *    every CHECK folds to a constant: a helper whose result differs from
 *    the table leaves a call to wsac_helper_differs(), and the build
 *    fails there (no Windows needed to run it).
 *
 * mingw-w64's headers provide SS_PORT, IN6ADDR_ANY_INIT,
 * IN6ADDR_LOOPBACK_INIT, the IN6_IS_ADDR_* tests, IN6_SET_ADDR_*,
 * IN6ADDR_ISANY/ISLOOPBACK and IN6ADDR_SETANY/SETLOOPBACK; those are
 * compared.  The IN4ADDR_*, INETADDR_* and IN6ADDR_*V4MAPPED helpers of the
 * Windows SDK's <mstcpip.h> are not in mingw-w64: they are checked on
 * Linux only, against the SDK's documented results.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h>

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
extern void wsac_helper_differs(void)
	__attribute__((error("an address helper's result differs from the table")));
#define CHECK(expr, want)						\
	do {								\
		if ((long)(expr) != (long)(want))			\
			wsac_helper_differs();				\
	} while (0)
#else
static int checks, failures;
#define CHECK(expr, want)						\
	do {								\
		long got_ = (long)(expr);				\
		checks++;						\
		if (got_ != (long)(want)) {				\
			failures++;					\
			printf("not ok - %s: %ld, expected %ld\n", #expr, \
			       got_, (long)(want));			\
		}							\
	} while (0)
#endif

/*
 * A port as stored in a sockaddr (htons is a call into ws2_32 on Windows,
 * which the compiler cannot fold; both targets are little-endian).
 */
#define NET16(x)	((unsigned short)((((x) & 0xff) << 8) | (((x) >> 8) & 0xff)))

/*
 * The 16 bytes of IPv6 address @a are those of @b: byte by byte, which
 * GCC folds after the memset()s the helpers do (a loop it does not).
 */
#define B6(a, i)	(((const unsigned char *)(a))[i])
#define CHECK6(a, b)							\
	do {								\
		CHECK(B6(a, 0), B6(b, 0));   CHECK(B6(a, 1), B6(b, 1));	\
		CHECK(B6(a, 2), B6(b, 2));   CHECK(B6(a, 3), B6(b, 3));	\
		CHECK(B6(a, 4), B6(b, 4));   CHECK(B6(a, 5), B6(b, 5));	\
		CHECK(B6(a, 6), B6(b, 6));   CHECK(B6(a, 7), B6(b, 7));	\
		CHECK(B6(a, 8), B6(b, 8));   CHECK(B6(a, 9), B6(b, 9));	\
		CHECK(B6(a, 10), B6(b, 10)); CHECK(B6(a, 11), B6(b, 11));	\
		CHECK(B6(a, 12), B6(b, 12)); CHECK(B6(a, 13), B6(b, 13));	\
		CHECK(B6(a, 14), B6(b, 14)); CHECK(B6(a, 15), B6(b, 15));	\
	} while (0)

/* Addresses as bytes, network order. */
#define A6(...) { { { __VA_ARGS__ } } }
static const struct in6_addr any6 = IN6ADDR_ANY_INIT;
static const struct in6_addr loop6 = IN6ADDR_LOOPBACK_INIT;
static const struct in6_addr mc_node = A6(0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
static const struct in6_addr mc_link = A6(0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
static const struct in6_addr mc_site = A6(0xff, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
static const struct in6_addr mc_org = A6(0xff, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3);
static const struct in6_addr mc_global = A6(0xff, 0x0e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4);
static const struct in6_addr linklocal = A6(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
static const struct in6_addr sitelocal = A6(0xfe, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
static const struct in6_addr mapped = A6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1);
static const struct in6_addr compat = A6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1);
static const struct in6_addr global = A6(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

/* The IN6_IS_ADDR_* tests: one row per address. */
#define ROW(a, unspec, loop, mc, ll, sl, v4m, v4c, mcn, mcl, mcs, mco, mcg)	\
	do {								\
		CHECK(IN6_IS_ADDR_UNSPECIFIED(&(a)), unspec);		\
		CHECK(IN6_IS_ADDR_LOOPBACK(&(a)), loop);		\
		CHECK(IN6_IS_ADDR_MULTICAST(&(a)) != 0, mc);		\
		CHECK(IN6_IS_ADDR_LINKLOCAL(&(a)) != 0, ll);		\
		CHECK(IN6_IS_ADDR_SITELOCAL(&(a)) != 0, sl);		\
		CHECK(IN6_IS_ADDR_V4MAPPED(&(a)) != 0, v4m);		\
		CHECK(IN6_IS_ADDR_V4COMPAT(&(a)) != 0, v4c);		\
		CHECK(IN6_IS_ADDR_MC_NODELOCAL(&(a)) != 0, mcn);	\
		CHECK(IN6_IS_ADDR_MC_LINKLOCAL(&(a)) != 0, mcl);	\
		CHECK(IN6_IS_ADDR_MC_SITELOCAL(&(a)) != 0, mcs);	\
		CHECK(IN6_IS_ADDR_MC_ORGLOCAL(&(a)) != 0, mco);		\
		CHECK(IN6_IS_ADDR_MC_GLOBAL(&(a)) != 0, mcg);		\
	} while (0)

static void check_in6_tests(void)
{
	/*            unsp loop mc ll sl v4m v4c mcn mcl mcs mco mcg */
	ROW(any6,      1,   0,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0);
	ROW(loop6,     0,   1,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0);
	ROW(mc_node,   0,   0,  1, 0, 0, 0,  0,  1,  0,  0,  0,  0);
	ROW(mc_link,   0,   0,  1, 0, 0, 0,  0,  0,  1,  0,  0,  0);
	ROW(mc_site,   0,   0,  1, 0, 0, 0,  0,  0,  0,  1,  0,  0);
	ROW(mc_org,    0,   0,  1, 0, 0, 0,  0,  0,  0,  0,  1,  0);
	ROW(mc_global, 0,   0,  1, 0, 0, 0,  0,  0,  0,  0,  0,  1);
	ROW(linklocal, 0,   0,  0, 1, 0, 0,  0,  0,  0,  0,  0,  0);
	ROW(sitelocal, 0,   0,  0, 0, 1, 0,  0,  0,  0,  0,  0,  0);
	ROW(mapped,    0,   0,  0, 0, 0, 1,  0,  0,  0,  0,  0,  0);
	ROW(compat,    0,   0,  0, 0, 0, 0,  1,  0,  0,  0,  0,  0);
	ROW(global,    0,   0,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0);
}

static void check_sockaddr_in6(void)
{
	struct sockaddr_in6 a;
	struct in6_addr b;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = NET16(443);
	CHECK(IN6ADDR_ISANY(&a) != 0, 1);
	CHECK(IN6ADDR_ISLOOPBACK(&a) != 0, 0);
	a.sin6_addr = loop6;
	CHECK(IN6ADDR_ISANY(&a) != 0, 0);
	CHECK(IN6ADDR_ISLOOPBACK(&a) != 0, 1);
	a.sin6_addr = mapped;
	CHECK(IN6ADDR_ISANY(&a) != 0, 0);
	CHECK(IN6ADDR_ISLOOPBACK(&a) != 0, 0);

	memset(&a, 0x5a, sizeof(a));
	IN6ADDR_SETANY(&a);
	CHECK(a.sin6_family, AF_INET6);
	CHECK(a.sin6_port, 0);
	CHECK(a.sin6_flowinfo, 0);
	CHECK(a.sin6_scope_id, 0);
	CHECK6(&a.sin6_addr, &any6);
	memset(&a, 0x5a, sizeof(a));
	IN6ADDR_SETLOOPBACK(&a);
	CHECK(a.sin6_family, AF_INET6);
	CHECK(a.sin6_port, 0);
	CHECK(a.sin6_flowinfo, 0);
	CHECK(a.sin6_scope_id, 0);
	CHECK6(&a.sin6_addr, &loop6);

	memset(&b, 0x5a, sizeof(b));
	IN6_SET_ADDR_UNSPECIFIED(&b);
	CHECK6(&b, &any6);
	memset(&b, 0x5a, sizeof(b));
	IN6_SET_ADDR_LOOPBACK(&b);
	CHECK6(&b, &loop6);
}

static void check_ss_port(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	a4->sin_family = AF_INET;
	a4->sin_port = NET16(8080);
	CHECK(SS_PORT(&ss), NET16(8080));
	memset(&ss, 0, sizeof(ss));
	a6->sin6_family = AF_INET6;
	a6->sin6_port = NET16(53);
	CHECK(SS_PORT(&ss), NET16(53));
}

#ifndef __MINGW32__
/* The Windows SDK's <mstcpip.h> helpers mingw-w64 lacks. */
static void check_sdk_only(void)
{
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	SCOPE_ID scope = SCOPEID_UNSPECIFIED_INIT;
	IN_ADDR in;

	memset(&a4, 0, sizeof(a4));
	a4.sin_family = AF_INET;
	a4.sin_port = NET16(80);
	CHECK(IN4ADDR_ISANY(&a4) != 0, 1);
	CHECK(IN4ADDR_ISLOOPBACK(&a4) != 0, 0);
	CHECK(INETADDR_ISANY((SOCKADDR *)&a4) != 0, 1);
	CHECK(INETADDR_PORT((SOCKADDR *)&a4), NET16(80));
	a4.sin_addr.s_addr = htonl(0x7f000001);
	CHECK(IN4ADDR_ISLOOPBACK(&a4) != 0, 1);
	CHECK(INETADDR_ISLOOPBACK((SOCKADDR *)&a4) != 0, 1);
	a4.sin_addr.s_addr = htonl(0x7f0a0b0c);		/* all of 127/8 */
	CHECK(IN4ADDR_ISLOOPBACK(&a4) != 0, 1);
	a4.sin_addr.s_addr = htonl(0xc0000201);
	CHECK(IN4ADDR_ISANY(&a4) != 0, 0);
	CHECK(IN4ADDR_ISLOOPBACK(&a4) != 0, 0);
	CHECK(INETADDR_ADDRESS((SOCKADDR *)&a4)[0], 192);
	CHECK(INETADDR_ADDRESS((SOCKADDR *)&a4)[3], 1);
	IN4ADDR_SETLOOPBACK(&a4);
	CHECK(a4.sin_family, AF_INET);
	CHECK(a4.sin_port, 0);
	CHECK(ntohl(a4.sin_addr.s_addr), 0x7f000001);
	IN4ADDR_SETANY(&a4);
	CHECK(a4.sin_addr.s_addr, 0);

	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_port = NET16(443);
	CHECK(INETADDR_ISANY((SOCKADDR *)&a6) != 0, 1);
	CHECK(INETADDR_PORT((SOCKADDR *)&a6), NET16(443));
	INETADDR_SETLOOPBACK((SOCKADDR *)&a6);
	CHECK(INETADDR_ISLOOPBACK((SOCKADDR *)&a6) != 0, 1);
	CHECK(INETADDR_ADDRESS((SOCKADDR *)&a6)[15], 1);
	INETADDR_SETANY((SOCKADDR *)&a6);
	CHECK(INETADDR_ISANY((SOCKADDR *)&a6) != 0, 1);

	in.s_addr = htonl(0xc0000201);
	scope.Zone = 3;
	IN6ADDR_SETV4MAPPED(&a6, &in, scope, NET16(8080));
	CHECK(a6.sin6_family, AF_INET6);
	CHECK(a6.sin6_port, NET16(8080));
	CHECK(a6.sin6_scope_id, 3);
	CHECK6(&a6.sin6_addr, &mapped);
	CHECK(IN6ADDR_ISV4MAPPED(&a6) != 0, 1);
	a6.sin6_addr = global;
	CHECK(IN6ADDR_ISV4MAPPED(&a6) != 0, 0);
}
#endif

int main(void)
{
	check_in6_tests();
	check_sockaddr_in6();
	check_ss_port();
#ifdef _WIN32
	puts("the address helpers agree with the table");
	return 0;
#else
	check_sdk_only();
	printf("mstcpip helpers: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
#endif
}
