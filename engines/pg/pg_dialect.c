/*
 * pg_dialect.c - PostgreSQL as the target dialect of a cross-engine restore: identifier
 * length, the type matrix's PostgreSQL column, identity columns, counters (setval) and
 * foreign key column types. Rules: spec/TYPES.md, "Cross-engine matrix".
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbc.h"
#include "pg_copy.h"
#include "xlate_int.h"

/* Names are cut to 63 bytes on a UTF-8 character boundary, as the server itself does. */
static int pg_fit(size_t *out, const char *name, size_t n, dbf_error *err)
{
    (void)err;
    size_t cut = n;
    if (n > DBE_PG_MAX_IDENT_BYTES) {
        cut = DBE_PG_MAX_IDENT_BYTES;
        while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
            cut--;
    }
    *out = cut;
    return 0;
}

static void pg_int(xl_map *m)
{
    const xl_src *s = m->s;
    xl_col *c = m->c;
    unsigned bits = s->type == DBF_T_YEAR ? 16 : s->bits;
    bool uns = s->type == DBF_T_YEAR ? false : s->is_unsigned;
    unsigned need = uns ? bits + 1 : bits;
    bool ident = m->sc->flags & (DBF_COL_IDENTITY | DBF_COL_IDENTITY_ALWAYS);
    if (uns && bits >= 64 && ident) {
        /* ids (Laravel's id(), ...): an identity needs an integer type */
        xl_sb_puts(m->decl, "bigint");
        c->ltype = DBF_T_INT;
        c->lbits = 64;
        c->lunsigned = false;
        c->same = false;
        m->why = "unsigned 64-bit identity as a bigint identity: ids above "
                 "9223372036854775807 refused";
    } else if (uns && bits >= 64) {
        static const dbf_kv from_uint64[1] = {{"xlate.from", "uint64"}};
        xl_sb_puts(m->decl, "numeric(20,0)");
        c->ltype = DBF_T_DECIMAL;
        c->lprecision = 20;
        c->lscale = 0;
        c->same = false;
        m->tc->attrs = from_uint64; /* a foreign key may turn it into bigint */
        m->tc->nattrs = 1;
        m->why = "unsigned 64-bit integers as exact numeric text (values unchanged)";
    } else {
        unsigned b = need <= 16 ? 16 : need <= 32 ? 32 : 64;
        xl_sb_puts(m->decl, b == 16 ? "smallint" : b == 32 ? "integer" : "bigint");
        c->ltype = DBF_T_INT;
        c->lbits = b;
        c->lunsigned = false;
        if (s->type == DBF_T_YEAR) {
            c->same = false;
            m->why = "year stored as smallint";
        }
    }
}

static void pg_decimal(xl_map *m)
{
    int32_t p = m->s->precision, sc = m->s->scale;
    if (p >= 1 && p <= 1000) {
        if (sc < 0)
            sc = 0;
        xl_sb_printf(m->decl, "numeric(%d,%d)", (int)p, (int)sc);
        m->c->lscale = sc;
    } else {
        xl_sb_puts(m->decl, "numeric");
        m->c->lprecision = m->c->lscale = -1;
        if (p > 1000)
            m->why = "precision over 1000: unconstrained numeric (values unchanged)";
    }
}

static void pg_time(xl_map *m)
{
    xl_col *c = m->c;
    const char *src = m->x->src_engine;
    if (src && strcmp(src, "mysql") == 0) {
        xl_sb_puts(m->decl, "interval");
        c->ltype = DBF_T_INTERVAL;
        c->same = false;
        m->why = "MySQL TIME is a duration (-838:59:59..838:59:59): PostgreSQL interval";
    } else {
        xl_sb_printf(m->decl, "time(%d) without time zone", (int)m->fsp);
        c->l_time_of_day = true;
        c->same = false;
        m->why = "times outside 00:00:00..24:00:00 refused";
    }
}

static const xl_tmap pg_types[DBF_T__COUNT] = {
    [DBF_T_BOOL] = {.decl = "boolean"},
    [DBF_T_FLOAT32] = {.decl = "real"},
    [DBF_T_FLOAT64] = {.decl = "double precision"},
    [DBF_T_BYTES] = {.decl = "bytea"},
    [DBF_T_DATE] = {.decl = "date", .convert = true, .why = "zero dates refused (--lossy: NULL)"},
    [DBF_T_TIMETZ] = {.decl = "time(%d) with time zone"},
    [DBF_T_TIMESTAMP] = {.decl = "timestamp(%d) without time zone", .convert = true,
                         .why = "zero dates refused (--lossy: NULL)"},
    [DBF_T_INTERVAL] = {.decl = "interval"},
    [DBF_T_ENUM] = {.decl = "text", .as = DBF_T_TEXT, .why = XL_WHY_ENUM},
    [DBF_T_SET] = {.decl = "text", .as = DBF_T_TEXT, .why = XL_WHY_SET},
    [DBF_T_NATIVE] = {.decl = "text", .as = DBF_T_TEXT, .why = XL_WHY_NATIVE},
};

