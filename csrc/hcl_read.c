/*
** hcl_read.c: the reader of Terraform's native syntax (HCL 2), core.hcl_parse.
** Text in, a syntax tree of plain tables out, every node with the line and
** column (in characters) of its first character; or nil, "LINE:COL:
** message".  Nothing is evaluated here (that is leastpriv.terraform_source).
**
**   body       { kind = "body", attributes = { NAME = attribute }, blocks = { block... } }
**   attribute  { kind = "attribute", name =, expr = }
**   block      { kind = "block", type =, labels = { string... }, body = }
**   expressions, each { kind = ..., line =, column = }:
**     literal   value = string | number | boolean, null = true for null,
**               text = the number as written
**     template  parts = { string | { kind = "interp", expr } | directive... }
**               directive: { kind = "if", cond, yes = parts, no = parts }
**                          { kind = "for", key, value, coll, parts }
**     tuple     items = { expr... }
**     object    items = { { key = expr, value = expr }... } (a bare name
**               key is a literal string)
**     var       name                     (a root: var, local, aws_iam_role, ...)
**     getattr   object, name
**     index     object, key
**     splat     object, each = { { kind = "getattr" | "index", ... }... }
**     call      name, args = { expr... }, expand = true for a final "..."
**     unary     op ("!" | "-"), operand
**     binary    op, left, right
**     cond      cond, yes, no
**     forexpr   key (name or nil), value (name), coll, keyexpr (objects),
**               expr, cond, group (objects with "..."), object = boolean
**     paren     expr
** Heredocs are templates (<<- strips the common indentation); comments
** (#, //, slash-star) are skipped.  All memory is Lua's; nesting is bounded
** by HR_MAX_DEPTH and the text by LPV_MAX_DOCUMENT.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leastpriv.h"

#define HR_MAX_DEPTH 128

typedef struct hr {
  lua_State *L;
  const char *src, *p, *end;
  lua_Integer line;
  const char *line_start;
  int depth;
  int errslot;    /* stack index of the error message */
  int nl;         /* > 0 inside brackets: newlines are whitespace */
} hr;

#define hr_isdigit(c) ((unsigned)((c) - '0') < 10u)
#define hr_isalpha(c) ((unsigned)(((c) | 0x20) - 'a') < 26u)

static int hr_expr(hr *r);
static int hr_template(hr *r, int heredoc, const char *stop, int indent);

/* ---- positions and errors ---- */


/* Fail at pos: "LINE:COL: message" into the error slot; returns 0.  The
** line is counted from the start of the text (errors are rare), so it is
** right wherever pos lies. */
static int hr_error(hr *r, const char *pos, const char *fmt, ...) {
  lua_State *L = r->L;
  va_list ap;
  char at[64];
  const char *q, *ls = r->src;
  lua_Integer line = 1, col = 1;
  if (pos > r->end) pos = r->end;
  for (q = r->src; q < pos; q++) if (*q == '\n') { line++; ls = q + 1; }
  for (q = ls; q < pos; q++) col += ((unsigned char)*q & 0xC0) != 0x80;
  (void)snprintf(at, sizeof at, "%lld:%lld: ", (long long)line, (long long)col);
  luaL_checkstack(L, 4, NULL);
  lua_pushstring(L, at);
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  lua_concat(L, 2);
  lua_replace(L, r->errslot);
  return 0;
}

/* What stands at pos, for messages. */
static const char *hr_what(const hr *r, const char *pos) {
  if (pos >= r->end) return "the end of the file";
  if (*pos == '\n') return "a new line";
  return NULL;
}

static int hr_expected(hr *r, const char *pos, const char *what) {
  const char *at = hr_what(r, pos);
  if (at) return hr_error(r, pos, "expected %s, found %s", what, at);
  if ((unsigned char)*pos < 0x20 || (unsigned char)*pos >= 0x7F) {
    char hex[8];   /* lua_pushfstring has no %X */
    (void)snprintf(hex, sizeof hex, "0x%02X", (unsigned)(unsigned char)*pos);
    return hr_error(r, pos, "expected %s, found byte %s", what, hex);
  }
  return hr_error(r, pos, "expected %s, found '%c'", what, *pos);
}

static int hr_enter(hr *r) {
  if (++r->depth > HR_MAX_DEPTH) return hr_error(r, r->p, "nested deeper than %d levels", HR_MAX_DEPTH);
  luaL_checkstack(r->L, 12, "HCL nesting");
  return 1;
}

/* ---- whitespace and comments ---- */

static void hr_newline(hr *r, const char *after) {
  r->line++;
  r->line_start = after;
}

/* Skip blanks and comments, and newlines too when nl > 0, or when nl == 0
** and r->nl > 0 (inside brackets); nl < 0 stops at a newline always.
** Returns 0 on an unterminated block comment. */
static int hr_skip(hr *r, int nl) {
  const char *p = r->p;
  nl = nl > 0 || (nl == 0 && r->nl > 0);
  for (;;) {
    if (p >= r->end) break;
    if (*p == ' ' || *p == '\t' || *p == '\r') { p++; continue; }
    if (*p == '\n') {
      if (!nl) break;
      p++;
      hr_newline(r, p);
      continue;
    }
    if (*p == '#' || (*p == '/' && p + 1 < r->end && p[1] == '/')) {
      while (p < r->end && *p != '\n') p++;
      continue;
    }
    if (*p == '/' && p + 1 < r->end && p[1] == '*') {
      const char *start = p;
      p += 2;
      while (p + 1 < r->end && !(p[0] == '*' && p[1] == '/')) {
        if (*p == '\n') hr_newline(r, p + 1);
        p++;
      }
      if (p + 1 >= r->end) {
        r->p = p;
        return hr_error(r, start, "unterminated /* comment");
      }
      p += 2;
      continue;
    }
    break;
  }
  r->p = p;
  return 1;
}

