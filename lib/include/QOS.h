/* SPDX-License-Identifier: GPL-2.0 */
/* <QOS.h>, as Windows programs spell it: the same header as <qos.h>. */
#include "qos.h"
