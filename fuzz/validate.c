/*
** fuzz/validate.c: the policy validator (validate.c, validate_catalog.c,
** validate_cond.c, validate_security.c) through lp.validate: JSON text of
** every policy type (chosen by the input's first line), with its findings
** held to the table of checks, located in the text, deterministic, and the
** same from the text and from the decoded document.
** The checks live in fuzz/support.lua (T.validate).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("validate", data, size);
  return 0;
}
