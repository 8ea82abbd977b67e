/* SPDX-License-Identifier: GPL-2.0 */
/* <WS2tcpip.h>, as Windows programs spell it: the same header as <ws2tcpip.h>. */
#include "ws2tcpip.h"
