/*
 * into.c - data-only restores into tables that already exist in the target (see into.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dbc_buf.h"
#include "engine.h"
#include "into.h"
#include "into_int.h"
#include "xlate_int.h"

/* Tables that record an application's own schema migrations: the target's rows describe the
 * target's schema, so the archive's never replace them unless --include-table names one. */
static const char *const bookkeeping[] = {
    "alembic_version", "__drizzle_migrations", "django_migrations", "knex_migrations",
    "knex_migrations_lock", "schema_migrations", "ar_internal_metadata", "_prisma_migrations",
    "__diesel_schema_migrations", "_sqlx_migrations", "flyway_schema_history",
    "databasechangelog", "databasechangeloglock", "doctrine_migration_versions", "phinxlog",
    "goose_db_version", "mikro_orm_migrations", "SequelizeMeta", "typeorm_metadata",
    "migrations", "__EFMigrationsHistory", "gorp_migrations", "seaql_migrations",
    "payload_migrations", "kysely_migration", "kysely_migration_lock", "pgmigrations",
    "atlas_schema_revisions",
};

/* ------------------------------------------------------------------ helpers */

/* Quoted identifier and string literal of the dialect (the target's own names: no length
 * fitting needed). */
void into_put_ident(xl_sbuf *b, dbe_id d, const char *name)
{
    xl_put_quoted(b, xl_dialect_of(d), name);
}

void into_put_literal(xl_sbuf *b, dbe_id d, const char *s)
{
    xl_put_literal(b, xl_dialect_of(d), s, strlen(s));
}

void into_put_table(xl_sbuf *b, dbe_id d, const char *schema, const char *name)
{
    if (schema && d == DBE_POSTGRESQL) {
        into_put_ident(b, d, schema);
        xl_sb_putc(b, '.');
    }
    into_put_ident(b, d, name);
}

static bool is_bookkeeping(const char *name)
{
    for (size_t i = 0; i < sizeof bookkeeping / sizeof *bookkeeping; i++)
        if (strcasecmp(name, bookkeeping[i]) == 0)
            return true;
    return false;
}

static bool included(const dbe_restore_opts *o, const char *name)
{
    for (size_t i = 0; i < o->ninclude_tables; i++)
        if (strcasecmp(o->include_tables[i], name) == 0)
            return true;
    return false;
}

/* A table left out, for --plan. */
static void skipped(dbr_into *x, const char *name, const char *why)
{
    xl_sbuf line = {0};
    xl_sb_printf(&line, "skipped: table \"%s\": %s", name, why);
    if (!line.p || dbc_vec_push_ptr(&x->skipped, line.p)) /* no memory: --plan prints less */
        xl_sb_free(&line);
    x->nskipped++;
}

/* Problem lines: an error, or with --skip-missing a warning. */
static void problem(dbr_into *x, bool skippable, const char *fmt, const char *a, const char *b)
{
    char line[2048];
    snprintf(line, sizeof line, fmt, a, b ? b : "");
    if (skippable && x->o->skip_missing) {
        dbc_warn("%s: skipped", line);
    } else {
        fprintf(stderr, "dbrestore: %s\n", line);
        x->nproblems++;
        x->nskippable += skippable;
    }
}

/* ------------------------------------------------------------- the catalog */

/* dbf_arena_alloc as a dbf_alloc_fn, for the copies of the catalog */
static void *cat_alloc(void *arena, size_t n)
{
    return dbf_arena_alloc(arena, n);
}

/* Read the target's schema with its source, keep a copy, close the connection. */
static int read_catalog(dbr_into *x, const dbe_target *target, dbf_error *err)
{
    int rc = 0;
    const dbe_source_ops *sops = NULL;
    dbe_source *s = NULL;
    const dbf_table *tabs = NULL;
    const dbf_object *pre = NULL, *post = NULL;
    size_t ntabs = 0, npre = 0, npost = 0;
    if (target->engine == DBE_SQLITE && target->path && access(target->path, F_OK) != 0)
        return dbf_error_set(err, DBC_ECONNECT, "%s: no such database: --data-only loads into "
                             "the tables of an existing database", target->display);
    if ((rc = dbr_target_source(&sops, &s, target, &tabs, &ntabs, err)) ||
        (rc = sops->objects(s, DBF_SEC_PRE, &pre, &npre, err)) ||
        (rc = sops->objects(s, DBF_SEC_POST, &post, &npost, err)))
        goto done;
    if (!(x->ctab = dbf_arena_calloc(&x->cat, ntabs + 1, sizeof *x->ctab)) ||
        !(x->cobj = dbf_arena_calloc(&x->cat, npre + npost + 1, sizeof *x->cobj)))
        rc = dbc_oom(err);
    for (; !rc && x->nctab < ntabs; x->nctab++)
        if (dbf_table_copy(&x->ctab[x->nctab], &tabs[x->nctab], cat_alloc, &x->cat))
            rc = dbc_oom(err);
    for (; !rc && x->ncobj < npre + npost; x->ncobj++)
        if (dbf_object_copy(&x->cobj[x->ncobj],
                            x->ncobj < npre ? &pre[x->ncobj] : &post[x->ncobj - npre],
                            cat_alloc, &x->cat))
            rc = dbc_oom(err);
done:
    if (s && sops->close)
        sops->close(s);
    if (rc)
        dbf_error_prefix(err, "reading the target's tables: ");
    return rc;
}

/* ------------------------------------------------------------- matching */

static bool in_default_ns(const dbr_into *x, const dbf_table *t)
{
    return x->d != DBE_POSTGRESQL || !t->schema || strcmp(t->schema, "public") == 0;
}

/* The target table for archive table src: exact name (same schema for a same-engine
 * PostgreSQL archive, else the default schema, else unique in any schema), then the same
 * ignoring case. *ci = matched ignoring case; NULL when none or ambiguous (*amb). */
static const dbf_table *find_table(const dbr_into *x, const dbf_table *src, bool *ci, bool *amb)
{
    *ci = *amb = false;
    if (x->same_engine && x->d == DBE_POSTGRESQL && src->schema)
        for (size_t i = 0; i < x->nctab; i++)
            if (x->ctab[i]->schema && strcmp(x->ctab[i]->schema, src->schema) == 0 &&
                strcmp(x->ctab[i]->name, src->name) == 0)
                return x->ctab[i];
    for (int pass = 0; pass < 4; pass++) {
        bool nocase = pass >= 2, anyns = pass & 1;
        const dbf_table *found = NULL;
        size_t hits = 0;
        for (size_t i = 0; i < x->nctab; i++) {
            const dbf_table *t = x->ctab[i];
            if (!anyns && !in_default_ns(x, t))
                continue;
            if (nocase ? strcasecmp(t->name, src->name) == 0 : strcmp(t->name, src->name) == 0)
                found = t, hits++;
        }
        if (hits == 1) {
            *ci = nocase && strcmp(found->name, src->name) != 0;
            return found;
        }
        if (hits > 1 && (anyns || nocase)) {
            *amb = true;
            return NULL;
        }
    }
    return NULL;
}

/* Index of the target column for archive column sc in ex (exact, then unique ignoring
 * case), ex->ncolumns when none; the same rule as dbe_xlate_table_into. */
static size_t find_column(const dbf_table *ex, const char *name, bool *ci)
{
    size_t k = ex->ncolumns, cik = ex->ncolumns, nci = 0;
    *ci = false;
    for (size_t j = 0; j < ex->ncolumns; j++) {
        if (strcmp(ex->columns[j].name, name) == 0)
            k = j;
        else if (strcasecmp(ex->columns[j].name, name) == 0)
            cik = j, nci++;
    }
    if (k == ex->ncolumns && nci == 1) {
        *ci = true;
        k = cik;
    }
    return k;
}

/* The columns of src that get a value, checked against ex; problems printed. */
static void check_columns(dbr_into *x, const dbf_table *src, const dbf_table *ex)
{
    char qual[1100];
    for (size_t i = 0; i < src->ncolumns; i++) {
        const dbf_column *sc = &src->columns[i];
        bool ci;
        if (sc->flags & DBF_COL_ROWID)
            continue;
        size_t k = find_column(ex, sc->name, &ci);
        snprintf(qual, sizeof qual, "\"%s\".\"%s\"", src->name, sc->name);
        if (k == ex->ncolumns)
            problem(x, true, "archive column %s has no column in the target%s", qual, "");
        else if (ci && dbc_verbosity >= 1)
            fprintf(stderr, "dbrestore: column %s loads into target column \"%s\" (name "
                    "matched ignoring case)\n", qual, ex->columns[k].name);
    }
}

static bool column_filled(const dbf_table *src, const char *name)
{
    for (size_t i = 0; i < src->ncolumns; i++)
        if (!(src->columns[i].flags & DBF_COL_ROWID) &&
            strcasecmp(src->columns[i].name, name) == 0)
            return true;
    return false;
}

