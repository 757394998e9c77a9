/*
** catalog_data.h: the layout of the generated catalog tables
** (catalog_data.c, written by tools/catalog/generate.mjs; read by catalog.c).
**
** All strings live in one pool (lpv_cat_pool) and are named by their byte
** offset; each is NUL-terminated and offset 0 is "".  Lists are runs in the
** shared index arrays (lpv_cat_refs: condition key indexes; lpv_cat_strrefs:
** pool offsets).  Sorted orders (ASCII case folded, byte order):
**   services      by prefix followed by ':'  (so their action runs are in order)
**   actions       by full name "s3:GetObject"; each service's actions are a run
**   rtypes        by service, then name; each service's resource types are a run
**   ckeys         by name, then declaring service (global entries first)
** Everything is const: the tables are shared by every lua_State.
*/
#ifndef LEASTPRIV_CATALOG_DATA_H
#define LEASTPRIV_CATALOG_DATA_H

#include <stdint.h>

/* Access level bits, in the order they are reported. */
enum {
  LPV_CAT_LIST = 1, LPV_CAT_READ = 2, LPV_CAT_WRITE = 4, LPV_CAT_TAGGING = 8,
  LPV_CAT_PERMISSIONS = 16
};

/* An action whose description starts with the usual words stores the rest. */
#define LPV_CAT_DESC_PREFIX "Grants permission to "
enum { LPV_CAT_STD_DESC = 1 };

/* Declaring service of a global condition key. */
#define LPV_CAT_GLOBAL 0xFFFFu

typedef struct lpv_cat_meta {
  const char *source, *version, *updated_at, *date;
  uint32_t n_services, n_actions, n_rtypes, n_arns;
  uint32_t n_ckeys;           /* entries in lpv_cat_ckeys (service + global) */
  uint32_t n_service_ckeys;   /* of which declared by a service */
  uint32_t n_global_ckeys;
  uint32_t n_templates;       /* entries in lpv_cat_ckey_templates */
  uint32_t n_scenarios;
  uint32_t n_hash;            /* slots in lpv_cat_action_hash, a power of 2 */
} lpv_cat_meta;

typedef struct lpv_cat_service {
  uint32_t prefix, name, category;   /* pool offsets */
  uint32_t key;                      /* prefix in lower case */
  uint32_t first_action, n_actions;  /* run in lpv_cat_actions */
  uint32_t first_rtype, n_rtypes;    /* run in lpv_cat_rtypes */
  uint32_t ckeys, n_ckeys;           /* run in lpv_cat_refs (keys it declares) */
  uint8_t rcp;                       /* supports resource control policies */
  uint8_t prefix_len;                /* strlen of prefix */
} lpv_cat_service;

typedef struct lpv_cat_action {
  uint32_t name;                /* "service:Action", followed in the pool by
                                   its lower-case key (name + name_len + 1) */
  uint32_t description;         /* after LPV_CAT_DESC_PREFIX if flags say so */
  uint32_t rtypes;              /* run in lpv_cat_action_rtypes (n_rtypes) */
  uint32_t ckeys;               /* run in lpv_cat_refs (n_ckeys) */
  uint32_t deps;                /* run in lpv_cat_strrefs (n_deps) */
  uint16_t service;
  uint8_t name_len, access, n_rtypes, n_ckeys, n_deps;
  uint8_t flags;                /* LPV_CAT_STD_DESC */
} lpv_cat_action;

typedef struct lpv_cat_action_rtype {
  uint16_t rtype;               /* index in lpv_cat_rtypes */
  uint8_t required, n_ckeys;
  uint16_t n_deps;
  uint32_t ckeys;               /* run in lpv_cat_refs */
  uint32_t deps;                /* run in lpv_cat_strrefs */
} lpv_cat_action_rtype;

typedef struct lpv_cat_rtype {
  uint32_t name;
  uint32_t arn;                 /* ARN template(s), alternatives joined by ", " */
  uint32_t ckeys;               /* run in lpv_cat_refs (n_ckeys) */
  uint16_t n_ckeys, service;
} lpv_cat_rtype;

typedef struct lpv_cat_ckey {
  uint32_t name, type, description;
  uint32_t pattern;             /* glob for a templated name ("" if none) */
  uint32_t category;            /* global keys: "principal", "request", ... */
  uint16_t service;             /* LPV_CAT_GLOBAL for a global key */
} lpv_cat_ckey;

typedef struct lpv_cat_scenario {
  uint16_t action;
  uint32_t name;
  uint32_t rtypes;              /* run in lpv_cat_scenario_rtypes (n_rtypes) */
  uint16_t n_rtypes;
} lpv_cat_scenario;

typedef struct lpv_cat_scenario_rtype {
  uint16_t rtype;
  uint8_t required;
} lpv_cat_scenario_rtype;

extern const lpv_cat_meta lpv_cat_info;
extern const lpv_cat_service lpv_cat_services[];
extern const lpv_cat_action lpv_cat_actions[];
extern const lpv_cat_action_rtype lpv_cat_action_rtypes[];
extern const lpv_cat_rtype lpv_cat_rtypes[];
extern const lpv_cat_ckey lpv_cat_ckeys[];
extern const uint16_t lpv_cat_ckey_templates[];
extern const lpv_cat_scenario lpv_cat_scenarios[];
extern const lpv_cat_scenario_rtype lpv_cat_scenario_rtypes[];
extern const uint16_t lpv_cat_refs[];
/* Action lookup by name: FNV-1a (32-bit) of the lower-case name, masked to
** n_hash slots, linear probing; a slot holds action index + 1, 0 if empty. */
extern const uint16_t lpv_cat_action_hash[];
extern const uint32_t lpv_cat_strrefs[];
extern const char lpv_cat_pool[];

#endif
