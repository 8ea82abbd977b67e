/* SPDX-License-Identifier: GPL-2.0 */
/* <WS2def.h>, as Windows programs spell it: the same header as <ws2def.h>. */
#include "ws2def.h"
