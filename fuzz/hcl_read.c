/*
** fuzz/hcl_read.c: the Terraform source reader: core.hcl_parse never raises,
** locates its errors and nodes inside the text, and reads what the HCL
** writer's strings hold.  The checks live in fuzz/support.lua (T.hcl_read).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("hcl_read", data, size);
  return 0;
}
