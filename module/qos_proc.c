// SPDX-License-Identifier: GPL-2.0
/*
 * What an administrator reads about the sockets carrying QoS:
 *
 *   /proc/net/wsaconnect_qos       one line per socket with a committed
 *                                  QoS in the reader's network namespace,
 *                                  closed sockets still draining included
 *   /sys/module/wsaconnect/parameters/holders
 *                                  (root only) per namespace, the sockets
 *                                  that keep the module loaded
 *
 * The /proc file walks its namespace's table of states (qos_state.c) with
 * an rhashtable walker kept for as long as the file is open: each read
 * holds rcu_read_lock() for one buffer's worth of lines, never a lock
 * across the walk, and never a lock that socket teardown takes.  A table
 * resized during the walk restarts it, so a line can then appear twice.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/tcp_states.h>

#include "qos.h"

/**
 * struct wsac_qos_iter - an open /proc/net/wsaconnect_qos
 * @net: the namespace whose states it shows
 * @hti: the walker, from the first read to release
 * @entered: @hti is on the table's list of walkers
 * @pos: seq_file position of the state @hti returned last
 */
struct wsac_qos_iter {
	struct net *net;
	struct rhashtable_iter hti;
	bool entered;
	loff_t pos;
};

static const char *const wsac_pacing_names[] = {
	[WSAC_PACING_NONE]	= "none",
	[WSAC_PACING_FQ]	= "fq",
	[WSAC_PACING_TCP]	= "tcp",
};

/* As ss(8) names them. */
static const char *const wsac_state_names[] = {
	[TCP_ESTABLISHED]	= "ESTAB",
	[TCP_SYN_SENT]		= "SYN-SENT",
	[TCP_SYN_RECV]		= "SYN-RECV",
	[TCP_FIN_WAIT1]		= "FIN-WAIT-1",
	[TCP_FIN_WAIT2]		= "FIN-WAIT-2",
	[TCP_TIME_WAIT]		= "TIME-WAIT",
	[TCP_CLOSE]		= "UNCONN",
	[TCP_CLOSE_WAIT]	= "CLOSE-WAIT",
	[TCP_LAST_ACK]		= "LAST-ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
};

static const char *wsac_state_name(int state)
{
	if ((unsigned int)state >= ARRAY_SIZE(wsac_state_names) ||
	    !wsac_state_names[state])
		return "?";
	return wsac_state_names[state];
}

/* The next state with a committed QoS, or NULL at the end. */
static struct wsac_qos_state *wsac_qos_walk_next(struct wsac_qos_iter *it)
{
	struct wsac_qos_state *st;

	for (;;) {
		st = rhashtable_walk_next(&it->hti);
		if (IS_ERR(st) && PTR_ERR(st) == -EAGAIN)
			continue;	/* resized: the walk starts over */
		return IS_ERR(st) ? NULL : st;
	}
}

static void *wsac_qos_seq_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct wsac_qos_iter *it = m->private;
	struct wsac_qos_state *st;
	loff_t n;

	if (it->entered && *pos && *pos == it->pos) {
		/* The next read: resume where the last one stopped. */
		rhashtable_walk_start(&it->hti);
		return rhashtable_walk_peek(&it->hti);
	}
	if (it->entered)
		rhashtable_walk_exit(&it->hti);
	wsac_qos_state_walk_enter(it->net, &it->hti);
	it->entered = true;
	rhashtable_walk_start(&it->hti);
	it->pos = 0;
	if (!*pos)
		return SEQ_START_TOKEN;
	/* A seek: walk to it. */
	for (st = NULL, n = 0; n < *pos; n++) {
		st = wsac_qos_walk_next(it);
		if (!st)
			break;
	}
	it->pos = n;
	return st;
}

static void *wsac_qos_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct wsac_qos_iter *it = m->private;

	++*pos;
	it->pos = *pos;
	return wsac_qos_walk_next(it);
}

static void wsac_qos_seq_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	struct wsac_qos_iter *it = m->private;

	rhashtable_walk_stop(&it->hti);
}

