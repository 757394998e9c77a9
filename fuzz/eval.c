/*
** fuzz/eval.c: the evaluation engine (eval.c, condition.c, variables.c)
** through its public API: lp.compile of decoded JSON policies, P:decide of
** a fuzzed request and context (with and without an explanation) and
** lp.effective, which must agree with P:decide.
** The checks live in fuzz/support.lua (T.eval).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("eval", data, size);
  return 0;
}
