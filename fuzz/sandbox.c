/*
** fuzz/sandbox.c: role-script text run in a sandbox (csrc/sandbox.c):
** core.sandbox_run on the input as a chunk (or, after a leading '=', as the
** expression a chunk returns), with small limits.  Every input runs or
** fails with a kind and a message; what comes back is data only.  The
** checks live in fuzz/support.lua (T.sandbox).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("sandbox", data, size);
  return 0;
}
