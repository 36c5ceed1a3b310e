/*
 * xlate.c - cross-engine translation: identifiers, the type matrix, CREATE TABLE, defaults,
 * row conversion driver, objects and the --plan report. Rules: spec/TYPES.md,
 * "Cross-engine matrix". Value conversion itself is in xlate_val.c.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbc.h"
#include "xlate_int.h"

/* -------------------------------------------------------------- identifiers */

/* Fit a name to the dialect's limit. *out is malloc'd. */
static int fit_ident(char **out, dbe_id d, const char *name, bool *truncated,
                     dbf_error *err)
{
    *out = NULL;
    if (truncated)
        *truncated = false;
    if (!name || !*name)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "empty identifier");
    size_t n = strlen(name);
    size_t cut = n;
    if (d != DBE_SQLITE && !xl_utf8_valid(name, n))
        return dbf_error_set(err, DBF_EUNSUPPORTED, "identifier \"%s\" is not valid UTF-8",
                             name);
    if (d == DBE_POSTGRESQL && n > DBR_PG_MAX_IDENT_BYTES) {
        cut = DBR_PG_MAX_IDENT_BYTES;
        while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
            cut--;
    } else if (d == DBE_MYSQL) {
        const unsigned char *p = (const unsigned char *)name;
        size_t i = 0, chars = 0;
        while (i < n) {
            uint32_t cp = p[i];
            size_t k = p[i] < 0x80 ? 1 : xl_utf8_dec(p + i, n - i, &cp);
            if (cp > 0xFFFF)
                return dbf_error_set(err, DBF_EUNSUPPORTED,
                                     "identifier \"%s\" holds a character outside the Basic "
                                     "Multilingual Plane, which MySQL identifiers cannot hold",
                                     name);
            if (chars == DBR_MYSQL_MAX_IDENT_CHARS) {
                cut = i;
                break;
            }
            i += k;
            chars++;
        }
    }
    if (d == DBE_MYSQL && name[cut - 1] == ' ')
        return dbf_error_set(err, DBF_EUNSUPPORTED,
                             "identifier \"%s\" ends with a space, which MySQL refuses", name);
    char *s = malloc(cut + 1);
    if (!s)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    memcpy(s, name, cut);
    s[cut] = '\0';
    if (truncated)
        *truncated = cut != n;
    *out = s;
    return 0;
}

static void put_quoted(xl_sbuf *b, dbe_id d, const char *fitted)
{
    char q = d == DBE_MYSQL ? '`' : '"';
    xl_sb_putc(b, q);
    const char *run = fitted;
    for (const char *p = fitted; *p; p++) {
        if (*p == q) {
            xl_sb_putn(b, run, (size_t)(p - run + 1));
            xl_sb_putc(b, q);
            run = p + 1;
        }
    }
    xl_sb_puts(b, run);
    xl_sb_putc(b, q);
}

/* Fit and quote into b. */
static int put_ident(xl_sbuf *b, dbe_id d, const char *name, dbf_error *err)
{
    char *f = NULL;
    int rc = fit_ident(&f, d, name, NULL, err);
    if (rc == 0)
        put_quoted(b, d, f);
    free(f);
    return rc;
}

int dbr_xlate_quote_ident(char **out, dbe_id d, const char *name, dbf_error *err)
{
    *out = NULL;
    xl_sbuf b = {0};
    int rc = put_ident(&b, d, name, err);
    if (rc)
        goto done;
    *out = xl_sb_take(&b);
    if (!*out)
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
done:
    xl_sb_free(&b);
    return rc;
}

static bool names_equal(dbe_id d, const char *a, const char *b)
{
    if (d == DBE_POSTGRESQL)
        return strcmp(a, b) == 0;
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

int dbr_xlate_check_names(dbe_id d, const char *const *names, size_t n, const char *what,
                          dbf_error *err)
{
    char **fit = calloc(n ? n : 1, sizeof *fit);
    int rc = 0;
    if (!fit)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = fit_ident(&fit[i], d, names[i], NULL, err);
        for (size_t j = 0; j < i && rc == 0; j++) {
            if (names_equal(d, fit[i], fit[j]))
                rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                                   "%s names \"%s\" and \"%s\" collide in %s (%s)", what,
                                   names[j], names[i], dbe_title(d),
                                   strcmp(fit[i], names[i]) || strcmp(fit[j], names[j])
                                       ? "after truncation to the identifier length limit"
                                       : "names compare case-insensitively there");
        }
    }
    for (size_t i = 0; i < n; i++)
        free(fit[i]);
    free(fit);
    return rc;
}

/* SQL string literal in the target dialect. MySQL also doubles backslashes. */
static void put_literal(xl_sbuf *b, dbe_id d, const char *s, size_t n)
{
    xl_sb_putc(b, '\'');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || (d == DBE_MYSQL && s[i] == '\\')) {
            xl_sb_putn(b, s + run, i - run + 1);
            xl_sb_putc(b, s[i]);
            run = i + 1;
        }
    }
    xl_sb_putn(b, s + run, n - run);
    xl_sb_putc(b, '\'');
}

/* ---------------------------------------------------------- handle helpers */

static char *own(dbr_xlate *x, char *p)
{
    if (!p)
        return NULL;
    if (x->nowned == x->capowned) {
        size_t cap = x->capowned ? x->capowned * 2 : 32;
        char **v = realloc(x->owned, cap * sizeof *v);
        if (!v) {
            free(p);
            return NULL;
        }
        x->owned = v;
        x->capowned = cap;
    }
    x->owned[x->nowned++] = p;
    return p;
}

static char *own_dup(dbr_xlate *x, const char *s)
{
    return s ? own(x, strdup(s)) : NULL;
}

static void note(dbr_xlate *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void note(dbr_xlate *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (x->nnotes == x->capnotes) {
        size_t cap = x->capnotes ? x->capnotes * 2 : 8;
        char **v = realloc(x->notes, cap * sizeof *v);
        if (!v) {
            free(s);
            return;
        }
        x->notes = v;
        x->capnotes = cap;
    }
    x->notes[x->nnotes++] = s;
}

/* ---------------------------------------------------- SQLite type inference */

typedef struct xl_inf {
    dbf_type type;
    unsigned bits;
    int32_t length, precision, scale;
    bool untyped; /* no declared type, or one without portable meaning */
} xl_inf;

/* Infer a portable type from a SQLite declared type: SQLite's affinity rules
 * (https://sqlite.org/datatype3.html 3.1) refined by common type names. */
static void sqlite_infer(const char *decl, xl_inf *o)
{
    char u[128];
    size_t n = 0;
    for (const char *p = decl ? decl : ""; *p && n + 1 < sizeof u; p++)
        u[n++] = (char)toupper((unsigned char)*p);
    u[n] = '\0';
    long a = -1, b = -1;
    char base[128];
    snprintf(base, sizeof base, "%s", u);
    char *par = strchr(base, '(');
    if (par) {
        char *end = NULL;
        a = strtol(par + 1, &end, 10);
        if (end && *end == ',')
            b = strtol(end + 1, NULL, 10);
        if (a < 0 || a > 100000)
            a = -1;
        if (b < 0 || b > 100000)
            b = -1;
        *par = '\0';
    }
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == ' ')
        base[--bl] = '\0';
    memset(o, 0, sizeof *o);
    o->length = o->precision = o->scale = -1;
    if (strstr(u, "BOOL")) {
        o->type = DBF_T_BOOL;
    } else if (strstr(u, "TIMESTAMP") && !strstr(u, "WITHOUT TIME ZONE") &&
               (strstr(u, "WITH TIME ZONE") || strstr(u, "TIMESTAMPTZ"))) {
        o->type = DBF_T_TIMESTAMPTZ;
        o->precision = (int32_t)a;
    } else if (strstr(u, "DATETIME") || strstr(u, "TIMESTAMP")) {
        o->type = DBF_T_TIMESTAMP;
        o->precision = (int32_t)a;
    } else if (strcmp(base, "DATE") == 0) {
        o->type = DBF_T_DATE;
    } else if (strcmp(base, "TIME") == 0 || strcmp(base, "TIME WITHOUT TIME ZONE") == 0) {
        o->type = DBF_T_TIME;
        o->precision = (int32_t)a;
    } else if (strstr(u, "INT")) {
        o->type = DBF_T_INT;
        if (strstr(base, "TINYINT"))
            o->bits = 8;
        else if (strstr(base, "SMALLINT") || strcmp(base, "INT2") == 0)
            o->bits = 16;
        else if (strstr(base, "MEDIUMINT"))
            o->bits = 24;
        else
            o->bits = 64;
    } else if (strstr(u, "DECIMAL") || strstr(u, "NUMERIC") || strcmp(base, "NUMBER") == 0) {
        o->type = DBF_T_DECIMAL;
        o->precision = (int32_t)a;
        o->scale = a >= 0 ? (int32_t)(b >= 0 ? b : 0) : -1;
    } else if (strstr(u, "JSON")) {
        o->type = DBF_T_JSON;
    } else if (strstr(u, "UUID") || strstr(u, "GUID")) {
        o->type = DBF_T_UUID;
    } else if (strstr(u, "CHAR") || strstr(u, "CLOB") || strstr(u, "TEXT")) {
        o->type = DBF_T_TEXT;
        if (strstr(base, "CHAR"))
            o->length = (int32_t)a;
    } else if (strstr(u, "BLOB")) {
        o->type = DBF_T_BYTES;
    } else if (u[0] == '\0') {
        o->type = DBF_T_TEXT;
        o->untyped = true;
    } else if (strstr(u, "REAL") || strstr(u, "FLOA") || strstr(u, "DOUB")) {
        o->type = DBF_T_FLOAT64;
    } else {
        o->type = DBF_T_TEXT;
        o->untyped = true;
    }
}

/* ------------------------------------------------------------ type matrix */

/* Source type description for notes. */
static void src_desc(char *buf, size_t cap, const dbf_column *sc)
{
    if (sc->native_type && *sc->native_type)
        snprintf(buf, cap, "%s", sc->native_type);
    else if (sc->type == DBF_T_INT)
        snprintf(buf, cap, "int%u%s", sc->bits ? sc->bits : 64u, sc->is_unsigned ? " unsigned" : "");
    else
        snprintf(buf, cap, "%s", dbf_type_name(sc->type));
}

/* Effective source type and parameters (inferred for SQLite columns). */
typedef struct xl_src {
    dbf_type type;
    unsigned bits;
    bool is_unsigned;
    int32_t length, precision, scale;
    bool any;     /* values are dynamic (SQLite storage classes) */
    bool untyped; /* SQLite: no portable meaning, carried as text */
    bool jsonb;   /* PostgreSQL jsonb */
    bool varbit;  /* PostgreSQL bit varying */
} xl_src;

static void src_effective(const dbf_column *sc, xl_src *s)
{
    memset(s, 0, sizeof *s);
    if (sc->type == DBF_T_ANY) {
        xl_inf inf;
        sqlite_infer(sc->native_type, &inf);
        s->type = inf.type;
        s->bits = inf.bits;
        s->length = inf.length;
        s->precision = inf.precision;
        s->scale = inf.scale;
        s->any = true;
        s->untyped = inf.untyped;
        return;
    }
    s->type = sc->type;
    s->bits = sc->bits ? sc->bits : 64;
    s->is_unsigned = sc->is_unsigned;
    s->length = sc->length;
    s->precision = sc->precision;
    s->scale = sc->scale;
    const char *nt = sc->native_type ? sc->native_type : "";
    s->jsonb = strncmp(nt, "jsonb", 5) == 0;
    s->varbit = strncmp(nt, "bit varying", 11) == 0 || strncmp(nt, "varbit", 6) == 0;
}

static const char *mysql_text_suffix = " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";

/*
 * Choose the target type of one column: fills c (logical type and checks), tc (published
 * column type) and decl (the type text of the DDL). Adds plan notes.
 */
