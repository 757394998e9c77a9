/*
** sandbox.c: running untrusted Lua text (a role script, a project
** configuration) in a lua_State of its own.
**
** Within one lua_State every string shares one metatable and every module
** one package.loaded, so a script run in the checker's own state could
** change what leastpriv does for the next file.  Here each run gets a new
** state: a capped allocator (the memory limit), a count hook (the CPU time
** limit), only the safe parts of the standard library, and a require that
** gives leastpriv's own modules (bytecode the caller compiled from
** leastpriv's files) and Lua text files below the script's folder.  What
** the run returns is copied back to the caller's state as data only:
** tables of strings, numbers, booleans and lp.null, without functions,
** userdata, cycles or metatables (but the JSON array marker).
*/
/* A feature-test macro: a reserved name that POSIX has programs define. */
#define _XOPEN_SOURCE 700  /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c): realpath */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "leastpriv.h"
#include "lualib.h"
#if defined(LUA_JITLIBNAME)
#include "luajit.h"
#endif

#define SANDBOX_MT        "leastpriv.Sandbox"
#define HOOK_EVERY        10000          /* VM instructions between clock reads */
#define COPY_MAX_DEPTH    100            /* nesting of the copied result */
#define COPY_MAX_VALUES   2000000        /* values in the copied result */
#define MODULE_MAX_NAME   200
#ifndef PATH_MAX
#define PATH_MAX          4096
#endif

/* One run: its state and its limits.  Lives in a userdata of the caller's
** state (the "box"), whose __gc closes the sandbox state on any raise. */
typedef struct sandbox {
  lua_State *S;             /* the sandbox state, NULL once closed */
  lua_State *parent;        /* the caller's state (for the module loader) */
  int loader;               /* caller's stack index of the trusted loader */
  size_t used, limit;       /* bytes allocated by S, and the cap */
  int refused;              /* an allocation was refused */
  int stopped;              /* the CPU time limit was reached */
  clock_t start, budget;    /* CPU time at start, and the time allowed */
  const void *array_mt;     /* S's JSON array marker metatable */
  const char *dir;          /* folder of local modules, or NULL */
  char real_dir[PATH_MAX];  /* dir with symlinks resolved */
} sandbox;

static sandbox *sandbox_of(lua_State *S) {
  void *ud = NULL;
  (void)lua_getallocf(S, &ud);
  return (sandbox *)ud;
}

/* The capped allocator: growth past the limit fails (Lua raises "not
** enough memory"); frees and shrinks always succeed. */
static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  sandbox *sb = (sandbox *)ud;
  void *p;
  if (ptr == NULL) osize = 0;          /* osize is then a type tag */
  if (nsize == 0) {
    free(ptr);
    sb->used -= osize;
    return NULL;
  }
  if (nsize > osize && nsize - osize > sb->limit - sb->used) {
    sb->refused = 1;
    return NULL;
  }
  p = realloc(ptr, nsize);
  if (p == NULL) {
    if (nsize <= osize) return ptr;    /* a failed shrink keeps the block */
    sb->refused = 1;
    return NULL;
  }
  sb->used = sb->used - osize + nsize;
  return p;
}

/* The count hook: past the CPU budget, raise; from then on raise at every
** instruction, so that a script catching the error with pcall cannot go on. */
static void sandbox_hook(lua_State *S, lua_Debug *ar) {
  sandbox *sb = sandbox_of(S);
  (void)ar;
  if (!sb->stopped && clock() - sb->start <= sb->budget) return;
  if (!sb->stopped) {
    sb->stopped = 1;
    lua_sethook(S, sandbox_hook, LUA_MASKCOUNT, 1);
  }
  luaL_error(S, "CPU time limit reached");
}

/* ---- loading chunks ---- */

