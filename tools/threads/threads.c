/*
** tools/threads/threads.c: leastpriv.core embedded in two threads at once.
**
** The main thread first runs a workload alone: decode a policy (with
** positions), normalise it, write it as JSON and HCL, expand patterns,
** match ARNs and wildcards, look up and build from the catalog, raise and
** catch errors inside the module, and (when run from the repository root,
** where lua/ is) compile it for the evaluation engine, decide requests and
** list the effective permissions.  Then two threads each run the same
** workload ROUNDS times, every round in a fresh lua_State that is closed
** after, and every result must equal the first one byte for byte.
**   threads [ROUNDS]          (default 50; exit 0 when all agree)
**   threads --print           the single-threaded result
** `make tsan` builds it with ThreadSanitizer and runs it, then builds it
** plainly and runs one round under valgrind: lua_close must free it all.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

int luaopen_leastpriv_core(lua_State *L);

static const char workload[] =
  "local core = ...\n"
  "local policy = [[{\n"
  "  \"Version\": \"2012-10-17\",\n"
  "  \"Statement\": [\n"
  "    {\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n"
  "     \"Resource\": [\"arn:aws:s3:::data\", \"arn:aws:s3:::data/home/${aws:username}/*\"],\n"
  "     \"Condition\": {\"Bool\": {\"aws:SecureTransport\": true},\n"
  "                   \"StringLike\": {\"s3:prefix\": [\"home/\", \"home/*\"]}}},\n"
  "    {\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"NotResource\": \"*\",\n"
  "     \"Principal\": {\"AWS\": \"123456789012\", \"Service\": [\"sagemaker.amazonaws.com\"]}}\n"
  "  ]\n"
  "}]]\n"
  "local out = {}\n"
  "local function add(s) out[#out + 1] = tostring(s) end\n"
  "local doc, pos = assert(core.json_decode(policy, { positions = true }))\n"
  "add(core.json_encode(pos, { compact = true }))\n"
  "local n = core.policy_normalize(doc)\n"
  "add(core.policy_json(n))\n"
  "add(core.policy_json(n, { compact = true }))\n"
  "add(core.hcl_policy(n, { indent = 2 }))\n"
  "add(core.hcl_policy(n, { style = 'document', name = 'data' }))\n"
  "for _, p in ipairs { 's3:Get*', '*:Describe*', 'iam:*Role*', 'sagemaker:Create*' } do\n"
  "  add(table.concat(core.catalog_expand(p), ','))\n"
  "end\n"
  "add(#core.catalog_expand({ 'ec2:*', 's3:*', 'lambda:*' }))\n"
  "add(core.json_encode(core.catalog_action('s3:GetObject')))\n"
  "add(select(2, core.catalog_action('s3:GetObjekt')))\n"
  "add(core.json_encode(core.catalog_resource_types_for_arn('arn:aws:s3:::data/k')))\n"
  "add(core.catalog_arn_build('s3', 'object', { BucketName = 'data', ObjectName = 'k' }))\n"
  "add(core.arn_match('arn:aws:s3:::data/*', 'arn:aws:s3:::data/k'))\n"
  "add(core.arn_like('arn:aws:iam::*:role/ml-*', 'arn:aws:iam::123456789012:role/ml-x'))\n"
  "add(core.glob_match('*a*a*a*b', string.rep('a', 5000)))\n"
  "add(core.json_encode(core.arn_parse('arn:aws:logs:us-east-1:123456789012:log-group:x')))\n"
  "add(select(2, core.json_decode('{\"a\": 1,}')))\n"
  "add(select(2, pcall(core.policy_normalize, { Statement = { { Effect = 'Maybe' } } })))\n"
  "local cyclic = {}; cyclic.self = cyclic\n"
  "add(select(2, pcall(core.json_encode, cyclic)))\n"
  "add(select(2, pcall(core.hcl_policy, { Statement = { { Effect = 1 } } })))\n"
  "package.path = 'lua/?.lua;lua/?/init.lua;' .. package.path\n"
  "local has_lp, lp = pcall(require, 'leastpriv')\n"
  "if has_lp and lp.compile then\n"
  "  local P = assert(lp.compile(n))\n"
  "  local ctx = { ['aws:username'] = 'alice', ['aws:SecureTransport'] = 'true', ['s3:prefix'] = 'home/' }\n"
  "  local req = { action = 's3:GetObject', resource = 'arn:aws:s3:::data/home/alice/x', context = ctx }\n"
  "  add(P:decide(req))\n"
  "  local d, why = P:decide({ action = 's3:PutObject', resource = 'arn:aws:s3:::data/x' }, true)\n"
  "  add(d); add(why.reason); add(#why.statements)\n"
  "  add(table.concat(lp.effective(n, 'arn:aws:s3:::data/home/alice/x', ctx), ','))\n"
  "  add(table.concat(lp.effective(n, 'arn:aws:s3:::data', ctx), ','))\n"
  "else\n"
  "  add('the Lua API (lua/) was not found: engine not exercised')\n"
  "end\n"
  "collectgarbage()\n"
  "return table.concat(out, '\\n')\n";

/* Run the workload in a fresh state; returns its result (malloc'd), or
** NULL after printing the error. */
static char *run_once(void) {
  lua_State *L = luaL_newstate();
  char *result = NULL;
  if (L == NULL) return NULL;
  luaL_openlibs(L);
  luaL_requiref(L, "leastpriv.core", luaopen_leastpriv_core, 0);
  if (luaL_loadbuffer(L, workload, sizeof workload - 1, "=workload") != LUA_OK) {
    (void)fprintf(stderr, "threads: %s\n", lua_tostring(L, -1));
  } else {
    lua_insert(L, -2);                  /* the chunk, then core as its argument */
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
      (void)fprintf(stderr, "threads: %s\n", lua_tostring(L, -1));
    } else {
      size_t len;
      const char *s = lua_tolstring(L, -1, &len);
      result = malloc(len + 1);
      if (result != NULL) memcpy(result, s, len + 1);
    }
  }
  lua_close(L);
  return result;
}

