// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses as text (WSAAddressToString, WSAStringToAddress, InetPtonW,
 * InetNtopW), the getaddrinfo family with Windows' names (GetAddrInfoA/W,
 * FreeAddrInfoW) and WSAConnectByNameW.
 *
 * Wide strings are wchar_t (UTF-32 on Linux); they are converted to and
 * from UTF-8 here, whatever the locale.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"

#include <ws2tcpip.h>
/* glibc's gai_strerror(), which gai_strerrorA/W below are built on. */
#undef gai_strerror

/* "[ffff:...:255.255.255.255%4294967295]:65535" and its NUL. */
#define WSAC_ADDRSTR_MAX	64
#define WSAC_NAME_MAX		1024

/* UTF-32 to UTF-8; false if it does not fit or is not Unicode. */
static bool wsac_to_utf8(const wchar_t *w, char *out, size_t size)
{
	size_t o = 0;

	for (; *w; w++) {
		uint32_t c = (uint32_t)*w;
		unsigned char b[4];
		size_t n, i;

		if (c < 0x80) {
			b[0] = (unsigned char)c;
			n = 1;
		} else if (c < 0x800) {
			b[0] = (unsigned char)(0xC0 | (c >> 6));
			b[1] = (unsigned char)(0x80 | (c & 0x3F));
			n = 2;
		} else if (c < 0x10000) {
			b[0] = (unsigned char)(0xE0 | (c >> 12));
			b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			b[2] = (unsigned char)(0x80 | (c & 0x3F));
			n = 3;
		} else if (c < 0x110000) {
			b[0] = (unsigned char)(0xF0 | (c >> 18));
			b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
			b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			b[3] = (unsigned char)(0x80 | (c & 0x3F));
			n = 4;
		} else {
			return false;
		}
		if (size - o <= n)
			return false;
		for (i = 0; i < n; i++)
			out[o++] = (char)b[i];
	}
	out[o] = '\0';
	return true;
}

/* UTF-8 to UTF-32 (an invalid byte becomes U+FFFD); @out has @size slots. */
static size_t wsac_from_utf8(const char *s, wchar_t *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p) {
		uint32_t c = *p++;
		int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

		if (c >= 0x80 && !more)
			c = 0xFFFD;
		else if (more)
			c &= 0x3Fu >> more;
		while (more-- > 0) {
			if ((*p & 0xC0) != 0x80) {
				c = 0xFFFD;
				break;
			}
			c = (c << 6) | (*p++ & 0x3F);
		}
		if (out && o + 1 < size)
			out[o] = (wchar_t)c;
		o++;
	}
	if (out && size)
		out[o < size ? o : size - 1] = L'\0';
	return o + 1;
}

/* The text of a v4 or v6 sockaddr, Windows' format; a WSA code on failure. */
static int wsac_format(const struct sockaddr *sa, DWORD len, char *out)
{
	char host[INET6_ADDRSTRLEN];
	sa_family_t family;

	if (!sa || len < sizeof(sa_family_t) ||
	    wsac_copy_from_caller(&family, &sa->sa_family, sizeof(family)))
		return WSAEFAULT;
	if (family == AF_INET) {
		struct sockaddr_in in;

		if (len < sizeof(in) || wsac_copy_from_caller(&in, sa, sizeof(in)))
			return WSAEFAULT;
		inet_ntop(AF_INET, &in.sin_addr, host, sizeof(host));
		if (in.sin_port)
			snprintf(out, WSAC_ADDRSTR_MAX, "%s:%u", host, ntohs(in.sin_port));
		else
			snprintf(out, WSAC_ADDRSTR_MAX, "%s", host);
		return 0;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 in6;
		char scope[16] = "";

		if (len < sizeof(in6) || wsac_copy_from_caller(&in6, sa, sizeof(in6)))
			return WSAEFAULT;
		inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof(host));
		if (in6.sin6_scope_id)
			snprintf(scope, sizeof(scope), "%%%u", in6.sin6_scope_id);
		if (in6.sin6_port)
			snprintf(out, WSAC_ADDRSTR_MAX, "[%s%s]:%u", host, scope,
				 ntohs(in6.sin6_port));
		else
			snprintf(out, WSAC_ADDRSTR_MAX, "%s%s", host, scope);
		return 0;
	}
	return WSAEINVAL;
}

