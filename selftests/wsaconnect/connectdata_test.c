// SPDX-License-Identifier: GPL-2.0
/*
 * Connect data (Documentation/connect-data.rst): WSAConnect's caller data
 * in the SYN (TCP Fast Open), callee data back, and WSAAccept's condition
 * function, against plain Linux peers in both directions.
 */
#include "helpers.h"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>

#include "kselftest_harness.h"

#define CALLER	"caller data: GET /x"
#define CALLEE	"callee data: 200 OK"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int tcp_opt(int fd, int opt, int val)
{
	return setsockopt(fd, IPPROTO_TCP, opt, &val, sizeof(val));
}

/* Did the SYN carry data that the peer acknowledged? */
static int syn_data_acked(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -1;
	return !!(ti.tcpi_options & TCPI_OPT_SYN_DATA);
}

/* Read until @n bytes, EOF or @ms of silence. */
static ssize_t read_for(int fd, char *buf, size_t n, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t k;

	while (got < n && poll(&pfd, 1, ms) == 1) {
		k = recv(fd, buf + got, n - got, 0);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static int accept_within(int listener, int ms)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return accept(listener, NULL, NULL);
}

/* A plain Linux server thread: accept, read @want bytes, reply, wait. */
struct plain_server {
	int listener;
	size_t want;
	const char *reply;	/* NULL: say nothing */
	bool close_first;	/* FIN instead of a reply */
	char got[2048];
	ssize_t got_len;
	ssize_t extra;		/* bytes after @want within 300 ms */
	int syn_data;
	int fd;
};

static void *plain_server_run(void *arg)
{
	struct plain_server *p = arg;
	char more[64];

	p->fd = accept_within(p->listener, 10000);
	if (p->fd < 0)
		return NULL;
	p->syn_data = syn_data_acked(p->fd);
	p->got_len = read_for(p->fd, p->got, p->want, 5000);
	if (p->close_first) {
		shutdown(p->fd, SHUT_WR);
	} else if (p->reply) {
		if (send(p->fd, p->reply, strlen(p->reply), MSG_NOSIGNAL) < 0)
			p->got_len = -1;
	}
	p->extra = read_for(p->fd, more, sizeof(more), 300);
	return NULL;
}

FIXTURE(cd) {
	WSADATA wsa;
	int listener;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int s;
};

FIXTURE_VARIANT(cd) {
	int family;
};

FIXTURE_VARIANT_ADD(cd, ipv4) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(cd, ipv6) {
	.family = AF_INET6,
};

FIXTURE_SETUP(cd)
{
	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &self->wsa));
	ASSERT_EQ(0, wsac_private_netns());
	/* TFO client and server, as a TFO deployment has them. */
	ASSERT_EQ(0, wsac_sysctl("net.ipv4.tcp_fastopen", "3"));
	self->listener = wsac_bound_socket(variant->family, SOCK_STREAM, 1,
					   &self->addr, &self->addrlen);
	ASSERT_LE(0, self->listener);
	/* A plain Linux TFO server that takes data without a cookie. */
	ASSERT_EQ(0, tcp_opt(self->listener, TCP_FASTOPEN, 16));
	ASSERT_EQ(0, tcp_opt(self->listener, TCP_FASTOPEN_NO_COOKIE, 1));
	self->s = socket(variant->family, SOCK_STREAM, IPPROTO_TCP);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(cd)
{
	closesocket(self->s);
	closesocket(self->listener);
	WSACleanup();
}

static int wsa_connect_data(int s, const struct sockaddr_storage *ss, socklen_t len,
			    const char *data, size_t n, WSABUF *callee)
{
	WSABUF caller = { .len = (ULONG)n, .buf = (char *)data };

	return WSAConnect(s, (const struct sockaddr *)ss, (int)len, &caller, callee,
			  NULL, NULL);
}

