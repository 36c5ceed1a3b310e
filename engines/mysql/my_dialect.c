/*
 * my_dialect.c - MySQL (and MariaDB) as the target dialect of a cross-engine restore:
 * identifier limits, the type matrix's MySQL column, what an existing column cannot hold,
 * AUTO_INCREMENT, default expressions, counters and key column types. Rules: spec/TYPES.md,
 * "Cross-engine matrix".
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xlate_int.h"

/* Text columns are binary UTF-8, so that comparisons are exact. */
#define MY_TEXT " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

/* 64 characters of the Basic Multilingual Plane, not ending in a space. */
static int my_fit(size_t *out, const char *name, size_t n, dbf_error *err)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t i = 0, chars = 0, cut = n;
    while (i < n) {
        uint32_t cp = p[i];
        size_t k = p[i] < 0x80 ? 1 : xl_utf8_dec(p + i, n - i, &cp);
        if (cp > 0xFFFF)
            return dbf_error_set(err, DBF_EUNSUPPORTED,
                                 "identifier \"%s\" holds a character outside the Basic "
                                 "Multilingual Plane, which MySQL identifiers cannot hold",
                                 name);
        if (chars == DBE_MYSQL_MAX_IDENT_CHARS) {
            cut = i;
            break;
        }
        i += k;
        chars++;
    }
    if (name[cut - 1] == ' ')
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "identifier \"%s\" ends with a space, which MySQL refuses", name);
    *out = cut;
    return 0;
}

static void my_int(xl_map *m)
{
    const xl_src *s = m->s;
    if (s->type == DBF_T_YEAR) {
        xl_sb_puts(m->decl, "year");
        m->c->ltype = DBF_T_YEAR;
        return;
    }
    unsigned bits = s->bits;
    xl_sb_puts(m->decl, bits <= 8    ? "tinyint"
                        : bits <= 16 ? "smallint"
                        : bits <= 24 ? "mediumint"
                        : bits <= 32 ? "int"
                                     : "bigint");
    if (s->is_unsigned)
        xl_sb_puts(m->decl, " unsigned");
}

static void my_decimal(xl_map *m)
{
    int32_t p = m->s->precision, sc = m->s->scale;
    if (p >= 1 && p <= 65 && sc <= 30) {
        if (sc < 0)
            sc = 0;
        xl_sb_printf(m->decl, "decimal(%d,%d)", (int)p, (int)sc);
        m->c->lscale = sc;
        m->c->same = false;
        m->why = "NaN and infinities refused (MySQL DECIMAL has none)";
        return;
    }
    xl_map_as(m, "longtext" MY_TEXT, DBF_T_TEXT, NULL);
    snprintf(m->whybuf, sizeof m->whybuf,
             "%s: precision %s than MySQL DECIMAL(65,30) allows: exact decimal text",
             p < 1 ? "no precision" : "precision/scale", p < 1 ? "unknown rather" : "larger");
    m->why = m->whybuf;
}

/* Text and blobs: a primary key needs a length, 255 at most. */
static void my_text(xl_map *m, bool bytes)
{
    int32_t len = m->s->length;
    if (len > 0 && len <= (bytes ? 255 : 16383)) {
        xl_sb_printf(m->decl, bytes ? "varbinary(%d)" : "varchar(%d)", (int)len);
    } else if (m->in_pk) {
        xl_sb_puts(m->decl, bytes ? "varbinary(255)" : "varchar(255)");
        m->c->llength = 255;
        m->c->same = false;
        m->why = bytes ? "primary key blob as varbinary(255): longer values refused"
                       : "primary key text as varchar(255): longer values refused";
    } else {
        xl_sb_puts(m->decl, bytes ? "longblob" : "longtext");
    }
    if (!bytes) {
        xl_sb_puts(m->decl, MY_TEXT);
        m->c->same = false;
    }
}

/* ENUM and SET keep their labels; without labels they become text. */
static void my_labels(xl_map *m)
{
    const dbf_column *sc = m->sc;
    bool set = m->s->type == DBF_T_SET;
    if (sc->nlabels == 0) {
        if (set)
            xl_map_as(m, "TEXT", DBF_T_TEXT, XL_WHY_SET);
        else
            xl_map_as(m, "longtext" MY_TEXT, DBF_T_TEXT, XL_WHY_ENUM);
        return;
    }
    xl_sb_puts(m->decl, set ? "set(" : "enum(");
    for (size_t i = 0; i < sc->nlabels; i++) {
        if (i)
            xl_sb_putc(m->decl, ',');
        xl_put_literal(m->decl, &xl_mysql, sc->labels[i], strlen(sc->labels[i]));
    }
    xl_sb_printf(m->decl, ")%s", MY_TEXT);
}

