/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QoS inside wsaconnect.ko: the policy (FLOWSPEC to socket options), the
 * state each socket carries, the egress checks and admission control.
 * See Documentation/qos.rst.
 */
#ifndef _WSACONNECT_QOS_H
#define _WSACONNECT_QOS_H

#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/socket.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wsaconnect.h>

struct net;
struct sock;
struct socket;

/* Winsock SERVICETYPE values (low 16 bits of FLOWSPEC.ServiceType). */
#define WSAC_ST_NOTRAFFIC		0x0
#define WSAC_ST_BESTEFFORT		0x1
#define WSAC_ST_CONTROLLEDLOAD		0x2
#define WSAC_ST_GUARANTEED		0x3
#define WSAC_ST_NETWORK_UNAVAILABLE	0x4
#define WSAC_ST_GENERAL_INFORMATION	0x5
#define WSAC_ST_NOCHANGE		0x6
#define WSAC_ST_NONCONFORMING		0x9
#define WSAC_ST_NETWORK_CONTROL		0xa
#define WSAC_ST_QUALITATIVE		0xd
#define WSAC_ST_TYPE_MASK		0x0000ffffU

/* SERVICE_* flag bits that may accompany a service type. */
#define WSAC_SERVICE_PREFIX		0x80000000U
#define WSAC_SERVICE_NO_TRAFFIC_CONTROL	0x01000000U
#define WSAC_SERVICE_NO_QOS_SIGNALING	0x40000000U
#define WSAC_SERVICE_TYPE_BITS		0x00270000U
#define WSAC_SERVICE_FLAGS_KNOWN	(WSAC_SERVICE_PREFIX | \
					 WSAC_SERVICE_NO_TRAFFIC_CONTROL | \
					 WSAC_SERVICE_NO_QOS_SIGNALING | \
					 WSAC_SERVICE_TYPE_BITS)

/* QOS_SD_MODE values (TC_NONCONF_*). */
#define WSAC_NONCONF_BORROW		0
#define WSAC_NONCONF_SHAPE		1
#define WSAC_NONCONF_DISCARD		2
#define WSAC_NONCONF_BORROW_PLUS	3

#define WSAC_RATE_NONE			U64_MAX

/**
 * struct wsac_qos_policy - a QoS request turned into what Linux can do
 * @sending: the sending flowspec, NOCHANGE resolved
 * @receiving: the receiving flowspec, NOCHANGE resolved
 * @has_send: @sending is set (not NOCHANGE without a previous one)
 * @has_recv: @receiving is set
 * @pacing_rate: SO_MAX_PACING_RATE in bytes/s, %WSAC_RATE_NONE for no cap
 * @admit_rate: bytes/s a Guaranteed flow reserves (%WSAC_RATE_NONE for an
 *	unbounded one), 0 when admission control does not apply
 * @tos: IP_TOS / IPV6_TCLASS byte
 * @priority: SO_PRIORITY
 * @rcvbuf: SO_RCVBUF argument, 0 to leave the receive buffer alone
 * @netctl: the sending service is NetworkControl
 * @dest: QOS_OBJECT_DESTADDR's address, when @destlen is not 0
 * @destlen: length of @dest
 * @objects_len: bytes of the request's objects to record
 */
struct wsac_qos_policy {
	struct wsac_flowspec sending;
	struct wsac_flowspec receiving;
	bool has_send;
	bool has_recv;
	u64 pacing_rate;
	u64 admit_rate;
	u32 tos;
	u32 priority;
	u32 rcvbuf;
	bool netctl;
	struct sockaddr_storage dest;
	u32 destlen;
	u32 objects_len;
};

/**
 * struct wsac_qos_state - the QoS a socket carries
 * @node: in the namespace's table, keyed by @sk (qos_state.c)
 * @sk: the socket; the state lives exactly as long as it does
 * @ino: the socket's inode number, for the administrator's view
 * @rcu: frees the state after /proc readers and lookups are done with it
 * @orig_destruct: a UDP socket's own sk_destruct, called by ours
 * @objects: the recorded QoS objects, as given, @objects_len bytes of
 *	them (NULL without any)
 * @pacing_rate: the cap the policy asked for (%WSAC_RATE_NONE for none)
 * @admit_rate: bytes/s the policy needs admitted, 0 if none
 * @reserved: bytes/s held on @ifindex by admission control
 * @sending: recorded sending flowspec
 * @receiving: recorded receiving flowspec
 * @lock: held by qos_state.c while the fields change, so that a /proc
 *	reader sees one record; writers also hold the socket lock
 * @objects_len: bytes in @objects
 * @pacing: enum wsac_pacing found on @ifindex
 * @set: a QoS was committed
 * @held: admission control holds @reserved on @ifindex for this socket,
 *	charged to @uid
 * @admitted: the egress checks passed on @ifindex
 * @ifindex: egress device of the last check, 0 if none yet
 * @uid: the user @reserved is charged to (the socket's owner when it was
 *	admitted: fchown(2) later does not move the charge)
 *
 * A state exists only for a socket whose QoS was committed: attaching the
 * TCP ULP allocates nothing.  It is kept small (at most 256 bytes, checked
 * by KUnit): what the socket needs after the commit, with the QoS objects,
 * rarely given, in an allocation of their own.
 */
