/*
** fuzz/arn.c: ARNs: core.arn_parse, arn_check, arn_format, arn_match and arn_like
** (first line a pattern, the rest an ARN).
** The checks live in fuzz/support.lua (T.arn).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("arn", data, size);
  return 0;
}
