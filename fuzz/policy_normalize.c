/*
** fuzz/policy_normalize.c: the policy normaliser: core.policy_normalize of decoded JSON
** (idempotent, its input untouched).
** The checks live in fuzz/support.lua (T.policy_normalize).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("policy_normalize", data, size);
  return 0;
}