/*
 * WSAAddressToStringA/W: one implementation writing @out as narrow or, for
 * W, wide characters.  The text is ASCII, so its length in characters is
 * the same either way; a buffer too small (or none) is WSAEFAULT with the
 * length needed, NUL included, stored in *lenp.
 */
static INT wsac_address_to_string(LPSOCKADDR sa, DWORD salen, void *out,
				  LPDWORD lenp, bool wide)
{
	char text[WSAC_ADDRSTR_MAX];
	wchar_t wtext[WSAC_ADDRSTR_MAX];
	DWORD cap, need;
	int rc;

	if (!wsac_started())
		return wsac_fail(WSANOTINITIALISED, 0);
	if (!lenp || wsac_copy_from_caller(&cap, lenp, sizeof(cap)))
		return wsac_fail(WSAEFAULT, EFAULT);
	rc = wsac_format(sa, salen, text);
	if (rc)
		return wsac_fail(rc, rc == WSAEFAULT ? EFAULT : EINVAL);
	need = (DWORD)strlen(text) + 1;
	if (!out || cap < need) {
		wsac_copy_to_caller(lenp, &need, sizeof(need));
		return wsac_fail(WSAEFAULT, EFAULT);
	}
	if (wide)
		wsac_from_utf8(text, wtext, WSAC_ARRAY_SIZE(wtext));
	if (wsac_copy_to_caller(out, wide ? (void *)wtext : (void *)text,
				need * (wide ? sizeof(wchar_t) : 1)) ||
	    wsac_copy_to_caller(lenp, &need, sizeof(need)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

WSAC_EXPORT INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
					   LPWSAPROTOCOL_INFOA lpProtocolInfo,
					   LPSTR lpszAddressString,
					   LPDWORD lpdwAddressStringLength)
{
	(void)lpProtocolInfo;
	return wsac_address_to_string(lpsaAddress, dwAddressLength, lpszAddressString,
				      lpdwAddressStringLength, false);
}

WSAC_EXPORT INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
					   LPWSAPROTOCOL_INFOW lpProtocolInfo,
					   LPWSTR lpszAddressString,
					   LPDWORD lpdwAddressStringLength)
{
	(void)lpProtocolInfo;
	return wsac_address_to_string(lpsaAddress, dwAddressLength, lpszAddressString,
				      lpdwAddressStringLength, true);
}

/* "port" after the address: decimal, 0 to 65535. */
static bool wsac_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* Parse @text for @family into @ss; its length, or 0 if it is not one. */
static socklen_t wsac_parse(const char *text, int family, struct sockaddr_storage *ss)
{
	char buf[WSAC_ADDRSTR_MAX], *colon, *pct;
	uint16_t port = 0;

	if (strlen(text) >= sizeof(buf))
		return 0;
	strcpy(buf, text);
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		colon = strchr(buf, ':');
		if (colon) {
			*colon = '\0';
			if (!wsac_port(colon + 1, &port))
				return 0;
		}
		if (!inet_aton(buf, &in->sin_addr))
			return 0;
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		return sizeof(*in);
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		char *host = buf;

		if (buf[0] == '[') {
			char *close = strchr(buf, ']');

			if (!close)
				return 0;
			*close = '\0';
			host = buf + 1;
			if (close[1] == ':') {
				if (!wsac_port(close + 2, &port))
					return 0;
			} else if (close[1]) {
				return 0;
			}
		}
		pct = strchr(host, '%');
		if (pct) {
			char *end;
			unsigned long id;

			*pct = '\0';
			errno = 0;
			id = strtoul(pct + 1, &end, 10);
			if (errno || *end || end == pct + 1 || id > UINT32_MAX)
				return 0;
			in6->sin6_scope_id = (uint32_t)id;
		}
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			return 0;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return sizeof(*in6);
	}
	return 0;
}

