/* SPDX-License-Identifier: GPL-2.0 */
/* <MSTcpIP.h>, as Windows programs spell it: the same header as <mstcpip.h>. */
#include "mstcpip.h"