/* ---- nodes ---- */

/* A place in the text: its line and where that line starts. */
typedef struct hr_pos {
  lua_Integer line;
  const char *line_start, *p;
} hr_pos;

static hr_pos hr_here(const hr *r) {
  hr_pos at;
  at.line = r->line;
  at.line_start = r->line_start;
  at.p = r->p;
  return at;
}

/* Push a new node table { kind =, line =, column = } for the text at `at`. */
static void hr_node_at(hr *r, const char *kind, hr_pos at) {
  lua_State *L = r->L;
  const char *q;
  lua_Integer col = 1;
  for (q = at.line_start; q < at.p; q++) col += ((unsigned char)*q & 0xC0) != 0x80;
  lua_createtable(L, 0, 6);
  lua_pushstring(L, kind);
  lua_setfield(L, -2, "kind");
  lua_pushinteger(L, at.line);
  lua_setfield(L, -2, "line");
  lua_pushinteger(L, col);
  lua_setfield(L, -2, "column");
}

/* A node for text at pos, on the current line. */
static void hr_node(hr *r, const char *kind, const char *pos) {
  hr_pos at = hr_here(r);
  at.p = pos;
  hr_node_at(r, kind, at);
}

/* An identifier: letter or _, then letters, digits, _ and - (HCL's ID_Start
** and ID_Continue restricted to ASCII, as Terraform names are). */
static size_t hr_ident_len(const hr *r, const char *p) {
  const char *q = p;
  if (q >= r->end || !(hr_isalpha(*q) || *q == '_')) return 0;
  q++;
  while (q < r->end && (hr_isalpha(*q) || hr_isdigit(*q) || *q == '_' || *q == '-')) q++;
  return (size_t)(q - p);
}

static int hr_keyword(const hr *r, const char *kw) {
  size_t n = strlen(kw);
  return (size_t)(r->end - r->p) >= n && memcmp(r->p, kw, n) == 0 && hr_ident_len(r, r->p) == n;
}

/* ---- literals ---- */

static int hr_number(hr *r) {
  lua_State *L = r->L;
  const char *start = r->p, *p = r->p;
  char buf[128];
  size_t n;
  while (p < r->end && hr_isdigit(*p)) p++;
  if (p + 1 < r->end && *p == '.' && hr_isdigit(p[1])) {
    p++;
    while (p < r->end && hr_isdigit(*p)) p++;
  }
  if (p < r->end && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    if (q < r->end && (*q == '+' || *q == '-')) q++;
    if (q < r->end && hr_isdigit(*q)) {
      p = q;
      while (p < r->end && hr_isdigit(*p)) p++;
    }
  }
  n = (size_t)(p - start);
  hr_node(r, "literal", start);
  lua_pushlstring(L, start, n);
  lua_setfield(L, -2, "text");
  if (n < sizeof buf) {
    memcpy(buf, start, n);
    buf[n] = '\0';
    lua_pushnumber(L, (lua_Number)strtod(buf, NULL));
  }
  else lua_pushnumber(L, (lua_Number)HUGE_VAL);
  lua_setfield(L, -2, "value");
  r->p = p;
  return 1;
}

/* ---- templates ---- */

