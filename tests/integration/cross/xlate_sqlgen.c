/*
 * xlate_sqlgen.c - test driver: translate hand-built archive tables (one per source engine,
 * every portable type, edge values) for a target dialect and print an SQL script:
 * CREATE TABLE from dbe_xlate_target()->native_sql, one INSERT per converted row (literals
 * rendered here from the converted values), then the translated post-data objects.
 * xlate_engines.sh runs the script with the engine's own client and reads values back.
 *
 *   xlate_sqlgen sqlite|postgresql|mysql > script.sql
 *   xlate_sqlgen sqlite|postgresql|mysql ARCHIVE > script.sql   (translate a whole archive)
 *   xlate_sqlgen --plan sqlite|postgresql|mysql ARCHIVE          (the --plan report)
 *   xlate_sqlgen --digests ARCHIVE        (table|rows|digest of every DATA_END of an archive)
 * Exit status 1 when a translation fails (refused rows are listed in the built-in mode;
 * in archive mode every row must be accepted).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate.h"
#include "xlate_tvals.h"

static dbe_id D;

/* --------------------------------------------------------------- literals */

static void put_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", (unsigned char)p[i]);
}

static void put_string(const char *p, size_t n)
{
    if (D == DBE_SQLITE && memchr(p, '\0', n)) {
        printf("CAST(X'");
        put_hex(p, n);
        printf("' AS TEXT)");
        return;
    }
    putchar('\'');
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\'')
            printf("''");
        else if (D == DBE_MYSQL && c == '\\')
            printf("\\\\");
        else if (D == DBE_MYSQL && c == '\0')
            printf("\\0");
        else
            putchar(c);
    }
    putchar('\'');
}

static void put_value(const dbf_column *c, const dbf_value *v)
{
    char num[64];
    switch (v->kind) {
    case DBF_V_NULL:
        printf("NULL");
        return;
    case DBF_V_BOOL:
        printf(v->u.b ? "true" : "false");
        return;
    case DBF_V_INT:
        printf("%" PRId64, v->u.i);
        return;
    case DBF_V_UINT:
        printf("%" PRIu64, v->u.u);
        return;
    case DBF_V_F32:
    case DBF_V_F64: {
        double f = v->kind == DBF_V_F32 ? (double)v->u.f32 : v->u.f64;
        if (isinf(f)) {
            printf(D == DBE_POSTGRESQL ? "'%sInfinity'" : "%s9e999", f < 0 ? "-" : "");
            return;
        }
        snprintf(num, sizeof num, "%.17g", f); /* exact: a float widens exactly */
        printf("%s", num);
        return;
    }
    case DBF_V_STR:
        put_string(v->u.s.ptr, v->u.s.len);
        return;
    case DBF_V_BIN:
        if (D == DBE_POSTGRESQL && c->type == DBF_T_UUID) {
            const unsigned char *u = (const unsigned char *)v->u.s.ptr;
            printf("'");
            for (int i = 0; i < 16; i++)
                printf("%s%02x", (i == 4 || i == 6 || i == 8 || i == 10) ? "-" : "", u[i]);
            printf("'");
        } else if (D == DBE_POSTGRESQL && c->type == DBF_T_BIT) {
            printf("B'");
            for (int32_t b = 0; b < c->length; b++)
                putchar((((unsigned char)v->u.s.ptr[b / 8]) >> (7 - b % 8)) & 1 ? '1' : '0');
            printf("'");
        } else if (D == DBE_POSTGRESQL) {
            printf("'\\x");
            put_hex(v->u.s.ptr, v->u.s.len);
            printf("'");
        } else {
            printf("X'");
            put_hex(v->u.s.ptr, v->u.s.len);
            printf("'");
        }
        return;
    case DBF_V_INTERVAL:
        printf("'%" PRId32 " mons %" PRId32 " days %" PRId64 " microseconds'", v->u.iv.months,
               v->u.iv.days, v->u.iv.micros);
        return;
    case DBF_V_ARRAY: /* PostgreSQL only (arrays are JSON text elsewhere): 1-D literal */
        if (v->u.arr.ndims > 1) {
            printf("NULL");
            return;
        }
        printf("'{");
        for (size_t i = 0; i < v->u.arr.nelems; i++) {
            const dbf_value *e = &v->u.arr.elems[i];
            printf(i ? "," : "");
            if (e->kind == DBF_V_NULL)
                printf("NULL");
            else if (e->kind == DBF_V_INT)
                printf("%" PRId64, e->u.i);
            else if (e->kind == DBF_V_STR)
                printf("\"%.*s\"", (int)e->u.s.len, e->u.s.ptr);
        }
        printf("}'");
        return;
    }
}

static void put_ident(const char *name)
{
    char *q = NULL;
    dbf_error e = {0};
    if (dbe_xlate_quote_ident(&q, D, name, &e)) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        exit(1);
    }
    printf("%s", q);
    free(q);
}

/* ------------------------------------------------------------------ driver */

typedef struct src_table {
    const char *engine;
    dbf_table t;
    const dbf_value *rows; /* nrows * ncolumns */
    size_t nrows;
} src_table;

