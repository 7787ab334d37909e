/* ws: the client side of the websocket protocol (RFC 6455) that the
 * bridge speaks over an lws raw connection.
 *
 * Why by hand: libwebsockets 4.1 formats a client's request line into a
 * 2048-byte buffer and silently cuts longer ones, and the event bridge
 * takes the token (1-3 KB) in the query string.  lws still does the
 * socket, the proxy, TLS and the event loop; only the HTTP upgrade and
 * the framing live here.
 *
 * Contract (pure, no I/O, unit-tested):
 *  - ws_request() builds the upgrade request of any length.
 *  - ws_response_parse() reads the server's answer: 0 = need more bytes,
 *    1 = a 101 whose Sec-WebSocket-Accept matches the key (*used says how
 *    many bytes the headers took), -1 = anything else, with *err naming
 *    the status line or the bad header.
 *  - struct ws_parser turns server bytes into messages: text and binary
 *    messages reassembled from fragments (control frames may come in
 *    between), pings, and the close frame's code and reason.  Frames
 *    bigger than WS_MAX_MESSAGE, reserved bits or opcodes, and fragmented
 *    control frames are protocol errors.
 *  - ws_frame() builds a masked client frame (pong, close).
 */
#ifndef TQ_WS_H
#define TQ_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define WS_MAX_MESSAGE (1u << 20)

enum ws_opcode {
	WS_CONT = 0x0,
	WS_TEXT = 0x1,
	WS_BINARY = 0x2,
	WS_CLOSE = 0x8,
	WS_PING = 0x9,
	WS_PONG = 0xA,
};

/* A fresh Sec-WebSocket-Key (base64 of 16 random bytes); caller frees. */
char *ws_new_key(void);
/* The Sec-WebSocket-Accept a server must answer for key; caller frees. */
char *ws_accept_for(const char *key);
char *ws_request(const char *path, const char *host_header, const char *origin,
		 const char *key);
int ws_response_parse(const char *data, size_t len, const char *key, size_t *used,
		      char **err);

struct ws_parser;

struct ws_events {
	void (*message)(void *ud, enum ws_opcode op, const char *data, size_t len);
	void (*ping)(void *ud, const char *data, size_t len);
	void (*close)(void *ud, int code, const char *reason, size_t len);
	void *ud;
};

struct ws_parser *ws_parser_new(const struct ws_events *ev);
void ws_parser_free(struct ws_parser **p);
/* Feeds bytes; false with *err on a protocol error (then stop). */
bool ws_parser_feed(struct ws_parser *p, const unsigned char *data, size_t len, char **err);

/* Appends a masked frame (FIN set) to out. */
void ws_frame(struct buf *out, enum ws_opcode op, const void *payload, size_t len,
	      const unsigned char mask[4]);

#endif