/* Append the UTF-8 encoding of code point c to b. */
static void hr_utf8(luaL_Buffer *b, unsigned long c) {
  char s[4];
  int n;
  if (c < 0x80) { s[0] = (char)c; n = 1; }
  else if (c < 0x800) { s[0] = (char)(0xC0 | (c >> 6)); s[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
  else if (c < 0x10000) {
    s[0] = (char)(0xE0 | (c >> 12)); s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    s[2] = (char)(0x80 | (c & 0x3F)); n = 3;
  }
  else {
    s[0] = (char)(0xF0 | (c >> 18)); s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((c >> 6) & 0x3F)); s[3] = (char)(0x80 | (c & 0x3F)); n = 4;
  }
  luaL_addlstring(b, s, (size_t)n);
}

/* Template parts are collected in the table at stack index `parts`; a
** literal run is flushed into it as one string. */
typedef struct hr_parts {
  int parts;         /* stack index of the parts list */
  lua_Integer n;     /* parts so far */
  int strip_next;    /* the next literal loses its leading whitespace (~}) */
} hr_parts;

/* Add the literal string on top of the stack as a part (pops it). */
static void hr_add_literal(hr *r, hr_parts *ps) {
  lua_State *L = r->L;
  size_t len;
  const char *s = lua_tolstring(L, -1, &len);
  if (ps->strip_next) {
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    lua_pushlstring(L, s + i, len - i);
    lua_remove(L, -2);
    len -= i;
    ps->strip_next = 0;
  }
  if (len == 0) { lua_pop(L, 1); return; }
  lua_rawseti(L, ps->parts, ++ps->n);
}

/* ~ before an interpolation: strip trailing whitespace of the last literal. */
static void hr_strip_last(hr *r, hr_parts *ps) {
  lua_State *L = r->L;
  size_t len;
  const char *s;
  if (ps->n == 0) return;
  lua_rawgeti(L, ps->parts, ps->n);
  if (lua_type(L, -1) == LUA_TSTRING) {
    s = lua_tolstring(L, -1, &len);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
      len--;
    lua_pushlstring(L, s, len);
    lua_rawseti(L, ps->parts, ps->n);
  }
  lua_pop(L, 1);
}

/* After "${" or "%{": skip "~" (strip) and blanks. */
static int hr_open_seq(hr *r, hr_parts *ps) {
  if (r->p < r->end && *r->p == '~') {
    r->p++;
    hr_strip_last(r, ps);
  }
  r->nl++;
  return hr_skip(r, 1);
}

/* Before "}" of a sequence: optional "~", then "}". */
static int hr_close_seq(hr *r, hr_parts *ps, const char *what) {
  if (!hr_skip(r, 1)) return 0;
  r->nl--;
  if (r->p < r->end && *r->p == '~') {
    r->p++;
    ps->strip_next = 1;
  }
  if (r->p >= r->end || *r->p != '}') return hr_expected(r, r->p, what);
  r->p++;
  return 1;
}

/* A directive's keyword after "%{": if, else, endif, for, endfor. */
static int hr_directive_word(hr *r, const char **word) {
  static const char *const words[] = { "if", "else", "endif", "for", "endfor", NULL };
  int i;
  for (i = 0; words[i]; i++) {
    if (hr_keyword(r, words[i])) {
      *word = words[i];
      r->p += strlen(words[i]);
      return 1;
    }
  }
  return hr_expected(r, r->p, "if, else, endif, for or endfor after %{");
}

/* The clause of a for (directive or expression) at r->p: NAME [, NAME]
** in EXPR, set as key, value and coll of the node on top of the stack. */
static int hr_for_clause(hr *r) {
  lua_State *L = r->L;
  size_t n1, n2 = 0;
  const char *id1 = r->p, *id2 = NULL;
  n1 = hr_ident_len(r, id1);
  if (n1 == 0) return hr_expected(r, r->p, "a name after for");
  r->p += n1;
  if (!hr_skip(r, 1)) return 0;
  if (r->p < r->end && *r->p == ',') {
    r->p++;
    if (!hr_skip(r, 1)) return 0;
    id2 = r->p;
    n2 = hr_ident_len(r, id2);
    if (n2 == 0) return hr_expected(r, r->p, "a second name after for NAME,");
    r->p += n2;
    if (!hr_skip(r, 1)) return 0;
  }
  if (!hr_keyword(r, "in")) return hr_expected(r, r->p, "in");
  r->p += 2;
  if (!hr_skip(r, 1)) return 0;
  if (id2) {
    lua_pushlstring(L, id1, n1);
    lua_setfield(L, -2, "key");
    lua_pushlstring(L, id2, n2);
  }
  else lua_pushlstring(L, id1, n1);
  lua_setfield(L, -2, "value");
  if (!hr_expr(r)) return 0;
  lua_setfield(L, -2, "coll");
  return 1;
}

/* Read template parts up to stop (a quoted string's closing quote or a
** heredoc's end) or to a closing directive, whose word is pushed then (a
** string) instead of nil.  Pushes the parts list, then that word or nil.
** indent: heredoc columns to strip at each line start (<<-). */
static int hr_parts_until(hr *r, int heredoc, const char *stop, int indent) {
  lua_State *L = r->L;
  hr_parts ps;
  luaL_Buffer b;
  int at_line_start = 1, stripped = 0;
  if (!hr_enter(r)) return 0;
  lua_newtable(L);
  ps.parts = lua_gettop(L);
  ps.n = 0;
  ps.strip_next = 0;
  luaL_buffinit(L, &b);
  for (;;) {
    const char *p = r->p;
    if (p >= stop) {
      if (!heredoc) return hr_error(r, p, "unterminated string");
      break;
    }
    if (!heredoc && *p == '"') break;
    if (heredoc && at_line_start && stripped < indent && (*p == ' ' || *p == '\t')) {
      r->p++;
      stripped++;
      continue;
    }
    at_line_start = 0;
    if ((*p == '$' || *p == '%') && p + 2 < stop && p[1] == *p && p[2] == '{') {
      luaL_addchar(&b, *p);               /* $${ and %%{ are literal ${ and %{ */
      luaL_addchar(&b, '{');
      r->p += 3;
      continue;
    }
    if ((*p == '$' || *p == '%') && p + 1 < stop && p[1] == '{') {
      const char *seq = p;
      luaL_pushresult(&b);
      hr_add_literal(r, &ps);
      r->p += 2;
      if (!hr_open_seq(r, &ps)) return 0;
      if (*seq == '$') {
        hr_node(r, "interp", seq);
        if (!hr_expr(r)) return 0;
        lua_setfield(L, -2, "expr");
        if (!hr_close_seq(r, &ps, "} to end the interpolation")) return 0;
        lua_rawseti(L, ps.parts, ++ps.n);
      }
      else {
        const char *word = NULL;
        if (!hr_directive_word(r, &word)) return 0;
        if (word[0] == 'e') {           /* else, endif, endfor: ends these parts */
          if (!hr_close_seq(r, &ps, "} after the directive")) return 0;
          r->depth--;
          lua_pushstring(L, word);
          return 1;
        }
        if (!hr_skip(r, 1)) return 0;
        if (word[0] == 'i') {
          const char *end_word;
          hr_node(r, "if", seq);
          if (!hr_expr(r)) return 0;
          lua_setfield(L, -2, "cond");
          if (!hr_close_seq(r, &ps, "} after the if condition")) return 0;
          if (!hr_parts_until(r, heredoc, stop, 0)) return 0;
          end_word = lua_tostring(L, -1);
          if (end_word == NULL) return hr_error(r, seq, "%%{ if } without %%{ endif }");
          lua_pop(L, 1);
          lua_setfield(L, -2, "yes");
          if (strcmp(end_word, "else") == 0) {
            if (!hr_parts_until(r, heredoc, stop, 0)) return 0;
            end_word = lua_tostring(L, -1);
            if (end_word == NULL || strcmp(end_word, "endif") != 0)
              return hr_error(r, seq, "%%{ else } without %%{ endif }");
            lua_pop(L, 1);
            lua_setfield(L, -2, "no");
          }
          else if (strcmp(end_word, "endif") != 0)
            return hr_error(r, seq, "%%{ if } closed by %%{ %s }", end_word);
        }
        else {
          const char *end_word;
          hr_node(r, "for", seq);
          if (!hr_for_clause(r)) return 0;
          if (!hr_close_seq(r, &ps, "} after the for clause")) return 0;
          if (!hr_parts_until(r, heredoc, stop, 0)) return 0;
          end_word = lua_tostring(L, -1);
          if (end_word == NULL || strcmp(end_word, "endfor") != 0)
            return hr_error(r, seq, "%%{ for } without %%{ endfor }");
          lua_pop(L, 1);
          lua_setfield(L, -2, "parts");
        }
        lua_rawseti(L, ps.parts, ++ps.n);
      }
      luaL_buffinit(L, &b);
      continue;
    }
    if (*p == '\n') {
      if (!heredoc) return hr_error(r, p, "unterminated string (a new line in a quoted string)");
      luaL_addchar(&b, '\n');
      r->p++;
      hr_newline(r, r->p);
      at_line_start = 1;
      stripped = 0;
      continue;
    }
    if (!heredoc && *p == '\\') {
      if (p + 1 >= stop) return hr_error(r, p, "unterminated string");
      switch (p[1]) {
        case 'n': luaL_addchar(&b, '\n'); r->p += 2; continue;
        case 'r': luaL_addchar(&b, '\r'); r->p += 2; continue;
        case 't': luaL_addchar(&b, '\t'); r->p += 2; continue;
        case '"': luaL_addchar(&b, '"'); r->p += 2; continue;
        case '\\': luaL_addchar(&b, '\\'); r->p += 2; continue;
        case 'u': case 'U': {
          int digits = p[1] == 'u' ? 4 : 8, i;
          unsigned long c = 0;
          for (i = 0; i < digits; i++) {
            int h = p + 2 + i < stop ? (unsigned char)p[2 + i] : 0;
            int v = hr_isdigit(h) ? h - '0' : ((h | 0x20) >= 'a' && (h | 0x20) <= 'f') ? (h | 0x20) - 'a' + 10 : -1;
            if (v < 0) return hr_error(r, p, "\\%c needs %d hexadecimal digits", p[1], digits);
            c = c * 16 + (unsigned long)v;
          }
          if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return hr_error(r, p, "\\%c escape of an invalid code point", p[1]);
          hr_utf8(&b, c);
          r->p += 2 + digits;
          continue;
        }
        default:
          return hr_error(r, p, "invalid escape \\%c in a string", p[1] ? p[1] : '?');
      }
    }
    luaL_addchar(&b, *p);
    r->p++;
  }
  luaL_pushresult(&b);
  hr_add_literal(r, &ps);
  r->depth--;
  lua_pushnil(L);
  return 1;
}

/* A template node from r->p (after its opening) up to stop. */
static int hr_template(hr *r, int heredoc, const char *stop, int indent) {
  lua_State *L = r->L;
  const char *word;
  if (!hr_parts_until(r, heredoc, stop, indent)) return 0;
  word = lua_tostring(L, -1);
  if (word != NULL) return hr_error(r, r->p, "%%{ %s } without its opening directive", word);
  lua_pop(L, 1);
  lua_setfield(L, -2, "parts");
  return 1;
}

static int hr_quoted(hr *r) {
  const char *start = r->p;
  hr_node(r, "template", start);
  r->p++;
  if (!hr_template(r, 0, r->end, 0)) return 0;
  if (r->p >= r->end || *r->p != '"') return hr_error(r, start, "unterminated string");
  r->p++;
  return 1;
}

/* <<EOF or <<-EOF ... EOF (the marker alone on its line, blanks allowed
** before it). */
static int hr_heredoc(hr *r) {
  const char *start = r->p, *p, *marker, *body, *q, *close = NULL;
  size_t mlen;
  int strip = 0, indent = 0;
  p = r->p + 2;
  if (p < r->end && *p == '-') { strip = 1; p++; }
  marker = p;
  mlen = hr_ident_len(r, marker);
  if (mlen == 0) return hr_expected(r, p, "a heredoc marker after <<");
  p += mlen;
  if (p < r->end && *p == '\r') p++;
  if (p >= r->end || *p != '\n') return hr_expected(r, p, "a new line after the heredoc marker");
  body = p + 1;
  /* find the closing line */
  for (q = body; q < r->end;) {
    const char *ls = q, *le;
    while (q < r->end && *q != '\n') q++;
    le = q;
    while (ls < le && (*ls == ' ' || *ls == '\t')) ls++;
    if (le > ls && le[-1] == '\r') le--;
    if ((size_t)(le - ls) == mlen && memcmp(ls, marker, mlen) == 0) {
      close = le;               /* the content ends where the marker's line begins */
      while (close > body && close[-1] != '\n') close--;
      break;
    }
    if (q < r->end) q++;
  }
  if (close == NULL) {
    lua_pushlstring(r->L, marker, mlen);   /* lua_pushfstring has no %.*s */
    return hr_error(r, start, "heredoc without its closing %s line", lua_tostring(r->L, -1));
  }
  if (strip) {                  /* the least indentation of the non-blank lines */
    int first = 1;
    for (q = body; q < close;) {
      int n = 0;
      while (q < close && (*q == ' ' || *q == '\t')) { q++; n++; }
      if (q < close && *q != '\n' && *q != '\r' && (first || n < indent)) { indent = n; first = 0; }
      while (q < close && *q != '\n') q++;
      if (q < close) q++;
    }
  }
  hr_node(r, "template", start);
  lua_pushboolean(r->L, 1);
  lua_setfield(r->L, -2, "heredoc");
  r->p = body;
  hr_newline(r, body);
  if (!hr_template(r, 1, close, indent)) return 0;
  /* past the closing marker's line */
  q = close;
  while (q < r->end && *q != '\n') q++;
  r->p = q;
  return 1;
}

/* ---- collections ---- */

/* [for ...] or {for ...}: r->p at "for". */
static int hr_for(hr *r, hr_pos start, int object) {
  lua_State *L = r->L;
  char close = object ? '}' : ']';
  hr_node_at(r, "forexpr", start);
  lua_pushboolean(L, object);
  lua_setfield(L, -2, "object");
  r->p += 3;
  if (!hr_skip(r, 1)) return 0;
  if (!hr_for_clause(r)) return 0;
  if (!hr_skip(r, 1)) return 0;
  if (r->p >= r->end || *r->p != ':') return hr_expected(r, r->p, ": after the for clause");
  r->p++;
  if (!hr_skip(r, 1)) return 0;
  if (!hr_expr(r)) return 0;
  if (object) {
    lua_setfield(L, -2, "keyexpr");
    if (!hr_skip(r, 1)) return 0;
    if (r->p + 1 >= r->end || r->p[0] != '=' || r->p[1] != '>') return hr_expected(r, r->p, "=> in a for object");
    r->p += 2;
    if (!hr_skip(r, 1)) return 0;
    if (!hr_expr(r)) return 0;
    if (!hr_skip(r, 1)) return 0;
    if (r->end - r->p >= 3 && memcmp(r->p, "...", 3) == 0) {
      r->p += 3;
      lua_pushboolean(L, 1);
      lua_setfield(L, -3, "group");
    }
  }
  lua_setfield(L, -2, "expr");
  if (!hr_skip(r, 1)) return 0;
  if (hr_keyword(r, "if")) {
    r->p += 2;
    if (!hr_skip(r, 1)) return 0;
    if (!hr_expr(r)) return 0;
    lua_setfield(L, -2, "cond");
    if (!hr_skip(r, 1)) return 0;
  }
  if (r->p >= r->end || *r->p != close) return hr_expected(r, r->p, object ? "} to end the for" : "] to end the for");
  r->p++;
  return 1;
}

/* After "[" or "{": a for expression when one follows (read and pushed,
** *done set), else the collection's node and its item list pushed.
** Returns 0 on an error. */
static int hr_collection(hr *r, const char *kind, int object, int *done) {
  hr_pos start = hr_here(r);
  r->p++;
  r->nl++;
  *done = 0;
  if (!hr_skip(r, 1)) return 0;
  if (hr_keyword(r, "for")) {
    *done = 1;
    if (!hr_for(r, start, object)) return 0;
    r->nl--;
    return 1;
  }
  hr_node_at(r, kind, start);
  lua_newtable(r->L);
  return 1;
}

static int hr_tuple(hr *r) {
  lua_State *L = r->L;
  lua_Integer n = 0;
  int done;
  if (!hr_collection(r, "tuple", 0, &done)) return 0;
  if (done) return 1;
  for (;;) {
    if (!hr_skip(r, 1)) return 0;
    if (r->p < r->end && *r->p == ']') { r->p++; break; }
    if (!hr_expr(r)) return 0;
    lua_rawseti(L, -2, ++n);
    if (!hr_skip(r, 1)) return 0;
    if (r->p < r->end && *r->p == ',') { r->p++; continue; }
    if (r->p < r->end && *r->p == ']') { r->p++; break; }
    return hr_expected(r, r->p, ", or ] in a tuple");
  }
  lua_setfield(L, -2, "items");
  r->nl--;
  return 1;
}

static int hr_object(hr *r) {
  lua_State *L = r->L;
  lua_Integer n = 0;
  int done;
  if (!hr_collection(r, "object", 1, &done)) return 0;
  if (done) return 1;
  for (;;) {
    const char *kpos;
    size_t klen;
    if (!hr_skip(r, 1)) return 0;
    if (r->p < r->end && *r->p == '}') { r->p++; break; }
    lua_createtable(L, 0, 2);
    kpos = r->p;
    klen = hr_ident_len(r, kpos);
    if (klen > 0) {            /* a bare name is the key itself */
      const char *after = kpos + klen;
      while (after < r->end && (*after == ' ' || *after == '\t')) after++;
      if (after < r->end && (*after == '=' || *after == ':') && !(after + 1 < r->end && after[1] == '=')) {
        hr_node(r, "literal", kpos);
        lua_pushlstring(L, kpos, klen);
        lua_setfield(L, -2, "value");
        r->p = kpos + klen;
      }
      else if (!hr_expr(r)) return 0;
    }
    else if (!hr_expr(r)) return 0;
    lua_setfield(L, -2, "key");
    if (!hr_skip(r, -1)) return 0;
    if (r->p >= r->end || (*r->p != '=' && *r->p != ':')) return hr_expected(r, r->p, "= or : after an object key");
    r->p++;
    if (!hr_expr(r)) return 0;
    lua_setfield(L, -2, "value");
    lua_rawseti(L, -2, ++n);
    if (!hr_skip(r, -1)) return 0;      /* items end at a new line or a comma */
    if (r->p < r->end && (*r->p == ',' || *r->p == '\n')) {
      if (*r->p == '\n') hr_newline(r, r->p + 1);
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == '}') { r->p++; break; }
    return hr_expected(r, r->p, "a new line, , or } after an object item");
  }
  lua_setfield(L, -2, "items");
  r->nl--;
  return 1;
}

/* ---- expressions ---- */

static int hr_call(hr *r, const char *start, size_t nlen) {
  lua_State *L = r->L;
  lua_Integer n = 0;
  hr_node(r, "call", start);
  lua_pushlstring(L, start, nlen);
  lua_setfield(L, -2, "name");
  r->p++;                       /* ( */
  r->nl++;
  lua_newtable(L);
  for (;;) {
    if (!hr_skip(r, 1)) return 0;
    if (r->p < r->end && *r->p == ')') { r->p++; break; }
    if (!hr_expr(r)) return 0;
    lua_rawseti(L, -2, ++n);
    if (!hr_skip(r, 1)) return 0;
    if (r->end - r->p >= 3 && memcmp(r->p, "...", 3) == 0) {
      r->p += 3;
      lua_pushboolean(L, 1);
      lua_setfield(L, -3, "expand");
      if (!hr_skip(r, 1)) return 0;
      if (r->p < r->end && *r->p == ')') { r->p++; break; }
      return hr_expected(r, r->p, ") after ...");
    }
    if (r->p < r->end && *r->p == ',') { r->p++; continue; }
    if (r->p < r->end && *r->p == ')') { r->p++; break; }
    return hr_expected(r, r->p, ", or ) in the arguments");
  }
  lua_setfield(L, -2, "args");
  r->nl--;
  return 1;
}

static int hr_primary(hr *r) {
  lua_State *L = r->L;
  const char *p = r->p;
  size_t n;
  if (p >= r->end) return hr_expected(r, p, "an expression");
  if (hr_isdigit(*p)) return hr_number(r);
  if (*p == '"') return hr_quoted(r);
  if (*p == '<' && p + 1 < r->end && p[1] == '<') return hr_heredoc(r);
  if (*p == '[') return hr_tuple(r);
  if (*p == '{') return hr_object(r);
  if (*p == '(') {
    hr_node(r, "paren", p);
    r->p++;
    r->nl++;
    if (!hr_skip(r, 1)) return 0;
    if (!hr_expr(r)) return 0;
    lua_setfield(L, -2, "expr");
    if (!hr_skip(r, 1)) return 0;
    if (r->p >= r->end || *r->p != ')') return hr_expected(r, r->p, ")");
    r->p++;
    r->nl--;
    return 1;
  }
  n = hr_ident_len(r, p);
  if (n == 0) return hr_expected(r, p, "an expression");
  if ((n == 4 && memcmp(p, "true", 4) == 0) || (n == 5 && memcmp(p, "false", 5) == 0)) {
    hr_node(r, "literal", p);
    lua_pushboolean(L, n == 4);
    lua_setfield(L, -2, "value");
    r->p += n;
    return 1;
  }
  if (n == 4 && memcmp(p, "null", 4) == 0) {
    hr_node(r, "literal", p);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "null");
    r->p += n;
    return 1;
  }
  {
    /* provider::NAME::fn( namespaced functions */
    const char *q = p + n;
    while (r->end - q >= 2 && q[0] == ':' && q[1] == ':' && hr_ident_len(r, q + 2) > 0)
      q += 2 + hr_ident_len(r, q + 2);
    if (q < r->end && *q == '(') {
      r->p = q;
      return hr_call(r, p, (size_t)(q - p));
    }
  }
  hr_node(r, "var", p);
  lua_pushlstring(L, p, n);
  lua_setfield(L, -2, "name");
  r->p += n;
  return 1;
}

