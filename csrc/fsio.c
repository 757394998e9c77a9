/*
** fsio.c: writing and reading inside one folder without ever leaving it.
**
** Lua's io follows symbolic links and cannot create a file exclusively, so
** `render --out DIR` and `check --output FILE` go through a folder handle:
** fsio_open(DIR) opens DIR (following it: the user named it) and every path
** below it is walked one component at a time with openat(O_NOFOLLOW |
** O_DIRECTORY), refusing "", ".", ".." and symbolic links.  Whatever a
** name holds, nothing is created, read, renamed or removed outside DIR.
** New files get a random name created with O_EXCL | O_NOFOLLOW, are
** written whole, then renamed into place (rename replaces a
** planted symbolic link, it never writes through it).  A lock file held
** with fcntl keeps two writers of one folder apart.  POSIX.1-2008 only.
*/
/* A feature-test macro: a reserved name that POSIX has programs define
** (X/Open 7 = POSIX.1-2008 with realpath). */
#define _XOPEN_SOURCE 700  /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c) realpath */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#include "leastpriv.h"

#define FOLDER_MT "leastpriv.fsio.folder"
#define TEMP_TRIES 16

static const char HEX[] = "0123456789abcdef";

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

typedef struct {
  int fd;      /* the folder, or -1 once closed */
  int lockfd;  /* the lock file while locked, else -1 */
} Folder;

static Folder *check_folder(lua_State *L) {
  Folder *f = (Folder *)luaL_checkudata(L, 1, FOLDER_MT);
  if (f->fd < 0) luaL_error(L, "the folder is closed");
  return f;
}

static int close_quietly(int fd) {
  int r;
  do { r = close(fd); } while (r != 0 && errno == EINTR);
  return r;
}

/* nil, "rel: reason" (the caller puts the folder in front). */
static int fail(lua_State *L, const char *rel, int err) {
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", rel, strerror(err));
  return 2;
}

static int fail_msg(lua_State *L, const char *rel, const char *msg) {
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", rel, msg);
  return 2;
}

/* A Lua-owned, writable copy of argument i (so a raise cannot leak it),
** checked to be a relative path of proper components. */
static char *relative_copy(lua_State *L, int i, const char **why) {
  size_t len, start = 0, k;
  const char *rel = luaL_checklstring(L, i, &len);
  char *copy;
  *why = NULL;
  if (len == 0 || memchr(rel, '\0', len) != NULL || rel[0] == '/') {
    *why = "not a relative path";
  }
  for (k = 0; *why == NULL && k <= len; k++) {
    if (k == len || rel[k] == '/') {
      size_t n = k - start;
      if (n == 0 || (n == 1 && rel[start] == '.') ||
          (n == 2 && rel[start] == '.' && rel[start + 1] == '.')) {
        *why = "a path component is empty, \".\" or \"..\"";
      }
      start = k + 1;
    }
  }
  copy = (char *)lua_newuserdata(L, len + 1);
  memcpy(copy, rel, len + 1);
  return copy;
}

/* Open the folder holding the last component of path (a writable copy,
** split in place): returns its fd (root itself or a new one) and sets
** *leaf, or -1 with errno set.  create: make missing folders.  A component
** that is a symbolic link or not a folder fails with ENOTDIR / ELOOP. */
static int open_parent(int root, char *path, int create, char **leaf) {
  int dir = root;
  char *comp = path, *slash;
  while ((slash = strchr(comp, '/')) != NULL) {
    int next;
    *slash = '\0';
    if (create && mkdirat(dir, comp, 0777) != 0 && errno != EEXIST) {
      int e = errno;
      if (dir != root) close_quietly(dir);
      *slash = '/';
      errno = e;
      return -1;
    }
    next = openat(dir, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    *slash = '/';
    if (next < 0) {
      int e = errno;
      if (dir != root) close_quietly(dir);
      errno = e;
      return -1;
    }
    if (dir != root) close_quietly(dir);
    dir = next;
    comp = slash + 1;
  }
  *leaf = comp;
  return dir;
}

/* Why a walk failed, in words that name the cause. */
static const char *walk_error(int err) {
  if (err == ELOOP || err == ENOTDIR || err == EMLINK)
    return "a symbolic link or not a folder on the way (not followed)";
  return strerror(err);
}

/* fsio_open(path) -> folder | nil, message */
static int l_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  Folder *f = (Folder *)lua_newuserdata(L, sizeof *f);
  f->fd = -1;
  f->lockfd = -1;
  luaL_setmetatable(L, FOLDER_MT);
  f->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (f->fd < 0) return fail(L, path, errno);
  return 1;
}