/* PostgreSQL's large objects (spec/FORMAT.md 3.8): not a table that can be checked, emptied
 * or staged; the sink writes each object by its oid, and --truncate / --on-conflict decide
 * there what happens to one the target has already. */
static bool large_objects(const dbf_table *t)
{
    return dbc_table_attr(t, DBE_PG_LO_ATTR) != NULL;
}

/* A target column the archive does not fill must be able to get a value of its own. */
static bool gets_own_value(const dbr_into *x, const dbf_table *ex, const dbf_column *c)
{
    if (!(c->flags & DBF_COL_NOT_NULL) || c->default_expr ||
        (c->flags & (DBF_COL_IDENTITY | DBF_COL_IDENTITY_ALWAYS | DBF_COL_GENERATED |
                     DBF_COL_ROWID)))
        return true;
    /* SQLite INTEGER PRIMARY KEY: the rowid */
    return x->d == DBE_SQLITE && ex->nprimary_key == 1 &&
           strcmp(ex->primary_key[0], c->name) == 0 && c->native_type &&
           strcasecmp(c->native_type, "INTEGER") == 0;
}

static int collect_fks(dbr_into *x, dbf_error *err);

int dbr_into_create(dbr_into **out, const dbe_target *target, const dbf_header *h,
                    const dbf_table *const *tables, size_t ntables, const dbe_restore_opts *o,
                    dbf_error *err)
{
    int rc = 0;
    dbr_into *x = calloc(1, sizeof *x);
    *out = NULL;
    if (!x || !(x->t = calloc(ntables ? ntables : 1, sizeof *x->t))) {
        free(x);
        return dbc_oom(err);
    }
    x->d = target->engine;
    x->o = o;
    x->h = h;
    x->ih = *h;
    x->ih.engine = dbe_name(x->d);
    x->display = target->display;
    x->same_engine = dbe_id_named(h->engine) == x->d;
    if ((rc = read_catalog(x, target, err)))
        goto done;

    dbe_xlate_opts xo = dbe_xlate_opts_of(o);
    xo.skip_missing = true; /* every missing column is reported here, all at once */
    for (size_t i = 0; i < ntables; i++) {
        const dbf_table *src = tables[i];
        bool ci, amb;
        if (is_bookkeeping(src->name) && !included(o, src->name)) {
            if (dbc_verbosity >= 1)
                fprintf(stderr, "dbrestore: migration bookkeeping table \"%s\" skipped "
                        "(--include-table %s loads it)\n", src->name, src->name);
            skipped(x, src->name, "migration bookkeeping table (--include-table loads it)");
            continue;
        }
        const dbf_table *ex = find_table(x, src, &ci, &amb);
        if (!ex) {
            problem(x, true, amb ? "archive table \"%s\" matches several tables in the "
                                   "target%s"
                                 : "archive table \"%s\" has no table in the target%s",
                    src->name, "");
            skipped(x, src->name, amb ? "matches several tables in the target"
                                      : "no table in the target");
            continue;
        }
        if (ci && dbc_verbosity >= 1)
            fprintf(stderr, "dbrestore: table \"%s\" loads into target table \"%s\" (name "
                    "matched ignoring case)\n", src->name, ex->name);
        check_columns(x, src, ex);
        for (size_t c = 0; c < ex->ncolumns; c++)
            if (!column_filled(src, ex->columns[c].name) &&
                !gets_own_value(x, ex, &ex->columns[c]))
                problem(x, false, "target column \"%s\".\"%s\" is NOT NULL without a default "
                        "and the archive has no values for it", ex->name,
                        ex->columns[c].name);
        if (o->on_conflict && ex->nprimary_key == 0 && !large_objects(ex))
            problem(x, false, "target table \"%s\" has no primary key: --on-conflict needs "
                    "one to match rows%s", ex->name, "");
        into_tab *it = &x->t[x->n];
        it->src = src;
        it->ex = ex;
        if ((rc = dbe_xlate_table_into(&it->x, x->d, h, src, ex, &xo, err)))
            goto done;
        it->tt = dbe_xlate_target(it->x);
        if (o->on_conflict && !large_objects(ex)) { /* rows go to a staging table first */
            snprintf(it->stage_name, sizeof it->stage_name, "dbr_stage_%zu", x->n + 1);
            it->stage = *it->tt;
            it->stage.schema = x->d == DBE_POSTGRESQL ? "pg_temp" : NULL;
            it->stage.name = it->stage_name;
            it->stage.native_sql = NULL;
        }
        x->n++;
        dbf_digest_init(&it->dg);
        xl_sbuf q = {0};
        into_put_table(&q, x->d, ex->schema, ex->name);
        if (q.oom || !(it->qname = xl_sb_take(&q))) {
            xl_sb_free(&q);
            rc = dbc_oom(err);
            goto done;
        }
        for (size_t k = 0; k < src->nprimary_key && it->nkey < 8; k++)
            for (size_t c = 0; c < src->ncolumns; c++)
                if (strcmp(src->columns[c].name, src->primary_key[k]) == 0)
                    it->key[it->nkey++] = c;
        if (dbc_verbosity >= 2)
            for (size_t j = 0; j < dbe_xlate_nnotes(it->x); j++)
                dbc_info("%s", dbe_xlate_note(it->x, j));
    }
    if (!(x->srcs = calloc(x->n ? x->n : 1, sizeof *x->srcs)) ||
        !(x->sinktabs = calloc(x->n ? x->n : 1, sizeof *x->sinktabs))) {
        rc = dbc_oom(err);
        goto done;
    }
    for (size_t j = 0; j < x->n; j++) {
        x->srcs[j] = x->t[j].src;
        x->sinktabs[j] = x->t[j].stage.name ? &x->t[j].stage : x->t[j].tt;
    }
    /* the foreign keys between loaded tables, and their --orphans modes */
    if ((rc = collect_fks(x, err)) || (rc = into_orph_setup(x, err)))
        goto done;
    if (x->nproblems && !o->plan) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "data-only into %s: %zu problem%s with the target's tables (listed "
                           "above); nothing was written%s",
                           target->display, x->nproblems, x->nproblems > 1 ? "s" : "",
                           o->skip_missing || !x->nskippable
                               ? ""
                               : " (--skip-missing skips archive tables and columns the target "
                                 "lacks)");
        goto done;
    }
done:
    if (rc) {
        dbr_into_free(x);
        return rc;
    }
    *out = x;
    return 0;
}

size_t dbr_into_count(const dbr_into *x)
{
    return x->n;
}

const dbf_table *dbr_into_src(const dbr_into *x, size_t j)
{
    return x->t[j].src;
}

const dbf_table *dbr_into_target(const dbr_into *x, size_t j)
{
    return x->t[j].tt;
}

const dbe_xlate *dbr_into_xlate(const dbr_into *x, size_t j)
{
    return x->t[j].x;
}

const dbf_digest *dbr_into_digest(const dbr_into *x, size_t j)
{
    return &x->t[j].dg;
}

/* ------------------------------------------------------------------ the load */

int into_run(dbr_into *x, xl_sbuf *b, const char *what, dbf_error *err)
{
    if (b->oom)
        return dbc_oom(err);
    int rc = x->w.in_ops->exec_sql(x->w.in, b->p, what, err);
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
    return rc;
}

/* "l.a1 = r.b1 AND l.a2 = r.b2 ..." for n column pairs (the index of the left side is used). */
static void put_match(xl_sbuf *b, dbe_id d, const char *l, const char *const *a,
                      const char *r, const char *const *bcols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xl_sb_printf(b, "%s%s.", i ? " AND " : "", l);
        into_put_ident(b, d, a[i]);
        xl_sb_printf(b, " = %s.", r);
        into_put_ident(b, d, bcols[i]);
    }
}

/* The first column of a query's first row as an integer (0: no row, or NULL). */
typedef struct first_int {
    int64_t v;
    bool seen;
    const char *what;
    dbf_error *err;
} first_int;

static int first_int_row(void *ctx, const char *const *vals, size_t n)
{
    first_int *f = ctx;
    if (f->seen || n == 0 || !vals[0])
        return 0;
    f->seen = true;
    char *end = NULL, sh[DBC_SHORT_MAX];
    errno = 0;
    long long v = strtoll(vals[0], &end, 10);
    if (end == vals[0] || *end != '\0' || errno == ERANGE)
        return dbf_error_set(f->err, DBC_EBACKEND, "%s: not an integer: '%s'", f->what,
                             dbc_short(sh, vals[0], strlen(vals[0])));
    f->v = v;
    return 0;
}

/* Run b's query in the restore's transaction, rows to fn (NULL: ignored); b is emptied. */
int into_query_rows(dbr_into *x, xl_sbuf *b, const char *what,
                      dbe_text_row_fn fn, void *ctx, dbf_error *err)
{
    if (b->oom)
        return dbc_oom(err);
    if (!x->w.in_ops->query)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "this target cannot run data-only loads");
    int rc = x->w.in_ops->query(x->w.in, b->p, what, fn, ctx, err);
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
    return rc;
}