/* .name, [key], .*, [*] after a primary expression. */
static int hr_postfix(hr *r) {
  lua_State *L = r->L;
  int splat = 0;             /* stack index of the splat's "each" list */
  lua_Integer nsteps = 0;
  for (;;) {
    const char *p = r->p;
    size_t n;
    if (r->nl > 0) {         /* inside brackets a traversal may follow a new line */
      const char *save = r->p, *q;
      lua_Integer line = r->line;
      const char *ls = r->line_start;
      if (!hr_skip(r, 1)) return 0;
      q = r->p;
      if (!(q < r->end && (*q == '.' || *q == '['))) {
        r->p = save; r->line = line; r->line_start = ls;
      }
      p = r->p;
    }
    if (p >= r->end) break;
    if (*p == '.' && p + 1 < r->end && p[1] == '*') {
      r->p = p + 2;
      if (splat) continue;
      hr_node(r, "splat", p);
      lua_insert(L, -2);
      lua_setfield(L, -2, "object");
      lua_newtable(L);
      splat = lua_gettop(L);
      nsteps = 0;
      continue;
    }
    if (*p == '[' && p + 2 < r->end && p[1] == '*' && p[2] == ']') {
      r->p = p + 3;
      if (splat) continue;
      hr_node(r, "splat", p);
      lua_insert(L, -2);
      lua_setfield(L, -2, "object");
      lua_newtable(L);
      splat = lua_gettop(L);
      nsteps = 0;
      continue;
    }
    if (*p == '.' && p + 1 < r->end && (hr_isalpha(p[1]) || p[1] == '_')) {
      n = hr_ident_len(r, p + 1);
      hr_node(r, "getattr", p);
      lua_pushlstring(L, p + 1, n);
      lua_setfield(L, -2, "name");
      r->p = p + 1 + n;
      if (splat) { lua_rawseti(L, splat, ++nsteps); continue; }
      lua_insert(L, -2);
      lua_setfield(L, -2, "object");
      continue;
    }
    if (*p == '.' && p + 1 < r->end && hr_isdigit(p[1])) {     /* legacy a.0 */
      const char *d = p + 1;
      while (d < r->end && hr_isdigit(*d)) d++;
      hr_node(r, "index", p);
      hr_node(r, "literal", p + 1);
      lua_pushnumber(L, (lua_Number)strtod(p + 1, NULL));
      lua_setfield(L, -2, "value");
      lua_setfield(L, -2, "key");
      r->p = d;
      if (splat) { lua_rawseti(L, splat, ++nsteps); continue; }
      lua_insert(L, -2);
      lua_setfield(L, -2, "object");
      continue;
    }
    if (*p == '[') {
      hr_node(r, "index", p);
      r->p = p + 1;
      r->nl++;
      if (!hr_skip(r, 1)) return 0;
      if (!hr_expr(r)) return 0;
      lua_setfield(L, -2, "key");
      if (!hr_skip(r, 1)) return 0;
      if (r->p >= r->end || *r->p != ']') return hr_expected(r, r->p, "] after an index");
      r->p++;
      r->nl--;
      if (splat) { lua_rawseti(L, splat, ++nsteps); continue; }
      lua_insert(L, -2);
      lua_setfield(L, -2, "object");
      continue;
    }
    break;
  }
  if (splat) lua_setfield(L, -2, "each");
  return 1;
}

