// SPDX-License-Identifier: GPL-2.0
/*
 * wsaconnect: Winsock WSAConnect semantics for Linux TCP, UDP and AF_UNIX
 * stream sockets.
 *
 * The module serves /dev/wsaconnect.  Its commands take a socket file
 * descriptor of the calling process and report what only the kernel can see
 * consistently; libwsaconnect then issues the caller's own syscalls.  See
 * Documentation/design.rst for why the module never connects a socket.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "qos.h"
#include "wsaconnect.h"
#include "uaccess.h"

static long wsac_ioctl_version(void __user *arg)
{
	struct wsac_version ver;
	u32 usize;
	int err;

	err = wsac_copy_req_from_user(&ver, sizeof(ver), WSAC_VERSION_SIZE_VER0,
				      arg, &usize);
	if (err)
		return err;
	if (ver.abi_major || ver.abi_minor || ver.reserved || ver.features)
		return -EINVAL;

	ver.abi_major = WSAC_ABI_MAJOR;
	ver.abi_minor = WSAC_ABI_MINOR;
	ver.features = WSAC_FEAT_CONNECT_CHECK | WSAC_FEAT_DGRAM_PURGE |
		       WSAC_FEAT_QOS;
	return wsac_copy_reply_to_user(arg, &ver, sizeof(ver), usize);
}

static long wsac_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case WSAC_IOC_VERSION:
		return wsac_ioctl_version(uarg);
	case WSAC_IOC_CONNECT_CHECK:
		return wsac_ioctl_connect_check(uarg);
	case WSAC_IOC_DGRAM_PURGE:
		return wsac_ioctl_dgram_purge(uarg);
	case WSAC_IOC_QOS_SET:
		return wsac_ioctl_qos_set(uarg);
	case WSAC_IOC_QOS_GET:
		return wsac_ioctl_qos_get(uarg);
	case WSAC_IOC_QOS_ADMIT:
		return wsac_ioctl_qos_admit(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations wsac_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= wsac_ioctl,
	/* Every command takes a pointer to a struct laid out alike on i386. */
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/*
 * World-accessible: every command acts only on sockets the caller already
 * holds a descriptor for, and never with more privilege than the caller's.
 */
static struct miscdevice wsac_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= WSAC_DEVICE_NAME,
	.fops	= &wsac_fops,
	.mode	= 0666,
};

static int __init wsac_init(void)
{
	int err;

	err = wsac_adm_init();
	if (err)
		return err;
	err = wsac_qos_state_init();
	if (err) {
		pr_err("cannot register TCP ULP \"%s\": %d\n", WSAC_TCP_ULP_NAME, err);
		goto err_adm;
	}
	err = wsac_qos_proc_init();
	if (err)
		goto err_state;
	err = misc_register(&wsac_miscdev);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n", WSAC_DEVICE_NAME, err);
		goto err_proc;
	}
	pr_debug("ABI %u.%u ready\n", WSAC_ABI_MAJOR, WSAC_ABI_MINOR);
	return 0;

err_proc:
	wsac_qos_proc_exit();
err_state:
	wsac_qos_state_exit();
err_adm:
	wsac_adm_exit();
	return err;
}

/*
 * Every socket carrying QoS holds a module reference, so by now none is
 * left; the last UDP states may still be queued for freeing.
 */
static void __exit wsac_exit(void)
{
	misc_deregister(&wsac_miscdev);
	wsac_qos_proc_exit();
	wsac_qos_state_exit();
	wsac_adm_exit();
}

module_init(wsac_init);
module_exit(wsac_exit);

MODULE_DESCRIPTION("Winsock WSAConnect semantics for Linux sockets");
MODULE_LICENSE("GPL");