int into_query(dbr_into *x, xl_sbuf *b, const char *what, int64_t *out, dbf_error *err)
{
    first_int f = {0, false, what, err};
    int rc = into_query_rows(x, b, what, first_int_row, &f, err);
    *out = rc ? 0 : f.v;
    return rc;
}

static bool loaded(const dbr_into *x, const char *schema, const char *name)
{
    return into_loaded_index(x, schema, name) < x->n;
}

/* Foreign keys of the target that touch a loaded table (as child or as parent). */
static int collect_fks(dbr_into *x, dbf_error *err)
{
    if (x->d == DBE_SQLITE) {
        /* SQLite keeps them inside CREATE TABLE: parse each catalog table's text. */
        if (!(x->sqlite_fk = calloc(x->nctab ? x->nctab : 1, sizeof *x->sqlite_fk)))
            return dbc_oom(err);
        for (size_t i = 0; i < x->nctab; i++) {
            if (!x->ctab[i]->native_sql)
                continue;
            dbf_error e2 = {0};
            if (dbe_xlate_sqlite_constraints(&x->sqlite_fk[i], x->ctab[i], &e2))
                continue; /* text not understood: checked whole below */
            for (size_t j = 0; j < dbe_xlate_objs_count(x->sqlite_fk[i]); j++) {
                const dbf_object *o = dbe_xlate_objs_get(x->sqlite_fk[i], j);
                if (o->subtype && strcmp(o->subtype, "foreign_key") == 0 && o->table &&
                    o->ref_table &&
                    (loaded(x, NULL, o->table) || loaded(x, NULL, o->ref_table)) &&
                    dbc_vec_push_ptr(&x->fk, o))
                    return dbc_oom(err);
            }
        }
        return 0;
    }
    for (size_t i = 0; i < x->ncobj; i++) {
        const dbf_object *o = x->cobj[i];
        if (o->kind != DBF_OBJ_CONSTRAINT || !o->subtype ||
            strcmp(o->subtype, "foreign_key") != 0 || !o->table || !o->ref_table)
            continue;
        if ((loaded(x, o->schema, o->table) || loaded(x, o->ref_schema, o->ref_table)) &&
            dbc_vec_push_ptr(&x->fk, o))
            return dbc_oom(err);
    }
    return 0;
}

/* Emptiness of every table to load; lines on stderr (prefix) for the non-empty ones. */
static int check_empty(dbr_into *x, size_t *nonempty, dbf_error *err)
{
    xl_sbuf b = {0};
    int rc = 0;
    *nonempty = 0;
    for (size_t i = 0; i < x->n && !rc; i++) {
        int64_t v = 0;
        if (large_objects(x->t[i].ex))
            continue;
        xl_sb_printf(&b, "SELECT 1 FROM %s LIMIT 1", x->t[i].qname);
        if ((rc = into_query(x, &b, "checking that the target table is empty", &v, err)))
            break;
        if (v) {
            fprintf(stderr, "dbrestore: target table \"%s\" is not empty\n", x->t[i].ex->name);
            (*nonempty)++;
        }
    }
    xl_sb_free(&b);
    return rc;
}

static int not_empty_error(size_t nonempty, dbf_error *err)
{
    return dbf_error_set(err, DBC_ENOTEMPTY,
                         "data-only: %zu target table%s not empty (listed above); nothing was "
                         "written (--truncate empties the loaded tables first; "
                         "--on-conflict=skip|update merges rows by primary key)",
                         nonempty, nonempty > 1 ? "s are" : " is");
}

/* The list of loaded columns of tt, optionally prefixed ("s." ...). */
static void put_columns(xl_sbuf *b, dbe_id d, const dbf_table *tt, const char *prefix)
{
    bool first = true;
    for (size_t c = 0; c < tt->ncolumns; c++) {
        if (tt->columns[c].flags & DBF_COL_GENERATED)
            continue;
        xl_sb_puts(b, first ? "" : ", ");
        first = false;
        if (prefix)
            xl_sb_puts(b, prefix);
        into_put_ident(b, d, tt->columns[c].name);
    }
}

static bool is_key(const dbf_table *ex, const char *name)
{
    for (size_t i = 0; i < ex->nprimary_key; i++)
        if (strcmp(ex->primary_key[i], name) == 0)
            return true;
    return false;
}

/* --on-conflict: an empty staging table shaped like the target, for table i. */
static int make_stage(dbr_into *x, size_t i, dbf_error *err)
{
    into_tab *it = &x->t[i];
    xl_sbuf b = {0};
    switch (x->d) {
    case DBE_POSTGRESQL:
        xl_sb_printf(&b, "CREATE TEMPORARY TABLE \"%s\" (LIKE %s INCLUDING DEFAULTS) "
                         "ON COMMIT DROP", it->stage_name, it->qname);
        break;
    case DBE_MYSQL:
        xl_sb_printf(&b, "CREATE TEMPORARY TABLE `%s` LIKE %s", it->stage_name, it->qname);
        break;
    case DBE_SQLITE:
        xl_sb_printf(&b, "CREATE TEMPORARY TABLE \"%s\" AS SELECT * FROM main.%s WHERE 0",
                     it->stage_name, it->qname);
        break;
    }
    int rc = into_run(x, &b, "creating a staging table for --on-conflict", err);
    xl_sb_free(&b);
    return rc;
}

int dbr_into_begin(dbr_into *x, dbf_error *err)
{
    int rc = 0;
    xl_sbuf b = {0};
    size_t nonempty = 0;
    if (!x->o->truncate && !x->o->on_conflict) {
        if ((rc = check_empty(x, &nonempty, err)))
            goto done;
        if (nonempty) {
            rc = not_empty_error(nonempty, err);
            goto done;
        }
    }
    /* Foreign keys out of the way for the load (rows come in archive order). */
    if (x->d == DBE_POSTGRESQL) {
        for (size_t i = 0; i < x->fk.n; i++) {
            const dbf_object *f = ((const dbf_object **)x->fk.p)[i];
            xl_sb_puts(&b, "ALTER TABLE ");
            into_put_table(&b, x->d, f->schema, f->table);
            xl_sb_puts(&b, " DROP CONSTRAINT ");
            into_put_ident(&b, x->d, f->name);
            if ((rc = into_run(x, &b, "setting a foreign key aside for the load", err)))
                goto done;
        }
    }
    /* MySQL: the sink loads with FOREIGN_KEY_CHECKS=0; SQLite: the restore's connection does
     * not enforce foreign keys (PRAGMA foreign_keys is off). Both are checked after the load. */
    if (x->o->truncate) {
        if (x->d == DBE_POSTGRESQL && x->n) {
            /* ONLY per table (inheritance children outside the load keep their rows); not
             * allowed on a partitioned table, whose partitions are tables of their own */
            xl_sb_puts(&b, "TRUNCATE ");
            size_t nt = 0;
            for (size_t i = 0; i < x->n; i++) {
                bool parted = dbc_table_attr(x->t[i].ex, "postgresql.partition_key") != NULL;
                if (!large_objects(x->t[i].ex))
                    xl_sb_printf(&b, "%s%s%s", nt++ ? ", " : "", parted ? "" : "ONLY ",
                                 x->t[i].qname);
            }
            if (nt && (rc = into_run(x, &b, "--truncate", err)))
                goto done;
            b.len = 0;
        }
        for (size_t i = 0; x->d != DBE_POSTGRESQL && i < x->n; i++) {
            xl_sb_printf(&b, "DELETE FROM %s", x->t[i].qname);
            if ((rc = into_run(x, &b, "--truncate", err)))
                goto done;
        }
        if (dbc_verbosity >= 1 && x->n && !x->o->plan)
            dbc_info("--truncate: %zu table%s emptied inside the restore's transaction (undone "
                     "if the restore fails)", x->n, x->n > 1 ? "s" : "");
    }
    for (size_t i = 0; i < x->n; i++) {
        if (x->t[i].stage.name && (rc = make_stage(x, i, err)))
            goto done;
        if ((rc = x->w.in_ops->create_table(x->w.in, x->h, x->sinktabs[i], err)))
            goto done;
    }
done:
    xl_sb_free(&b);
    return rc;
}

