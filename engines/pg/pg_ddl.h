/*
 * pg_ddl.h - PostgreSQL's own DDL for the archive: pg_dump's pre-data and post-data
 * sections, taken under the dump's exported snapshot and split into its entries
 * (spec/FORMAT.md, "PostgreSQL: pg_dump entries").
 */
#ifndef DBE_PG_DDL_H
#define DBE_PG_DDL_H

#include <stddef.h>

#include "dbc_mem.h"
#include "dbf.h"

struct pg_conn;

/* The subtype of a pg_dump entry object (the header option and the large objects' attr:
 * DBE_PG_DDL_OPTION, DBE_PG_LO_ATTR in engine.h). */
#define PG_DDL_SUBTYPE "pg_dump"

/* What one run of pg_dump needs. */
typedef struct pg_ddl_run {
    struct pg_conn *conn;      /* the dump's connection: its parameters, its server version */
    const char *snapshot;      /* pg_export_snapshot() of the dump's transaction */
    const char *const *select; /* "-T" and a quoted name, in pairs; NULL none */
    size_t nselect;            /* strings in select */
    dbf_arena *arena;          /* the objects' strings */
    const dbf_table *tables;   /* the dump's tables: an entry's own table (o->table) */
    size_t ntables;
    const char *const *owned;  /* schema, relation, its table: indexes, owned sequences */
    size_t nowned;             /* triples in owned */
} pg_ddl_run;

/**
 * The pg_dump that will run (DBDUMP_PG_DUMP, else "pg_dump" on PATH) and its version: fails
 * when there is none or when it is older than the server (pg_dump refuses a newer server).
 * @param version  out: "15.18", as the archive header records it
 * @return 0, or DBF_EUNSUPPORTED naming what to install.
 */
int pg_ddl_check(struct pg_conn *conn, char version[32], dbf_error *err);

/**
 * Run pg_dump --clean --if-exists --section=pre-data and post-data and append their entries
 * (dbf_object, kind DBF_OBJ_DDL, subtype PG_DDL_SUBTYPE, attrs pg_dump.type and
 * pg_dump.owner, in pg_dump's order) to pre and post. First in pre: the drops of both
 * sections (type "DROP": post-data's, then pre-data's; dbrestore --clean runs them), then
 * each section's preamble (pg_dump's session settings, type "SET"). An entry's owner
 * statement moves to the attr pg_dump.owner_sql; an entry of one table (its definition,
 * default, constraint, index, trigger, rule, policy, comment or grant) names it in o->table.
 * The password goes to pg_dump in its environment, never on its command line.
 * @return 0, DBF_ENOMEM, or DBC_EBACKEND with pg_dump's own message.
 */
int pg_ddl_dump(const pg_ddl_run *run, dbc_vec *pre, dbc_vec *post, dbf_error *err);

/**
 * The end of the SQL statement that starts at s[0..n): just past its ';' outside quotes
 * ('...', "...", $tag$...$tag$) and comments, or n when there is none.
 */
size_t pg_ddl_stmt_end(const char *s, size_t n);

#endif /* DBE_PG_DDL_H */
