/* SPDX-License-Identifier: GPL-2.0 */
/* <Qossp.h>, as Windows programs spell it: the same header as <qossp.h>. */
#include "qossp.h"