/* The primary key of row vals as "id=3" / "a=1, b='x'", for messages. */
void into_key_text(const into_tab *it, const dbf_value *vals, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < it->nkey && len + 1 < cap; i++) {
        size_t c = it->key[i];
        if (c >= n)
            continue;
        const dbf_value *v = &vals[c];
        const char *name = it->src->columns[c].name;
        const char *sep = i ? ", " : "";
        int w;
        switch (v->kind) {
        case DBF_V_INT:
            w = snprintf(out + len, cap - len, "%s%s=%" PRId64, sep, name, v->u.i);
            break;
        case DBF_V_UINT:
            w = snprintf(out + len, cap - len, "%s%s=%" PRIu64, sep, name, v->u.u);
            break;
        case DBF_V_STR: {
            char sh[DBC_SHORT_MAX];
            w = snprintf(out + len, cap - len, "%s%s='%s'", sep, name,
                         dbc_short(sh, v->u.s.ptr, v->u.s.len));
            break;
        }
        case DBF_V_NULL:
            w = snprintf(out + len, cap - len, "%s%s=NULL", sep, name);
            break;
        default:
            w = snprintf(out + len, cap - len, "%s%s=?", sep, name);
            break;
        }
        if (w < 0)
            break;
        len += (size_t)w < cap - len ? (size_t)w : cap - len - 1;
    }
}

int into_convert(dbr_into *x, size_t j, const dbf_value *vals, size_t n, uint64_t row_number,
                 const dbf_value **out, size_t *nout, dbf_error *err)
{
    into_tab *it = &x->t[j];
    int rc = dbe_xlate_row(it->x, vals, n, row_number, out, nout, err);
    if (rc == DBC_EDATA && it->nkey) {
        char key[1024];
        into_key_text(it, vals, n, key, sizeof key);
        dbf_error_prefix(err, "key %s: ", key);
    }
    return rc;
}

/* Convert one row of table j. out/nout borrowed until the next call. DBC_EDATA names
 * table, column, row number, primary key and value; DBR_INTO_SKIP: a row left out. */
static int load_row(dbr_into *x, size_t j, const dbf_value *vals, size_t n, uint64_t row_number,
                    const dbf_value **out, size_t *nout, dbf_error *err)
{
    into_tab *it = &x->t[j];
    int rc = into_convert(x, j, vals, n, row_number, out, nout, err);
    if (rc)
        return rc;
    if (it->orphans.n && (rc = into_orph_row(x, j, row_number, out, nout, err)))
        return rc; /* DBR_INTO_SKIP: left out, not sent, not in the digest */
    return x->o->verify ? dbe_xlate_digest_row(it->x, &it->dg, *out, *nout, err) : 0;
}

/*
 * --verify with --on-conflict, before the staging table is emptied: every staged row must now
 * be in the target under its key, with every loaded column as staged (update) or at all
 * (skip: the target's own row was kept). Compared inside the transaction by the server, in
 * the target's column types (PostgreSQL: as text, which every type has).
 */
static int verify_stage(dbr_into *x, into_tab *it, const char *stage, dbf_error *err)
{
    dbe_id d = x->d;
    const dbf_table *tt = it->tt, *ex = it->ex;
    bool update = x->o->on_conflict == DBE_CONFLICT_UPDATE;
    xl_sbuf b = {0};
    int64_t n = 0, bad = 0;
    xl_sb_printf(&b, "SELECT count(*) FROM %s", stage);
    int rc = into_query(x, &b, "--verify: counting the staged rows", &n, err);
    xl_sb_printf(&b, "SELECT count(*) FROM %s s WHERE NOT EXISTS (SELECT 1 FROM %s%s t WHERE ",
                 stage, d == DBE_SQLITE ? "main." : "", it->qname);
    /* the key as the index has it first (the row is found by the primary key's index: one
     * probe per staged row), then byte for byte */
    put_match(&b, d, "t", ex->primary_key, "s", ex->primary_key, ex->nprimary_key);
    xl_sb_puts(&b, ex->nprimary_key ? " AND " : "");
    bool first = true;
    for (size_t c = 0; c < tt->ncolumns; c++) {
        const char *cn = tt->columns[c].name;
        if (!is_key(ex, cn) && (!update || (tt->columns[c].flags & DBF_COL_GENERATED)))
            continue;
        xl_sb_puts(&b, first ? "" : " AND ");
        first = false;
        /* byte for byte, whatever the column's collation says ('a' = 'A' in most MySQL ones) */
        const char *pre = d == DBE_MYSQL ? "CAST(" : "(";
        const char *post = d == DBE_POSTGRESQL ? ")::text" : d == DBE_MYSQL
                           ? " AS BINARY)" : ")";
        xl_sb_printf(&b, "%st.", pre);
        into_put_ident(&b, d, cn);
        xl_sb_printf(&b, "%s %s %ss.", post,
                     d == DBE_POSTGRESQL ? "IS NOT DISTINCT FROM"
                     : d == DBE_MYSQL ? "<=>" : "IS", pre);
        into_put_ident(&b, d, cn);
        xl_sb_printf(&b, "%s%s", post, d == DBE_SQLITE ? " COLLATE BINARY" : "");
    }
    xl_sb_puts(&b, first ? "1 = 1)" : ")");
    if (!rc)
        rc = into_query(x, &b, "--verify: comparing the staged rows with the target", &bad, err);
    xl_sb_free(&b);
    it->v_rows += (uint64_t)n;
    it->v_bad += (uint64_t)bad;
    return rc;
}

/* After each data run of table j, --on-conflict: move the staging table's rows into the
 * target table, then empty it. */
static int run_end(dbr_into *x, size_t j, dbf_error *err)
{
    into_tab *it = &x->t[j];
    if (!it->stage.name)
        return 0;
    const dbf_table *tt = it->tt, *ex = it->ex;
    dbe_id d = x->d;
    bool update = x->o->on_conflict == DBE_CONFLICT_UPDATE, any_set = false;
    xl_sbuf b = {0}, st = {0};
    into_put_table(&st, d, d == DBE_POSTGRESQL ? "pg_temp" : NULL, it->stage_name);
    if (d == DBE_SQLITE) {
        st.len = 0;
        xl_sb_printf(&st, "temp.\"%s\"", it->stage_name);
    }
    xl_sb_printf(&b, "INSERT INTO %s%s (", d == DBE_SQLITE ? "main." : "", it->qname);
    put_columns(&b, d, tt, NULL);
    xl_sb_puts(&b, ") ");
    if (d == DBE_POSTGRESQL)
        xl_sb_puts(&b, "OVERRIDING SYSTEM VALUE ");
    xl_sb_puts(&b, "SELECT ");
    put_columns(&b, d, tt, NULL);
    xl_sb_printf(&b, " FROM %s", st.p);
    if (d == DBE_MYSQL) {
        xl_sb_puts(&b, " ON DUPLICATE KEY UPDATE ");
        for (size_t c = 0; c < tt->ncolumns; c++) {
            const char *cn = tt->columns[c].name;
            if ((tt->columns[c].flags & DBF_COL_GENERATED) || is_key(ex, cn) || !update)
                continue;
            xl_sb_printf(&b, "%s%s.", any_set ? ", " : "", it->qname);
            into_put_ident(&b, d, cn);
            xl_sb_puts(&b, " = VALUES(");
            into_put_ident(&b, d, cn);
            xl_sb_puts(&b, ")");
            any_set = true;
        }
        if (!any_set) { /* keep the target's row: a no-op assignment */
            xl_sb_printf(&b, "%s.", it->qname);
            into_put_ident(&b, d, ex->primary_key[0]);
            xl_sb_printf(&b, " = %s.", it->qname);
            into_put_ident(&b, d, ex->primary_key[0]);
        }
    } else {
        xl_sb_puts(&b, d == DBE_SQLITE ? " WHERE true ON CONFLICT (" : " ON CONFLICT (");
        for (size_t c = 0; c < ex->nprimary_key; c++) {
            xl_sb_puts(&b, c ? ", " : "");
            into_put_ident(&b, d, ex->primary_key[c]);
        }
        xl_sb_puts(&b, ") DO ");
        for (size_t c = 0; update && c < tt->ncolumns; c++) {
            const char *cn = tt->columns[c].name;
            if ((tt->columns[c].flags & DBF_COL_GENERATED) || is_key(ex, cn))
                continue;
            xl_sb_puts(&b, any_set ? ", " : "UPDATE SET ");
            into_put_ident(&b, d, cn);
            xl_sb_puts(&b, d == DBE_POSTGRESQL ? " = EXCLUDED." : " = excluded.");
            into_put_ident(&b, d, cn);
            any_set = true;
        }
        if (!any_set)
            xl_sb_puts(&b, "NOTHING");
    }
    int rc = into_run(x, &b, update ? "--on-conflict=update" : "--on-conflict=skip", err);
    if (!rc && x->o->verify)
        rc = verify_stage(x, it, st.p, err);
    if (!rc && d == DBE_MYSQL && ex->nprimary_key) {
        /* staged rows whose key the target still lacks: only MySQL's ON DUPLICATE KEY keeps a
         * row out for another unique key (ON CONFLICT (key) elsewhere fails instead) */
        int64_t n = 0;
        xl_sb_printf(&b, "SELECT count(*) FROM %s s WHERE NOT EXISTS (SELECT 1 FROM %s t "
                         "WHERE ", st.p, it->qname);
        put_match(&b, d, "t", ex->primary_key, "s", ex->primary_key, ex->nprimary_key);
        xl_sb_puts(&b, ")");
        rc = into_query(x, &b, "counting the rows not loaded under their own key", &n, err);
        it->not_own += (uint64_t)n;
    }
    if (!rc) {
        xl_sb_printf(&b, "DELETE FROM %s", st.p);
        rc = into_run(x, &b, "emptying the staging table", err);
    }
    xl_sb_free(&b);
    xl_sb_free(&st);
    return rc;
}

