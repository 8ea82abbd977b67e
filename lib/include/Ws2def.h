/* SPDX-License-Identifier: GPL-2.0 */
/* <Ws2def.h>, as Windows programs spell it: the same header as <ws2def.h>. */
#include "ws2def.h"
