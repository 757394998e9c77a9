/*
** policy.c: normalisation of IAM policy documents to one canonical form.
**
** Accepts every shape IAM does (a string or a list for Action, Resource and
** principal values; Statement as one object or a list; Principal "*" or a
** map; condition values as strings, numbers or booleans) and builds a new
** table in the canonical form of docs/internal/contracts.md.  Checks shape
** only (types, required and exclusive elements, Effect); value rules such as
** ARN formats belong to validation.  Misuse raises "PATH: message".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leastpriv.h"

/* Where the walk is, for messages: Statement[i].Elem.Key.Key2[index]. */
typedef struct norm_ctx {
  lua_State *L;
  lua_Integer stmt;        /* statement index, or -1 */
  int single;              /* Statement given as one object */
  const char *elem;        /* element name, or NULL */
  const char *key;         /* principal type or condition operator */
  size_t keylen;
  const char *key2;        /* condition key */
  size_t key2len;
  lua_Integer index;       /* list index, or -1 */
} norm_ctx;

static const char *const policy_elements[] = { "Version", "Id", "Statement", NULL };
static const char *const statement_elements[] = {
  "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
  "Resource", "NotResource", "Condition", NULL
};
static const char *const principal_types[] = {
  "AWS", "Service", "Federated", "CanonicalUser", NULL
};

/* Push the path of the current position (may be ""). */
static void norm_push_path(norm_ctx *c) {
  lua_State *L = c->L;
  size_t len;
  const char *p;
  lua_pushliteral(L, "");
  if (c->stmt >= 0) {
    lua_pushliteral(L, "Statement");
    lua_remove(L, -2);
    if (!c->single) {
      p = lua_tolstring(L, -1, &len);
      lpv_path_push_index(L, p, len, c->stmt);
      lua_remove(L, -2);
    }
  }
  if (c->elem) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_key(L, p, len, c->elem, strlen(c->elem));
    lua_remove(L, -2);
  }
  if (c->key) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_key(L, p, len, c->key, c->keylen);
    lua_remove(L, -2);
  }
  if (c->key2) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_key(L, p, len, c->key2, c->key2len);
    lua_remove(L, -2);
  }
  if (c->index >= 0) {
    p = lua_tolstring(L, -1, &len);
    lpv_path_push_index(L, p, len, c->index);
    lua_remove(L, -2);
  }
}

/* Raise "PATH: msg" (or "msg" at the root). */
static int norm_error(norm_ctx *c, const char *msg) {
  lua_State *L = c->L;
  norm_push_path(c);
  if (lua_rawlen(L, -1) > 0) lua_pushliteral(L, ": ");
  else lua_pushliteral(L, "");
  lua_pushstring(L, msg);
  lua_concat(L, 3);
  return lua_error(L);
}

