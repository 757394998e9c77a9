/*
** json_stream.c: a JSON document too large to decode whole, read one
** piece at a time.  core.json_stream(path [, opts]) reads a file,
** core.json_stream_text(text [, opts]) a string (for specs and fuzzing);
** both return a stream whose next() yields, in document order:
**   "element", KEY, INDEX, TEXT, LINE, COLUMN  an element of a top-level
**       member named in opts.arrays whose value is an array (INDEX from 0)
**   "member", KEY, nil, TEXT, LINE, COLUMN     any other top-level member
**       (its whole value)
** then nil at the end, or nil, "LINE:COL: [PATH: ]message" on bad data.
** LINE and COLUMN are those of the piece's first character, counted as
** json_decode counts them (lines end at \n, \r or \r\n; columns count
** characters), so positions inside TEXT shift to positions in the file.
**
** The document must be an object.  The scanner checks the structure
** (strings, brackets, nesting at most LPV_MAX_DEPTH from the document's
** root, no trailing data), not the values: each piece is JSON that the
** caller decodes.  A piece may have at most opts.max bytes (LPV_MAX_DOCUMENT
** by default), so memory is one piece plus one read chunk, whatever the
** document's size.  KEY is the member's name as written (escapes kept).
*/
/* A feature-test macro: a reserved name that POSIX has programs define. */
#define _POSIX_C_SOURCE 200809L  /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "leastpriv.h"

#define JS_MT     "leastpriv.json_stream"
#define JS_CHUNK  65536          /* bytes per read from a file */
#define JS_KEYMAX 256            /* bytes of a member name kept for its elements */

enum { JS_START, JS_FIRST_KEY, JS_KEY, JS_COLON, JS_VALUE, JS_FIRST_ELEM, JS_ELEM,
       JS_AFTER_ELEM, JS_AFTER_MEMBER, JS_TRAIL, JS_DONE, JS_ERROR };

typedef struct js {
  FILE *f;                    /* the file, or NULL (text, or closed) */
  size_t toff;                /* text source: bytes of it read so far */
  size_t chunk;               /* bytes per read */
  char *buf;                  /* uservalue 2: holds [pos, end) of the input */
  size_t cap, pos, end;
  int eof;
  size_t max;                 /* bytes of one piece */
  lua_Integer line, col;      /* of buf[pos] */
  int cr;                     /* the byte before buf[pos] was '\r' */
  int state;
  char key[JS_KEYMAX];
  size_t klen;
  int streamed;               /* the current member's elements are yielded */
  lua_Integer index;
} js;

/* Results of js_byte past the data. */
#define JS_EOF   (-1)
#define JS_LARGE (-2)

static js *js_check(lua_State *L) { return (js *)luaL_checkudata(L, 1, JS_MT); }

static void js_close_file(js *s) {
  if (s->f) { (void)fclose(s->f); s->f = NULL; }
}

static int l_gc(lua_State *L) {
  js_close_file((js *)luaL_checkudata(L, 1, JS_MT));
  return 0;
}

/* Make room and read more input after end; returns 1 if bytes came, 0 at
** the end of the input, JS_LARGE when the piece at pos cannot grow.  The
** stream is at stack index 1. */
static int js_fill(lua_State *L, js *s) {
  size_t want, n = 0;
  if (s->eof) return 0;
  if (s->pos > 0) {                      /* keep the piece at the buffer's start */
    memmove(s->buf, s->buf + s->pos, s->end - s->pos);
    s->end -= s->pos;
    s->pos = 0;
  }
  if (s->end == s->cap) {
    size_t limit = s->max + s->chunk + 1, cap = s->cap * 2;
    char *nbuf;
    if (s->cap >= limit) return JS_LARGE;
    if (cap > limit) cap = limit;
    nbuf = (char *)lua_newuserdatauv(L, cap, 0);
    memcpy(nbuf, s->buf, s->end);
    lua_setiuservalue(L, 1, 2);
    s->buf = nbuf;
    s->cap = cap;
  }
  want = s->cap - s->end;
  if (want > s->chunk) want = s->chunk;
  if (s->f) {
    n = fread(s->buf + s->end, 1, want, s->f);
    if (n < want && ferror(s->f)) return luaL_error(L, "json_stream: read error: %s", strerror(errno));
  } else {
    size_t tlen;
    const char *text;
    lua_getiuservalue(L, 1, 1);
    text = lua_tolstring(L, -1, &tlen);
    if (text && s->toff < tlen) {
      n = tlen - s->toff < want ? tlen - s->toff : want;
      memcpy(s->buf + s->end, text + s->toff, n);
      s->toff += n;
    }
    lua_pop(L, 1);
  }
  if (n == 0) { s->eof = 1; js_close_file(s); return 0; }
  s->end += n;
  return 1;
}

