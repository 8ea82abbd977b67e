/* SPDX-License-Identifier: GPL-2.0 */
/* <MSWSock.h>, as Windows programs spell it: the same header as <mswsock.h>. */
#include "mswsock.h"
