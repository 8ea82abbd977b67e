// SPDX-License-Identifier: GPL-2.0
/*
 * A Winsock client written for Windows, without a single #ifdef: it
 * builds unchanged with libwsaconnect on Linux and with MinGW's ws2_32
 * (make -C lib mingw-check).  It asks for a best-effort QOS with
 * WSAIoctl(SIO_SET_QOS) (reporting, not failing, when the provider
 * refuses it) and connects to 127.0.0.1:PORT (default 7) with WSAConnect.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	WSADATA wsa;
	SOCKET s;
	struct sockaddr_in sin;
	QOS qos;
	u_long nonblocking = 0;
	DWORD bytes = 0;
	int err;

	err = WSAStartup(MAKEWORD(2, 2), &wsa);
	if (err != 0) {
		printf("WSAStartup failed: %d (%s)\n", err, wsa.szSystemStatus);
		return 1;
	}
	printf("Winsock %d.%d: %s\n", LOBYTE(wsa.wVersion), HIBYTE(wsa.wVersion),
	       wsa.szSystemStatus);

	/* A best-effort flow of 125 kB/s each way. */
	memset(&qos, 0, sizeof(qos));
	qos.SendingFlowspec.TokenRate = 125000;
	qos.SendingFlowspec.TokenBucketSize = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.PeakBandwidth = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.Latency = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.DelayVariation = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.ServiceType = SERVICETYPE_BESTEFFORT;
	qos.SendingFlowspec.MaxSduSize = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.MinimumPolicedSize = QOS_NOT_SPECIFIED;
	qos.ReceivingFlowspec = qos.SendingFlowspec;
	qos.ProviderSpecific.len = 0;
	qos.ProviderSpecific.buf = NULL;

	s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (s == INVALID_SOCKET) {
		printf("socket failed: %d\n", WSAGetLastError());
		WSACleanup();
		return 1;
	}
	if (ioctlsocket(s, FIONBIO, &nonblocking) == SOCKET_ERROR)
		printf("ioctlsocket failed: %d\n", WSAGetLastError());
	if (WSAIoctl(s, SIO_SET_QOS, &qos, sizeof(qos), NULL, 0, &bytes, NULL, NULL) ==
	    SOCKET_ERROR)
		printf("SIO_SET_QOS not in force: %d\n", WSAGetLastError());
	else
		printf("SIO_SET_QOS: %u bytes/s\n", (unsigned int)qos.SendingFlowspec.TokenRate);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((u_short)(argc > 1 ? atoi(argv[1]) : 7));
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);

	if (WSAConnect(s, (SOCKADDR *)&sin, sizeof(sin), NULL, NULL, NULL, NULL) ==
	    SOCKET_ERROR) {
		err = WSAGetLastError();
		if (err == WSAECONNREFUSED)
			printf("WSAConnect: refused (WSAECONNREFUSED)\n");
		else
			printf("WSAConnect failed: %d\n", err);
	} else {
		printf("WSAConnect: connected\n");
	}
	closesocket(s);
	WSACleanup();
	return 0;
}