static int emit_table(const src_table *s, dbe_xlate **keep)
{
    dbf_header h = {.engine = s->engine};
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    dbe_xlate_opts o = DBE_XLATE_OPTS_INIT;
    if (dbe_xlate_table_create(&x, D, &h, &s->t, &o, &e)) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        return 1;
    }
    const dbf_table *tt = dbe_xlate_target(x);
    printf("-- from %s\n", s->engine);
    for (size_t i = 0; i < dbe_xlate_nnotes(x); i++) {
        const char *n = dbe_xlate_note(x, i);
        printf("-- ");
        for (; *n; n++)
            putchar(*n == '\n' ? ' ' : *n);
        printf("\n");
    }
    printf("%s;\n", tt->native_sql);
    dbf_digest dg;
    dbf_digest_init(&dg);
    for (size_t r = 0; r < s->nrows; r++) {
        const dbf_value *out;
        size_t n;
        int rc = dbe_xlate_row(x, s->rows + r * s->t.ncolumns, s->t.ncolumns, r + 1, &out, &n,
                               &e);
        if (rc == DBC_EDATA) { /* refused rows are listed; the test checks which */
            printf("-- REFUSED: %s\n", e.msg);
            continue;
        }
        if (rc || dbe_xlate_digest_row(x, &dg, out, n, &e)) {
            fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
            dbe_xlate_free(x);
            return 1;
        }
        printf("INSERT INTO ");
        put_ident(tt->name);
        printf(" (");
        for (size_t i = 0; i < n; i++) {
            if (i)
                printf(", ");
            put_ident(tt->columns[i].name);
        }
        printf(") VALUES (");
        for (size_t i = 0; i < n; i++) {
            if (i)
                printf(", ");
            put_value(&tt->columns[i], &out[i]);
        }
        printf(");\n");
    }
    uint8_t dd[DBF_DIGEST_SIZE];
    dbf_digest_final(&dg, dd);
    printf("-- DIGEST %s|%llu|", tt->name, (unsigned long long)dg.rows);
    put_hex((const char *)dd, sizeof dd);
    printf("\n");
    char *csql = NULL;
    if (dbe_xlate_counters_sql(&csql, x, &e)) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        dbe_xlate_free(x);
        return 1;
    }
    if (csql)
        printf("%s;\n", csql);
    free(csql);
    *keep = x;
    return 0;
}