static int l_close(lua_State *L) {
  Folder *f = (Folder *)luaL_checkudata(L, 1, FOLDER_MT);
  if (f->lockfd >= 0) { close_quietly(f->lockfd); f->lockfd = -1; }
  if (f->fd >= 0) { close_quietly(f->fd); f->fd = -1; }
  return 0;
}

/* folder:mkdirs(rel) -> true | nil, message: rel and its parents as folders. */
static int l_mkdirs(lua_State *L) {
  Folder *f = check_folder(L);
  const char *why;
  char *rel = relative_copy(L, 2, &why);
  char *leaf;
  int dir, sub;
  if (why) return fail_msg(L, rel, why);
  dir = open_parent(f->fd, rel, 1, &leaf);
  if (dir < 0) return fail_msg(L, rel, walk_error(errno));
  if (mkdirat(dir, leaf, 0777) != 0 && errno != EEXIST) {
    int e = errno;
    if (dir != f->fd) close_quietly(dir);
    return fail(L, rel, e);
  }
  sub = openat(dir, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  {
    int e = errno;
    if (dir != f->fd) close_quietly(dir);
    if (sub < 0) return fail_msg(L, rel, walk_error(e));
  }
  close_quietly(sub);
  lua_pushboolean(L, 1);
  return 1;
}

/* 16 hex digits, from /dev/urandom (else from the clock and addresses:
** O_EXCL keeps a guessed name harmless, the randomness only avoids
** retries). */
static void random_suffix(char out[17], unsigned attempt) {
  unsigned char bytes[8];
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  int got = 0, i;
  if (fd >= 0) {
    got = read(fd, bytes, sizeof bytes) == (ssize_t)sizeof bytes;
    close_quietly(fd);
  }
  if (!got) {
    uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20) ^
                 ((uint64_t)(uintptr_t)&fd << 7) ^ ((uint64_t)getpid() << 40) ^ attempt;
    for (i = 0; i < 8; i++) {
      x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 29;
      bytes[i] = (unsigned char)(x & 0xff);
    }
  }
  for (i = 0; i < 8; i++) {
    out[(size_t)i * 2] = HEX[bytes[i] >> 4];
    out[(size_t)i * 2 + 1] = HEX[bytes[i] & 15];
  }
  out[16] = '\0';
}

static int write_all(int fd, const char *s, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, s, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    s += n;
    len -= (size_t)n;
  }
  return 0;
}

/* folder:write_temp(rel, content) -> temp rel | nil, message.  Creates a
** new file beside rel (same folder, random name ".NAME.XXXX.tmp" cut to a
** sane length), writes content whole.  On error nothing is left behind.
** Not fsync'd: a render guards against errors and concurrent runs, not
** power loss (an fsync per file made 400 files take 10 s here). */
static int l_write_temp(lua_State *L) {
  Folder *f = check_folder(L);
  const char *why;
  char *rel = relative_copy(L, 2, &why);
  size_t clen;
  const char *content = luaL_checklstring(L, 3, &clen);
  char *leaf, name[96], suffix[17];
  int dir, fd = -1, e = 0;
  unsigned attempt;
  if (why) return fail_msg(L, rel, why);
  dir = open_parent(f->fd, rel, 0, &leaf);
  if (dir < 0) return fail_msg(L, rel, walk_error(errno));
  for (attempt = 0; attempt < TEMP_TRIES; attempt++) {
    random_suffix(suffix, attempt);
    (void)snprintf(name, sizeof name, ".%.48s.%s.tmp", leaf, suffix);
    fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) break;
  }
  if (fd < 0) {
    e = errno;
    if (dir != f->fd) close_quietly(dir);
    return fail(L, rel, e);
  }
  if (write_all(fd, content, clen) != 0) e = errno;
  if (close_quietly(fd) != 0 && e == 0) e = errno;
  if (e != 0) unlinkat(dir, name, 0);
  if (dir != f->fd) close_quietly(dir);
  if (e != 0) return fail(L, rel, e);
  /* the temp's path: rel's folder part, then the new name */
  lua_pushlstring(L, rel, (size_t)(leaf - rel));
  lua_pushstring(L, name);
  lua_concat(L, 2);
  return 1;
}

