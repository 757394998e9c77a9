/*
** fuzz/json_stream.c: core.json_stream_text, the piece-by-piece reader of
** large JSON objects, against core.json_decode and itself at other read
** sizes.  The checks live in fuzz/support.lua (T.json_stream).
*/
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_run("json_stream", data, size);
  return 0;
}
