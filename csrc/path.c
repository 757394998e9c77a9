/*
** path.c: JSON paths used in every message about a document's content.
** A member is ".Key" (no dot at the root), or ["key"] when the key holds
** '.', '[', ']', '"', whitespace or is empty; an index is [i], 0-based:
**   Statement[2].Condition.StringEquals.aws:SourceAccount
*/
#include <stdio.h>
#include <string.h>

#include "leastpriv.h"

/* Can key be written bare after a dot? */
static int path_bare_key(const char *key, size_t klen) {
  size_t i;
  if (klen == 0) return 0;
  for (i = 0; i < klen; i++) {
    unsigned char c = (unsigned char)key[i];
    if (c <= ' ' || c == '.' || c == '[' || c == ']' || c == '"' || c == 0x7f)
      return 0;
  }
  return 1;
}

void lpv_path_push_key(lua_State *L, const char *prefix, size_t plen,
                       const char *key, size_t klen) {
  luaL_Buffer b;
  size_t i;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, prefix, plen);
  if (path_bare_key(key, klen)) {
    if (plen > 0) luaL_addchar(&b, '.');
    luaL_addlstring(&b, key, klen);
  } else {
    luaL_addstring(&b, "[\"");
    for (i = 0; i < klen; i++) {
      if (key[i] == '"' || key[i] == '\\') luaL_addchar(&b, '\\');
      luaL_addchar(&b, key[i]);
    }
    luaL_addstring(&b, "\"]");
  }
  luaL_pushresult(&b);
}

void lpv_path_push_index(lua_State *L, const char *prefix, size_t plen,
                         lua_Integer index) {
  char num[32];
  luaL_Buffer b;
  (void)snprintf(num, sizeof num, "[%lld]", (long long)index);
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, prefix, plen);
  luaL_addstring(&b, num);
  luaL_pushresult(&b);
}
