/*
** compat.h: the only place where Lua version differences are bridged.
** The code base is written to the Lua 5.4 API; for 5.3, 5.2, 5.1 and
** LuaJIT 2.1 (a 5.1 API) the 5.4 names used by csrc/ are defined here.
** Each shim is static inline, so a file that does not use one pays nothing.
** At the end: Lua's raising functions marked for clang's static analyser.
*/
#ifndef LEASTPRIV_COMPAT_H
#define LEASTPRIV_COMPAT_H

#include <stddef.h>
#include <stdint.h>

#include "lua.h"
#include "lauxlib.h"

/* ---- 5.1 and LuaJIT only ---- */
#if LUA_VERSION_NUM < 502

#ifndef LUA_OK
#define LUA_OK 0
#endif

#ifndef luaL_newlib            /* LuaJIT 2.1 has it */
#define luaL_newlib(L, l)      (lua_newtable(L), luaL_register(L, NULL, l))
#endif
#define lua_rawlen(L, i)       lua_objlen(L, i)
#define luaL_setfuncs(L, l, n) lpv_compat_setfuncs(L, l, n)
#define lua_absindex(L, i)     lpv_compat_absindex(L, i)
#define luaL_setmetatable(L, t) (luaL_getmetatable(L, t), lua_setmetatable(L, -2))
#define lua_rawsetp(L, i, p)   lpv_compat_rawsetp(L, i, p)
#define luaL_prepbuffsize(B, n) lpv_compat_prepbuffsize(B, n)
#define luaL_buffinitsize(L, B, n) (luaL_buffinit(L, B), luaL_prepbuffsize(B, n))
#define luaL_pushresultsize(B, n) (luaL_addsize(B, n), luaL_pushresult(B))
#define lua_pushlstring(L, s, n) lpv_compat_pushlstring(L, s, n)

/* Push s[0..n) and return Lua's copy (5.1's returns nothing). */
static inline const char *lpv_compat_pushlstring(lua_State *L, const char *s, size_t n) {
  (lua_pushlstring)(L, s, n);
  return lua_tostring(L, -1);
}

/* Register the functions of l into the table below nup upvalues. */
static inline void lpv_compat_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  int i;
  for (; l->name != NULL; l++) {
    for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}

/* i as an index that does not move when the stack grows. */
static inline int lpv_compat_absindex(lua_State *L, int i) {
  return (i > 0 || i <= LUA_REGISTRYINDEX) ? i : lua_gettop(L) + i + 1;
}

/* t[p] = the value on top (popped), t the table at i. */
static inline void lpv_compat_rawsetp(lua_State *L, int i, const void *p) {
  i = lua_absindex(L, i);
  lua_pushlightuserdata(L, (void *)(uintptr_t)p);
  lua_insert(L, -2);
  lua_rawset(L, i);
}

/* Room for n bytes: a 5.1 buffer holds at most LUAL_BUFFERSIZE at once
** (callers reserve in chunks below that), past it a clear error. */
static inline char *lpv_compat_prepbuffsize(luaL_Buffer *B, size_t n) {
  if (n > LUAL_BUFFERSIZE)
    luaL_error(B->L, "leastpriv: %d bytes at once exceed this Lua's buffer",
               (int)(n > 0x7fffffff ? 0x7fffffff : n));
  return luaL_prepbuffer(B);
}

/* The uservalue table of the userdata at i (its environment in 5.1). */
#define lpv_compat_getuvtable(L, i) lua_getfenv(L, i)
#define lpv_compat_setuvtable(L, i) lua_setfenv(L, i)

#else  /* 5.2 and 5.3 */

#define lpv_compat_getuvtable(L, i) ((void)lua_getuservalue(L, i))
#define lpv_compat_setuvtable(L, i) ((void)lua_setuservalue(L, i))

#endif

/* ---- 5.1, LuaJIT and 5.2 ---- */
#if LUA_VERSION_NUM < 503

#define LUA_MAXINTEGER PTRDIFF_MAX   /* lua_Integer is ptrdiff_t here */
#define LUA_MININTEGER PTRDIFF_MIN
#define lua_Unsigned   size_t        /* 5.2's is 32 bits */

/* Push t[p] (p a light userdata) from the table at i; returns its type. */
static inline int lpv_compat_rawgetp(lua_State *L, int i, const void *p) {
  i = lua_absindex(L, i);
  lua_pushlightuserdata(L, (void *)(uintptr_t)p);
  lua_rawget(L, i);
  return lua_type(L, -1);
}

#define lua_rawgetp(L, i, p)   lpv_compat_rawgetp(L, i, p)


/* The 5.3 getters return the type of the value they push. */
static inline int lpv_compat_getfield(lua_State *L, int i, const char *k) {
  (lua_getfield)(L, i, k);
  return lua_type(L, -1);
}
static inline int lpv_compat_rawgeti(lua_State *L, int i, lua_Integer n) {
  (lua_rawgeti)(L, i, (int)n);
  return lua_type(L, -1);
}
static inline int lpv_compat_rawget(lua_State *L, int i) {
  (lua_rawget)(L, i);
  return lua_type(L, -1);
}
static inline int lpv_compat_gettable(lua_State *L, int i) {
  (lua_gettable)(L, i);
  return lua_type(L, -1);
}
#define lua_getfield(L, i, k) lpv_compat_getfield(L, i, k)
#define lua_rawgeti(L, i, n)  lpv_compat_rawgeti(L, i, n)
#define lua_rawget(L, i)      lpv_compat_rawget(L, i)
#define lua_gettable(L, i)    lpv_compat_gettable(L, i)

