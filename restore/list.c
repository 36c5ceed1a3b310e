/*
 * list.c - dbrestore --list [--json]: the archive's table of contents, read sequentially
 * (every message is read and verified, nothing is restored); and the --clean question.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbc_mem.h"
#include "dbr.h"
#include "xlate_int.h"

typedef struct tstat {
    const dbf_table *t;
    uint64_t rows;       /* from DATA_END (verified by the reader) */
    uint64_t data_bytes; /* payload bytes of the values (text/bytes lengths, 8 per number) */
    uint64_t arch_bytes; /* compressed archive bytes read while the table's data came */
    uint64_t at_begin;   /* bytes_in at the table's first data message */
    bool has_data;
} tstat;

typedef struct toc {
    dbc_vec ts;   /* tstat, per table */
    dbc_vec objs; /* const dbf_object * */
} toc;

static tstat *find(toc *c, const dbf_table *t)
{
    static size_t last;
    tstat *ts = c->ts.p;
    if (last < c->ts.n && ts[last].t == t)
        return &ts[last];
    for (size_t i = 0; i < c->ts.n; i++)
        if (ts[i].t == t || ts[i].t->id == t->id)
            return &ts[last = i];
    return NULL;
}

static uint64_t value_bytes(const dbf_value *v)
{
    switch (v->kind) {
    case DBF_V_NULL:
        return 0;
    case DBF_V_BOOL:
        return 1;
    case DBF_V_STR:
    case DBF_V_BIN:
        return v->u.s.len;
    case DBF_V_ARRAY: {
        uint64_t b = 0;
        for (size_t i = 0; i < v->u.arr.nelems; i++)
            b += value_bytes(&v->u.arr.elems[i]);
        return b;
    }
    case DBF_V_INTERVAL:
        return 16;
    default:
        return 8;
    }
}

/* JSON string: UTF-8 kept, invalid bytes become U+FFFD, controls and quotes escaped. */
static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), k;
    uint32_t cp;
    fputc('"', f);
    for (size_t i = 0; i < n; i += k ? k : 1) {
        k = p[i] < 0x80 ? 1 : xl_utf8_dec(p + i, n - i, &cp);
        if (p[i] == '"' || p[i] == '\\')
            fprintf(f, "\\%c", p[i]);
        else if (p[i] < 0x20 || p[i] == 0x7f)
            fprintf(f, "\\u%04x", p[i]);
        else if (k)
            fwrite(p + i, 1, k, f);
        else
            fputs("\\ufffd", f);
    }
    fputc('"', f);
}

/* A JSON member: text (", \"name\": ") then s as a JSON string. */
static void json_field(const char *text, const char *s)
{
    fputs(text, stdout);
    json_str(stdout, s);
}

/* The archive's objects of kind omitted (spec/FORMAT.md 3.9). */
static size_t count_omitted(const toc *c)
{
    const dbf_object *const *objs = c->objs.p;
    size_t n = 0;
    for (size_t i = 0; i < c->objs.n; i++)
        n += objs[i]->kind == DBF_OBJ_OMITTED;
    return n;
}

