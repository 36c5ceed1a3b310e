/*
 * dbc_copy.h - deep copies of schema entries (dbf_table, dbf_object) into an arena, for
 * entries that outlive what they were copied from (a source's catalog kept after its
 * connection is closed).
 */
#ifndef DBC_COPY_H
#define DBC_COPY_H

#include "dbc_mem.h"
#include "dbf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Copy table t (columns, keys, attributes, every string) into a.
 *  @param out  OUT: the copy, valid until a is reset or freed.
 *  @return 0, or DBF_ENOMEM (*out untouched; what was copied stays in a). */
int dbc_table_copy(dbc_arena *a, dbf_table **out, const dbf_table *t);

/** Copy object o (columns, references, attributes, every string) into a, as dbc_table_copy. */
int dbc_object_copy(dbc_arena *a, dbf_object **out, const dbf_object *o);

#ifdef __cplusplus
}
#endif

#endif /* DBC_COPY_H */