/* Load text as a chunk named chunkname, refusing binary chunks on every Lua
** (5.1 and LuaJIT have no load mode: the signature byte is checked here).
** A first line starting with '#' is skipped, as lua_loadfile does. */
static int load_text(lua_State *S, const char *text, size_t len, const char *chunkname) {
  if (len > 0 && text[0] == '#') {
    const char *nl = memchr(text, '\n', len);
    size_t skip = nl ? (size_t)(nl - text) : len;
    text += skip;
    len -= skip;
  }
  if ((len > 0 && text[0] == LUA_SIGNATURE[0]) ||
      (len > 1 && text[0] == '\n' && text[1] == LUA_SIGNATURE[0])) {
    lua_pushfstring(S, "%s: a binary chunk: role scripts and configurations are loaded "
                    "as text only", chunkname + (chunkname[0] == '@'));
    return LUA_ERRSYNTAX;
  }
#if LUA_VERSION_NUM >= 502
  return luaL_loadbufferx(S, text, len, chunkname, "t");
#else
  return luaL_loadbuffer(S, text, len, chunkname);
#endif
}

/* ---- require ---- */

static const char LOADING = 0;          /* marks a module being loaded */

static int in_list(const char *const *list, const char *s);

/* Standard modules require refuses by name. */
static const char *const UNAVAILABLE_MODULES[] = {
  "io", "debug", "package", "coroutine", "jit", "ffi", "bit", "string.buffer", NULL
};

/* Raise "where: message" naming the line of the C function's caller. */
static int require_error(lua_State *S, const char *fmt, ...) {
  va_list ap;
  luaL_where(S, 1);
  va_start(ap, fmt);
  lua_pushvfstring(S, fmt, ap);
  va_end(ap);
  lua_concat(S, 2);
  return lua_error(S);
}

/* Is name[0..n) dot-separated words of letters, digits, '_' and '-'? */
static int valid_module_name(const char *name, size_t n) {
  size_t i, word = 0;
  if (n == 0 || n > MODULE_MAX_NAME) return 0;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c == '.') {
      if (word == 0) return 0;
      word = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-') {
      word++;
    } else {
      return 0;
    }
  }
  return word > 0;
}

static int is_leastpriv_module(const char *name, size_t n) {
  return (n == 9 && memcmp(name, "leastpriv", 9) == 0) ||
         (n > 10 && memcmp(name, "leastpriv.", 10) == 0);
}

/* Push the chunk of leastpriv module name: bytecode from the caller's
** trusted loader (a function of the caller's state, called protected). */
static void push_trusted_module(lua_State *S, sandbox *sb, const char *name) {
  lua_State *L = sb->parent;
  size_t len;
  const char *code;
  int status;
  if (!lua_checkstack(L, 4)) luaL_error(S, "require: out of stack");
  lua_pushvalue(L, sb->loader);
  lua_pushstring(L, name);
  if (lua_pcall(L, 1, 2, 0) != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    luaL_where(S, 1);
    lua_pushfstring(S, "require: %s", msg ? msg : "the module loader failed");
    lua_concat(S, 2);
    lua_pop(L, 1);
    lua_error(S);
  }
  code = lua_tolstring(L, -2, &len);
  if (code == NULL || len == 0 || code[0] != LUA_SIGNATURE[0]) {
    const char *msg = lua_tostring(L, -1);
    luaL_where(S, 1);
    lua_pushfstring(S, "require: %s", msg ? msg : "module not found");
    lua_concat(S, 2);
    lua_pop(L, 2);
    lua_error(S);
  }
#if LUA_VERSION_NUM >= 502
  status = luaL_loadbufferx(S, code, len, name, "b");
#else
  status = luaL_loadbuffer(S, code, len, name);
#endif
  lua_pop(L, 2);
  if (status != LUA_OK) lua_error(S);
}

/* Is path a regular file whose real path lies below sb->real_dir? */
static int file_below_dir(sandbox *sb, const char *path) {
  char real[PATH_MAX];
  struct stat st;
  size_t n = strlen(sb->real_dir);
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  if (realpath(path, real) == NULL) return 0;
  if (n == 1 && sb->real_dir[0] == '/') return real[0] == '/';
  return strncmp(real, sb->real_dir, n) == 0 && real[n] == '/';
}

