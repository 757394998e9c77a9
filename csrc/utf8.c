/*
** utf8.c: strict UTF-8 validation (RFC 3629: no overlong forms, no
** surrogates, nothing above U+10FFFF), shared by the JSON reader and
** writers, and core.utf8_valid for Lua.
*/
#include <stdint.h>
#include <string.h>

#include "leastpriv.h"

/* Length of the valid UTF-8 sequence at s[0..n), 0 when it is invalid
** (s[0] must be a non-ASCII byte). */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  unsigned lo = 0x80, hi = 0xBF;   /* range of the second byte */
  size_t len, i;
  /* continuation byte, overlong C0/C1, or F5..FF (above U+10FFFF) */
  if (c < 0xC2 || c > 0xF4) return 0;
  if (c < 0xE0) len = 2;
  else if (c < 0xF0) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;      /* overlong */
    else if (c == 0xED) hi = 0x9F; /* surrogates */
  }
  else {
    len = 4;
    if (c == 0xF0) lo = 0x90;      /* overlong */
    else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (i = 2; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return len;
}

size_t lpv_utf8_valid_prefix(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    size_t k;
    /* fast path: eight ASCII bytes at a time */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & UINT64_C(0x8080808080808080)) break;
      i += 8;
    }
    while (i < len && s[i] < 0x80) i++;
    if (i >= len) break;
    if ((k = utf8_seq(s + i, len - i)) == 0) return i;
    i += k;
  }
  return len;
}

size_t lpv_utf8_char_len(const char *s, size_t len) {
  size_t k;
  if (len == 0) return 0;
  if ((unsigned char)s[0] < 0x80) return 1;
  k = utf8_seq((const unsigned char *)s, len);
  return k ? k : 1;
}

/* utf8_valid(s) -> true | false, offset (1-based) of the first bad byte */
static int utf8_valid(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  size_t ok = lpv_utf8_valid_prefix(s, len);
  if (ok == len) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  lua_pushinteger(L, (lua_Integer)ok + 1);
  return 2;
}

static const luaL_Reg utf8_funcs[] = {
  {"utf8_valid", utf8_valid},
  {NULL, NULL}
};

void lpv_open_utf8(lua_State *L) { luaL_setfuncs(L, utf8_funcs, 0); }
