/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Winsock's prototypes for the BSD socket calls, on top of glibc's.
 *
 * Windows declares the address and option lengths of accept(),
 * getsockname(), getpeername(), getsockopt() and recvfrom() as int *, and
 * ioctlsocket()'s argument as a 32-bit u_long *; glibc takes socklen_t *
 * (unsigned) and this library's ioctlsocket() an unsigned long *.  Winsock
 * code passes &int and &DWORD, which C warns about and C++ refuses.  So:
 *
 *  - C++: overloads (templates, so that NULL still picks glibc's function,
 *    and BSD code that passes socklen_t * is untouched) taking int * and
 *    32-bit unsigned pointers;
 *  - C (GCC, Clang): each name is a function-like macro that chooses, by
 *    the type of the length argument alone, between glibc's function and a
 *    wrapper taking int *.  Code passing socklen_t * calls glibc directly.
 *
 * setsockopt() and getsockopt() give the SOL_SOCKET options Linux lacks
 * (SO_EXCLUSIVEADDRUSE, SO_DONTLINGER, SO_CONDITIONAL_ACCEPT,
 * SO_MAX_MSG_SIZE, SO_PROTOCOL_INFOA/W) to the library; every other option
 * is glibc's call.
 *
 * select() ignores nfds, as Winsock does (programs pass 0), and leaves
 * the timeout alone.  socket() becomes wsac_winsock_socket(): the socket
 * gets Winsock's defaults (IPV6_V6ONLY on AF_INET6).  u_long becomes the 32-bit ULONG.  Define WSACONNECT_NO_BSD_WRAPPERS
 * before including <winsock2.h> to keep the plain BSD names.
 *
 * The macros are function-like: "obj.accept(...)" or a struct member
 * called through "->socket(...)" is rewritten too; such code defines
 * WSACONNECT_NO_BSD_WRAPPERS or calls (accept)(...).
 */
#ifndef WSACONNECT_BSDCOMPAT_H
#define WSACONNECT_BSDCOMPAT_H

#include <winsock2.h>

#ifndef WSACONNECT_NO_BSD_WRAPPERS

#include <stdint.h>

/* The int * wrappers: the length is copied in and out around glibc's call. */
#define WSAC_LEN_IN(l, n)	socklen_t n = (l) ? (socklen_t)*(l) : 0
#define WSAC_LEN_OUT(l, n)	do { if (l) *(l) = (int)(n); } while (0)

static inline int wsac_accept_i(int s, struct sockaddr *a, int *l)
{
	WSAC_LEN_IN(l, n);
	int r = accept(s, a, l ? &n : (socklen_t *)0);

	if (r >= 0)
		WSAC_LEN_OUT(l, n);
	return r;
}

static inline int wsac_getsockname_i(int s, struct sockaddr *a, int *l)
{
	WSAC_LEN_IN(l, n);
	int r = getsockname(s, a, l ? &n : (socklen_t *)0);

	if (r == 0)
		WSAC_LEN_OUT(l, n);
	return r;
}

static inline int wsac_getpeername_i(int s, struct sockaddr *a, int *l)
{
	WSAC_LEN_IN(l, n);
	int r = getpeername(s, a, l ? &n : (socklen_t *)0);

	if (r == 0)
		WSAC_LEN_OUT(l, n);
	return r;
}

static inline int wsac_getsockopt_i(int s, int level, int name, void *v, int *l)
{
	if (WSAC_WINSOCK_SOCKOPT(level, name))
		return wsac_winsock_getsockopt(s, level, name, (char *)v, l);
	{
		WSAC_LEN_IN(l, n);
		int r = getsockopt(s, level, name, v, l ? &n : (socklen_t *)0);

		if (r == 0)
			WSAC_LEN_OUT(l, n);
		return r;
	}
}

/*
 * getsockopt() with a socklen_t length (Windows' <ws2tcpip.h> has
 * socklen_t too, as an int): only the Winsock-only options are the
 * library's, the rest is glibc's call as it was.
 */
static inline int wsac_getsockopt_sl(int s, int level, int name, void *v,
				     socklen_t *l)
{
	if (WSAC_WINSOCK_SOCKOPT(level, name)) {
		int n = l ? (int)*l : 0;
		int r = wsac_winsock_getsockopt(s, level, name, (char *)v,
						l ? &n : (int *)0);

		if (r == 0 && l)
			*l = (socklen_t)n;
		return r;
	}
	return getsockopt(s, level, name, v, l);
}

/*
 * setsockopt(): the Winsock-only options (WSAC_WINSOCK_SOCKOPT) are the
 * library's; every other option is glibc's call, with glibc's result and
 * errno.
 */