static int map_type(dbr_xlate *x, const char *tname, const dbf_column *sc, const xl_src *s,
                    bool in_pk, xl_col *c, dbf_column *tc, xl_sbuf *decl, dbf_error *err)
{
    dbe_id d = x->dialect;
    char sd[96];
    src_desc(sd, sizeof sd, sc);
    const char *why = NULL; /* reason for a plan note; NULL = values unchanged */
    char whybuf[200], whybuf2[300];
    c->ltype = s->type;
    c->lbits = s->bits;
    c->lunsigned = s->is_unsigned;
    c->llength = s->length;
    c->lprecision = s->precision;
    c->lscale = s->scale;
    c->any_out = d == DBE_SQLITE;
    c->l_utf8 = d != DBE_SQLITE;
    c->l_nonul = d == DBE_POSTGRESQL;
    c->same = !s->any && d != DBE_SQLITE;
    int32_t fsp = s->precision >= 0 && s->precision <= 6 ? s->precision : 6;

    switch (s->type) {
    case DBF_T_BOOL:
        if (d == DBE_POSTGRESQL) {
            xl_sb_puts(decl, "boolean");
        } else if (d == DBE_MYSQL) {
            xl_sb_puts(decl, "tinyint(1)");
            c->ltype = DBF_T_INT;
            c->lbits = 8;
            c->lunsigned = false;
            c->same = false;
            why = "booleans stored as 0/1";
        } else {
            xl_sb_puts(decl, "BOOLEAN");
            why = s->any ? NULL : "booleans stored as integers 0/1";
        }
        if (s->any)
            why = "0/1 and 'true'/'false'/'t'/'f' text accepted, other values refused";
        break;
    case DBF_T_INT:
    case DBF_T_YEAR: {
        unsigned bits = s->type == DBF_T_YEAR ? 16 : s->bits;
        bool uns = s->type == DBF_T_YEAR ? false : s->is_unsigned;
        if (d == DBE_POSTGRESQL) {
            unsigned need = uns ? bits + 1 : bits;
            bool ident = sc->flags & (DBF_COL_IDENTITY | DBF_COL_IDENTITY_ALWAYS);
            if (uns && bits >= 64 && ident) {
                /* ids (Laravel's id(), ...): an identity needs an integer type */
                xl_sb_puts(decl, "bigint");
                c->ltype = DBF_T_INT;
                c->lbits = 64;
                c->lunsigned = false;
                c->same = false;
                why = "unsigned 64-bit identity as a bigint identity: ids above "
                      "9223372036854775807 refused";
            } else if (uns && bits >= 64) {
                static const dbf_kv from_uint64[1] = {{"xlate.from", "uint64"}};
                xl_sb_puts(decl, "numeric(20,0)");
                c->ltype = DBF_T_DECIMAL;
                c->lprecision = 20;
                c->lscale = 0;
                c->same = false;
                tc->attrs = from_uint64; /* a foreign key may turn it into bigint */
                tc->nattrs = 1;
                why = "unsigned 64-bit integers as exact numeric text (values unchanged)";
            } else {
                unsigned b = need <= 16 ? 16 : need <= 32 ? 32 : 64;
                xl_sb_puts(decl, b == 16 ? "smallint" : b == 32 ? "integer" : "bigint");
                c->ltype = DBF_T_INT;
                c->lbits = b;
                c->lunsigned = false;
                if (s->type == DBF_T_YEAR) {
                    c->same = false;
                    why = "year stored as smallint";
                }
            }
        } else if (d == DBE_MYSQL) {
            if (s->type == DBF_T_YEAR) {
                xl_sb_puts(decl, "year");
                c->ltype = DBF_T_YEAR;
            } else {
                xl_sb_puts(decl, bits <= 8    ? "tinyint"
                                 : bits <= 16 ? "smallint"
                                 : bits <= 24 ? "mediumint"
                                 : bits <= 32 ? "int"
                                              : "bigint");
                if (uns)
                    xl_sb_puts(decl, " unsigned");
            }
        } else {
            xl_sb_puts(decl, "INTEGER");
            if (uns && bits >= 64)
                why = "values above 9223372036854775807 are refused (SQLite integers are "
                      "signed 64-bit)";
        }
        if (s->any && (s->bits < 64))
            why = "integer values outside the declared type's range are refused";
        if (d != DBE_MYSQL && sc->native_type &&
            strncasecmp(sc->native_type, "tinyint(1)", 10) == 0 && !s->any)
            why = "MySQL tinyint(1) (often a boolean) kept as an integer: values unchanged";
        break;
    }
    case DBF_T_FLOAT32:
    case DBF_T_FLOAT64:
        if (d == DBE_POSTGRESQL) {
            xl_sb_puts(decl, s->type == DBF_T_FLOAT32 ? "real" : "double precision");
        } else if (d == DBE_MYSQL) {
            xl_sb_puts(decl, s->type == DBF_T_FLOAT32 ? "float" : "double");
            c->same = false;
            why = "NaN and infinities refused (MySQL has none; --lossy: NULL)";
        } else {
            xl_sb_puts(decl, "REAL");
            c->ltype = DBF_T_FLOAT64;
            why = "NaN refused (SQLite stores it as NULL), -0.0 refused (stored as 0.0); "
                  "--lossy: NULL and 0.0";
        }
        if (s->any)
            why = "integers converted to REAL when exact, text refused";
        break;
    case DBF_T_DECIMAL: {
        int32_t p = s->precision, sc_ = s->scale;
        if (d == DBE_POSTGRESQL) {
            if (p >= 1 && p <= 1000) {
                if (sc_ < 0)
                    sc_ = 0;
                xl_sb_printf(decl, "numeric(%d,%d)", (int)p, (int)sc_);
                c->lscale = sc_;
            } else {
                xl_sb_puts(decl, "numeric");
                c->lprecision = c->lscale = -1;
                if (p > 1000)
                    why = "precision over 1000: unconstrained numeric (values unchanged)";
            }
        } else if (d == DBE_MYSQL) {
            if (p >= 1 && p <= 65 && sc_ <= 30) {
                if (sc_ < 0)
                    sc_ = 0;
                xl_sb_printf(decl, "decimal(%d,%d)", (int)p, (int)sc_);
                c->lscale = sc_;
                c->same = false;
                why = "NaN and infinities refused (MySQL DECIMAL has none)";
            } else {
                xl_sb_printf(decl, "longtext%s", mysql_text_suffix);
                c->ltype = DBF_T_TEXT;
                c->llength = -1;
                c->same = false;
                snprintf(whybuf, sizeof whybuf,
                         "%s: precision %s than MySQL DECIMAL(65,30) allows: exact decimal "
                         "text",
                         p < 1 ? "no precision" : "precision/scale", p < 1 ? "unknown rather" : "larger");
                why = whybuf;
            }
        } else {
            xl_sb_puts(decl, "TEXT");
            why = "decimals kept as exact text (a NUMERIC column would round them to REAL)";
        }
        if (s->any)
            why = d == DBE_SQLITE ? why
                                          : "integers, reals (shortest round-trip text) and "
                                            "numeric text converted; other text refused";
        if (s->any && c->lscale >= 0 && c->lprecision >= 0 && c->ltype == DBF_T_DECIMAL) {
            snprintf(whybuf2, sizeof whybuf2, "%s%svalues padded to scale %d, more fraction "
                     "digits refused (--lossy: rounded)", why ? why : "", why ? "; " : "",
                     (int)c->lscale);
            why = whybuf2;
        }
        break;
    }
    case DBF_T_TEXT: {
        int32_t len = s->length;
        bool key_fallback = false;
        if (d == DBE_POSTGRESQL) {
            if (len > 0 && len <= 10485760)
                xl_sb_printf(decl, "varchar(%d)", (int)len);
            else
                xl_sb_puts(decl, "text");
        } else if (d == DBE_MYSQL) {
            if (len > 0 && len <= 16383) {
                xl_sb_printf(decl, "varchar(%d)", (int)len);
            } else if (in_pk) {
                xl_sb_puts(decl, "varchar(255)");
                c->llength = 255;
                key_fallback = true;
            } else {
                xl_sb_puts(decl, "longtext");
            }
            xl_sb_puts(decl, mysql_text_suffix);
            why = key_fallback ? "primary key text as varchar(255): longer values refused"
                               : NULL;
        } else {
            if (len > 0)
                xl_sb_printf(decl, "VARCHAR(%d)", (int)len);
            else
                xl_sb_puts(decl, "TEXT");
        }
        c->same = false;
        if (d == DBE_SQLITE)
            why = NULL;
        if (s->untyped) {
            snprintf(whybuf, sizeof whybuf,
                     "declared type \"%s\" has no portable meaning: values as text (integers "
                     "and reals as decimal text, blobs refused)",
                     sc->native_type ? sc->native_type : "");
            why = whybuf;
        } else if (s->any && d != DBE_SQLITE) {
            /* TEXT affinity already turned numbers into text; blobs are refused per value */
            why = NULL;
        }
        break;
    }
    case DBF_T_BYTES:
        if (d == DBE_POSTGRESQL) {
            xl_sb_puts(decl, "bytea");
        } else if (d == DBE_MYSQL) {
            if (s->length > 0 && s->length <= 255) {
                xl_sb_printf(decl, "varbinary(%d)", (int)s->length);
            } else if (in_pk) {
                xl_sb_puts(decl, "varbinary(255)");
                c->llength = 255;
                c->same = false;
                why = "primary key blob as varbinary(255): longer values refused";
            } else {
                xl_sb_puts(decl, "longblob");
            }
        } else {
            xl_sb_puts(decl, "BLOB");
        }
        c->l_utf8 = c->l_nonul = false;
        if (s->any && d != DBE_SQLITE)
            why = "text values carried as their bytes, numbers refused";
        break;
    case DBF_T_DATE:
        xl_sb_puts(decl, d == DBE_SQLITE ? "DATE" : "date");
        c->same = false;
        if (d == DBE_POSTGRESQL)
            why = "zero dates refused (--lossy: NULL)";
        else if (d == DBE_MYSQL)
            why = "infinity and years outside 0..9999 refused (--lossy: NULL)";
        else
            why = NULL;
        if (s->any)
            why = "text validated and normalised to YYYY-MM-DD; numbers refused";
        break;
    case DBF_T_TIME:
        if (d == DBE_POSTGRESQL) {
            if (x->src_engine && strcmp(x->src_engine, "mysql") == 0) {
                xl_sb_puts(decl, "interval");
                c->ltype = DBF_T_INTERVAL;
                c->same = false;
                why = "MySQL TIME is a duration (-838:59:59..838:59:59): PostgreSQL interval";
            } else {
                xl_sb_printf(decl, "time(%d) without time zone", (int)fsp);
                c->l_time_of_day = true;
                c->same = false;
                why = "times outside 00:00:00..24:00:00 refused";
            }
        } else if (d == DBE_MYSQL) {
            xl_sb_printf(decl, "time(%d)", (int)fsp);
            c->same = false;
            why = "times outside -838:59:59..838:59:59 refused";
        } else {
            xl_sb_puts(decl, "TIME");
        }
        if (s->any)
            why = "text validated and normalised to HH:MM:SS[.ffffff]; numbers refused";
        break;
    case DBF_T_TIMETZ:
        if (d == DBE_POSTGRESQL) {
            xl_sb_printf(decl, "time(%d) with time zone", (int)fsp);
        } else if (d == DBE_MYSQL) {
            xl_sb_printf(decl, "varchar(32)%s", mysql_text_suffix);
            c->ltype = DBF_T_TEXT;
            c->llength = -1;
            c->same = false;
            why = "time with time zone kept as text (MySQL has no such type)";
        } else {
            xl_sb_puts(decl, "TEXT");
            c->ltype = DBF_T_TEXT;
            c->llength = -1;
            why = "time with time zone kept as text";
        }
        break;
    case DBF_T_TIMESTAMP:
        if (d == DBE_POSTGRESQL) {
            xl_sb_printf(decl, "timestamp(%d) without time zone", (int)fsp);
            c->same = false;
            why = "zero dates refused (--lossy: NULL)";
        } else if (d == DBE_MYSQL) {
            xl_sb_printf(decl, "datetime(%d)", (int)fsp);
            c->same = false;
            why = "infinity and years outside 0..9999 refused (--lossy: NULL)";
        } else {
            xl_sb_puts(decl, "DATETIME");
        }
        c->lprecision = fsp;
        if (s->any)
            why = "text validated and normalised to YYYY-MM-DD HH:MM:SS[.ffffff]; a zone offset "
                  "is converted to UTC (as SQLite's datetime() does); integers are epoch "
                  "s/ms/us (--epoch-unit)";
        break;
    case DBF_T_TIMESTAMPTZ:
        if (d == DBE_POSTGRESQL) {
            xl_sb_printf(decl, "timestamp(%d) with time zone", (int)fsp);
            c->same = false; /* MySQL's zero TIMESTAMP must be caught, naming the row */
            if (s->any)
                why = "text without a zone is taken as UTC; normalised; integers are epoch "
                      "s/ms/us (--epoch-unit)";
        } else if (d == DBE_MYSQL) {
            xl_sb_printf(decl, "datetime(%d)", (int)fsp);
            c->ltype = DBF_T_TIMESTAMP;
            c->l_utc_strip = true;
            c->same = false;
            why = "instants stored as DATETIME in UTC (the 'Z' is dropped); infinity refused "
                  "(--lossy: NULL)";
        } else {
            xl_sb_puts(decl, "TIMESTAMPTZ");
            why = s->any ? NULL : NULL;
        }
        c->lprecision = fsp;
        break;
    case DBF_T_INTERVAL:
        if (d == DBE_POSTGRESQL) {
            xl_sb_puts(decl, "interval");
        } else {
            xl_sb_printf(decl, d == DBE_MYSQL ? "varchar(64)%s" : "TEXT",
                         mysql_text_suffix);
            c->ltype = DBF_T_TEXT;
            c->llength = -1;
            c->same = false;
            why = "intervals as ISO 8601 duration text (P1Y2M3DT4H5M6.5S)";
        }
        break;
    case DBF_T_UUID:
        if (d == DBE_POSTGRESQL) {
            xl_sb_puts(decl, "uuid");
            if (s->any)
                why = "UUID text (36 or 32 hex digits) or 16-byte blobs; PostgreSQL prints "
                      "them lowercase with dashes";
        } else if (d == DBE_MYSQL) {
            xl_sb_puts(decl, "char(36) CHARACTER SET ascii COLLATE ascii_bin");
            c->ltype = DBF_T_TEXT;
            c->llength = 36;
            c->l_uuid_keep = true;
            c->same = false;
            why = s->any ? "UUID text validated, kept as written"
                         : "UUIDs as 36-character lowercase text";
        } else {
            xl_sb_puts(decl, "UUID");
            c->ltype = DBF_T_TEXT;
            c->llength = -1;
            c->l_uuid_keep = true;
            why = "UUIDs as 36-character lowercase text";
        }
        c->l_utf8 = c->l_nonul = false;
        break;
    case DBF_T_JSON:
        if (d == DBE_POSTGRESQL) {
            xl_sb_puts(decl, s->jsonb ? "jsonb" : "json");
        } else if (d == DBE_MYSQL) {
            xl_sb_puts(decl, "json");
            c->same = false;
            why = "MariaDB keeps JSON text as written; MySQL 8 normalises it (verify compares "
                  "text)";
        } else {
            xl_sb_puts(decl, "TEXT");
            why = NULL;
        }
        if (s->any)
            why = "text validated as JSON, numbers as JSON numbers, blobs refused";
        break;
    case DBF_T_ENUM: {
        if (d == DBE_MYSQL && sc->nlabels > 0) {
            xl_sb_puts(decl, "enum(");
            for (size_t i = 0; i < sc->nlabels; i++) {
                if (i)
                    xl_sb_putc(decl, ',');
                put_literal(decl, d, sc->labels[i], strlen(sc->labels[i]));
            }
            xl_sb_printf(decl, ")%s", mysql_text_suffix);
        } else {
            xl_sb_puts(decl, d == DBE_POSTGRESQL ? "text" : d == DBE_MYSQL ? "longtext"
                                                                                  : "TEXT");
            if (d == DBE_MYSQL)
                xl_sb_puts(decl, mysql_text_suffix);
            c->ltype = DBF_T_TEXT;
            c->llength = -1;
            why = "enum as text with a CHECK on its labels";
        }
        c->l_labels = sc->nlabels > 0;
        c->same = false;
        break;
    }
    case DBF_T_SET:
        if (d == DBE_MYSQL && sc->nlabels > 0) {
            xl_sb_puts(decl, "set(");
            for (size_t i = 0; i < sc->nlabels; i++) {
                if (i)
                    xl_sb_putc(decl, ',');
                put_literal(decl, d, sc->labels[i], strlen(sc->labels[i]));
            }
            xl_sb_printf(decl, ")%s", mysql_text_suffix);
        } else {
            xl_sb_puts(decl, d == DBE_POSTGRESQL ? "text" : "TEXT");
            c->ltype = DBF_T_TEXT;
            c->llength = -1;
            c->same = false;
            why = "set as comma-separated text";
        }
        break;
    case DBF_T_BIT: {
        int32_t n = s->length > 0 ? s->length : 1;
        if (d == DBE_POSTGRESQL) {
            /* the PostgreSQL sink takes bit strings in their text form ('0101') */
            xl_sb_printf(decl, s->varbit ? "bit varying(%d)" : "bit(%d)", (int)n);
            c->ltype = DBF_T_NATIVE;
            c->l_bitstring = true;
            c->llength = n;
            c->same = false;
            why = "bits as a bit string ('0101...')";
        } else if (d == DBE_MYSQL && n <= 64 && !s->varbit) {
            xl_sb_printf(decl, "bit(%d)", (int)n);
        } else {
            xl_sb_puts(decl, d == DBE_MYSQL ? "longblob" : "BLOB");
            c->ltype = DBF_T_BYTES;
            c->llength = -1;
            c->same = false;
            why = "bit strings as big-endian bytes";
        }
        c->l_utf8 = c->l_nonul = false;
        break;
    }
    case DBF_T_ARRAY:
        if (d == DBE_POSTGRESQL) {
            if (sc->native_type && *sc->native_type) {
                xl_sb_puts(decl, sc->native_type);
            } else {
                return dbf_error_set(err, DBF_EUNSUPPORTED,
                                     "table \"%s\" column \"%s\": array without a native type",
                                     tname, sc->name);
            }
        } else {
            xl_sb_puts(decl, d == DBE_MYSQL ? "longtext" : "TEXT");
            if (d == DBE_MYSQL)
                xl_sb_puts(decl, mysql_text_suffix);
            c->ltype = DBF_T_TEXT;
            c->llength = -1;
            c->same = false;
            why = "arrays as JSON text (nested by dimension; lower bounds other than 1 "
                  "refused, --lossy: dropped)";
        }
        break;
    case DBF_T_NATIVE:
    case DBF_T_ANY:
    default:
        xl_sb_puts(decl, d == DBE_POSTGRESQL ? "text" : d == DBE_MYSQL ? "longtext"
                                                                              : "TEXT");
        if (d == DBE_MYSQL)
            xl_sb_puts(decl, mysql_text_suffix);
        c->ltype = DBF_T_TEXT;
        c->llength = -1;
        c->same = false;
        why = "engine-specific type kept as its text form";
        break;
    }
    /* the published column type */
    tc->type = c->any_out ? DBF_T_ANY : c->ltype;
    tc->bits = c->ltype == DBF_T_INT ? c->lbits : 0;
    tc->is_unsigned = c->ltype == DBF_T_INT && c->lunsigned;
    tc->length = c->llength;
    tc->precision = c->lprecision;
    tc->scale = c->lscale;
    tc->elem_type = c->ltype == DBF_T_ARRAY ? sc->elem_type : DBF_T_ANY;
    if (c->ltype == DBF_T_NATIVE)
        tc->length = -1;
    if (c->ltype == DBF_T_ENUM || c->ltype == DBF_T_SET) {
        tc->labels = sc->labels;
        tc->nlabels = sc->nlabels;
    }
    if (d == DBE_MYSQL && (c->ltype == DBF_T_TEXT || c->ltype == DBF_T_ENUM ||
                                   c->ltype == DBF_T_SET) && !c->l_uuid_keep) {
        tc->charset = "utf8mb4";
        tc->collation = "utf8mb4_bin";
    }
    if (c->ltype == DBF_T_TEXT || c->ltype == DBF_T_JSON || c->ltype == DBF_T_ENUM ||
        c->ltype == DBF_T_SET) {
        /* text checks apply */
    } else {
        c->l_utf8 = c->l_nonul = false;
    }
    if (c->same && (c->l_utf8 || c->l_nonul || c->l_labels))
        c->same = false;
    if (why)
        note(x, "table \"%s\" column \"%s\": %s -> %s: %s", tname, sc->name, sd, decl->p, why);
    return 0;
}

