// SPDX-License-Identifier: GPL-2.0
/*
 * QoS object lists between Winsock's layout and the module's.
 *
 * A Winsock QOS carries its provider objects behind a pointer
 * (ProviderSpecific), and QOS_DESTADDR itself points at a sockaddr.  The
 * module takes one flat byte array (struct wsac_qos @objects) in which
 * DESTADDR holds its address inline: {type, length, addrlen, address,
 * zero padding to 4 bytes}.  Everything else is copied byte for byte.
 *
 * Every byte of the caller's list is read through wsac_copy_from_caller(),
 * one object at a time and only up to END_OF_LIST, so a bad pointer is
 * WSAEFAULT rather than a crash and a long buffer is never read past the
 * module's 512-byte limit.
 */
#include <errno.h>
#include <string.h>

#include <qossp.h>

#include "internal.h"

#define WSAC_HDR_LEN		sizeof(QOS_OBJECT_HDR)
/* Flat DESTADDR: header, then a 32-bit address length, then the address. */
#define WSAC_FLAT_DEST_LEN	(WSAC_HDR_LEN + sizeof(__u32))
#define WSAC_ROUND4(n)		(((n) + 3) & ~(size_t)3)
#define WSAC_ROUND8(n)		(((n) + 7) & ~(size_t)7)

/* Append @len bytes of the caller's @src to the flat list. */
static int wsac_flat_copy(struct wsac_qos *req, const void *src, size_t len)
{
	if (len > WSAC_QOS_OBJECTS_MAX - req->objects_len)
		return -EINVAL;
	if (wsac_copy_from_caller(req->objects + req->objects_len, src, len))
		return -EFAULT;
	req->objects_len += (__u32)len;
	return 0;
}

static int wsac_flat_destaddr(struct wsac_qos *req, const void *obj, ULONG olen,
			      int family)
{
	unsigned char addr[WSAC_ADDR_MAX];
	__u32 hdr[3];
	QOS_DESTADDR d;
	sa_family_t af;
	size_t flen;

	if (olen < sizeof(d))
		return -EINVAL;
	if (wsac_copy_from_caller(&d, obj, sizeof(d)))
		return -EFAULT;
	if (!d.SocketAddressLength || d.SocketAddressLength > sizeof(addr))
		return -EINVAL;
	if (!d.SocketAddress)
		return -EFAULT;
	if (wsac_copy_from_caller(addr, d.SocketAddress, d.SocketAddressLength))
		return -EFAULT;
	if (family && d.SocketAddressLength >= sizeof(af)) {
		memcpy(&af, addr, sizeof(af));
		if (af != family)
			return -EINVAL;
	}
	flen = WSAC_FLAT_DEST_LEN + WSAC_ROUND4(d.SocketAddressLength);
	if (flen > WSAC_QOS_OBJECTS_MAX - req->objects_len)
		return -EINVAL;
	hdr[0] = QOS_OBJECT_DESTADDR;
	hdr[1] = (__u32)flen;
	hdr[2] = d.SocketAddressLength;
	memset(req->objects + req->objects_len, 0, flen);
	memcpy(req->objects + req->objects_len, hdr, sizeof(hdr));
	memcpy(req->objects + req->objects_len + sizeof(hdr), addr, d.SocketAddressLength);
	req->objects_len += (__u32)flen;
	return 0;
}

/**
 * wsac_qos_flatten() - a caller's QOS as a WSAC_IOC_QOS_SET request
 * @qos: the caller's QOS, already copied; ProviderSpecific.buf and any
 *	QOS_DESTADDR address are still the caller's pointers
 * @family: the socket's family, which a DESTADDR must have; 0: any
 * @req: zeroed request; its flowspecs, @objects and @objects_len are set
 *
 * The list is walked strictly: a header cut short, an ObjectLength below
 * 8, not a multiple of 4 or past the end, an SD_MODE or SHAPING_RATE not
 * 12 bytes long, a DESTADDR shorter than QOS_DESTADDR or with an address
 * of 0 or more than 128 bytes or of another family, and a list above 512
 * bytes once flattened are malformed.  END_OF_LIST ends it (what follows is
 * not read).  Other object types are copied as they are: the module judges
 * them.
 *
 * Return: 0; -EFAULT for unreadable memory (a NULL buf with a non-zero
 * len, a NULL address); -EINVAL for a malformed list.
 */