TEST_F(cd, blocking_caller_data_in_syn_and_callee_data_back)
{
	struct plain_server srv = { .listener = self->listener,
				    .want = strlen(CALLER), .reply = CALLEE };
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	ASSERT_EQ(0, wsa_connect_data(self->s, &self->addr, self->addrlen,
				      CALLER, strlen(CALLER), &callee));
	pthread_join(t, NULL);
	/* The plain server read the caller data first, taken from the SYN. */
	ASSERT_EQ((ssize_t)strlen(CALLER), srv.got_len);
	EXPECT_EQ(0, memcmp(srv.got, CALLER, strlen(CALLER)));
	EXPECT_EQ(1, srv.syn_data);
	EXPECT_EQ(1, syn_data_acked(self->s));
	EXPECT_EQ(0, srv.extra);	/* exactly once */
	/* Its reply is the callee data, consumed from the stream. */
	ASSERT_EQ(strlen(CALLEE), callee.len);
	EXPECT_EQ(0, memcmp(back, CALLEE, strlen(CALLEE)));
	EXPECT_EQ(-1, recv(self->s, back, sizeof(back), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	close(srv.fd);
}

TEST_F(cd, nonblocking_caller_data_wouldblock_callee_len_zero)
{
	struct plain_server srv = { .listener = self->listener, .want = strlen(CALLER) };
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	u_long on = 1;
	pthread_t t;

	ASSERT_EQ(0, ioctlsocket(self->s, FIONBIO, &on));
	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	EXPECT_EQ(SOCKET_ERROR, wsa_connect_data(self->s, &self->addr, self->addrlen,
						 CALLER, strlen(CALLER), &callee));
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	EXPECT_EQ(0, callee.len);
	pthread_join(t, NULL);
	ASSERT_EQ((ssize_t)strlen(CALLER), srv.got_len);
	EXPECT_EQ(0, memcmp(srv.got, CALLER, strlen(CALLER)));
	EXPECT_EQ(1, srv.syn_data);
	EXPECT_EQ(0, srv.extra);
	close(srv.fd);
}

TEST_F(cd, tfo_client_disabled_is_protonosupport_nothing_sent)
{
	ASSERT_EQ(0, wsac_sysctl("net.ipv4.tcp_fastopen", "2"));
	EXPECT_EQ(SOCKET_ERROR, wsa_connect_data(self->s, &self->addr, self->addrlen,
						 CALLER, strlen(CALLER), NULL));
	EXPECT_EQ(WSAEPROTONOSUPPORT, WSAGetLastError());
	EXPECT_GT(0, accept_within(self->listener, 300));
	/* The socket is unchanged: a plain WSAConnect works. */
	EXPECT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, NULL, NULL, NULL));
}

TEST_F(cd, max_size_fits_and_one_more_is_efault)
{
	static char big[1181];
	struct plain_server srv = { .listener = self->listener, .want = 1180 };
	pthread_t t;

	memset(big, 'x', sizeof(big));
	EXPECT_EQ(SOCKET_ERROR, wsa_connect_data(self->s, &self->addr, self->addrlen,
						 big, 1181, NULL));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	EXPECT_GT(0, accept_within(self->listener, 300));
	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	EXPECT_EQ(0, wsa_connect_data(self->s, &self->addr, self->addrlen, big, 1180, NULL));
	pthread_join(t, NULL);
	EXPECT_EQ(1180, srv.got_len);
	EXPECT_EQ(1, srv.syn_data);
	EXPECT_EQ(0, srv.extra);
	close(srv.fd);
}

TEST_F(cd, refused_is_connrefused_and_socket_reusable)
{
	struct sockaddr_storage closed;
	socklen_t closedlen;
	int holder = wsac_closed_port(variant->family, &closed, &closedlen);
	int fd;

	ASSERT_LE(0, holder);
	EXPECT_EQ(SOCKET_ERROR, wsa_connect_data(self->s, &closed, closedlen,
						 CALLER, strlen(CALLER), NULL));
	EXPECT_EQ(WSAECONNREFUSED, WSAGetLastError());
	/* Again without data: the SYN leaves at once (no deferred connect). */
	EXPECT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, NULL, NULL, NULL));
	fd = accept_within(self->listener, 5000);
	EXPECT_LE(0, fd);
	EXPECT_EQ(0, syn_data_acked(fd));
	close(fd);
	close(holder);
}

/*
 * A nonblocking attempt with caller data leaves the library's TFO options on
 * the socket while its SYN is out; once refused, the next WSAConnect without
 * data must send a SYN of its own instead of deferring it to a write that
 * never comes, and the socket gets the caller's own option values back.
 */