static inline int wsac_setsockopt_w(int s, int level, int name, const void *v,
				    socklen_t len)
{
	if (WSAC_WINSOCK_SOCKOPT(level, name))
		return wsac_winsock_setsockopt(s, level, name, (const char *)v,
					       (int)len);
	return setsockopt(s, level, name, v, len);
}

static inline int wsac_recvfrom_i(int s, void *buf, int len, int flags,
				  struct sockaddr *from, int *l)
{
	WSAC_LEN_IN(l, n);
	int r = (int)recvfrom(s, buf, (size_t)len, flags, from,
			      l ? &n : (socklen_t *)0);

	if (r >= 0)
		WSAC_LEN_OUT(l, n);
	return r;
}

/* ioctlsocket() with a 32-bit u_long (ULONG, DWORD, Windows' u_long). */
static inline int wsac_ioctlsocket_u32(SOCKET s, long cmd, uint32_t *argp)
{
	unsigned long v;
	int r;

	if (!argp)
		return ioctlsocket(s, cmd, (unsigned long *)0);
	v = *argp;
	r = ioctlsocket(s, cmd, &v);
	if (r == 0)
		*argp = (uint32_t)v;
	return r;
}

/*
 * select() as Winsock defines it: nfds is ignored (Winsock programs pass
 * 0; glibc would then watch nothing), the timeout is const and left
 * unchanged, and no descriptor at all is WSAEINVAL.
 */
static inline int wsac_select(int nfds, fd_set *r, fd_set *w, fd_set *e,
			      const struct timeval *timeout)
{
	struct timeval tv, *tp = (struct timeval *)0;
	int n = 0, fd;

	(void)nfds;
	for (fd = FD_SETSIZE - 1; fd >= 0 && !n; fd--)
		if ((r && FD_ISSET(fd, r)) || (w && FD_ISSET(fd, w)) ||
		    (e && FD_ISSET(fd, e)))
			n = fd + 1;
	if (!n) {
		WSASetLastError(WSAEINVAL);
		return SOCKET_ERROR;
	}
	if (timeout) {
		tv = *timeout;
		tp = &tv;
	}
	return select(n, r, w, e, tp);
}

/*
 * gethostbyname() and gethostbyaddr() as Winsock reports their failure:
 * in WSAGetLastError(), with the WSA code of glibc's h_errno (Windows'
 * h_errno is WSAGetLastError(), below).  A success leaves the last error.
 * NETDB_INTERNAL means errno tells, which WSAGetLastError() translates.
 * (A strict POSIX 2008 feature set hides them, and this with them.)
 */
#ifdef HOST_NOT_FOUND
#define WSAC_HOST_WRAPPERS 1
static inline int wsac_h_errno_to_wsa(int herr)
{
	switch (herr) {
	case HOST_NOT_FOUND:	return WSAHOST_NOT_FOUND;
	case TRY_AGAIN:		return WSATRY_AGAIN;
	case NO_RECOVERY:	return WSANO_RECOVERY;
	case NO_DATA:		return WSANO_DATA;
	default:		return 0;
	}
}

static inline struct hostent *wsac_host_result(struct hostent *h)
{
	int code;

	if (!h) {
		code = wsac_h_errno_to_wsa(h_errno);
		if (code)
			WSASetLastError(code);
	}
	return h;
}

static inline struct hostent *wsac_gethostbyname(const char *name)
{
	return wsac_host_result(gethostbyname(name));
}

/* const void *: BSD code passes &in_addr, Winsock code (char *)&in_addr. */
static inline struct hostent *wsac_gethostbyaddr(const void *addr, int len, int type)
{
	return wsac_host_result(gethostbyaddr(addr, (socklen_t)len, type));
}
#endif /* HOST_NOT_FOUND */

#undef WSAC_LEN_IN
#undef WSAC_LEN_OUT

#ifdef __cplusplus