/* The counter the archive keeps for one of its tables, so that the target's counter does
 * not hand out again an id the source already gave (to a row deleted since): a SQLite
 * AUTOINCREMENT counter (sqlite_sequence) or the value of a PostgreSQL serial/identity
 * sequence (`table` names its owner). Only PostgreSQL targets use it (pg_counters). */
static void note_floor(dbr_into *x, const dbf_object *o)
{
    if (!o->table || !o->value || o->value[0] == '-' ||
        strspn(o->value, "0123456789") != strlen(o->value) || strlen(o->value) > 18)
        return;
    int64_t v = strtoll(o->value, NULL, 10);
    const char *called = dbc_kv(o->attrs, o->nattrs, "is_called");
    if (called && strcmp(called, "false") == 0) /* setval(..., false): v is the next id */
        v--;
    for (size_t i = 0; i < x->n; i++) {
        const dbf_table *t = x->t[i].src;
        if (strcmp(t->name, o->table) == 0 &&
            (!o->schema || !t->schema || strcmp(o->schema, t->schema) == 0) &&
            (!x->t[i].has_floor || v > x->t[i].floor)) {
            x->t[i].floor = v;
            x->t[i].has_floor = true;
        }
    }
}

/* A post-data object of the archive (borrowed until counters): sequence values of a
 * same-engine archive are kept for counters when the target has that sequence; everything
 * else is left out (the schema is the application's). */
static int keep_object(dbr_into *x, const dbf_object *o, dbf_error *err)
{
    if (o->kind != DBF_OBJ_SEQUENCE || o->section != DBF_SEC_POST || x->o->on_conflict)
        return 0;
    note_floor(x, o);
    if (!x->same_engine)
        return 0;
    bool keep = false;
    if (x->d == DBE_SQLITE) /* sqlite_sequence row of a loaded table */
        keep = loaded(x, NULL, o->name);
    for (size_t i = 0; (x->d == DBE_POSTGRESQL || x->d == DBE_MYSQL) && i < x->ncobj && !keep;
         i++) {
        const dbf_object *c = x->cobj[i];
        keep = c->kind == DBF_OBJ_SEQUENCE && c->section == DBF_SEC_PRE &&
               strcmp(c->name, o->name) == 0 &&
               (!c->schema || !o->schema || strcmp(c->schema, o->schema) == 0);
    }
    if (keep && dbc_vec_push_ptr(&x->seq, o))
        return dbc_oom(err);
    return 0;
}

/* The first rows of a foreign key check: "id=3 -> (77)", for a refusal. */
typedef struct first_keys {
    xl_sbuf b;
    const dbf_table *ct; /* the child table (catalog), for its key's names */
    size_t nk;           /* key columns selected first */
} first_keys;

static int first_key_row(void *ctx, const char *const *v, size_t n)
{
    first_keys *fk = ctx;
    char sh[DBC_SHORT_MAX];
    xl_sb_puts(&fk->b, fk->b.len ? "; " : "");
    for (size_t i = 0; i < fk->nk && i < n; i++)
        xl_sb_printf(&fk->b, "%s%s=%s", i ? ", " : "", fk->ct->primary_key[i],
                     v[i] ? dbc_short(sh, v[i], strlen(v[i])) : "NULL");
    xl_sb_puts(&fk->b, fk->nk ? " -> (" : "(");
    for (size_t i = fk->nk; i < n; i++)
        xl_sb_printf(&fk->b, "%s%s", i > fk->nk ? ", " : "",
                     v[i] ? dbc_short(sh, v[i], strlen(v[i])) : "NULL");
    xl_sb_putc(&fk->b, ')');
    return 0;
}

static const dbf_table *catalog_table(const dbr_into *x, const char *schema, const char *name)
{
    for (size_t i = 0; i < x->nctab; i++)
        if (strcmp(x->ctab[i]->name, name) == 0 &&
            (!schema || !x->ctab[i]->schema || strcmp(schema, x->ctab[i]->schema) == 0))
            return x->ctab[i];
    return NULL;
}

/* One foreign key after the load: the child rows whose parent is missing are counted (and
 * the first named); PostgreSQL then adds the key back, which checks every row again. */
static int check_fk(dbr_into *x, const dbf_object *f, dbf_error *err)
{
    xl_sbuf b = {0}, where = {0};
    int rc = 0;
    int64_t bad = 0;
    dbe_id d = x->d;
    const char *cs = d == DBE_POSTGRESQL ? f->schema : NULL;
    const char *ps = d == DBE_POSTGRESQL ? f->ref_schema : NULL;
    if (f->ncolumns && f->ncolumns == f->nref_columns) {
        xl_sb_puts(&where, " FROM ");
        into_put_table(&where, d, cs, f->table);
        xl_sb_puts(&where, " c WHERE ");
        for (size_t i = 0; i < f->ncolumns; i++) {
            xl_sb_puts(&where, "c.");
            into_put_ident(&where, d, f->columns[i]);
            xl_sb_puts(&where, " IS NOT NULL AND ");
        }
        xl_sb_puts(&where, "NOT EXISTS (SELECT 1 FROM ");
        into_put_table(&where, d, ps, f->ref_table);
        xl_sb_puts(&where, " p WHERE ");
        put_match(&where, d, "p", f->ref_columns, "c", f->columns, f->ncolumns);
        xl_sb_puts(&where, ")");
        if (where.oom) {
            rc = dbc_oom(err);
            goto done;
        }
        xl_sb_printf(&b, "SELECT count(*)%s", where.p);
        rc = into_query(x, &b, "checking a foreign key after the load", &bad, err);
    }
    if (!rc && bad) {
        first_keys fk = {{0}, catalog_table(x, f->schema, f->table), 0};
        xl_sb_puts(&b, "SELECT ");
        for (size_t i = 0; fk.ct && i < fk.ct->nprimary_key; i++, fk.nk++) {
            xl_sb_puts(&b, "c.");
            into_put_ident(&b, d, fk.ct->primary_key[i]);
            xl_sb_puts(&b, ", ");
        }
        for (size_t i = 0; i < f->ncolumns; i++) {
            xl_sb_puts(&b, i ? ", c." : "c.");
            into_put_ident(&b, d, f->columns[i]);
        }
        xl_sb_printf(&b, "%s LIMIT 5", where.p);
        rc = into_query_rows(x, &b, "naming the rows whose parent is missing",
                             first_key_row, &fk, err);
        if (!rc)
            rc = into_orph_refuse(x, f, (uint64_t)bad, fk.b.p ? fk.b.p : "", err);
        xl_sb_free(&fk.b);
    }
    if (!rc && d == DBE_POSTGRESQL) {
        xl_sb_puts(&b, f->sql);
        rc = into_run(x, &b, "adding a foreign key back after the load (its rows are "
                      "checked)", err);
    }
done:
    xl_sb_free(&b);
    xl_sb_free(&where);
    return rc;
}