/* ---------------------------------------------------------------- defaults */

enum { D_NONE, D_NULL, D_NUM, D_STR, D_BOOL, D_NOW, D_TODAY, D_CURTIME, D_UUID, D_NEXTVAL,
       D_OTHER };

/* Strip whitespace and balanced outer parentheses; malloc'd. */
static char *trim_expr(const char *s)
{
    size_t b = 0, e = strlen(s);
    for (;;) {
        while (b < e && isspace((unsigned char)s[b]))
            b++;
        while (e > b && isspace((unsigned char)s[e - 1]))
            e--;
        if (e - b >= 2 && s[b] == '(' && s[e - 1] == ')') {
            int depth = 0;
            bool ok = true;
            bool inq = false;
            for (size_t i = b; i < e; i++) {
                if (s[i] == '\'')
                    inq = !inq;
                if (inq)
                    continue;
                if (s[i] == '(')
                    depth++;
                else if (s[i] == ')' && --depth == 0 && i != e - 1)
                    ok = false;
            }
            if (ok) {
                b++;
                e--;
                continue;
            }
        }
        break;
    }
    char *r = malloc(e - b + 1);
    if (r) {
        memcpy(r, s + b, e - b);
        r[e - b] = '\0';
    }
    return r;
}

/* Drop trailing PostgreSQL casts: "'x'::character varying" -> "'x'". */
static void strip_casts(char *s)
{
    for (;;) {
        size_t n = strlen(s);
        bool inq = false;
        char *last = NULL;
        for (size_t i = 0; i + 1 < n; i++) {
            if (s[i] == '\'')
                inq = !inq;
            if (!inq && s[i] == ':' && s[i + 1] == ':')
                last = s + i;
        }
        if (!last)
            return;
        /* everything after :: must be a type name */
        for (const char *p = last + 2; *p; p++)
            if (!(isalnum((unsigned char)*p) || strchr(" _[](),\"", *p)))
                return;
        *last = '\0';
        size_t k = strlen(s);
        while (k && isspace((unsigned char)s[k - 1]))
            s[--k] = '\0';
        if (k >= 2 && s[0] == '(' && s[k - 1] == ')') {
            memmove(s, s + 1, k - 2);
            s[k - 2] = '\0';
        }
    }
}

/* Parse a whole-string SQL string literal. */
static bool parse_string_lit(const char *s, bool backslash, xl_sbuf *out)
{
    size_t i = 0;
    if (s[0] == '_') { /* MySQL charset introducer _utf8mb4'...' */
        while (s[i] && s[i] != '\'')
            i++;
    }
    if (s[i] == 'E' || s[i] == 'e') {
        if (s[i + 1] != '\'')
            return false;
        backslash = true;
        i++;
    }
    if (s[i] != '\'')
        return false;
    i++;
    for (;;) {
        char ch = s[i];
        if (!ch)
            return false;
        if (ch == '\'') {
            if (s[i + 1] == '\'') {
                xl_sb_putc(out, '\'');
                i += 2;
                continue;
            }
            i++;
            break;
        }
        if (backslash && ch == '\\' && s[i + 1]) {
            char e = s[i + 1];
            char r = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == '0' ? '\0' : e;
            xl_sb_putc(out, r);
            i += 2;
            continue;
        }
        xl_sb_putc(out, ch);
        i++;
    }
    return s[i] == '\0';
}