#define MY_NO_NAN "NaN and infinities refused (MySQL has none; --lossy: NULL)"
#define MY_YEARS "infinity and years outside 0..9999 refused (--lossy: NULL)"
static const xl_tmap my_types[DBF_T__COUNT] = {
    [DBF_T_FLOAT32] = {.decl = "float", .convert = true, .why = MY_NO_NAN},
    [DBF_T_FLOAT64] = {.decl = "double", .convert = true, .why = MY_NO_NAN},
    [DBF_T_DATE] = {.decl = "date", .convert = true, .why = MY_YEARS},
    [DBF_T_TIME] = {.decl = "time(%d)", .convert = true,
                    .why = "times outside -838:59:59..838:59:59 refused"},
    [DBF_T_TIMETZ] = {.decl = "varchar(32)" MY_TEXT, DBF_T_TEXT,
                      .why = "time with time zone kept as text (MySQL has no such type)"},
    [DBF_T_TIMESTAMP] = {.decl = "datetime(%d)", .convert = true, .why = MY_YEARS},
    [DBF_T_INTERVAL] = {.decl = "varchar(64)" MY_TEXT, DBF_T_TEXT, .why = XL_WHY_INTERVAL},
    [DBF_T_JSON] = {.decl = "json", .convert = true,
                    .why = "MariaDB keeps JSON text as written; MySQL 8 normalises it (verify "
                           "compares text)"},
    [DBF_T_ARRAY] = {.decl = "longtext" MY_TEXT, DBF_T_TEXT, .why = XL_WHY_ARRAY},
    [DBF_T_NATIVE] = {.decl = "longtext" MY_TEXT, DBF_T_TEXT, .why = XL_WHY_NATIVE},
};

static int my_map_type(xl_map *m, dbf_error *err)
{
    (void)err;
    const xl_src *s = m->s;
    xl_col *c = m->c;
    switch (s->type) {
    case DBF_T_BOOL:
        xl_sb_puts(m->decl, "tinyint(1)");
        c->ltype = DBF_T_INT;
        c->lbits = 8;
        c->lunsigned = false;
        c->same = false;
        m->why = "booleans stored as 0/1";
        break;
    case DBF_T_INT:
    case DBF_T_YEAR:
        my_int(m);
        break;
    case DBF_T_DECIMAL:
        my_decimal(m);
        break;
    case DBF_T_TEXT:
    case DBF_T_BYTES:
        my_text(m, s->type == DBF_T_BYTES);
        break;
    case DBF_T_TIMESTAMPTZ:
        xl_sb_printf(m->decl, "datetime(%d)", (int)m->fsp);
        c->ltype = DBF_T_TIMESTAMP;
        c->l_utc_strip = true;
        c->same = false;
        m->why = "instants stored as DATETIME in UTC (the 'Z' is dropped); infinity refused "
                 "(--lossy: NULL)";
        break;
    case DBF_T_UUID:
        xl_map_as(m, "char(36) CHARACTER SET ascii COLLATE ascii_bin", DBF_T_TEXT,
                  s->any ? "UUID text validated, kept as written" : XL_WHY_UUID);
        c->llength = 36;
        c->l_uuid_keep = true;
        break;
    case DBF_T_ENUM:
    case DBF_T_SET:
        my_labels(m);
        break;
    default: /* DBF_T_BIT */
        if (s->length <= 64 && !s->varbit)
            xl_sb_printf(m->decl, "bit(%d)", (int)(s->length > 0 ? s->length : 1));
        else
            xl_map_as(m, "longblob", DBF_T_BYTES, XL_WHY_BITS);
        break;
    }
    return 0;
}

/* What a MySQL column cannot hold that its type name alone does not say: characters outside
 * its charset, more bytes than a TEXT/BLOB type stores, and (BINARY(n)) values that the
 * server would pad with zero bytes. Each is refused before writing (xlate_val.c). */
static void my_existing(const dbf_column *tc, bool textual, xl_col *c)
{
    static const struct {
        const char *name;
        int64_t max;
    } sizes[] = {{"tinytext", 255},         {"text", 65535},      {"mediumtext", 16777215},
                 {"tinyblob", 255},         {"blob", 65535},      {"mediumblob", 16777215}};
    const char *cs = tc->charset, *nt = tc->native_type ? tc->native_type : "";
    if (textual && cs) {
        if (strcasecmp(cs, "latin1") == 0)
            c->l_charset = XL_CS_LATIN1;
        else if (strcasecmp(cs, "ascii") == 0)
            c->l_charset = XL_CS_ASCII;
        else if (strcasecmp(cs, "utf8") == 0 || strcasecmp(cs, "utf8mb3") == 0)
            c->l_charset = XL_CS_UTF8MB3;
    }
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (strcasecmp(nt, sizes[i].name) == 0)
            c->l_bytes_max = sizes[i].max;
    c->l_fixed_bin = strncasecmp(nt, "binary(", 7) == 0 && c->ltype == DBF_T_BYTES &&
                     tc->length > 0;
}

/* MySQL: the first character of valid UTF-8 text p that charset cs cannot store, and the
 * bytes the text takes in cs. @return true when every character fits. */