static int pg_map_type(xl_map *m, dbf_error *err)
{
    const xl_src *s = m->s;
    xl_col *c = m->c;
    switch (s->type) {
    case DBF_T_INT:
    case DBF_T_YEAR:
        pg_int(m);
        break;
    case DBF_T_DECIMAL:
        pg_decimal(m);
        break;
    case DBF_T_TEXT:
        if (s->length > 0 && s->length <= 10485760)
            xl_sb_printf(m->decl, "varchar(%d)", (int)s->length);
        else
            xl_sb_puts(m->decl, "text");
        c->same = false;
        break;
    case DBF_T_TIME:
        pg_time(m);
        break;
    case DBF_T_TIMESTAMPTZ:
        xl_sb_printf(m->decl, "timestamp(%d) with time zone", (int)m->fsp);
        c->same = false; /* MySQL's zero TIMESTAMP must be caught, naming the row */
        if (s->any)
            m->why = "text without a zone is taken as UTC; normalised; integers are epoch "
                     "s/ms/us (--epoch-unit)";
        break;
    case DBF_T_UUID:
        xl_sb_puts(m->decl, "uuid");
        if (s->any)
            m->why = "UUID text (36 or 32 hex digits) or 16-byte blobs; PostgreSQL prints "
                     "them lowercase with dashes";
        break;
    case DBF_T_JSON:
        xl_sb_puts(m->decl, s->jsonb ? "jsonb" : "json");
        break;
    case DBF_T_BIT: /* the PostgreSQL sink takes bit strings in their text form ('0101') */
        c->llength = s->length > 0 ? s->length : 1;
        xl_sb_printf(m->decl, s->varbit ? "bit varying(%d)" : "bit(%d)", (int)c->llength);
        c->ltype = DBF_T_NATIVE;
        c->l_bitstring = true;
        c->same = false;
        m->why = "bits as a bit string ('0101...')";
        break;
    default: /* DBF_T_ARRAY */
        if (!m->sc->native_type || !*m->sc->native_type)
            return dbf_error_set(err, DBF_EUNSUPPORTED,
                                 "table \"%s\" column \"%s\": array without a native type",
                                 m->x->src_table, m->sc->name);
        xl_sb_puts(m->decl, m->sc->native_type);
        break;
    }
    return 0;
}

static bool pg_identity(xl_build *b, const dbf_column *sc, const xl_col *c, dbf_column *tc,
                        bool in_pk, xl_sbuf *col)
{
    (void)in_pk;
    xl_sb_puts(col, tc->native_type);
    if (c->ltype != DBF_T_INT) {
        xl_note(b->x, "table \"%s\" column \"%s\": identity dropped (numeric(20,0) cannot be "
                      "an identity column)",
                b->t->name, sc->name);
        return false;
    }
    xl_sb_puts(col, " GENERATED BY DEFAULT AS IDENTITY");
    if (sc->flags & DBF_COL_NOT_NULL)
        xl_sb_puts(col, " NOT NULL");
    return true;
}

/* setval(): last used = max(loaded ids, last); none yet: the next value is 1. */
static void pg_counter(xl_sbuf *b, const char *schema, const char *table, const char *column,
                       unsigned long long last, const char *next)
{
    (void)next;
    xl_sbuf rel = {0}, mx = {0};
    if (schema) {
        xl_put_quoted(&rel, &xl_pg, schema);
        xl_sb_putc(&rel, '.');
    }
    xl_put_quoted(&rel, &xl_pg, table);
    xl_sb_puts(&mx, "GREATEST(COALESCE(MAX(");
    xl_put_quoted(&mx, &xl_pg, column);
    xl_sb_printf(&mx, "), 0), %llu)", last);
    xl_sb_puts(b, "SELECT setval(pg_get_serial_sequence(");
    xl_put_literal(b, &xl_pg, rel.p ? rel.p : "", rel.len);
    xl_sb_puts(b, ", ");
    xl_put_literal(b, &xl_pg, column, strlen(column));
    xl_sb_printf(b, "), GREATEST(%s, 1), %s > 0) FROM %s", mx.p ? mx.p : "0", mx.p ? mx.p : "0",
                 rel.p ? rel.p : "");
    xl_sb_free(&rel);
    xl_sb_free(&mx);
}

/* An unsigned 64-bit column (numeric(20,0)) referencing an id (bigint identity) must be
 * bigint too: numeric and bigint keys do not match. */
static void pg_fk_columns(xl_sbuf *b, const dbf_object *o, const dbf_table *table, char **why)
{
    for (size_t k = 0; k < o->ncolumns; k++) {
        for (size_t i = 0; i < table->ncolumns; i++) {
            const dbf_column *tc = &table->columns[i];
            if (strcmp(tc->name, o->columns[k]) != 0 ||
                !dbc_kv(tc->attrs, tc->nattrs, "xlate.from"))
                continue;
            xl_sb_puts(b, " ALTER COLUMN ");
            xl_put_quoted(b, &xl_pg, tc->name);
            xl_sb_puts(b, " TYPE bigint,");
            if (!*why)
                *why = xl_dupf("foreign key \"%s\" on \"%s\": column \"%s\" (unsigned 64-bit) "
                               "becomes bigint like the id it references; values above "
                               "9223372036854775807 fail here",
                               o->name ? o->name : "(unnamed)", o->table, tc->name);
        }
    }
}

const dbe_dialect xl_pg = {
    .id = DBE_POSTGRESQL,
    .quote = '"',
    .schemas = true,
    .text_utf8 = true,
    .text_nonul = true,
    .time_of_day = true,
    .types = pg_types,
    .dates_infinity = true,
    .decimal_inf_bare = true,
    .year_min = -4712,
    .year_max = 294276,
    .lit_true = "true",
    .lit_false = "false",
    .now_tz = "CURRENT_TIMESTAMP",
    .now_local = "LOCALTIMESTAMP",
    .today = "CURRENT_DATE",
    .curtime = "LOCALTIME",
    .uuid_fn = "gen_random_uuid()",
    .empty_tables = true,
    .add_constraints = true,
    .json_no_index = true,
    .char_length = "char_length",
    .fit = pg_fit,
    .map_type = pg_map_type,
    .identity = pg_identity,
    .counter = pg_counter,
    .fk_columns = pg_fk_columns,
    .copy_row = pg_copy_text_row,
};