int wsac_qos_flatten(const QOS *qos, int family, struct wsac_qos *req)
{
	const char *buf = qos->ProviderSpecific.buf;
	ULONG len = qos->ProviderSpecific.len, off = 0;
	QOS_OBJECT_HDR hdr;
	int rc;

	memcpy(&req->sending, &qos->SendingFlowspec, sizeof(req->sending));
	memcpy(&req->receiving, &qos->ReceivingFlowspec, sizeof(req->receiving));
	req->objects_len = 0;
	if (len && !buf)
		return -EFAULT;
	while (off < len) {
		if (len - off < WSAC_HDR_LEN)
			return -EINVAL;
		if (wsac_copy_from_caller(&hdr, buf + off, sizeof(hdr)))
			return -EFAULT;
		if (hdr.ObjectLength < WSAC_HDR_LEN || hdr.ObjectLength % 4 ||
		    hdr.ObjectLength > len - off)
			return -EINVAL;
		switch (hdr.ObjectType) {
		case QOS_OBJECT_END_OF_LIST:
			return 0;
		case QOS_OBJECT_DESTADDR:
			rc = wsac_flat_destaddr(req, buf + off, hdr.ObjectLength, family);
			break;
		case QOS_OBJECT_SD_MODE:
		case QOS_OBJECT_SHAPING_RATE:
			if (hdr.ObjectLength != sizeof(QOS_SD_MODE))
				return -EINVAL;
			rc = wsac_flat_copy(req, buf + off, hdr.ObjectLength);
			break;
		default:
			rc = wsac_flat_copy(req, buf + off, hdr.ObjectLength);
			break;
		}
		if (rc)
			return rc;
		off += hdr.ObjectLength;
	}
	return 0;
}

/* One object of the module's reply: its type and length, bounds checked. */
static bool wsac_flat_next(const struct wsac_qos *rep, size_t off, __u32 *type,
			   __u32 *olen)
{
	__u32 hdr[2];
	size_t len = rep->objects_len < WSAC_QOS_OBJECTS_MAX ?
		     rep->objects_len : WSAC_QOS_OBJECTS_MAX;

	if (off >= len || len - off < sizeof(hdr))
		return false;
	memcpy(hdr, rep->objects + off, sizeof(hdr));
	if (hdr[1] < sizeof(hdr) || hdr[1] % 4 || hdr[1] > len - off)
		return false;
	*type = hdr[0];
	*olen = hdr[1];
	return true;
}

/*
 * A flat DESTADDR rebuilt as Windows' QOS_DESTADDR, with the address
 * right behind it, inside the object, and SocketAddress pointing there.
 */
static size_t wsac_put_destaddr(const unsigned char *flat, __u32 olen,
				unsigned char *obj, uintptr_t user_obj)
{
	QOS_DESTADDR d;
	__u32 alen;
	size_t size;

	memcpy(&alen, flat + WSAC_HDR_LEN, sizeof(alen));
	if (alen > olen - WSAC_FLAT_DEST_LEN)
		return 0;
	size = sizeof(d) + WSAC_ROUND8(alen);
	memset(obj, 0, size);
	memset(&d, 0, sizeof(d));
	d.ObjectHdr.ObjectType = QOS_OBJECT_DESTADDR;
	d.ObjectHdr.ObjectLength = (ULONG)size;
	d.SocketAddress = (const struct sockaddr *)(user_obj + sizeof(d));
	d.SocketAddressLength = alen;
	memcpy(obj, &d, sizeof(d));
	memcpy(obj + sizeof(d), flat + WSAC_FLAT_DEST_LEN, alen);
	return size;
}