static int hr_unary(hr *r) {
  lua_State *L = r->L;
  const char *p = r->p;
  if (!hr_enter(r)) return 0;
  if (p < r->end && (*p == '!' || *p == '-')) {
    hr_node(r, "unary", p);
    lua_pushlstring(L, p, 1);
    lua_setfield(L, -2, "op");
    r->p++;
    if (!hr_skip(r, 0)) return 0;
    if (!hr_unary(r)) return 0;
    lua_setfield(L, -2, "operand");
    r->depth--;
    return 1;
  }
  if (!hr_primary(r)) return 0;
  if (!hr_postfix(r)) return 0;
  r->depth--;
  return 1;
}

/* The binary operator at r->p and its precedence (0: none). */
static int hr_binop(const hr *r, const char **op, size_t *len) {
  const char *p = r->p;
  if (p >= r->end) return 0;
  *op = p;
  *len = 2;
  if (p + 1 < r->end) {
    if (p[0] == '|' && p[1] == '|') return 1;
    if (p[0] == '&' && p[1] == '&') return 2;
    if ((p[0] == '=' || p[0] == '!') && p[1] == '=') return 3;
    if ((p[0] == '<' || p[0] == '>') && p[1] == '=') return 4;
  }
  *len = 1;
  if (*p == '<' || *p == '>') return 4;
  if (*p == '+' || *p == '-') return 5;
  if (*p == '*' || *p == '/' || *p == '%') return 6;
  return 0;
}