static int wsac_qos_seq_show(struct seq_file *m, void *v)
{
	struct wsac_qos_iter *it = m->private;
	struct wsac_qos_view w;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "inode proto family ifindex send_type send_rate recv_type recv_rate pacing_rate tos tclass priority rcvbuf admitted_rate pacing state orphan\n");
		return 0;
	}
	if (!wsac_qos_state_view(it->net, v, &w))
		return 0;
	seq_printf(m, "%lu %s %s %d %#x %u %#x %u ", w.ino,
		   w.protocol == IPPROTO_TCP ? "tcp" : "udp",
		   w.family == AF_INET6 ? "inet6" : "inet", w.ifindex,
		   w.send_type, w.send_rate, w.recv_type, w.recv_rate);
	if (w.pacing_rate == ~0UL)
		seq_puts(m, "none");
	else
		seq_printf(m, "%lu", w.pacing_rate);
	seq_printf(m, " %#x %#x %u %d %llu %s %s %d\n", w.tos, w.tclass,
		   w.priority, w.rcvbuf, w.reserved,
		   wsac_pacing_names[w.pacing], wsac_state_name(w.state),
		   w.orphan);
	return 0;
}

static const struct seq_operations wsac_qos_seq_ops = {
	.start	= wsac_qos_seq_start,
	.next	= wsac_qos_seq_next,
	.stop	= wsac_qos_seq_stop,
	.show	= wsac_qos_seq_show,
};

static int wsac_qos_proc_open(struct inode *inode, struct file *file)
{
	struct net *net = pde_data(inode);
	struct wsac_qos_iter *it;

	if (!maybe_get_net(net))
		return -ENXIO;
	it = __seq_open_private(file, &wsac_qos_seq_ops, sizeof(*it));
	if (!it) {
		put_net(net);
		return -ENOMEM;
	}
	it->net = net;
	return 0;
}

static int wsac_qos_proc_release(struct inode *inode, struct file *file)
{
	struct wsac_qos_iter *it = ((struct seq_file *)file->private_data)->private;

	if (it->entered)
		rhashtable_walk_exit(&it->hti);
	put_net(it->net);
	return seq_release_private(inode, file);
}

static const struct proc_ops wsac_qos_proc_ops = {
	.proc_open	= wsac_qos_proc_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= wsac_qos_proc_release,
};

static int __net_init wsac_qos_proc_net_init(struct net *net)
{
	if (!proc_create_data("wsaconnect_qos", 0444, net->proc_net,
			      &wsac_qos_proc_ops, net))
		return -ENOMEM;
	return 0;
}

/* Runs before qos_state.c's: open files are closed, walkers gone. */
static void __net_exit wsac_qos_proc_net_exit(struct net *net)
{
	remove_proc_entry("wsaconnect_qos", net->proc_net);
}

static struct pernet_operations wsac_qos_proc_net_ops = {
	.init	= wsac_qos_proc_net_init,
	.exit	= wsac_qos_proc_net_exit,
};

/*
 * "holders": a refused rmmod cannot say why, this can.  One line per
 * namespace whose sockets hold the module: its inode (as lsns(8) and
 * /proc/PID/ns/net show it), TCP sockets carrying the ULP (committed or
 * not, closed ones still draining included) and sockets with a QoS state.
 * Only root reads it: it names every namespace.
 */
static int wsac_holders_get(char *buf, const struct kernel_param *kp)
{
	unsigned int ulp, states;
	struct net *net;
	int len = 0;

	down_read(&net_rwsem);
	for_each_net(net) {
		wsac_qos_state_count(net, &ulp, &states);
		if (!ulp && !states)
			continue;
		if (len > PAGE_SIZE - 64) {
			len += sysfs_emit_at(buf, len, "...\n");
			break;
		}
		len += sysfs_emit_at(buf, len, "netns %u tcp_ulp %u qos %u\n",
				     net->ns.inum, ulp, states);
	}
	up_read(&net_rwsem);
	return len;
}

/* Read-only; insmod's "holders=" calls ->set without checking for one. */
static int wsac_holders_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops wsac_holders_ops = {
	.set	= wsac_holders_set,
	.get	= wsac_holders_get,
};

module_param_cb(holders, &wsac_holders_ops, NULL, 0400);
MODULE_PARM_DESC(holders, "per network namespace: sockets holding the module");

int wsac_qos_proc_init(void)
{
	return register_pernet_subsys(&wsac_qos_proc_net_ops);
}

void wsac_qos_proc_exit(void)
{
	unregister_pernet_subsys(&wsac_qos_proc_net_ops);
}
