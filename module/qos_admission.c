// SPDX-License-Identifier: GPL-2.0
/*
 * Admission control for Guaranteed flows, per network namespace and egress
 * device, and the namespace's /proc/net file:
 *
 *   /proc/net/wsaconnect_admission  capacity and reservations per device;
 *                                   "IFNAME BYTES_PER_SEC" or "IFNAME none"
 *                                   written by CAP_NET_ADMIN sets or drops
 *                                   a device's capacity
 *
 * A device without a capacity admits every flow; its reservations are
 * still counted so that a capacity set later is shown against them.  A
 * device's capacity goes when the device is unregistered (deleted, or
 * moved to another namespace): it never applies to a later device that
 * gets the same index.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "qos.h"

/**
 * struct wsac_adm_link - admission accounting of one egress device
 * @node: in &wsac_adm_net.links
 * @ifindex: the device
 * @capacity: bytes/s Guaranteed flows may reserve, %WSAC_RATE_NONE if unset
 * @reserved: bytes/s reserved by admitted sockets
 * @sockets: admitted sockets
 */
struct wsac_adm_link {
	struct list_head node;
	int ifindex;
	u64 capacity;
	u64 reserved;
	u32 sockets;
};

struct wsac_adm_net {
	spinlock_t lock;		/* protects links and their counters */
	struct list_head links;
};

static unsigned int wsac_adm_net_id;

static struct wsac_adm_net *wsac_adm_net(struct net *net)
{
	return net_generic(net, wsac_adm_net_id);
}

static struct wsac_adm_link *wsac_adm_find(struct wsac_adm_net *an, int ifindex)
{
	struct wsac_adm_link *l;

	list_for_each_entry(l, &an->links, node)
		if (l->ifindex == ifindex)
			return l;
	return NULL;
}

static void wsac_adm_put_link(struct wsac_adm_link *l)
{
	if (!l->sockets && l->capacity == WSAC_RATE_NONE) {
		list_del(&l->node);
		kfree(l);
	}
}

/**
 * wsac_adm_reserve() - admit a Guaranteed flow on a device
 * @net: the socket's network namespace
 * @ifindex: the egress device
 * @rate: bytes/s to reserve, %WSAC_RATE_NONE for an unbounded flow
 * @credit: bytes/s the same socket already holds on @ifindex and gives back
 *	once this succeeds (a changed QoS must not compete with itself);
 *	%WSAC_RATE_NONE, an unbounded reservation, added nothing to the
 *	device's reserved bytes and so gives nothing back
 * @commit: reserve; otherwise only say whether @rate would be admitted
 *
 * Return: 0 when admitted (with @commit the reservation is held until
 * wsac_adm_release() with the same @rate), -EOPNOTSUPP when @rate does not
 * fit the device's remaining capacity, or -ENOMEM.
 */
int wsac_adm_reserve(struct net *net, int ifindex, u64 rate, u64 credit,
		     bool commit)
{
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_link *l, *fresh;
	u64 used;
	int err = 0;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	spin_lock_bh(&an->lock);
	l = wsac_adm_find(an, ifindex);
	if (!l) {
		l = fresh;
		fresh = NULL;
		l->ifindex = ifindex;
		l->capacity = WSAC_RATE_NONE;
		list_add_tail(&l->node, &an->links);
	}
	if (credit == WSAC_RATE_NONE)
		credit = 0;
	used = l->reserved - min(credit, l->reserved);
	if (l->capacity != WSAC_RATE_NONE &&
	    (rate == WSAC_RATE_NONE || rate > l->capacity ||
	     used > l->capacity - rate))
		err = -EOPNOTSUPP;
	if (!err && commit) {
		if (rate != WSAC_RATE_NONE)
			l->reserved += rate;
		l->sockets++;
	}
	wsac_adm_put_link(l);
	spin_unlock_bh(&an->lock);
	kfree(fresh);
	return err;
}

/**
 * wsac_adm_release() - give back what wsac_adm_reserve() admitted
 * @net: the namespace passed to wsac_adm_reserve()
 * @ifindex: the device passed to wsac_adm_reserve()
 * @rate: the rate passed to wsac_adm_reserve()
 *
 * Callable from any context, including a socket's destructor.
 */
void wsac_adm_release(struct net *net, int ifindex, u64 rate)
{
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_link *l;

	spin_lock_bh(&an->lock);
	l = wsac_adm_find(an, ifindex);
	if (!WARN_ON_ONCE(!l || !l->sockets)) {
		if (rate != WSAC_RATE_NONE)
			l->reserved -= min(rate, l->reserved);
		l->sockets--;
		wsac_adm_put_link(l);
	}
	spin_unlock_bh(&an->lock);
}