static int emit_object(const char *engine, const dbf_object *o, const dbf_table *tt)
{
    dbf_header h = {.engine = engine};
    char *sql = NULL, *note = NULL;
    dbf_error e = {0};
    int rc = dbe_xlate_object(&sql, &note, D, &h, o, tt, NULL, &e);
    if (note)
        printf("-- %s\n", note);
    if (rc == 0 && sql)
        printf("%s;\n", sql);
    free(sql);
    free(note);
    if (rc && rc != DBF_EUNSUPPORTED) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ archive mode */

static int file_read(void *ctx, void *buf, size_t cap, size_t *out_len)
{
    FILE *f = ctx;
    *out_len = fread(buf, 1, cap, f);
    return ferror(f) ? DBF_EIO : 0;
}

#define MAX_TABLES 512

/*
 * Translate a whole archive: CREATE TABLE per table, multi-row INSERTs of the converted
 * rows, counters after each table's data, then the archive's post-data objects and (SQLite
 * archives) the constraints parsed from the CREATE TABLE texts. Notes go to comments; every
 * refused value is fatal here (real corpora must go through).
 */
static int translate_archive(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = file_read;
    ro.ctx = f;
    dbf_reader *r = NULL;
    dbf_error e = {0};
    int rc = 0;
    static dbe_xlate *xs[MAX_TABLES];
    static const dbf_table *src[MAX_TABLES];
    static char *rebuild[MAX_TABLES]; /* SQLite: last rebuild SQL per table */
    static dbf_digest sent[MAX_TABLES]; /* digest of the converted rows, per table */
    char *dbuf = NULL;
    size_t dlen = 0;
    FILE *deferred = open_memstream(&dbuf, &dlen);
    if (!deferred) {
        fclose(f);
        return 1;
    }
    size_t nt = 0, inrow = 0;
    const dbf_header *h = NULL;
    dbe_xlate *cur = NULL;
    if (dbf_reader_create(&r, &ro, &e)) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        fclose(deferred);
        free(dbuf);
        fclose(f);
        return 1;
    }
    printf(D == DBE_MYSQL ? "SET NAMES utf8mb4;\nSET time_zone = '+00:00';\n"
                                    "SET foreign_key_checks = 0;\nSTART TRANSACTION;\n"
                                  : "BEGIN;\n");
    for (;;) {
        dbf_msg m;
        if (dbf_reader_next(r, &m, &e)) {
            fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
            rc = 1;
            break;
        }
        if (m.kind == DBF_MSG_END)
            break;
        if (m.kind == DBF_MSG_HEADER) {
            h = m.header;
        } else if (m.kind == DBF_MSG_TABLE) {
            if (nt == MAX_TABLES) {
                rc = 1;
                break;
            }
            if (dbe_xlate_table_create(&xs[nt], D, h, m.table, NULL, &e)) {
                fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
                rc = 1;
                break;
            }
            src[nt] = m.table;
            dbf_digest_init(&sent[nt]);
            for (size_t i = 0; i < dbe_xlate_nnotes(xs[nt]); i++)
                printf("-- NOTE %s\n", dbe_xlate_note(xs[nt], i));
            printf("%s;\n", dbe_xlate_target(xs[nt])->native_sql);
            nt++;
        } else if (m.kind == DBF_MSG_OBJECT) {
            const dbf_table *tt = NULL;
            for (size_t i = 0; m.object->table && i < nt; i++)
                if (strcmp(src[i]->name, m.object->table) == 0)
                    tt = dbe_xlate_target(xs[i]);
            if (m.object->section == DBF_SEC_PRE) {
                char *sql = NULL, *note = NULL;
                dbe_xlate_object(&sql, &note, D, h, m.object, tt, NULL, &e);
                if (note)
                    printf("-- NOTE %s\n", note);
                free(sql); /* pre-data objects come before the tables they belong to */
                free(note);
            } else {
                if (inrow) {
                    printf(";\n");
                    inrow = 0;
                }
                const dbf_object *ob = m.object;
                size_t ti = nt;
                for (size_t i = 0; ob->table && i < nt; i++)
                    if (strcmp(src[i]->name, ob->table) == 0)
                        ti = i;
                if (D == DBE_SQLITE && ti < nt && ob->kind == DBF_OBJ_CONSTRAINT &&
                    ob->subtype && (strcmp(ob->subtype, "foreign_key") == 0 ||
                                    strcmp(ob->subtype, "check") == 0)) {
                    /* SQLite: rebuild the table with its constraints, before its indexes */
                    char *sql = NULL, *note = NULL;
                    int r = dbe_xlate_sqlite_add_constraint(&sql, &note, xs[ti], h, ob, &e);
                    if (note)
                        printf("-- %s\n", note);
                    if (r == 0) {
                        free(rebuild[ti]);
                        rebuild[ti] = sql;
                    } else if (r != DBF_EUNSUPPORTED) {
                        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
                        rc = 1;
                    }
                    free(note);
                } else if (D == DBE_SQLITE) {
                    FILE *keep = stdout;
                    stdout = deferred; /* indexes after the rebuilds */
                    rc |= emit_object(h->engine, ob, tt);
                    stdout = keep;
                } else {
                    printf("-- object %s\n", ob->name ? ob->name : "?");
                    rc |= emit_object(h->engine, ob, tt);
                }
            }
        } else if (m.kind == DBF_MSG_DATA_BEGIN || m.kind == DBF_MSG_ROW ||
                   m.kind == DBF_MSG_DATA_END) {
            cur = NULL;
            dbf_digest *dg = NULL;
            for (size_t i = 0; i < nt; i++)
                if (src[i] == m.table || src[i]->id == m.table->id)
                    cur = xs[i], dg = &sent[i];
            if (!cur) {
                rc = 1;
                break;
            }
            const dbf_table *tt = dbe_xlate_target(cur);
            if (m.kind == DBF_MSG_ROW) {
                const dbf_value *out;
                size_t n;
                if (dbe_xlate_row(cur, m.values, m.nvalues, m.row_number, &out, &n, &e) ||
                    dbe_xlate_digest_row(cur, dg, out, n, &e)) {
                    fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
                    rc = 1;
                    break;
                }
                if (inrow == 0) {
                    printf("INSERT INTO ");
                    put_ident(tt->name);
                    printf(" (");
                    for (size_t i = 0; i < n; i++) {
                        if (i)
                            printf(", ");
                        put_ident(tt->columns[i].name);
                    }
                    printf(") VALUES\n(");
                } else {
                    printf(",\n(");
                }
                for (size_t i = 0; i < n; i++) {
                    if (i)
                        printf(", ");
                    put_value(&tt->columns[i], &out[i]);
                }
                printf(")");
                if (++inrow == 200) {
                    printf(";\n");
                    inrow = 0;
                }
            } else if (m.kind == DBF_MSG_DATA_END) {
                if (inrow) {
                    printf(";\n");
                    inrow = 0;
                }
                char *cs = NULL;
                dbe_xlate_counters_sql(&cs, cur, &e);
                if (cs)
                    printf("%s;\n", cs);
                free(cs);
            }
        }
    }
    if (inrow)
        printf(";\n");
    /* SQLite archives: constraints live in the CREATE TABLE texts */
    for (size_t i = 0; rc == 0 && h && strcmp(h->engine, "sqlite") == 0 && i < nt; i++) {
        dbe_xlate_objs *l = NULL;
        if (dbe_xlate_sqlite_constraints(&l, src[i], &e)) {
            fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
            rc = 1;
            break;
        }
        for (size_t k = 0; k < dbe_xlate_objs_count(l); k++)
            rc |= emit_object("sqlite", dbe_xlate_objs_get(l, k), dbe_xlate_target(xs[i]));
        dbe_xlate_objs_free(l);
    }
    for (size_t i = 0; i < nt; i++) {
        if (rebuild[i])
            printf("%s;\n", rebuild[i]);
        free(rebuild[i]);
    }
    fclose(deferred);
    fputs(dbuf ? dbuf : "", stdout);
    free(dbuf);
    printf("COMMIT;\n");
    /* what --verify compares with the target read back: the digest of the rows as sent */
    for (size_t i = 0; i < nt; i++) {
        uint8_t dd[DBF_DIGEST_SIZE];
        dbf_digest_final(&sent[i], dd);
        printf("-- DIGEST %s|%llu|", dbe_xlate_target(xs[i])->name,
               (unsigned long long)sent[i].rows);
        put_hex((const char *)dd, sizeof dd);
        printf("\n");
    }
    for (size_t i = 0; i < nt; i++)
        dbe_xlate_free(xs[i]);
    dbf_reader_free(r);
    fclose(f);
    return rc;
}