static bool is_number_lit(const char *s)
{
    xl_dec d;
    size_t n = strlen(s);
    if (!n || strchr(s, 'n') || strchr(s, 'N') || strchr(s, 'i') || strchr(s, 'I'))
        return false;
    if (!xl_dec_parse(&d, s, n))
        return false;
    xl_dec_free(&d);
    return true;
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static int classify_default(const char *expr, bool mysql_src, xl_sbuf *lit)
{
    int kind = D_OTHER;
    char *t = trim_expr(expr);
    char *z = NULL;
    if (!t)
        return D_OTHER;
    strip_casts(t);
    char *t2 = trim_expr(t);
    free(t);
    t = t2;
    if (!t)
        return D_OTHER;
    /* squeezed lowercase form for keyword/function matching */
    z = malloc(strlen(t) + 1);
    if (!z)
        goto done;
    size_t k = 0;
    bool inq = false;
    for (const char *p = t; *p; p++) {
        if (*p == '\'')
            inq = !inq;
        if (!inq && isspace((unsigned char)*p))
            continue;
        z[k++] = inq ? *p : (char)tolower((unsigned char)*p);
    }
    z[k] = '\0';
    static const char *const now_list[] = {
        "now()", "current_timestamp", "current_timestamp()", "localtimestamp",
        "localtimestamp()", "statement_timestamp()", "transaction_timestamp()",
        "datetime('now')", "datetime('now','utc')", "utc_timestamp()", "utc_timestamp",
        "(now()attimezone'utc')", "now()attimezone'utc'", "timezone('utc',now())",
        "current_timestamp()attimezone'utc'", "strftime('%y-%m-%d%h:%m:%s','now')",
        "strftime('%y-%m-%dt%h:%m:%fz','now')", "strftime('%y-%m-%d%h:%m:%f','now')",
        "sysdate()", NULL};
    static const char *const today_list[] = {"current_date", "current_date()", "curdate()",
                                             "date('now')", NULL};
    static const char *const time_list[] = {"current_time", "current_time()", "curtime()",
                                            "time('now')", "localtime", NULL};
    static const char *const uuid_list[] = {"gen_random_uuid()", "uuid_generate_v4()", "uuid()",
                                            "uuid_generate_v1()", "uuid_generate_v7()",
                                            "uuidv7()", "uuidv4()", NULL};
    if (strcmp(z, "null") == 0) {
        kind = D_NULL;
    } else if (strcmp(z, "true") == 0 || strcmp(z, "false") == 0) {
        kind = D_BOOL;
        xl_sb_puts(lit, z[0] == 't' ? "1" : "0");
    } else if (is_number_lit(t)) {
        kind = D_NUM;
        xl_sb_puts(lit, t[0] == '+' ? t + 1 : t);
    } else if (parse_string_lit(t, mysql_src, lit)) {
        kind = D_STR;
    } else if (in_list(z, now_list) || (strncmp(z, "current_timestamp(", 18) == 0) ||
               strncmp(z, "localtimestamp(", 15) == 0 || strncmp(z, "now(", 4) == 0) {
        kind = D_NOW;
    } else if (in_list(z, today_list)) {
        kind = D_TODAY;
    } else if (in_list(z, time_list) || strncmp(z, "current_time(", 13) == 0 ||
               strncmp(z, "localtime(", 10) == 0) {
        kind = D_CURTIME;
    } else if (in_list(z, uuid_list)) {
        kind = D_UUID;
    } else if (strncmp(z, "nextval(", 8) == 0) {
        kind = D_NEXTVAL;
    }
done:
    free(t);
    free(z);
    return kind;
}

static bool boolish(const xl_col *c)
{
    return c->stype == DBF_T_BOOL || c->sinfer == DBF_T_BOOL;
}

static bool numeric_ltype(dbf_type t)
{
    return t == DBF_T_INT || t == DBF_T_FLOAT32 || t == DBF_T_FLOAT64 || t == DBF_T_DECIMAL ||
           t == DBF_T_YEAR;
}

/* Is the literal text a valid value of the logical type? (dates, uuids, json) */
static bool literal_fits(const xl_col *c, dbe_id d, const char *s, size_t n)
{
    xl_dt dt;
    uint8_t u[16];
    int64_t us;
    switch (c->ltype) {
    case DBF_T_DATE:
    case DBF_T_TIMESTAMP:
    case DBF_T_TIMESTAMPTZ:
        if (!xl_dt_parse(&dt, s, n) || (!dt.has_date && !dt.special))
            return false;
        if (dt.special)
            return d == DBE_POSTGRESQL;
        return xl_dt_valid_date(&dt) || (dt.zero && d != DBE_POSTGRESQL);
    case DBF_T_TIME:
        return xl_time_parse(s, n, &us, NULL);
    case DBF_T_UUID:
        return xl_uuid_parse(s, n, u);
    case DBF_T_JSON:
        return xl_json_valid(s, n);
    case DBF_T_BYTES:
    case DBF_T_BIT:
    case DBF_T_ARRAY:
    case DBF_T_INTERVAL:
        return false;
    default:
        return true;
    }
}

/*
 * Translate a column default into clause (" DEFAULT ..."). *nextval set for a sequence
 * default (the column becomes an identity column instead).
 */
static void xl_default(dbr_xlate *x, const char *tname, const dbf_column *sc, const xl_col *c,
                       bool mysql_long, xl_sbuf *clause, bool *nextval, char **tdefault)
{
    dbe_id d = x->dialect;
    xl_sbuf lit = {0}, out = {0};
    bool mysql_src = x->src_engine && strcmp(x->src_engine, "mysql") == 0;
    int kind = classify_default(sc->default_expr, mysql_src, &lit);
    const char *drop = NULL;
    bool tz = c->ltype == DBF_T_TIMESTAMPTZ || c->l_utc_strip;
    switch (kind) {
    case D_NULL:
        break;
    case D_BOOL:
        if (boolish(c) || c->ltype == DBF_T_BOOL) {
            if (d == DBE_POSTGRESQL)
                xl_sb_puts(&out, lit.p[0] == '1' ? "true" : "false");
            else
                xl_sb_puts(&out, lit.p);
        } else if (numeric_ltype(c->ltype)) {
            xl_sb_puts(&out, lit.p);
        } else {
            drop = "a boolean default on a non-boolean column";
        }
        break;
    case D_NUM:
        if (boolish(c) && (strcmp(lit.p, "0") == 0 || strcmp(lit.p, "1") == 0)) {
            if (d == DBE_POSTGRESQL)
                xl_sb_puts(&out, lit.p[0] == '1' ? "true" : "false");
            else
                xl_sb_puts(&out, lit.p);
        } else if (boolish(c)) {
            drop = "a numeric default other than 0/1 on a boolean column";
        } else if (numeric_ltype(c->ltype) && !(c->any_out && c->ltype == DBF_T_DECIMAL)) {
            xl_sb_puts(&out, lit.p);
        } else if (c->ltype == DBF_T_TEXT || c->ltype == DBF_T_JSON || c->ltype == DBF_T_ENUM ||
                   c->ltype == DBF_T_DECIMAL) {
            put_literal(&out, d, lit.p, lit.len);
        } else {
            drop = "a numeric default on a column of another type";
        }
        break;
    case D_STR: {
        const char *s = lit.p ? lit.p : "";
        if (boolish(c)) {
            static const char *const t[] = {"t", "true", "1", "y", "yes", "on", NULL};
            static const char *const f[] = {"f", "false", "0", "n", "no", "off", NULL};
            char low[8] = {0};
            for (size_t i = 0; i < lit.len && i < 7; i++)
                low[i] = (char)tolower((unsigned char)s[i]);
            int v = lit.len < 7 ? (in_list(low, t) ? 1 : in_list(low, f) ? 0 : -1) : -1;
            if (v < 0)
                drop = "a text default that is not a boolean";
            else if (d == DBE_POSTGRESQL)
                xl_sb_puts(&out, v ? "true" : "false");
            else
                xl_sb_puts(&out, v ? "1" : "0");
        } else if (numeric_ltype(c->ltype)) {
            if (is_number_lit(s) && c->any_out && c->ltype == DBF_T_DECIMAL)
                put_literal(&out, d, s, lit.len);
            else if (is_number_lit(s))
                xl_sb_puts(&out, s);
            else
                drop = "a text default on a numeric column";
        } else if (!literal_fits(c, d, s, lit.len)) {
            drop = "a literal that is not a valid value of the target type";
        } else if (c->ltype == DBF_T_UUID || (c->ltype == DBF_T_TEXT && c->l_uuid_keep)) {
            put_literal(&out, d, s, lit.len);
        } else {
            put_literal(&out, d, s, lit.len);
        }
        break;
    }
    case D_NOW:
        if (c->ltype == DBF_T_TIMESTAMP || c->ltype == DBF_T_TIMESTAMPTZ) {
            if (d == DBE_POSTGRESQL)
                xl_sb_puts(&out, c->ltype == DBF_T_TIMESTAMPTZ ? "CURRENT_TIMESTAMP"
                                                               : "LOCALTIMESTAMP");
            else if (d == DBE_MYSQL && c->lprecision > 0)
                xl_sb_printf(&out, "CURRENT_TIMESTAMP(%d)", (int)c->lprecision);
            else
                xl_sb_puts(&out, "CURRENT_TIMESTAMP");
            if (tz && d == DBE_MYSQL)
                note(x, "table \"%s\" column \"%s\": default CURRENT_TIMESTAMP is in the "
                        "session time zone (restore runs with time_zone '+00:00')",
                     tname, sc->name);
            if (tz && d == DBE_SQLITE)
                note(x, "table \"%s\" column \"%s\": default CURRENT_TIMESTAMP writes UTC "
                        "without the trailing 'Z'",
                     tname, sc->name);
        } else if (c->ltype == DBF_T_DATE) {
            xl_sb_puts(&out, d == DBE_MYSQL ? "(CURRENT_DATE)" : "CURRENT_DATE");
        } else {
            drop = "a current-time default on a column that does not hold timestamps";
        }
        break;
    case D_TODAY:
        if (c->ltype == DBF_T_DATE)
            xl_sb_puts(&out, d == DBE_MYSQL ? "(CURRENT_DATE)" : "CURRENT_DATE");
        else
            drop = "a current-date default on a column that is not a date";
        break;
    case D_CURTIME:
        if (c->ltype == DBF_T_TIME)
            xl_sb_puts(&out, d == DBE_POSTGRESQL      ? "LOCALTIME"
                             : d == DBE_MYSQL ? "(CURRENT_TIME)"
                                                      : "CURRENT_TIME");
        else
            drop = "a current-time default on a column that is not a time";
        break;
    case D_UUID:
        if (d == DBE_POSTGRESQL && c->ltype == DBF_T_UUID)
            xl_sb_puts(&out, "gen_random_uuid()");
        else if (d == DBE_MYSQL && (c->ltype == DBF_T_TEXT || c->ltype == DBF_T_UUID))
            xl_sb_puts(&out, "(uuid())");
        else
            drop = d == DBE_SQLITE ? "SQLite has no UUID function"
                                           : "a UUID default on a column that is not a UUID";
        break;
    case D_NEXTVAL:
        *nextval = true;
        break;
    default:
        drop = "no equivalent in the target dialect";
        break;
    }
    if (drop) {
        note(x, "table \"%s\" column \"%s\": default %s dropped: %s", tname, sc->name,
             sc->default_expr, drop);
    } else if (out.len) {
        /* MySQL: literals on TEXT/BLOB/JSON columns must be expressions */
        xl_sbuf fin = {0};
        bool wrap = mysql_long && out.p[0] != '(';
        xl_sb_printf(&fin, wrap ? "(%s)" : "%s", out.p);
        xl_sb_printf(clause, " DEFAULT %s", fin.p ? fin.p : "");
        *tdefault = xl_sb_take(&fin);
    }
    xl_sb_free(&lit);
    xl_sb_free(&out);
}

/* ------------------------------------------------------------------ tables */


static bool pk_has(const dbf_table *t, const char *name)
{
    for (size_t i = 0; i < t->nprimary_key; i++)
        if (t->primary_key[i] && strcmp(t->primary_key[i], name) == 0)
            return true;
    return false;
}

static bool is_trivial_collation(const char *c)
{
    static const char *const ok[] = {"BINARY", "binary", "C", "POSIX", "default", "utf8mb4_bin",
                                     "ucs_basic", "\"C\"", "\"default\"", "\"POSIX\"", NULL};
    return !c || in_list(c, ok);
}

int dbr_xlate_table_create(dbr_xlate **out, dbe_id d, const dbf_header *h,
                           const dbf_table *t, const dbr_xlate_opts *o, dbf_error *err)
{
    int rc = 0;
    dbr_xlate *x = NULL;
    xl_sbuf sql = {0};
    const char **names = NULL;
    *out = NULL;
    if (!t || !t->name || (t->ncolumns && !t->columns) || d < DBE_SQLITE ||
        d > DBE_MYSQL)
        return dbf_error_set(err, DBF_EINVAL, "dbr_xlate_table_create: invalid arguments");
    x = calloc(1, sizeof *x);
    if (!x)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    x->dialect = d;
    dbr_xlate_opts defo = DBR_XLATE_OPTS_INIT;
    x->opts = o ? *o : defo;
    x->src_engine = own_dup(x, h && h->engine ? h->engine : "");
    const char *tname = t->name;
    x->src_table = own_dup(x, t->name);
    bool src_sqlite = x->src_engine && strcmp(x->src_engine, "sqlite") == 0;

    x->nsrc = t->ncolumns;
    x->cols = calloc(t->ncolumns ? t->ncolumns : 1, sizeof *x->cols);
    x->tcols = calloc(t->ncolumns ? t->ncolumns : 1, sizeof *x->tcols);
    x->out = calloc(t->ncolumns ? t->ncolumns : 1, sizeof *x->out);
    names = calloc(t->ncolumns ? t->ncolumns : 1, sizeof *names);
    if (!x->cols || !x->tcols || !x->out || !names) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }

    /* table name */
    char *tfit = NULL;
    bool trunc = false;
    rc = fit_ident(&tfit, d, tname, &trunc, err);
    if (rc) {
        dbf_error_prefix(err, "table \"%s\": ", tname);
        goto done;
    }
    if (!own(x, tfit)) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    if (trunc)
        note(x, "table \"%s\": name truncated to \"%s\" (%s identifier limit)", tname, tfit,
             dbe_title(d));
    x->tt.id = t->id;
    x->tt.name = tfit;
    x->tt.schema = d == DBE_POSTGRESQL ? own_dup(x, x->opts.target_schema) : NULL;
    x->tt.engine = dbe_name(d);
    x->tt.comment = own_dup(x, t->comment);
    x->tt.row_estimate = t->row_estimate;
    x->next_id = own_dup(x, dbc_kv(t->attrs, t->nattrs, "mysql.auto_increment"));

    xl_sb_puts(&sql, "CREATE TABLE ");
    if (x->tt.schema) {
        if ((rc = put_ident(&sql, d, x->tt.schema, err)))
            goto done;
        xl_sb_putc(&sql, '.');
    }
    put_quoted(&sql, d, tfit);
    xl_sb_puts(&sql, " (");

    /* single-column integer primary key of a SQLite table is its rowid: an identity */
    const char *sqlite_rowid_pk = NULL;
    if (src_sqlite && t->nprimary_key == 1) {
        for (size_t i = 0; i < t->ncolumns; i++) {
            const dbf_column *sc = &t->columns[i];
            if (strcmp(sc->name, t->primary_key[0]) == 0 && sc->native_type &&
                strcasecmp(sc->native_type, "INTEGER") == 0)
                sqlite_rowid_pk = sc->name;
        }
    }

    const char *coll_col = NULL, *coll_name = NULL; /* first column with a collation */
    size_t ncoll = 0;
    bool have_auto = false;      /* MySQL: one AUTO_INCREMENT column */
    const char *auto_col = NULL; /* fitted name of the MySQL auto column */
    bool sqlite_inline_pk = false;
    size_t nt = 0;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const dbf_column *sc = &t->columns[i];
        if (!sc->name) {
            rc = dbf_error_set(err, DBF_EINVAL, "table \"%s\": column %zu has no name", tname,
                               i + 1);
            goto done;
        }
        if (sc->flags & DBF_COL_ROWID) {
            note(x, "table \"%s\" column \"%s\": SQLite rowid not carried (no equivalent in %s)",
                 tname, sc->name, dbe_title(d));
            x->dropped = true;
            continue;
        }
        xl_col *c = &x->cols[nt];
        dbf_column *tc = &x->tcols[nt];
        xl_src s;
        src_effective(sc, &s);
        c->src = i;
        c->name = own_dup(x, sc->name);
        c->stype = sc->type;
        c->sinfer = s.type;
        c->selem = sc->elem_type;
        c->sunsigned = sc->is_unsigned;
        c->labels = sc->labels;
        c->nlabels = sc->nlabels;
        char *cfit = NULL;
        rc = fit_ident(&cfit, d, sc->name, &trunc, err);
        if (rc) {
            dbf_error_prefix(err, "table \"%s\" column \"%s\": ", tname, sc->name);
            goto done;
        }
        if (!own(x, cfit)) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        if (trunc)
            note(x, "table \"%s\" column \"%s\": name truncated to \"%s\"", tname, sc->name,
                 cfit);
        tc->name = cfit;
        names[nt] = sc->name;
        bool in_pk = pk_has(t, sc->name);
        xl_sbuf decl = {0};
        rc = map_type(x, tname, sc, &s, in_pk, c, tc, &decl, err);
        if (rc || decl.oom) {
            xl_sb_free(&decl);
            if (!rc)
                rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        /* copy labels so the target table owns them */
        if (tc->nlabels) {
            char **lab = calloc(tc->nlabels, sizeof *lab);
            if (!lab || !own(x, (char *)lab)) {
                free(lab);
                xl_sb_free(&decl);
                rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
                goto done;
            }
            for (size_t k = 0; k < tc->nlabels; k++)
                lab[k] = own_dup(x, sc->labels[k]);
            tc->labels = (const char *const *)lab;
        }
        if (c->l_labels) {
            char **lab = calloc(sc->nlabels, sizeof *lab);
            if (!lab || !own(x, (char *)lab)) {
                free(lab);
                xl_sb_free(&decl);
                rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
                goto done;
            }
            for (size_t k = 0; k < sc->nlabels; k++)
                lab[k] = own_dup(x, sc->labels[k]);
            c->labels = (const char *const *)lab;
        }
        tc->native_type = own(x, xl_sb_take(&decl));
        tc->flags = sc->flags & DBF_COL_NOT_NULL;
        tc->comment = own_dup(x, sc->comment);
        tc->type_name = dbf_type_name(tc->type);
        if (tc->collation == NULL && !is_trivial_collation(sc->collation)) {
            if (!coll_col)
                coll_col = sc->name, coll_name = sc->collation;
            ncoll++;
        }
        if (sc->flags & DBF_COL_GENERATED) {
            note(x, "table \"%s\" column \"%s\": generated column (%s) becomes a plain column "
                    "holding the dumped values",
                 tname, sc->name, sc->generated_expr ? sc->generated_expr : "?");
        }

        /* column clause */
        xl_sbuf col = {0};
        xl_sb_puts(&col, nt ? ",\n  " : "\n  ");
        put_quoted(&col, d, cfit);
        xl_sb_putc(&col, ' ');
        bool nextval = false;
        xl_sbuf defc = {0};
        char *tdef = NULL;
        bool mysql_long = d == DBE_MYSQL &&
                          (strstr(tc->native_type, "longtext") ||
                           strstr(tc->native_type, "longblob") ||
                           strncmp(tc->native_type, "json", 4) == 0);
        if (sc->default_expr && !(sc->flags & DBF_COL_GENERATED))
            xl_default(x, tname, sc, c, mysql_long, &defc, &nextval, &tdef);
        tc->default_expr = own(x, tdef);
        bool ident = (sc->flags & (DBF_COL_IDENTITY | DBF_COL_IDENTITY_ALWAYS)) || nextval ||
                     (sqlite_rowid_pk && strcmp(sqlite_rowid_pk, sc->name) == 0);
        bool intlike = c->ltype == DBF_T_INT || (c->ltype == DBF_T_DECIMAL && s.type == DBF_T_INT);
        if (ident && !intlike) {
            note(x, "table \"%s\" column \"%s\": auto-increment on a non-integer column dropped",
                 tname, sc->name);
            ident = false;
        }
        if (ident && d == DBE_SQLITE) {
            if (t->nprimary_key == 1 && in_pk) {
                xl_sb_puts(&col, "INTEGER PRIMARY KEY AUTOINCREMENT");
                sqlite_inline_pk = true;
                tc->native_type = "INTEGER";
            } else {
                xl_sb_puts(&col, tc->native_type);
                note(x, "table \"%s\" column \"%s\": auto-increment dropped (SQLite has it only "
                        "on a single-column INTEGER PRIMARY KEY)",
                     tname, sc->name);
                ident = false;
            }
        } else if (ident && d == DBE_POSTGRESQL) {
            if (c->ltype == DBF_T_INT) {
                xl_sb_puts(&col, tc->native_type);
                xl_sb_puts(&col, " GENERATED BY DEFAULT AS IDENTITY");
            } else {
                xl_sb_puts(&col, tc->native_type);
                note(x, "table \"%s\" column \"%s\": identity dropped (numeric(20,0) cannot be "
                        "an identity column)",
                     tname, sc->name);
                ident = false;
            }
        } else if (ident && d == DBE_MYSQL) {
            xl_sb_puts(&col, tc->native_type);
            if (have_auto) {
                note(x, "table \"%s\" column \"%s\": AUTO_INCREMENT dropped (MySQL allows one "
                        "per table)",
                     tname, sc->name);
                ident = false;
            } else {
                have_auto = true;
                auto_col = cfit;
            }
        } else {
            xl_sb_puts(&col, tc->native_type);
        }
        if (ident) {
            tc->flags |= DBF_COL_IDENTITY;
            if (defc.len) {
                xl_sb_free(&defc);
                tc->default_expr = NULL;
            }
        }
        if (sc->flags & DBF_COL_NOT_NULL || (ident && d == DBE_MYSQL))
            if (!(sqlite_inline_pk && ident))
                xl_sb_puts(&col, " NOT NULL");
        if (ident && d == DBE_MYSQL)
            xl_sb_puts(&col, " AUTO_INCREMENT");
        if (defc.len)
            xl_sb_puts(&col, defc.p);
        xl_sb_free(&defc);
        const char *onupd = dbc_kv(sc->attrs, sc->nattrs, "mysql.on_update");
        if (onupd) {
            if (d == DBE_MYSQL && (c->ltype == DBF_T_TIMESTAMP))
                xl_sb_printf(&col, " ON UPDATE %s", onupd);
            else
                note(x, "table \"%s\" column \"%s\": ON UPDATE %s not carried (no column-level "
                        "equivalent in %s)",
                     tname, sc->name, onupd, dbe_title(d));
        }
        if (c->l_labels && c->ltype == DBF_T_TEXT) {
            xl_sb_puts(&col, " CHECK (");
            put_quoted(&col, d, cfit);
            xl_sb_puts(&col, " IN (");
            for (size_t k = 0; k < sc->nlabels; k++) {
                if (k)
                    xl_sb_puts(&col, ", ");
                put_literal(&col, d, sc->labels[k], strlen(sc->labels[k]));
            }
            xl_sb_puts(&col, "))");
        }
        if (d == DBE_MYSQL && sc->comment) {
            xl_sb_puts(&col, " COMMENT ");
            put_literal(&col, d, sc->comment, strlen(sc->comment));
        }
        if (col.oom) {
            xl_sb_free(&col);
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        xl_sb_puts(&sql, col.p);
        xl_sb_free(&col);
        nt++;
    }
    if (nt == 0 && d != DBE_POSTGRESQL) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED, "table \"%s\" has no column to create, "
                           "which %s does not allow", tname, dbe_title(d));
        goto done;
    }
    if (ncoll)
        note(x, "table \"%s\": collations of %zu text column(s) not carried (e.g. \"%s\" %s): "
                "the target's binary comparison applies",
             tname, ncoll, coll_col, coll_name);
    x->ncols = nt;
    x->tt.columns = x->tcols;
    x->tt.ncolumns = nt;

    {
        xl_sbuf what = {0};
        xl_sb_printf(&what, "columns of table \"%s\"", tname);
        rc = dbr_xlate_check_names(d, names, nt, what.p ? what.p : "columns", err);
        xl_sb_free(&what);
        if (rc)
            goto done;
    }

    /* primary key */
    if (t->nprimary_key && !sqlite_inline_pk) {
        const char **pk = calloc(t->nprimary_key, sizeof *pk);
        if (!pk || !own(x, (char *)pk)) {
            free(pk);
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        xl_sb_puts(&sql, ",\n  PRIMARY KEY (");
        size_t np = 0;
        for (size_t k = 0; k < t->nprimary_key; k++) {
            const char *tn = NULL;
            for (size_t i = 0; i < nt; i++)
                if (strcmp(x->cols[i].name, t->primary_key[k]) == 0)
                    tn = x->tcols[i].name;
            if (!tn) {
                rc = dbf_error_set(err, DBF_EINVAL,
                                   "table \"%s\": primary key column \"%s\" is not a column",
                                   tname, t->primary_key[k]);
                goto done;
            }
            if (np)
                xl_sb_puts(&sql, ", ");
            put_quoted(&sql, d, tn);
            pk[np++] = tn;
        }
        xl_sb_putc(&sql, ')');
        x->tt.primary_key = pk;
        x->tt.nprimary_key = np;
    } else if (t->nprimary_key) {
        const char **pk = calloc(1, sizeof *pk);
        if (!pk || !own(x, (char *)pk)) {
            free(pk);
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < nt; i++)
            if (strcmp(x->cols[i].name, t->primary_key[0]) == 0)
                pk[0] = x->tcols[i].name;
        x->tt.primary_key = pk;
        x->tt.nprimary_key = 1;
    }
    if (auto_col && !(x->tt.nprimary_key && strcmp(x->tt.primary_key[0], auto_col) == 0)) {
        xl_sb_puts(&sql, ",\n  KEY (");
        put_quoted(&sql, d, auto_col);
        xl_sb_putc(&sql, ')');
    }
    xl_sb_puts(&sql, "\n)");
    if (d == DBE_MYSQL) {
        xl_sb_puts(&sql, " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        if (t->comment) {
            xl_sb_puts(&sql, " COMMENT=");
            put_literal(&sql, d, t->comment, strlen(t->comment));
        }
    }
    if (sql.oom) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    x->tt.native_sql = own(x, xl_sb_take(&sql));
    if (!x->tt.native_sql) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    *out = x;
    x = NULL;
done:
    free(names);
    xl_sb_free(&sql);
    dbr_xlate_free(x);
    return rc;
}

