#include "config.h"
#include "ws.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "xalloc.h"

static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

static char *b64(const unsigned char *in, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	return out;
}

char *ws_new_key(void)
{
	unsigned char raw[16];

	if (RAND_bytes(raw, sizeof raw) != 1)
		die("websocket: no random bytes for the handshake key");
	return b64(raw, sizeof raw);
}

char *ws_accept_for(const char *key)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	char *cat = xasprintf("%s%s", key, ws_guid);

	SHA1((const unsigned char *)cat, strlen(cat), md);
	free(cat);
	return b64(md, sizeof md);
}

char *ws_request(const char *path, const char *host_header, const char *origin,
		 const char *key)
{
	return xasprintf("GET %s HTTP/1.1\r\n"
			 "Host: %s\r\n"
			 "Upgrade: websocket\r\n"
			 "Connection: Upgrade\r\n"
			 "Sec-WebSocket-Key: %s\r\n"
			 "Sec-WebSocket-Version: 13\r\n"
			 "Origin: %s\r\n"
			 "Pragma: no-cache\r\n"
			 "Cache-Control: no-cache\r\n"
			 "User-Agent: " PACKAGE_NAME "/" PACKAGE_VERSION "\r\n"
			 "\r\n", path, host_header, key, origin);
}

/* Case-insensitive search for a token in a comma-separated header value. */
static bool has_token(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok);

	for (size_t i = 0; i + tl <= n; i++)
		if (strncasecmp(v + i, tok, tl) == 0 && (i == 0 || v[i - 1] == ' ' || v[i - 1] == ',') &&
		    (i + tl == n || v[i + tl] == ',' || v[i + tl] == ' '))
			return true;
	return false;
}

int ws_response_parse(const char *data, size_t len, const char *key, size_t *used,
		      char **err)
{
	const char *end = NULL;
	bool upgrade = false, connection = false, accept_ok = false;

	for (size_t i = 0; i + 3 < len; i++)
		if (memcmp(data + i, "\r\n\r\n", 4) == 0) {
			end = data + i;
			break;
		}
	if (!end) {
		if (len > 65536) {
			*err = xstrdup("websocket: the server's answer has no end of headers");
			return -1;
		}
		return 0;
	}
	*used = (size_t)(end - data) + 4;
	const char *eol = memchr(data, '\r', (size_t)(end - data) + 1);
	size_t sl = (size_t)(eol - data);
	if (sl < 12 || strncmp(data, "HTTP/1.1 101", 12) != 0) {
		*err = xasprintf("websocket: the server answered '%.*s'", (int)(sl > 120 ? 120 : sl), data);
		return -1;
	}
	char *want = ws_accept_for(key);
	const char *p = eol + 2;
	while (p < end) {
		const char *le = memchr(p, '\r', (size_t)(end - p) + 1);
		if (!le)
			le = end;
		const char *colon = memchr(p, ':', (size_t)(le - p));
		if (colon) {
			size_t nl = (size_t)(colon - p);
			const char *v = colon + 1;
			while (v < le && (*v == ' ' || *v == '\t'))
				v++;
			size_t vl = (size_t)(le - v);
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (nl == 7 && strncasecmp(p, "upgrade", 7) == 0)
				upgrade = vl == 9 && strncasecmp(v, "websocket", 9) == 0;
			else if (nl == 10 && strncasecmp(p, "connection", 10) == 0)
				connection = has_token(v, vl, "upgrade");
			else if (nl == 20 && strncasecmp(p, "sec-websocket-accept", 20) == 0)
				accept_ok = vl == strlen(want) && strncmp(v, want, vl) == 0;
		}
		p = le + 2;
	}
	free(want);
	if (!upgrade || !connection || !accept_ok) {
		*err = xasprintf("websocket: bad upgrade answer (%s)",
				 !upgrade ? "no 'Upgrade: websocket'" :
				 !connection ? "no 'Connection: Upgrade'" :
				 "wrong Sec-WebSocket-Accept");
		return -1;
	}
	return 1;
}

enum pstate { P_HEAD, P_LEN16, P_LEN64, P_MASK, P_PAYLOAD };

struct ws_parser {
	struct ws_events ev;
	enum pstate st;
	unsigned char hdr[8];
	size_t need, have;
	bool fin, masked;
	enum ws_opcode op;
	unsigned char mask[4];
	uint64_t len;
	struct buf frame;	/* payload of the frame being read */
	struct buf msg;		/* fragments of the message being read */
	enum ws_opcode msg_op;
	bool in_msg;
};

struct ws_parser *ws_parser_new(const struct ws_events *ev)
{
	struct ws_parser *p = xcalloc(1, sizeof *p);

	p->ev = *ev;
	p->need = 2;
	return p;
}

void ws_parser_free(struct ws_parser **pp)
{
	struct ws_parser *p = *pp;

	if (!p)
		return;
	buf_free(&p->frame);
	buf_free(&p->msg);
	free(p);
	*pp = NULL;
}

