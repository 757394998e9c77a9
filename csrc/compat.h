/*
** compat.h: the only place where Lua version differences are bridged.
** The code base is written to the Lua 5.4 API.
*/
#ifndef LEASTPRIV_COMPAT_H
#define LEASTPRIV_COMPAT_H

#include "lua.h"
#include "lauxlib.h"

#if LUA_VERSION_NUM < 502
#define luaL_newlib(L, l)      (lua_newtable(L), luaL_register(L, NULL, l))
#define lua_rawlen(L, i)       lua_objlen(L, i)
#define luaL_setfuncs(L, l, n) lpv_compat_setfuncs(L, l, n)
static void lpv_compat_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  int i;
  for (; l->name != NULL; l++) {
    for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}
#endif

#if LUA_VERSION_NUM < 503
#define lua_isinteger(L, i)    lpv_compat_isinteger(L, i)
static int lpv_compat_isinteger(lua_State *L, int i) {
  lua_Number n;
  if (lua_type(L, i) != LUA_TNUMBER) return 0;
  n = lua_tonumber(L, i);
  return n == (lua_Number)(long long)n;
}
#endif

#endif
