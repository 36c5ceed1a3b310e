/*
 * into_int.h - internals of the data-only load shared by restore/into.c and
 * restore/orphans.c (rows whose parent row is missing).
 */
#ifndef DBR_INTO_INT_H
#define DBR_INTO_INT_H

#include "dbc_mem.h"
#include "into.h"
#include "wrap.h"
#include "xlate_int.h"

typedef struct into_orph into_orph; /* restore/orphans.c */

/* A row whose parent row is missing (--orphans). */
typedef struct into_orphan {
    uint64_t row;  /* its row number */
    uint64_t mask; /* bit f = orphan in scanned foreign key f; ORPH_SKIP */
} into_orphan;

/* One archive table to load. */
typedef struct into_tab {
    const dbf_table *src; /* archive table (the caller's) */
    const dbf_table *ex;  /* the target table as its catalog says (catalog copy) */
    dbe_xlate *x;         /* conversion into ex's columns */
    const dbf_table *tt;  /* dbe_xlate_target(x): ex restricted to the loaded columns */
    dbf_table stage;      /* --on-conflict: tt under the staging table's name */
    char stage_name[32];
    char *qname;          /* ex's quoted (qualified) name */
    size_t key[8];        /* archive columns of the primary key, for messages */
    size_t nkey;
    dbf_digest dg;        /* rows as sent */
    uint64_t v_rows;      /* --verify with --on-conflict: rows staged */
    uint64_t v_bad;       /* ... of which the target does not hold as sent (update) / at all */
    int64_t floor;        /* the archive's counter of this table (sqlite_sequence, the value
                           * of its serial/identity sequence): the last id handed out */
    bool has_floor;
    int64_t ai_now;       /* MySQL: the table's AUTO_INCREMENT before the commit */
    /* --orphans (restore/orphans.c): the rows whose parent row is missing, found by the scan
     * before the load, with what the load does to each */
    dbc_vec orphans;      /* into_orphan, by ascending row number */
    dbc_vec nbuf;         /* dbf_value: a row with its references set to NULL */
    /* --plan: every row converted as the load would */
    uint64_t p_rows, p_refused;
    uint64_t lossy_base;  /* --lossy rows counted by the scan, before the load's */
    uint64_t not_own;     /* --on-conflict: rows not loaded under their own key (they met a
                           * target row on another unique key: MySQL's ON DUPLICATE KEY) */
    char *p_first;        /* the first refusal, as the load would say it */
} into_tab;

struct dbr_into {
    dbr_wrap w;             /* the load as a sink around the target's (dbr_into_wrap): first */
    dbe_id d;
    const dbe_restore_opts *o;
    const dbf_header *h;    /* archive header */
    dbf_header ih;          /* ... as the sink sees it (the target's engine) */
    const char *display;    /* the target, for messages (borrowed) */
    bool same_engine;       /* archive written by the target's engine */
    /* The target's catalog, copied (dbf_table_copy) so that its connection is closed before the
     * load begins: all in cat */
    dbf_arena cat;
    dbf_table **ctab;
    size_t nctab;
    dbf_object **cobj;
    size_t ncobj;
    into_tab *t;            /* tables to load */
    size_t n;
    size_t nskipped;        /* bookkeeping / missing tables left out */
    size_t nproblems;       /* missing tables and columns, keys (listed on stderr) */
    size_t nskippable;      /* ... of which --skip-missing would make warnings */
    dbc_vec skipped;        /* char *: --plan's line per table left out */
    dbc_vec seq;            /* const dbf_object *: same-engine archive sequence values,
                             * applied last */
    dbc_vec fk;             /* const dbf_object *: target foreign keys touching a loaded
                             * table */
    dbe_xlate_objs **sqlite_fk; /* SQLite: constraints parsed per catalog table */
    into_orph *orph;        /* --orphans: the scan before the load (NULL: none) */
    char *p_first;          /* --plan: the first refusal of all, as the load would stop */
    const dbf_table **srcs; /* per table to load: its archive table (w.tables) */
    const dbf_table **sinktabs; /* ... the table the target's sink loads: tt, or its stage */
    uint64_t nleft;         /* rows left out (--orphans=skip) */
};

/* The load's row step (and into_orph_row): the row is left out (--orphans=skip). */
#define DBR_INTO_SKIP 1

/* restore/orphans.c */
#define ORPH_SKIP (UINT64_C(1) << 63) /* into_orphan.mask: the row is left out */
/** After the catalog and the foreign keys are known: each foreign key's --orphans mode
 *  (unknown names and NOT NULL references with null are refused). */
int into_orph_setup(dbr_into *x, dbf_error *err);
/** In the load's row step, before the digest: DBR_INTO_SKIP when row row_number of table j
 *  is left out, else 0 (its references set to NULL in *out when so decided). */
int into_orph_row(dbr_into *x, size_t j, uint64_t row_number, const dbf_value **out,
                  size_t *nout, dbf_error *err);
void into_orph_free(dbr_into *x);
/** The scan, for a row already converted (out, nout: as into_convert gave them). */
int into_orph_scan(dbr_into *x, size_t j, const dbf_value *vals, size_t n, uint64_t row_number,
                   const dbf_value *out, size_t nout, dbf_error *err);
/** The refusal for foreign key f with count rows whose parent is missing (first: the first
 *  rows, "id=3 -> (77)"). @return DBC_EDATA. */
int into_orph_refuse(dbr_into *x, const dbf_object *f, uint64_t count, const char *first,
                     dbf_error *err);


/* Helpers of into.c. Statements go through b, which is emptied after each run. */
void into_put_ident(xl_sbuf *b, dbe_id d, const char *name);
void into_put_literal(xl_sbuf *b, dbe_id d, const char *s);
void into_put_table(xl_sbuf *b, dbe_id d, const char *schema, const char *name);
int into_run(dbr_into *x, xl_sbuf *b, const char *what, dbf_error *err);
int into_query_rows(dbr_into *x, xl_sbuf *b, const char *what,
                    dbe_text_row_fn fn, void *ctx, dbf_error *err);
int into_query(dbr_into *x, xl_sbuf *b, const char *what, int64_t *out, dbf_error *err);
/* Row vals of table j converted as the load converts it (DBC_EDATA names the key too). */
int into_convert(dbr_into *x, size_t j, const dbf_value *vals, size_t n, uint64_t row_number,
                 const dbf_value **out, size_t *nout, dbf_error *err);
/* The loaded table the target table schema.name is (x->n: none). */
size_t into_loaded_index(const dbr_into *x, const char *schema, const char *name);
/* The archive's primary key of row vals as "id=3" / "a=1, b='x'", for messages. */
void into_key_text(const into_tab *it, const dbf_value *vals, size_t n, char *out, size_t cap);

#endif
