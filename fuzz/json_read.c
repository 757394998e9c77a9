/*
** fuzz/json_read.c: the JSON reader: core.json_decode with and without positions, and
** json_encode of what it read, read back equal.
** The checks live in fuzz/support.lua (T.json_read).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("json_read", data, size);
  return 0;
}
