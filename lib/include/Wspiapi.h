/* SPDX-License-Identifier: GPL-2.0 */
/* <Wspiapi.h>, as Windows programs spell it: the same header as <wspiapi.h>. */
#include "wspiapi.h"