static void print_text(const dbf_header *h, toc *c, uint64_t total_rows, uint64_t bytes)
{
    const tstat *ts = c->ts.p;
    const dbf_object *const *objs = c->objs.p;
    printf("Archive: format %u.%u, produced by %s, created %s\n", h->version_major,
           h->version_minor, h->producer ? h->producer : "?", h->created ? h->created : "?");
    printf("Source: %s %s, database %s, encoding %s, time zone %s\n",
           h->engine ? h->engine : "?", h->server_version ? h->server_version : "",
           h->database ? h->database : "?", h->encoding ? h->encoding : "?",
           h->time_zone ? h->time_zone : "?");
    if (h->noptions) {
        printf("Options:");
        for (size_t i = 0; i < h->noptions; i++)
            printf(" %s=%s", h->options[i].key, h->options[i].value ? h->options[i].value : "");
        printf("\n");
    }
    printf("Tables: %zu, rows: %llu, objects: %zu, archive bytes: %llu\n", c->ts.n,
           (unsigned long long)total_rows, c->objs.n, (unsigned long long)bytes);
    size_t omitted = count_omitted(c);
    if (omitted)
        printf("INCOMPLETE: %zu object%s of the source not carried (dbdump "
               "--skip-unsupported), listed as \"omitted\" below\n",
               omitted, omitted == 1 ? "" : "s");
    printf("\n");
    for (size_t i = 0; i < c->ts.n; i++) {
        const tstat *s = &ts[i];
        const dbf_table *t = s->t;
        printf("Table %s%s%s: %llu rows%s, %llu data bytes, ~%llu archive bytes, %zu columns\n",
               t->schema ? t->schema : "", t->schema ? "." : "", t->name,
               (unsigned long long)s->rows, s->has_data ? "" : " (no data section)",
               (unsigned long long)s->data_bytes, (unsigned long long)s->arch_bytes,
               t->ncolumns);
        for (size_t j = 0; j < t->ncolumns; j++) {
            const dbf_column *col = &t->columns[j];
            printf("    %-30s %-12s %s%s%s\n", col->name,
                   col->type_name ? col->type_name : dbf_type_name(col->type),
                   col->native_type ? col->native_type : "",
                   col->flags & DBF_COL_NOT_NULL ? " NOT NULL" : "",
                   col->flags & DBF_COL_ROWID ? " (rowid)" : "");
        }
    }
    if (c->objs.n)
        printf("\nObjects:\n");
    for (size_t i = 0; i < c->objs.n; i++) {
        const dbf_object *o = objs[i];
        /* by the title --skip-object takes: "pg_dump    FUNCTION public.f(integer)",
         * "view       public.v" */
        char title[1024];
        if (o->kind == DBF_OBJ_OMITTED) {
            printf("    %-10s %s\n", "omitted", dbc_omission_text(title, sizeof title, o));
            continue;
        }
        dbc_object_title(title, sizeof title, o);
        const char *words = strchr(title, ' ');
        bool pgd = o->kind == DBF_OBJ_DDL && o->subtype && strcmp(o->subtype, "pg_dump") == 0;
        printf("    %-10s %s", pgd ? "pg_dump" : dbc_object_kind_name(o->kind),
               pgd || !words ? title : words + 1);
        printf("%s%s (%s)\n", o->table ? " on " : "", o->table ? o->table : "",
               o->section == DBF_SEC_PRE ? "pre-data" : "post-data");
    }
}

static void print_json(const dbf_header *h, toc *c, uint64_t total_rows, uint64_t bytes)
{
    const tstat *ts = c->ts.p;
    const dbf_object *const *objs = c->objs.p;
    printf("{\"format_version\": \"%u.%u\", \"producer\": ", h->version_major,
           h->version_minor);
    json_str(stdout, h->producer);
    json_field(", \"created\": ", h->created);
    json_field(", \"engine\": ", h->engine);
    json_field(", \"server_version\": ", h->server_version);
    json_field(", \"database\": ", h->database);
    json_field(", \"encoding\": ", h->encoding);
    json_field(", \"time_zone\": ", h->time_zone);
    printf(", \"options\": {");
    for (size_t i = 0; i < h->noptions; i++) {
        printf("%s", i ? ", " : "");
        json_str(stdout, h->options[i].key);
        json_field(": ", h->options[i].value);
    }
    size_t omitted = count_omitted(c);
    printf("}, \"incomplete\": %zu, \"rows\": %llu, \"archive_bytes\": %llu, \"tables\": [",
           omitted, (unsigned long long)total_rows, (unsigned long long)bytes);
    for (size_t i = 0; i < c->ts.n; i++) {
        const tstat *s = &ts[i];
        const dbf_table *t = s->t;
        printf("%s\n  {\"schema\": ", i ? "," : "");
        json_str(stdout, t->schema);
        json_field(", \"name\": ", t->name);
        printf(", \"rows\": %llu, \"has_data\": %s, \"row_estimate\": %lld, "
               "\"data_bytes\": %llu, \"archive_bytes\": %llu, \"columns\": [",
               (unsigned long long)s->rows, s->has_data ? "true" : "false",
               (long long)t->row_estimate, (unsigned long long)s->data_bytes,
               (unsigned long long)s->arch_bytes);
        for (size_t j = 0; j < t->ncolumns; j++) {
            const dbf_column *col = &t->columns[j];
            printf("%s{\"name\": ", j ? ", " : "");
            json_str(stdout, col->name);
            json_field(", \"type\": ", col->type_name ? col->type_name : dbf_type_name(col->type));
            json_field(", \"native_type\": ", col->native_type);
            printf(", \"not_null\": %s}", col->flags & DBF_COL_NOT_NULL ? "true" : "false");
        }
        printf("]}");
    }
    printf("\n], \"objects\": [");
    for (size_t i = 0; i < c->objs.n; i++) {
        const dbf_object *o = objs[i];
        printf("%s\n  {\"kind\": \"%s\", \"section\": \"%s\", \"schema\": ", i ? "," : "",
               dbc_object_kind_name(o->kind), o->section == DBF_SEC_PRE ? "pre" : "post");
        json_str(stdout, o->schema);
        json_field(", \"name\": ", o->name);
        json_field(", \"table\": ", o->table);
        char title[1024];
        json_field(", \"title\": ", dbc_object_title(title, sizeof title, o));
        if (o->kind == DBF_OBJ_DDL && o->subtype && strcmp(o->subtype, "pg_dump") == 0)
            json_field(", \"pg_dump_type\": ", dbc_kv(o->attrs, o->nattrs, "pg_dump.type"));
        if (o->kind == DBF_OBJ_OMITTED) {
            json_field(", \"subtype\": ", o->subtype);
            json_field(", \"reason\": ", o->value);
        }
        printf("}");
    }
    printf("\n]}\n");
}