static size_t wsac_put_effective(const struct wsac_qos_effective *e, unsigned char *obj)
{
	QOS_WSAC_EFFECTIVE w;

	memset(&w, 0, sizeof(w));
	w.ObjectHdr.ObjectType = QOS_OBJECT_WSAC_EFFECTIVE;
	w.ObjectHdr.ObjectLength = sizeof(w);
	w.PacingRate = e->pacing_rate;
	w.AdmittedRate = e->admitted_rate;
	w.Tos = e->tos;
	w.TrafficClass = e->tclass;
	w.Priority = e->priority;
	w.ReceiveBuffer = e->rcvbuf;
	w.InterfaceIndex = e->ifindex;
	w.Pacing = e->pacing;
	memcpy(obj, &w, sizeof(w));
	return sizeof(w);
}

/* Room for the largest list a reply can turn into. */
#define WSAC_UNFLAT_MAX	(WSAC_QOS_OBJECTS_MAX + sizeof(QOS_DESTADDR) + 8 + \
			 sizeof(QOS_WSAC_EFFECTIVE) + WSAC_HDR_LEN)

/**
 * wsac_qos_unflatten() - a WSAC_IOC_QOS_GET reply in SIO_GET_QOS's layout
 * @rep: the module's reply
 * @out: where to build it, @size bytes, at least sizeof(QOS)
 * @size: the caller's output buffer size
 * @user: the address the caller's buffer has, for the pointers written
 *
 * The QOS comes first; its ProviderSpecific points right behind it, at the
 * objects: the recorded DESTADDR first (Windows' layout, its address
 * inside the object, 8-byte aligned), the other recorded objects as they
 * are, a QOS_OBJECT_WSAC_EFFECTIVE with the values in force, and
 * QOS_OBJECT_END_OF_LIST.  When they do not fit in @size, ProviderSpecific
 * is empty and only the QOS is written.
 *
 * Return: the bytes used in @out.
 */
size_t wsac_qos_unflatten(const struct wsac_qos *rep, void *out, size_t size,
			  uintptr_t user)
{
	unsigned char objs[WSAC_UNFLAT_MAX];
	uintptr_t user_objs = user + sizeof(QOS);
	size_t n = 0, off;
	__u32 type, olen;
	QOS_OBJECT_HDR end = { QOS_OBJECT_END_OF_LIST, WSAC_HDR_LEN };
	QOS q;

	memset(&q, 0, sizeof(q));
	memcpy(&q.SendingFlowspec, &rep->sending, sizeof(q.SendingFlowspec));
	memcpy(&q.ReceivingFlowspec, &rep->receiving, sizeof(q.ReceivingFlowspec));

	/* The DESTADDR first: its pointer needs the buffer's alignment. */
	for (off = 0; wsac_flat_next(rep, off, &type, &olen); off += olen) {
		if (type == QOS_OBJECT_END_OF_LIST)
			break;
		if (type == QOS_OBJECT_DESTADDR && olen >= WSAC_FLAT_DEST_LEN) {
			n = wsac_put_destaddr(rep->objects + off, olen, objs, user_objs);
			break;
		}
	}
	for (off = 0; wsac_flat_next(rep, off, &type, &olen); off += olen) {
		if (type == QOS_OBJECT_END_OF_LIST)
			break;
		/* Ours is added below, from the reply's own field. */
		if (type == QOS_OBJECT_DESTADDR || type == QOS_OBJECT_WSAC_EFFECTIVE)
			continue;
		if (olen > sizeof(objs) - n - sizeof(QOS_WSAC_EFFECTIVE) - sizeof(end))
			break;
		memcpy(objs + n, rep->objects + off, olen);
		n += olen;
	}
	n += wsac_put_effective(&rep->effective, objs + n);
	memcpy(objs + n, &end, sizeof(end));
	n += sizeof(end);

	if (n <= size - sizeof(q)) {
		q.ProviderSpecific.len = (ULONG)n;
		q.ProviderSpecific.buf = (CHAR *)user_objs;
		memcpy((unsigned char *)out + sizeof(q), objs, n);
	} else {
		n = 0;
	}
	memcpy(out, &q, sizeof(q));
	return sizeof(q) + n;
}