/*
 * 1,000 rows of pseudo-random 0..4096-byte blobs and ENC:-style secrets (xorshift64, fixed
 * seed) from a SQLite-style table. manifest: print "id|hex(data)|secret" per row (the source
 * values, lowercase hex) instead of SQL, for the test to compare read-backs with.
 */
static int blobs(bool manifest)
{
    static char data[4096], secret[128];
    uint64_t st = 0x9E3779B97F4A7C15ull;
#define XS() (st ^= st << 13, st ^= st >> 7, st ^= st << 17, st)
    dbf_column c[3] = {col("id", DBF_T_ANY), col("data", DBF_T_ANY), col("secret", DBF_T_ANY)};
    c[0].native_type = "INTEGER";
    c[0].flags = DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
    c[1].native_type = "BLOB";
    c[2].native_type = "TEXT";
    static const char *const pk[] = {"id"};
    dbf_table t = {0};
    t.id = 9;
    t.name = "xl_blobs";
    t.columns = c;
    t.ncolumns = 3;
    t.primary_key = pk;
    t.nprimary_key = 1;
    dbf_header h = {.engine = "sqlite"};
    dbe_xlate *x = NULL;
    dbf_error e = {0};
    dbf_digest dg;
    dbf_digest_init(&dg);
    if (!manifest) {
        if (dbe_xlate_table_create(&x, D, &h, &t, NULL, &e)) {
            fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
            return 1;
        }
        printf("%s;\n", dbe_xlate_target(x)->native_sql);
    }
    for (int r = 1; r <= 1000; r++) {
        size_t n = (size_t)(XS() % 4097);
        for (size_t i = 0; i < n; i++)
            data[i] = (char)(XS() >> 24);
        int sl = snprintf(secret, sizeof secret, "ENC:v3:key%d:", (int)(XS() % 100));
        for (int i = 0; i < 24; i++)
            sl += snprintf(secret + sl, sizeof secret - (size_t)sl, "%02x",
                           (unsigned)(XS() & 0xff));
        if (manifest) {
            printf("%d|", r);
            put_hex(data, n);
            printf("|%s\n", secret);
            continue;
        }
        dbf_value v[3] = {vi(r), vbin(data, n), vs(secret)};
        const dbf_value *out;
        size_t no;
        if (dbe_xlate_row(x, v, 3, (uint64_t)r, &out, &no, &e) ||
            dbe_xlate_digest_row(x, &dg, out, no, &e)) {
            fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
            dbe_xlate_free(x);
            return 1;
        }
        printf("INSERT INTO ");
        put_ident(dbe_xlate_target(x)->name);
        printf(" VALUES (");
        for (size_t i = 0; i < no; i++) {
            printf(i ? ", " : "");
            put_value(&dbe_xlate_target(x)->columns[i], &out[i]);
        }
        printf(");\n");
    }
#undef XS
    if (!manifest) {
        uint8_t dd[DBF_DIGEST_SIZE];
        dbf_digest_final(&dg, dd);
        printf("-- DIGEST %s|%llu|", dbe_xlate_target(x)->name, (unsigned long long)dg.rows);
        put_hex((const char *)dd, sizeof dd);
        printf("\n");
    }
    if (!manifest && !dbe_xlate_is_identity(x)) {
        fprintf(stderr, "xlate_sqlgen: blobs and secrets must pass unchanged\n");
        dbe_xlate_free(x);
        return 1;
    }
    dbe_xlate_free(x);
    return 0;
}

static int print_line(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line);
    return 0;
}

/* The DATA_END digests of an archive: "table|rows|hex" per table. */
static int archive_digests(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = file_read;
    ro.ctx = f;
    dbf_reader *r = NULL;
    dbf_error e = {0};
    int rc = 0;
    if (dbf_reader_create(&r, &ro, &e)) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        fclose(f);
        return 1;
    }
    for (;;) {
        dbf_msg m;
        if (dbf_reader_next(r, &m, &e)) {
            fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
            rc = 1;
            break;
        }
        if (m.kind == DBF_MSG_END)
            break;
        if (m.kind == DBF_MSG_DATA_END) {
            printf("%s|%llu|", m.table->name, (unsigned long long)m.end->rows);
            put_hex((const char *)m.end->digest, DBF_DIGEST_SIZE);
            printf("\n");
        }
    }
    dbf_reader_free(r);
    fclose(f);
    return rc;
}

