/* SPDX-License-Identifier: GPL-2.0 */
/* <Mstcpip.h>, as Windows programs spell it: the same header as <mstcpip.h>. */
#include "mstcpip.h"
