// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's server: accepts connections on a port over IPv4 and IPv6 and
 * greets each client.  Plain BSD sockets; exits after @count clients.
 *
 * usage: demo-server PORT COUNT
 */
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_on(int family, unsigned short port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(family, SOCK_STREAM, 0), on = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if ((family == AF_INET6 ? bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) :
				  bind(fd, (struct sockaddr *)&sin, sizeof(sin))) ||
	    listen(fd, 8)) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct pollfd pfd[2];
	int count, served = 0, i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PORT COUNT\n", argv[0]);
		return 2;
	}
	count = atoi(argv[2]);
	pfd[0].fd = listen_on(AF_INET, atoi(argv[1]));
	pfd[1].fd = listen_on(AF_INET6, atoi(argv[1]));
	if (pfd[0].fd < 0 || pfd[1].fd < 0) {
		perror("demo-server: listen");
		return 1;
	}
	printf("server: listening on port %s (IPv4 and IPv6)\n", argv[1]);
	fflush(stdout);
	while (served < count) {
		pfd[0].events = pfd[1].events = POLLIN;
		if (poll(pfd, 2, 30000) <= 0)
			break;
		for (i = 0; i < 2; i++) {
			static const char hello[] = "hello from the demo server\n";
			int c;

			if (!(pfd[i].revents & POLLIN))
				continue;
			c = accept(pfd[i].fd, NULL, NULL);
			if (c < 0)
				continue;
			if (write(c, hello, sizeof(hello) - 1) < 0)
				perror("demo-server: write");
			close(c);
			served++;
		}
	}
	return served == count ? 0 : 1;
}
