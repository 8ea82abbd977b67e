/* SPDX-License-Identifier: GPL-2.0 */
/* <WSPiApi.h>, as Windows programs spell it: the same header as <wspiapi.h>. */
#include "wspiapi.h"
