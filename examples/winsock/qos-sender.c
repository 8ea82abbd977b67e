// SPDX-License-Identifier: GPL-2.0
/*
 * QoS sender: connects with WSAConnect and a Controlled Load FLOWSPEC,
 * changes the rate with SIO_SET_QOS and waits for FD_QOS, asks
 * SIO_CHK_QOS whether it may send, then sends 64 KiB with WSASend.
 *
 *	qos-sender port
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>
#include <qossp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOTAL (64 * 1024)

static void SetFlowspec(FLOWSPEC *f, ULONG rate, SERVICETYPE type)
{
	f->TokenRate = rate;
	f->TokenBucketSize = rate == QOS_NOT_SPECIFIED ? QOS_NOT_SPECIFIED : 16384;
	f->PeakBandwidth = QOS_NOT_SPECIFIED;
	f->Latency = QOS_NOT_SPECIFIED;
	f->DelayVariation = QOS_NOT_SPECIFIED;
	f->ServiceType = type;
	f->MaxSduSize = QOS_NOT_SPECIFIED;
	f->MinimumPolicedSize = QOS_NOT_SPECIFIED;
}

int main(int argc, char **argv)
{
	static char data[TOTAL];
	WSADATA wsa;
	SOCKADDR_IN sin;
	QOS qos;
	WSAEVENT ev;
	WSANETWORKEVENTS ne;
	DWORD returned, answer = 0, request = ALLOWED_TO_SEND_DATA, sent, total = 0;
	u_long blocking = 0;
	SOCKET s;

	if (argc != 2) {
		printf("usage: %s port\n", argv[0]);
		return 1;
	}
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		printf("WSAStartup failed\n");
		return 1;
	}
	s = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
	if (s == INVALID_SOCKET) {
		printf("WSASocket failed with error: %d\n", WSAGetLastError());
		return 1;
	}

	memset(&qos, 0, sizeof(qos));
	SetFlowspec(&qos.SendingFlowspec, 250000, SERVICETYPE_CONTROLLEDLOAD);
	SetFlowspec(&qos.ReceivingFlowspec, QOS_NOT_SPECIFIED, SERVICETYPE_NOTRAFFIC);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((u_short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (WSAConnect(s, (SOCKADDR *)&sin, sizeof(sin), NULL, NULL, &qos, NULL) == SOCKET_ERROR) {
		printf("WSAConnect with QoS failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	printf("qos-sender: connected with a Controlled Load flowspec\n");

	ev = WSACreateEvent();
	if (WSAEventSelect(s, ev, FD_QOS) == SOCKET_ERROR) {
		printf("WSAEventSelect failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	SetFlowspec(&qos.SendingFlowspec, 500000, SERVICETYPE_CONTROLLEDLOAD);
	if (WSAIoctl(s, SIO_SET_QOS, &qos, sizeof(qos), NULL, 0, &returned, NULL, NULL) ==
	    SOCKET_ERROR) {
		printf("SIO_SET_QOS failed with error: %d\n", WSAGetLastError());
		return 1;
	}
	if (WSAWaitForMultipleEvents(1, &ev, FALSE, 2000, FALSE) == WSA_WAIT_EVENT_0 &&
	    WSAEnumNetworkEvents(s, ev, &ne) == 0 && (ne.lNetworkEvents & FD_QOS))
		printf("qos-sender: FD_QOS signalled\n");
	else
		printf("qos-sender: no FD_QOS\n");
	WSAEventSelect(s, NULL, 0);
	WSACloseEvent(ev);
	ioctlsocket(s, FIONBIO, &blocking);

	if (WSAIoctl(s, SIO_CHK_QOS, &request, sizeof(request), &answer, sizeof(answer),
		     &returned, NULL, NULL) == SOCKET_ERROR)
		printf("SIO_CHK_QOS failed with error: %d\n", WSAGetLastError());
	else
		printf("qos-sender: allowed to send: %s\n", answer ? "yes" : "no");

	memset(data, 'q', sizeof(data));
	while (total < TOTAL) {
		WSABUF buf;

		buf.buf = data + total;
		buf.len = TOTAL - total;
		if (WSASend(s, &buf, 1, &sent, 0, NULL, NULL) == SOCKET_ERROR) {
			printf("WSASend failed with error: %d\n", WSAGetLastError());
			return 1;
		}
		total += sent;
	}
	printf("qos-sender: sent %lu bytes\n", (unsigned long)total);
	shutdown(s, SD_SEND);
	closesocket(s);
	WSACleanup();
	return 0;
}
