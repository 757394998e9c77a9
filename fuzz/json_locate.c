/*
** fuzz/json_locate.c: core.json_locate, the one-pass locator of elements
** in JSON text, against the positions of core.json_decode; core.json_size.
** The checks live in fuzz/support.lua (T.json_locate).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("json_locate", data, size);
  return 0;
}
