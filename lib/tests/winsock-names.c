// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled, never run: the names issue 12's probe found missing, used as
 * Windows code uses them.  "make header-check" builds it against
 * libwsaconnect's headers as C11 and C++17, "make mingw-check" against
 * mingw-w64's, so each name has Windows' spelling and types.  (mingw-w64
 * lacks SIO_UDP_CONNRESET, SIO_UDP_NETRESET and TCP_KEEPALIVE, which the
 * Windows SDK has: those lines are for this library's headers only.)
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h>

#include <string.h>

int winsock_names(SOCKET s);

int winsock_names(SOCKET s)
{
	BOOL on = TRUE;
	int len = sizeof(on), n = 0;
	u_short ns = 0;
	u_long nl = 0;
	unsigned int max = 0;
	DWORD ret = 0;
	WSAPROTOCOL_INFO info;
	WCHAR host[NI_MAXHOST];
	struct sockaddr_in sa;
	char *text = gai_strerror(WSAHOST_NOT_FOUND);
	WCHAR *wtext = gai_strerrorW(EAI_NONAME);

	n += setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&on, sizeof(on));
	n += setsockopt(s, SOL_SOCKET, SO_DONTLINGER, (char *)&on, sizeof(on));
	n += setsockopt(s, SOL_SOCKET, SO_CONDITIONAL_ACCEPT, (char *)&on, sizeof(on));
	n += getsockopt(s, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &len);
	len = sizeof(info);
	n += getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFO, (char *)&info, &len);
	n += WSAHtons(s, 80, &ns) + WSAHtonl(s, 1, &nl);
	n += WSANtohs(s, ns, &ns) + WSANtohl(s, nl, &nl);
	n += WSAIoctl(s, SIO_LOOPBACK_FAST_PATH, &on, sizeof(on), NULL, 0, &ret, NULL, NULL);
#ifndef _WIN32
	n += WSAIoctl(s, SIO_UDP_CONNRESET, &on, sizeof(on), NULL, 0, &ret, NULL, NULL);
	n += WSAIoctl(s, SIO_UDP_NETRESET, &on, sizeof(on), NULL, 0, &ret, NULL, NULL);
	n += setsockopt(s, IPPROTO_TCP, TCP_KEEPALIVE, (char *)&len, sizeof(len));
#endif
	n += WSASendDisconnect(s, NULL) + WSARecvDisconnect(s, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(ADDR_ANY);
	n += GetNameInfoW((SOCKADDR *)&sa, sizeof(sa), host, NI_MAXHOST, NULL, 0,
			  NI_NUMERICHOST);
	if (gethostbyname("localhost") == NULL && h_errno == HOST_NOT_FOUND &&
	    WSAGetLastError() == WSAHOST_NOT_FOUND)
		n++;
	return n + (int)ntohll(htonll(5)) + (text != NULL) + (wtext != NULL) +
	       (EAI_NODATA != 0);
}