/* Move the counter of every identity / serial column of a loaded table past its maximum. */
static int pg_counters(dbr_into *x, dbf_error *err)
{
    xl_sbuf b = {0};
    int rc = 0;
    for (size_t i = 0; i < x->n && !rc; i++) {
        const dbf_table *ex = x->t[i].ex;
        for (size_t c = 0; c < ex->ncolumns && !rc; c++) {
            const dbf_column *col = &ex->columns[c];
            if (col->type != DBF_T_INT ||
                (!(col->flags & (DBF_COL_IDENTITY | DBF_COL_IDENTITY_ALWAYS)) &&
                 !(col->default_expr && strstr(col->default_expr, "nextval("))))
                continue;
            int64_t v = 0;
            xl_sb_puts(&b, "SELECT setval(s.seq, s.m) FROM (SELECT COALESCE("
                           "pg_catalog.pg_get_serial_sequence(");
            into_put_literal(&b, x->d, x->t[i].qname);
            xl_sb_puts(&b, ", ");
            into_put_literal(&b, x->d, col->name);
            xl_sb_puts(&b, ")::pg_catalog.regclass");
            /* a sequence the column does not own (Roundcube: DEFAULT nextval('users_seq'::text)):
             * the one its default names */
            const char *nv = strstr(col->default_expr ? col->default_expr : "", "nextval(");
            nv = nv ? nv + 8 + strspn(nv + 8, "(") : NULL; /* nextval(('s'::text)::regclass) */
            const char *end = nv && *nv == '\'' ? strchr(nv + 1, '\'') : NULL;
            if (end) {
                xl_sb_puts(&b, ", pg_catalog.to_regclass(");
                char *name = strndup(nv + 1, (size_t)(end - nv - 1));
                if (!name) {
                    xl_sb_free(&b);
                    return dbc_oom(err);
                }
                into_put_literal(&b, x->d, name);
                free(name);
                xl_sb_puts(&b, ")");
            }
            xl_sb_puts(&b, ") AS seq, (SELECT GREATEST(max(");
            into_put_ident(&b, x->d, col->name);
            if (x->t[i].has_floor) /* never below the archive's own counter */
                xl_sb_printf(&b, "), %" PRId64, x->t[i].floor);
            else
                xl_sb_puts(&b, "), NULL");
            xl_sb_printf(&b, ") FROM %s) AS m) s JOIN pg_catalog.pg_sequence q ON "
                             "q.seqrelid = s.seq WHERE s.m IS NOT NULL AND s.m >= q.seqmin AND "
                             "s.m <= q.seqmax AND s.m >= COALESCE("
                             "pg_catalog.pg_sequence_last_value(s.seq), q.seqmin - 1) "
                             "AND q.seqincrement > 0",
                         x->t[i].qname);
            rc = into_query(x, &b, "moving an identity counter past the loaded rows", &v, err);
            if (!rc && v && dbc_verbosity >= 2)
                dbc_info("counter of %s.%s moved to %" PRId64, ex->name, col->name, v);
        }
    }
    xl_sb_free(&b);
    return rc;
}

/* After the last row: every foreign key touching a loaded table is checked. */
static int check_fks(dbr_into *x, dbf_error *err)
{
    int rc = 0;
    /* Every foreign key is checked: the first refusal is the error, the others are listed
     * before it (one run names all of them). */
    for (size_t i = 0; i < x->fk.n && (!rc || rc == DBC_EDATA); i++) {
        dbf_error e2;
        e2.code = 0;
        e2.msg[0] = '\0';
        int r = check_fk(x, ((const dbf_object **)x->fk.p)[i], rc ? &e2 : err);
        if (r == DBC_EDATA && rc) {
            fflush(stdout);
            fprintf(stderr, "dbrestore: %s\n", e2.msg);
        } else if (r && (!rc || r != DBC_EDATA)) {
            if (rc)
                *err = e2;
            rc = r;
        }
    }
    if (!rc && x->d == DBE_SQLITE) {
        /* What the parser could not read: SQLite's own check, table by table. */
        xl_sbuf b = {0};
        for (size_t i = 0; i < x->n && !rc; i++) {
            int64_t bad = 0;
            xl_sb_puts(&b, "SELECT count(*) FROM main.pragma_foreign_key_check(");
            into_put_literal(&b, x->d, x->t[i].ex->name);
            xl_sb_puts(&b, ")");
            rc = into_query(x, &b, "checking foreign keys after the load", &bad, err);
            if (!rc && bad)
                rc = dbf_error_set(err, DBC_EDATA,
                                   "table \"%s\": %" PRId64 " row%s break%s a foreign key "
                                   "after the load (PRAGMA foreign_key_check); nothing was "
                                   "written", x->t[i].ex->name, bad, bad > 1 ? "s" : "",
                                   bad > 1 ? "" : "s");
        }
        xl_sb_free(&b);
    }
    return rc;
}

/* Whether text holds word (ASCII, any case). */
static bool has_word_ci(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; p && *p; p++)
        if (strncasecmp(p, word, n) == 0)
            return true;
    return false;
}

/* SQLite targets: an AUTOINCREMENT table's counter (sqlite_sequence) moved past the archive's
 * own counter, so that the id of a row the source deleted is not handed out again. */
static int sqlite_counters(dbr_into *x, dbf_error *err)
{
    xl_sbuf b = {0};
    int rc = 0;
    for (size_t i = 0; i < x->n && !rc; i++) {
        const into_tab *it = &x->t[i];
        if (!it->has_floor || !has_word_ci(it->ex->native_sql, "autoincrement"))
            continue;
        xl_sb_puts(&b, "INSERT INTO main.sqlite_sequence (name, seq) SELECT ");
        into_put_literal(&b, x->d, it->ex->name);
        xl_sb_printf(&b, ", %" PRId64 " WHERE NOT EXISTS (SELECT 1 FROM main.sqlite_sequence "
                         "WHERE name = ", it->floor);
        into_put_literal(&b, x->d, it->ex->name);
        xl_sb_puts(&b, ")");
        if ((rc = into_run(x, &b, "moving an AUTOINCREMENT counter", err)))
            break;
        xl_sb_printf(&b, "UPDATE main.sqlite_sequence SET seq = %" PRId64 " WHERE seq < %" PRId64
                         " AND name = ", it->floor, it->floor);
        into_put_literal(&b, x->d, it->ex->name);
        rc = into_run(x, &b, "moving an AUTOINCREMENT counter", err);
    }
    xl_sb_free(&b);
    return rc;
}

/* Last, just before commit (PostgreSQL's setval is not undone by a rollback): the archive's
 * sequence values, then every identity / serial counter moved past its column's maximum. */
static int counters(dbr_into *x, dbf_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < x->seq.n && !rc; i++)
        rc = x->w.in_ops->create_object(x->w.in, &x->ih, ((const dbf_object **)x->seq.p)[i],
                                        err);
    if (!rc && x->d == DBE_POSTGRESQL)
        rc = pg_counters(x, err);
    if (!rc && x->d == DBE_SQLITE)
        rc = sqlite_counters(x, err);
    for (size_t i = 0; !rc && x->d == DBE_MYSQL && i < x->n; i++) {
        /* MySQL: the AUTO_INCREMENT the table has now (InnoDB moved it past the rows), so
         * that after_commit only ever raises it */
        into_tab *it = &x->t[i];
        xl_sbuf b = {0};
        if (!it->has_floor)
            continue;
        xl_sb_puts(&b, "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE "
                       "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ");
        into_put_literal(&b, x->d, it->ex->name);
        rc = into_query(x, &b, "reading an AUTO_INCREMENT counter", &it->ai_now, err);
        xl_sb_free(&b);
    }
    /* InnoDB and SQLite move AUTO_INCREMENT / rowid / sqlite_sequence past every explicit
     * value inserted, by themselves; past the archive's own counter: SQLite above, MySQL
     * after the commit (after_commit: only DDL sets AUTO_INCREMENT). */
    return rc;
}

/* After the commit (MySQL): AUTO_INCREMENT raised past the archive's counter, by DDL that
 * could not run inside the load; a failure is a warning naming the table. */
static void after_commit(dbr_into *x)
{
    for (size_t i = 0; x->d == DBE_MYSQL && x->w.in_ops->after_commit && i < x->n; i++) {
        const into_tab *it = &x->t[i];
        if (!it->has_floor || it->ai_now <= 0 || it->floor + 1 <= it->ai_now)
            continue;
        char sql[1200];
        dbf_error e;
        e.code = 0;
        e.msg[0] = '\0';
        snprintf(sql, sizeof sql, "ALTER TABLE %s AUTO_INCREMENT = %" PRId64, it->qname,
                 it->floor + 1);
        if (x->w.in_ops->after_commit(x->w.in, sql,
                                      "moving an AUTO_INCREMENT counter past the archive's", &e))
            dbc_warn("table %s: the rows are loaded, but its next id is %" PRId64 ", not %"
                     PRId64 " past the archive's counter: %s", it->ex->name, it->ai_now,
                     it->floor + 1, e.msg);
        else if (dbc_verbosity >= 2)
            dbc_info("counter of %s moved to %" PRId64, it->ex->name, it->floor + 1);
    }
}

/* --verify with --on-conflict (checked per data run, before commit): print the summary.
 * @return 0, or DBR_EVERIFY when a table differs (the caller rolls back). */
static int verify_report(const dbr_into *x, dbf_error *err)
{
    size_t bad = 0;
    bool update = x->o->on_conflict == DBE_CONFLICT_UPDATE;
    printf("Verify (before commit, inside the restore's transaction: %s; --on-conflict=%s: "
           "every archive row %s)\n", x->display, update ? "update" : "skip",
           update ? "in the target as sent" : "has a row under its key");
    printf("%-40s %12s %12s  %s\n", "table", "sent rows", "found rows", "result");
    for (size_t i = 0; i < x->n; i++) {
        const into_tab *it = &x->t[i];
        bool ok = it->v_bad == 0 && it->v_rows == it->dg.rows;
        bad += !ok;
        printf("%-40s %12llu %12llu  %s\n", it->ex->name, (unsigned long long)it->dg.rows,
               (unsigned long long)(it->v_rows - it->v_bad), ok ? "OK" : "MISMATCH");
    }
    fflush(stdout);
    if (bad)
        return dbf_error_set(err, DBR_EVERIFY, "verify: %zu of %zu tables differ in the target; "
                             "nothing was written", bad, x->n);
    return 0;
}

