// SPDX-License-Identifier: GPL-2.0
/*
 * Regressions of issue 10 ("no lost data, no destroyed connections, no
 * false errors"), each reproduced on loopback with the fake module.  Every
 * test here failed before its fix (see the commit that added it).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "fake-module.h"
#include "runner.h"

#define EXPECT_FAILS_WITH(code, call, ...) do {				\
	WSAC_EXPECT_EQ(SOCKET_ERROR, (call), __VA_ARGS__);		\
	WSAC_EXPECT_EQ(code, WSAGetLastError(), "  ... with " #code);	\
} while (0)

#define EXPECT_FALSE_WITH(code, call, ...) do {				\
	WSAC_EXPECT_EQ(FALSE, (call), __VA_ARGS__);			\
	WSAC_EXPECT_EQ(code, WSAGetLastError(), "  ... with " #code);	\
} while (0)

static int listener_v4(struct sockaddr_in *addr, int backlog)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, backlog) || getsockname(fd, (struct sockaddr *)addr, &len))
		return -1;
	return fd;
}

static int wsa_connect(int s, const void *addr, int len)
{
	return WSAConnect(s, addr, len, NULL, NULL, NULL, NULL);
}

static int accept_within(int listener, int ms)
{
	struct pollfd pfd = { .fd = listener, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return accept(listener, NULL, NULL);
}

/*
 * The peer of @s (accepted from @listener) reads the request, replies and
 * closes; @s has sent "req" and shut down for sending.
 */
static bool request_reply(int s, int listener)
{
	char buf[8];
	int a;

	if (send(s, "req", 3, 0) != 3 || shutdown(s, SD_SEND))
		return false;
	a = accept_within(listener, 2000);
	if (a < 0)
		return false;
	if (recv(a, buf, sizeof(buf), MSG_WAITALL) != 3 || send(a, "reply", 5, 0) != 5) {
		close(a);
		return false;
	}
	close(a);
	/* Let the FIN arrive: the client is then in TIME_WAIT (TCP_CLOSE). */
	usleep(50 * 1000);
	return true;
}

