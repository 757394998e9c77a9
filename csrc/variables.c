/*
** variables.c: IAM policy variables (${aws:username}, ${aws:PrincipalTag/k},
** defaults ${key, 'default'}, escapes ${*} ${?} ${$}) and the wildcard
** matchers that keep substituted text literal.
**
** A substituted pattern is written to a scratch buffer with a parallel
** mask: mask[i] = 1 makes a '*' or '?' at i an ordinary character, so a
** user name "a*b" or the escape ${*} never acts as a wildcard.
*/
#include <string.h>

#include "leastpriv.h"

#define VAR_MAX_NAME 256   /* longer names are never context keys */

static int var_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

char *lpv_scratch_room(lua_State *L, lpv_scratch *b, size_t n) {
  if (b->p == NULL || b->cap - b->len < n) {
    void *ud;
    lua_Alloc f = lua_getallocf(L, &ud);
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (cap - b->len < n) {
      if (cap > ((size_t)-1) / 2) luaL_error(L, "leastpriv: out of memory");
      cap *= 2;
    }
    p = (char *)f(ud, b->p, b->cap, cap);
    if (p == NULL) luaL_error(L, "leastpriv: out of memory");
    b->p = p;
    b->cap = cap;
  }
  return b->p + b->len;
}

void lpv_scratch_free(lua_State *L, lpv_scratch *b) {
  void *ud;
  lua_Alloc f = lua_getallocf(L, &ud);
  if (b->p) f(ud, b->p, b->cap, 0);
  b->p = NULL;
  b->len = b->cap = 0;
}

/* Append len bytes of s, each with mask byte m. */
static void var_put(lua_State *L, lpv_scratch *b, lpv_scratch *mask,
                    const char *s, size_t len, char m) {
  char *o = lpv_scratch_room(L, b, len), *mo = lpv_scratch_room(L, mask, len);
  memcpy(o, s, len);
  memset(mo, m, len);
  b->len += len;
  mask->len += len;
}

int lpv_var_present(const char *s, size_t len) {
  size_t i;
  for (i = 0; i + 1 < len; i++)
    if (s[i] == '$' && s[i + 1] == '{') return 1;
  return 0;
}

const lpv_centry *lpv_ctx_find(const lpv_ctx *c, const char *key, size_t klen) {
  int i;
  for (i = 0; i < c->n; i++) {
    const lpv_centry *e = &c->e[i];
    size_t k;
    if (e->klen != klen) continue;
    for (k = 0; k < klen; k++)
      if (var_lower((unsigned char)e->key[k]) != var_lower((unsigned char)key[k])) break;
    if (k == klen) return e;
  }
  return NULL;
}

/* Parse the variable body "name" or "name, 'default'" (between ${ and }).
** Sets the name and (when present) the default. */
static void var_parse(const char *body, size_t blen, const char **name, size_t *nlen,
                      const char **def, size_t *dlen) {
  size_t i;
  *name = body;
  *nlen = blen;
  *def = NULL;
  *dlen = 0;
  for (i = 0; i + 1 < blen; i++) {
    if (body[i] == ',' ) {
      size_t j = i + 1;
      while (j < blen && body[j] == ' ') j++;
      if (j < blen && body[j] == '\'' && blen - j >= 2 && body[blen - 1] == '\'') {
        *nlen = i;
        *def = body + j + 1;
        *dlen = blen - j - 2;
      }
      break;
    }
  }
  while (*nlen > 0 && (*name)[*nlen - 1] == ' ') (*nlen)--;
}

