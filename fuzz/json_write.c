/*
** fuzz/json_write.c: the JSON writers: core.policy_json (pretty and compact) and
** json_encode of a normalised policy, read back equal.
** The checks live in fuzz/support.lua (T.json_write).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("json_write", data, size);
  return 0;
}