/* Load the text of file path as a chunk (text only).  The file is read
** into a userdata sized first, so that no raise can happen while it is
** open (and the bytes count against the memory limit). */
static int load_file_text(lua_State *S, const char *path) {
  struct stat st;
  char *buf;
  size_t got;
  FILE *f;
  if (stat(path, &st) != 0 || st.st_size < 0) return require_error(S, "require: cannot read %s", path);
  if ((unsigned long long)st.st_size > LPV_MAX_DOCUMENT)
    return require_error(S, "require: %s is larger than %d MiB", path, (int)(LPV_MAX_DOCUMENT >> 20));
  buf = (char *)lua_newuserdatauv(S, (size_t)st.st_size + 1, 0);
  f = fopen(path, "rb");
  if (f == NULL) return require_error(S, "require: cannot read %s", path);
  got = fread(buf, 1, (size_t)st.st_size, f);
  (void)fclose(f);
  lua_pushfstring(S, "@%s", path);
  return load_text(S, buf, got, lua_tostring(S, -1));
}

/* Push the chunk of a local module: <dir>/a/b.lua or <dir>/a/b/init.lua
** for "a.b", text only, never a file outside the script's folder. */
static void push_local_module(lua_State *S, sandbox *sb, const char *name) {
  const char *base, *path = NULL;
  int i;
  if (sb->dir == NULL) {
    (void)require_error(S, "require: module '%s' not found (only leastpriv modules here)", name);
    return;
  }
  base = luaL_gsub(S, name, ".", "/");
  for (i = 0; i < 2 && path == NULL; i++) {
    const char *candidate = lua_pushfstring(S, "%s/%s%s", sb->dir, base,
                                            i == 0 ? ".lua" : "/init.lua");
    if (file_below_dir(sb, candidate)) path = candidate;
  }
  if (path == NULL) {
    (void)require_error(S, "require: module '%s' not found (a role script requires leastpriv "
                        "and Lua files below its own folder: %s/%s.lua)", name, sb->dir, base);
    return;
  }
  if (load_file_text(S, path) != LUA_OK) lua_error(S);
}

static int open_core(lua_State *S);

/* require(name): the sandbox's only way to load code.  upvalue 1: loaded. */
static int sandbox_require(lua_State *S) {
  sandbox *sb = sandbox_of(S);
  size_t n;
  const char *name = luaL_checklstring(S, 1, &n);
  int top;
  lua_settop(S, 1);
  lua_pushvalue(S, 1);
  lua_rawget(S, lua_upvalueindex(1));
  if (lua_touserdata(S, -1) == (void *)&LOADING)
    return require_error(S, "require: module '%s' requires itself (a loop)", name);
  if (!lua_isnil(S, -1)) return 1;
  lua_pop(S, 1);
  if (!valid_module_name(name, n))
    return require_error(S, "require: '%s' is not a module name (words of letters, digits, _ "
                      "and -, separated by dots)", name);
  if (in_list(UNAVAILABLE_MODULES, name))
    return require_error(S, "require: module '%s' is not available to role scripts (they run "
                         "in a sandbox: see docs/trust.md)", name);
  lua_pushvalue(S, 1);
  lua_pushlightuserdata(S, (void *)&LOADING);
  lua_rawset(S, lua_upvalueindex(1));
  top = lua_gettop(S);
  if (strcmp(name, "leastpriv.core") == 0) lua_pushcfunction(S, open_core);
  else if (is_leastpriv_module(name, n)) push_trusted_module(S, sb, name);
  else push_local_module(S, sb, name);
  if (lua_gettop(S) > top + 1) lua_replace(S, top + 1);   /* the chunk, above scratch */
  lua_settop(S, top + 1);
  lua_pushvalue(S, 1);
  if (lua_pcall(S, 1, 1, 0) != LUA_OK) {
    lua_pushvalue(S, 1);
    lua_pushnil(S);
    lua_rawset(S, lua_upvalueindex(1));
    return lua_error(S);
  }
  if (lua_isnil(S, -1)) {
    lua_pop(S, 1);
    lua_pushboolean(S, 1);
  }
  lua_pushvalue(S, 1);
  lua_pushvalue(S, -2);
  lua_rawset(S, lua_upvalueindex(1));
  return 1;
}