TEST_F(cd, nonblocking_refused_then_plain_connect_sends_syn)
{
	struct pollfd pfd = { .fd = self->s, .events = POLLOUT };
	struct sockaddr_storage closed;
	socklen_t closedlen, optlen = sizeof(int);
	int holder = wsac_closed_port(variant->family, &closed, &closedlen);
	int fd, opt = -1, rc;
	u_long on = 1;

	ASSERT_LE(0, holder);
	ASSERT_EQ(0, ioctlsocket(self->s, FIONBIO, &on));
	EXPECT_EQ(SOCKET_ERROR, wsa_connect_data(self->s, &closed, closedlen,
						 CALLER, strlen(CALLER), NULL));
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	ASSERT_NE(0, pfd.revents & (POLLERR | POLLHUP));

	rc = WSAConnect(self->s, (struct sockaddr *)&self->addr, self->addrlen,
			NULL, NULL, NULL, NULL);
	if (rc == SOCKET_ERROR)
		EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	fd = accept_within(self->listener, 5000);
	EXPECT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(self->s, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &opt, &optlen));
	EXPECT_EQ(0, opt);
	if (fd >= 0)
		close(fd);
	close(holder);
}

TEST_F(cd, deferred_tfo_socket_is_isconn)
{
	ASSERT_EQ(0, tcp_opt(self->s, TCP_FASTOPEN_CONNECT, 1));
	ASSERT_EQ(0, tcp_opt(self->s, TCP_FASTOPEN_NO_COOKIE, 1));
	/* Linux: 0 without a SYN, then (nonblocking) EISCONN. */
	ASSERT_EQ(0, connect(self->s, (struct sockaddr *)&self->addr, self->addrlen));
	EXPECT_EQ(SOCKET_ERROR, WSAConnect(self->s, (struct sockaddr *)&self->addr,
					   self->addrlen, NULL, NULL, NULL, NULL));
	EXPECT_EQ(WSAEISCONN, WSAGetLastError());
	/* (A blocking connect(2) would wait for a SYN that never leaves.) */
	ASSERT_EQ(0, fcntl(self->s, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, connect(self->s, (struct sockaddr *)&self->addr, self->addrlen));
	EXPECT_EQ(EISCONN, errno);
}

TEST_F(cd, callee_wait_bounded_by_rcvtimeo)
{
	struct plain_server srv = { .listener = self->listener, .want = strlen(CALLER) };
	struct timeval tv = { .tv_usec = 400000 };
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	long long t0;
	pthread_t t;

	ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	t0 = now_ms();
	EXPECT_EQ(0, wsa_connect_data(self->s, &self->addr, self->addrlen,
				      CALLER, strlen(CALLER), &callee));
	EXPECT_LE(350, now_ms() - t0);
	EXPECT_EQ(0, callee.len);
	pthread_join(t, NULL);
	close(srv.fd);
}

TEST_F(cd, callee_fin_first_is_len_zero)
{
	struct plain_server srv = { .listener = self->listener, .want = strlen(CALLER),
				    .close_first = true };
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	EXPECT_EQ(0, wsa_connect_data(self->s, &self->addr, self->addrlen,
				      CALLER, strlen(CALLER), &callee));
	EXPECT_EQ(0, callee.len);
	pthread_join(t, NULL);
	close(srv.fd);
}

TEST_F(cd, no_caller_data_no_wait)
{
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	long long t0 = now_ms();
	int fd;

	EXPECT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, &callee, NULL, NULL));
	EXPECT_GT(1000, now_ms() - t0);
	EXPECT_EQ(0, callee.len);
	fd = accept_within(self->listener, 5000);
	EXPECT_LE(0, fd);
	close(fd);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* Signals interrupting the wait for the handshake never resend the data. */