/* Precedence climbing: operands and operators of precedence >= min. */
static int hr_binary(hr *r, int min) {
  lua_State *L = r->L;
  if (!hr_enter(r)) return 0;
  if (!hr_unary(r)) return 0;
  for (;;) {
    const char *op, *save = r->p;
    size_t len;
    int prec;
    lua_Integer line = r->line;
    const char *ls = r->line_start;
    if (!hr_skip(r, 0)) return 0;
    prec = hr_binop(r, &op, &len);
    if (prec == 0 || prec < min ||
        (len == 1 && *op == '/' && r->p + 1 < r->end && (r->p[1] == '/' || r->p[1] == '*'))) {
      r->p = save; r->line = line; r->line_start = ls;
      break;
    }
    hr_node(r, "binary", op);
    lua_pushlstring(L, op, len);
    lua_setfield(L, -2, "op");
    lua_insert(L, -2);
    lua_setfield(L, -2, "left");
    r->p += len;
    if (!hr_skip(r, 0)) return 0;      /* outside brackets the operand is on the same line */
    if (!hr_binary(r, prec + 1)) return 0;
    lua_setfield(L, -2, "right");
  }
  r->depth--;
  return 1;
}

static int hr_expr(hr *r) {
  lua_State *L = r->L;
  const char *save;
  lua_Integer line;
  const char *ls;
  if (!hr_enter(r)) return 0;
  if (!hr_skip(r, 0)) return 0;
  if (!hr_binary(r, 1)) return 0;
  save = r->p;
  line = r->line;
  ls = r->line_start;
  if (!hr_skip(r, 0)) return 0;
  if (r->p < r->end && *r->p == '?') {
    hr_node(r, "cond", r->p);
    lua_insert(L, -2);
    lua_setfield(L, -2, "cond");
    r->p++;
    if (!hr_skip(r, 0)) return 0;
    if (!hr_expr(r)) return 0;
    lua_setfield(L, -2, "yes");
    if (!hr_skip(r, 0)) return 0;
    if (r->p >= r->end || *r->p != ':') return hr_expected(r, r->p, ": in a conditional");
    r->p++;
    if (!hr_skip(r, 0)) return 0;
    if (!hr_expr(r)) return 0;
    lua_setfield(L, -2, "no");
  }
  else { r->p = save; r->line = line; r->line_start = ls; }
  r->depth--;
  return 1;
}