static int norm_lower(int ch) {
  return (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
}

/* Case-insensitive edit distance of two short strings (capped at 9). */
static int norm_distance(const char *a, size_t al, const char *b, size_t bl) {
  int row[33], i, j;
  if (al > 32 || bl > 32) return 9;
  for (j = 0; j <= (int)bl; j++) row[j] = j;
  for (i = 1; i <= (int)al; i++) {
    int diag = row[0];
    row[0] = i;
    for (j = 1; j <= (int)bl; j++) {
      int up = row[j];
      int cost = norm_lower((unsigned char)a[i - 1]) == norm_lower((unsigned char)b[j - 1]) ? 0 : 1;
      int best = diag + cost;
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[bl];
}

/* Raise "PATH: unknown element (did you mean X?)" for key k. */
static int norm_unknown(norm_ctx *c, const char *what, const char *const *known,
                        const char *k, size_t klen) {
  char msg[160];
  const char *best = NULL;
  int best_d = 3, i;
  for (i = 0; known[i]; i++) {
    int d = norm_distance(k, klen, known[i], strlen(known[i]));
    if (d < best_d) { best_d = d; best = known[i]; }
  }
  if (best) (void)snprintf(msg, sizeof msg, "unknown %s (did you mean %s?)", what, best);
  else {
    size_t off = (size_t)snprintf(msg, sizeof msg, "unknown %s (expected ", what);
    for (i = 0; known[i] && off < sizeof msg; i++)
      off += (size_t)snprintf(msg + off, sizeof msg - off, "%s%s",
                              i == 0 ? "" : (known[i + 1] ? ", " : " or "), known[i]);
    if (off < sizeof msg) (void)snprintf(msg + off, sizeof msg - off, ")");
  }
  return norm_error(c, msg);
}

/* Is k (klen bytes, which may hold '\0') one of the names in known? */
static int norm_is_known(const char *const *known, const char *k, size_t klen) {
  int i;
  for (i = 0; known[i]; i++)
    if (strlen(known[i]) == klen && memcmp(known[i], k, klen) == 0) return 1;
  return 0;
}

/* Is the value at idx the string lit, byte for byte? */
static int norm_is_string(lua_State *L, int idx, const char *lit) {
  size_t len;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING) return 0;
  s = lua_tolstring(L, idx, &len);
  return len == strlen(lit) && memcmp(s, lit, len) == 0;
}

/* Is the table at idx a sequence 1..n with no other keys?  Sets *n. */
static int norm_is_sequence(lua_State *L, int idx, lua_Integer *n) {
  lua_Integer count = 0, len = (lua_Integer)lua_rawlen(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TNUMBER || !lua_isinteger(L, -1)) {
      lua_pop(L, 1);
      return 0;
    }
    count++;
  }
  *n = len;
  return count == len;
}

/* Push a new canonical list (array-marked). */
static void norm_new_list(lua_State *L, int size) {
  lua_createtable(L, size, 0);
  luaL_setmetatable(L, LPV_ARRAY_MT);
}

/* Push the condition value at idx as a string (numbers and booleans too). */
static void norm_push_scalar(norm_ctx *c, int idx) {
  lua_State *L = c->L;
  switch (lua_type(L, idx)) {
    case LUA_TSTRING:
      lua_pushvalue(L, idx);
      return;
    case LUA_TBOOLEAN:
      lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
      return;
    case LUA_TNUMBER: {
      lua_Number v = lua_tonumber(L, idx);
      if (v != v || v - v != 0) norm_error(c, "must be a finite number");
      lpv_push_number_text(L, idx);
      return;
    }
    default:
      norm_error(c, "must be a string, number or boolean");
  }
}

/* Push a canonical list of strings from the string or list at idx.
** scalars: also accept numbers and booleans (condition values). */
static void norm_list(norm_ctx *c, int idx, int scalars) {
  lua_State *L = c->L;
  lua_Integer n = 0, i;
  const char *expect = scalars ? "must be a value or a list of values"
                               : "must be a string or a list of strings";
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 6, "policy too complex");
  if (lua_type(L, idx) == LUA_TSTRING ||
      (scalars && (lua_type(L, idx) == LUA_TNUMBER || lua_type(L, idx) == LUA_TBOOLEAN))) {
    norm_new_list(L, 1);
    norm_push_scalar(c, idx);
    lua_rawseti(L, -2, 1);
    return;
  }
  if (lua_type(L, idx) != LUA_TTABLE || !norm_is_sequence(L, idx, &n))
    norm_error(c, expect);
  norm_new_list(L, (int)n);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    c->index = i - 1;
    if (scalars) {
      if (lua_type(L, -1) == LUA_TTABLE) norm_error(c, "must be a string, number or boolean");
      norm_push_scalar(c, -1);
    } else {
      if (lua_type(L, -1) != LUA_TSTRING) norm_error(c, "must be a string");
      lua_pushvalue(L, -1);
    }
    lua_rawseti(L, -3, i);
    lua_pop(L, 1);
  }
  c->index = -1;
}