/* Logical type of an existing target column (data-only restores). */
/* What a MySQL column cannot hold that its type name alone does not say: characters outside
 * its charset, more bytes than a TEXT/BLOB type stores, and (BINARY(n)) values that the
 * server would pad with zero bytes. Each is refused before writing (xlate_val.c). */
static void mysql_limits(const dbf_column *tc, bool textual, xl_col *c)
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

static void map_existing(dbr_xlate *x, const dbf_column *sc, const dbf_column *tc, xl_col *c)
{
    dbe_id d = x->dialect;
    c->any_out = d == DBE_SQLITE;
    c->same = false;
    if (tc->type == DBF_T_ANY) {
        xl_inf inf;
        sqlite_infer(tc->native_type, &inf);
        c->ltype = inf.type;
        c->lbits = inf.bits ? inf.bits : 64;
        c->llength = -1; /* SQLite does not enforce lengths */
        c->lprecision = inf.precision;
        c->lscale = inf.scale;
        if (inf.type == DBF_T_UUID) {
            c->ltype = DBF_T_TEXT;
            c->l_uuid_keep = true;
        }
        if (inf.untyped) /* no declared type: any value as it is */
            c->same = sc->type == DBF_T_ANY;
    } else {
        c->ltype = tc->type;
        c->lbits = tc->bits ? tc->bits : 64;
        c->lunsigned = tc->is_unsigned;
        c->llength = tc->length;
        c->lprecision = tc->precision;
        c->lscale = tc->scale;
        if (tc->type == DBF_T_ENUM || tc->type == DBF_T_SET) {
            c->labels = tc->labels;
            c->nlabels = tc->nlabels;
            c->l_labels = tc->type == DBF_T_ENUM && tc->nlabels > 0;
        }
        c->l_time_of_day = d == DBE_POSTGRESQL && tc->type == DBF_T_TIME;
        c->l_bitstring = tc->type == DBF_T_NATIVE && tc->native_type &&
                         strncmp(tc->native_type, "bit", 3) == 0;
        dbf_type st = sc->type;
        c->same = st == tc->type &&
                  (st == DBF_T_BOOL || st == DBF_T_FLOAT64 || st == DBF_T_BYTES ||
                   st == DBF_T_UUID || st == DBF_T_INTERVAL || st == DBF_T_ARRAY ||
                   (st == DBF_T_FLOAT32) ||
                   (st == DBF_T_INT && sc->bits == tc->bits && sc->is_unsigned == tc->is_unsigned));
    }
    bool textual = c->ltype == DBF_T_TEXT || c->ltype == DBF_T_JSON || c->ltype == DBF_T_ENUM ||
                   c->ltype == DBF_T_SET || (c->ltype == DBF_T_NATIVE && !c->l_bitstring);
    if (d == DBE_MYSQL)
        mysql_limits(tc, textual, c);
    c->l_utf8 = textual && d != DBE_SQLITE;
    c->l_nonul = textual && d == DBE_POSTGRESQL;
    if (c->l_utf8 || c->l_nonul || c->l_fixed_bin || c->l_bytes_max || c->l_charset)
        c->same = false;
}

int dbr_xlate_table_into(dbr_xlate **out, dbe_id d, const dbf_header *h,
                         const dbf_table *src, const dbf_table *existing,
                         const dbr_xlate_opts *o, dbf_error *err)
{
    int rc = 0;
    dbr_xlate *x = NULL;
    size_t *match = NULL; /* existing column -> source column + 1, 0 = none */
    xl_sbuf missing = {0};
    size_t nmissing = 0;
    *out = NULL;
    if (!src || !existing || !src->name || d < DBE_SQLITE || d > DBE_MYSQL ||
        (src->ncolumns && !src->columns) || (existing->ncolumns && !existing->columns))
        return dbf_error_set(err, DBF_EINVAL, "dbr_xlate_table_into: invalid arguments");
    x = calloc(1, sizeof *x);
    size_t ne = existing->ncolumns;
    match = calloc(ne ? ne : 1, sizeof *match);
    if (!x || !match) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    x->dialect = d;
    x->canon_json = true;
    dbr_xlate_opts defo = DBR_XLATE_OPTS_INIT;
    x->opts = o ? *o : defo;
    x->src_engine = own_dup(x, h && h->engine ? h->engine : "");
    x->src_table = own_dup(x, src->name);
    x->nsrc = src->ncolumns;
    x->cols = calloc(ne ? ne : 1, sizeof *x->cols);
    x->tcols = calloc(ne ? ne : 1, sizeof *x->tcols);
    x->out = calloc(ne ? ne : 1, sizeof *x->out);
    if (!x->cols || !x->tcols || !x->out) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    const char *tname = src->name;
    for (size_t i = 0; i < src->ncolumns; i++) {
        const dbf_column *sc = &src->columns[i];
        if (sc->flags & DBF_COL_ROWID) {
            note(x, "table \"%s\" column \"%s\": SQLite rowid not carried", tname, sc->name);
            x->dropped = true;
            continue;
        }
        size_t k = ne, ci = ne, nci = 0;
        for (size_t j = 0; j < ne; j++) {
            if (strcmp(existing->columns[j].name, sc->name) == 0)
                k = j;
            else if (strcasecmp(existing->columns[j].name, sc->name) == 0)
                ci = j, nci++;
        }
        if (k == ne && nci == 1) {
            k = ci;
            note(x, "table \"%s\" column \"%s\": matched target column \"%s\" ignoring case",
                 tname, sc->name, existing->columns[k].name);
        }
        if (k == ne || match[k]) {
            xl_sb_printf(&missing, "%s\"%s\"", nmissing ? ", " : "", sc->name);
            nmissing++;
            continue;
        }
        if (existing->columns[k].flags & DBF_COL_GENERATED) {
            note(x, "table \"%s\" column \"%s\": the target column is generated; archive "
                    "values not loaded", tname, sc->name);
            x->dropped = true;
            continue;
        }
        match[k] = i + 1;
    }
    if (nmissing) {
        if (!x->opts.skip_missing) {
            rc = dbf_error_set(err, DBF_EUNSUPPORTED, "table \"%s\": archive column%s "
                               "without a target column: %s", tname, nmissing > 1 ? "s" : "",
                               missing.p ? missing.p : "");
            goto done;
        }
        note(x, "table \"%s\": archive columns without a target column, skipped: %s", tname,
             missing.p ? missing.p : "");
        x->dropped = true;
    }
    size_t nt = 0;
    for (size_t j = 0; j < ne; j++) {
        if (!match[j])
            continue;
        const dbf_column *sc = &src->columns[match[j] - 1];
        const dbf_column *tc = &existing->columns[j];
        xl_col *c = &x->cols[nt];
        xl_src s;
        src_effective(sc, &s);
        c->src = match[j] - 1;
        c->name = own_dup(x, sc->name);
        c->stype = sc->type;
        c->sinfer = s.type;
        c->selem = sc->elem_type;
        c->sunsigned = sc->is_unsigned;
        map_existing(x, sc, tc, c);
        x->tcols[nt] = *tc;
        nt++;
    }
    x->ncols = nt;
    x->tt = *existing;
    x->tt.columns = x->tcols;
    x->tt.ncolumns = nt;
    x->tt.native_sql = NULL;
    *out = x;
    x = NULL;
done:
    free(match);
    xl_sb_free(&missing);
    dbr_xlate_free(x);
    return rc;
}