int lpv_var_substitute(lua_State *L, const char *s, size_t len, const lpv_ctx *c,
                       lpv_scratch *b, lpv_scratch *mask, int *lit) {
  size_t i = 0;
  b->len = mask->len = 0;
  *lit = 0;
  while (i < len) {
    const char *close;
    size_t start = i;
    while (i + 1 < len && !(s[i] == '$' && s[i + 1] == '{')) i++;
    if (i + 1 >= len) { i = len; }
    var_put(L, b, mask, s + start, i - start, 0);
    if (i >= len) break;
    close = memchr(s + i + 2, '}', len - i - 2);
    if (close == NULL) {                 /* no closing brace: literal text */
      var_put(L, b, mask, s + i, len - i, 0);
      break;
    }
    {
      const char *body = s + i + 2, *name, *def;
      size_t blen = (size_t)(close - body), nlen, dlen;
      i = (size_t)(close - s) + 1;
      if (blen == 1 && (*body == '*' || *body == '?' || *body == '$')) {
        var_put(L, b, mask, body, 1, 1);
        if (*body != '$') *lit = 1;
        continue;
      }
      var_parse(body, blen, &name, &nlen, &def, &dlen);
      {
        const lpv_centry *e = nlen <= VAR_MAX_NAME ? lpv_ctx_find(c, name, nlen) : NULL;
        if (e != NULL && e->n == 1) {
          const lpv_cval *v = &e->vals[0];
          if (memchr(v->s, '*', v->len) || memchr(v->s, '?', v->len)) *lit = 1;
          var_put(L, b, mask, v->s, v->len, 1);
        } else if (def != NULL) {
          if (memchr(def, '*', dlen) || memchr(def, '?', dlen)) *lit = 1;
          var_put(L, b, mask, def, dlen, 1);
        } else {
          return 0;
        }
      }
    }
  }
  lpv_scratch_room(L, b, 1);
  b->p[b->len] = '\0';
  return 1;
}


/* ---- masked wildcard matching ---- */

/* Byte length of the UTF-8 character that starts with c (as glob.c). */
static size_t var_charlen(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF4) return 4;
  if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
  if (c >= 0xC2) return 2;
  return 1;
}

static size_t var_next(const char *s, size_t i, size_t slen) {
  size_t n = var_charlen((unsigned char)s[i]);
  return i + n > slen ? slen : i + n;
}

int lpv_glob_match_masked(const char *pat, const char *mask, size_t plen,
                          const char *s, size_t slen, int nocase) {
  size_t p = 0, i = 0, star_p = 0, star_i = 0;
  int have_star = 0;
  if (mask == NULL) return lpv_glob_match(pat, plen, s, slen, nocase);
  while (i < slen) {
    int wild = p < plen && !mask[p];
    if (wild && pat[p] == '*') {
      have_star = 1;
      star_p = ++p;
      star_i = i;
    } else if (wild && pat[p] == '?') {
      p++;
      i = var_next(s, i, slen);
    } else if (p < plen && (pat[p] == s[i] ||
               (nocase && var_lower((unsigned char)pat[p]) == var_lower((unsigned char)s[i])))) {
      p++;
      i++;
    } else if (have_star) {
      p = star_p;
      star_i = var_next(s, star_i, slen);
      i = star_i;
    } else {
      return 0;
    }
  }
  while (p < plen && pat[p] == '*' && !mask[p]) p++;
  return p == plen;
}

int lpv_arn_match_resource_masked(const char *pat, const char *mask, size_t plen,
                                  const char *arn, size_t alen) {
  lpv_arn p, a;
  int np, na, i;
  if (mask == NULL) return lpv_arn_match_resource(pat, plen, arn, alen);
  if (plen == 1 && pat[0] == '*' && !mask[0]) return 1;
  np = lpv_arn_split(pat, plen, &p);
  na = lpv_arn_split(arn, alen, &a);
  if (na < 6 || np < 6) return lpv_glob_match_masked(pat, mask, plen, arn, alen, 0);
  for (i = 0; i < 5; i++)
    if (!lpv_glob_match_masked(p.part[i], mask + (p.part[i] - pat), p.len[i],
                               a.part[i], a.len[i], 1)) return 0;
  return lpv_glob_match_masked(p.part[5], mask + (p.part[5] - pat), p.len[5],
                               a.part[5], a.len[5], 0);
}

int lpv_arn_match_like_masked(const char *pat, const char *mask, size_t plen,
                              const char *arn, size_t alen) {
  lpv_arn p, a;
  int i;
  if (mask == NULL) return lpv_arn_match_like(pat, plen, arn, alen);
  if (plen == 1 && pat[0] == '*' && !mask[0]) return 1;
  if (lpv_arn_split(pat, plen, &p) != 6 || lpv_arn_split(arn, alen, &a) != 6) return 0;
  for (i = 0; i < 6; i++)
    if (!lpv_glob_match_masked(p.part[i], mask + (p.part[i] - pat), p.len[i],
                               a.part[i], a.len[i], 0)) return 0;
  return 1;
}
