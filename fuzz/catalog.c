/*
** fuzz/catalog.c: catalog lookups and builders: core.catalog_find, catalog_action,
** catalog_summary, catalog_service, catalog_condition_key,
** catalog_resource_type, catalog_resource_types_for_arn, catalog_list and
** catalog_arn_build with fuzzed names.
** The checks live in fuzz/support.lua (T.catalog).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("catalog", data, size);
  return 0;
}
