/*
** catalog_internal.h: what catalog.c shares with catalog_arnindex.c (the
** catalog's folded comparisons and template helpers), nothing else.
*/
#ifndef LEASTPRIV_CATALOG_INTERNAL_H
#define LEASTPRIV_CATALOG_INTERNAL_H

#include "leastpriv.h"
#include "catalog_data.h"

#define LPV_CAT_POOL(off) (lpv_cat_pool + (off))

/* ASCII case folded: one byte, and a three-way comparison. */
int lpv_cat_fold(int c);
int lpv_cat_fold_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Length of the placeholder ("${Name}" or "{Name}") at t, or 0. */
size_t lpv_cat_placeholder_at(const char *t, size_t tlen, const char **name, size_t *nlen);

/* Iterate the ", "-separated alternatives of an ARN template list. */
int lpv_cat_next_arn(const char **cur, const char **s, size_t *len);

/* The service named by argument arg, or -1 with nil, message pushed. */
long lpv_cat_check_service(lua_State *L, int arg);

#endif
