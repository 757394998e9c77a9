/*
** glob.c: IAM wildcard matching ('*' any run, '?' one character).
**
** The matcher remembers only the last '*' seen and restarts from it on a
** mismatch, which is correct for patterns without character classes and
** never backtracks further: O(len(s) * len(segment)) worst case, so a
** hostile pattern like "*a*a*a*a*a*a*b" against 100 KB of "a" is fast.
** '?' consumes one UTF-8 character, not one byte.
*/
#include "leastpriv.h"

/* Byte length of the UTF-8 sequence that starts with c (1 for bytes that
** cannot start one, so malformed input still makes progress). */
static size_t glob_charlen(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF4) return 4;
  if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
  if (c >= 0xC2) return 2;
  return 1;
}

/* Advance one character from s[i], never past slen. */
static size_t glob_next(const char *s, size_t i, size_t slen) {
  size_t n = glob_charlen((unsigned char)s[i]);
  return (i + n > slen) ? slen : i + n;
}

static int glob_lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int lpv_glob_match(const char *pat, size_t plen, const char *s, size_t slen,
                   int nocase) {
  size_t p = 0, i = 0;
  size_t star_p = 0, star_i = 0;
  int have_star = 0;
  while (i < slen) {
    if (p < plen && pat[p] == '*') {
      have_star = 1;
      star_p = ++p;
      star_i = i;
    } else if (p < plen && pat[p] == '?') {
      p++;
      i = glob_next(s, i, slen);
    } else if (p < plen && (pat[p] == s[i] ||
               (nocase && glob_lower((unsigned char)pat[p]) ==
                          glob_lower((unsigned char)s[i])))) {
      p++;
      i++;
    } else if (have_star) {
      /* let the last star swallow one more character and retry */
      p = star_p;
      star_i = glob_next(s, star_i, slen);
      i = star_i;
    } else {
      return 0;
    }
  }
  while (p < plen && pat[p] == '*') p++;
  return p == plen;
}

/* glob_match(pattern, s [, nocase]) -> boolean */
static int l_glob_match(lua_State *L) {
  size_t plen, slen;
  const char *pat = luaL_checklstring(L, 1, &plen);
  const char *s = luaL_checklstring(L, 2, &slen);
  int nocase = lua_toboolean(L, 3);
  lua_pushboolean(L, lpv_glob_match(pat, plen, s, slen, nocase));
  return 1;
}

static const luaL_Reg glob_funcs[] = {
  {"glob_match", l_glob_match},
  {NULL, NULL}
};

void lpv_open_glob(lua_State *L) { luaL_setfuncs(L, glob_funcs, 0); }
