// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's QoS client, a Winsock program: WSAConnect with a Guaranteed
 * sending FLOWSPEC, then SIO_GET_QOS, then sending as fast as it can for a
 * few seconds so that the receiver sees the pacing.
 *
 * usage: demo-qos-client HOST PORT RATE SECONDS
 *   RATE is the FLOWSPEC TokenRate in bytes per second.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <qos.h>
#include <qossp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_effective(SOCKET s)
{
	union { QOS qos; char buf[1024]; } out;
	const QOS_OBJECT_HDR *hdr;
	DWORD got = 0, off = 0;

	if (WSAIoctl(s, SIO_GET_QOS, NULL, 0, &out, sizeof(out), &got, NULL,
		     NULL) == SOCKET_ERROR) {
		printf("qos-client: SIO_GET_QOS failed: %d\n", WSAGetLastError());
		return;
	}
	printf("qos-client: SIO_GET_QOS: ServiceType %#x TokenRate %u bytes/s\n",
	       (unsigned int)out.qos.SendingFlowspec.ServiceType,
	       (unsigned int)out.qos.SendingFlowspec.TokenRate);
	while (out.qos.ProviderSpecific.buf && off < out.qos.ProviderSpecific.len) {
		hdr = (const QOS_OBJECT_HDR *)(out.qos.ProviderSpecific.buf + off);
		if (hdr->ObjectType == QOS_OBJECT_WSAC_EFFECTIVE) {
			const QOS_WSAC_EFFECTIVE *e = (const void *)hdr;

			printf("qos-client: in force: pacing %llu bytes/s, TOS %#x, priority %u, admitted %llu bytes/s\n",
			       (unsigned long long)e->PacingRate, (unsigned int)e->Tos,
			       (unsigned int)e->Priority,
			       (unsigned long long)e->AdmittedRate);
		}
		if (hdr->ObjectType == QOS_OBJECT_END_OF_LIST || !hdr->ObjectLength)
			break;
		off += hdr->ObjectLength;
	}
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { 0 }, *ai;
	static char chunk[16384];
	struct timespec start, now;
	QOS qos;
	WSADATA wsa;
	SOCKET s;
	double secs;

	if (argc != 5) {
		fprintf(stderr, "usage: %s HOST PORT RATE SECONDS\n", argv[0]);
		return 2;
	}
	secs = atof(argv[4]);
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		return 1;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(argv[1], argv[2], &hints, &ai))
		return 1;
	s = socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
	/* A small send buffer, so the stream ends soon after the sender stops. */
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&(int){ 32768 }, sizeof(int));

	memset(&qos, 0, sizeof(qos));
	qos.SendingFlowspec.ServiceType = SERVICETYPE_GUARANTEED;
	qos.SendingFlowspec.TokenRate = (ULONG)strtoul(argv[3], NULL, 0);
	qos.SendingFlowspec.TokenBucketSize = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.PeakBandwidth = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.Latency = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.DelayVariation = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.MaxSduSize = QOS_NOT_SPECIFIED;
	qos.SendingFlowspec.MinimumPolicedSize = QOS_NOT_SPECIFIED;
	qos.ReceivingFlowspec.ServiceType = SERVICETYPE_NOTRAFFIC;

	if (WSAConnect(s, ai->ai_addr, (int)ai->ai_addrlen, NULL, NULL, &qos,
		       NULL) == SOCKET_ERROR) {
		printf("qos-client: WSAConnect with Guaranteed QoS failed: %d\n",
		       WSAGetLastError());
		return 1;
	}
	printf("qos-client: WSAConnect to %s port %s with Guaranteed QoS at %s bytes/s: success\n",
	       argv[1], argv[2], argv[3]);
	print_effective(s);

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		if (send(s, chunk, sizeof(chunk), 0) == SOCKET_ERROR) {
			printf("qos-client: send failed: %d\n", WSAGetLastError());
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec +
		 (now.tv_nsec - start.tv_nsec) / 1e9 < secs);
	fflush(stdout);
	/* What the administrator sees while the socket is still open. */
	if (system("ss -tin state established '( dport = :5003 )' | grep -o 'tcp-ulp-wsaconnect\\|pacing_rate [^ ]*' | sort -u | sed 's/^/ss: /'") ||
	    system("sed 's/^/proc: /' /proc/net/wsaconnect_qos"))
		printf("qos-client: could not show ss or /proc/net/wsaconnect_qos\n");
	closesocket(s);
	freeaddrinfo(ai);
	WSACleanup();
	return 0;
}