static INT wsac_string_to_address(const char *text, INT family, LPSOCKADDR out,
				  LPINT lenp)
{
	struct sockaddr_storage ss;
	int cap, need;
	socklen_t got;

	if (!wsac_started())
		return wsac_fail(WSANOTINITIALISED, 0);
	if (!lenp || wsac_copy_from_caller(&cap, lenp, sizeof(cap)))
		return wsac_fail(WSAEFAULT, EFAULT);
	if (family != AF_INET && family != AF_INET6)
		return wsac_fail(WSAEINVAL, EINVAL);
	need = family == AF_INET6 ? (int)sizeof(struct sockaddr_in6) :
				    (int)sizeof(struct sockaddr_in);
	if (!out || cap < need) {
		wsac_copy_to_caller(lenp, &need, sizeof(need));
		return wsac_fail(WSAEFAULT, EFAULT);
	}
	got = text ? wsac_parse(text, family, &ss) : 0;
	if (!got)
		return wsac_fail(WSAEINVAL, EINVAL);
	if (wsac_copy_to_caller(out, &ss, got) ||
	    wsac_copy_to_caller(lenp, &need, sizeof(need)))
		return wsac_fail(WSAEFAULT, EFAULT);
	return 0;
}

/*
 * Copy a caller's string of @n units of @unit bytes (1: char, else
 * wchar_t) into @buf, probing each unit; -1 if unreadable, 0 if it does not
 * fit (then it is too long to be an address), else 1.
 */
static int wsac_string_in(const void *src, void *buf, size_t n, size_t unit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *dst = (char *)buf + i * unit;
		size_t k;

		if (wsac_copy_from_caller(dst, (const char *)src + i * unit, unit))
			return -1;
		for (k = 0; k < unit && !dst[k]; k++)
			;
		if (k == unit)	/* the terminating NUL */
			return 1;
	}
	return 0;
}

/*
 * WSAStringToAddressA/W: the W form converts the text to UTF-8 and calls
 * the same implementation.  An unreadable string is WSAEFAULT, one too
 * long to be an address WSAEINVAL.
 */
WSAC_EXPORT INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
					   LPWSAPROTOCOL_INFOA lpProtocolInfo,
					   LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
	char text[WSAC_ADDRSTR_MAX];
	int rc = 1;

	(void)lpProtocolInfo;
	if (AddressString)
		rc = wsac_string_in(AddressString, text, sizeof(text), 1);
	if (rc < 0)
		return wsac_fail(WSAEFAULT, EFAULT);
	if (rc == 0)
		text[0] = '\0';
	return wsac_string_to_address(AddressString ? text : NULL, AddressFamily,
				      lpAddress, lpAddressLength);
}

WSAC_EXPORT INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
					   LPWSAPROTOCOL_INFOW lpProtocolInfo,
					   LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
	wchar_t wide[WSAC_ADDRSTR_MAX];
	char text[WSAC_ADDRSTR_MAX * 4];
	int rc;

	if (!AddressString)
		return WSAStringToAddressA(NULL, AddressFamily, NULL, lpAddress,
					   lpAddressLength);
	rc = wsac_string_in(AddressString, wide, WSAC_ARRAY_SIZE(wide), sizeof(wchar_t));
	if (rc < 0)
		return wsac_fail(WSAEFAULT, EFAULT);
	if (rc == 0 || !wsac_to_utf8(wide, text, sizeof(text)))
		text[0] = '\0';	/* too long, or not Unicode: not an address */
	(void)lpProtocolInfo;
	return WSAStringToAddressA(text, AddressFamily, NULL, lpAddress, lpAddressLength);
}

