/*
** core.c: luaopen_leastpriv_core, the one exported symbol.
** Builds the module table from each concept's registrar.
*/
#include "leastpriv.h"

#if defined(_WIN32)
#define LPV_EXPORT __declspec(dllexport)
#else
#define LPV_EXPORT __attribute__((visibility("default")))
#endif

LPV_EXPORT int luaopen_leastpriv_core(lua_State *L);

/* The module table on top of L (also what a sandbox's state gets). */
int lpv_core_open(lua_State *L) {
  /* The array marker metatable is shared by the reader and the writers. */
  if (luaL_newmetatable(L, LPV_ARRAY_MT)) {
    lua_pushliteral(L, "array");
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);

  lua_newtable(L);
  lpv_open_glob(L);
  lpv_open_arn(L);
  lpv_open_utf8(L);
  lpv_open_json_read(L);
  lpv_open_json_write(L);
  lpv_open_policy(L);
  lpv_open_hcl(L);
  lpv_open_hcl_read(L);
  lpv_open_catalog(L);
  lpv_open_catalog_arnindex(L);
  lpv_open_fs(L);
  lpv_open_fsio(L);
  lpv_open_condition(L);
  lpv_open_eval(L);
  lpv_open_eval_rules(L);
  lpv_open_validate(L);
  lpv_open_json_locate(L);
  lpv_open_json_stream(L);
  lpv_open_sandbox(L);
  lpv_open_term(L);

  luaL_getmetatable(L, LPV_ARRAY_MT);
  lua_setfield(L, -2, "array_mt");
  lua_pushliteral(L, "0.1.0");
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

LPV_EXPORT int luaopen_leastpriv_core(lua_State *L) { return lpv_core_open(L); }
