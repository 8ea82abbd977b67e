/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of wsaconnect.ko.  Nothing here is user-visible: the
 * user contract is uapi/linux/wsaconnect.h.
 */
#ifndef _WSACONNECT_INTERNAL_H
#define _WSACONNECT_INTERNAL_H

#include <linux/net.h>
#include <linux/types.h>
#include <linux/wsaconnect.h>

/* Largest request struct accepted from userspace, whatever its version. */
#define WSAC_MAX_REQ_SIZE	4096

int wsac_addr_verdict(unsigned short sock_family, unsigned short sock_type,
		      const u8 *addr, u32 addrlen, u32 *action);
unsigned int wsac_addr_min_len(unsigned short family);
enum wsac_sock_state wsac_sock_state(unsigned short sock_type,
				     socket_state ss, int tcp_state);
int wsac_state_verdict(enum wsac_sock_state state, unsigned short sock_type);
int wsac_check_socket(struct socket *sock, struct wsac_connect_check *req);

long wsac_ioctl_connect_check(void __user *arg);

struct sock;
int wsac_dgram_purge(struct sock *sk, struct wsac_dgram_purge *req);
long wsac_ioctl_dgram_purge(void __user *arg);

#endif /* _WSACONNECT_INTERNAL_H */