WSAC_EXPORT INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf)
{
	char text[WSAC_ADDRSTR_MAX * 4];
	int rc;

	if (!pszAddrString || !pAddrBuf)
		return wsac_fail(WSAEFAULT, EFAULT);
	if (Family != AF_INET && Family != AF_INET6)
		return wsac_fail(WSAEAFNOSUPPORT, EAFNOSUPPORT);
	if (!wsac_to_utf8(pszAddrString, text, sizeof(text)))
		return 0;
	rc = inet_pton(Family, text, pAddrBuf);
	return rc == 1 ? 1 : 0;
}

WSAC_EXPORT PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf,
				   size_t StringBufSize)
{
	char text[INET6_ADDRSTRLEN];

	if (!pAddr || !pStringBuf) {
		wsac_fail(WSAEFAULT, EFAULT);
		return NULL;
	}
	if (Family != AF_INET && Family != AF_INET6) {
		wsac_fail(WSAEAFNOSUPPORT, EAFNOSUPPORT);
		return NULL;
	}
	inet_ntop(Family, pAddr, text, sizeof(text));
	if (wsac_from_utf8(text, NULL, 0) > StringBufSize) {
		wsac_fail(WSAEINVAL, EINVAL);	/* Windows: buffer too small */
		return NULL;
	}
	wsac_from_utf8(text, pStringBuf, StringBufSize);
	return pStringBuf;
}

/* getaddrinfo's EAI_* as Windows' getaddrinfo reports it. */
static int wsac_eai_to_wsa(int eai)
{
	switch (eai) {
	case EAI_AGAIN:		return WSATRY_AGAIN;
	case EAI_BADFLAGS:	return WSAEINVAL;
	case EAI_FAIL:		return WSANO_RECOVERY;
	case EAI_FAMILY:	return WSAEAFNOSUPPORT;
	case EAI_MEMORY:	return WSA_NOT_ENOUGH_MEMORY;
	case EAI_NONAME:	return WSAHOST_NOT_FOUND;
#ifdef EAI_NODATA
	case EAI_NODATA:	return WSANO_DATA;
#endif
	case EAI_SERVICE:	return WSATYPE_NOT_FOUND;
	case EAI_SOCKTYPE:	return WSAESOCKTNOSUPPORT;
	case EAI_SYSTEM:	return wsac_errno_to_wsa(errno);
	default:		return WSANO_RECOVERY;
	}
}

WSAC_EXPORT INT WSAAPI GetAddrInfoA(PCSTR pNodeName, PCSTR pServiceName,
				    const ADDRINFOA *pHints, PADDRINFOA *ppResult)
{
	int rc;

	if (!ppResult) {
		wsac_fail(WSAEINVAL, EINVAL);
		return EAI_BADFLAGS;
	}
	rc = getaddrinfo(pNodeName, pServiceName, pHints, ppResult);
	if (rc) {
		*ppResult = NULL;
		wsac_fail(wsac_eai_to_wsa(rc), 0);
	}
	return rc;
}

WSAC_EXPORT VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo)
{
	while (pAddrInfo) {
		PADDRINFOW next = pAddrInfo->ai_next;

		free(pAddrInfo);	/* address and name live in the same block */
		pAddrInfo = next;
	}
}

/* One ADDRINFOW with its address and canonical name in the same block. */
static PADDRINFOW wsac_widen(const struct addrinfo *ai)
{
	size_t nlen = ai->ai_canonname ? wsac_from_utf8(ai->ai_canonname, NULL, 0) : 0;
	size_t addr_off = (sizeof(ADDRINFOW) + 15) & ~(size_t)15;
	size_t name_off = addr_off + ((ai->ai_addrlen + 15) & ~(size_t)15);
	PADDRINFOW w = calloc(1, name_off + nlen * sizeof(wchar_t));

	if (!w)
		return NULL;
	w->ai_flags = ai->ai_flags;
	w->ai_family = ai->ai_family;
	w->ai_socktype = ai->ai_socktype;
	w->ai_protocol = ai->ai_protocol;
	w->ai_addrlen = ai->ai_addrlen;
	if (ai->ai_addr) {
		w->ai_addr = (struct sockaddr *)((char *)w + addr_off);
		memcpy(w->ai_addr, ai->ai_addr, ai->ai_addrlen);
	}
	if (ai->ai_canonname) {
		w->ai_canonname = (PWSTR)(void *)((char *)w + name_off);
		wsac_from_utf8(ai->ai_canonname, w->ai_canonname, nlen);
	}
	return w;
}

