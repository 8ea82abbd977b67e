// SPDX-License-Identifier: GPL-2.0
/*
 * Admission control for Guaranteed flows, per network namespace and egress
 * device, and the namespace's /proc/net files:
 *
 *   /proc/net/wsaconnect_admission  capacity and reservations per device;
 *                                   "IFNAME BYTES_PER_SEC [SHARE%]" or
 *                                   "IFNAME none" written by CAP_NET_ADMIN
 *                                   sets or drops a device's capacity
 *   /proc/net/wsaconnect_admission_users
 *                                   what each user holds on each device
 *
 * A device without a capacity admits every flow; its reservations are
 * still counted so that a capacity set later is shown against them.  A
 * device's capacity goes when the device is unregistered (deleted, or
 * moved to another namespace): it never applies to a later device that
 * gets the same index.
 *
 * On a device with a capacity, one user (the socket's owner, sk_uid, when
 * the reservation is made) may hold at most SHARE percent of it, so that
 * no user can starve the others; a caller with CAP_NET_ADMIN over the
 * namespace is not bounded by it.  Every reservation is charged to the
 * user it was admitted for and given back to that same user, whatever
 * fchown(2) does to the socket meanwhile.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "qos.h"

/* The share of a capacity line that names none. */
static unsigned int wsac_user_share = 50;

static int wsac_user_share_set(const char *val, const struct kernel_param *kp)
{
	unsigned int share;
	int err = kstrtouint(val, 0, &share);

	if (err)
		return err;
	if (share > 100)
		return -EINVAL;
	WRITE_ONCE(wsac_user_share, share);
	return 0;
}

static const struct kernel_param_ops wsac_user_share_ops = {
	.set	= wsac_user_share_set,
	.get	= param_get_uint,
};

module_param_cb(user_share, &wsac_user_share_ops, &wsac_user_share, 0644);
MODULE_PARM_DESC(user_share,
		 "percent of a device's capacity one user may reserve, for capacities written without one (default 50)");

/**
 * struct wsac_adm_user - what one user holds on one device
 * @node: in &wsac_adm_link.users
 * @uid: the user charged
 * @reserved: bytes/s reserved by the user's admitted sockets
 * @sockets: the user's admitted sockets
 */
struct wsac_adm_user {
	struct list_head node;
	kuid_t uid;
	u64 reserved;
	u32 sockets;
};

/**
 * struct wsac_adm_link - admission accounting of one egress device
 * @node: in &wsac_adm_net.links
 * @users: a &struct wsac_adm_user per user with admitted sockets
 * @ifindex: the device
 * @share: percent of @capacity one user may hold (with a capacity)
 * @capacity: bytes/s Guaranteed flows may reserve, %WSAC_RATE_NONE if unset
 * @reserved: bytes/s reserved by admitted sockets
 * @sockets: admitted sockets
 */