static int wsac_adm_show(struct seq_file *m, void *v)
{
	struct net *net = seq_file_single_net(m);
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_link *l;
	struct net_device *dev;

	seq_puts(m, "device ifindex capacity reserved sockets\n");
	rcu_read_lock();
	spin_lock_bh(&an->lock);
	list_for_each_entry(l, &an->links, node) {
		dev = dev_get_by_index_rcu(net, l->ifindex);
		seq_printf(m, "%s %d ", dev ? dev->name : "-", l->ifindex);
		if (l->capacity == WSAC_RATE_NONE)
			seq_puts(m, "none");
		else
			seq_printf(m, "%llu", l->capacity);
		seq_printf(m, " %llu %u\n", l->reserved, l->sockets);
	}
	spin_unlock_bh(&an->lock);
	rcu_read_unlock();
	return 0;
}

/*
 * One line, "IFNAME BYTES_PER_SEC" or "IFNAME none", with an optional
 * newline: *@name and the return value point into @buf.  A name that is
 * not a valid device name (16 characters or more included), a missing
 * value and anything after the value are refused rather than guessed at.
 */
static int wsac_adm_parse(char *buf, char **name, u64 *capacity)
{
	char *value;

	buf = strim(buf);
	value = strpbrk(buf, " \t");
	if (!value)
		return -EINVAL;
	*value++ = '\0';
	value = skip_spaces(value);
	if (!*value || strpbrk(value, " \t\n") || !dev_valid_name(buf))
		return -EINVAL;
	*name = buf;
	if (!strcmp(value, "none")) {
		*capacity = WSAC_RATE_NONE;
		return 0;
	}
	if (kstrtou64(value, 0, capacity) || *capacity == WSAC_RATE_NONE)
		return -EINVAL;
	return 0;
}

/*
 * The device is looked up and its capacity set under RTNL, which the
 * NETDEV_UNREGISTER notifier runs under too: a capacity is never attached
 * to the index of a device already gone, which a later device could get.
 */
static int wsac_adm_write(struct file *file, char *buf, size_t size)
{
	struct net *net = seq_file_single_net(file->private_data);
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_link *l, *fresh;
	struct net_device *dev;
	u64 capacity;
	char *name;
	int err;

	if (!file_ns_capable(file, net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	err = wsac_adm_parse(buf, &name, &capacity);
	if (err)
		return err;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	err = wsac_rtnl_lock_killable();
	if (err)
		goto out;
	dev = __dev_get_by_name(net, name);
	if (!dev) {
		err = -ENODEV;
		goto unlock;
	}
	spin_lock_bh(&an->lock);
	l = wsac_adm_find(an, dev->ifindex);
	if (!l && capacity != WSAC_RATE_NONE) {
		l = fresh;
		fresh = NULL;
		l->ifindex = dev->ifindex;
		list_add_tail(&l->node, &an->links);
	}
	if (l) {
		/* Sockets admitted before keep their reservation. */
		l->capacity = capacity;
		wsac_adm_put_link(l);
	}
	spin_unlock_bh(&an->lock);
unlock:
	rtnl_unlock();
out:
	kfree(fresh);
	return err;
}

/*
 * Drop the capacity of a device leaving its namespace.  Reservations stay
 * counted under its index until the sockets holding them are destroyed,
 * since wsac_adm_release() finds them by index.
 */
static int wsac_adm_netdev_event(struct notifier_block *nb, unsigned long event,
				 void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct wsac_adm_net *an;
	struct wsac_adm_link *l;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	an = wsac_adm_net(dev_net(dev));
	spin_lock_bh(&an->lock);
	l = wsac_adm_find(an, dev->ifindex);
	if (l) {
		l->capacity = WSAC_RATE_NONE;
		wsac_adm_put_link(l);
	}
	spin_unlock_bh(&an->lock);
	return NOTIFY_DONE;
}

static struct notifier_block wsac_adm_netdev_nb = {
	.notifier_call = wsac_adm_netdev_event,
};

static int __net_init wsac_adm_net_init(struct net *net)
{
	struct wsac_adm_net *an = wsac_adm_net(net);

	spin_lock_init(&an->lock);
	INIT_LIST_HEAD(&an->links);
	if (!proc_create_net_single_write("wsaconnect_admission", 0644,
					  net->proc_net, wsac_adm_show,
					  wsac_adm_write, NULL))
		return -ENOMEM;
	return 0;
}

static void __net_exit wsac_adm_net_exit(struct net *net)
{
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_link *l, *tmp;

	remove_proc_entry("wsaconnect_admission", net->proc_net);
	/* Sockets hold their namespace: only capacities without users remain. */
	list_for_each_entry_safe(l, tmp, &an->links, node) {
		WARN_ON_ONCE(l->sockets);
		list_del(&l->node);
		kfree(l);
	}
}

static struct pernet_operations wsac_adm_net_ops = {
	.init	= wsac_adm_net_init,
	.exit	= wsac_adm_net_exit,
	.id	= &wsac_adm_net_id,
	.size	= sizeof(struct wsac_adm_net),
};

int wsac_adm_init(void)
{
	int err;

	err = register_pernet_subsys(&wsac_adm_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&wsac_adm_netdev_nb);
	if (err)
		unregister_pernet_subsys(&wsac_adm_net_ops);
	return err;
}

void wsac_adm_exit(void)
{
	unregister_netdevice_notifier(&wsac_adm_netdev_nb);
	unregister_pernet_subsys(&wsac_adm_net_ops);
}