struct wsac_qos_state {
	struct rhash_head node;
	struct sock *sk;
	unsigned long ino;
	struct rcu_head rcu;
	void (*orig_destruct)(struct sock *sk);
	u8 *objects;
	u64 pacing_rate;
	u64 admit_rate;
	u64 reserved;
	struct wsac_flowspec sending;
	struct wsac_flowspec receiving;
	spinlock_t lock;	/* see @lock above: qos_state.c only */
	u16 objects_len;
	u8 pacing;
	bool set;
	bool held;
	bool admitted;
	int ifindex;
	kuid_t uid;
};

/* The most a state may take: issue 14's goal for per-socket QoS memory. */
#define WSAC_QOS_STATE_MAX	256

/**
 * struct wsac_adm_req - one request to admission control
 * @ifindex: the egress device
 * @uid: the user to charge: the socket's owner (sk_uid) now
 * @exempt: the caller has CAP_NET_ADMIN over the socket's network
 *	namespace: the per-user share does not bound it (it is counted)
 * @rate: bytes/s to reserve, %WSAC_RATE_NONE for an unbounded flow
 * @credit: bytes/s the same socket already holds on @ifindex and gives
 *	back once this succeeds (a changed QoS must not compete with
 *	itself); %WSAC_RATE_NONE, an unbounded reservation, added nothing
 *	and so gives nothing back
 * @credit_uid: the user @credit is charged to; it counts towards @uid's
 *	share only if that is the same user
 */
struct wsac_adm_req {
	int ifindex;
	kuid_t uid;
	bool exempt;
	u64 rate;
	u64 credit;
	kuid_t credit_uid;
};

/**
 * struct wsac_qos_view - one line of /proc/net/wsaconnect_qos
 * @ino: the socket's inode number (0 never: kept from the commit)
 * @protocol: IPPROTO_TCP or IPPROTO_UDP
 * @family: AF_INET or AF_INET6
 * @state: the socket's sk_state (TCP_*)
 * @orphan: closed by every descriptor, not yet destroyed (draining)
 * @ifindex: egress device of the last check
 * @send_type: sending ServiceType
 * @send_rate: sending TokenRate
 * @recv_type: receiving ServiceType
 * @recv_rate: receiving TokenRate
 * @pacing_rate: sk_max_pacing_rate
 * @tos: IP TOS byte
 * @tclass: IPv6 traffic class
 * @priority: sk_priority
 * @rcvbuf: sk_rcvbuf
 * @reserved: bytes/s admitted
 * @pacing: enum wsac_pacing
 */
struct wsac_qos_view {
	unsigned long ino;
	int protocol;
	int family;
	int state;
	bool orphan;
	int ifindex;
	u32 send_type;
	u32 send_rate;
	u32 recv_type;
	u32 recv_rate;
	unsigned long pacing_rate;
	u32 tos;
	u32 tclass;
	u32 priority;
	int rcvbuf;
	u64 reserved;
	u32 pacing;
};

/* qos_policy.c: pure decisions, tested by KUnit */
int wsac_qos_policy(const struct wsac_qos *req, unsigned short family,
		    const struct wsac_qos_state *prev,
		    struct wsac_qos_policy *pol, u32 *reason);
u32 wsac_qos_objects_walk(const u8 *buf, u32 len, u64 *shaping,
			  u32 *sd_mode, struct sockaddr_storage *dest,
			  u32 *destlen, u32 *used);

/* qos_state.c: the only user of a state's lock and of the tables */
int wsac_qos_state_init(void);
void wsac_qos_state_exit(void);
bool wsac_qos_ulp_attached(const struct sock *sk);
struct wsac_qos_state *wsac_qos_state_get(struct sock *sk);
int wsac_qos_state_attach(struct socket *sock, struct wsac_qos_state **stp);
void wsac_qos_state_abandon(struct sock *sk, struct wsac_qos_state *st);
void wsac_qos_state_record(struct sock *sk, struct wsac_qos_state *st,
			   const struct wsac_qos_policy *pol, u8 *objects,
			   const struct wsac_adm_req *adm, u32 pacing);
void wsac_qos_state_route(struct sock *sk, struct wsac_qos_state *st,
			  const struct wsac_adm_req *adm, u32 pacing,
			  bool reserve);
void wsac_qos_state_snapshot(struct wsac_qos_state *st, struct wsac_qos *req);
void wsac_qos_state_walk_enter(struct net *net, struct rhashtable_iter *iter);
bool wsac_qos_state_view(struct net *net, struct wsac_qos_state *st,
			 struct wsac_qos_view *v);
void wsac_qos_state_count(struct net *net, unsigned int *ulp,
			  unsigned int *states);

/* qos_proc.c: /proc/net/wsaconnect_qos and the holders parameter */
int wsac_qos_proc_init(void);
void wsac_qos_proc_exit(void);

/* qos_egress.c */
int wsac_qos_egress(struct sock *sk, const struct sockaddr *dest, u32 destlen,
		    u32 tos, int *ifindex, u32 *pacing);

/* qos_admission.c */
int wsac_adm_init(void);
void wsac_adm_exit(void);
int wsac_adm_reserve(struct net *net, const struct wsac_adm_req *req,
		     bool commit);
void wsac_adm_release(struct net *net, int ifindex, kuid_t uid, u64 rate);

/* qos_ioctl.c */
long wsac_ioctl_qos_set(void __user *arg);
long wsac_ioctl_qos_get(void __user *arg);
long wsac_ioctl_qos_admit(void __user *arg);

#endif /* _WSACONNECT_QOS_H */
