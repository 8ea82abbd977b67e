/* SPDX-License-Identifier: GPL-2.0 */
/* <Winsock2.h>, as Windows programs spell it: the same header as <winsock2.h>. */
#include "winsock2.h"