/* 1. A connection that was made is never judged a failed connect. */
static void test_no_data_loss(int listener, const struct sockaddr_in *live)
{
	WSAPOLLFD pfd = { .events = POLLRDNORM };
	WSAEVENT ev = WSACreateEvent();
	WSANETWORKEVENTS ne;
	struct pollfd lp;
	char buf[16];
	int s = socket(AF_INET, SOCK_STREAM, 0);
	unsigned long on = 1;
	LONG want;

	WSAC_EXPECT_EQ(0, wsa_connect(s, live, sizeof(*live)), "1: blocking WSAConnect");
	wsac_tap(request_reply(s, listener), "1: request, shutdown(SD_SEND), reply, close");
	pfd.fd = s;
	WSAC_EXPECT_EQ(1, WSAPoll(&pfd, 1, 1000), "1: WSAPoll(POLLRDNORM) reports the socket");
	WSAC_EXPECT_EQ(POLLRDNORM, pfd.revents & (POLLRDNORM | POLLERR),
		       "1:   ... readable, no POLLERR (revents %#x)", pfd.revents);
	WSAC_EXPECT_EQ(5, recv(s, buf, sizeof(buf), 0), "1:   ... and the reply is still there");
	WSAC_EXPECT_EQ(0, wsac_sock_conn_error(s, POLLHUP), "1:   ... no connect error recorded");
	closesocket(s);

	/* The same through WSAEventSelect. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	WSAC_EXPECT_EQ(0, wsa_connect(s, live, sizeof(*live)), "1: blocking WSAConnect again");
	wsac_tap(request_reply(s, listener), "1: request, reply, close");
	want = FD_CONNECT | FD_READ | FD_CLOSE;
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, ev, want), "1: WSAEventSelect afterwards");
	memset(&ne, 0x55, sizeof(ne));
	WSAC_EXPECT_EQ(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, &ev, FALSE, 1000, FALSE),
		       "1:   ... signalled");
	WSAC_EXPECT_EQ(0, WSAEnumNetworkEvents(s, ev, &ne), "1:   ... WSAEnumNetworkEvents");
	WSAC_EXPECT_EQ(want, ne.lNetworkEvents, "1:   ... FD_CONNECT, FD_READ and FD_CLOSE");
	WSAC_EXPECT_EQ(0, ne.iErrorCode[FD_CONNECT_BIT], "1:   ... FD_CONNECT without error");
	WSAC_EXPECT_EQ(0, ne.iErrorCode[FD_CLOSE_BIT], "1:   ... FD_CLOSE graceful");
	WSAC_EXPECT_EQ(5, recv(s, buf, sizeof(buf), 0), "1:   ... and the reply is there");
	closesocket(s);

	/* Nonblocking: the connection completes unseen, then ends. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	ioctlsocket(s, FIONBIO, &on);
	EXPECT_FAILS_WITH(WSAEWOULDBLOCK, wsa_connect(s, live, sizeof(*live)),
			  "1: nonblocking WSAConnect");
	lp.fd = s;
	lp.events = POLLOUT;
	poll(&lp, 1, 2000);	/* not the library's: it must not see the connection */
	wsac_tap(request_reply(s, listener), "1: request, reply, close, unseen");
	pfd.fd = s;
	pfd.events = POLLRDNORM;
	WSAC_EXPECT_EQ(1, WSAPoll(&pfd, 1, 1000), "1: WSAPoll reports the socket");
	WSAC_EXPECT_EQ(POLLRDNORM, pfd.revents & (POLLRDNORM | POLLERR),
		       "1:   ... readable, no POLLERR (revents %#x)", pfd.revents);
	WSAC_EXPECT_EQ(5, recv(s, buf, sizeof(buf), 0), "1:   ... the reply is still there");
	closesocket(s);

	/* A reset connection: the RST is the program's to see, as ECONNRESET. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	WSAC_EXPECT_EQ(0, wsa_connect(s, live, sizeof(*live)), "1: blocking WSAConnect, reset later");
	{
		struct linger lg = { 1, 0 };
		int a = accept_within(listener, 2000);

		setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(a);
		usleep(50 * 1000);
	}
	pfd.fd = s;
	pfd.events = POLLRDNORM;
	WSAC_EXPECT_EQ(1, WSAPoll(&pfd, 1, 1000), "1: WSAPoll on the reset socket");
	WSAC_EXPECT_EQ(SOCKET_ERROR, recv(s, buf, sizeof(buf), 0), "1:   ... recv fails");
	WSAC_EXPECT_EQ(WSAECONNRESET, WSAGetLastError(), "1:   ... with WSAECONNRESET");
	closesocket(s);
	WSACloseEvent(ev);
}

static bool still_listening(int listener, const struct sockaddr_in *addr)
{
	int c = socket(AF_INET, SOCK_STREAM, 0), a;
	bool ok;

	ok = !connect(c, (const struct sockaddr *)addr, sizeof(*addr));
	a = ok ? accept_within(listener, 1000) : -1;
	ok = a >= 0;
	if (a >= 0)
		close(a);
	close(c);
	return ok;
}

/* 2. A refused ByName/ByList leaves the socket as it was. */
static void test_byname_refusals(void)
{
	struct timeval tv = { .tv_sec = 2 };
	struct sockaddr_in laddr, other;
	char port[8], buf[4];
	int l = listener_v4(&laddr, 4), l2 = listener_v4(&other, 4), s, a;
	struct {
		INT count;
		SOCKET_ADDRESS addr[1];
	} list = { 1, { { (struct sockaddr *)&other, sizeof(other) } } };

	snprintf(port, sizeof(port), "%u", ntohs(other.sin_port));
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByNameA(l, "127.0.0.1", port, NULL, NULL, NULL,
						       NULL, &tv, NULL),
			  "2: ByNameA on a listening socket");
	WSAC_EXPECT_EQ(true, still_listening(l, &laddr), "2:   ... which still listens");
	EXPECT_FALSE_WITH(WSAEINVAL, WSAConnectByList(l, (SOCKET_ADDRESS_LIST *)&list, NULL, NULL,
						      NULL, NULL, &tv, NULL),
			  "2: ByList on a listening socket");
	WSAC_EXPECT_EQ(true, still_listening(l, &laddr), "2:   ... which still listens");

	s = socket(AF_INET, SOCK_STREAM, 0);
	connect(s, (struct sockaddr *)&other, sizeof(other));
	a = accept_within(l2, 1000);
	fcntl(a, F_SETFL, O_NONBLOCK);
	EXPECT_FALSE_WITH(WSAEISCONN, WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL,
							NULL, &tv, NULL),
			  "2: ByNameA on a connected socket");
	EXPECT_FALSE_WITH(WSAEISCONN, WSAConnectByList(s, (SOCKET_ADDRESS_LIST *)&list, NULL,
						       NULL, NULL, NULL, &tv, NULL),
			  "2: ByList on a connected socket");
	usleep(20 * 1000);
	WSAC_EXPECT_EQ(-1, recv(a, buf, sizeof(buf), 0), "2:   ... the peer sees no reset");
	WSAC_EXPECT_EQ(EAGAIN, errno, "2:   ... (EAGAIN, not ECONNRESET)");
	WSAC_EXPECT_EQ(2, send(s, "ok", 2, MSG_NOSIGNAL), "2:   ... and the connection still works");

	/* WSAEALREADY: another thread's connect in progress is not aborted. */
	wsac_fake.force_verdict = -EALREADY;
	EXPECT_FALSE_WITH(WSAEALREADY, WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL,
							 NULL, &tv, NULL),
			  "2: ByNameA refused with WSAEALREADY");
	wsac_fake.force_verdict = 0;
	WSAC_EXPECT_EQ(2, send(s, "ok", 2, MSG_NOSIGNAL), "2:   ... leaves the connection alone");
	close(a);
	close(s);
	close(l);
	close(l2);
}

