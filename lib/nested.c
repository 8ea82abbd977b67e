// SPDX-License-Identifier: GPL-2.0
/*
 * Winsock 1.1's WSAEINPROGRESS: "a blocking Windows Sockets call is in
 * progress".  On Linux the only way one thread can enter the library while
 * it is already inside is a signal handler interrupting a call.  A handler
 * may call WSAConnect() (and WSAConnectByNameA/ByList); if it interrupted
 * any library call of its thread, the inner call is refused rather than
 * run on a socket the outer call is changing, or deadlock on a lock or in
 * malloc() the outer call holds.
 *
 * wsac_depth counts the library calls (and critical sections) the thread
 * is in.  A handler running between the load and the store of ++ or --
 * completes its own enter/leave pair and leaves the value as it found it:
 * no lost update.
 */
#include <signal.h>

#include "internal.h"

static WSAC_TLS volatile sig_atomic_t wsac_depth;

/* Return: true if the thread may proceed; false if a call is in progress. */
bool wsac_call_enter(void)
{
	if (wsac_depth)
		return false;
	wsac_depth = wsac_depth + 1;
	return true;
}

void wsac_call_leave(void)
{
	wsac_depth = wsac_depth - 1;
}

/* A call (or a section) a handler's WSAConnect must not interrupt. */
void wsac_busy_enter(void)
{
	wsac_depth = wsac_depth + 1;
}

void wsac_busy_leave(void)
{
	wsac_depth = wsac_depth - 1;
}