/* ------------------------------------------------------------- the sink */

/* The load as a sink: the pump's archive tables and rows in, the target tables' rows out to
 * the target's own sink (x->w.in). Its handle is x. */

static int sink_prepare(dbe_sink *k, const dbf_header *h, const dbf_table *const *tables,
                        size_t ntables, dbf_error *err)
{
    dbr_into *x = dbr_wrap_of(k);
    (void)h, (void)tables, (void)ntables;
    int rc = x->w.in_ops->prepare(x->w.in, &x->ih, x->sinktabs, x->n, err);
    return rc ? rc : dbr_into_begin(x, err);
}

/* Every table was readied by prepare (dbr_into_begin). */
static int sink_create_table(dbe_sink *k, const dbf_header *h, const dbf_table *t, dbf_error *err)
{
    (void)k, (void)h, (void)t, (void)err;
    return 0;
}

static int sink_create_object(dbe_sink *k, const dbf_header *h, const dbf_object *o, dbf_error *err)
{
    (void)h;
    return keep_object(dbr_wrap_of(k), o, err);
}

static int sink_row(dbe_sink *k, const dbf_table *t, const dbf_value *vals, size_t n,
                    uint64_t row_number, dbf_error *err)
{
    dbr_into *x = dbr_wrap_of(k);
    const dbf_value *out = NULL;
    size_t j, nout = 0;
    int rc = dbr_wrap_index(&x->w, t, &j, err);
    if (!rc && (rc = load_row(x, j, vals, n, row_number, &out, &nout, err)) == DBR_INTO_SKIP) {
        x->nleft++; /* --orphans=skip: left out */
        return 0;
    }
    return rc ? rc : x->w.in_ops->row(x->w.in, x->sinktabs[j], out, nout, row_number, err);
}

/* After each data run: --on-conflict merges the staging table. */
static int sink_data_end(dbe_sink *k, const dbf_table *t, dbf_error *err)
{
    dbr_into *x = dbr_wrap_of(k);
    size_t j;
    int rc = dbr_wrap_data_end(k, t, err);
    if (!rc)
        rc = dbr_wrap_index(&x->w, t, &j, err);
    return rc ? rc : run_end(x, j, err);
}

static int sink_finish(dbe_sink *k, dbf_error *err)
{
    dbr_into *x = dbr_wrap_of(k);
    int rc = check_fks(x, err);
    if (!rc && x->o->verify && x->o->on_conflict)
        rc = verify_report(x, err);
    return rc;
}

static int sink_commit(dbe_sink *k, dbf_error *err)
{
    dbr_into *x = dbr_wrap_of(k);
    int rc = counters(x, err);
    if (!rc && !(rc = x->w.in_ops->commit(x->w.in, err)))
        after_commit(x);
    return rc;
}

static const dbe_sink_ops into_sink = {
    .prepare = sink_prepare,
    .create_table = sink_create_table,
    .create_object = sink_create_object,
    .data_begin = dbr_wrap_data_begin,
    .row = sink_row,
    .data_end = sink_data_end,
    .commit = sink_commit,
    .abort = dbr_wrap_abort,
    .close = dbr_wrap_close,
    .read_back = dbr_wrap_read_back,
    .finish = sink_finish,
};

void dbr_into_wrap(dbr_into *x, const dbe_sink_ops **ops, dbe_sink **k)
{
    x->w.tables = x->srcs;
    x->w.to = x->sinktabs;
    x->w.ntables = x->n;
    dbr_wrap_sink(&x->w, &into_sink, ops, k);
}

uint64_t dbr_into_left_out(const dbr_into *x)
{
    return x->nleft;
}

/* ------------------------------------------------------------------- plan */

/* The portable type a SQLite column's values have by its declared type's affinity (SQLite's
 * own rules, section 3.1 of its datatype page); DBF_T_ANY for NUMERIC affinity. */
static dbf_type affinity_type(const char *decl)
{
    char u[128];
    size_t i = 0;
    for (; decl && decl[i] && i + 1 < sizeof u; i++)
        u[i] = (char)toupper((unsigned char)decl[i]);
    u[i] = '\0';
    if (strstr(u, "INT"))
        return DBF_T_INT;
    if (strstr(u, "CHAR") || strstr(u, "CLOB") || strstr(u, "TEXT"))
        return DBF_T_TEXT;
    if (!u[0] || strstr(u, "BLOB"))
        return DBF_T_BYTES;
    if (strstr(u, "REAL") || strstr(u, "FLOA") || strstr(u, "DOUB"))
        return DBF_T_FLOAT64;
    return DBF_T_ANY;
}

/* Whether the target column keeps every value of the archive column as it is (SQLite TEXT
 * into text, int into bigint): no conversion worth a note. */
static bool keeps_values(const dbf_column *sc, const dbf_column *tc)
{
    dbf_type st = sc->type;
    unsigned bits = sc->bits;
    if (st == DBF_T_ANY) {
        st = affinity_type(sc->native_type);
        bits = 64;
    }
    if (st != tc->type)
        return false;
    switch (st) {
    case DBF_T_INT:
        return tc->bits >= bits && tc->is_unsigned == sc->is_unsigned;
    case DBF_T_TEXT:
    case DBF_T_BYTES:
        return tc->length < 0 || (sc->type != DBF_T_ANY && sc->length >= 0 &&
                                  sc->length <= tc->length);
    case DBF_T_FLOAT64:
    case DBF_T_BOOL:
    case DBF_T_UUID:
    case DBF_T_JSON:
    case DBF_T_DATE:
        return true;
    default:
        return false;
    }
}

/* Whether target table t looks like an application's schema-version bookkeeping under a
 * name the list above does not know: its name, or one of its (few) columns, speaks of
 * migrations, versions or schema changes. @return the word that says so, or NULL. */
static const char *bookkeeping_like(const dbf_table *t)
{
    static const char *const words[] = {"migration", "schema_version", "schemaversion",
                                        "version", "changelog", "revision", "flyway",
                                        "liquibase", "changeset", "installed_rank", "dbdeploy"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        if (has_word_ci(t->name, words[w]))
            return t->name;
        for (size_t c = 0; t->ncolumns <= 6 && c < t->ncolumns; c++)
            if (has_word_ci(t->columns[c].name, words[w]))
                return t->columns[c].name;
    }
    return NULL;
}

/* A value of a small table's rows that speaks of versions or migrations (Roundcube keeps
 * 'roundcube-version' in a table named system), found by version_row. */
typedef struct version_ctx {
    char *found; /* the first such value (malloc) */
} version_ctx;

static int version_row(void *ctx, const char *const *vals, size_t n)
{
    version_ctx *v = ctx;
    static const char *const words[] = {"version", "migration", "schema"};
    for (size_t i = 0; i < n && !v->found; i++)
        for (size_t w = 0; vals[i] && w < sizeof words / sizeof *words && !v->found; w++)
            if (strlen(vals[i]) < 200 && has_word_ci(vals[i], words[w]))
                v->found = strdup(vals[i]);
    return 0;
}

/* --plan: every target table that already holds rows, and what the load does to them; a
 * table that looks like migration bookkeeping is flagged (its rows describe the target's
 * schema: loading the archive's over them makes the app skip or repeat its migrations). */
static int plan_holding(dbr_into *x, dbf_error *err)
{
    enum { CAP = 100000 };
    xl_sbuf b = {0};
    int rc = 0;
    for (size_t i = 0; i < x->n && !rc; i++) {
        const into_tab *it = &x->t[i];
        int64_t held = 0;
        xl_sb_printf(&b, "SELECT count(*) FROM (SELECT 1 FROM %s%s LIMIT %d) s",
                     x->d == DBE_SQLITE ? "main." : "", it->qname, CAP + 1);
        if ((rc = into_query(x, &b, "counting the target's rows", &held, err)))
            break;
        const char *like = bookkeeping_like(it->ex);
        version_ctx vc = {NULL};
        if (!like && held > 0 && held <= 10) { /* a few rows: what do they say? */
            xl_sb_printf(&b, "SELECT * FROM %s%s", x->d == DBE_SQLITE ? "main." : "",
                         it->qname);
            if ((rc = into_query_rows(x, &b, "reading a small target table", version_row,
                                      &vc, err)))
                break;
            like = vc.found;
        }
        if (held)
            printf("target table \"%s\" holds %s%" PRId64 " row%s: %s\n", it->ex->name,
                   held > CAP ? "more than " : "", held > CAP ? (int64_t)CAP : held,
                   held == 1 ? "" : "s",
                   x->o->truncate ? "--truncate deletes them before the load"
                   : x->o->on_conflict == DBE_CONFLICT_SKIP
                       ? "kept; archive rows with the same key are left out (--on-conflict=skip)"
                   : x->o->on_conflict == DBE_CONFLICT_UPDATE
                       ? "kept; those with an archive row's key are overwritten "
                         "(--on-conflict=update)"
                       : "the load refuses a table that is not empty");
        if (like)
            printf("  table \"%s\" looks like schema-version bookkeeping (\"%s\"): loading "
                   "it replaces the migration history the app reads; -T %s leaves it out\n",
                   it->ex->name, like, it->src->name);
        free(vc.found);
    }
    xl_sb_free(&b);
    return rc;
}