/* script_line(source) -> the current line of the innermost call from the
** chunk named source, or nil.  Given to the harness only (no debug here). */
static int sandbox_script_line(lua_State *S) {
  const char *source = luaL_checkstring(S, 1);
  lua_Debug ar;
  int level;
  for (level = 1; lua_getstack(S, level, &ar); level++) {
    if (lua_getinfo(S, "Sl", &ar) && strcmp(ar.source, source) == 0) {
      lua_pushinteger(S, ar.currentline);
      return 1;
    }
  }
  return 0;
}

/* ---- the sandbox's standard library ---- */

/* setmetatable(t, mt) without __gc: Lua runs finalisers with hooks off, so
** the CPU limit could not stop one.  upvalue 1: the real setmetatable. */
static int sandbox_setmetatable(lua_State *S) {
  lua_settop(S, 2);
  if (lua_type(S, 2) == LUA_TTABLE) {
    lua_pushliteral(S, "__gc");
    if (lua_rawget(S, 2) != LUA_TNIL)
      return require_error(S, "setmetatable: __gc is not available to role scripts (they run "
                           "in a sandbox: see docs/trust.md)");
    lua_pop(S, 1);
  }
  lua_pushvalue(S, lua_upvalueindex(1));
  lua_insert(S, 1);
  lua_call(S, 2, 1);
  return 1;
}

/* xpcall(f, handler, ...): the handler runs after the stack is unwound.
** (Lua runs a message handler where the error was raised; when that is the
** CPU limit's hook, hooks are off there, and a looping handler could never
** be stopped.) */
static int sandbox_xpcall(lua_State *S) {
  int n = lua_gettop(S);
  luaL_checktype(S, 2, LUA_TFUNCTION);
  lua_pushvalue(S, 1);
  lua_insert(S, 3);                      /* f, then its arguments */
  if (lua_pcall(S, n - 2 < 0 ? 0 : n - 2, LUA_MULTRET, 0) == LUA_OK) {
    lua_pushboolean(S, 1);
    lua_replace(S, 1);
    lua_remove(S, 2);
    return lua_gettop(S);
  }
  lua_pushvalue(S, 2);
  lua_insert(S, -2);
  if (lua_pcall(S, 1, 1, 0) != LUA_OK) {
    lua_pop(S, 1);
    lua_pushliteral(S, "error in error handling");
  }
  lua_pushboolean(S, 0);
  lua_insert(S, -2);
  return 2;
}

static const char *const SAFE_BASE[] = {
  "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
  "rawset", "select", "setmetatable", "getmetatable", "tonumber", "tostring", "type",
  "xpcall", "unpack", "_G", "_VERSION", "string", "table", "math", "utf8", "os", NULL
};
static const char *const SAFE_OS[] = { "time", "date", "clock", "difftime", NULL };
static const char *const UNSAFE_STRING[] = { "dump", NULL };
/* Names a script may reach for: reading one is a clear error, not nil. */
static const char *const UNAVAILABLE_GLOBALS[] = {
  "io", "debug", "package", "load", "loadstring", "loadfile", "dofile", "print", "warn",
  "collectgarbage", "arg", "getfenv", "setfenv", "module", "newproxy", "gcinfo", "coroutine",
  "jit", "ffi", NULL
};
static const char *const UNAVAILABLE_OS[] = {
  "execute", "exit", "getenv", "remove", "rename", "tmpname", "setlocale", NULL
};
/* core functions that touch the file system or start sandboxes */
static const char *const UNSAFE_CORE[] = {
  "mkdir_p", "is_dir", "getcwd", "list_dir", "isatty", "sandbox_run",
  "fsio_open", "fsio_realpath",        /* folder handles and paths: the file system */
  "read_file", "check_file", "json_stream", /* bounded reads of files */
  NULL
};

