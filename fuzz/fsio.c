/*
** fuzz/fsio.c: the folder handle of csrc/fsio.c (core.fsio_open) with
** fuzzed relative paths.  Each input line is an operation and a path
** (mkdirs, write, kind, read, remove) run inside a scratch folder that
** holds a link to a folder outside it; nothing may ever appear outside
** (the outside folder stays empty, the file beside it unchanged), and a
** write that succeeds reads back equal.  The checks live in
** fuzz/support.lua (T.fsio).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("fsio", data, size);
  return 0;
}