/* 3. Pointer probing from a worker once main() called pthread_exit(). */
static struct sockaddr_in probe_target;

static void *probe_worker(void *p)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	WSAPOLLFD pfd = { .fd = s, .events = POLLRDNORM };
	int rc;

	(void)p;
	usleep(100 * 1000);	/* let the leader exit */
	rc = wsa_connect(s, &probe_target, sizeof(probe_target));
	if (rc)
		_exit(10 + (WSAGetLastError() == WSAEFAULT));
	if (WSAPoll(&pfd, 1, 0) < 0)
		_exit(20 + (WSAGetLastError() == WSAEFAULT));
	_exit(0);
}

static int run_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		fn();
		_exit(99);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 1000 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void leader_exits(void)
{
	pthread_t t;

	pthread_create(&t, NULL, probe_worker, NULL);
	pthread_exit(NULL);
}

/* A seccomp filter answering process_vm_readv/writev with @action. */
static int deny_process_vm(unsigned int action)
{
#if defined(__x86_64__)
	const unsigned int arch = AUDIT_ARCH_X86_64;
#elif defined(__i386__)
	const unsigned int arch = AUDIT_ARCH_I386;
#else
	const unsigned int arch = 0;
#endif
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_process_vm_readv, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_process_vm_writev, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, action),
	};
	struct sock_fprog prog = { WSAC_ARRAY_SIZE(f), f };

	if (!arch || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

static int copy_both_ways(void)
{
	char src[32] = "valid", dst[32] = "";

	if (wsac_copy_from_caller(dst, src, sizeof(src)))
		return 1;
	memset(src, 0, sizeof(src));
	if (wsac_copy_to_caller(src, dst, sizeof(dst)))
		return 2;
	return strcmp(src, "valid") ? 3 : 0;
}

/* process_vm_readv denied, no descriptor left: a valid pointer is valid. */
static void no_fds_left(void)
{
	struct rlimit rl = { 16, 16 };
	int fd;

	if (deny_process_vm(SECCOMP_RET_ERRNO | EPERM))
		_exit(97);
	setrlimit(RLIMIT_NOFILE, &rl);
	do
		fd = dup(0);
	while (fd >= 0);
	if (errno != EMFILE)
		_exit(98);
	_exit(copy_both_ways());
}

/* A filter that kills on process_vm_readv (systemd's SystemCallFilter=). */
static void killing_filter(void)
{
	if (deny_process_vm(SECCOMP_RET_KILL_PROCESS))
		_exit(97);
	_exit(copy_both_ways());
}

static void test_probe(int listener, const struct sockaddr_in *live)
{
	(void)listener;
	probe_target = *live;
	WSAC_EXPECT_EQ(0, run_child(leader_exits),
		       "3: WSAConnect/WSAPoll from a worker after main's pthread_exit");
	WSAC_EXPECT_EQ(0, run_child(no_fds_left),
		       "3: process_vm_readv denied, no descriptor left: still valid");
	WSAC_EXPECT_EQ(0, run_child(killing_filter),
		       "3: a seccomp filter killing on process_vm_readv: no crash");
}

/* 4. A stored code does not stick to a later, unrelated failure. */
static void test_sticky_code(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c[4], i, sv[2], rc = 0;
	char byte;

	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "wsac-regress-%d", getpid());
	if (!wsac_tap(l >= 0 && !bind(l, (struct sockaddr *)&sun, sizeof(sun)) && !listen(l, 0) &&
		      !socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv),
		      "4: AF_UNIX listener with backlog 0"))
		return;
	for (i = 0; i < 4; i++) {
		c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		rc = wsa_connect(c[i], &sun, sizeof(sun));
		if (rc)
			break;
	}
	WSAC_EXPECT_EQ(SOCKET_ERROR, rc, "4: a full backlog refuses a nonblocking connect (i=%d errno=%d)", i, errno);
	WSAC_EXPECT_EQ(WSAENOBUFS, WSAGetLastError(), "4:   ... with WSAENOBUFS");
	WSAC_EXPECT_EQ(SOCKET_ERROR, recv(sv[0], &byte, 1, 0), "4: then recv with nothing queued");
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(), "4:   ... is WSAEWOULDBLOCK");
	for (; i >= 0; i--)
		close(c[i]);
	close(sv[0]);
	close(sv[1]);
	close(l);
}

