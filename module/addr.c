// SPDX-License-Identifier: GPL-2.0
/*
 * Winsock rules for the name passed to WSAConnect, checked before the
 * caller's connect(2) sees it.  Linux differs from Winsock on exactly the
 * names handled here: it connects an all-zero destination to the local
 * host, resets a TCP connection given AF_UNSPEC, and lets an AF_INET6 UDP
 * socket connect to an AF_INET name.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/socket.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/un.h>
#include <net/ipv6.h>

#include "wsaconnect.h"

/**
 * wsac_addr_min_len() - shortest name Winsock accepts for an address family
 * @family: the socket's address family
 *
 * Winsock reports a shorter @namelen as WSAEFAULT, before looking at the
 * contents.  For AF_UNIX at least one byte of sun_path must be present.
 *
 * Return: the minimum length in bytes, or 0 for a family WSAConnect does
 * not serve.
 */
unsigned int wsac_addr_min_len(unsigned short family)
{
	switch (family) {
	case AF_INET:
		return sizeof(struct sockaddr_in);
	case AF_INET6:
		return sizeof(struct sockaddr_in6);
	case AF_UNIX:
		return offsetof(struct sockaddr_un, sun_path) + 1;
	default:
		return 0;
	}
}

static bool wsac_all_zero(const u8 *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static bool wsac_unspecified_dest(unsigned short family, const u8 *addr)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;

	switch (family) {
	case AF_INET:
		return sin->sin_addr.s_addr == htonl(INADDR_ANY);
	case AF_INET6:
		/* ::ffff:0.0.0.0 would reach the local host just like :: */
		return ipv6_addr_any(&sin6->sin6_addr) ||
		       (ipv6_addr_v4mapped(&sin6->sin6_addr) &&
			sin6->sin6_addr.s6_addr32[3] == htonl(INADDR_ANY));
	default:
		return false;
	}
}

/**
 * wsac_addr_verdict() - apply Winsock's rules to a WSAConnect name
 * @sock_family: the socket's address family
 * @sock_type: the socket's type (SOCK_STREAM or SOCK_DGRAM)
 * @addr: the name, at least min(@addrlen, %WSAC_ADDR_MAX) bytes
 * @addrlen: the length the application passed
 * @action: set to the enum wsac_action the library must take on success
 *
 * The checks run in the order Documentation/errors.rst lists: a name
 * shorter than the family's minimum, then the datagram disconnect
 * request (an entirely zero name), then a family other than the socket's,
 * then an all-zero destination address.
 *
 * Return: 0 if the name may be passed to connect(2), else the negative
 * errno WSAConnect fails with (-EFAULT, -EAFNOSUPPORT, -EADDRNOTAVAIL).
 */
int wsac_addr_verdict(unsigned short sock_family, unsigned short sock_type,
		      const u8 *addr, u32 addrlen, u32 *action)
{
	unsigned int min_len = wsac_addr_min_len(sock_family);
	size_t len = min_t(u32, addrlen, WSAC_ADDR_MAX);
	sa_family_t family;

	*action = WSAC_ACTION_CONNECT;
	if (!min_len)
		return -EAFNOSUPPORT;
	if (addrlen < min_len)
		return -EFAULT;

	if (sock_type == SOCK_DGRAM && wsac_all_zero(addr, len)) {
		*action = WSAC_ACTION_DISCONNECT;
		return 0;
	}

	memcpy(&family, addr, sizeof(family));
	if (family != sock_family)
		return -EAFNOSUPPORT;

	if (wsac_unspecified_dest(family, addr))
		return -EADDRNOTAVAIL;

	return 0;
}
