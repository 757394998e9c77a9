/*
** fuzz/expand.c: action expansion.  core.catalog_expand of each line of
** the input and of all lines at once (T.expand in fuzz/support.lua); each
** result must be exactly the catalog's actions that lpv_glob_match finds
** for the pattern (case folded), in table order, without repeats.
*/
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "leastpriv.h"

static long n_actions;

/* Mark in hit[] the actions whose names pattern p matches. */
static void brute_force(const char *p, size_t plen, unsigned char *hit) {
  long i;
  for (i = 0; i < n_actions; i++) {
    size_t nlen;
    const char *name = lpv_catalog_action_name(i, &nlen);
    if (lpv_glob_match(p, plen, name, nlen, 1)) hit[i] = 1;
  }
}

/* Compare the list at stack index idx with hit[]. */
static void compare(lua_State *L, int idx, const unsigned char *hit) {
  lua_Integer k, n = (lua_Integer)lua_rawlen(L, idx);
  long prev = -1, count = 0, i;
  for (k = 1; k <= n; k++) {
    size_t len, clen;
    const char *name, *canon;
    long a;
    lua_rawgeti(L, idx, k);
    name = lua_tolstring(L, -1, &len);
    if (name == NULL) fuzz_fail("catalog_expand: a list item is not a string");
    a = lpv_catalog_find_action(name, len);
    if (a < 0) fuzz_fail("catalog_expand: an item is no action");
    canon = lpv_catalog_action_name(a, &clen);
    if (clen != len || memcmp(canon, name, len) != 0)
      fuzz_fail("catalog_expand: an item is not the canonical name");
    if (a <= prev) fuzz_fail("catalog_expand: items out of table order or repeated");
    if (!hit[a]) fuzz_fail("catalog_expand: an action the pattern does not match");
    prev = a;
    lua_pop(L, 1);
  }
  for (i = 0; i < n_actions; i++) count += hit[i];
  if (count != (long)n) fuzz_fail("catalog_expand misses actions the pattern matches");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data, *end = s + size, *line = s;
  lua_State *L = fuzz_state();
  unsigned char *hit, *all;
  int idx = 1;
  if (n_actions == 0)
    while (lpv_catalog_action_name(n_actions, NULL) != NULL) n_actions++;
  hit = malloc((size_t)n_actions);
  all = calloc((size_t)n_actions, 1);
  if (hit == NULL || all == NULL) abort();
  fuzz_call("expand", data, size, LUA_MULTRET);
  for (;;) {                            /* one list per line */
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
    memset(hit, 0, (size_t)n_actions);
    brute_force(line, len, hit);
    compare(L, idx++, hit);
    brute_force(line, len, all);
    if (nl == NULL) break;
    line = nl + 1;
  }
  compare(L, idx, all);                 /* all lines at once */
  lua_settop(L, 0);
  free(hit);
  free(all);
  return 0;
}