typedef struct job {
  const char *expected;
  int rounds;
  int failures;
} job;

/* Print the first line where got differs from expected. */
static void show_difference(const char *expected, const char *got) {
  const char *e = expected, *g = got;
  while (*e && *e == *g) e++, g++;
  while (e > expected && e[-1] != '\n') e--, g--;
  (void)fprintf(stderr, "threads: expected %.200s\n         got      %.200s\n", e, g);
}

static void *worker(void *arg) {
  job *j = (job *)arg;
  int r;
  for (r = 0; r < j->rounds; r++) {
    char *got = run_once();
    if (got == NULL || strcmp(got, j->expected) != 0) {
      if (got != NULL && j->failures == 0) show_difference(j->expected, got);
      j->failures++;
    }
    free(got);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 50, i, failures = 0;
  char *expected = run_once();
  job jobs[2];
  pthread_t tid[2];
  if (expected == NULL) return 1;
  if (argc > 1 && strcmp(argv[1], "--print") == 0) {   /* the workload's result */
    puts(expected);
    free(expected);
    return 0;
  }
  if (rounds < 1) rounds = 1;
  for (i = 0; i < 2; i++) {
    jobs[i].expected = expected;
    jobs[i].rounds = rounds;
    jobs[i].failures = 0;
    if (pthread_create(&tid[i], NULL, worker, &jobs[i]) != 0) {
      perror("pthread_create");
      return 1;
    }
  }
  for (i = 0; i < 2; i++) {
    pthread_join(tid[i], NULL);
    failures += jobs[i].failures;
  }
  printf("threads: 2 threads x %d rounds, %d bytes of results each: %s\n", rounds,
         (int)strlen(expected), failures == 0 ? "all equal to the single-threaded run"
                                               : "MISMATCH");
  free(expected);
  return failures == 0 ? 0 : 1;
}
