/*
** fs.c: the little file-system support the CLI needs and plain Lua lacks:
** creating a directory with its parents, the current directory, the entries
** of a directory, and reading an input file with a bound: only regular
** files (a FIFO or a device is refused before a byte is read), and never
** more than the limit plus one byte, so a symlink to /dev/zero costs
** nothing.  (Writes are done in Lua, to a
** temporary name then renamed, so an error never leaves a file half-written.)
*/
/* A feature-test macro: a reserved name that POSIX has programs define. */
#define _POSIX_C_SOURCE 200809L  /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

#define FS_READ_CHUNK 65536     /* bytes per read() of read_file */

/* What a file that is not a regular file is, for messages. */
static const char *fs_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/* The byte limit of argument idx: a non-negative integer, LPV_MAX_DOCUMENT
** when absent. */
static size_t fs_limit(lua_State *L, int idx) {
  lua_Integer max = luaL_optinteger(L, idx, (lua_Integer)LPV_MAX_DOCUMENT);
  luaL_argcheck(L, max >= 0 && (lua_Unsigned)max < ((size_t)-1 >> 2), idx, "limit out of range");
  return (size_t)max;
}

/* Push the message for a file of more than max bytes; returns 2. */
static int fs_too_large(lua_State *L, const char *path, size_t max) {
  lua_pushnil(L);
  if (max >= (1U << 20) && max % (1U << 20) == 0)
    lua_pushfstring(L, "%s: file larger than %d MiB", path, (int)(max >> 20));
  else
    lua_pushfstring(L, "%s: file larger than %d bytes", path, (int)max);
  lua_pushliteral(L, "too large");
  return 3;
}

/* Open path for reading without blocking (a FIFO with no writer would)
** and check that it is a regular file: fd, or -1 with the message pushed
** (nil, message) as the two results to return. */
static int fs_open_regular(lua_State *L, const char *path, struct stat *st) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: cannot read the file (%s)", path, strerror(errno));
    return -1;
  }
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
    int e = errno;
    const char *what = S_ISREG(st->st_mode) ? strerror(e) : fs_kind(st->st_mode);
    close(fd);
    lua_pushnil(L);
    if (S_ISREG(st->st_mode))
      lua_pushfstring(L, "%s: cannot read the file (%s)", path, what);
    else
      lua_pushfstring(L, "%s: cannot read the file: it is %s, not a regular file", path, what);
    return -1;
  }
  return fd;
}

/* read_file(path [, max]) -> text | nil, message [, "too large"].  Reads a
** regular file of at most max bytes (default 16 MiB): never more than
** max + 1 bytes are read, whatever the file claims to be. */
static int l_read_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t max = fs_limit(L, 2), total = 0;
  struct stat st;
  luaL_Buffer b;
  char *chunk;
  int fd;
  lua_settop(L, 2);
  /* reads land here first: any Lua's buffer takes them with addlstring */
  chunk = (char *)lua_newuserdatauv(L, FS_READ_CHUNK, 0);     /* 3 */
  fd = fs_open_regular(L, path, &st);
  if (fd < 0) return 2;
  if ((unsigned long long)st.st_size > (unsigned long long)max) {
    close(fd);
    return fs_too_large(L, path, max);
  }
  luaL_buffinit(L, &b);
  for (;;) {
    size_t want = max + 1 - total;
    ssize_t n;
    if (want > FS_READ_CHUNK) want = FS_READ_CHUNK;
    if (want == 0) break;
    n = read(fd, chunk, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      luaL_pushresult(&b);
      lua_pop(L, 1);
      lua_pushnil(L);
      lua_pushfstring(L, "%s: cannot read the file (%s)", path, strerror(e));
      return 2;
    }
    if (n == 0) break;
    luaL_addlstring(&b, chunk, (size_t)n);
    total += (size_t)n;
  }
  close(fd);
  luaL_pushresult(&b);
  if (total > max) {
    lua_pop(L, 1);
    return fs_too_large(L, path, max);
  }
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

#define FS_MAX_ENTRIES 100000   /* entries of one directory read at most */

/* list_dir(path) -> { { name =, kind = "file" | "dir" | "link" | "other" }... }
** sorted by name (bytewise), "." and ".." left out; or nil, message.  The
** kind is lstat's: a symbolic link is "link", never followed here. */
static int l_list_dir(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t plen = strlen(path);
  DIR *d;
  struct dirent *ent;
  lua_Integer n = 0;
  int ok = 1;
  lua_newtable(L);                      /* names first, kinds after sorting */
  d = opendir(path);
  if (d == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  while ((ent = readdir(d)) != NULL) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    if (n >= FS_MAX_ENTRIES) { ok = 0; break; }
    lua_pushstring(L, ent->d_name);     /* copies the name: no raise holds the DIR open */
    lua_rawseti(L, -2, ++n);
  }
  closedir(d);
  if (!ok) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: more than %d entries", path, FS_MAX_ENTRIES);
    return 2;
  }
  /* sort with table.sort's order (bytewise for strings) */
  lua_getglobal(L, "table");
  lua_getfield(L, -1, "sort");
  lua_remove(L, -2);
  lua_pushvalue(L, -2);
  lua_call(L, 1, 0);
  {
    lua_Integer i;
    luaL_Buffer b;
    for (i = 1; i <= n; i++) {
      struct stat st;
      const char *name, *kind;
      lua_rawgeti(L, -1, i);
      name = lua_tostring(L, -1);
      luaL_buffinit(L, &b);
      luaL_addlstring(&b, path, plen);
      luaL_addchar(&b, '/');
      luaL_addstring(&b, name);
      luaL_pushresult(&b);
      kind = "other";                   /* unreadable, or neither file, folder nor link */
      if (lstat(lua_tostring(L, -1), &st) == 0) {
        if (S_ISLNK(st.st_mode)) kind = "link";
        else if (S_ISDIR(st.st_mode)) kind = "dir";
        else if (S_ISREG(st.st_mode)) kind = "file";
      }
      lua_pop(L, 1);
      lua_createtable(L, 0, 2);
      lua_insert(L, -2);
      lua_setfield(L, -2, "name");
      lua_pushstring(L, kind);
      lua_setfield(L, -2, "kind");
      lua_rawseti(L, -2, i);
    }
  }
  return 1;
}

/* check_file(path [, max]) -> true | nil, message [, "too large"]: is path
** a regular file of at most max bytes (for readers that open it
** themselves, such as loadfile)? */
static int l_check_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t max = fs_limit(L, 2);
  struct stat st;
  int fd = fs_open_regular(L, path, &st);
  if (fd < 0) return 2;
  close(fd);
  if ((unsigned long long)st.st_size > (unsigned long long)max) return fs_too_large(L, path, max);
  lua_pushboolean(L, 1);
  return 1;
}

static const luaL_Reg fs_funcs[] = {
  {"list_dir", l_list_dir},
  {"mkdir_p", l_mkdir_p},
  {"is_dir", l_is_dir},
  {"read_file", l_read_file},
  {"check_file", l_check_file},
  {"getcwd", l_getcwd},
  {NULL, NULL}
};

void lpv_open_fs(lua_State *L) { luaL_setfuncs(L, fs_funcs, 0); }
