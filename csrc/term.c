/*
** term.c: what progress reports need and plain Lua lacks: whether a Lua
** file handle is a terminal (progress is drawn only there), and a
** monotonic clock in seconds (rates and time left; os.clock is CPU time,
** os.time whole seconds).
*/
/* A feature-test macro: a reserved name that POSIX has programs define. */
#define _POSIX_C_SOURCE 200809L  /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c) */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "leastpriv.h"
#include "lualib.h"

/* isatty(file) -> boolean: is the Lua file handle a terminal?  Every Lua's
** file handle userdata starts with its FILE * (5.1's FILE **, 5.2+'s
** luaL_Stream, LuaJIT's IOFileUD); a closed handle holds NULL. */
static int l_isatty(lua_State *L) {
  FILE *f = *(FILE **)luaL_checkudata(L, 1, LUA_FILEHANDLE);
  lua_pushboolean(L, f != NULL && isatty(fileno(f)));
  return 1;
}

/* monotonic() -> seconds since an arbitrary start, never going back. */
static int l_monotonic(lua_State *L) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return luaL_error(L, "monotonic clock unavailable");
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
  return 1;
}

void lpv_open_term(lua_State *L) {
  static const luaL_Reg fns[] = {
    { "isatty", l_isatty },
    { "monotonic", l_monotonic },
    { NULL, NULL },
  };
  luaL_setfuncs(L, fns, 0);
}