/* 5. A blocking connect ends with its result, not WSAEINTR. */
static void on_alarm(int sig)
{
	(void)sig;
}

struct delayed_accept {
	int listener, ms;
};

static void *accept_later(void *p)
{
	struct delayed_accept *d = p;
	int a;

	usleep(d->ms * 1000);
	a = accept(d->listener, NULL, NULL);
	if (a >= 0)
		close(a);
	return NULL;
}

static void test_interrupted_connect(void)
{
	struct sigaction sa, old;
	struct itimerval it = { .it_value = { 0, 200 * 1000 } };
	struct sockaddr_in addr;
	struct delayed_accept d;
	pthread_t t;
	int l = listener_v4(&addr, 0), filler = socket(AF_INET, SOCK_STREAM, 0), s, rc, a;

	/* Backlog 0 holds one connection: the next SYN is dropped and retried. */
	if (!wsac_tap(l >= 0 && !connect(filler, (struct sockaddr *)&addr, sizeof(addr)),
		      "5: a listener with a full accept queue"))
		return;
	usleep(20 * 1000);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, &old);
	d.listener = l;
	d.ms = 400;
	pthread_create(&t, NULL, accept_later, &d);
	s = socket(AF_INET, SOCK_STREAM, 0);
	setitimer(ITIMER_REAL, &it, NULL);
	rc = wsa_connect(s, &addr, sizeof(addr));
	WSAC_EXPECT_EQ(0, rc, "5: an interrupted blocking WSAConnect still connects (%d)",
		       rc ? WSAGetLastError() : 0);
	pthread_join(t, NULL);
	a = accept_within(l, 3000);
	WSAC_EXPECT_EQ(true, a >= 0, "5:   ... the listener got it");
	if (a >= 0)
		close(a);
	sigaction(SIGALRM, &old, NULL);
	close(s);
	close(filler);
	close(l);
}

