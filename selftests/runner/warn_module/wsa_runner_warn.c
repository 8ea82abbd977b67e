// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only module for the VM runner's self-test: its init warns once, as
 * a buggy module would, and still loads.  scripts/vm-run must notice the
 * WARNING in the kernel log and fail the run.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init wsa_runner_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit wsa_runner_warn_exit(void)
{
}

module_init(wsa_runner_warn_init);
module_exit(wsa_runner_warn_exit);

MODULE_DESCRIPTION("Warns once at load, to test that vm-run catches kernel splats");
MODULE_LICENSE("GPL");