extern "C++" {
namespace wsaconnect_detail {
template <typename T> struct only_int {};
template <> struct only_int<int> { typedef int type; };
template <typename T> struct only_u32 {};
template <> struct only_u32<uint32_t> { typedef int type; };
template <typename T> struct only_char {};
template <> struct only_char<char> { typedef int type; };
}

template <typename L>
inline typename wsaconnect_detail::only_int<L>::type
accept(int s, struct sockaddr *a, L *l)
{ return wsac_accept_i(s, a, l); }

template <typename L>
inline typename wsaconnect_detail::only_int<L>::type
getsockname(int s, struct sockaddr *a, L *l)
{ return wsac_getsockname_i(s, a, l); }

template <typename L>
inline typename wsaconnect_detail::only_int<L>::type
getpeername(int s, struct sockaddr *a, L *l)
{ return wsac_getpeername_i(s, a, l); }

template <typename L>
inline typename wsaconnect_detail::only_int<L>::type
getsockopt(int s, int level, int name, void *v, L *l)
{ return wsac_getsockopt_i(s, level, name, v, l); }

/*
 * Winsock's char * option value: preferred over glibc's void * one, so
 * that the Winsock-only options reach the library; a value of another
 * type (BSD code's &int) leaves glibc's function alone.
 */
template <typename C>
inline typename wsaconnect_detail::only_char<C>::type
getsockopt(int s, int level, int name, C *v, socklen_t *l)
{ return wsac_getsockopt_sl(s, level, name, v, l); }

template <typename C, typename L>
inline typename wsaconnect_detail::only_char<C>::type
setsockopt(int s, int level, int name, const C *v, L len)
{ return wsac_setsockopt_w(s, level, name, v, (socklen_t)len); }

template <typename L>
inline typename wsaconnect_detail::only_int<L>::type
recvfrom(int s, char *buf, int len, int flags, struct sockaddr *from, L *l)
{ return wsac_recvfrom_i(s, buf, len, flags, from, l); }

template <typename P>
inline typename wsaconnect_detail::only_u32<P>::type
ioctlsocket(SOCKET s, long cmd, P *argp)
{ return wsac_ioctlsocket_u32(s, cmd, argp); }
}

#elif defined(__GNUC__) || defined(__clang__)

#define WSAC_PICK(arg, type, wrapper, plain) \
	__builtin_choose_expr(__builtin_types_compatible_p(__typeof__(arg), type), \
			      wrapper, plain)

#define accept(s, a, l) WSAC_PICK(l, int *, wsac_accept_i, accept)(s, a, l)
#define getsockname(s, a, l) \
	WSAC_PICK(l, int *, wsac_getsockname_i, getsockname)(s, a, l)
#define getpeername(s, a, l) \
	WSAC_PICK(l, int *, wsac_getpeername_i, getpeername)(s, a, l)
#define getsockopt(s, level, name, v, l) \
	WSAC_PICK(l, int *, wsac_getsockopt_i, wsac_getsockopt_sl)(s, level, name, v, l)
/* Variadic: a compound literal value, "&(struct linger){ 1, 0 }", has a comma. */
#define setsockopt(...) wsac_setsockopt_w(__VA_ARGS__)
#define recvfrom(s, buf, len, flags, from, l) \
	WSAC_PICK(l, int *, wsac_recvfrom_i, recvfrom)(s, buf, len, flags, from, l)
#define ioctlsocket(s, cmd, argp) \
	WSAC_PICK(argp, uint32_t *, wsac_ioctlsocket_u32, ioctlsocket)(s, cmd, argp)

#endif /* __cplusplus */

/*
 * Windows' u_long is 32 bits (LLP64); glibc's <sys/types.h> made it an
 * unsigned long.  From here on u_long names ULONG, so that "u_long mode;
 * ioctlsocket(s, FIONBIO, &mode)" and casts to (u_long *) of a DWORD
 * have Windows' width.  glibc's own headers were all read above; the only
 * others that use u_long are Sun RPC's (<rpc/...>, libtirpc), which a
 * Winsock program does not combine with this header.
 */
#define u_long	ULONG

/* Winsock's select(): nfds ignored, the descriptors in the sets count. */
#define select(nfds, r, w, e, timeout)	wsac_select(nfds, r, w, e, timeout)

/*
 * Windows' resolver errors: h_errno is WSAGetLastError(), and the codes a
 * program compares it with are the WSA ones, so that both "h_errno ==
 * HOST_NOT_FOUND" and "WSAGetLastError() == WSAHOST_NOT_FOUND" hold after
 * a failed gethostbyname().  (hstrerror() and gethostbyname_r()'s h_errnop
 * keep glibc's numbers; Winsock has neither.)
 */
#ifdef WSAC_HOST_WRAPPERS
#define gethostbyname(name)		wsac_gethostbyname(name)
#define gethostbyaddr(...)		wsac_gethostbyaddr(__VA_ARGS__)
#undef h_errno
#define h_errno			WSAGetLastError()
#undef HOST_NOT_FOUND
#define HOST_NOT_FOUND		WSAHOST_NOT_FOUND
#undef TRY_AGAIN
#define TRY_AGAIN		WSATRY_AGAIN
#undef NO_RECOVERY
#define NO_RECOVERY		WSANO_RECOVERY
#undef NO_DATA
#define NO_DATA			WSANO_DATA
#undef NO_ADDRESS
#define NO_ADDRESS		WSANO_ADDRESS
#endif

/* Winsock's socket(): the socket gets Winsock's defaults. */
#define socket(af, type, protocol)	wsac_winsock_socket(af, type, protocol)

#endif /* WSACONNECT_NO_BSD_WRAPPERS */

#endif /* WSACONNECT_BSDCOMPAT_H */
