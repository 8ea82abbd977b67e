// SPDX-License-Identifier: GPL-2.0
/*
 * Winsock 1.1's WSAEINPROGRESS: "a blocking Windows Sockets call is in
 * progress".  On Linux the only way one thread can enter the library while
 * it is already inside is a signal handler interrupting a call; the inner
 * call is refused rather than run on a socket the outer call is changing.
 */
#include <signal.h>

#include "internal.h"

static WSAC_TLS volatile sig_atomic_t wsac_in_call;

/* Return: true if the thread may proceed; false if a call is in progress. */
bool wsac_call_enter(void)
{
	if (wsac_in_call)
		return false;
	/*
	 * A handler running between the test and the store finds 0, completes
	 * its own call and leaves 0 behind before we store 1: no lost update.
	 */
	wsac_in_call = 1;
	return true;
}

void wsac_call_leave(void)
{
	wsac_in_call = 0;
}
