/*
 * msgdump.c - test helper: print every message of an archive as text, one line each, with
 * all values in hex, leaving out the header's creation time (the only field two dumps of an
 * unchanged database may differ in) and the trailer's checksum (a hash over the header too).
 * Used to show that two dumps carry the same data messages.
 *
 * Usage: dbt_msgdump FILE   (exit 0, or 1 with the reader's error on stderr)
 */
#include <stdio.h>

#include "dbc.h"

static void hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", (unsigned char)p[i]);
}

static void value(const dbf_value *v)
{
    switch (v->kind) {
    case DBF_V_NULL:
        printf(" null");
        break;
    case DBF_V_BOOL:
        printf(" bool:%d", v->u.b);
        break;
    case DBF_V_INT:
        printf(" int:%lld", (long long)v->u.i);
        break;
    case DBF_V_UINT:
        printf(" uint:%llu", (unsigned long long)v->u.u);
        break;
    case DBF_V_F32:
        printf(" f32:");
        hex((const char *)&v->u.f32, sizeof v->u.f32);
        break;
    case DBF_V_F64:
        printf(" f64:");
        hex((const char *)&v->u.f64, sizeof v->u.f64);
        break;
    case DBF_V_STR:
    case DBF_V_BIN:
        printf(" %s:", v->kind == DBF_V_STR ? "str" : "bin");
        hex(v->u.s.ptr, v->u.s.len);
        break;
    default:
        printf(" kind%d", (int)v->kind);
        break;
    }
}

static const char *s(const char *p)
{
    return p ? p : "(null)";
}

int main(int argc, char **argv)
{
    dbc_infile *in = NULL;
    dbf_reader *r = NULL;
    dbf_error err = {0, {0}};
    dbf_msg m;
    int rc;
    if (argc != 2) {
        fprintf(stderr, "usage: dbt_msgdump FILE\n");
        return 2;
    }
    if ((rc = dbc_infile_open(&in, argv[1], &err)))
        goto done;
    dbf_reader_opts ro = DBF_READER_OPTS_INIT;
    ro.read = dbc_infile_read;
    ro.ctx = in;
    if ((rc = dbf_reader_create(&r, &ro, &err)))
        goto done;
    while ((rc = dbf_reader_next(r, &m, &err)) == 0 && m.kind != DBF_MSG_END) {
        switch (m.kind) {
        case DBF_MSG_HEADER:
            printf("HEADER %u.%u %s %s %s %s %s\n", m.header->version_major,
                   m.header->version_minor, s(m.header->producer), s(m.header->engine),
                   s(m.header->server_version), s(m.header->database), s(m.header->encoding));
            break;
        case DBF_MSG_TABLE:
            printf("TABLE %u %s %s attrs=%zu pk=%zu\n", m.table->id, s(m.table->name),
                   s(m.table->native_sql), m.table->nattrs, m.table->nprimary_key);
            for (size_t i = 0; i < m.table->ncolumns; i++) {
                const dbf_column *c = &m.table->columns[i];
                printf("  COLUMN %s %s flags=%u native=%s default=%s\n", s(c->name),
                       dbf_type_name(c->type), c->flags, s(c->native_type), s(c->default_expr));
            }
            break;
        case DBF_MSG_OBJECT:
            printf("OBJECT %d %d %s %s %s %s\n", (int)m.object->kind, (int)m.object->section,
                   s(m.object->name), s(m.object->table), s(m.object->sql), s(m.object->value));
            break;
        case DBF_MSG_DATA_BEGIN:
            printf("DATA_BEGIN %u\n", m.table->id);
            break;
        case DBF_MSG_ROW:
            printf("ROW %u %llu", m.table->id, (unsigned long long)m.row_number);
            for (size_t i = 0; i < m.nvalues; i++)
                value(&m.values[i]);
            printf("\n");
            break;
        case DBF_MSG_DATA_END:
            printf("DATA_END %u rows=%llu digest=", m.end->table_id,
                   (unsigned long long)m.end->rows);
            hex((const char *)m.end->digest, DBF_DIGEST_SIZE);
            printf("\n");
            break;
        case DBF_MSG_TRAILER:
            printf("TRAILER tables=%llu rows=%llu\n", (unsigned long long)m.trailer->tables,
                   (unsigned long long)m.trailer->rows);
            break;
        default:
            printf("MSG %d\n", (int)m.kind);
            break;
        }
    }
done:
    dbf_reader_free(r);
    dbc_infile_close(in);
    if (rc) {
        fprintf(stderr, "dbt_msgdump: %s\n", err.msg);
        return 1;
    }
    return 0;
}