/* __index of the globals, os and string: reading a name of upvalue 2 (a
** set) raises "PREFIXname is not available..." (upvalue 1: PREFIX). */
static int unavailable_index(lua_State *S) {
  if (lua_type(S, 2) != LUA_TSTRING) return 0;
  lua_pushvalue(S, 2);
  if (lua_rawget(S, lua_upvalueindex(2)) == LUA_TNIL) return 0;
  luaL_where(S, 1);
  lua_pushfstring(S, "%s%s is not available to role scripts (they run in a sandbox: "
                  "see docs/trust.md)", lua_tostring(S, lua_upvalueindex(1)), lua_tostring(S, 2));
  lua_concat(S, 2);
  return lua_error(S);
}

/* Give the table on top a metatable whose __index refuses names. */
static void refuse_names(lua_State *S, const char *prefix, const char *const *names) {
  lua_newtable(S);                       /* the metatable */
  lua_pushstring(S, prefix);
  lua_newtable(S);
  for (; *names != NULL; names++) {
    lua_pushboolean(S, 1);
    lua_setfield(S, -2, *names);
  }
  lua_pushcclosure(S, unavailable_index, 2);
  lua_setfield(S, -2, "__index");
  lua_setmetatable(S, -2);
}

static void open_lib(lua_State *S, const char *name, lua_CFunction open) {
  lua_pushcfunction(S, open);
  lua_pushstring(S, name);
  lua_call(S, 1, 1);
  lua_setglobal(S, name);
}

static int in_list(const char *const *list, const char *s) {
  if (list == NULL) return 0;
  for (; *list != NULL; list++)
    if (strcmp(*list, s) == 0) return 1;
  return 0;
}

/* Keep in the table on top only the string keys in keep (or, with drop,
** remove those in drop). */
static void filter_table(lua_State *S, const char *const *keep, const char *const *drop) {
  int t = lua_gettop(S);
  lua_newtable(S);                       /* the keys to remove */
  lua_pushnil(S);
  while (lua_next(S, t) != 0) {
    lua_pop(S, 1);
    if (lua_type(S, -1) != LUA_TSTRING ||
        (keep ? !in_list(keep, lua_tostring(S, -1)) : in_list(drop, lua_tostring(S, -1)))) {
      lua_pushvalue(S, -1);
      lua_rawseti(S, t + 1, (int)lua_rawlen(S, t + 1) + 1);
    }
  }
  while (lua_rawlen(S, t + 1) > 0) {
    lua_rawgeti(S, t + 1, (int)lua_rawlen(S, t + 1));
    lua_pushnil(S);
    lua_rawset(S, t);
    lua_pushnil(S);
    lua_rawseti(S, t + 1, (int)lua_rawlen(S, t + 1));
  }
  lua_pop(S, 1);
}

/* The sandbox's leastpriv.core (opened on first require: a configuration
** never needs it): the module without the functions that touch the file
** system or start sandboxes. */
static int open_core(lua_State *S) {
  sandbox *sb = sandbox_of(S);
  lua_pushcfunction(S, lpv_core_open);
  lua_call(S, 0, 1);
  filter_table(S, NULL, UNSAFE_CORE);
  luaL_getmetatable(S, LPV_ARRAY_MT);
  sb->array_mt = lua_topointer(S, -1);
  lua_pop(S, 1);
  return 1;
}