const dbf_table *dbr_xlate_target(const dbr_xlate *x)
{
    return x ? &x->tt : NULL;
}

size_t dbr_xlate_nnotes(const dbr_xlate *x)
{
    return x ? x->nnotes : 0;
}

const char *dbr_xlate_note(const dbr_xlate *x, size_t i)
{
    return x && i < x->nnotes ? x->notes[i] : NULL;
}

bool dbr_xlate_is_identity(const dbr_xlate *x)
{
    return x && !x->dropped && x->changed_rows == 0;
}

uint64_t dbr_xlate_lossy_rows(const dbr_xlate *x)
{
    return x ? x->lossy_rows : 0;
}

int dbr_xlate_epoch_lines(const dbr_xlate *x, dbr_line_fn emit, void *ctx)
{
    int rc = 0;
    for (size_t i = 0; x && i < x->ncols && !rc; i++) {
        const xl_col *c = &x->cols[i];
        if (!c->epoch_n)
            continue;
        char line[512];
        const char *unit = c->epoch == 1 ? "seconds" : c->epoch == 1000 ? "milliseconds"
                                                                        : "microseconds";
        snprintf(line, sizeof line, "column \"%s\": integers read as epoch %s (%s; %" PRIu64
                 " values from %" PRId64 " to %" PRId64 ")", c->name, unit,
                 c->epoch_given ? "--epoch-unit" : "from the values", c->epoch_n, c->epoch_min,
                 c->epoch_max);
        rc = emit(ctx, line);
    }
    return rc;
}

void dbr_xlate_free(dbr_xlate *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->nowned; i++)
        free(x->owned[i]);
    free(x->owned);
    for (size_t i = 0; i < x->nnotes; i++)
        free(x->notes[i]);
    free(x->notes);
    for (size_t i = 0; i < x->nsq_cons; i++)
        free(x->sq_cons[i]);
    free(x->sq_cons);
    free(x->cols);
    free(x->tcols);
    free(x->out);
    xl_arena_free(&x->arena);
    free(x);
}

/* Same kind and same payload (what the digest sees). */
static bool value_same(const dbf_value *a, const dbf_value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case DBF_V_NULL:
        return true;
    case DBF_V_BOOL:
        return a->u.b == b->u.b;
    case DBF_V_INT:
        return a->u.i == b->u.i;
    case DBF_V_UINT:
        return a->u.u == b->u.u;
    case DBF_V_F32:
        return memcmp(&a->u.f32, &b->u.f32, sizeof a->u.f32) == 0;
    case DBF_V_F64:
        return memcmp(&a->u.f64, &b->u.f64, sizeof a->u.f64) == 0;
    case DBF_V_STR:
    case DBF_V_BIN:
        return a->u.s.len == b->u.s.len &&
               (a->u.s.len == 0 || memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0);
    case DBF_V_INTERVAL:
        return a->u.iv.months == b->u.iv.months && a->u.iv.days == b->u.iv.days &&
               a->u.iv.micros == b->u.iv.micros;
    case DBF_V_ARRAY:
        return a->u.arr.elems == b->u.arr.elems && a->u.arr.nelems == b->u.arr.nelems;
    }
    return false;
}

int dbr_xlate_row(dbr_xlate *x, const dbf_value *vals, size_t n, uint64_t row_number,
                  const dbf_value **out, size_t *nout, dbf_error *err)
{
    *out = NULL;
    *nout = 0;
    if (n != x->nsrc)
        return dbf_error_set(err, DBF_EINVAL, "table \"%s\" row %" PRIu64 ": %zu values for %zu "
                             "columns", x->tt.name, row_number, n, x->nsrc);
    xl_arena_reset(&x->arena);
    bool lossy_row = false, changed_row = false;
    for (size_t i = 0; i < x->ncols; i++) {
        const xl_col *c = &x->cols[i];
        const dbf_value *in = &vals[c->src];
        if (in->kind == DBF_V_NULL || c->same) {
            x->out[i] = *in;
            continue;
        }
        bool lossy = false;
        int rc = xl_convert(x, c, in, &x->out[i], row_number, &lossy, err);
        if (rc)
            return rc;
        lossy_row |= lossy;
        changed_row |= !value_same(in, &x->out[i]);
    }
    if (lossy_row)
        x->lossy_rows++;
    if (changed_row)
        x->changed_rows++;
    *out = x->out;
    *nout = x->ncols;
    return 0;
}

int dbr_xlate_counters_sql(char **out_sql, const dbr_xlate *x, dbf_error *err)
{
    xl_sbuf b = {0};
    *out_sql = NULL;
    bool numeric_next = x->next_id && is_number_lit(x->next_id) && !strchr(x->next_id, '.') &&
                        x->next_id[0] != '-';
    for (size_t i = 0; i < x->ncols; i++) {
        const dbf_column *tc = &x->tcols[i];
        if (!(tc->flags & DBF_COL_IDENTITY))
            continue;
        if (x->dialect == DBE_POSTGRESQL) {
            xl_sbuf rel = {0};
            if (x->tt.schema) {
                put_quoted(&rel, x->dialect, x->tt.schema);
                xl_sb_putc(&rel, '.');
            }
            put_quoted(&rel, x->dialect, x->tt.name);
            if (b.len)
                xl_sb_puts(&b, ";\n");
            xl_sb_puts(&b, "SELECT setval(pg_get_serial_sequence(");
            put_literal(&b, x->dialect, rel.p ? rel.p : "", rel.len);
            xl_sb_puts(&b, ", ");
            put_literal(&b, x->dialect, tc->name, strlen(tc->name));
            /* last used = max(loaded ids, archive counter - 1); none yet: start at 1 */
            unsigned long long last = numeric_next ? strtoull(x->next_id, NULL, 10) : 0;
            last = last ? last - 1 : 0;
            xl_sbuf mx = {0};
            xl_sb_puts(&mx, "GREATEST(COALESCE(MAX(");
            put_quoted(&mx, x->dialect, tc->name);
            xl_sb_printf(&mx, "), 0), %llu)", last);
            xl_sb_puts(&b, "), ");
            xl_sb_printf(&b, "GREATEST(%s, 1), %s > 0) FROM %s", mx.p ? mx.p : "0",
                         mx.p ? mx.p : "0", rel.p ? rel.p : "");
            xl_sb_free(&mx);
            xl_sb_free(&rel);
        } else if (x->dialect == DBE_MYSQL && numeric_next) {
            xl_sb_puts(&b, "ALTER TABLE ");
            put_quoted(&b, x->dialect, x->tt.name);
            xl_sb_printf(&b, " AUTO_INCREMENT = %s", x->next_id);
        }
    }
    if (b.oom) {
        xl_sb_free(&b);
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    }
    if (b.len)
        *out_sql = xl_sb_take(&b);
    xl_sb_free(&b);
    return 0;
}

int dbr_xlate_digest_row(const dbr_xlate *x, dbf_digest *d, const dbf_value *vals, size_t n,
                         dbf_error *err)
{
    /* Data-only: JSON is digested in canonical form (xl_json_canon): an existing jsonb (or
     * MySQL 8 JSON) column gives back other text for the same document. Tables this restore
     * creates keep the text as sent, so their digests stay equal to dbdump's DATA_END. */
    const dbf_table *t = &x->tt;
    size_t njson = 0;
    for (size_t i = 0; x->canon_json && i < n && i < t->ncolumns; i++)
        njson += t->columns[i].type == DBF_T_JSON && vals[i].kind == DBF_V_STR;
    if (njson == 0)
        return dbf_digest_add_row(d, t, vals, n, err);
    dbf_value *v = malloc(n * sizeof *v);
    xl_sbuf *canon = calloc(n, sizeof *canon);
    int rc;
    if (!v || !canon) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(v, vals, n * sizeof *v);
    for (size_t i = 0; i < n && i < t->ncolumns; i++) {
        if (t->columns[i].type != DBF_T_JSON || vals[i].kind != DBF_V_STR)
            continue;
        if (xl_json_canon(&canon[i], vals[i].u.s.ptr ? vals[i].u.s.ptr : "",
                          vals[i].u.s.len) == 0) {
            v[i].u.s.ptr = canon[i].p ? canon[i].p : "";
            v[i].u.s.len = canon[i].len;
        }
    }
    rc = dbf_digest_add_row(d, t, v, n, err);
done:
    for (size_t i = 0; canon && i < n; i++)
        xl_sb_free(&canon[i]);
    free(canon);
    free(v);
    return rc;
}

/* ----------------------------------------------------------------- objects */

static int put_col_list(xl_sbuf *b, dbe_id d, const char *const *cols, size_t n,
                        const dbf_table *table, bool prefix, dbf_error *err)
{
    xl_sb_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i)
            xl_sb_puts(b, ", ");
        int rc = put_ident(b, d, cols[i], err);
        if (rc)
            return rc;
        if (prefix && table) {
            for (size_t k = 0; k < table->ncolumns; k++) {
                const dbf_column *tc = &table->columns[k];
                if (strcmp(tc->name, cols[i]) == 0 && tc->native_type &&
                    (strncmp(tc->native_type, "longtext", 8) == 0 ||
                     strncmp(tc->native_type, "longblob", 8) == 0))
                    xl_sb_puts(b, "(255)");
            }
        }
    }
    xl_sb_putc(b, ')');
    return 0;
}

static int put_table_ref(xl_sbuf *b, dbe_id d, const char *schema, const char *name,
                         dbf_error *err)
{
    if (d == DBE_POSTGRESQL && schema) {
        int rc = put_ident(b, d, schema, err);
        if (rc)
            return rc;
        xl_sb_putc(b, '.');
    }
    return put_ident(b, d, name, err);
}

static bool ref_action_ok(const char *a)
{
    static const char *const ok[] = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT",
                                     "NO ACTION", NULL};
    return !a || in_list(a, ok);
}

/* Object name in the target: MySQL index names are per table, elsewhere per schema. */
static void object_name(xl_sbuf *b, const dbf_header *h, const dbf_object *o, dbe_id d)
{
    bool mysql_src = h && h->engine && strcmp(h->engine, "mysql") == 0;
    if (mysql_src && d != DBE_MYSQL && o->table)
        xl_sb_printf(b, "%s_%s", o->table, o->name ? o->name : "idx");
    else
        xl_sb_puts(b, o->name ? o->name : "unnamed");
}

/* Index methods without an equivalent elsewhere (GIN, GiST, ..., MySQL FULLTEXT/SPATIAL). */
static const char *index_method(const dbf_object *o)
{
    const char *t = dbc_kv(o->attrs, o->nattrs, "mysql.index_type");
    if (t && (strcasecmp(t, "FULLTEXT") == 0 || strcasecmp(t, "SPATIAL") == 0))
        return t;
    static const char *const pg[] = {" USING gin", " USING gist", " USING spgist",
                                     " USING brin", NULL};
    for (size_t i = 0; o->sql && pg[i]; i++)
        if (strstr(o->sql, pg[i]))
            return pg[i] + 7;
    if (o->sql && (strstr(o->sql, "FULLTEXT") || strstr(o->sql, "SPATIAL")) && o->engine &&
        strcmp(o->engine, "mysql") == 0)
        return strstr(o->sql, "FULLTEXT") ? "FULLTEXT" : "SPATIAL";
    return NULL;
}

/* A key column the target cannot index: PostgreSQL json (no btree class), MySQL json. */
static const char *json_column(dbe_id d, const dbf_object *o, const dbf_table *table)
{
    if (!table || d == DBE_SQLITE)
        return NULL;
    for (size_t k = 0; k < o->ncolumns; k++)
        for (size_t i = 0; o->columns[k] && i < table->ncolumns; i++) {
            const dbf_column *tc = &table->columns[i];
            if (strcmp(tc->name, o->columns[k]) == 0 && tc->native_type &&
                strcmp(tc->native_type, "json") == 0)
                return tc->name;
        }
    return NULL;
}

