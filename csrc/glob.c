/*
** glob.c: IAM wildcard matching ('*' any run, '?' one character).
**
** The matcher remembers only the last '*' seen and restarts from it on a
** mismatch, which is correct for patterns without character classes and
** never backtracks further: O(len(s) * len(segment)) worst case, so a
** hostile pattern like "*a*a*a*a*a*a*b" against 100 KB of "a" is fast.
** '?' consumes one UTF-8 character, not one byte.
*/
#include <string.h>

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

/* Can a character of pattern p (at its position) and one of q be the same
** character of a string both match?  ('*' is handled by the caller.) */
static int glob_compatible(int a, int b, int nocase) {
  if (a == '?' || b == '?') return 1;
  return a == b || (nocase && glob_lower(a) == glob_lower(b));
}

#define GLOB_ROW_MAX 1024

/* The bytes LPV_GLOB_NOSLASH and LPV_GLOB_NOCOLON in a pattern are a '*'
** that cannot match '/' or ':' (catalog templates use them for names that
** never hold one).  glob_excluded gives that character, or 0. */
static int glob_excluded(int c) {
  return c == LPV_GLOB_NOSLASH ? '/' : c == LPV_GLOB_NOCOLON ? ':' : 0;
}

static int glob_star_like(int c) { return c == '*' || glob_excluded(c) != 0; }

int lpv_glob_intersect(const char *p, size_t n, const char *q, size_t m, int nocase) {
  /* dp[i][j]: can p[i:] and q[j:] match one common string?  Computed from
  ** the ends backwards, keeping two rows over q (the shorter pattern). */
  unsigned char next[GLOB_ROW_MAX + 1], cur[GLOB_ROW_MAX + 1];
  size_t i, j;
  if (m > n) {
    const char *t = p; size_t tl = n;
    p = q; n = m; q = t; m = tl;
  }
  if (m > GLOB_ROW_MAX) return 1;          /* too long to decide: assume yes */
  next[m] = 1;                             /* row i = n: p is exhausted */
  for (j = m; j-- > 0;)
    next[j] = (unsigned char)(glob_star_like((unsigned char)q[j]) && next[j + 1]);
  for (i = n; i-- > 0;) {
    int a = (unsigned char)p[i];
    cur[m] = (unsigned char)(glob_star_like(a) && next[m]);
    for (j = m; j-- > 0;) {
      int b = (unsigned char)q[j];
      if (a == '*' || b == '*')            /* a free star on either side */
        cur[j] = (unsigned char)(next[j] || cur[j + 1]);
      else if (glob_excluded(a))           /* empty, or it takes q[j] if allowed */
        cur[j] = (unsigned char)(next[j] || (b != glob_excluded(a) && cur[j + 1]));
      else if (glob_excluded(b))
        cur[j] = (unsigned char)(cur[j + 1] || (a != glob_excluded(b) && next[j]));
      else
        cur[j] = (unsigned char)(glob_compatible(a, b, nocase) && next[j + 1]);
    }
    memcpy(next, cur, m + 1);
  }
  return next[0];
}

int lpv_glob_contains(const char *p, size_t n, const char *q, size_t m, int nocase) {
  /* dp[i][j]: does p[i:] match q[j:] read as a string in which q's '*'
  ** can only be taken by a '*' of p, and q's '?' by a '?' or '*' of p?
  ** Then every string q matches, p matches (sound; "*?" vs "?*" is
  ** missed).  Two rows over q, from the ends backwards. */
  unsigned char next[GLOB_ROW_MAX + 2], cur[GLOB_ROW_MAX + 2];
  size_t i, j;
  if (m > GLOB_ROW_MAX) return 0;          /* too long to decide: not shown */
  /* characters are read by their lead byte: in malformed UTF-8 a '*' could
  ** hide inside one, so such patterns are not shown to contain anything */
  if (lpv_utf8_valid_prefix(p, n) != n || lpv_utf8_valid_prefix(q, m) != m) return 0;
  memset(next, 0, m + 1);
  next[m] = 1;                             /* row i = n: both exhausted */
  for (i = n; i-- > 0;) {
    int a = (unsigned char)p[i];
    cur[m] = (unsigned char)(a == '*' && next[m]);
    for (j = m; j-- > 0;) {
      int b = (unsigned char)q[j];
      size_t k = glob_next(q, j, m);
      if (a == '*')                        /* empty, or it takes q's next character */
        cur[j] = (unsigned char)(next[j] || cur[k]);
      else if (a == '?')
        cur[j] = (unsigned char)(b != '*' && next[k]);
      else
        cur[j] = (unsigned char)(b != '*' && b != '?' &&
                                 (a == b || (nocase && glob_lower(a) == glob_lower(b))) &&
                                 next[j + 1]);
    }
    memcpy(next, cur, m + 1);
  }
  return next[0];
}

/* glob_contains(p, q [, nocase]) -> boolean: is every string q matches
** matched by p (shown, not decided: false also when not shown)? */
static int l_glob_contains(lua_State *L) {
  size_t pl, ql;
  const char *p = luaL_checklstring(L, 1, &pl);
  const char *q = luaL_checklstring(L, 2, &ql);
  lua_pushboolean(L, lpv_glob_contains(p, pl, q, ql, lua_toboolean(L, 3)));
  return 1;
}

/* glob_intersect(p, q [, nocase]) -> boolean: does some string match both? */
static int l_glob_intersect(lua_State *L) {
  size_t pl, ql;
  const char *p = luaL_checklstring(L, 1, &pl);
  const char *q = luaL_checklstring(L, 2, &ql);
  lua_pushboolean(L, lpv_glob_intersect(p, pl, q, ql, lua_toboolean(L, 3)));
  return 1;
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
  {"glob_intersect", l_glob_intersect},
  {"glob_contains", l_glob_contains},
  {NULL, NULL}
};

void lpv_open_glob(lua_State *L) { luaL_setfuncs(L, glob_funcs, 0); }