static void push_globals(lua_State *S) {
#if LUA_VERSION_NUM >= 502
  lua_rawgeti(S, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
#else
  lua_pushvalue(S, LUA_GLOBALSINDEX);
#endif
}

/* The safe standard library and require. */
static void open_sandbox_libs(lua_State *S) {
  int loaded;
  open_lib(S, "_G", luaopen_base);
  open_lib(S, "string", luaopen_string);
  open_lib(S, "table", luaopen_table);
  open_lib(S, "math", luaopen_math);
  open_lib(S, "os", luaopen_os);
#if LUA_VERSION_NUM >= 503
  open_lib(S, "utf8", luaopen_utf8);
#endif
  push_globals(S);
  filter_table(S, SAFE_BASE, NULL);
  lua_pushcfunction(S, sandbox_xpcall);
  lua_setfield(S, -2, "xpcall");
  lua_getfield(S, -1, "setmetatable");
  lua_pushcclosure(S, sandbox_setmetatable, 1);
  lua_setfield(S, -2, "setmetatable");
  refuse_names(S, "", UNAVAILABLE_GLOBALS);
  lua_getglobal(S, "os");
  filter_table(S, SAFE_OS, NULL);
  refuse_names(S, "os.", UNAVAILABLE_OS);
  lua_pop(S, 1);
  lua_getglobal(S, "string");
  filter_table(S, NULL, UNSAFE_STRING);
  refuse_names(S, "string.", UNSAFE_STRING);
  lua_pop(S, 1);

  lua_newtable(S);                      /* loaded modules */
  loaded = lua_gettop(S);
  {
    static const char *const LIBS[] = { "string", "table", "math", "os", "utf8", NULL };
    int i;
    for (i = 0; LIBS[i] != NULL; i++) {
      lua_getglobal(S, LIBS[i]);
      lua_setfield(S, loaded, LIBS[i]);
    }
  }
  lua_pushvalue(S, loaded);
  lua_pushcclosure(S, sandbox_require, 1);
  lua_setfield(S, -3, "require");       /* the globals table */
  lua_pop(S, 2);
}

/* Run in S, protected: (text, chunkname, harness) -> result.  With a
** harness module, harness.run(chunk, chunkname, script_line) gives the result,
** else chunk() does. */
static int sandbox_main(lua_State *S) {
  size_t len;
  const char *text = lua_tolstring(S, 1, &len);
  const char *chunkname = lua_tostring(S, 2);
  int harness = !lua_isnil(S, 3);
  open_sandbox_libs(S);
  if (harness) {
    lua_getglobal(S, "require");
    lua_pushvalue(S, 3);
    lua_call(S, 1, 1);
    lua_getfield(S, -1, "run");
    lua_remove(S, -2);
  }
  if (load_text(S, text, len, chunkname) != LUA_OK) lua_error(S);
  if (harness) {
    lua_pushvalue(S, 2);
    lua_pushcfunction(S, sandbox_script_line);
    lua_call(S, 3, 1);
  } else {
    lua_call(S, 0, 1);
  }
  return 1;
}

/* ---- copying the result out ---- */

typedef struct copier {
  sandbox *sb;
  lua_State *S, *L;
  size_t values, bytes;
  int depth;
  const void *tables[COPY_MAX_DEPTH];    /* the tables being copied (cycles) */
  int keys[COPY_MAX_DEPTH];              /* S index of each level's key */
  const char *problem;                   /* set on failure */
} copier;

/* Push on L the path to the value being copied, e.g. policies[1].name. */
static void push_copy_path(copier *c) {
  luaL_Buffer b;
  int i;
  luaL_buffinit(c->L, &b);
  for (i = 0; i < c->depth; i++) {
    int k = c->keys[i];
    if (lua_type(c->S, k) == LUA_TSTRING) {
      size_t n;
      const char *s = lua_tolstring(c->S, k, &n);
      if (i > 0) luaL_addchar(&b, '.');
      luaL_addlstring(&b, s, n > 64 ? 64 : n);
    } else if (lua_type(c->S, k) == LUA_TNUMBER) {
      char num[64];
      (void)snprintf(num, sizeof num, "[%.14g]", (double)lua_tonumber(c->S, k));
      luaL_addstring(&b, num);
    } else {
      luaL_addstring(&b, "[?]");
    }
  }
  luaL_pushresult(&b);
}

static int copy_value(copier *c, int i);

static int copy_table(copier *c, int i) {
  lua_State *S = c->S, *L = c->L;
  const void *p = lua_topointer(S, i);
  int d, t;
  for (d = 0; d < c->depth; d++)
    if (c->tables[d] == p) { c->problem = "a table that contains itself"; return 0; }
  if (c->depth >= COPY_MAX_DEPTH) { c->problem = "tables nested too deep"; return 0; }
  if (!lua_checkstack(S, 4)) { c->problem = "tables nested too deep"; return 0; }
  luaL_checkstack(L, 4, "copying a script's result");
  lua_newtable(L);
  t = lua_gettop(L);
  if (lua_getmetatable(S, i)) {
    if (lua_topointer(S, -1) == c->sb->array_mt) luaL_setmetatable(L, LPV_ARRAY_MT);
    lua_pop(S, 1);
  }
  c->tables[c->depth] = p;
  lua_pushnil(S);
  while (lua_next(S, i) != 0) {
    int kt = lua_type(S, -2);
    c->keys[c->depth] = lua_gettop(S) - 1;
    c->depth++;
    if (kt != LUA_TSTRING && kt != LUA_TNUMBER && kt != LUA_TBOOLEAN) {
      c->problem = "a key that is not a string, number or boolean";
      return 0;
    }
    if (!copy_value(c, lua_gettop(S) - 1)) return 0;   /* the key */
    if (!copy_value(c, lua_gettop(S))) return 0;       /* the value */
    lua_rawset(L, t);
    c->depth--;
    lua_pop(S, 1);
  }
  return 1;
}

/* Push on L a copy of S's value at i; 0 (c->problem set) when it is not data. */
static int copy_value(copier *c, int i) {
  lua_State *S = c->S, *L = c->L;
  if (++c->values > COPY_MAX_VALUES) { c->problem = "more than 2000000 values"; return 0; }
  luaL_checkstack(L, 2, "copying a script's result");
  switch (lua_type(S, i)) {
    case LUA_TNIL: lua_pushnil(L); return 1;
    case LUA_TBOOLEAN: lua_pushboolean(L, lua_toboolean(S, i)); return 1;
    case LUA_TNUMBER:
#if LUA_VERSION_NUM >= 503
      if (lua_isinteger(S, i)) { lua_pushinteger(L, lua_tointeger(S, i)); return 1; }
#endif
      lua_pushnumber(L, lua_tonumber(S, i));
      return 1;
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(S, i, &n);
      c->bytes += n;
      if (c->bytes > c->sb->limit) { c->problem = "more text than the memory limit"; return 0; }
      lua_pushlstring(L, s, n);
      return 1;
    }
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(S, i) == NULL) { lua_pushlightuserdata(L, NULL); return 1; }
      c->problem = "a userdata";
      return 0;
    case LUA_TTABLE: return copy_table(c, i);
    case LUA_TFUNCTION: c->problem = "a function"; return 0;
    case LUA_TTHREAD: c->problem = "a coroutine"; return 0;
    default: c->problem = "a userdata"; return 0;
  }
}

