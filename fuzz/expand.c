/*
** fuzz/expand.c: action expansion.  core.catalog_expand of each line of
** the first four lines of the input and of them all at once (T.expand in
** fuzz/support.lua); each result must be exactly the catalog's actions
** that lpv_glob_match finds for the pattern (case folded), canonical names
** in table order.
*/
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "leastpriv.h"

#ifdef __clang__
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

#define MAX_LINES 4              /* patterns per input (T.expand agrees) */

static long n_actions;

static int fold(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Mark in hit[] the actions whose names pattern p matches, as
** lpv_glob_match judges (case folded).  A name that does not start with
** the pattern's literal prefix, or end with its literal suffix, cannot
** match: those are not asked, which keeps the judge's cost down. */
NO_COVERAGE
static void brute_force(const char *p, size_t plen, unsigned char *hit) {
  size_t pre = 0, suf = 0, k;
  long i;
  while (pre < plen && p[pre] != '*' && p[pre] != '?') pre++;
  while (pre < plen && suf < plen - pre && p[plen - 1 - suf] != '*' && p[plen - 1 - suf] != '?')
    suf++;
  for (i = 0; i < n_actions; i++) {
    size_t nlen;
    const char *name = lpv_catalog_action_name(i, &nlen);
    if (nlen < pre + suf) continue;
    for (k = 0; k < pre && fold((unsigned char)name[k]) == fold((unsigned char)p[k]); k++) {}
    if (k < pre) continue;
    for (k = 0; k < suf && fold((unsigned char)name[nlen - 1 - k]) ==
                           fold((unsigned char)p[plen - 1 - k]); k++) {}
    if (k < suf) continue;
    if (lpv_glob_match(p, plen, name, nlen, 1)) hit[i] = 1;
  }
}

/* Compare the list at stack index idx with hit[]: item k must be the
** canonical name of the k-th action marked, in table order. */
NO_COVERAGE
static void compare(lua_State *L, int idx, const unsigned char *hit) {
  lua_Integer k, n = (lua_Integer)lua_rawlen(L, idx);
  long i = 0;
  for (k = 1; k <= n; k++) {
    size_t len, clen;
    const char *name, *canon;
    lua_rawgeti(L, idx, k);
    name = lua_tolstring(L, -1, &len);
    if (name == NULL) fuzz_fail("catalog_expand: a list item is not a string");
    while (i < n_actions && !hit[i]) i++;
    if (i == n_actions)
      fuzz_fail("catalog_expand: more items than actions the pattern matches");
    canon = lpv_catalog_action_name(i, &clen);
    if (clen != len || memcmp(canon, name, len) != 0)
      fuzz_fail("catalog_expand: an item is not the next action the pattern matches "
                "(a wrong action, a repeat, the wrong order or the wrong case)");
    i++;
    lua_pop(L, 1);
  }
  while (i < n_actions && !hit[i]) i++;
  if (i < n_actions) fuzz_fail("catalog_expand misses actions the pattern matches");
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
    long i;
    memset(hit, 0, (size_t)n_actions);
    brute_force(line, len, hit);
    compare(L, idx++, hit);
    for (i = 0; i < n_actions; i++) all[i] |= hit[i];
    if (nl == NULL || idx > MAX_LINES) break;
    line = nl + 1;
  }
  compare(L, idx, all);                 /* all lines at once */
  lua_settop(L, 0);
  free(hit);
  free(all);
  return 0;
}
