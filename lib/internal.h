/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libwsaconnect internals shared between its source files.  Everything
 * here has hidden visibility (-fvisibility=hidden); WSAC_EXPORT marks the
 * Winsock entry points, the only symbols the shared library exports.
 */
#ifndef WSACONNECT_INTERNAL_H
#define WSACONNECT_INTERNAL_H

#include <winsock2.h>
#include <linux/wsaconnect.h>

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WSAC_EXPORT	__attribute__((visibility("default")))

/*
 * initial-exec TLS: these are touched from signal handlers (a WSAConnect
 * interrupted by a handler that calls WSAConnect), where the lazy
 * allocation of dynamic TLS would not be async-signal-safe.
 */
#define WSAC_TLS	__thread __attribute__((tls_model("initial-exec")))

#define WSAC_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Environment: the device to open, and whether to explain failures. */
#define WSAC_ENV_DEVICE		"WSACONNECT_DEVICE"
#define WSAC_ENV_VERBOSE	"WSACONNECT_VERBOSE"
#define WSAC_ENV_SIGPIPE	"WSACONNECT_SIGPIPE"
#define WSAC_DEFAULT_DEVICE	"/dev/" WSAC_DEVICE_NAME

/* error.c */
int wsac_errno_to_wsa(int err);
int wsac_connect_errno_to_wsa(int err);
int wsac_fail(int wsa_code, int err);
int wsac_socket_fd_check(SOCKET s);
int wsac_socket_call_check(SOCKET s);
int wsac_code_errno(int wsa_code);
int wsac_fail_errno(int err);
int wsac_set_nonblocking(SOCKET s, int on);
int wsac_queued_bytes(SOCKET s, unsigned long *n);

/* startup.c: a reference on the started library, for one call. */
struct wsac_session {
	int devfd;		/* the open /dev/wsaconnect */
	WORD version;		/* negotiated by the first WSAStartup */
	unsigned long long features;	/* WSAC_FEAT_* of the module */
};
bool wsac_started(void);
int wsac_session_get(struct wsac_session *session);
void wsac_session_put(void);

/* device.c */
int wsac_device_open(char *reason, size_t reason_size, unsigned long long *features);

/* devioctl.c: the only place the module is called (a seam for tests). */
int wsac_dev_ioctl(int devfd, unsigned long request, void *arg);

/* probe.c */
int wsac_copy_from_caller(void *dst, const void *src, size_t len);
int wsac_copy_to_caller(void *dst, const void *src, size_t len);
void wsac_probe_recheck(void);

/* connect.c: WSAConnect's logic, for WSAConnectByNameA/ByList. */
int wsac_connect(SOCKET s, const struct sockaddr *name, int namelen,
		 LPWSABUF caller, LPWSABUF callee, LPQOS sqos, LPQOS gqos);
/* A connect(2) errno whose failure Winsock reports later, not at once. */
bool wsac_connect_error_deferred(int err);
/* connect(2) again on a blocking stream socket until the attempt ends. */
int wsac_connect_to_the_end(SOCKET s, const struct wsac_connect_check *req,
			    socklen_t len);

/*
 * connectdata.c: caller data in the SYN (TCP Fast Open), callee data back.
 * The most caller data one SYN carries on a 1280-byte-MTU path: 1280 - 40
 * (IPv6 header) - 20 (TCP header) - 40 (the option space Linux reserves in
 * a SYN with data).  Documentation/connect-data.rst.
 */
#define WSAC_CONNECT_DATA_MAX		1180
/* How long a blocking WSAConnect waits for callee data without SO_RCVTIMEO. */
#define WSAC_CALLEE_TIMEOUT_MS		3000
#define WSAC_ENV_CALLEE_TIMEOUT		"WSACONNECT_CALLEE_TIMEOUT_MS"
int wsac_callee_timeout_ms(SOCKET s);
void wsac_tfo_reset(SOCKET s, int fastopen_connect, int no_cookie);
int wsac_read_callee(SOCKET s, LPWSABUF user, const WSABUF *callee, int *err);
int wsac_connect_data(SOCKET s, const struct wsac_connect_check *req, socklen_t len,
		      const char *data, size_t n, LPWSABUF user, const WSABUF *callee,
		      int *err);

/*
 * sockstate.c: what the library remembers per socket, keyed by descriptor
 * and checked against the socket's inode so a reused number starts fresh.
 */
void wsac_sock_forget(SOCKET s);
bool wsac_sock_attempt(SOCKET s, int *fastopen_connect, int *no_cookie);
void wsac_sock_attempt_done(SOCKET s, int err, int wsa_code);
void wsac_sock_tfo_keep(SOCKET s, int fastopen_connect, int no_cookie);
int wsac_sock_conn_error(SOCKET s, short revents);
void wsac_sock_disconnect(SOCKET s);

/* wsasocket.c: the WSAEnumProtocols entry of a socket, narrow and wide. */
int wsac_socket_info(SOCKET s, WSAPROTOCOL_INFOA *out);
void wsac_info_widen(const WSAPROTOCOL_INFOA *in, WSAPROTOCOL_INFOW *out);

/* event.c */
struct wsac_event;
struct wsac_event *wsac_event_lookup_locked(WSAEVENT ev);
void wsac_event_set_locked(struct wsac_event *ev);
void wsac_event_reset_locked(struct wsac_event *ev);
int wsac_event_fd(const struct wsac_event *ev);