/* 6. FD_WRITE after WSAEWOULDBLOCK, even when the buffer drained unseen. */
static void test_fd_write(void)
{
	struct sockaddr_in addr, *live = &addr;
	int listener = listener_v4(&addr, 4);
	WSAEVENT ev = WSACreateEvent();
	WSANETWORKEVENTS ne;
	static char chunk[65536];
	char buf[65536];
	int s = socket(AF_INET, SOCK_STREAM, 0), a, small = 4096;
	long sent = 0, got = 0;
	ssize_t n;

	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	WSAC_EXPECT_EQ(0, wsa_connect(s, live, sizeof(*live)), "6: WSAConnect");
	a = accept_within(listener, 2000);
	setsockopt(a, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, ev, FD_WRITE), "6: WSAEventSelect(FD_WRITE)");
	WSAC_EXPECT_EQ(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, &ev, FALSE, 1000, FALSE),
		       "6: the first FD_WRITE");
	WSAEnumNetworkEvents(s, ev, &ne);
	while ((n = send(s, chunk, sizeof(chunk), MSG_NOSIGNAL)) > 0)
		sent += n;
	WSAC_EXPECT_EQ(WSAEWOULDBLOCK, WSAGetLastError(), "6: send until WSAEWOULDBLOCK");
	/* The peer drains everything before the program waits. */
	fcntl(a, F_SETFL, O_NONBLOCK);
	while (got < sent) {
		struct pollfd p = { a, POLLIN, 0 };

		if (poll(&p, 1, 1000) != 1)
			break;
		n = recv(a, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		got += n;
	}
	WSAC_EXPECT_EQ(sent, got, "6: the peer read all %ld bytes", sent);
	usleep(20 * 1000);
	WSAC_EXPECT_EQ(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, &ev, FALSE, 1000, FALSE),
		       "6: FD_WRITE comes after WSAEWOULDBLOCK although the buffer drained");
	WSAC_EXPECT_EQ(0, WSAEnumNetworkEvents(s, ev, &ne), "6:   ... WSAEnumNetworkEvents");
	WSAC_EXPECT_EQ(FD_WRITE, ne.lNetworkEvents, "6:   ... FD_WRITE");
	WSAC_EXPECT_EQ(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, &ev, FALSE, 150, FALSE),
		       "6: and no FD_WRITE again without a send: waits do not spin");
	close(a);
	closesocket(s);
	close(listener);
	WSACloseEvent(ev);
}

/* 7. fork() and signal handlers while the library holds its locks. */
static void *hold_state_lock(void *p)
{
	(void)p;
	wsac_state_lock();
	usleep(200 * 1000);
	wsac_state_unlock();
	return NULL;
}

static void *hold_session(void *p)
{
	struct wsac_session ses;

	(void)p;
	if (!wsac_session_get(&ses)) {
		usleep(200 * 1000);
		wsac_session_put();
	}
	return NULL;
}

/* fork() while another thread holds a lock: the child must not hang. */
static int fork_while(void *(*holder)(void *))
{
	pthread_t t;
	int status = -1;
	pid_t pid;

	pthread_create(&t, NULL, holder, NULL);
	usleep(50 * 1000);
	pid = fork();
	if (!pid) {
		WSAEVENT ev;
		WSADATA wsa;
		int s;

		alarm(3);
		s = socket(AF_INET, SOCK_STREAM, 0);
		ev = WSACreateEvent();
		if (WSAEventSelect(s, ev, FD_READ) || WSAStartup(MAKEWORD(2, 2), &wsa) ||
		    WSACleanup())
			_exit(1);
		_exit(0);
	}
	pthread_join(t, NULL);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : WEXITSTATUS(status);
}

static struct sockaddr_in handler_target;
static volatile int handler_rc, handler_code;

static void connect_from_handler(int sig)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), saved = errno;

	(void)sig;
	handler_rc = wsa_connect(s, &handler_target, sizeof(handler_target));
	handler_code = handler_rc ? WSAGetLastError() : 0;
	close(s);
	errno = saved;
}