/* The byte at pos + i, reading on as needed: 0..255, JS_EOF or JS_LARGE
** (a piece of more than max bytes). */
static int js_byte(lua_State *L, js *s, size_t i) {
  if (i > s->max) return JS_LARGE;       /* whatever is buffered: the same at every read size */
  while (s->pos + i >= s->end) {
    int r = js_fill(L, s);
    if (r == 0) return JS_EOF;
    if (r < 0) return JS_LARGE;
  }
  return (unsigned char)s->buf[s->pos + i];
}

/* Move pos on by n bytes, counting lines and columns as json_decode does. */
static void js_advance(js *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s->buf + s->pos, *e = p + n;
  for (; p < e; p++) {
    if (*p == '\n') {
      if (!s->cr) s->line++;
      s->col = 1;
      s->cr = 0;
    } else if (*p == '\r') {
      s->line++;
      s->col = 1;
      s->cr = 1;
    } else {
      s->col += (*p & 0xC0) != 0x80;
      s->cr = 0;
    }
  }
  s->pos += n;
}

static int js_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int js_skip_space(lua_State *L, js *s) {
  int c;
  while ((c = js_byte(L, s, 0)) >= 0 && js_space(c)) js_advance(s, 1);
  return c;
}

/* Fail: nil, "LINE:COL: [KEY[INDEX]: ]message" (the place of pos); the
** stream stays failed. */
static int js_fail(lua_State *L, js *s, int with_path, const char *msg) {
  s->state = JS_ERROR;
  js_close_file(s);
  lua_pushnil(L);
  if (with_path && s->streamed)
    lua_pushfstring(L, "%d:%d: %s[%d]: %s", (int)s->line, (int)s->col, s->key, (int)s->index, msg);
  else if (with_path)
    lua_pushfstring(L, "%d:%d: %s: %s", (int)s->line, (int)s->col, s->key, msg);
  else
    lua_pushfstring(L, "%d:%d: %s", (int)s->line, (int)s->col, msg);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, 1, 3);          /* what a later next() returns */
  return 2;
}

static int js_fail_large(lua_State *L, js *s, int with_path) {
  char msg[64];
  if (s->max % (1U << 20) == 0)
    (void)snprintf(msg, sizeof msg, "larger than %u MiB", (unsigned)(s->max >> 20));
  else
    (void)snprintf(msg, sizeof msg, "larger than %lu bytes", (unsigned long)s->max);
  return js_fail(L, s, with_path, msg);
}

/* Scan the string that starts at pos + i (its '"'): the offset after it,
** or a negative JS_* / -3 (unterminated). */
static long js_scan_string(lua_State *L, js *s, size_t i) {
  for (i++;; i++) {
    int c = js_byte(L, s, i);
    if (c == JS_LARGE) return JS_LARGE;
    if (c == JS_EOF) return -3;
    if (c == '"') return (long)(i + 1);
    if (c == '\\') {
      c = js_byte(L, s, ++i);
      if (c == JS_LARGE) return JS_LARGE;
      if (c == JS_EOF) return -3;
    }
  }
}

/* Scan the value at pos, inside depth containers: its length in bytes,
** or 0 with the failure pushed (nil, message). */
static size_t js_scan_value(lua_State *L, js *s, int depth, int *failed) {
  int c = js_byte(L, s, 0);
  long end;
  *failed = 1;
  if (c == JS_LARGE) { js_fail_large(L, s, 1); return 0; }
  if (c == '"') {
    end = js_scan_string(L, s, 0);
  } else if (c == '{' || c == '[') {
    int d = depth + 1;
    size_t i = 1;
    if (d > LPV_MAX_DEPTH) { js_fail(L, s, 1, "nesting deeper than 64"); return 0; }
    end = 0;
    while (end == 0) {
      c = js_byte(L, s, i);
      if (c == JS_LARGE) end = JS_LARGE;
      else if (c == JS_EOF) end = -3;
      else if (c == '"') { end = js_scan_string(L, s, i); if (end > 0) { i = (size_t)end; end = 0; } }
      else if (c == '{' || c == '[') {
        if (++d > LPV_MAX_DEPTH) {
          js_advance(s, i);
          js_fail(L, s, 0, "nesting deeper than 64");
          return 0;
        }
        i++;
      } else if (c == '}' || c == ']') {
        i++;
        if (--d == depth) end = (long)i;
      } else {
        i++;
      }
    }
  } else {
    size_t i = 0;
    while ((c = js_byte(L, s, i)) >= 0 && !js_space(c) && c != ',' && c != ']' && c != '}' &&
           c != ':' && c != '[' && c != '{' && c != '"')
      i++;
    if (c == JS_LARGE) end = JS_LARGE;
    else if (i == 0) {
      js_fail(L, s, 0, c == JS_EOF ? "unexpected end of the document" : "unexpected character");
      return 0;
    } else end = (long)i;
  }
  if (end == JS_LARGE) { js_fail_large(L, s, 1); return 0; }
  if (end < 0) { js_fail(L, s, 1, "unterminated string, array or object"); return 0; }
  if ((size_t)end > s->max) { js_fail_large(L, s, 1); return 0; }
  *failed = 0;
  return (size_t)end;
}