/* Push the canonical Principal / NotPrincipal from idx. */
static void norm_principal(norm_ctx *c, int idx) {
  lua_State *L = c->L;
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING) {
    if (!norm_is_string(L, idx, "*"))
      norm_error(c, "must be \"*\" or a map with AWS, Service, Federated or CanonicalUser");
    lua_pushliteral(L, "*");
    return;
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    norm_error(c, "must be \"*\" or a map with AWS, Service, Federated or CanonicalUser");
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    size_t klen;
    const char *k;
    if (lua_type(L, -2) != LUA_TSTRING)
      norm_error(c, "must be \"*\" or a map with AWS, Service, Federated or CanonicalUser");
    k = lua_tolstring(L, -2, &klen);
    c->key = k;
    c->keylen = klen;
    if (!norm_is_known(principal_types, k, klen))
      norm_unknown(c, "principal type", principal_types, k, klen);
    norm_list(c, -1, 0);
    lua_pushvalue(L, -3);          /* key */
    lua_insert(L, -2);
    lua_rawset(L, -5);
    lua_pop(L, 1);
  }
  c->key = NULL;
}

/* Push the canonical Condition block from idx. */
static void norm_condition(norm_ctx *c, int idx) {
  lua_State *L = c->L;
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TTABLE)
    norm_error(c, "must be a map of condition operators");
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int op = lua_gettop(L);
    if (lua_type(L, op - 1) != LUA_TSTRING)
      norm_error(c, "must be a map of condition operators (names are strings)");
    c->key = lua_tolstring(L, op - 1, &c->keylen);
    if (lua_type(L, op) != LUA_TTABLE)
      norm_error(c, "must be a map of condition keys to values");
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, op)) {
      if (lua_type(L, -2) != LUA_TSTRING)
        norm_error(c, "must be a map of condition keys to values (keys are strings)");
      c->key2 = lua_tolstring(L, -2, &c->key2len);
      norm_list(c, -1, 1);
      lua_pushvalue(L, -3);
      lua_insert(L, -2);
      lua_rawset(L, -5);
      lua_pop(L, 1);
    }
    c->key2 = NULL;
    lua_pushvalue(L, op - 1);
    lua_insert(L, -2);
    lua_rawset(L, op - 2);
    lua_pop(L, 1);
  }
  c->key = NULL;
}

/* Push the canonical statement from the table at idx. */
static void norm_statement(norm_ctx *c, int idx) {
  lua_State *L = c->L;
  int i;
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 12, "policy too complex");
  if (lua_type(L, idx) != LUA_TTABLE) norm_error(c, "must be a statement (a table)");
  /* every element must be known */
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 1);
      norm_error(c, "must be a statement: elements are named (Effect, Action, ...)");
    }
    {
      size_t klen;
      const char *k = lua_tolstring(L, -1, &klen);
      if (!norm_is_known(statement_elements, k, klen)) {
        c->elem = k;
        norm_unknown(c, "element", statement_elements, k, klen);
      }
    }
  }
  lua_createtable(L, 0, 6);
  for (i = 0; statement_elements[i]; i++) {
    const char *name = statement_elements[i];
    lua_getfield(L, idx, name);
    if (lua_isnil(L, -1)) { lua_pop(L, 1); continue; }
    c->elem = name;
    if (strcmp(name, "Sid") == 0) {
      if (lua_type(L, -1) != LUA_TSTRING) norm_error(c, "must be a string");
      lua_pushvalue(L, -1);
    } else if (strcmp(name, "Effect") == 0) {
      if (!norm_is_string(L, -1, "Allow") && !norm_is_string(L, -1, "Deny"))
        norm_error(c, "must be \"Allow\" or \"Deny\"");
      lua_pushvalue(L, -1);
    } else if (strstr(name, "Principal")) {
      norm_principal(c, -1);
    } else if (strcmp(name, "Condition") == 0) {
      norm_condition(c, -1);
    } else {
      norm_list(c, -1, 0);
    }
    lua_setfield(L, -3, name);
    lua_pop(L, 1);
  }
  c->elem = NULL;
  /* required and exclusive elements */
  {
    static const char *const pairs[][2] = {
      {"Principal", "NotPrincipal"}, {"Action", "NotAction"}, {"Resource", "NotResource"}
    };
    int k;
    lua_getfield(L, -1, "Effect");
    if (lua_isnil(L, -1)) norm_error(c, "missing Effect (\"Allow\" or \"Deny\")");
    lua_pop(L, 1);
    for (k = 0; k < 3; k++) {
      int a, b;
      lua_getfield(L, -1, pairs[k][0]);
      lua_getfield(L, -2, pairs[k][1]);
      a = !lua_isnil(L, -2);
      b = !lua_isnil(L, -1);
      lua_pop(L, 2);
      if (a && b) {
        char msg[80];
        (void)snprintf(msg, sizeof msg, "%s and %s cannot both appear", pairs[k][0], pairs[k][1]);
        norm_error(c, msg);
      }
      if (k == 1 && !a && !b) norm_error(c, "missing Action (or NotAction)");
    }
  }
}