bool xl_mysql_charset_fits(const char *p, size_t n, int cs, uint32_t *bad_cp, size_t *bytes)
{
    /* latin1 is Windows-1252 in MySQL: 0x80..0x9F hold these characters */
    static const uint16_t cp1252[] = {0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017D, 0x2018,
                                      0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
                                      0x2122, 0x0161, 0x203A, 0x0153, 0x017E, 0x0178};
    const unsigned char *s = (const unsigned char *)p;
    *bytes = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = s[i];
        size_t k = s[i] < 0x80 ? 1 : xl_utf8_dec(s + i, n - i, &cp);
        if (k == 0)
            k = 1;
        bool ok = true;
        switch (cs) {
        case XL_CS_ASCII:
            ok = cp < 0x80;
            break;
        case XL_CS_LATIN1:
            ok = cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF) || (cp >= 0x80 && cp < 0xA0 &&
                                                             (cp == 0x81 || cp == 0x8D ||
                                                              cp == 0x8F || cp == 0x90 ||
                                                              cp == 0x9D));
            for (size_t j = 0; !ok && j < sizeof cp1252 / sizeof *cp1252; j++)
                ok = cp == cp1252[j];
            break;
        case XL_CS_UTF8MB3:
            ok = cp <= 0xFFFF;
            break;
        }
        if (!ok) {
            *bad_cp = cp;
            return false;
        }
        *bytes += cs == XL_CS_ASCII || cs == XL_CS_LATIN1 ? 1 : k;
        i += k;
    }
    return true;
}

static bool my_identity(xl_build *b, const dbf_column *sc, const xl_col *c, dbf_column *tc,
                        bool in_pk, xl_sbuf *col)
{
    (void)c;
    (void)in_pk;
    xl_sb_puts(col, tc->native_type);
    if (b->auto_col) {
        xl_note(b->x, "table \"%s\" column \"%s\": AUTO_INCREMENT dropped (MySQL allows one "
                      "per table)",
                b->t->name, sc->name);
        return false;
    }
    b->auto_col = tc->name;
    xl_sb_puts(col, " NOT NULL AUTO_INCREMENT");
    return true;
}

/* Literal defaults of TEXT/BLOB/JSON columns must be expressions. */
static bool my_default_parens(const char *nt)
{
    return strstr(nt, "longtext") || strstr(nt, "longblob") || strncmp(nt, "json", 4) == 0;
}

/* InnoDB moves past explicit ids by itself: only a known archive counter is set. */
static void my_counter(xl_sbuf *b, const char *schema, const char *table, const char *column,
                       unsigned long long last, const char *next)
{
    (void)schema, (void)column, (void)last;
    if (!next)
        return;
    xl_sb_puts(b, "ALTER TABLE ");
    xl_put_quoted(b, &xl_mysql, table);
    xl_sb_printf(b, " AUTO_INCREMENT = %s", next);
}

/* A longtext column cannot take part in a key: it gets a length first. */
static void my_fk_columns(xl_sbuf *b, const dbf_object *o, const dbf_table *table, char **why)
{
    for (size_t k = 0; k < o->ncolumns; k++) {
        for (size_t i = 0; i < table->ncolumns; i++) {
            const dbf_column *tc = &table->columns[i];
            if (strcmp(tc->name, o->columns[k]) != 0 || !tc->native_type ||
                strncmp(tc->native_type, "longtext", 8) != 0)
                continue;
            xl_sb_puts(b, " MODIFY ");
            xl_put_quoted(b, &xl_mysql, tc->name);
            xl_sb_printf(b, " varchar(255)%s%s,", MY_TEXT,
                         tc->flags & DBF_COL_NOT_NULL ? " NOT NULL" : "");
            if (!*why)
                *why = xl_dupf("foreign key \"%s\" on \"%s\": column \"%s\" becomes "
                               "varchar(255) (MySQL keys cannot use longtext)",
                               o->name ? o->name : "(unnamed)", o->table, tc->name);
        }
    }
}

const dbe_dialect xl_mysql = {
    .id = DBE_MYSQL,
    .quote = '`',
    .ident_nocase = true,
    .lit_backslash = true,
    .text_utf8 = true,
    .dates_zero = true,
    .float_finite = true,
    .float_no_negzero = true,
    .decimal_finite = true,
    .year_min = 0,
    .year_max = 9999,
    .time_max_us = INT64_C(3020399999999), /* 838:59:59 */
    .text_charset = "utf8mb4",
    .text_collation = "utf8mb4_bin",
    .types = my_types,
    .lit_true = "1",
    .lit_false = "0",
    .now_tz = "CURRENT_TIMESTAMP",
    .now_local = "CURRENT_TIMESTAMP",
    .now_fsp = true,
    .now_note = "default CURRENT_TIMESTAMP is in the session time zone (restore runs with "
                "time_zone '+00:00')",
    .today = "(CURRENT_DATE)",
    .curtime = "(CURRENT_TIME)",
    .uuid_fn = "(uuid())",
    .uuid_in_text = true,
    .on_update = true,
    .comments = true,
    .table_options = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    .add_constraints = true,
    .key_prefix = true,
    .index_per_table = true,
    .json_no_index = true,
    .fk_ref_columns = true,
    .char_length = "CHAR_LENGTH",
    .fit = my_fit,
    .map_type = my_map_type,
    .existing = my_existing,
    .identity = my_identity,
    .default_parens = my_default_parens,
    .counter = my_counter,
    .fk_columns = my_fk_columns,
};