/* Push what next() yields for the piece of len bytes at pos, move past it. */
static int js_yield(lua_State *L, js *s, int element, size_t len) {
  lua_pushstring(L, element ? "element" : "member");
  lua_pushlstring(L, s->key, s->klen);
  if (element) lua_pushinteger(L, s->index); else lua_pushnil(L);
  lua_pushlstring(L, s->buf + s->pos, len);
  lua_pushinteger(L, s->line);
  lua_pushinteger(L, s->col);
  js_advance(s, len);
  return 6;
}

/* Does the member name key[0..klen) appear in opts.arrays (uservalue 4)? */
static int js_streamed(lua_State *L, js *s) {
  int yes;
  lua_getiuservalue(L, 1, 4);
  if (!lua_istable(L, -1)) { lua_pop(L, 1); return 0; }
  lua_pushlstring(L, s->key, s->klen);
  lua_rawget(L, -2);
  yes = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return yes;
}

/* stream:next() -> kind, key, index, text, line, column | nil | nil, message */
static int l_next(lua_State *L) {
  js *s = js_check(L);
  lua_settop(L, 1);
  for (;;) {
    int c;
    if (s->state == JS_DONE) return 0;
    if (s->state == JS_ERROR) {
      lua_pushnil(L);
      lua_getiuservalue(L, 1, 3);
      return 2;
    }
    if (s->state == JS_START && js_byte(L, s, 0) == 0xEF && js_byte(L, s, 1) == 0xBB &&
        js_byte(L, s, 2) == 0xBF)
      s->pos += 3;                         /* a byte order mark: column 1 comes after it */
    c = js_skip_space(L, s);
    if (c == JS_LARGE) return js_fail(L, s, 0, "too much white space");
    switch (s->state) {
      case JS_START:
        if (c != '{') return js_fail(L, s, 0, c == JS_EOF ? "empty document" : "not a JSON object");
        js_advance(s, 1);
        s->state = JS_FIRST_KEY;
        break;
      case JS_FIRST_KEY:
      case JS_KEY: {
        long end;
        if (c == '}' && s->state == JS_FIRST_KEY) { js_advance(s, 1); s->state = JS_TRAIL; break; }
        if (c != '"') return js_fail(L, s, 0, "expected a member name");
        end = js_scan_string(L, s, 0);
        if (end == JS_LARGE) return js_fail_large(L, s, 0);
        if (end < 0) return js_fail(L, s, 0, "unterminated string");
        s->klen = (size_t)end - 2 < JS_KEYMAX - 1 ? (size_t)end - 2 : JS_KEYMAX - 1;
        memcpy(s->key, s->buf + s->pos + 1, s->klen);
        s->key[s->klen] = '\0';
        s->streamed = 0;
        js_advance(s, (size_t)end);
        s->state = JS_COLON;
        break;
      }
      case JS_COLON:
        if (c != ':') return js_fail(L, s, 0, "expected ':' after the member name");
        js_advance(s, 1);
        s->state = JS_VALUE;
        break;
      case JS_VALUE: {
        size_t len;
        int failed;
        if (c == '[' && js_streamed(L, s)) {
          js_advance(s, 1);
          s->streamed = 1;
          s->index = 0;
          s->state = JS_FIRST_ELEM;
          break;
        }
        len = js_scan_value(L, s, 1, &failed);
        if (failed) return 2;
        s->state = JS_AFTER_MEMBER;
        return js_yield(L, s, 0, len);
      }
      case JS_FIRST_ELEM:
      case JS_ELEM: {
        size_t len;
        int failed;
        if (c == ']' && s->state == JS_FIRST_ELEM) {
          js_advance(s, 1);
          s->streamed = 0;
          s->state = JS_AFTER_MEMBER;
          break;
        }
        len = js_scan_value(L, s, 2, &failed);
        if (failed) return 2;
        s->state = JS_AFTER_ELEM;
        js_yield(L, s, 1, len);
        s->index++;
        return 6;
      }
      case JS_AFTER_ELEM:
        if (c == ',') { js_advance(s, 1); s->state = JS_ELEM; break; }
        if (c == ']') { js_advance(s, 1); s->streamed = 0; s->state = JS_AFTER_MEMBER; break; }
        return js_fail(L, s, 0, "expected ',' or ']' after an element");
      case JS_AFTER_MEMBER:
        if (c == ',') { js_advance(s, 1); s->state = JS_KEY; break; }
        if (c == '}') { js_advance(s, 1); s->state = JS_TRAIL; break; }
        return js_fail(L, s, 0, "expected ',' or '}' after a member");
      case JS_TRAIL:
        if (c != JS_EOF) return js_fail(L, s, 0, "characters after the document");
        s->state = JS_DONE;
        return 0;
      default:
        return 0;
    }
  }
}