struct wsac_adm_link {
	struct list_head node;
	struct list_head users;
	int ifindex;
	u32 share;
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

static struct wsac_adm_link *wsac_adm_new_link(struct wsac_adm_net *an,
					       struct wsac_adm_link *fresh,
					       int ifindex)
{
	fresh->ifindex = ifindex;
	fresh->capacity = WSAC_RATE_NONE;
	INIT_LIST_HEAD(&fresh->users);
	list_add_tail(&fresh->node, &an->links);
	return fresh;
}

static struct wsac_adm_user *wsac_adm_find_user(struct wsac_adm_link *l,
						kuid_t uid)
{
	struct wsac_adm_user *u;

	list_for_each_entry(u, &l->users, node)
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/* Whether the request fits the device's capacity: 0 or -EOPNOTSUPP. */
static int wsac_adm_fits(const struct wsac_adm_link *l, u64 rate, u64 credit)
{
	u64 used = l->reserved - min(credit, l->reserved);

	if (l->capacity != WSAC_RATE_NONE &&
	    (rate == WSAC_RATE_NONE || rate > l->capacity ||
	     used > l->capacity - rate))
		return -EOPNOTSUPP;
	return 0;
}

/* Whether the request fits its user's share of the capacity: 0 or -EDQUOT. */
static int wsac_adm_fits_share(struct wsac_adm_link *l,
			       const struct wsac_adm_req *req, u64 credit)
{
	struct wsac_adm_user *u;
	u64 limit, used;

	if (req->exempt || l->capacity == WSAC_RATE_NONE)
		return 0;
	u = wsac_adm_find_user(l, req->uid);
	used = u ? u->reserved : 0;
	if (uid_eq(req->credit_uid, req->uid))
		used -= min(credit, used);
	limit = mul_u64_u32_div(l->capacity, l->share, 100);
	if (req->rate == WSAC_RATE_NONE || req->rate > limit ||
	    used > limit - req->rate)
		return -EDQUOT;
	return 0;
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
 * @req: the device, the rate, the user charged and the socket's credit
 * @commit: reserve; otherwise only say whether @req would be admitted
 *
 * Return: 0 when admitted (with @commit the reservation is held until
 * wsac_adm_release() with the same device, user and rate), -EOPNOTSUPP
 * when the rate does not fit the device's remaining capacity, -EDQUOT
 * when it does not fit what is left of its user's share, or -ENOMEM.
 */
int wsac_adm_reserve(struct net *net, const struct wsac_adm_req *req,
		     bool commit)
{
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_user *u, *ufresh;
	struct wsac_adm_link *l, *fresh;
	u64 credit = req->credit;
	int err;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	ufresh = kzalloc(sizeof(*ufresh), GFP_KERNEL);
	if (!fresh || !ufresh) {
		err = -ENOMEM;
		goto out;
	}
	spin_lock_bh(&an->lock);
	l = wsac_adm_find(an, req->ifindex);
	if (!l) {
		l = wsac_adm_new_link(an, fresh, req->ifindex);
		fresh = NULL;
	}
	/*
	 * An unbounded reservation added nothing to the device's reserved
	 * bytes and so gives nothing back.
	 */
	if (credit == WSAC_RATE_NONE)
		credit = 0;
	err = wsac_adm_fits(l, req->rate, credit);
	if (!err)
		err = wsac_adm_fits_share(l, req, credit);
	if (!err && commit) {
		u = wsac_adm_find_user(l, req->uid);
		if (!u) {
			u = ufresh;
			ufresh = NULL;
			u->uid = req->uid;
			list_add_tail(&u->node, &l->users);
		}
		if (req->rate != WSAC_RATE_NONE) {
			l->reserved += req->rate;
			u->reserved += req->rate;
		}
		l->sockets++;
		u->sockets++;
	}
	wsac_adm_put_link(l);
	spin_unlock_bh(&an->lock);
out:
	kfree(ufresh);
	kfree(fresh);
	return err;
}

/**
 * wsac_adm_release() - give back what wsac_adm_reserve() admitted
 * @net: the namespace passed to wsac_adm_reserve()
 * @ifindex: the device of the request
 * @uid: the user of the request
 * @rate: the rate of the request
 *
 * Callable from any context, including a socket's destructor.
 */
void wsac_adm_release(struct net *net, int ifindex, kuid_t uid, u64 rate)
{
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_user *u = NULL;
	struct wsac_adm_link *l;

	if (rate == WSAC_RATE_NONE)
		rate = 0;
	spin_lock_bh(&an->lock);
	l = wsac_adm_find(an, ifindex);
	if (l)
		u = wsac_adm_find_user(l, uid);
	if (!WARN_ON_ONCE(!u || !u->sockets || !l->sockets)) {
		l->reserved -= min(rate, l->reserved);
		u->reserved -= min(rate, u->reserved);
		l->sockets--;
		if (!--u->sockets) {
			list_del(&u->node);
			kfree(u);
		}
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

	seq_puts(m, "device ifindex capacity reserved sockets user_share\n");
	rcu_read_lock();
	spin_lock_bh(&an->lock);
	list_for_each_entry(l, &an->links, node) {
		dev = dev_get_by_index_rcu(net, l->ifindex);
		seq_printf(m, "%s %d ", dev ? dev->name : "-", l->ifindex);
		if (l->capacity == WSAC_RATE_NONE)
			seq_puts(m, "none");
		else
			seq_printf(m, "%llu", l->capacity);
		seq_printf(m, " %llu %u ", l->reserved, l->sockets);
		if (l->capacity == WSAC_RATE_NONE)
			seq_puts(m, "-\n");
		else
			seq_printf(m, "%u%%\n", l->share);
	}
	spin_unlock_bh(&an->lock);
	rcu_read_unlock();
	return 0;
}

/* One line per user and device: what the user's sockets hold there. */
static int wsac_adm_users_show(struct seq_file *m, void *v)
{
	struct net *net = seq_file_single_net(m);
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct user_namespace *ns = seq_user_ns(m);
	struct wsac_adm_user *u;
	struct wsac_adm_link *l;
	struct net_device *dev;

	seq_puts(m, "device ifindex uid reserved sockets\n");
	rcu_read_lock();
	spin_lock_bh(&an->lock);
	list_for_each_entry(l, &an->links, node) {
		dev = dev_get_by_index_rcu(net, l->ifindex);
		list_for_each_entry(u, &l->users, node)
			seq_printf(m, "%s %d %u %llu %u\n",
				   dev ? dev->name : "-", l->ifindex,
				   from_kuid_munged(ns, u->uid), u->reserved,
				   u->sockets);
	}
	spin_unlock_bh(&an->lock);
	rcu_read_unlock();
	return 0;
}

/* "N%" with N from 0 to 100. */
static int wsac_adm_parse_share(char *text, u32 *share)
{
	size_t len = strlen(text);

	if (len < 2 || text[len - 1] != '%')
		return -EINVAL;
	text[len - 1] = '\0';
	if (kstrtou32(text, 10, share) || *share > 100)
		return -EINVAL;
	return 0;
}

/*
 * One line, "IFNAME BYTES_PER_SEC [SHARE%]" or "IFNAME none", with an
 * optional newline: *@name points into @buf; *@share is the module's
 * user_share when the line names none.  A name that is not a valid device
 * name (16 characters or more included), a missing value and anything
 * after the value and share are refused rather than guessed at.
 */
static int wsac_adm_parse(char *buf, char **name, u64 *capacity, u32 *share)
{
	char *value, *pct;

	buf = strim(buf);
	value = strpbrk(buf, " \t");
	if (!value)
		return -EINVAL;
	*value++ = '\0';
	value = skip_spaces(value);
	if (!*value || strchr(value, '\n') || !dev_valid_name(buf))
		return -EINVAL;
	*name = buf;
	*share = READ_ONCE(wsac_user_share);
	pct = strpbrk(value, " \t");
	if (pct) {
		*pct++ = '\0';
		pct = skip_spaces(pct);
		if (strpbrk(pct, " \t") || wsac_adm_parse_share(pct, share))
			return -EINVAL;
	}
	if (!strcmp(value, "none")) {
		*capacity = WSAC_RATE_NONE;
		return pct ? -EINVAL : 0;
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
	u32 share;
	int err;

	if (!file_ns_capable(file, net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	err = wsac_adm_parse(buf, &name, &capacity, &share);
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
		l = wsac_adm_new_link(an, fresh, dev->ifindex);
		fresh = NULL;
	}
	if (l) {
		/* Sockets admitted before keep their reservation. */
		l->capacity = capacity;
		l->share = share;
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
	if (!proc_create_net_single("wsaconnect_admission_users", 0444,
				    net->proc_net, wsac_adm_users_show, NULL)) {
		remove_proc_entry("wsaconnect_admission", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit wsac_adm_net_exit(struct net *net)
{
	struct wsac_adm_net *an = wsac_adm_net(net);
	struct wsac_adm_link *l, *tmp;

	remove_proc_entry("wsaconnect_admission_users", net->proc_net);
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