/* folder:rename(from, to) -> true | nil, message (both relative). */
static int l_rename(lua_State *L) {
  Folder *f = check_folder(L);
  const char *why1, *why2;
  char *from = relative_copy(L, 2, &why1);
  char *to = relative_copy(L, 3, &why2);
  char *leaf1, *leaf2;
  int d1, d2, r, e;
  if (why1) return fail_msg(L, from, why1);
  if (why2) return fail_msg(L, to, why2);
  d1 = open_parent(f->fd, from, 0, &leaf1);
  if (d1 < 0) return fail_msg(L, from, walk_error(errno));
  d2 = open_parent(f->fd, to, 0, &leaf2);
  if (d2 < 0) {
    e = errno;
    if (d1 != f->fd) close_quietly(d1);
    return fail_msg(L, to, walk_error(e));
  }
  r = renameat(d1, leaf1, d2, leaf2);
  e = errno;
  if (d1 != f->fd) close_quietly(d1);
  if (d2 != f->fd) close_quietly(d2);
  if (r != 0) return fail(L, to, e);
  lua_pushboolean(L, 1);
  return 1;
}

/* folder:remove(rel [, is_folder]) -> true | nil, message, missing.
** Removes a file (or an empty folder); a missing one gives missing = true. */
static int l_remove(lua_State *L) {
  Folder *f = check_folder(L);
  int folder = lua_toboolean(L, 3);  /* before relative_copy pushes */
  const char *why;
  char *rel;
  char *leaf;
  int dir, r, e;
  struct stat st;
  lua_settop(L, 3);
  rel = relative_copy(L, 2, &why);
  if (why) return fail_msg(L, rel, why);
  dir = open_parent(f->fd, rel, 0, &leaf);
  if (dir < 0) {
    e = errno;
    fail_msg(L, rel, walk_error(e));
    lua_pushboolean(L, e == ENOENT);
    return 3;
  }
  r = fstatat(dir, leaf, &st, AT_SYMLINK_NOFOLLOW);
  if (r == 0 && folder != S_ISDIR(st.st_mode)) {
    if (dir != f->fd) close_quietly(dir);
    fail_msg(L, rel, folder ? "not a folder" : "not a file");
    lua_pushboolean(L, 0);
    return 3;
  }
  if (r == 0) r = unlinkat(dir, leaf, folder ? AT_REMOVEDIR : 0);
  e = errno;
  if (dir != f->fd) close_quietly(dir);
  if (r != 0) {
    fail(L, rel, e);
    lua_pushboolean(L, e == ENOENT);
    return 3;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* folder:kind(rel) -> "file" | "folder" | "link" | "other" | nil (missing),
** or nil, message when a component on the way is not a folder. */
static int l_kind(lua_State *L) {
  Folder *f = check_folder(L);
  const char *why;
  char *rel = relative_copy(L, 2, &why);
  char *leaf;
  int dir, r, e;
  struct stat st;
  if (why) return fail_msg(L, rel, why);
  dir = open_parent(f->fd, rel, 0, &leaf);
  if (dir < 0) {
    if (errno == ENOENT) { lua_pushnil(L); return 1; }
    return fail_msg(L, rel, walk_error(errno));
  }
  r = fstatat(dir, leaf, &st, AT_SYMLINK_NOFOLLOW);
  e = errno;
  if (dir != f->fd) close_quietly(dir);
  if (r != 0) {
    if (e == ENOENT) { lua_pushnil(L); return 1; }
    return fail(L, rel, e);
  }
  lua_pushstring(L, S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "folder" :
                    S_ISLNK(st.st_mode) ? "link" : "other");
  return 1;
}

/* folder:read(rel, limit) -> content | nil, message.  A regular file only,
** not through a link, at most limit bytes (more is an error).  The buffer
** is a Lua-owned box sized before the file is read, so nothing can raise
** while the file is open. */
static int l_read(lua_State *L) {
  Folder *f = check_folder(L);
  lua_Integer limit = luaL_checkinteger(L, 3);
  const char *why;
  char *rel = relative_copy(L, 2, &why);
  char *leaf, *buf;
  int dir, fd, e = 0;
  struct stat st;
  size_t cap, total = 0;
  if (why) return fail_msg(L, rel, why);
  if (limit < 0) limit = 0;
  dir = open_parent(f->fd, rel, 0, &leaf);
  if (dir < 0) return fail_msg(L, rel, walk_error(errno));
  fd = openat(dir, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  e = errno;
  if (dir != f->fd) close_quietly(dir);
  if (fd < 0) return fail_msg(L, rel, e == ELOOP ? "a symbolic link (not followed)" : strerror(e));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close_quietly(fd);
    return fail_msg(L, rel, "not a regular file");
  }
  if (st.st_size > (off_t)limit) {
    close_quietly(fd);
    return fail_msg(L, rel, "larger than expected");
  }
  close_quietly(fd);
  /* reopen after the allocation (which may raise): nothing held meanwhile */
  cap = (size_t)st.st_size + 1;   /* one more byte tells a file that grew */
  buf = (char *)lua_newuserdata(L, cap);
  dir = open_parent(f->fd, rel, 0, &leaf);
  if (dir < 0) return fail_msg(L, rel, walk_error(errno));
  fd = openat(dir, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  e = errno;
  if (dir != f->fd) close_quietly(dir);
  if (fd < 0) return fail_msg(L, rel, e == ELOOP ? "a symbolic link (not followed)" : strerror(e));
  e = 0;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) e = -1;
  while (e == 0 && total < cap) {
    ssize_t n = read(fd, buf + total, cap - total);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) { e = errno; break; }
    if (n == 0) break;
    total += (size_t)n;
  }
  close_quietly(fd);
  if (e == -1) return fail_msg(L, rel, "not a regular file");
  if (e != 0) return fail(L, rel, e);
  if (total == cap || (lua_Integer)total > limit) return fail_msg(L, rel, "larger than expected (it grew while read)");
  lua_pushlstring(L, buf, total);
  return 1;
}

/* folder:lock(name) -> true | nil, message.  Creates (or opens) the file
** name in the folder and takes a write lock on it without waiting; held
** until folder:close() or the process ends. */
static int l_lock(lua_State *L) {
  Folder *f = check_folder(L);
  const char *name = luaL_checkstring(L, 2);
  struct flock fl;
  int fd;
  if (strchr(name, '/') != NULL || name[0] == '\0') return fail_msg(L, name, "not a file name");
  if (f->lockfd >= 0) { lua_pushboolean(L, 1); return 1; }
  fd = openat(f->fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) return fail_msg(L, name, errno == ELOOP ? "a symbolic link (not followed)" : strerror(errno));
  memset(&fl, 0, sizeof fl);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (fcntl(fd, F_SETLK, &fl) != 0) {
    int e = errno;
    close_quietly(fd);
    if (e == EACCES || e == EAGAIN)
      return fail_msg(L, name, "locked: another leastpriv is writing this folder");
    return fail(L, name, e);
  }
  f->lockfd = fd;
  lua_pushboolean(L, 1);
  return 1;
}

/* fsio_digest(s) -> 16 hex digits (64-bit FNV-1a): tells whether a file
** is still the one a render wrote.  Not a defence against forgery. */
static int l_digest(lua_State *L) {
  size_t len, i;
  const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &len);
  uint64_t h = 0xcbf29ce484222325ULL;
  char out[17];
  for (i = 0; i < len; i++) { h ^= s[i]; h *= 0x100000001b3ULL; }
  for (i = 0; i < 16; i++) out[i] = HEX[(h >> (60 - 4 * i)) & 15];
  out[16] = '\0';
  lua_pushstring(L, out);
  return 1;
}

/* fsio_realpath(path) -> absolute path without links | nil, message */
static int l_realpath(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char *buf = (char *)lua_newuserdata(L, PATH_MAX);  /* Lua-owned: no leak on a raise */
  if (realpath(path, buf) == NULL) return fail(L, path, errno);
  lua_pushstring(L, buf);
  return 1;
}

static const luaL_Reg folder_methods[] = {
  {"close", l_close},
  {"mkdirs", l_mkdirs},
  {"write_temp", l_write_temp},
  {"rename", l_rename},
  {"remove", l_remove},
  {"kind", l_kind},
  {"read", l_read},
  {"lock", l_lock},
  {NULL, NULL}
};

static const luaL_Reg fsio_funcs[] = {
  {"fsio_open", l_open},
  {"fsio_digest", l_digest},
  {"fsio_realpath", l_realpath},
  {NULL, NULL}
};

void lpv_open_fsio(lua_State *L) {
  if (luaL_newmetatable(L, FOLDER_MT)) {
    lua_newtable(L);
    luaL_setfuncs(L, folder_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_close);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, fsio_funcs, 0);
}