TEST_F(cd, signals_during_wait_send_once)
{
	struct plain_server srv = { .listener = self->listener, .want = strlen(CALLER) };
	struct itimerval it = { .it_interval = { .tv_usec = 10000 },
				.it_value = { .tv_usec = 10000 } };
	struct sigaction sa;
	sigset_t mask;
	pthread_t t;

	if (system("tc qdisc add dev lo root netem delay 100ms >/dev/null 2>&1"))
		SKIP(return, "netem unavailable");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	/* The signals are for WSAConnect's thread, not the server's. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGALRM);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &mask, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	ASSERT_EQ(0, pthread_sigmask(SIG_UNBLOCK, &mask, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(0, wsa_connect_data(self->s, &self->addr, self->addrlen,
				      CALLER, strlen(CALLER), NULL));
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	EXPECT_LT(2, alarms);
	pthread_join(t, NULL);
	EXPECT_EQ((ssize_t)strlen(CALLER), srv.got_len);
	EXPECT_EQ(0, srv.extra);
	close(srv.fd);
}

/* One round trip with connect data; two without. */
TEST_F(cd, netem_round_trips)
{
	struct plain_server srv = { .listener = self->listener,
				    .want = strlen(CALLER), .reply = CALLEE };
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	long long t0, with, without;
	const char *lane = getenv("WSA_VM_LANE");
	/*
	 * 100 ms each way (RTT 200 ms): a stock guest on a loaded host spent
	 * 56 ms besides the one round trip (stop 18), too close to the 1.5
	 * RTT line at RTT 100 ms.  KASAN under TCG spends up to a few
	 * hundred ms of CPU on an exchange, so there the trips are longer.
	 */
	int one_way = lane && !strcmp(lane, "debug") ? 250 : 100;
	char cmd[96];
	pthread_t t;
	int s2;

	snprintf(cmd, sizeof(cmd),
		 "tc qdisc add dev lo root netem delay %dms >/dev/null 2>&1", one_way);
	if (system(cmd))
		SKIP(return, "netem unavailable");
	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	t0 = now_ms();
	ASSERT_EQ(0, wsa_connect_data(self->s, &self->addr, self->addrlen,
				      CALLER, strlen(CALLER), &callee));
	with = now_ms() - t0;
	pthread_join(t, NULL);
	ASSERT_EQ(strlen(CALLEE), callee.len);
	close(srv.fd);

	s2 = socket(variant->family, SOCK_STREAM, 0);
	ASSERT_LE(0, s2);
	srv.fd = -1;
	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	t0 = now_ms();
	ASSERT_EQ(0, WSAConnect(s2, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, NULL, NULL, NULL));
	ASSERT_EQ((ssize_t)strlen(CALLER), send(s2, CALLER, strlen(CALLER), 0));
	ASSERT_EQ((ssize_t)strlen(CALLEE), read_for(s2, back, strlen(CALLEE), 5000));
	without = now_ms() - t0;
	pthread_join(t, NULL);
	close(srv.fd);
	close(s2);
	TH_LOG("RTT %d ms: connect data: %lld ms, connect+send+recv: %lld ms",
	       2 * one_way, with, without);
	/* Before a second round trip could complete; at least two. */
	EXPECT_GT(3 * one_way, with);
	EXPECT_LE(4 * one_way, without);
}

/* --- WSAAccept ------------------------------------------------------- */

struct cond_seen {
	int calls;
	char data[2048];
	ULONG len;
	int verdict;
	const char *reply;
	struct sockaddr_storage callee_id;
	ULONG callee_id_len;
	bool qos_null;
};

static int CALLBACK condition(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos,
			      LPQOS gqos, LPWSABUF callee_id, LPWSABUF callee_data,
			      GROUP *g, DWORD_PTR cb)
{
	struct cond_seen *c = (struct cond_seen *)cb;

	(void)caller_id;
	(void)g;
	c->calls++;
	c->len = caller_data->len;
	if (c->len && c->len <= sizeof(c->data))
		memcpy(c->data, caller_data->buf, c->len);
	c->qos_null = !sqos && !gqos;
	c->callee_id_len = callee_id->len;
	memcpy(&c->callee_id, callee_id->buf, callee_id->len);
	if (c->reply) {
		memcpy(callee_data->buf, c->reply, strlen(c->reply));
		callee_data->len = strlen(c->reply);
	}
	return c->verdict;
}

/* A WSAAccept server: its listener primed by a first nonblocking call. */
static int wsa_listener(int family, struct sockaddr_storage *ss, socklen_t *len,
			struct cond_seen *c)
{
	int l = wsac_bound_socket(family, SOCK_STREAM, 1, ss, len);
	u_long on = 1, off = 0;

	if (l < 0 || ioctlsocket(l, FIONBIO, &on))
		return -1;
	if (WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)c) != INVALID_SOCKET ||
	    WSAGetLastError() != WSAEWOULDBLOCK)
		return -1;
	return ioctlsocket(l, FIONBIO, &off) ? -1 : l;
}