WSAC_EXPORT INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName,
				    const ADDRINFOW *pHints, PADDRINFOW *ppResult)
{
	char node[WSAC_NAME_MAX], service[WSAC_NAME_MAX];
	struct addrinfo hints, *res = NULL, *ai;
	PADDRINFOW head = NULL, *tail = &head;
	int rc;

	if (!ppResult) {
		wsac_fail(WSAEINVAL, EINVAL);
		return EAI_BADFLAGS;
	}
	*ppResult = NULL;
	if ((pNodeName && !wsac_to_utf8(pNodeName, node, sizeof(node))) ||
	    (pServiceName && !wsac_to_utf8(pServiceName, service, sizeof(service)))) {
		wsac_fail(WSAHOST_NOT_FOUND, 0);
		return EAI_NONAME;
	}
	memset(&hints, 0, sizeof(hints));
	if (pHints) {
		hints.ai_flags = pHints->ai_flags;
		hints.ai_family = pHints->ai_family;
		hints.ai_socktype = pHints->ai_socktype;
		hints.ai_protocol = pHints->ai_protocol;
	}
	rc = getaddrinfo(pNodeName ? node : NULL, pServiceName ? service : NULL,
			 pHints ? &hints : NULL, &res);
	if (rc) {
		wsac_fail(wsac_eai_to_wsa(rc), 0);
		return rc;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		PADDRINFOW w = wsac_widen(ai);

		if (!w) {
			freeaddrinfo(res);
			FreeAddrInfoW(head);
			wsac_fail(WSA_NOT_ENOUGH_MEMORY, ENOMEM);
			return EAI_MEMORY;
		}
		*tail = w;
		tail = &w->ai_next;
	}
	freeaddrinfo(res);
	*ppResult = head;
	return 0;
}

WSAC_EXPORT BOOL WSAAPI WSAConnectByNameW(SOCKET s, LPWSTR nodename, LPWSTR servicename,
					  LPDWORD LocalAddressLength, LPSOCKADDR LocalAddress,
					  LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
					  const struct timeval *timeout,
					  LPWSAOVERLAPPED Reserved)
{
	char node[WSAC_NAME_MAX], service[WSAC_NAME_MAX];

	if ((nodename && !wsac_to_utf8(nodename, node, sizeof(node))) ||
	    (servicename && !wsac_to_utf8(servicename, service, sizeof(service)))) {
		wsac_fail(WSAEINVAL, EINVAL);
		return FALSE;
	}
	return WSAConnectByNameA(s, nodename ? node : NULL, servicename ? service : NULL,
				 LocalAddressLength, LocalAddress, RemoteAddressLength,
				 RemoteAddress, timeout, Reserved);
}

/*
 * gai_strerror() as <ws2tcpip.h> declares it.  Windows' EAI_* codes are
 * its WSA codes; here GetAddrInfo returns glibc's EAI_* and
 * WSAGetLastError() the WSA code, and a program may print either, so both
 * are understood.  The text is glibc's.  Windows returns a static buffer;
 * this one is per thread (not initial-exec: it is large, and no signal
 * handler needs it).
 */
static __thread char wsac_gai_text[GAI_STRERROR_BUFFER_SIZE + 1];
static __thread WCHAR wsac_gai_wtext[GAI_STRERROR_BUFFER_SIZE + 1];