int dbr_into_plan(dbr_into *x, dbf_error *err)
{
    size_t nnotes = 0, nonempty = 0;
    int rc = x->w.in_ops->prepare(x->w.in, &x->ih, NULL, 0, err); /* nothing to register */
    if (rc)
        return rc;
    printf("data-only plan: rows of %zu archive table%s into existing tables%s\n", x->n,
           x->n == 1 ? "" : "s",
           x->o->truncate ? " (emptied first: --truncate)"
           : x->o->on_conflict == DBE_CONFLICT_SKIP ? " (--on-conflict=skip)"
           : x->o->on_conflict == DBE_CONFLICT_UPDATE ? " (--on-conflict=update)" : "");
    printf("time zone: instants (a value with a zone, epoch integers) go into wall-clock columns "
           "(timestamp without time zone, MySQL DATETIME) as %s%s; MySQL TIMESTAMP and "
           "timestamptz columns keep the instant\n",
           x->o->time_zone ? "the local time of " : "UTC",
           x->o->time_zone ? x->o->time_zone : " (--time-zone ZONE: the application's zone)");
    for (size_t i = 0; i < x->n; i++) {
        const into_tab *it = &x->t[i];
        printf("table \"%s\" -> %s: %zu column%s\n", it->src->name, it->qname,
               it->tt->ncolumns, it->tt->ncolumns == 1 ? "" : "s");
        for (size_t c = 0; c < it->ex->ncolumns; c++) {
            const dbf_column *col = &it->ex->columns[c];
            bool there = false;
            for (size_t t = 0; t < it->tt->ncolumns && !there; t++)
                there = strcmp(it->tt->columns[t].name, col->name) == 0;
            if (!there)
                printf("  target column \"%s\" not in the archive: gets its default%s%s\n",
                       col->name, col->default_expr ? " " : "",
                       col->default_expr ? col->default_expr : "");
        }
        for (size_t c = 0; c < it->tt->ncolumns; c++) {
            const dbf_column *tc = &it->tt->columns[c];
            bool ci;
            size_t sci = find_column(it->src, tc->name, &ci);
            if (sci == it->src->ncolumns)
                for (sci = 0; sci < it->src->ncolumns; sci++)
                    if (strcasecmp(it->src->columns[sci].name, tc->name) == 0)
                        break;
            if (sci == it->src->ncolumns)
                continue;
            const dbf_column *sc = &it->src->columns[sci];
            const char *st = sc->native_type ? sc->native_type : dbf_type_name(sc->type);
            const char *ty = tc->native_type ? tc->native_type : dbf_type_name(tc->type);
            if ((strcasecmp(st, ty) != 0 || !x->same_engine) && !keeps_values(sc, tc)) {
                printf("  column \"%s\" -> \"%s\": converted from %s %s to %s\n", sc->name,
                       tc->name, x->h->engine ? x->h->engine : "?", st, ty);
                nnotes++;
            }
        }
        for (size_t j = 0; j < dbe_xlate_nnotes(it->x); j++, nnotes++)
            printf("  %s\n", dbe_xlate_note(it->x, j));
    }
    for (size_t i = 0; i < x->skipped.n; i++)
        printf("%s\n", ((char **)x->skipped.p)[i]);
    if ((rc = plan_holding(x, err)))
        return rc;
    if (!x->o->truncate && !x->o->on_conflict && (rc = check_empty(x, &nonempty, err)))
        return rc;
    printf("plan: %zu tables to load, %zu conversion notes, %zu tables skipped, %zu problems, "
           "%zu non-empty tables\n", x->n, nnotes, x->nskipped, x->nproblems, nonempty);
    fflush(stdout);
    if (x->nproblems)
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "data-only: %zu problem%s with the target's tables (listed above)",
                             x->nproblems, x->nproblems > 1 ? "s" : "");
    if (nonempty)
        return not_empty_error(nonempty, err);
    return 0;
}

/* ---------------------------------------------------------- plan: the rows */

int dbr_into_plan_row(dbr_into *x, size_t j, const dbf_value *vals, size_t n,
                      uint64_t row_number, dbf_error *err)
{
    into_tab *it = &x->t[j];
    const dbf_value *out = NULL;
    size_t nout = 0;
    dbf_error e;
    e.code = 0;
    e.msg[0] = '\0';
    it->p_rows++;
    int rc = into_convert(x, j, vals, n, row_number, &out, &nout, &e);
    if (rc == DBC_EDATA) { /* the load would stop here; the plan counts on */
        if (!it->p_refused++ && !(it->p_first = strdup(e.msg)))
            return dbc_oom(err);
        if (!x->p_first && !(x->p_first = strdup(e.msg)))
            return dbc_oom(err);
        return 0;
    }
    if (rc) {
        *err = e;
        return rc;
    }
    return into_orph_scan(x, j, vals, n, row_number, out, nout, err);
}

uint64_t dbr_into_lossy_rows(const dbr_into *x)
{
    uint64_t n = 0;
    for (size_t i = 0; x && i < x->n; i++)
        n += dbe_xlate_lossy_rows(x->t[i].x) - x->t[i].lossy_base;
    return n;
}

int dbr_into_plan_end(dbr_into *x, dbf_error *err)
{
    uint64_t rows = 0, refused = 0, lossy = 0;
    for (size_t i = 0; i < x->n; i++) {
        const into_tab *it = &x->t[i];
        uint64_t l = dbe_xlate_lossy_rows(it->x);
        rows += it->p_rows;
        refused += it->p_refused;
        lossy += l;
        printf("rows: table \"%s\": %" PRIu64 " row%s read", it->src->name, it->p_rows,
               it->p_rows == 1 ? "" : "s");
        if (it->p_refused)
            printf(", %" PRIu64 " would be refused (first: %s)", it->p_refused, it->p_first);
        if (l)
            printf(", %" PRIu64 " with values changed by --lossy", l);
        printf("\n");
        dbe_xlate_epoch_lines(it->x, dbr_print_line, "  ");
    }
    printf("plan: %" PRIu64 " archive row%s converted as the load converts them: %" PRIu64
           " would be refused, %" PRIu64 " changed by --lossy\n", rows, rows == 1 ? "" : "s",
           refused, lossy);
    fflush(stdout);
    if (x->p_first)
        return dbf_error_set(err, DBC_EDATA, "%s", x->p_first);
    return 0;
}

void dbr_into_free(dbr_into *x)
{
    if (!x)
        return;
    free(x->p_first);
    for (size_t i = 0; i < x->n; i++) {
        dbe_xlate_free(x->t[i].x);
        free(x->t[i].qname);
        free(x->t[i].p_first);
    }
    for (size_t i = 0; i < x->skipped.n; i++)
        free(((char **)x->skipped.p)[i]);
    dbc_vec_free(&x->skipped);
    for (size_t i = 0; x->sqlite_fk && i < x->nctab; i++)
        dbe_xlate_objs_free(x->sqlite_fk[i]);
    free(x->sqlite_fk);
    into_orph_free(x);
    free(x->t);
    dbc_vec_free(&x->fk);
    dbc_vec_free(&x->seq);
    dbf_arena_free(&x->cat);
    free(x->srcs);
    free(x->sinktabs);
    free(x);
}

/* --------------------------------------------------------------- backup */

int dbr_backup_target(const char *url, const dbe_target *target, const char *file,
                      dbf_error *err)
{
    if (target->engine == DBE_SQLITE && target->path && access(target->path, F_OK) != 0) {
        dbc_info("--backup-to: %s does not exist yet: nothing to back up, %s not written",
                 target->display, file);
        return 0;
    }
    dbe_dump_opts d;
    memset(&d, 0, sizeof d);
    d.source = url;
    d.output = file;
    d.verbosity = dbc_verbosity;
    d.progress = -1;
    d.native_ddl = true; /* a backup is complete, as dbdump's */
    int rc = dbe_dump(&d, err);
    if (rc) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, "; the target was not touched");
        return dbf_error_prefix(err, "--backup-to %s: ", file);
    }
    dbc_info("--backup-to: the target as it was is in %s (restore it with dbrestore --clean)",
             file);
    return 0;
}