/* stream:close(): stop reading (closes the file); next() then returns nil. */
static int l_close(lua_State *L) {
  js *s = js_check(L);
  js_close_file(s);
  s->state = JS_DONE;
  return 0;
}

/* A new stream at stack top, reading the file f or the string at index
** text_idx (0: none); opts at index 2. */
static js *js_new(lua_State *L, FILE *f, int text_idx) {
  js *s = (js *)lua_newuserdatauv(L, sizeof(js), 4);
  lua_Integer max = (lua_Integer)LPV_MAX_DOCUMENT, chunk = JS_CHUNK;
  memset(s, 0, sizeof *s);
  luaL_setmetatable(L, JS_MT);
  s->f = f;
  if (lua_istable(L, 2)) {
    if (lua_getfield(L, 2, "max") != LUA_TNIL) max = luaL_checkinteger(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "chunk") != LUA_TNIL) chunk = luaL_checkinteger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, 2, "arrays");
    lua_setiuservalue(L, -2, 4);
  }
  if (max < 1 || max > (lua_Integer)LPV_MAX_DOCUMENT * 16) {
    js_close_file(s);
    luaL_argerror(L, 2, "max out of range");
  }
  if (chunk < 1 || chunk > (lua_Integer)JS_CHUNK * 16) {
    js_close_file(s);
    luaL_argerror(L, 2, "chunk out of range");
  }
  s->max = (size_t)max;
  s->chunk = (size_t)chunk;
  if (text_idx) {
    lua_pushvalue(L, text_idx);
    lua_setiuservalue(L, -2, 1);
  }
  s->cap = s->chunk + 1;
  s->buf = (char *)lua_newuserdatauv(L, s->cap, 0);
  lua_setiuservalue(L, -2, 2);
  s->line = 1;
  s->col = 1;
  s->state = JS_START;
  return s;
}

/* json_stream(path [, opts]) -> stream | nil, "PATH: message".
** opts: arrays ({NAME = true}: members whose elements are yielded),
** max (bytes of one piece, default 16 MiB), chunk (bytes per read). */
static int l_stream(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  FILE *f;
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  f = fopen(path, "rb");
  if (!f) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: cannot read the file (%s)", path, strerror(errno));
    return 2;
  }
  js_new(L, f, 0);
  return 1;
}

/* json_stream_text(text [, opts]) -> stream over a string (opts as json_stream). */
static int l_stream_text(lua_State *L) {
  luaL_checkstring(L, 1);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  js_new(L, NULL, 1);
  return 1;
}

static const luaL_Reg js_methods[] = {
  {"next", l_next},
  {"close", l_close},
  {NULL, NULL}
};

static const luaL_Reg js_meta[] = {
  {"__gc", l_gc},
  {"__close", l_gc},
  {NULL, NULL}
};

static const luaL_Reg js_funcs[] = {
  {"json_stream", l_stream},
  {"json_stream_text", l_stream_text},
  {NULL, NULL}
};

void lpv_open_json_stream(lua_State *L) {
  if (luaL_newmetatable(L, JS_MT)) {
    luaL_setfuncs(L, js_meta, 0);
    luaL_newlib(L, js_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, js_funcs, 0);
}