struct accept_job {
	int listener;
	struct cond_seen *c;
	SOCKET fd;
	int err;
	char rest[64];
	ssize_t rest_len;
};

static void *accept_run(void *arg)
{
	struct accept_job *j = arg;

	j->fd = WSAAccept(j->listener, NULL, NULL, condition, (DWORD_PTR)j->c);
	j->err = j->fd == INVALID_SOCKET ? WSAGetLastError() : 0;
	if (j->fd != INVALID_SOCKET)
		j->rest_len = read_for(j->fd, j->rest, sizeof(j->rest), 500);
	return NULL;
}

TEST_F(cd, wsaaccept_condition_gets_syn_data_and_sends_callee_data)
{
	struct cond_seen c = { .verdict = CF_ACCEPT, .reply = CALLEE };
	struct accept_job j = { .c = &c };
	struct sockaddr_storage ss;
	socklen_t len;
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	pthread_t t;

	j.listener = wsa_listener(variant->family, &ss, &len, &c);
	ASSERT_LE(0, j.listener);
	ASSERT_EQ(0, pthread_create(&t, NULL, accept_run, &j));
	ASSERT_EQ(0, wsa_connect_data(self->s, &ss, len, CALLER, strlen(CALLER), &callee));
	ASSERT_EQ((ssize_t)5, send(self->s, "after", 5, 0));
	pthread_join(t, NULL);
	ASSERT_NE(INVALID_SOCKET, j.fd);
	EXPECT_EQ(1, c.calls);
	ASSERT_EQ(strlen(CALLER), c.len);
	EXPECT_EQ(0, memcmp(c.data, CALLER, c.len));
	EXPECT_TRUE(c.qos_null);
	EXPECT_EQ(len, c.callee_id_len);
	/* recv() never returns the SYN's bytes: only what followed. */
	ASSERT_EQ(5, j.rest_len);
	EXPECT_EQ(0, memcmp(j.rest, "after", 5));
	ASSERT_EQ(strlen(CALLEE), callee.len);
	EXPECT_EQ(0, memcmp(back, CALLEE, callee.len));
	EXPECT_EQ(1, syn_data_acked(self->s));
	closesocket(j.fd);
	closesocket(j.listener);
}

/*
 * A plain client (no library, no TFO) to a WSAAccept server, with the TFO
 * client and server bits of net.ipv4.tcp_fastopen each on and off.
 */
TEST_F(cd, wsaaccept_plain_client_len_zero)
{
	static const char *const tfo[] = { "0", "1", "2", "3" };
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned int i;
	pthread_t t;

	for (i = 0; i < ARRAY_SIZE(tfo); i++) {
		struct cond_seen c = { .verdict = CF_ACCEPT };
		struct accept_job j = { .c = &c };
		int plain = socket(variant->family, SOCK_STREAM, 0);

		TH_LOG("net.ipv4.tcp_fastopen = %s", tfo[i]);
		ASSERT_EQ(0, wsac_sysctl("net.ipv4.tcp_fastopen", tfo[i]));
		j.listener = wsa_listener(variant->family, &ss, &len, &c);
		ASSERT_LE(0, j.listener);
		ASSERT_EQ(0, pthread_create(&t, NULL, accept_run, &j));
		ASSERT_EQ(0, connect(plain, (struct sockaddr *)&ss, len));
		ASSERT_EQ(5, send(plain, "hello", 5, 0));
		pthread_join(t, NULL);
		ASSERT_NE(INVALID_SOCKET, j.fd);
		EXPECT_EQ(1, c.calls);
		EXPECT_EQ(0, c.len);
		ASSERT_EQ(5, j.rest_len);
		EXPECT_EQ(0, memcmp(j.rest, "hello", 5));
		closesocket(j.fd);
		closesocket(j.listener);
		close(plain);
	}
}

