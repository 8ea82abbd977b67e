/* SPDX-License-Identifier: GPL-2.0 */
/* <Mswsock.h>, as Windows programs spell it: the same header as <mswsock.h>. */
#include "mswsock.h"
