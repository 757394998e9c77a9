/*
** fs.c: the little file-system support the CLI needs and plain Lua lacks:
** creating a directory with its parents, the current directory.  (Writes are done in Lua, to a
** temporary name then renamed, so an error never leaves a file half-written.)
*/
/* A feature-test macro: a reserved name that POSIX has programs define. */
#define _POSIX_C_SOURCE 200809L  /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c) */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "leastpriv.h"

/* Create dir (a NUL-terminated, writable copy) and its parents. */
static int fs_mkdir_p(char *dir) {
  char *p;
  struct stat st;
  for (p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) return -1;
  if (stat(dir, &st) != 0) return -1;
  if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; return -1; }
  return 0;
}

/* mkdir_p(path) -> true | nil, message */
static int l_mkdir_p(lua_State *L) {
  size_t len;
  const char *path = luaL_checklstring(L, 1, &len);
  char *copy;
  if (len == 0 || memchr(path, '\0', len) != NULL)
    return luaL_argerror(L, 1, "not a valid path");
  /* a Lua-owned copy, so a raise cannot leak it */
  copy = (char *)lua_newuserdata(L, len + 1);
  memcpy(copy, path, len + 1);
  if (fs_mkdir_p(copy) != 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* is_dir(path) -> boolean */
static int l_is_dir(lua_State *L) {
  struct stat st;
  const char *path = luaL_checkstring(L, 1);
  lua_pushboolean(L, stat(path, &st) == 0 && S_ISDIR(st.st_mode));
  return 1;
}

/* getcwd() -> absolute path of the current directory | nil, message */
static int l_getcwd(lua_State *L) {
  char buf[4096];
  if (getcwd(buf, sizeof buf) == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "cannot tell the current directory: %s", strerror(errno));
    return 2;
  }
  lua_pushstring(L, buf);
  return 1;
}

static const luaL_Reg fs_funcs[] = {
  {"mkdir_p", l_mkdir_p},
  {"is_dir", l_is_dir},
  {"getcwd", l_getcwd},
  {NULL, NULL}
};

void lpv_open_fs(lua_State *L) { luaL_setfuncs(L, fs_funcs, 0); }