static bool frame_done(struct ws_parser *p, char **err)
{
	const char *d = p->frame.data ? p->frame.data : "";
	size_t n = p->frame.len;

	if (p->masked)
		for (size_t i = 0; i < n; i++)
			p->frame.data[i] ^= (char)p->mask[i % 4];
	switch (p->op) {
	case WS_PING:
		if (p->ev.ping)
			p->ev.ping(p->ev.ud, d, n);
		break;
	case WS_PONG:
		break;
	case WS_CLOSE:
		if (p->ev.close) {
			int code = n >= 2 ? ((unsigned char)d[0] << 8 | (unsigned char)d[1]) : 1005;
			p->ev.close(p->ev.ud, code, n > 2 ? d + 2 : "", n > 2 ? n - 2 : 0);
		}
		break;
	case WS_TEXT:
	case WS_BINARY:
		if (p->in_msg) {
			*err = xstrdup("websocket: a new message inside a fragmented one");
			return false;
		}
		if (p->fin) {
			if (p->ev.message)
				p->ev.message(p->ev.ud, p->op, d, n);
		} else {
			p->in_msg = true;
			p->msg_op = p->op;
			buf_reset(&p->msg);
			buf_append(&p->msg, d, n);
		}
		break;
	case WS_CONT:
		if (!p->in_msg) {
			*err = xstrdup("websocket: a continuation frame without a message");
			return false;
		}
		if (p->msg.len + n > WS_MAX_MESSAGE) {
			*err = xasprintf("websocket: a message over %u bytes", WS_MAX_MESSAGE);
			return false;
		}
		buf_append(&p->msg, d, n);
		if (p->fin) {
			p->in_msg = false;
			if (p->ev.message)
				p->ev.message(p->ev.ud, p->msg_op, p->msg.data ? p->msg.data : "",
					      p->msg.len);
			buf_reset(&p->msg);
		}
		break;
	}
	buf_reset(&p->frame);
	p->st = P_HEAD;
	p->need = 2;
	p->have = 0;
	return true;
}

static bool header_done(struct ws_parser *p, char **err)
{
	switch (p->st) {
	case P_HEAD: {
		unsigned b0 = p->hdr[0], b1 = p->hdr[1];
		p->fin = b0 & 0x80;
		p->op = (enum ws_opcode)(b0 & 0x0f);
		p->masked = b1 & 0x80;
		p->len = b1 & 0x7f;
		if (b0 & 0x70) {
			*err = xstrdup("websocket: reserved bits set (no extension was agreed)");
			return false;
		}
		if (p->op != WS_CONT && p->op != WS_TEXT && p->op != WS_BINARY &&
		    p->op != WS_CLOSE && p->op != WS_PING && p->op != WS_PONG) {
			*err = xasprintf("websocket: unknown opcode %u", (unsigned)p->op);
			return false;
		}
		if (p->op >= WS_CLOSE && (!p->fin || p->len > 125)) {
			*err = xstrdup("websocket: a fragmented or long control frame");
			return false;
		}
		if (p->len == 126) {
			p->st = P_LEN16;
			p->need = 2;
		} else if (p->len == 127) {
			p->st = P_LEN64;
			p->need = 8;
		} else {
			p->st = P_MASK;
			p->need = 0;
		}
		break;
	}
	case P_LEN16:
		p->len = (uint64_t)p->hdr[0] << 8 | p->hdr[1];
		p->st = P_MASK;
		p->need = 0;
		break;
	case P_LEN64:
		p->len = 0;
		for (int i = 0; i < 8; i++)
			p->len = p->len << 8 | p->hdr[i];
		p->st = P_MASK;
		p->need = 0;
		break;
	case P_MASK:
		memcpy(p->mask, p->hdr, 4);
		p->st = P_PAYLOAD;
		p->need = 0;
		break;
	case P_PAYLOAD:
		break;
	}
	if (p->st == P_MASK && p->need == 0) {
		if (p->len > WS_MAX_MESSAGE) {
			*err = xasprintf("websocket: a frame of %llu bytes (at most %u)",
					 (unsigned long long)p->len, WS_MAX_MESSAGE);
			return false;
		}
		if (p->masked) {
			p->need = 4;
		} else {
			p->st = P_PAYLOAD;
		}
	}
	p->have = 0;
	return true;
}

bool ws_parser_feed(struct ws_parser *p, const unsigned char *data, size_t len, char **err)
{
	size_t i = 0;

	while (i < len || (p->st == P_PAYLOAD && p->frame.len == p->len)) {
		if (p->st == P_PAYLOAD) {
			size_t want = (size_t)(p->len - p->frame.len);
			size_t take = len - i < want ? len - i : want;
			buf_append(&p->frame, data + i, take);
			i += take;
			if (p->frame.len == p->len) {
				if (!frame_done(p, err))
					return false;
				continue;
			}
			break;
		}
		while (p->have < p->need && i < len)
			p->hdr[p->have++] = data[i++];
		if (p->have < p->need)
			break;
		if (!header_done(p, err))
			return false;
	}
	return true;
}

void ws_frame(struct buf *out, enum ws_opcode op, const void *payload, size_t len,
	      const unsigned char mask[4])
{
	unsigned char h[14];
	size_t hl = 2;
	const unsigned char *pl = payload;

	h[0] = (unsigned char)(0x80 | op);
	if (len < 126) {
		h[1] = (unsigned char)(0x80 | len);
	} else if (len <= 0xffff) {
		h[1] = 0x80 | 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		hl = 4;
	} else {
		h[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
		hl = 10;
	}
	memcpy(h + hl, mask, 4);
	hl += 4;
	buf_append(out, h, hl);
	for (size_t i = 0; i < len; i++)
		buf_putc(out, (char)(pl[i] ^ mask[i % 4]));
}
