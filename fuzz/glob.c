/*
** fuzz/glob.c: the IAM wildcard matcher.  core.glob_match (through Lua,
** see T.glob in fuzz/support.lua) and lpv_glob_match (the C API the other
** files use) on the input's first line (pattern) and the rest (subject),
** both cases; where pattern and subject are valid UTF-8 the result must
** equal that of a plain dynamic-programming matcher written here.  Both
** lines read as patterns: lpv_glob_contains and lpv_arn_contains must be
** sound (every instance of the inner pattern tried matches the outer).
*/
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "leastpriv.h"

/* Byte length of the character at s[i] as glob.c counts it: by its lead
** byte, never past len. */
static size_t ref_next(const unsigned char *s, size_t i, size_t len) {
  unsigned c = s[i];
  size_t n = (c >= 0xF0 && c <= 0xF4) ? 4 : (c >= 0xE0 && c <= 0xEF) ? 3
           : (c >= 0xC2 && c < 0xE0) ? 2 : 1;
  return i + n > len ? len : i + n;
}

static int ref_fold(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* The set of subject positions reachable after each pattern byte, one
** pattern byte at a time: '*' any run of characters, '?' one character,
** anything else one equal byte. */
static int ref_match(const unsigned char *p, size_t plen, const unsigned char *s,
                     size_t slen, int nocase) {
  unsigned char *cur = calloc(slen + 1, 1), *nxt = calloc(slen + 1, 1), *t;
  size_t j, i;
  int result;
  if (cur == NULL || nxt == NULL) abort();
  cur[0] = 1;
  for (j = 0; j < plen; j++) {
    memset(nxt, 0, slen + 1);
    for (i = 0; i <= slen; i++) {
      if (!cur[i]) continue;
      if (p[j] == '*') {
        size_t k = i;
        nxt[k] = 1;
        while (k < slen) { k = ref_next(s, k, slen); nxt[k] = 1; }
      } else if (i < slen && p[j] == '?') {
        nxt[ref_next(s, i, slen)] = 1;
      } else if (i < slen && (p[j] == s[i] ||
                 (nocase && ref_fold(p[j]) == ref_fold(s[i])))) {
        nxt[i + 1] = 1;
      }
    }
    t = cur; cur = nxt; nxt = t;
  }
  result = cur[slen];
  free(cur);
  free(nxt);
  return result;
}

/* An instance of pattern q: each '*' replaced by fill (flen bytes), each
** '?' by 'a'.  Returns its length (at most cap). */
static size_t instance(const char *q, size_t qlen, const char *fill, size_t flen,
                       char *out, size_t cap) {
  size_t i, n = 0;
  for (i = 0; i < qlen; i++) {
    if (q[i] == '*') {
      if (n + flen > cap) return n;
      memcpy(out + n, fill, flen);
      n += flen;
    } else if (n < cap && q[i] == '?') {
      out[n++] = 'a';
    } else if (n < cap) {
      out[n++] = q[i];
    }
  }
  return n;
}

static int ascii(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) if ((unsigned char)s[i] >= 0x80) return 0;
  return 1;
}

/* Containment is sound: when lpv_glob_contains(p, q), p matches every
** string q matches; tried on instances of q (and on ARNs for
** lpv_arn_contains).  When q contains p, they match a common string. */
static void check_contains(const char *p, size_t plen, const char *q, size_t qlen) {
  static const char *const fills[] = { "", "a", "xyz", "/", ":", "a:b/c" };
  char buf[4096];
  size_t k;
  int nocase;
  if (qlen > 1000) return;
  for (nocase = 0; nocase <= 1; nocase++) {
    if (!lpv_glob_contains(p, plen, q, qlen, nocase)) continue;
    for (k = 0; k < sizeof(fills) / sizeof(fills[0]); k++) {
      size_t n = instance(q, qlen, fills[k], strlen(fills[k]), buf, sizeof(buf));
      if (n < sizeof(buf) && lpv_glob_match(q, qlen, buf, n, nocase) &&
          !lpv_glob_match(p, plen, buf, n, nocase))
        fuzz_fail("glob_contains: an instance of the inner pattern escapes the outer");
    }
    /* (glob_intersect reads '?' as one byte: ASCII only) */
    if (ascii(p, plen) && ascii(q, qlen) && !lpv_glob_intersect(p, plen, q, qlen, nocase))
      fuzz_fail("glob_contains holds where glob_intersect finds no common string");
  }
  if (lpv_arn_contains(p, plen, q, qlen, 0)) {
    for (k = 0; k < sizeof(fills) / sizeof(fills[0]); k++) {
      size_t n = instance(q, qlen, fills[k], strlen(fills[k]), buf, sizeof(buf));
      if (n < sizeof(buf) && lpv_arn_match_resource(q, qlen, buf, n) &&
          !lpv_arn_match_resource(p, plen, buf, n))
        fuzz_fail("arn_contains: an ARN of the inner pattern escapes the outer");
    }
  }
  if (lpv_arn_contains(p, plen, q, qlen, 1)) {
    for (k = 0; k < sizeof(fills) / sizeof(fills[0]); k++) {
      size_t n = instance(q, qlen, fills[k], strlen(fills[k]), buf, sizeof(buf));
      if (n < sizeof(buf) && lpv_arn_match_like(q, qlen, buf, n) &&
          !lpv_arn_match_like(p, plen, buf, n))
        fuzz_fail("arn_contains (ArnLike): an ARN of the inner pattern escapes the outer");
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  const char *nl = memchr(s, '\n', size);
  const char *pat = s, *sub = s;
  size_t plen = size, slen = size;
  lua_State *L = fuzz_state();
  int nocase, lua_result[2];
  if (nl != NULL) {
    plen = (size_t)(nl - s);
    sub = nl + 1;
    slen = size - plen - 1;
  }
  fuzz_call("glob", data, size, 2);
  lua_result[0] = lua_toboolean(L, 1);
  lua_result[1] = lua_toboolean(L, 2);
  lua_settop(L, 0);
  for (nocase = 0; nocase <= 1; nocase++) {
    int got = lpv_glob_match(pat, plen, sub, slen, nocase);
    if (got != lua_result[nocase]) fuzz_fail("core.glob_match and lpv_glob_match disagree");
    if (lpv_utf8_valid_prefix(pat, plen) == plen && lpv_utf8_valid_prefix(sub, slen) == slen &&
        got != ref_match((const unsigned char *)pat, plen, (const unsigned char *)sub, slen, nocase))
      fuzz_fail(got ? "glob matches where the reference does not"
                    : "glob misses a match the reference finds");
  }
  check_contains(pat, plen, sub, slen);
  {
    /* the other way round: the second line as the outer pattern */
    const char *outer = sub, *inner = pat;
    size_t outer_len = slen, inner_len = plen;
    check_contains(outer, outer_len, inner, inner_len);
  }
  return 0;
}
