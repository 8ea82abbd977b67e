/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ws2def.h for libwsaconnect: Winsock's names for the socket address
 * structures and WSABUF.  The structures themselves are the C library's;
 * AF_*, SOL_*, SO_* and the sockaddr layouts keep their Linux values.
 */
#ifndef WSACONNECT_WS2DEF_H
#define WSACONNECT_WS2DEF_H

#include <wsaconnect/wintypes.h>

#include <sys/socket.h>

/*
 * Windows' struct in_addr is a union reached through S_un (S_un.S_addr,
 * S_un.S_un_b.s_b1, S_un.S_un_w.s_w1); glibc's has only s_addr.  When
 * <netinet/in.h> has not been read yet, its one member declaration
 * "in_addr_t s_addr;" is rewritten while it is read into an anonymous
 * union holding both s_addr and S_un: the same 4 bytes, the same layout
 * and alignment, and glibc's s_addr unchanged for BSD code.  (An unnamed
 * zero-width bit-field takes the place of the type name; it occupies
 * nothing.)  A program that included <netinet/in.h> (or <netdb.h>,
 * <arpa/inet.h>, which read it) before this header keeps glibc's struct,
 * which is complete by then and cannot grow a member: WSAC_HAVE_IN_ADDR_S_UN
 * is undefined and, with GCC and Clang, S_un is a macro whose use stops the
 * build with an error naming the include order to change.
 * WSACONNECT_NO_IN_ADDR_S_UN keeps glibc's struct and leaves S_un alone.
 */
union wsac_in_addr_un {
	struct { UCHAR s_b1, s_b2, s_b3, s_b4; } S_un_b;
	struct { USHORT s_w1, s_w2; } S_un_w;
	ULONG S_addr;
};
#if !defined(_NETINET_IN_H) && !defined(WSACONNECT_NO_IN_ADDR_S_UN)
#define WSAC_HAVE_IN_ADDR_S_UN 1
#define s_addr : 0; union { in_addr_t s_addr; union wsac_in_addr_un S_un; }
#include <netinet/in.h>
#undef s_addr
#else
#include <netinet/in.h>
#if !defined(WSACONNECT_NO_IN_ADDR_S_UN) && !defined(S_un) && defined(__GNUC__)
#define S_un _Pragma("GCC error \"in_addr.S_un needs <winsock2.h> (or <ws2def.h>) included before <netinet/in.h>, <netdb.h> and <arpa/inet.h>: glibc's struct in_addr, read first, has only s_addr (Documentation/porting.rst)\"") s_addr
#endif
#endif
#ifdef WSAC_HAVE_IN_ADDR_S_UN
#define s_host		S_un.S_un_b.s_b2
#define s_net		S_un.S_un_b.s_b1
#define s_imp		S_un.S_un_w.s_w2
#define s_impno		S_un.S_un_b.s_b4
#define s_lh		S_un.S_un_b.s_b3
#endif

typedef USHORT ADDRESS_FAMILY;

typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct sockaddr_in6 SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE,
	*LPSOCKADDR_STORAGE;
typedef struct in_addr IN_ADDR, *PIN_ADDR, *LPIN_ADDR;
typedef struct in6_addr IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;

typedef struct _SOCKET_ADDRESS {
	LPSOCKADDR lpSockaddr;
	INT iSockaddrLength;
} SOCKET_ADDRESS, *PSOCKET_ADDRESS, *LPSOCKET_ADDRESS;

typedef struct _SOCKET_ADDRESS_LIST {
	INT iAddressCount;
	SOCKET_ADDRESS Address[1];	/* iAddressCount entries follow */
} SOCKET_ADDRESS_LIST, *PSOCKET_ADDRESS_LIST, *LPSOCKET_ADDRESS_LIST;

/* The size of a SOCKET_ADDRESS_LIST with AddressCount entries. */
#define SIZEOF_SOCKET_ADDRESS_LIST(AddressCount) \
	(offsetof(SOCKET_ADDRESS_LIST, Address) + \
	 (AddressCount) * sizeof(SOCKET_ADDRESS))

/* An IPv6 scope: the interface index (Zone) and Level in one ULONG. */
typedef enum {
	ScopeLevelInterface = 1,
	ScopeLevelLink = 2,
	ScopeLevelSubnet = 3,
	ScopeLevelAdmin = 4,
	ScopeLevelSite = 5,
	ScopeLevelOrganization = 8,
	ScopeLevelGlobal = 14,
	ScopeLevelCount = 16
} SCOPE_LEVEL;

__extension__ typedef struct {
	__extension__ union {
		__extension__ struct {
			ULONG Zone : 28;
			ULONG Level : 4;
		};
		ULONG Value;
	};
} SCOPE_ID, *PSCOPE_ID;
#define SCOPEID_UNSPECIFIED_INIT	{ { { 0, 0 } } }

/* Either address family, discriminated by si_family. */
typedef union _SOCKADDR_INET {
	SOCKADDR_IN Ipv4;
	SOCKADDR_IN6 Ipv6;
	ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

/*
 * getaddrinfo's result, narrow and wide.  ADDRINFOA is glibc's struct
 * addrinfo (the same members; ai_addrlen is a socklen_t, as Windows'
 * size_t-sized field is read by programs only as a length).
 */
typedef struct addrinfo ADDRINFOA, *PADDRINFOA, *LPADDRINFOA;
typedef struct addrinfoW {
	int ai_flags;
	int ai_family;
	int ai_socktype;
	int ai_protocol;
	size_t ai_addrlen;
	PWSTR ai_canonname;
	struct sockaddr *ai_addr;
	struct addrinfoW *ai_next;
} ADDRINFOW, *PADDRINFOW, *LPADDRINFOW;

/* Socket option levels Windows names that Linux spells differently. */
#ifndef IPPROTO_IPV4
#define IPPROTO_IPV4	IPPROTO_IPIP
#endif

/* len is a 32-bit ULONG as on Windows; x86-64: len@0, buf@8, size 16. */
typedef struct _WSABUF {
	ULONG len;
	CHAR *buf;
} WSABUF, *LPWSABUF;

#endif /* WSACONNECT_WS2DEF_H */