/* sockstate.c: the table and its network-event evaluation (lock held). */
struct wsac_sock {
	bool used;
	int fd;
	struct wsac_sock *sel_prev, *sel_next;	/* on the selected list */
	struct wsac_sock *re_prev, *re_next;	/* on the recheck list */
	dev_t dev;
	ino_t ino;
	bool attempted;		/* WSAConnect started an attempt on it */
	bool connecting;	/* ... whose outcome is not known yet */
	bool conn_reported;	/* FD_CONNECT recorded for this attempt */
	bool was_connected;
	bool write_armed;	/* FD_WRITE may be recorded when writable */
	bool close_reported;
	bool read_seen;		/* FD_READ (FD_ACCEPT) recorded, at rd_sig */
	bool recheck;		/* on the recheck list */
	bool wr_registered;	/* in the write-edge epoll set */
	unsigned int edges;	/* WSAC_EDGE_*: wake-ups not evaluated yet */
	uint64_t rd_sig, wr_sig;	/* what FD_READ/FD_WRITE last saw */
	int conn_error;		/* WSAE* of the failed attempt, until a new one */
	bool tfo_saved;		/* the caller's TFO options, while ours are set */
	int tfo_connect, tfo_no_cookie;
	bool exclusive;		/* SO_EXCLUSIVEADDRUSE as the program set it */
	bool cond_accept;	/* SO_CONDITIONAL_ACCEPT, likewise */
	struct wsac_event *ev;	/* WSAEventSelect association */
	LONG mask;
	LONG pending;		/* the network event record */
	int errors[FD_MAX_EVENTS];
};
/* Kinds of wake-up an epoll set reported for a socket. */
#define WSAC_EDGE_RD	1U	/* data, a connection, a state change */
#define WSAC_EDGE_WR	2U	/* send buffer space freed */
void wsac_state_lock(void);
void wsac_state_unlock(void);
void wsac_state_fork_prepare(void);
void wsac_state_fork_done(void);
void wsac_state_fork_child(void);
struct wsac_sock *wsac_sock_get_locked(SOCKET s, bool create);
void wsac_sock_eval_locked(SOCKET s, struct wsac_sock *e, short revents, unsigned int edges);
void wsac_sock_eval_now_locked(struct wsac_sock *e, unsigned int edges);
void wsac_sock_drop_event_locked(const struct wsac_event *ev);
int wsac_sock_select_locked(struct wsac_sock *e, struct wsac_event *ev, LONG mask);
void wsac_sock_drain_locked(struct wsac_event *const *evs, size_t n);
bool wsac_sock_recheck_locked(struct wsac_event *const *evs, size_t n, bool eval);
int wsac_sock_write_epoll_locked(bool create);
void wsac_wake_waiters_locked(const struct wsac_event *ev);
/* What poll(2) should watch on an evaluated, event-selected socket. */
#define WSAC_EVAL_EVENTS	(POLLIN | POLLOUT | POLLPRI | POLLRDHUP)

/* event.c: the epoll set of @ev's sockets (-1 if none); made on demand. */
int wsac_event_epoll_locked(struct wsac_event *ev, bool create);

/* qosobj.c: QOS buffers between Winsock's layout and the module's. */
int wsac_qos_flatten(const QOS *qos, int family, struct wsac_qos *req);
size_t wsac_qos_unflatten(const struct wsac_qos *rep, void *out, size_t size,
			  uintptr_t user);

/* qosplan.c: SIO_SET_QOS / WSAConnect(lpSQOS), SIO_GET_QOS, admission. */
int wsac_qos_set(const struct wsac_session *ses, SOCKET s,
		 const struct wsac_qos *req, const char *call, int *err);
int wsac_qos_get(const struct wsac_session *ses, SOCKET s,
		 struct wsac_qos *rep, const char *call, int *err);
int wsac_qos_admit(const struct wsac_session *ses, SOCKET s,
		   const void *addr, socklen_t addrlen, int *err);

/* qosreason.c: why the calling thread's last QoS request was refused. */
void wsac_qos_reason_clear(void);
void wsac_qos_note(const char *call, unsigned int reason, unsigned int ifindex);
void wsac_qos_note_text(const char *call, unsigned int reason, const char *text);
unsigned int wsac_qos_last_reason(void);
const char *wsac_qos_last_text(void);

/* accept.c: a closed listener's deferred connection is reset. */
void wsac_accept_forget(SOCKET s);
/* accept.c: does listener @fd hold a connection WSAAccept deferred? */
bool wsac_accept_has_deferred(int fd);

/* wsaext.c: the WSAIoctl codes beyond QoS; -2 if @code is not one. */
int wsac_ioctl_ext(SOCKET s, DWORD code, LPVOID in, DWORD cbin, LPVOID out,
		   DWORD cbout, LPDWORD returned);

/* wsaext.c: FD_QOS for @s, after the QoS in force on it changed. */
void wsac_note_qos_change(SOCKET s);

/* nested.c: Winsock 1.1's "a blocking call is in progress". */
bool wsac_call_enter(void);
void wsac_call_leave(void);
void wsac_busy_enter(void);
void wsac_busy_leave(void);

#endif /* WSACONNECT_INTERNAL_H */