/* TFO off on the server: the SYN's data is retransmitted, seen once. */
TEST_F(cd, tfo_server_off_every_byte_once)
{
	struct cond_seen c = { .verdict = CF_ACCEPT };
	struct accept_job j = { .c = &c };
	struct plain_server srv = { .listener = self->listener, .want = strlen(CALLER) };
	struct sockaddr_storage ss;
	socklen_t len;
	int s2 = socket(variant->family, SOCK_STREAM, 0);
	pthread_t t;

	ASSERT_EQ(0, wsac_sysctl("net.ipv4.tcp_fastopen", "1"));
	/* A plain server. */
	ASSERT_EQ(0, pthread_create(&t, NULL, plain_server_run, &srv));
	ASSERT_EQ(0, wsa_connect_data(self->s, &self->addr, self->addrlen,
				      CALLER, strlen(CALLER), NULL));
	pthread_join(t, NULL);
	ASSERT_EQ((ssize_t)strlen(CALLER), srv.got_len);
	EXPECT_EQ(0, memcmp(srv.got, CALLER, strlen(CALLER)));
	EXPECT_EQ(0, srv.syn_data);
	EXPECT_EQ(0, srv.extra);
	close(srv.fd);
	/* A WSAAccept server: the condition still gets exactly those bytes. */
	j.listener = wsa_listener(variant->family, &ss, &len, &c);
	ASSERT_LE(0, j.listener);
	ASSERT_EQ(0, pthread_create(&t, NULL, accept_run, &j));
	ASSERT_EQ(0, wsa_connect_data(s2, &ss, len, CALLER, strlen(CALLER), NULL));
	ASSERT_EQ(5, send(s2, "after", 5, 0));
	pthread_join(t, NULL);
	ASSERT_NE(INVALID_SOCKET, j.fd);
	ASSERT_EQ(strlen(CALLER), c.len);
	EXPECT_EQ(0, memcmp(c.data, CALLER, c.len));
	ASSERT_EQ(5, j.rest_len);
	EXPECT_EQ(0, memcmp(j.rest, "after", 5));
	closesocket(j.fd);
	closesocket(j.listener);
	close(s2);
}

TEST_F(cd, wsaaccept_reject_is_connrefused_on_both_sides)
{
	struct cond_seen c = { .verdict = CF_REJECT };
	struct accept_job j = { .c = &c };
	struct sockaddr_storage ss;
	socklen_t len;
	char back[64];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	pthread_t t;

	j.listener = wsa_listener(variant->family, &ss, &len, &c);
	ASSERT_LE(0, j.listener);
	ASSERT_EQ(0, pthread_create(&t, NULL, accept_run, &j));
	EXPECT_EQ(SOCKET_ERROR, wsa_connect_data(self->s, &ss, len, CALLER,
						 strlen(CALLER), &callee));
	EXPECT_EQ(WSAECONNREFUSED, WSAGetLastError());
	pthread_join(t, NULL);
	EXPECT_EQ(INVALID_SOCKET, j.fd);
	EXPECT_EQ(WSAECONNREFUSED, j.err);
	closesocket(j.listener);
}

TEST_F(cd, wsaaccept_defer_then_accept_keeps_caller_data)
{
	struct cond_seen c = { .verdict = CF_DEFER };
	struct accept_job j = { .c = &c };
	struct sockaddr_storage ss;
	socklen_t len;
	pthread_t t;

	j.listener = wsa_listener(variant->family, &ss, &len, &c);
	ASSERT_LE(0, j.listener);
	ASSERT_EQ(0, pthread_create(&t, NULL, accept_run, &j));
	ASSERT_EQ(0, wsa_connect_data(self->s, &ss, len, CALLER, strlen(CALLER), NULL));
	pthread_join(t, NULL);
	EXPECT_EQ(WSATRY_AGAIN, j.err);
	c.verdict = CF_ACCEPT;
	c.len = 0;
	accept_run(&j);
	ASSERT_NE(INVALID_SOCKET, j.fd);
	ASSERT_EQ(strlen(CALLER), c.len);
	EXPECT_EQ(0, memcmp(c.data, CALLER, c.len));
	closesocket(j.fd);
	closesocket(j.listener);
}

