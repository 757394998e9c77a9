/*
** harness.h: what the libFuzzer targets in fuzz/ share.  Each target is a
** small C file whose LLVMFuzzerTestOneInput hands the input to a function
** of fuzz/support.lua, run in one lua_State (per process) that has
** leastpriv.core loaded: the real Lua C functions, called the way Lua
** calls them.  Lua errors from the core are expected (support.lua wraps
** every call in pcall); a crash, a sanitizer report or a broken invariant
** (support.lua calls fail(), which aborts) is a finding.
*/
#ifndef LEASTPRIV_FUZZ_HARNESS_H
#define LEASTPRIV_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "lua.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The module's one exported entry point (csrc/core.c). */
int luaopen_leastpriv_core(lua_State *L);

/* The process's lua_State, created on first use: core loaded, support.lua
** run (found through $LPV_FUZZ_SUPPORT, else fuzz/support.lua). */
lua_State *fuzz_state(void);

/* Call support.lua's target function `name` with the input as a string,
** leaving nresults results (LUA_MULTRET: all) on the emptied stack of
** fuzz_state(); aborts if it raises (support.lua catches the core's errors
** itself). */
void fuzz_call(const char *name, const uint8_t *data, size_t size, int nresults);

/* fuzz_call with no results, stack emptied after. */
void fuzz_run(const char *name, const uint8_t *data, size_t size);

/* Print "fuzz invariant broken: msg" and abort.  (The targets are built
** with clang only: noreturn tells it, and its analyser, that nothing runs
** after a broken invariant.) */
void fuzz_fail(const char *msg) __attribute__((noreturn));

#endif