/* Conservative translation of a check expression; NULL when not portable. */
static char *xlate_check_expr(const char *src, const char *src_engine, dbe_id d)
{
    xl_sbuf b = {0};
    const char *p = src;
    bool mysql_src = src_engine && strcmp(src_engine, "mysql") == 0;
    static const char *const words[] = {"and", "or", "not", "is", "null", "in", "between",
                                        "like", "true", "false", NULL};
    static const char *const funcs[] = {"length", "char_length", "lower", "upper", "abs",
                                        "coalesce", "trim", NULL};
    while (*p) {
        unsigned char ch = (unsigned char)*p;
        if (isspace(ch)) {
            xl_sb_putc(&b, ' ');
            while (isspace((unsigned char)*p))
                p++;
            continue;
        }
        if (p[0] == ':' && p[1] == ':') { /* PostgreSQL cast: drop it */
            static const char *const cont[] = {"varying", "precision", "with", "without",
                                               "time", "zone", NULL};
            p += 2;
            for (bool first = true;; first = false) {
                const char *q = p;
                while (*q == ' ')
                    q++;
                const char *w = q;
                while (isalnum((unsigned char)*q) || *q == '_' || *q == '"' || *q == '.')
                    q++;
                char word[16];
                size_t wn = (size_t)(q - w);
                if (wn == 0)
                    break;
                if (!first) {
                    if (wn >= sizeof word)
                        break;
                    for (size_t i = 0; i < wn; i++)
                        word[i] = (char)tolower((unsigned char)w[i]);
                    word[wn] = '\0';
                    if (!in_list(word, cont))
                        break;
                }
                p = q;
            }
            if (*p == '(') {
                while (*p && *p != ')')
                    p++;
                if (*p)
                    p++;
            }
            while (p[0] == '[' && p[1] == ']')
                p += 2;
            continue;
        }
        if (ch == '\'') {
            xl_sbuf lit = {0};
            const char *q = p + 1;
            for (;;) {
                if (!*q)
                    goto fail;
                if (*q == '\'' && q[1] == '\'') {
                    xl_sb_putc(&lit, '\'');
                    q += 2;
                } else if (*q == '\'') {
                    q++;
                    break;
                } else if (mysql_src && *q == '\\') {
                    xl_sb_free(&lit);
                    goto fail;
                } else {
                    xl_sb_putc(&lit, *q++);
                }
            }
            put_literal(&b, d, lit.p ? lit.p : "", lit.len);
            xl_sb_free(&lit);
            p = q;
            continue;
        }
        if (ch == '"' || ch == '`' || ch == '[') {
            xl_sbuf id = {0};
            const char *q = p + 1;
            char cl = ch == '[' ? ']' : (char)ch;
            for (;;) {
                if (!*q) {
                    xl_sb_free(&id);
                    goto fail;
                }
                if (*q == cl && cl != ']' && q[1] == cl) {
                    xl_sb_putc(&id, cl);
                    q += 2;
                } else if (*q == cl) {
                    q++;
                    break;
                } else {
                    xl_sb_putc(&id, *q++);
                }
            }
            if (!id.p || put_ident(&b, d, id.p, NULL)) {
                xl_sb_free(&id);
                goto fail;
            }
            xl_sb_free(&id);
            p = q;
            continue;
        }
        if (isdigit(ch) || (ch == '.' && isdigit((unsigned char)p[1]))) {
            while (isalnum((unsigned char)*p) || *p == '.')
                xl_sb_putc(&b, *p++);
            continue;
        }
        if (isalpha(ch) || ch == '_') {
            const char *st = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char w[64];
            size_t n = (size_t)(p - st);
            if (n >= sizeof w)
                goto fail;
            for (size_t i = 0; i < n; i++)
                w[i] = (char)tolower((unsigned char)st[i]);
            w[n] = '\0';
            const char *q = p;
            while (isspace((unsigned char)*q))
                q++;
            if (in_list(w, words)) {
                for (size_t i = 0; i < n; i++)
                    xl_sb_putc(&b, (char)toupper((unsigned char)w[i]));
            } else if (*q == '(') {
                if (!in_list(w, funcs))
                    goto fail;
                if (strcmp(w, "length") == 0 || strcmp(w, "char_length") == 0)
                    xl_sb_puts(&b, d == DBE_MYSQL ? "CHAR_LENGTH"
                                   : d == DBE_POSTGRESQL  ? "char_length"
                                                          : "length");
                else
                    xl_sb_puts(&b, w);
            } else {
                char name[64];
                memcpy(name, st, n);
                name[n] = '\0';
                if (put_ident(&b, d, name, NULL))
                    goto fail;
            }
            continue;
        }
        if (strchr("()<>=!+-*/%,", (int)ch)) {
            xl_sb_putc(&b, (char)ch);
            p++;
            continue;
        }
        goto fail;
    }
    return xl_sb_take(&b);
fail:
    xl_sb_free(&b);
    return NULL;
}

static char *dupf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *dupf(const char *fmt, ...)
{
    xl_sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    (void)b;
    return s;
}