/* policy_normalize(doc) -> canonical doc; raises "PATH: message" */
static int l_policy_normalize(lua_State *L) {
  norm_ctx c;
  lua_Integer n, i;
  memset(&c, 0, sizeof c);
  c.L = L;
  c.stmt = -1;
  c.index = -1;
  if (lua_type(L, 1) != LUA_TTABLE)
    return luaL_error(L, "a policy must be a table, not %s", luaL_typename(L, 1));
  lua_settop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "a policy holds Version, Id and Statement (found a list: "
                           "wrap statements in Statement = {...})");
    {
      size_t klen;
      const char *k = lua_tolstring(L, -1, &klen);
      if (!norm_is_known(policy_elements, k, klen)) {
        c.elem = k;
        norm_unknown(&c, "element", policy_elements, k, klen);
      }
    }
  }
  lua_createtable(L, 0, 3);                              /* 2: result */
  lua_getfield(L, 1, "Version");
  if (!lua_isnil(L, -1)) {
    c.elem = "Version";
    if (!norm_is_string(L, -1, "2012-10-17") && !norm_is_string(L, -1, "2008-10-17"))
      norm_error(&c, "must be \"2012-10-17\" or \"2008-10-17\"");
    lua_setfield(L, 2, "Version");
  } else lua_pop(L, 1);
  lua_getfield(L, 1, "Id");
  if (!lua_isnil(L, -1)) {
    c.elem = "Id";
    if (lua_type(L, -1) != LUA_TSTRING) norm_error(&c, "must be a string");
    lua_setfield(L, 2, "Id");
  } else lua_pop(L, 1);
  c.elem = "Statement";
  lua_getfield(L, 1, "Statement");                       /* 3 */
  if (lua_isnil(L, -1)) norm_error(&c, "missing (a policy needs at least one statement)");
  if (lua_type(L, -1) != LUA_TTABLE) norm_error(&c, "must be a statement or a list of them");
  c.elem = NULL;
  lua_getfield(L, 3, "Effect");
  lua_rawgeti(L, 3, 1);
  if (!lua_isnil(L, -2) || (lua_isnil(L, -1) && !norm_is_sequence(L, 3, &n))) {
    lua_pop(L, 2);                                       /* one statement object */
    c.stmt = 0;
    c.single = 1;
    norm_new_list(L, 1);
    norm_statement(&c, 3);
    lua_rawseti(L, -2, 1);
  } else {
    lua_pop(L, 2);
    if (!norm_is_sequence(L, 3, &n)) {
      c.elem = "Statement";
      norm_error(&c, "must be a statement or a list of them");
    }
    if (n == 0) {
      c.elem = "Statement";
      norm_error(&c, "must hold at least one statement");
    }
    norm_new_list(L, (int)n);
    for (i = 1; i <= n; i++) {
      c.stmt = i - 1;
      lua_rawgeti(L, 3, i);
      norm_statement(&c, -1);
      lua_rawseti(L, -3, i);
      lua_pop(L, 1);
    }
  }
  lua_setfield(L, 2, "Statement");
  lua_settop(L, 2);
  return 1;
}

static const luaL_Reg policy_funcs[] = {
  {"policy_normalize", l_policy_normalize},
  {NULL, NULL}
};

void lpv_open_policy(lua_State *L) { luaL_setfuncs(L, policy_funcs, 0); }