/* Is the value at i a number with an integral value that lua_Integer holds?
** (Before 5.3 there is no integer subtype: 1.0 counts as an integer.) */
static inline int lpv_compat_isinteger(lua_State *L, int i) {
  lua_Number n;
  if (lua_type(L, i) != LUA_TNUMBER) return 0;
  n = lua_tonumber(L, i);
  return n >= -(lua_Number)LUA_MAXINTEGER - 1 && n < (lua_Number)LUA_MAXINTEGER &&
         n == (lua_Number)(lua_Integer)n;
}
#define lua_isinteger(L, i) lpv_compat_isinteger(L, i)

/* The value at i as an integer, *isint telling whether it is one (a number
** or numeric string with an integral value); 0 when it is not. */
static inline lua_Integer lpv_compat_tointegerx(lua_State *L, int i, int *isint) {
  lua_Number n;
  int ok = lua_isnumber(L, i);
  n = ok ? lua_tonumber(L, i) : 0;
  ok = ok && n >= -(lua_Number)LUA_MAXINTEGER - 1 && n < (lua_Number)LUA_MAXINTEGER &&
       n == (lua_Number)(lua_Integer)n;
  if (isint != NULL) *isint = ok;
  return ok ? (lua_Integer)n : 0;
}
#define lua_tointegerx(L, i, isint) lpv_compat_tointegerx(L, i, isint)

/* Rotate the elements from i to the top n positions towards the top. */
static inline void lpv_compat_rotate(lua_State *L, int i, int n) {
  i = lua_absindex(L, i);
  for (; n > 0; n--) lua_insert(L, i);
  for (; n < 0; n++) {
    lua_pushvalue(L, i);
    lua_remove(L, i);
  }
}
#define lua_rotate(L, i, n) lpv_compat_rotate(L, i, n)

#endif

/* ---- 5.1, LuaJIT, 5.2 and 5.3: one uservalue table per userdata ---- */
#if LUA_VERSION_NUM < 504

/* A userdata of size bytes; with nuv > 0 it gets a fresh table for its
** user values (in 5.1 it would otherwise share the running environment). */
static inline void *lpv_compat_newuserdatauv(lua_State *L, size_t size, int nuv) {
  void *p = lua_newuserdata(L, size);
  if (nuv > 0) {
    lua_createtable(L, nuv, 0);
    lpv_compat_setuvtable(L, -2);
  }
  return p;
}
#define lua_newuserdatauv(L, s, n) lpv_compat_newuserdatauv(L, s, n)

/* Pop a value into user value n of the userdata at i; 0 when it has none. */
static inline int lpv_compat_setiuservalue(lua_State *L, int i, int n) {
  i = lua_absindex(L, i);
  lpv_compat_getuvtable(L, i);
  if (lua_type(L, -1) != LUA_TTABLE) {
    lua_pop(L, 2);
    return 0;
  }
  lua_insert(L, -2);
  (lua_rawseti)(L, -2, n);
  lua_pop(L, 1);
  return 1;
}
#define lua_setiuservalue(L, i, n) lpv_compat_setiuservalue(L, i, n)

/* Push user value n of the userdata at i; returns its type (LUA_TNONE,
** with nil pushed, when it has none). */
static inline int lpv_compat_getiuservalue(lua_State *L, int i, int n) {
  i = lua_absindex(L, i);
  lpv_compat_getuvtable(L, i);
  if (lua_type(L, -1) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return LUA_TNONE;
  }
  (lua_rawgeti)(L, -1, n);
  lua_remove(L, -2);
  return lua_type(L, -1);
}
#define lua_getiuservalue(L, i, n) lpv_compat_getiuservalue(L, i, n)

/* luaL_typeerror is 5.4's: "<tname> expected, got <type>". */
static inline int lpv_compat_typeerror(lua_State *L, int arg, const char *tname) {
  const char *msg = lua_pushfstring(L, "%s expected, got %s", tname,
                                    luaL_typename(L, arg));
  return luaL_argerror(L, arg, msg);
}
#define luaL_typeerror(L, arg, t) lpv_compat_typeerror(L, arg, t)

#endif

/* ---- clang's static analyser (clang-tidy, scan-build) only ---- */
/* These raise (a longjmp) and never return, but Lua's headers do not say
** so: without this the analyser follows paths past them and reports, e.g.,
** a NULL used after `if (p == NULL) luaL_error(...)`.  Compilers never
** see it.  Redeclaring is the point: it adds the attribute. */
#ifdef __clang_analyzer__
/* NOLINTBEGIN(readability-redundant-declaration) */
LUA_API int (lua_error)(lua_State *L) __attribute__((analyzer_noreturn));
LUALIB_API int (luaL_error)(lua_State *L, const char *fmt, ...)
  __attribute__((analyzer_noreturn));
LUALIB_API int (luaL_argerror)(lua_State *L, int arg, const char *extramsg)
  __attribute__((analyzer_noreturn));
/* NOLINTEND(readability-redundant-declaration) */
#endif

#endif
