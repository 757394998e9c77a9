/*
** harness.c: the lua_State behind every fuzz target (see harness.h).
** One state per process, reused across inputs (libFuzzer runs millions):
** a fresh state per input would spend its time in luaL_openlibs.
*/
#include <stdio.h>
#include <stdlib.h>

#include "lauxlib.h"
#include "lualib.h"

#include "harness.h"

static lua_State *fuzz_L;     /* the harness's own state, not the library's */
static int fuzz_targets;      /* registry reference of support.lua's table */

void fuzz_fail(const char *msg) {
  (void)fprintf(stderr, "fuzz invariant broken: %s\n", msg);
  (void)fflush(stderr);
  abort();
}

/* fail(msg): support.lua's way to report a broken invariant. */
static int l_fail(lua_State *L) {
  luaL_traceback(L, L, luaL_optstring(L, 1, "(no message)"), 1);
  fuzz_fail(lua_tostring(L, -1));
  return 0;
}

/* Message handler: the error with a traceback. */
static int l_traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  luaL_traceback(L, L, msg ? msg : "(error object is not a string)", 1);
  return 1;
}

lua_State *fuzz_state(void) {
  const char *support;
  if (fuzz_L != NULL) return fuzz_L;
  support = getenv("LPV_FUZZ_SUPPORT");
  if (support == NULL) support = "fuzz/support.lua";
  fuzz_L = luaL_newstate();
  if (fuzz_L == NULL) fuzz_fail("cannot create a lua_State");
  luaL_openlibs(fuzz_L);
  lua_pushcfunction(fuzz_L, l_traceback);
  if (luaL_loadfile(fuzz_L, support) != LUA_OK) fuzz_fail(lua_tostring(fuzz_L, -1));
  luaL_requiref(fuzz_L, "leastpriv.core", luaopen_leastpriv_core, 0);
  lua_pushcfunction(fuzz_L, l_fail);
  if (lua_pcall(fuzz_L, 2, 1, 1) != LUA_OK) fuzz_fail(lua_tostring(fuzz_L, -1));
  if (!lua_istable(fuzz_L, -1)) fuzz_fail("support.lua must return a table");
  fuzz_targets = luaL_ref(fuzz_L, LUA_REGISTRYINDEX);
  lua_settop(fuzz_L, 0);
  return fuzz_L;
}

/* The signature is libFuzzer's. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {  /* NOLINT(readability-non-const-parameter) */
  (void)argc;
  (void)argv;
  fuzz_state();
  return 0;
}

void fuzz_call(const char *name, const uint8_t *data, size_t size, int nresults) {
  lua_State *L = fuzz_state();
  lua_settop(L, 0);
  lua_pushcfunction(L, l_traceback);
  lua_rawgeti(L, LUA_REGISTRYINDEX, fuzz_targets);
  if (lua_getfield(L, -1, name) != LUA_TFUNCTION) fuzz_fail("no such target in support.lua");
  lua_remove(L, -2);
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, nresults, 1) != LUA_OK) fuzz_fail(lua_tostring(L, -1));
  lua_remove(L, 1);                     /* the message handler */
}

void fuzz_run(const char *name, const uint8_t *data, size_t size) {
  fuzz_call(name, data, size, 0);
  lua_settop(fuzz_state(), 0);
}