int dbr_xlate_object(char **out_sql, char **out_note, dbe_id d, const dbf_header *h,
                     const dbf_object *o, const dbf_table *table, const dbr_xlate_opts *opts,
                     dbf_error *err)
{
    int rc = 0;
    xl_sbuf b = {0}, nm = {0};
    char *why = NULL;
    *out_sql = NULL;
    *out_note = NULL;
    dbr_xlate_opts defo = DBR_XLATE_OPTS_INIT;
    if (!opts)
        opts = &defo;
    const char *schema = d == DBE_POSTGRESQL ? opts->target_schema : NULL;
    const char *oname = o->name ? o->name : "(unnamed)";
    const char *subtype = o->subtype ? o->subtype : "";
    const char *src = h && h->engine ? h->engine : "?";

    switch (o->kind) {
    case DBF_OBJ_INDEX: {
        const char *method = index_method(o);
        if (method) {
            why = dupf("index \"%s\" on \"%s\": %s index of %s has no equivalent; not "
                       "created", oname, o->table ? o->table : "?", method, src);
            rc = DBF_EUNSUPPORTED;
            break;
        }
        bool expr_part = false;
        for (size_t k = 0; k < o->ncolumns; k++)
            expr_part |= !o->columns[k] || !o->columns[k][0];
        const char *jcol = json_column(d, o, table);
        if (jcol) {
            why = dupf("index \"%s\" on \"%s\": column \"%s\" is json, which %s cannot index; "
                       "not created", oname, o->table, jcol, dbe_title(d));
            rc = DBF_EUNSUPPORTED;
            break;
        }
        if (!o->ncolumns || !o->table || expr_part) {
            why = dupf("index \"%s\" on \"%s\": an expression index in %s syntax cannot be "
                       "translated; not created", oname, o->table ? o->table : "?", src);
            rc = DBF_EUNSUPPORTED;
            break;
        }
        if (o->expr && o->unique) {
            why = dupf("index \"%s\" on \"%s\": a partial unique index (WHERE %s) cannot be "
                       "translated; not created", oname, o->table, o->expr);
            rc = DBF_EUNSUPPORTED;
            break;
        }
        if (o->expr)
            why = dupf("index \"%s\" on \"%s\": partial index predicate (%s) dropped; "
                       "created on all rows", oname, o->table, o->expr);
        object_name(&nm, h, o, d);
        xl_sb_puts(&b, o->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
        if ((rc = put_ident(&b, d, nm.p, err)))
            break;
        xl_sb_puts(&b, " ON ");
        if ((rc = put_table_ref(&b, d, schema, o->table, err)))
            break;
        xl_sb_putc(&b, ' ');
        rc = put_col_list(&b, d, o->columns, o->ncolumns, table, d == DBE_MYSQL, err);
        if (!rc && d == DBE_MYSQL && strstr(b.p, "(255)") && o->unique && !why)
            why = dupf("index \"%s\" on \"%s\": unique over the first 255 characters/bytes of "
                       "long text/blob columns (MySQL needs a prefix length)", oname, o->table);
        break;
    }
    case DBF_OBJ_CONSTRAINT:
        if (strcmp(subtype, "primary_key") == 0) {
            break; /* part of CREATE TABLE */
        }
        if (!o->table || !o->ncolumns) {
            if (strcmp(subtype, "check") != 0) {
                why = dupf("constraint \"%s\": no table or columns; not created", oname);
                rc = DBF_EUNSUPPORTED;
                break;
            }
        }
        object_name(&nm, h, o, d);
        if (strcmp(subtype, "unique") == 0) {
            if (d == DBE_SQLITE) {
                xl_sb_puts(&b, "CREATE UNIQUE INDEX ");
                if ((rc = put_ident(&b, d, nm.p, err)))
                    break;
                xl_sb_puts(&b, " ON ");
                if ((rc = put_ident(&b, d, o->table, err)))
                    break;
                xl_sb_putc(&b, ' ');
                rc = put_col_list(&b, d, o->columns, o->ncolumns, table, false, err);
                why = dupf("unique constraint \"%s\" on \"%s\" created as a unique index "
                           "(SQLite cannot add constraints to a table)", oname, o->table);
                break;
            }
            xl_sb_puts(&b, "ALTER TABLE ");
            if ((rc = put_table_ref(&b, d, schema, o->table, err)))
                break;
            xl_sb_puts(&b, " ADD CONSTRAINT ");
            if ((rc = put_ident(&b, d, nm.p, err)))
                break;
            xl_sb_puts(&b, " UNIQUE ");
            rc = put_col_list(&b, d, o->columns, o->ncolumns, table, d == DBE_MYSQL,
                              err);
        } else if (strcmp(subtype, "foreign_key") == 0) {
            if (d == DBE_SQLITE) {
                why = dupf("foreign key \"%s\" on \"%s\" -> \"%s\": SQLite cannot add a "
                           "foreign key to an existing table; not created", oname, o->table,
                           o->ref_table ? o->ref_table : "?");
                rc = DBF_EUNSUPPORTED;
                break;
            }
            if (o->ref_table && o->nref_columns == 0 && d == DBE_MYSQL) {
                why = dupf("foreign key \"%s\" on \"%s\": references \"%s\" without naming "
                           "its columns, which MySQL requires; not created", oname, o->table,
                           o->ref_table);
                rc = DBF_EUNSUPPORTED;
                break;
            }
            if (!o->ref_table || (o->nref_columns != o->ncolumns && o->nref_columns != 0)) {
                why = dupf("foreign key \"%s\" on \"%s\": incomplete reference; not created",
                           oname, o->table);
                rc = DBF_EUNSUPPORTED;
                break;
            }
            if (!ref_action_ok(o->on_delete) || !ref_action_ok(o->on_update)) {
                why = dupf("foreign key \"%s\" on \"%s\": unknown referential action; not "
                           "created", oname, o->table);
                rc = DBF_EUNSUPPORTED;
                break;
            }
            xl_sb_puts(&b, "ALTER TABLE ");
            if ((rc = put_table_ref(&b, d, schema, o->table, err)))
                break;
            /* PostgreSQL: an unsigned 64-bit column (numeric(20,0)) referencing an id
             * (bigint identity) must be bigint too: numeric and bigint keys do not match */
            for (size_t k = 0; d == DBE_POSTGRESQL && table && k < o->ncolumns; k++) {
                for (size_t i = 0; i < table->ncolumns; i++) {
                    const dbf_column *tc = &table->columns[i];
                    if (strcmp(tc->name, o->columns[k]) != 0 ||
                        !dbc_kv(tc->attrs, tc->nattrs, "xlate.from"))
                        continue;
                    xl_sb_puts(&b, " ALTER COLUMN ");
                    put_quoted(&b, d, tc->name);
                    xl_sb_puts(&b, " TYPE bigint,");
                    if (!why)
                        why = dupf("foreign key \"%s\" on \"%s\": column \"%s\" (unsigned "
                                   "64-bit) becomes bigint like the id it references; values "
                                   "above 9223372036854775807 fail here", oname, o->table,
                                   tc->name);
                }
            }
            /* MySQL: a longtext column cannot take part in a key; give it a length first */
            for (size_t k = 0; d == DBE_MYSQL && table && k < o->ncolumns; k++) {
                for (size_t i = 0; i < table->ncolumns; i++) {
                    const dbf_column *tc = &table->columns[i];
                    if (strcmp(tc->name, o->columns[k]) != 0 || !tc->native_type ||
                        strncmp(tc->native_type, "longtext", 8) != 0)
                        continue;
                    xl_sb_puts(&b, " MODIFY ");
                    put_quoted(&b, d, tc->name);
                    xl_sb_printf(&b, " varchar(255)%s%s,", mysql_text_suffix,
                                 tc->flags & DBF_COL_NOT_NULL ? " NOT NULL" : "");
                    if (!why)
                        why = dupf("foreign key \"%s\" on \"%s\": column \"%s\" becomes "
                                   "varchar(255) (MySQL keys cannot use longtext)", oname,
                                   o->table, tc->name);
                }
            }
            xl_sb_puts(&b, " ADD CONSTRAINT ");
            if ((rc = put_ident(&b, d, nm.p, err)))
                break;
            xl_sb_puts(&b, " FOREIGN KEY ");
            if ((rc = put_col_list(&b, d, o->columns, o->ncolumns, NULL, false, err)))
                break;
            xl_sb_puts(&b, " REFERENCES ");
            if ((rc = put_table_ref(&b, d, schema, o->ref_table, err)))
                break;
            if (o->nref_columns) { /* none: the parent's primary key (PostgreSQL) */
                xl_sb_putc(&b, ' ');
                if ((rc = put_col_list(&b, d, o->ref_columns, o->nref_columns, NULL, false,
                                       err)))
                    break;
            }
            if (o->on_delete && strcmp(o->on_delete, "NO ACTION") != 0)
                xl_sb_printf(&b, " ON DELETE %s", o->on_delete);
            if (o->on_update && strcmp(o->on_update, "NO ACTION") != 0)
                xl_sb_printf(&b, " ON UPDATE %s", o->on_update);
        } else if (strcmp(subtype, "check") == 0) {
            const char *e = o->expr;
            if (e && strncmp(e, "json_valid(", 11) == 0 && !strchr(e + 11, '(') &&
                e[strlen(e) - 1] == ')' && !strstr(e, " "))
                break; /* MariaDB's JSON column check: the target's JSON type validates */
            char *te = e ? xlate_check_expr(e, src, d) : NULL;
            if (!te || d == DBE_SQLITE || !o->table) {
                why = dupf(d == DBE_SQLITE && te
                               ? "check constraint \"%s\" on \"%s\" (%s): SQLite cannot add a "
                                 "check to an existing table; not created"
                               : "check constraint \"%s\" on \"%s\" (%s): expression is not "
                                 "portable; not created",
                           oname, o->table ? o->table : "?", e ? e : "?");
                free(te);
                rc = DBF_EUNSUPPORTED;
                break;
            }
            xl_sb_puts(&b, "ALTER TABLE ");
            if ((rc = put_table_ref(&b, d, schema, o->table, err))) {
                free(te);
                break;
            }
            xl_sb_puts(&b, " ADD CONSTRAINT ");
            if ((rc = put_ident(&b, d, nm.p, err))) {
                free(te);
                break;
            }
            xl_sb_printf(&b, " CHECK (%s)", te);
            free(te);
        } else {
            why = dupf("constraint \"%s\" (%s) on \"%s\": kind not portable; not created", oname,
                       subtype, o->table ? o->table : "?");
            rc = DBF_EUNSUPPORTED;
        }
        break;
    case DBF_OBJ_SEQUENCE: {
        /* a SQLite AUTOINCREMENT counter (sqlite_sequence row): the target's counter of that
         * table's identity column continues after it, even past deleted ids */
        const dbf_column *idc = NULL;
        for (size_t i = 0; table && i < table->ncolumns; i++)
            if (table->columns[i].flags & DBF_COL_IDENTITY)
                idc = &table->columns[i];
        bool num = o->value && is_number_lit(o->value) && !strchr(o->value, '.') &&
                   o->value[0] != '-' && strlen(o->value) < 20;
        if (strcmp(subtype, "sqlite_sequence") == 0 && idc && num &&
            d != DBE_SQLITE) {
            unsigned long long v = strtoull(o->value, NULL, 10);
            if (d == DBE_POSTGRESQL) {
                xl_sbuf rel = {0}, mx = {0};
                if (schema) {
                    put_quoted(&rel, d, schema);
                    xl_sb_putc(&rel, '.');
                }
                put_quoted(&rel, d, table->name);
                xl_sb_puts(&mx, "GREATEST(COALESCE(MAX(");
                put_quoted(&mx, d, idc->name);
                xl_sb_printf(&mx, "), 0), %llu)", v);
                xl_sb_puts(&b, "SELECT setval(pg_get_serial_sequence(");
                put_literal(&b, d, rel.p ? rel.p : "", rel.len);
                xl_sb_puts(&b, ", ");
                put_literal(&b, d, idc->name, strlen(idc->name));
                xl_sb_printf(&b, "), GREATEST(%s, 1), %s > 0) FROM %s", mx.p ? mx.p : "0",
                             mx.p ? mx.p : "0", rel.p ? rel.p : "");
                xl_sb_free(&rel);
                xl_sb_free(&mx);
            } else {
                xl_sb_puts(&b, "ALTER TABLE ");
                put_quoted(&b, d, table->name);
                xl_sb_printf(&b, " AUTO_INCREMENT = %llu", v + 1);
            }
            break;
        }
        why = dupf("sequence \"%s\": not created; identity/auto-increment counters are moved "
                   "past the loaded values instead", oname);
        break;
    }
    case DBF_OBJ_TYPE:
        if (strcmp(subtype, "enum") == 0)
            break; /* columns carry their labels */
        why = dupf("type \"%s\" (%s) of %s not created; its columns use portable types", oname,
                   o->subtype ? o->subtype : "type", src);
        break;
    case DBF_OBJ_SCHEMA:
        break; /* tables go to the target's default (or --schema) namespace */
    case DBF_OBJ_SETTING:
        why = dupf("setting \"%s\" = %s of %s not carried (no equivalent)", oname,
                   o->value ? o->value : "", src);
        rc = DBF_EUNSUPPORTED;
        break;
    case DBF_OBJ_VIEW:
        why = dupf("view \"%s\": its query is %s SQL and is not translated; not created", oname,
                   src);
        rc = DBF_EUNSUPPORTED;
        break;
    case DBF_OBJ_TRIGGER:
        why = dupf("trigger \"%s\" on \"%s\": %s trigger code is not translated; not created",
                   oname, o->table ? o->table : "?", src);
        rc = DBF_EUNSUPPORTED;
        break;
    case DBF_OBJ_NATIVE:
    default:
        if (strcmp(subtype, "sequence_owned_by") == 0)
            break; /* serial columns became identity columns */
        why = dupf("%s \"%s\": %s-only object; not created", o->subtype ? o->subtype : "object",
                   oname, src);
        rc = DBF_EUNSUPPORTED;
        break;
    }
    if (rc == 0 && (b.oom || nm.oom))
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
    if (rc == DBF_EUNSUPPORTED && why)
        dbf_error_set(err, rc, "%s", why);
    if (rc == 0 && b.len)
        *out_sql = xl_sb_take(&b);
    if (rc == 0 || rc == DBF_EUNSUPPORTED) {
        *out_note = why;
        why = NULL;
    }
    free(why);
    xl_sb_free(&b);
    xl_sb_free(&nm);
    return rc;
}

/* ------------------------------------------- SQLite: constraints by rebuild */

int dbr_xlate_sqlite_add_constraint(char **out_sql, char **out_note, dbr_xlate *x,
                                    const dbf_header *h, const dbf_object *o, dbf_error *err)
{
    int rc = 0;
    xl_sbuf cl = {0}, b = {0}, q = {0};
    char *why = NULL;
    *out_sql = NULL;
    *out_note = NULL;
    const char *sub = o->subtype ? o->subtype : "";
    const char *oname = o->name ? o->name : "(unnamed)";
    const char *src = h && h->engine ? h->engine : "?";
    if (x->dialect != DBE_SQLITE || o->kind != DBF_OBJ_CONSTRAINT ||
        (strcmp(sub, "foreign_key") != 0 && strcmp(sub, "check") != 0))
        return dbf_error_set(err, DBF_EINVAL, "dbr_xlate_sqlite_add_constraint: a foreign key "
                             "or check constraint for a SQLite target table is needed");
    xl_sb_puts(&cl, "CONSTRAINT ");
    if ((rc = put_ident(&cl, x->dialect, oname, err)))
        goto done;
    if (strcmp(sub, "foreign_key") == 0) {
        if (!o->ref_table || !o->ncolumns ||
            (o->nref_columns != o->ncolumns && o->nref_columns != 0) ||
            !ref_action_ok(o->on_delete) || !ref_action_ok(o->on_update)) {
            why = dupf("foreign key \"%s\" on \"%s\": incomplete or unknown reference; not "
                       "created", oname, x->src_table);
            rc = DBF_EUNSUPPORTED;
            goto done;
        }
        xl_sb_puts(&cl, " FOREIGN KEY ");
        if ((rc = put_col_list(&cl, x->dialect, o->columns, o->ncolumns, NULL, false, err)))
            goto done;
        xl_sb_puts(&cl, " REFERENCES ");
        if ((rc = put_ident(&cl, x->dialect, o->ref_table, err)))
            goto done;
        if (o->nref_columns) {
            xl_sb_putc(&cl, ' ');
            if ((rc = put_col_list(&cl, x->dialect, o->ref_columns, o->nref_columns, NULL, false,
                                   err)))
                goto done;
        }
        if (o->on_delete && strcmp(o->on_delete, "NO ACTION") != 0)
            xl_sb_printf(&cl, " ON DELETE %s", o->on_delete);
        if (o->on_update && strcmp(o->on_update, "NO ACTION") != 0)
            xl_sb_printf(&cl, " ON UPDATE %s", o->on_update);
    } else {
        char *te = o->expr ? xlate_check_expr(o->expr, src, x->dialect) : NULL;
        if (!te) {
            why = dupf("check constraint \"%s\" on \"%s\" (%s): expression is not portable; "
                       "not created", oname, x->src_table, o->expr ? o->expr : "?");
            rc = DBF_EUNSUPPORTED;
            goto done;
        }
        xl_sb_printf(&cl, " CHECK (%s)", te);
        free(te);
    }
    if (cl.oom) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    char **v = realloc(x->sq_cons, (x->nsq_cons + 1) * sizeof *v);
    if (!v) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    x->sq_cons = v;
    x->sq_cons[x->nsq_cons++] = xl_sb_take(&cl);
    if (!x->sq_cons[x->nsq_cons - 1]) {
        x->nsq_cons--;
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    /* CREATE TABLE "t__dbr_rebuild" (<columns of tt>, <constraints>); copy; drop; rename */
    xl_sbuf tmp = {0};
    xl_sb_printf(&tmp, "%s__dbr_rebuild", x->tt.name);
    put_quoted(&q, x->dialect, x->tt.name);
    size_t pre = strlen("CREATE TABLE ") + q.len;
    const char *body = x->tt.native_sql + pre; /* " (\n  ...\n)" */
    size_t blen = strlen(body);
    xl_sb_puts(&b, "CREATE TABLE ");
    put_quoted(&b, x->dialect, tmp.p ? tmp.p : "");
    xl_sb_putn(&b, body, blen - 2); /* without "\n)" */
    for (size_t i = 0; i < x->nsq_cons; i++)
        xl_sb_printf(&b, ",\n  %s", x->sq_cons[i]);
    xl_sb_puts(&b, "\n);\nINSERT INTO ");
    put_quoted(&b, x->dialect, tmp.p ? tmp.p : "");
    xl_sb_puts(&b, " SELECT * FROM ");
    xl_sb_putn(&b, q.p, q.len);
    xl_sb_puts(&b, ";\nDROP TABLE ");
    xl_sb_putn(&b, q.p, q.len);
    xl_sb_puts(&b, ";\nALTER TABLE ");
    put_quoted(&b, x->dialect, tmp.p ? tmp.p : "");
    xl_sb_puts(&b, " RENAME TO ");
    xl_sb_putn(&b, q.p, q.len);
    xl_sb_free(&tmp);
    if (b.oom) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    *out_sql = xl_sb_take(&b);
    why = dupf("%s \"%s\" on \"%s\": SQLite cannot add it to an existing table: the table is "
               "rebuilt with it (its indexes must be created afterwards)",
               strcmp(sub, "check") == 0 ? "check constraint" : "foreign key", oname,
               x->src_table);
done:
    if (rc == DBF_EUNSUPPORTED && why)
        dbf_error_set(err, rc, "%s", why);
    if (rc == 0 || rc == DBF_EUNSUPPORTED) {
        *out_note = why;
        why = NULL;
    }
    free(why);
    xl_sb_free(&cl);
    xl_sb_free(&b);
    xl_sb_free(&q);
    return rc;
}

/* -------------------------------------------------------------------- plan */

int dbr_xlate_plan(dbe_id d, const dbf_header *h, const dbf_table *const *tables,
                   size_t ntables, const dbf_object *const *objects, size_t nobjects,
                   const dbr_xlate_opts *o, dbr_line_fn emit, void *ctx, dbf_error *err)
{
    int rc = 0;
    size_t nnotes = 0, nbad = 0, nerr = 0;
    dbr_xlate **xs = calloc(ntables ? ntables : 1, sizeof *xs);
    const char **tnames = calloc(ntables ? ntables : 1, sizeof *tnames);
    char line[DBF_ERROR_MAX + 64];
    if (!xs || !tnames) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(line, sizeof line, "plan: %s archive -> %s, %zu tables, %zu objects",
             h && h->engine ? h->engine : "?", dbe_name(d), ntables, nobjects);
    if ((rc = emit(ctx, line)))
        goto done;
    for (size_t i = 0; i < ntables; i++) {
        dbf_error e = {0};
        tnames[i] = tables[i]->name;
        int r = dbr_xlate_table_create(&xs[i], d, h, tables[i], o, &e);
        if (r == DBF_ENOMEM) {
            rc = dbf_error_set(err, r, "%s", e.msg);
            goto done;
        }
        if (r) {
            snprintf(line, sizeof line, "ERROR: %s", e.msg);
            nerr++;
            if ((rc = emit(ctx, line)))
                goto done;
            continue;
        }
        for (size_t k = 0; k < xs[i]->nnotes; k++, nnotes++)
            if ((rc = emit(ctx, xs[i]->notes[k])))
                goto done;
    }
    {
        dbf_error e = {0};
        if (dbr_xlate_check_names(d, tnames, ntables, "tables", &e)) {
            snprintf(line, sizeof line, "ERROR: %s", e.msg);
            nerr++;
            if ((rc = emit(ctx, line)))
                goto done;
        }
    }
    /* SQLite archives: constraints inside the CREATE TABLE texts count as objects too */
    size_t nall = nobjects;
    dbr_xlate_objs **lists = NULL;
    bool src_sqlite = h && h->engine && strcmp(h->engine, "sqlite") == 0;
    if (src_sqlite && d != DBE_SQLITE) {
        lists = calloc(ntables ? ntables : 1, sizeof *lists);
        if (!lists) {
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < ntables; i++) {
            dbf_error e = {0};
            if (dbr_xlate_sqlite_constraints(&lists[i], tables[i], &e) == 0) {
                nall += dbr_xlate_objs_count(lists[i]);
            } else {
                snprintf(line, sizeof line, "not expressible: constraints of %s", e.msg);
                nbad++;
                if ((rc = emit(ctx, line)))
                    goto done_lists;
            }
        }
    }
    for (size_t i = 0, li = 0, lk = 0; i < nall; i++) {
        const dbf_object *ob = NULL;
        if (i < nobjects) {
            ob = objects[i];
        } else {
            while (li < ntables && lk >= dbr_xlate_objs_count(lists[li]))
                li++, lk = 0;
            if (li >= ntables)
                break;
            ob = dbr_xlate_objs_get(lists[li], lk++);
        }
        const dbf_table *tt = NULL;
        for (size_t k = 0; ob->table && k < ntables; k++)
            if (xs[k] && strcmp(tables[k]->name, ob->table) == 0)
                tt = &xs[k]->tt;
        char *sql = NULL, *why = NULL;
        dbf_error e = {0};
        int r;
        dbr_xlate *owner = NULL;
        for (size_t k = 0; ob->table && k < ntables; k++)
            if (xs[k] && strcmp(tables[k]->name, ob->table) == 0)
                owner = xs[k];
        if (d == DBE_SQLITE && owner && ob->kind == DBF_OBJ_CONSTRAINT && ob->subtype &&
            (strcmp(ob->subtype, "foreign_key") == 0 || strcmp(ob->subtype, "check") == 0))
            r = dbr_xlate_sqlite_add_constraint(&sql, &why, owner, h, ob, &e);
        else
            r = dbr_xlate_object(&sql, &why, d, h, ob, tt, o, &e);
        free(sql);
        if (r == DBF_ENOMEM) {
            free(why);
            rc = dbf_error_set(err, r, "%s", e.msg);
            goto done_lists;
        }
        if (r)
            nbad++;
        if (why) {
            snprintf(line, sizeof line, "%s%s", r ? "not expressible: " : "", why);
            nnotes++;
            free(why);
            if ((rc = emit(ctx, line)))
                goto done_lists;
        } else if (r) {
            snprintf(line, sizeof line, "not expressible: %s", e.msg);
            if ((rc = emit(ctx, line)))
                goto done_lists;
        }
    }
    snprintf(line, sizeof line, "plan: %zu tables, %zu notes, %zu objects not expressible, "
             "%zu errors", ntables, nnotes, nbad, nerr);
    rc = emit(ctx, line);
done_lists:
    for (size_t i = 0; lists && i < ntables; i++)
        dbr_xlate_objs_free(lists[i]);
    free(lists);
done:
    for (size_t i = 0; xs && i < ntables; i++)
        dbr_xlate_free(xs[i]);
    free(xs);
    free(tnames);
    return rc;
}