/* The handler interrupts the library while it holds its state lock. */
static void handler_during_lock(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = connect_from_handler;
	sigaction(SIGUSR1, &sa, NULL);
	alarm(3);
	wsac_state_lock();
	raise(SIGUSR1);
	wsac_state_unlock();
	_exit(handler_rc == SOCKET_ERROR && handler_code == WSAEINPROGRESS ? 0 : 1);
}

static void test_fork_and_signals(const struct sockaddr_in *live)
{
	WSAC_EXPECT_EQ(0, fork_while(hold_state_lock),
		       "7: fork while another thread holds the socket-state lock");
	WSAC_EXPECT_EQ(0, fork_while(hold_session),
		       "7: fork while another thread holds the startup lock");
	handler_target = *live;
	WSAC_EXPECT_EQ(0, run_child(handler_during_lock),
		       "7: WSAConnect from a handler that interrupted the locked library: "
		       "WSAEINPROGRESS, no deadlock");
}

/* 10. send() to a reset peer does not kill a Winsock program. */
static void send_to_reset_peer(void)
{
	struct linger lg = { 1, 0 };
	struct sockaddr_in addr;
	WSADATA wsa;
	int l, s, a, i;

	signal(SIGPIPE, SIG_DFL);
	l = listener_v4(&addr, 4);
	if (l < 0 || WSAStartup(MAKEWORD(2, 2), &wsa))
		_exit(97);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)))
		_exit(98);
	a = accept_within(l, 1000);
	setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(a);
	usleep(50 * 1000);
	/* The first send() reports the reset, the next ones EPIPE. */
	for (i = 0; i < 3; i++)
		(void)send(s, "x", 1, 0);
	_exit(WSAGetLastError() == WSAECONNRESET ? 0 : 1);
}

static void test_sigpipe(void)
{
	WSAC_EXPECT_EQ(0, run_child(send_to_reset_peer),
		       "10: send() to a reset peer after WSAStartup: WSAECONNRESET, no SIGPIPE");
}

/* 8. The smaller ones. */
static void test_small(void)
{
	WSAEVENT ev = WSACreateEvent();
	unsigned long off = 0;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	WSAC_EXPECT_EQ(WSAEFAULT, WSAStartup(MAKEWORD(2, 2), (LPWSADATA)16),
		       "8: WSAStartup with a bad lpWSAData: WSAEFAULT, no crash");
	EXPECT_FAILS_WITH(WSAEINVAL, WSAEventSelect(s, (WSAEVENT)&off, FD_READ),
			  "8: WSAEventSelect with a bad event");
	WSAC_EXPECT_EQ(0, fcntl(s, F_GETFL) & O_NONBLOCK, "8:   ... leaves the socket blocking");
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, ev, FD_READ), "8: WSAEventSelect");
	EXPECT_FAILS_WITH(WSAEINVAL, ioctlsocket(s, FIONBIO, &off),
			  "8: ioctlsocket(FIONBIO, 0) on an event-selected socket");
	WSAC_EXPECT_EQ(O_NONBLOCK, fcntl(s, F_GETFL) & O_NONBLOCK, "8:   ... stays nonblocking");
	WSAC_EXPECT_EQ(0, WSAEventSelect(s, NULL, 0), "8: mask 0");
	WSAC_EXPECT_EQ(0, ioctlsocket(s, FIONBIO, &off), "8:   ... then FIONBIO 0 is allowed");
	WSAC_EXPECT_EQ(WSAECONNRESET, wsac_errno_to_wsa(EPIPE), "8: EPIPE is WSAECONNRESET");
	closesocket(s);
	WSACloseEvent(ev);
}

void wsac_test_regress(void)
{
	struct sockaddr_in live;
	WSADATA wsa;
	int listener = listener_v4(&live, 16);

	wsac_fake_reset();
	if (!wsac_tap(listener >= 0 && !WSAStartup(MAKEWORD(2, 2), &wsa),
		      "loopback listener and WSAStartup for the regressions"))
		return;
	test_no_data_loss(listener, &live);
	test_byname_refusals();
	test_probe(listener, &live);
	test_sticky_code();
	test_interrupted_connect();
	test_fd_write();
	test_fork_and_signals(&live);
	test_sigpipe();
	test_small();
	WSACleanup();
	close(listener);
}