/* ---- bodies ---- */

/* Read a body up to "}" (closing) or the end of the text; pushes it. */
static int hr_body(hr *r, int closing, const char *open) {
  lua_State *L = r->L;
  int attrs, blocks;
  lua_Integer nblocks = 0;
  if (!hr_enter(r)) return 0;
  hr_node(r, "body", r->p);
  lua_newtable(L);
  attrs = lua_gettop(L);
  lua_newtable(L);
  blocks = lua_gettop(L);
  for (;;) {
    const char *start;
    size_t n;
    if (!hr_skip(r, 1)) return 0;
    if (r->p >= r->end) {
      if (closing) return hr_error(r, open, "block without its closing }");
      break;
    }
    if (closing && *r->p == '}') { r->p++; break; }
    start = r->p;
    n = hr_ident_len(r, start);
    if (n == 0) return hr_expected(r, start, "an attribute name or a block type");
    r->p += n;
    if (!hr_skip(r, 0)) return 0;
    if (r->p < r->end && *r->p == '=' && !(r->p + 1 < r->end && r->p[1] == '=')) {
      lua_pushlstring(L, start, n);
      lua_rawget(L, attrs);
      if (!lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return hr_error(r, start, "attribute %s is defined twice in one body", lua_pushlstring(L, start, n));
      }
      lua_pop(L, 1);
      hr_node(r, "attribute", start);
      lua_pushlstring(L, start, n);
      lua_setfield(L, -2, "name");
      r->p++;
      if (!hr_expr(r)) return 0;
      lua_setfield(L, -2, "expr");
      lua_pushlstring(L, start, n);
      lua_insert(L, -2);
      lua_rawset(L, attrs);
      if (!hr_skip(r, 0)) return 0;
      if (r->p < r->end && *r->p != '\n' && !(closing && *r->p == '}'))
        return hr_expected(r, r->p, "a new line after the attribute");
      continue;
    }
    {
      lua_Integer nlabels = 0;
      hr_node(r, "block", start);
      lua_pushlstring(L, start, n);
      lua_setfield(L, -2, "type");
      lua_newtable(L);
      for (;;) {
        size_t ln;
        if (r->p < r->end && *r->p == '"') {
          const char *q = r->p + 1;
          luaL_Buffer b;
          luaL_buffinit(L, &b);
          while (q < r->end && *q != '"' && *q != '\n') {
            if (*q == '\\' || (*q == '$' && q + 1 < r->end && q[1] == '{') ||
                (*q == '%' && q + 1 < r->end && q[1] == '{'))
              return hr_error(r, q, "a block label is a plain string: no escapes or templates");
            luaL_addchar(&b, *q);
            q++;
          }
          if (q >= r->end || *q != '"') return hr_error(r, r->p, "unterminated block label");
          luaL_pushresult(&b);
          lua_rawseti(L, -2, ++nlabels);
          r->p = q + 1;
        }
        else if ((ln = hr_ident_len(r, r->p)) > 0) {
          lua_pushlstring(L, r->p, ln);
          lua_rawseti(L, -2, ++nlabels);
          r->p += ln;
        }
        else break;
        if (!hr_skip(r, 0)) return 0;
      }
      lua_setfield(L, -2, "labels");
      if (r->p >= r->end || *r->p != '{') return hr_expected(r, r->p, "= or a block's {");
      {
        const char *brace = r->p;
        r->p++;
        if (!hr_body(r, 1, brace)) return 0;
      }
      lua_setfield(L, -2, "body");
      lua_rawseti(L, blocks, ++nblocks);
      if (!hr_skip(r, 0)) return 0;
      if (r->p < r->end && *r->p != '\n' && !(closing && *r->p == '}'))
        return hr_expected(r, r->p, "a new line after the block");
    }
  }
  lua_setfield(L, attrs - 1, "blocks");
  lua_setfield(L, attrs - 1, "attributes");
  r->depth--;
  return 1;
}

/* hcl_parse(text) -> body | nil, "LINE:COL: message" */
static int hcl_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  hr r;
  int ok;
  lua_settop(L, 1);
  lua_pushnil(L);                       /* 2: error message */
  r.L = L;
  r.src = r.p = s;
  r.end = s + len;
  r.line = 1;
  r.line_start = s;
  r.depth = 0;
  r.errslot = 2;
  r.nl = 0;
  if (len > LPV_MAX_DOCUMENT)
    ok = hr_error(&r, s, "file larger than %d MiB", (int)(LPV_MAX_DOCUMENT >> 20));
  else {
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) r.p = r.line_start = s + 3;
    ok = hr_body(&r, 0, s);
  }
  if (!ok) {
    lua_pushnil(L);
    lua_pushvalue(L, 2);
    return 2;
  }
  return 1;
}

static const luaL_Reg hcl_read_funcs[] = {
  {"hcl_parse", hcl_parse},
  {NULL, NULL}
};

void lpv_open_hcl_read(lua_State *L) { luaL_setfuncs(L, hcl_read_funcs, 0); }
