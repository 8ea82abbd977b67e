// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's receiver: accepts one TCP connection, counts what arrives and
 * prints the goodput, measured from the first byte to the end of the
 * stream.  Plain POSIX sockets, no Winsock.
 *
 * usage: demo-sink PORT
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct timespec first = { 0 }, last = { 0 };
	unsigned long long total = 0;
	static char buf[65536];
	int one = 1, l, c;
	double secs;
	ssize_t n;

	if (argc != 2)
		return 2;
	sin6.sin6_port = htons(atoi(argv[1]));
	l = socket(AF_INET6, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&sin6, sizeof(sin6)) || listen(l, 1)) {
		perror("sink");
		return 1;
	}
	c = accept(l, NULL, NULL);
	if (c < 0)
		return 1;
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &last);
		if (!total)
			first = last;
		total += n;
	}
	secs = last.tv_sec - first.tv_sec + (last.tv_nsec - first.tv_nsec) / 1e9;
	printf("sink: received %llu bytes in %.2f s: %.0f bytes/s\n", total, secs,
	       secs > 0 ? total / secs : 0.0);
	return 0;
}
