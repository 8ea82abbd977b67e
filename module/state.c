// SPDX-License-Identifier: GPL-2.0
/*
 * Winsock's view of a socket's connection state, derived from the
 * socket_state of struct socket and the protocol state of struct sock.
 *
 * Linux and Winsock disagree on three transitions, which is why this is
 * read in the kernel under the socket lock rather than guessed from
 * userspace: connect(2) on a listener gives EISCONN (Winsock: WSAEINVAL),
 * connect(2) after a nonblocking connect completed returns 0 once
 * (Winsock: WSAEISCONN), and connect(2) after a nonblocking connect failed
 * reports the old error instead of starting a new attempt.
 */
#include <linux/net.h>
#include <net/tcp_states.h>

#include "wsaconnect.h"

static enum wsac_sock_state wsac_stream_state(socket_state ss, int tcp_state)
{
	if (tcp_state == TCP_LISTEN)
		return WSAC_STATE_LISTENING;

	switch (ss) {
	case SS_CONNECTING:
		if (tcp_state == TCP_SYN_SENT || tcp_state == TCP_SYN_RECV)
			return WSAC_STATE_CONNECTING;
		if (tcp_state == TCP_CLOSE)
			return WSAC_STATE_FAILED;
		return WSAC_STATE_CONNECTED;
	case SS_CONNECTED:
	case SS_DISCONNECTING:
		if (tcp_state == TCP_CLOSE)
			return WSAC_STATE_CLOSED;
		return WSAC_STATE_CONNECTED;
	default:
		if (tcp_state == TCP_CLOSE)
			return WSAC_STATE_UNCONNECTED;
		/* Linux's connect(2) calls any other state connected. */
		return WSAC_STATE_CONNECTED;
	}
}

/**
 * wsac_sock_state() - classify a socket the way Winsock does
 * @sock_type: SOCK_STREAM or SOCK_DGRAM
 * @ss: the socket_state of struct socket
 * @tcp_state: the TCP_* state of struct sock
 *
 * Return: the enum wsac_sock_state for the socket.
 */
enum wsac_sock_state wsac_sock_state(unsigned short sock_type,
				     socket_state ss, int tcp_state)
{
	if (sock_type == SOCK_DGRAM)
		return tcp_state == TCP_ESTABLISHED ? WSAC_STATE_CONNECTED :
						     WSAC_STATE_UNCONNECTED;
	return wsac_stream_state(ss, tcp_state);
}

/**
 * wsac_state_verdict() - may WSAConnect proceed on a socket in this state?
 * @state: the socket's enum wsac_sock_state
 * @sock_type: SOCK_STREAM or SOCK_DGRAM
 *
 * A datagram socket may always be connected again: that changes or
 * removes its default peer.
 *
 * Return: 0 to proceed, else the negative errno WSAConnect fails with.
 */
int wsac_state_verdict(enum wsac_sock_state state, unsigned short sock_type)
{
	if (sock_type == SOCK_DGRAM)
		return 0;

	switch (state) {
	case WSAC_STATE_UNCONNECTED:
	case WSAC_STATE_FAILED:
		return 0;
	case WSAC_STATE_CONNECTING:
		return -EALREADY;
	case WSAC_STATE_LISTENING:
		return -EINVAL;
	case WSAC_STATE_CONNECTED:
	case WSAC_STATE_CLOSED:
	default:
		return -EISCONN;
	}
}