/* ---- the Lua function ---- */

/* Close the sandbox state (once); finalisers the script set run no code. */
static void sandbox_close(sandbox *sb) {
  if (sb->S != NULL) {
    lua_State *S = sb->S;
    sb->S = NULL;
    sb->stopped = 1;
    lua_sethook(S, sandbox_hook, LUA_MASKCOUNT, 1);
    lua_close(S);
  }
}

static int box_gc(lua_State *L) {
  sandbox_close((sandbox *)luaL_checkudata(L, 1, SANDBOX_MT));
  return 0;
}

static double number_field(lua_State *L, int t, const char *k, double def) {
  double v;
  lua_getfield(L, t, k);
  v = lua_isnil(L, -1) ? def : (double)luaL_checknumber(L, -1);
  lua_pop(L, 1);
  return v;
}

/* sandbox_run{ text =, name =, dir =, harness =, loader =, cpu =, memory = }
** -> true, result | false, kind, message.  kind: "error" (the chunk raised or
** does not compile), "cpu", "memory" (a limit), "result" (not data: message
** says what, a third value the path).  cpu in seconds, memory in bytes. */
static int l_sandbox_run(lua_State *L) {
  sandbox *sb;
  size_t len;
  const char *text, *name;
  double cpu, memory;
  int status;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_getfield(L, 1, "loader");            /* 2 */
  luaL_argcheck(L, lua_isfunction(L, 2), 1, "loader must be a function");
  lua_getfield(L, 1, "text");              /* 3 */
  text = luaL_checklstring(L, 3, &len);
  lua_getfield(L, 1, "name");              /* 4 */
  name = lua_pushfstring(L, "@%s", luaL_checkstring(L, 4));   /* 5 */
  lua_getfield(L, 1, "harness");           /* 6 */
  lua_getfield(L, 1, "dir");               /* 7 */
  cpu = number_field(L, 1, "cpu", 5);
  memory = number_field(L, 1, "memory", 256.0 * 1024 * 1024);
  luaL_argcheck(L, cpu > 0 && cpu < 1e6, 1, "cpu must be positive seconds");
  luaL_argcheck(L, memory >= 1024 * 1024 && memory < 1e15, 1, "memory must be at least 1 MiB");

  sb = (sandbox *)lua_newuserdatauv(L, sizeof *sb, 0);   /* 8 */
  memset(sb, 0, sizeof *sb);
  if (luaL_newmetatable(L, SANDBOX_MT)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  sb->parent = L;
  sb->loader = 2;
  sb->limit = (size_t)memory;
  sb->budget = (clock_t)(cpu * CLOCKS_PER_SEC);
  if (lua_isstring(L, 7)) {
    sb->dir = lua_tostring(L, 7);
    if (realpath(sb->dir, sb->real_dir) == NULL) sb->dir = NULL;
  }
  sb->S = lua_newstate(sandbox_alloc, sb);
  if (sb->S == NULL) return luaL_error(L, "cannot create a Lua state for %s", name + 1);
#if defined(LUA_JITLIBNAME)
  /* compiled traces run no hooks: the CPU limit needs the interpreter */
  luaJIT_setmode(sb->S, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF);
#endif
  sb->start = clock();
  lua_sethook(sb->S, sandbox_hook, LUA_MASKCOUNT, HOOK_EVERY);

  lua_pushcfunction(sb->S, sandbox_main);
  lua_pushlstring(sb->S, text, len);
  lua_pushstring(sb->S, name);
  if (lua_isstring(L, 6)) lua_pushstring(sb->S, lua_tostring(L, 6));
  else lua_pushnil(sb->S);
  status = lua_pcall(sb->S, 3, 1, 0);
  lua_sethook(sb->S, NULL, 0, 0);

  if (status != LUA_OK) {
    const char *kind = sb->stopped ? "cpu" : (status == LUA_ERRMEM || sb->refused) ? "memory" : "error";
    lua_pushboolean(L, 0);
    lua_pushstring(L, kind);
    if (lua_type(sb->S, -1) == LUA_TSTRING) {
      const char *msg = lua_tolstring(sb->S, -1, &len);
      lua_pushlstring(L, msg, len);
    } else {
      lua_pushfstring(L, "the script raised a %s value", luaL_typename(sb->S, -1));
    }
    sandbox_close(sb);
    return 3;
  }
  {
    copier c;
    memset(&c, 0, sizeof c);
    c.sb = sb;
    c.S = sb->S;
    c.L = L;
    if (!copy_value(&c, lua_gettop(sb->S))) {
      lua_pushboolean(L, 0);
      lua_pushstring(L, "result");
      lua_pushstring(L, c.problem);
      push_copy_path(&c);
      sandbox_close(sb);
      return 4;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -2);
    sandbox_close(sb);
    return 2;
  }
}

static const luaL_Reg sandbox_funcs[] = {
  {"sandbox_run", l_sandbox_run},
  {NULL, NULL}
};

void lpv_open_sandbox(lua_State *L) { luaL_setfuncs(L, sandbox_funcs, 0); }