static const char *wsac_gai_message(int ecode)
{
	switch (ecode) {
	case WSATRY_AGAIN:		ecode = EAI_AGAIN; break;
	case WSAEINVAL:			ecode = EAI_BADFLAGS; break;
	case WSANO_RECOVERY:		ecode = EAI_FAIL; break;
	case WSAEAFNOSUPPORT:		ecode = EAI_FAMILY; break;
	case WSA_NOT_ENOUGH_MEMORY:	ecode = EAI_MEMORY; break;
	case WSAHOST_NOT_FOUND:		ecode = EAI_NONAME; break;
#ifdef EAI_NODATA
	case WSANO_DATA:		ecode = EAI_NODATA; break;
#endif
	case WSATYPE_NOT_FOUND:		ecode = EAI_SERVICE; break;
	case WSAESOCKTNOSUPPORT:	ecode = EAI_SOCKTYPE; break;
	default:			break;
	}
	return gai_strerror(ecode);
}

WSAC_EXPORT char *WSAAPI gai_strerrorA(int ecode)
{
	const char *text = wsac_gai_message(ecode);
	size_t n = strlen(text);

	if (n > GAI_STRERROR_BUFFER_SIZE)
		n = GAI_STRERROR_BUFFER_SIZE;
	memcpy(wsac_gai_text, text, n);
	wsac_gai_text[n] = '\0';
	return wsac_gai_text;
}

/*
 * The same text as UTF-32.  glibc's text is English (ASCII) unless the
 * program chose a locale with setlocale(); translated text is read as
 * UTF-8, an invalid byte becoming U+FFFD.
 */
WSAC_EXPORT WCHAR *WSAAPI gai_strerrorW(int ecode)
{
	wsac_from_utf8(wsac_gai_message(ecode), wsac_gai_wtext,
		       WSAC_ARRAY_SIZE(wsac_gai_wtext));
	return wsac_gai_wtext;
}

/*
 * GetNameInfoW: getnameinfo() with the names widened.  Like GetAddrInfoW
 * it returns glibc's EAI_* code and sets WSAGetLastError() to Windows'
 * code; a buffer too small for the name (EAI_OVERFLOW) is WSAEFAULT, as
 * Windows reports it.  The address is copied in first, so a bad pointer
 * is WSAEFAULT rather than a crash.
 */
WSAC_EXPORT INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength,
				    PWCHAR pNodeBuffer, DWORD NodeBufferSize,
				    PWCHAR pServiceBuffer, DWORD ServiceBufferSize,
				    INT Flags)
{
	struct sockaddr_storage ss;
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	bool want_host = pNodeBuffer && NodeBufferSize;
	bool want_serv = pServiceBuffer && ServiceBufferSize;
	WCHAR whost[NI_MAXHOST], wserv[NI_MAXSERV];
	size_t nh = 0, ns = 0;
	int rc;

	if (!pSockaddr || SockaddrLength < sizeof(sa_family_t) ||
	    SockaddrLength > sizeof(ss) ||
	    wsac_copy_from_caller(&ss, pSockaddr, SockaddrLength)) {
		wsac_fail(WSAEFAULT, EFAULT);
		return EAI_FAMILY;
	}
	rc = getnameinfo((struct sockaddr *)&ss, SockaddrLength,
			 want_host ? host : NULL, want_host ? sizeof(host) : 0,
			 want_serv ? serv : NULL, want_serv ? sizeof(serv) : 0, Flags);
	if (rc) {
		wsac_fail(rc == EAI_OVERFLOW ? WSAEFAULT : wsac_eai_to_wsa(rc), 0);
		return rc;
	}
	if (want_host)
		nh = wsac_from_utf8(host, whost, WSAC_ARRAY_SIZE(whost));
	if (want_serv)
		ns = wsac_from_utf8(serv, wserv, WSAC_ARRAY_SIZE(wserv));
	if (nh > NodeBufferSize || ns > ServiceBufferSize) {
		wsac_fail(WSAEFAULT, EFAULT);
		return EAI_OVERFLOW;
	}
	if ((nh && wsac_copy_to_caller(pNodeBuffer, whost, nh * sizeof(WCHAR))) ||
	    (ns && wsac_copy_to_caller(pServiceBuffer, wserv, ns * sizeof(WCHAR)))) {
		wsac_fail(WSAEFAULT, EFAULT);
		return EAI_FAMILY;
	}
	return 0;
}