TEST_F(cd, wsaaccept_other_value_is_einval)
{
	struct cond_seen c = { .verdict = 42 };
	struct accept_job j = { .c = &c };
	struct sockaddr_storage ss;
	socklen_t len;
	pthread_t t;

	j.listener = wsa_listener(variant->family, &ss, &len, &c);
	ASSERT_LE(0, j.listener);
	ASSERT_EQ(0, pthread_create(&t, NULL, accept_run, &j));
	/* The reset may overtake the client's wake-up: either outcome is fine. */
	WSAConnect(self->s, (struct sockaddr *)&ss, len, NULL, NULL, NULL, NULL);
	pthread_join(t, NULL);
	EXPECT_EQ(WSAEINVAL, j.err);
	closesocket(j.listener);
}

TEST_F(cd, wsaaccept_companion_errors)
{
	struct sockaddr_storage peer;
	INT short_len = 4;
	u_long on = 1;
	int fd = open("/dev/null", O_RDONLY);

	EXPECT_EQ(INVALID_SOCKET, WSAAccept(self->s, NULL, NULL, NULL, 0));
	EXPECT_EQ(WSAEINVAL, WSAGetLastError());
	EXPECT_EQ(INVALID_SOCKET, WSAAccept(fd, NULL, NULL, NULL, 0));
	EXPECT_EQ(WSAENOTSOCK, WSAGetLastError());
	EXPECT_EQ(INVALID_SOCKET, WSAAccept(self->listener, (struct sockaddr *)&peer,
					    &short_len, NULL, 0));
	EXPECT_EQ(WSAEFAULT, WSAGetLastError());
	ASSERT_EQ(0, ioctlsocket(self->listener, FIONBIO, &on));
	EXPECT_EQ(INVALID_SOCKET, WSAAccept(self->listener, NULL, NULL, NULL, 0));
	EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError());
	close(fd);
}

TEST_F(cd, wsaaccept_null_condition_accepts)
{
	SOCKET fd;

	ASSERT_EQ(0, WSAConnect(self->s, (struct sockaddr *)&self->addr, self->addrlen,
				NULL, NULL, NULL, NULL));
	fd = WSAAccept(self->listener, NULL, NULL, NULL, 0);
	EXPECT_NE(INVALID_SOCKET, fd);
	closesocket(fd);
}

TEST(udp_ignores_connect_data)
{
	WSADATA wsa;
	struct sockaddr_storage ss;
	socklen_t len;
	char back[16];
	WSABUF callee = { .len = sizeof(back), .buf = back };
	int p, s;

	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	ASSERT_EQ(0, wsac_private_netns());
	p = wsac_bound_socket(AF_INET, SOCK_DGRAM, 0, &ss, &len);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, p);
	EXPECT_EQ(0, wsa_connect_data(s, &ss, len, CALLER, strlen(CALLER), &callee));
	EXPECT_EQ(0, callee.len);
	EXPECT_EQ(-1, recv(p, back, sizeof(back), MSG_DONTWAIT));
	close(s);
	close(p);
	WSACleanup();
}

TEST(unix_stream_caller_data_is_opnotsupp)
{
	WSADATA wsa;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0), s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct pollfd pfd;

	ASSERT_EQ(0, WSAStartup(MAKEWORD(2, 2), &wsa));
	/* Abstract name. */
	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "wsac-cd-%d", getpid());
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&sun, sizeof(sun)));
	ASSERT_EQ(0, listen(l, 4));
	EXPECT_EQ(SOCKET_ERROR, wsa_connect_data(s, (struct sockaddr_storage *)&sun,
						 sizeof(sun), CALLER, strlen(CALLER), NULL));
	EXPECT_EQ(WSAEOPNOTSUPP, WSAGetLastError());
	pfd.fd = l;
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 200));
	/* Unchanged: it still connects without data. */
	EXPECT_EQ(0, WSAConnect(s, (struct sockaddr *)&sun, sizeof(sun), NULL, NULL,
				NULL, NULL));
	close(s);
	close(l);
	WSACleanup();
}

TEST_HARNESS_MAIN