int dbr_list(const dbe_restore_opts *o, dbf_error *err)
{
    int rc = 0;
    dbc_infile *in = NULL;
    dbf_reader *r = NULL;
    const dbf_header *h = NULL;
    toc c = {0};
    uint64_t total_rows = 0;
    dbf_msg m;

    if ((rc = dbc_infile_open(&in, o->input, err)))
        goto done;
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = dbc_infile_read;
    ro.ctx = in;
    if ((rc = dbf_reader_create(&r, &ro, err)))
        goto done;
    for (;;) {
        if ((rc = dbf_reader_next(r, &m, err)))
            goto done;
        if (m.kind == DBF_MSG_END)
            break;
        tstat *s = NULL;
        switch (m.kind) {
        case DBF_MSG_HEADER:
            h = m.header;
            break;
        case DBF_MSG_TABLE:
            if (!dbc_select_table_of(o->select, m.table))
                break;
            if (!(s = dbc_vec_push(&c.ts, sizeof *s))) {
                rc = dbc_oom(err);
                goto done;
            }
            s->t = m.table;
            break;
        case DBF_MSG_OBJECT:
            if (dbc_select_object(o->select, m.object) && dbc_vec_push_ptr(&c.objs, m.object)) {
                rc = dbc_oom(err);
                goto done;
            }
            break;
        case DBF_MSG_DATA_BEGIN:
            if ((s = find(&c, m.table))) {
                s->has_data = true;
                s->at_begin = dbf_reader_bytes_in(r);
            }
            break;
        case DBF_MSG_ROW:
            if ((s = find(&c, m.table)))
                for (size_t i = 0; i < m.nvalues; i++)
                    s->data_bytes += value_bytes(&m.values[i]);
            break;
        case DBF_MSG_DATA_END:
            if ((s = find(&c, m.table))) {
                s->rows += m.end->rows;
                s->arch_bytes += dbf_reader_bytes_in(r) - s->at_begin;
                s->at_begin = dbf_reader_bytes_in(r);
                total_rows += m.end->rows;
            }
            break;
        default:
            break;
        }
    }
    if (!h) {
        rc = dbf_error_set(err, DBF_ECORRUPT, "archive has no header");
        goto done;
    }
    if (o->json)
        print_json(h, &c, total_rows, dbf_reader_bytes_in(r));
    else
        print_text(h, &c, total_rows, dbf_reader_bytes_in(r));
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = dbf_error_set(err, DBF_EIO, "writing the listing to standard output failed");

done:
    if (rc && in) {
        const char *msg = dbc_infile_errmsg(in);
        if (msg && (rc == DBF_EIO || rc == DBF_ECANCELED))
            dbf_error_set(err, rc, "%s", msg);
    }
    dbf_reader_free(r);
    dbc_infile_close(in);
    dbc_vec_free(&c.ts);
    dbc_vec_free(&c.objs);
    return rc;
}

int dbr_confirm_clean(const dbe_target *t, const dbf_table *const *tables, size_t ntables,
                      size_t nobjects, dbf_error *err)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
        return 0;
    if (t->engine == DBE_SQLITE && t->path && access(t->path, F_OK) != 0)
        return 0; /* a new file: nothing to drop */
    fprintf(stderr, "dbrestore: --clean will DROP those of these %zu tables that exist in %s "
                    "(with their indexes, triggers and views; %zu other objects of the archive "
                    "are recreated) and replace them with the archive's:\n",
            ntables, t->display, nobjects);
    for (size_t i = 0; i < ntables; i++)
        fprintf(stderr, "  %s%s%s\n", tables[i]->schema ? tables[i]->schema : "",
                tables[i]->schema ? "." : "", tables[i]->name);
    fprintf(stderr, "Continue? [y/N] ");
    fflush(stderr);
    char line[32];
    if (!fgets(line, sizeof line, stdin) ||
        !(line[0] == 'y' || line[0] == 'Y') ||
        !(line[1] == '\n' || line[1] == '\0' || strncmp(line + 1, "es", 2) == 0 ||
          strncmp(line + 1, "ES", 2) == 0))
        return dbf_error_set(err, DBF_ECANCELED,
                             "not confirmed: nothing was changed (use --yes to skip the question)");
    return 0;
}