/* The --plan report of a whole archive for the target dialect. */
static int plan_archive(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = file_read;
    ro.ctx = f;
    dbf_reader *r = NULL;
    dbf_error e = {0};
    static const dbf_table *tables[MAX_TABLES];
    static const dbf_object *objects[4096];
    size_t nt = 0, no = 0;
    const dbf_header *h = NULL;
    int rc = 0;
    if (dbf_reader_create(&r, &ro, &e)) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        fclose(f);
        return 1;
    }
    for (;;) {
        dbf_msg m;
        if (dbf_reader_next(r, &m, &e)) {
            fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
            rc = 1;
            break;
        }
        if (m.kind == DBF_MSG_END)
            break;
        if (m.kind == DBF_MSG_HEADER)
            h = m.header;
        else if (m.kind == DBF_MSG_TABLE && nt < MAX_TABLES)
            tables[nt++] = m.table;
        else if (m.kind == DBF_MSG_OBJECT && no < 4096)
            objects[no++] = m.object;
    }
    if (rc == 0 && dbe_xlate_plan(D, h, tables, nt, objects, no, NULL, print_line, NULL, &e)) {
        fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
        rc = 1;
    }
    dbf_reader_free(r);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--plan") == 0 && (D = dbe_id_named(argv[2])))
        return plan_archive(argv[3]);
    if (argc == 3 && strcmp(argv[1], "--digests") == 0)
        return archive_digests(argv[2]);
    if (argc < 2 || argc > 3 || !(D = dbe_id_named(argv[1]))) {
        fprintf(stderr, "usage: xlate_sqlgen sqlite|postgresql|mysql [ARCHIVE]\n"
                        "       xlate_sqlgen --plan sqlite|postgresql|mysql ARCHIVE\n");
        return 2;
    }
    if (argc == 3 && strcmp(argv[2], "--blobs-manifest") == 0)
        return blobs(true);
    if (argc == 3)
        return translate_archive(argv[2]);
    int rc = 0;
    dbe_xlate *xs[10] = {0};
    size_t nx = 0;
    if (D == DBE_SQLITE)
        printf("BEGIN;\n"); /* one transaction: the sqlite3 shell syncs every statement */

    /* ---- SQLite source: declared types, dynamic values ---- */
    static const char *const sq_decl[] = {"INTEGER", "BOOLEAN", "NUMERIC(10,2)", "DATETIME",
                                          "TIMESTAMPTZ", "DATE", "TIME", "TEXT", "VARCHAR(40)",
                                          "BLOB", "JSON", "UUID", "REAL", ""};
    static const char *const sq_names[] = {"id", "flag", "price", "created", "created_tz",
                                           "day", "t", "secret", "name", "data", "doc",
                                           "guid", "ratio", "untyped"};
    dbf_column sq[14];
    for (int i = 0; i < 14; i++) {
        sq[i] = col(sq_names[i], DBF_T_ANY);
        sq[i].native_type = sq_decl[i];
    }
    sq[0].flags = DBF_COL_NOT_NULL | DBF_COL_IDENTITY;
    sq[1].default_expr = "0";
    sq[3].default_expr = "CURRENT_TIMESTAMP";
    sq[8].flags = DBF_COL_NOT_NULL;
    sq[8].default_expr = "'unnamed'";
    static const char *const sq_pk[] = {"id"};
    const dbf_value sq_rows[] = {
        vi(1), vi(1), vf(1.5), vs("2020-01-02T03:04:05.123Z"), vs("2020-01-01 00:30:00+01:00"),
        vs("2020-02-29"), vs("12:30"), vs("ENC:v3:k1:00ff10aa"),
        vs("Gr\xc3\xbc\xc3\x9f" "e \"q\" 's' \\ `b`"), vbin("\x00\xff\x10\n", 4),
        vs("{\"a\": [1, 2], \"b\": null}"), vs("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), vf(0.1),
        vi(42),
        /* row 2 */
        vi(2), vi(0), vi(7), vs("1999-12-31 23:59:59"), vs("2020-06-01T12:00:00Z"),
        vs("0001-01-01"), vs("23:59:59.999999"), vs(""), vs("x; DROP TABLE t; --"), vbin("", 0),
        vs("[]"), vbin(uuid_bytes, 16), vi(-3), vf(2.5),
        /* row 3: NULLs where allowed */
        vi(9223372036854775807LL), vnull(), vnull(), vnull(), vnull(), vnull(), vnull(), vnull(),
        vs("n"), vnull(), vnull(), vnull(), vnull(), vnull(),
    };
    src_table s1 = {"sqlite", {0}, sq_rows, 3};
    s1.t.id = 1;
    s1.t.name = "xl_sqlite_src";
    s1.t.columns = sq;
    s1.t.ncolumns = 14;
    s1.t.primary_key = sq_pk;
    s1.t.nprimary_key = 1;
    rc |= emit_table(&s1, &xs[nx++]);

    /* ---- PostgreSQL source: typed columns ---- */
    static const char *const labels[] = {"happy", "it's", "sad"};
    dbf_column pg[24];
    size_t np = 0;
    pg[np++] = col("select", DBF_T_BOOL);
    pg[np] = col("i16", DBF_T_INT), pg[np++].bits = 16;
    pg[np] = col("i32", DBF_T_INT), pg[np++].bits = 32;
    pg[np] = col("i64", DBF_T_INT), pg[np++].bits = 64;
    pg[np++] = col("f32", DBF_T_FLOAT32);
    pg[np++] = col("f64", DBF_T_FLOAT64);
    pg[np] = col("dec", DBF_T_DECIMAL), pg[np].precision = 12, pg[np++].scale = 4;
    pg[np++] = col("dec_u", DBF_T_DECIMAL);
    pg[np++] = col("txt", DBF_T_TEXT);
    pg[np] = col("vc", DBF_T_TEXT), pg[np++].length = 10;
    pg[np++] = col("by", DBF_T_BYTES);
    pg[np++] = col("d", DBF_T_DATE);
    pg[np] = col("tm", DBF_T_TIME), pg[np++].precision = 6;
    pg[np++] = col("ttz", DBF_T_TIMETZ);
    pg[np] = col("ts", DBF_T_TIMESTAMP), pg[np++].precision = 6;
    pg[np] = col("tstz", DBF_T_TIMESTAMPTZ), pg[np++].precision = 6;
    pg[np++] = col("iv", DBF_T_INTERVAL);
    pg[np++] = col("u", DBF_T_UUID);
    pg[np++] = col("j", DBF_T_JSON);
    pg[np] = col("e", DBF_T_ENUM), pg[np].labels = labels, pg[np++].nlabels = 3;
    pg[np] = col("arr", DBF_T_ARRAY), pg[np].elem_type = DBF_T_INT,
    pg[np++].native_type = "integer[]";
    pg[np] = col("b5", DBF_T_NATIVE), pg[np++].native_type = "bit(5)";
    pg[np] = col("inet", DBF_T_NATIVE), pg[np++].native_type = "inet";
    pg[np] = col("id", DBF_T_INT), pg[np].bits = 32,
    pg[np].flags = DBF_COL_NOT_NULL | DBF_COL_IDENTITY, np++;
    pg[5].default_expr = "0";
    pg[15].default_expr = "now()";
    pg[17].default_expr = "gen_random_uuid()";
    static const char *const pg_pk[] = {"id"};
    dbf_value arr_el[3] = {vi(1), vnull(), vi(-3)};
    dbf_value arr = vnull();
    arr.kind = DBF_V_ARRAY;
    arr.u.arr.elems = arr_el;
    arr.u.arr.nelems = 3;
    arr.u.arr.ndims = 1;
    arr.u.arr.dims[0] = 3;
    arr.u.arr.lbounds[0] = 1;
    dbf_value pg_rows[] = {
        vb(true), vi(-32768), vi(2147483647), vi(INT64_MIN), vf32(3.40282347e38f),
        vf(1.7976931348623157e308), vs("-99999999.9999"), vs("123456789012345678901234567890.5"),
        vs("line1\nline2\ttab \xe2\x82\xac"), vs("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
        vbin("\x00\x01\x02\xfe\xff", 5), vs("2024-02-29"), vs("24:00:00"),
        vs("12:00:00+05:30"), vs("1970-01-01 00:00:00.000001"), vs("2038-01-19 03:14:08.5Z"),
        viv(14, 3, 3723500000LL), vbin(uuid_bytes, 16), vs("{\"k\": \"v\",  \"n\": 1.50}"),
        vs("it's"), arr, vs("10101"), vs("192.168.0.1/24"), vi(1),
        /* row 2 */
        vb(false), vi(0), vi(-2147483648LL), vi(INT64_MAX), vf32(1.17549435e-38f), vf(5e-324),
        vs("0.0001"), vs("-0.5"), vs(""), vs("short"), vbin("", 0), vs("0001-01-01"),
        vs("00:00:00"), vs("00:00:00-01"), vs("9999-12-31 23:59:59.999999"),
        vs("1901-12-13 20:45:52Z"), viv(-1, -2, -500000), vnull(), vs("[1, \"two\", null]"),
        vs("sad"), vnull(), vs("00000"), vnull(), vi(2),
    };
    src_table s2 = {"postgresql", {0}, pg_rows, 2};
    s2.t.id = 2;
    s2.t.name = "xl pg \"src\" `x`; --";
    s2.t.columns = pg;
    s2.t.ncolumns = np;
    s2.t.primary_key = pg_pk;
    s2.t.nprimary_key = 1;
    rc |= emit_table(&s2, &xs[nx++]);

    /* ---- MySQL source ---- */
    static const char *const setl[] = {"a", "b", "c"};
    dbf_column my[13];
    size_t nm = 0;
    my[nm] = col("u8", DBF_T_INT), my[nm].bits = 8, my[nm++].is_unsigned = true;
    my[nm] = col("u16", DBF_T_INT), my[nm].bits = 16, my[nm++].is_unsigned = true;
    my[nm] = col("u24", DBF_T_INT), my[nm].bits = 24, my[nm++].is_unsigned = true;
    my[nm] = col("u32", DBF_T_INT), my[nm].bits = 32, my[nm++].is_unsigned = true;
    my[nm] = col("u64", DBF_T_INT), my[nm].bits = 64, my[nm++].is_unsigned = true;
    my[nm] = col("i8", DBF_T_INT), my[nm++].bits = 8;
    my[nm++] = col("yr", DBF_T_YEAR);
    my[nm] = col("st", DBF_T_SET), my[nm].labels = setl, my[nm++].nlabels = 3;
    my[nm] = col("dur", DBF_T_TIME), my[nm++].precision = 0;
    my[nm] = col("dt", DBF_T_TIMESTAMP), my[nm++].precision = 0;
    my[nm] = col("bits", DBF_T_BIT), my[nm++].length = 12;
    my[nm++] = col("blob", DBF_T_BYTES);
    my[nm] = col("Order", DBF_T_DECIMAL), my[nm].precision = 65, my[nm++].scale = 30;
    static const char *const my_pk[] = {"u64"};
    dbf_value my_rows[] = {
        vi(255), vi(65535), vi(16777215), vi(4294967295LL), vu(UINT64_MAX), vi(-128), vi(2155),
        vs("a,c"), vs("-838:59:59"), vs("2020-02-29 23:59:59"), vbin("\x0f\xff", 2),
        vbin("ENC:\x00\x01\xff", 7), vs("12345678901234567890123456789012345.123456789012345678901234567890"),
        /* row 2 */
        vi(0), vi(0), vi(0), vi(0), vi(0), vi(127), vi(1901), vs(""), vs("838:59:59"),
        vs("1000-01-01 00:00:00"), vbin("\x00\x00", 2), vbin("x", 1),
        vs("-0.000000000000000000000000000001"),
    };
    src_table s3 = {"mysql", {0}, my_rows, 2};
    s3.t.id = 3;
    s3.t.name = "xl_mysql_src";
    s3.t.columns = my;
    s3.t.ncolumns = nm;
    s3.t.primary_key = my_pk;
    s3.t.nprimary_key = 1;
    rc |= emit_table(&s3, &xs[nx++]);

    /* ---- objects: parent/child from SQLite, index/unique/fk/check ---- */
    dbf_column par[2] = {col("id", DBF_T_ANY), col("label", DBF_T_ANY)};
    par[0].native_type = "INTEGER";
    par[0].flags = DBF_COL_NOT_NULL | DBF_COL_IDENTITY;
    par[1].native_type = "TEXT";
    dbf_column chi[3] = {col("id", DBF_T_ANY), col("parent_id", DBF_T_ANY),
                         col("qty", DBF_T_ANY)};
    chi[0].native_type = "INTEGER";
    chi[0].flags = DBF_COL_NOT_NULL | DBF_COL_IDENTITY;
    chi[1].native_type = "INTEGER";
    chi[2].native_type = "INT";
    static const char *const idpk[] = {"id"};
    dbf_value par_rows[] = {vi(1), vs("one"), vi(2), vs("two")};
    dbf_value chi_rows[] = {vi(10), vi(1), vi(5), vi(11), vi(2), vi(0), vi(12), vnull(), vi(1)};
    src_table s4 = {"sqlite", {0}, par_rows, 2}, s5 = {"sqlite", {0}, chi_rows, 3};
    s4.t.id = 4;
    s4.t.name = "xl_parent";
    s4.t.columns = par;
    s4.t.ncolumns = 2;
    s4.t.primary_key = idpk;
    s4.t.nprimary_key = 1;
    s5.t.id = 5;
    s5.t.name = "xl_child";
    s5.t.columns = chi;
    s5.t.ncolumns = 3;
    s5.t.primary_key = idpk;
    s5.t.nprimary_key = 1;
    rc |= emit_table(&s4, &xs[nx++]);
    rc |= emit_table(&s5, &xs[nx++]);
    if (rc)
        goto done;
    static const char *const c_label[] = {"label"}, *const c_pid[] = {"parent_id"},
                             *const c_name[] = {"name"}, *const c_secret[] = {"secret"};
    dbf_object ux = {.kind = DBF_OBJ_INDEX, .name = "xl_parent_label", .table = "xl_parent",
                     .columns = c_label, .ncolumns = 1, .unique = true};
    dbf_object fk = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "foreign_key",
                     .name = "xl_child_parent_fk", .table = "xl_child", .columns = c_pid,
                     .ncolumns = 1, .ref_table = "xl_parent", .ref_columns = idpk,
                     .nref_columns = 1, .on_delete = "CASCADE"};
    dbf_object ck = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "check", .name = "xl_child_qty",
                     .table = "xl_child", .expr = "(qty >= (0)::integer AND qty < 100)"};
    dbf_object ix = {.kind = DBF_OBJ_INDEX, .name = "xl_sqlite_src_name",
                     .table = "xl_sqlite_src", .columns = c_name, .ncolumns = 1};
    dbf_object ix2 = {.kind = DBF_OBJ_INDEX, .name = "xl_sqlite_src_secret",
                      .table = "xl_sqlite_src", .columns = c_secret, .ncolumns = 1};
    dbf_object trg = {.kind = DBF_OBJ_TRIGGER, .name = "trg", .table = "xl_child",
                      .sql = "CREATE TRIGGER trg ..."};
    rc |= emit_object("sqlite", &ux, dbe_xlate_target(xs[3]));
    if (D == DBE_SQLITE) { /* SQLite: the table is rebuilt with its constraints */
        dbf_header hp = {.engine = "postgresql"};
        const dbf_object *cons[2] = {&fk, &ck};
        for (int i = 0; i < 2; i++) {
            char *sql = NULL, *note = NULL;
            dbf_error e = {0};
            if (dbe_xlate_sqlite_add_constraint(&sql, &note, xs[4], &hp, cons[i], &e)) {
                fprintf(stderr, "xlate_sqlgen: %s\n", e.msg);
                rc = 1;
            }
            if (note)
                printf("-- %s\n", note);
            if (sql && i == 1) /* the last rebuild holds both constraints */
                printf("%s;\n", sql);
            free(sql);
            free(note);
        }
    } else {
        rc |= emit_object("postgresql", &fk, dbe_xlate_target(xs[4]));
        rc |= emit_object("postgresql", &ck, dbe_xlate_target(xs[4]));
    }
    rc |= emit_object("sqlite", &ix, dbe_xlate_target(xs[0]));
    rc |= emit_object("sqlite", &ix2, dbe_xlate_target(xs[0]));
    rc |= emit_object("sqlite", &trg, NULL);
    /* ---- Laravel-style MySQL ids: BIGINT UNSIGNED AUTO_INCREMENT and references to them */
    {
        dbf_column us[2] = {col("id", DBF_T_INT), col("name", DBF_T_TEXT)};
        us[0].bits = 64;
        us[0].is_unsigned = true;
        us[0].flags = DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
        us[1].length = 255;
        dbf_column po[3] = {col("id", DBF_T_INT), col("user_id", DBF_T_INT),
                            col("title", DBF_T_TEXT)};
        po[0].bits = po[1].bits = 64;
        po[0].is_unsigned = po[1].is_unsigned = true;
        po[0].flags = DBF_COL_IDENTITY | DBF_COL_NOT_NULL;
        po[1].flags = DBF_COL_NOT_NULL;
        dbf_value u_rows[] = {vu(1), vs("ann"), vu(2), vs("bob")};
        dbf_value p_rows[] = {vu(1), vu(1), vs("hello"), vu(2), vu(2), vs("world")};
        src_table s6 = {"mysql", {0}, u_rows, 2}, s7 = {"mysql", {0}, p_rows, 2};
        s6.t.id = 6;
        s6.t.name = "xl_users";
        s6.t.columns = us;
        s6.t.ncolumns = 2;
        s6.t.primary_key = idpk;
        s6.t.nprimary_key = 1;
        s7.t.id = 7;
        s7.t.name = "xl_posts";
        s7.t.columns = po;
        s7.t.ncolumns = 3;
        s7.t.primary_key = idpk;
        s7.t.nprimary_key = 1;
        rc |= emit_table(&s6, &xs[nx++]);
        rc |= emit_table(&s7, &xs[nx++]);
        static const char *const c_uid[] = {"user_id"};
        dbf_object ufk = {.kind = DBF_OBJ_CONSTRAINT, .subtype = "foreign_key",
                          .name = "xl_posts_user_id_foreign", .table = "xl_posts",
                          .columns = c_uid, .ncolumns = 1, .ref_table = "xl_users",
                          .ref_columns = idpk, .nref_columns = 1, .on_delete = "CASCADE"};
        if (rc == 0 && D == DBE_SQLITE) {
            dbf_header hm = {.engine = "mysql"};
            char *sql = NULL, *note = NULL;
            dbf_error e = {0};
            if (dbe_xlate_sqlite_add_constraint(&sql, &note, xs[nx - 1], &hm, &ufk, &e))
                rc = 1;
            if (sql)
                printf("%s;\n", sql);
            free(sql);
            free(note);
        } else if (rc == 0) {
            rc |= emit_object("mysql", &ufk, dbe_xlate_target(xs[nx - 1]));
        }
    }
    rc |= blobs(false);
    if (D == DBE_SQLITE)
        printf("COMMIT;\n");
done:
    for (size_t i = 0; i < nx; i++)
        dbe_xlate_free(xs[i]);
    return rc ? 1 : 0;
}
