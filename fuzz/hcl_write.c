/*
** fuzz/hcl_write.c: the HCL writer: core.hcl_string of the input and core.hcl_policy
** (jsonencode and document styles) of a normalised policy, read back equal.
** The checks live in fuzz/support.lua (T.hcl_write).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("hcl_write", data, size);
  return 0;
}
