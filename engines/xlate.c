/*
 * xlate.c - cross-engine translation: identifiers, the type matrix, CREATE TABLE, defaults,
 * the row conversion driver and counters. Rules: spec/TYPES.md, "Cross-engine matrix". What
 * each target dialect needs is in pg/pg_dialect.c, mysql/my_dialect.c and
 * sqlite/lite_dialect.c (dbe_dialect); objects and --plan are in xlate_obj.c, value conversion
 * in xlate_val.c.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbc.h"
#include "xlate_int.h"

const dbe_dialect *xl_dialect_of(dbe_id d)
{
    const dbe_engine *e = dbe_engine_of(d);
    return e ? e->dialect : &xl_pg;
}

dbe_xlate_opts dbe_xlate_opts_of(const dbe_restore_opts *o)
{
    return (dbe_xlate_opts){.version = DBE_XLATE_OPTS_VERSION, .lossy = o->lossy,
                            .epoch_units = o->epoch_units, .nepoch_units = o->nepoch_units,
                            .time_zone = o->time_zone};
}

/* -------------------------------------------------------------- identifiers */

/* Fit a name to the dialect's limit. *out is malloc'd. */
static int fit_ident(char **out, const dbe_dialect *dl, const char *name, bool *truncated,
                     dbf_error *err)
{
    *out = NULL;
    if (truncated)
        *truncated = false;
    if (!name || !*name)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "empty identifier");
    size_t n = strlen(name);
    size_t cut = n;
    if (dl->fit) {
        if (!xl_utf8_valid(name, n))
            return dbf_error_set(err, DBF_EUNSUPPORTED, "identifier \"%s\" is not valid UTF-8",
                                 name);
        int rc = dl->fit(&cut, name, n, err);
        if (rc)
            return rc;
    }
    char *s = malloc(cut + 1);
    if (!s)
        return dbc_oom(err);
    memcpy(s, name, cut);
    s[cut] = '\0';
    if (truncated)
        *truncated = cut != n;
    *out = s;
    return 0;
}

void xl_put_quoted(xl_sbuf *b, const dbe_dialect *dl, const char *fitted)
{
    dbc_buf_ident(b, fitted, dl->quote);
}

int xl_put_ident(xl_sbuf *b, const dbe_dialect *dl, const char *name, dbf_error *err)
{
    char *f = NULL;
    int rc = fit_ident(&f, dl, name, NULL, err);
    if (rc == 0)
        xl_put_quoted(b, dl, f);
    free(f);
    return rc;
}

int dbe_xlate_quote_ident(char **out, dbe_id d, const char *name, dbf_error *err)
{
    *out = NULL;
    xl_sbuf b = {0};
    int rc = xl_put_ident(&b, xl_dialect_of(d), name, err);
    if (rc)
        goto done;
    *out = xl_sb_take(&b);
    if (!*out)
        rc = dbc_oom(err);
done:
    xl_sb_free(&b);
    return rc;
}

static bool names_equal(const dbe_dialect *dl, const char *a, const char *b)
{
    if (!dl->ident_nocase)
        return strcmp(a, b) == 0;
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

int dbe_xlate_check_names(dbe_id d, const char *const *names, size_t n, const char *what,
                          dbf_error *err)
{
    const dbe_dialect *dl = xl_dialect_of(d);
    char **fit = calloc(n ? n : 1, sizeof *fit);
    int rc = 0;
    if (!fit)
        return dbc_oom(err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = fit_ident(&fit[i], dl, names[i], NULL, err);
        for (size_t j = 0; j < i && rc == 0; j++) {
            if (names_equal(dl, fit[i], fit[j]))
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

/* SQL string literal in the target dialect (MySQL: backslashes doubled too). */
void xl_put_literal(xl_sbuf *b, const dbe_dialect *dl, const char *s, size_t n)
{
    xl_sb_putc(b, '\'');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || (dl->lit_backslash && s[i] == '\\')) {
            xl_sb_putn(b, s + run, i - run + 1);
            xl_sb_putc(b, s[i]);
            run = i + 1;
        }
    }
    xl_sb_putn(b, s + run, n - run);
    xl_sb_putc(b, '\'');
}

/* ---------------------------------------------------------- handle helpers */

/* Malloc'd text p (NULL: none) as a string of x; p is freed. */
static char *own(dbe_xlate *x, char *p)
{
    char *s = dbf_arena_strdup(&x->mem, p);
    free(p);
    return s;
}

static char *own_dup(dbe_xlate *x, const char *s)
{
    return dbf_arena_strdup(&x->mem, s);
}

/* vsnprintf into a malloc'd string. */
static char *vdupf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *xl_dupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vdupf(fmt, ap);
    va_end(ap);
    return s;
}

void xl_note(dbe_xlate *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = own(x, vdupf(fmt, ap));
    va_end(ap);
    if (s)
        dbc_vec_push_ptr(&x->notes, s);
}

bool xl_in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

bool xl_is_number(const char *s)
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

/* ------------------------------------------------------------ type matrix */

/* Source type description for notes. */
static void src_desc(char *buf, size_t cap, const dbf_column *sc)
{
    if (sc->native_type && *sc->native_type)
        snprintf(buf, cap, "%s", sc->native_type);
    else if (sc->type == DBF_T_INT)
        snprintf(buf, cap, "int%u%s", sc->bits ? sc->bits : 64u,
                 sc->is_unsigned ? " unsigned" : "");
    else
        snprintf(buf, cap, "%s", dbf_type_name(sc->type));
}

/* Effective source type and parameters (inferred for SQLite columns). */
static void src_effective(const dbf_column *sc, xl_src *s)
{
    if (sc->type == DBF_T_ANY) {
        xl_sqlite_infer(sc->native_type, s);
        return;
    }
    memset(s, 0, sizeof *s);
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

void xl_map_as(xl_map *m, const char *decl, dbf_type t, const char *why)
{
    xl_sb_puts(m->decl, decl);
    m->c->ltype = t;
    m->c->llength = -1;
    m->c->same = false;
    m->why = why;
}

/* The column as its dialect's types row says (r->decl set). */
static void map_row(xl_map *m, const xl_tmap *r)
{
    xl_sb_printf(m->decl, r->decl, (int)m->fsp);
    if (r->as != DBF_T_ANY) {
        m->c->ltype = r->as;
        m->c->llength = -1;
    }
    m->c->same &= !r->convert && r->as == DBF_T_ANY;
    m->why = r->why;
}

/* Notes that the source decides whatever the target: the dynamic values of SQLite columns
 * (what is accepted and how it is read), MySQL's tinyint(1). */
static void src_note(xl_map *m)
{
    static const char *const any_why[DBF_T__COUNT] = {
        [DBF_T_BOOL] = "0/1 and 'true'/'false'/'t'/'f' text accepted, other values refused",
        [DBF_T_FLOAT32] = "integers converted to REAL when exact, text refused",
        [DBF_T_FLOAT64] = "integers converted to REAL when exact, text refused",
        [DBF_T_DATE] = "text validated and normalised to YYYY-MM-DD; numbers refused",
        [DBF_T_TIME] = "text validated and normalised to HH:MM:SS[.ffffff]; numbers refused",
        [DBF_T_TIMESTAMP] = "text validated and normalised to YYYY-MM-DD HH:MM:SS[.ffffff]; a "
                            "zone offset is converted to UTC (as SQLite's datetime() does); "
                            "integers are epoch s/ms/us (--epoch-unit)",
        [DBF_T_JSON] = "text validated as JSON, numbers as JSON numbers, blobs refused",
    };
    const xl_src *s = m->s;
    const xl_col *c = m->c;
    bool other = !m->x->dl->storage_classes; /* values leave SQLite's storage classes */
    if (s->any && s->type < DBF_T__COUNT && any_why[s->type])
        m->why = any_why[s->type];
    if (s->type == DBF_T_INT || s->type == DBF_T_YEAR) {
        if (s->any && (s->bits < 64))
            m->why = "integer values outside the declared type's range are refused";
        if (m->x->dl->id != DBE_MYSQL && m->sc->native_type &&
            strncasecmp(m->sc->native_type, "tinyint(1)", 10) == 0 && !s->any)
            m->why = "MySQL tinyint(1) (often a boolean) kept as an integer: values unchanged";
    } else if (s->type == DBF_T_DECIMAL) {
        if (s->any && other)
            m->why = "integers, reals (shortest round-trip text) and numeric text converted; "
                     "other text refused";
        if (s->any && c->lscale >= 0 && c->lprecision >= 0 && c->ltype == DBF_T_DECIMAL) {
            snprintf(m->whybuf2, sizeof m->whybuf2, "%s%svalues padded to scale %d, more "
                     "fraction digits refused (--lossy: rounded)", m->why ? m->why : "",
                     m->why ? "; " : "", (int)c->lscale);
            m->why = m->whybuf2;
        }
    } else if (s->type == DBF_T_TEXT && s->untyped) {
        snprintf(m->whybuf, sizeof m->whybuf, "declared type \"%s\" has no portable meaning: "
                 "values as text (integers and reals as decimal text, blobs refused)",
                 m->sc->native_type ? m->sc->native_type : "");
        m->why = m->whybuf;
    } else if (s->type == DBF_T_TEXT && s->any && other) {
        m->why = NULL; /* TEXT affinity already turned numbers into text; blobs are refused */
    } else if (s->type == DBF_T_BYTES && s->any && other) {
        m->why = "text values carried as their bytes, numbers refused";
    }
}

/* What every dialect's mapping of a type shares. */
static void type_common(xl_map *m)
{
    xl_col *c = m->c;
    switch (m->s->type) {
    case DBF_T_BYTES:
    case DBF_T_UUID:
    case DBF_T_BIT:
        c->l_utf8 = c->l_nonul = false;
        break;
    case DBF_T_TIMESTAMP:
    case DBF_T_TIMESTAMPTZ:
        c->lprecision = m->fsp;
        break;
    case DBF_T_ENUM:
        c->l_labels = m->sc->nlabels > 0;
        c->same = false;
        break;
    default:
        break;
    }
}

/*
 * Choose the target type of one column: fills c (logical type and checks), tc (published
 * column type) and decl (the type text of the DDL). Adds plan notes.
 */
static int map_type(dbe_xlate *x, const char *tname, const dbf_column *sc, const xl_src *s,
                    bool in_pk, xl_col *c, dbf_column *tc, xl_sbuf *decl, dbf_error *err)
{
    const dbe_dialect *dl = x->dl;
    char sd[96];
    src_desc(sd, sizeof sd, sc);
    xl_map m = {.x = x, .sc = sc, .s = s, .in_pk = in_pk, .c = c, .tc = tc, .decl = decl};
    m.fsp = s->precision >= 0 && s->precision <= 6 ? s->precision : 6;
    c->ltype = s->type;
    c->lbits = s->bits;
    c->lunsigned = s->is_unsigned;
    c->llength = s->length;
    c->lprecision = s->precision;
    c->lscale = s->scale;
    c->any_out = dl->storage_classes;
    c->l_utf8 = dl->text_utf8;
    c->l_nonul = dl->text_nonul;
    c->same = !s->any && !dl->storage_classes;
    const xl_tmap *r = &dl->types[s->type > DBF_T_ANY && s->type < DBF_T__COUNT ? s->type
                                                                                : DBF_T_NATIVE];
    int rc = 0;
    if (r->decl)
        map_row(&m, r);
    else if ((rc = dl->map_type(&m, err)))
        return rc;
    type_common(&m);
    src_note(&m);
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
    if (dl->text_charset && !c->l_uuid_keep &&
        (c->ltype == DBF_T_TEXT || c->ltype == DBF_T_ENUM || c->ltype == DBF_T_SET)) {
        tc->charset = dl->text_charset;
        tc->collation = dl->text_collation;
    }
    if (!(c->ltype == DBF_T_TEXT || c->ltype == DBF_T_JSON || c->ltype == DBF_T_ENUM ||
          c->ltype == DBF_T_SET))
        c->l_utf8 = c->l_nonul = false; /* text checks apply to text only */
    if (c->same && (c->l_utf8 || c->l_nonul || c->l_labels))
        c->same = false;
    if (m.why)
        xl_note(x, "table \"%s\" column \"%s\": %s -> %s: %s", tname, sc->name, sd, decl->p,
                m.why);
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
    } else if (xl_is_number(t)) {
        kind = D_NUM;
        xl_sb_puts(lit, t[0] == '+' ? t + 1 : t);
    } else if (parse_string_lit(t, mysql_src, lit)) {
        kind = D_STR;
    } else if (xl_in_list(z, now_list) || (strncmp(z, "current_timestamp(", 18) == 0) ||
               strncmp(z, "localtimestamp(", 15) == 0 || strncmp(z, "now(", 4) == 0) {
        kind = D_NOW;
    } else if (xl_in_list(z, today_list)) {
        kind = D_TODAY;
    } else if (xl_in_list(z, time_list) || strncmp(z, "current_time(", 13) == 0 ||
               strncmp(z, "localtime(", 10) == 0) {
        kind = D_CURTIME;
    } else if (xl_in_list(z, uuid_list)) {
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
static bool literal_fits(const xl_col *c, const dbe_dialect *dl, const char *s, size_t n)
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
            return dl->dates_infinity;
        return xl_dt_valid_date(&dt) || (dt.zero && dl->dates_zero);
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

/* A text default on a boolean column: 1, 0, or -1 when it is not a boolean. */
static int bool_text(const char *s, size_t n)
{
    static const char *const t[] = {"t", "true", "1", "y", "yes", "on", NULL};
    static const char *const f[] = {"f", "false", "0", "n", "no", "off", NULL};
    char low[8] = {0};
    for (size_t i = 0; i < n && i < 7; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    return n < 7 ? (xl_in_list(low, t) ? 1 : xl_in_list(low, f) ? 0 : -1) : -1;
}

/* A literal default (D_BOOL, D_NUM, D_STR: its value in lit) into out.
 * @return NULL, or why it is dropped. */
static const char *default_literal(const dbe_dialect *dl, const xl_col *c, int kind,
                                   const xl_sbuf *lit, xl_sbuf *out)
{
    const char *s = lit->p ? lit->p : "";
    bool num = numeric_ltype(c->ltype);
    if (kind == D_BOOL) {
        if (boolish(c) || c->ltype == DBF_T_BOOL)
            xl_sb_puts(out, s[0] == '1' ? dl->lit_true : dl->lit_false);
        else if (num)
            xl_sb_puts(out, s);
        else
            return "a boolean default on a non-boolean column";
    } else if (kind == D_NUM) {
        if (boolish(c) && (strcmp(s, "0") == 0 || strcmp(s, "1") == 0))
            xl_sb_puts(out, s[0] == '1' ? dl->lit_true : dl->lit_false);
        else if (boolish(c))
            return "a numeric default other than 0/1 on a boolean column";
        else if (num && !(c->any_out && c->ltype == DBF_T_DECIMAL))
            xl_sb_puts(out, s);
        else if (c->ltype == DBF_T_TEXT || c->ltype == DBF_T_JSON || c->ltype == DBF_T_ENUM ||
                 c->ltype == DBF_T_DECIMAL)
            xl_put_literal(out, dl, s, lit->len);
        else
            return "a numeric default on a column of another type";
    } else if (boolish(c)) {
        int v = bool_text(s, lit->len);
        if (v < 0)
            return "a text default that is not a boolean";
        xl_sb_puts(out, v ? dl->lit_true : dl->lit_false);
    } else if (num) {
        if (!xl_is_number(s))
            return "a text default on a numeric column";
        if (c->any_out && c->ltype == DBF_T_DECIMAL)
            xl_put_literal(out, dl, s, lit->len);
        else
            xl_sb_puts(out, s);
    } else if (!literal_fits(c, dl, s, lit->len)) {
        return "a literal that is not a valid value of the target type";
    } else {
        xl_put_literal(out, dl, s, lit->len);
    }
    return NULL;
}

/* A current date/time or random UUID default into out. @return NULL, or why it is dropped. */
static const char *default_function(dbe_xlate *x, const char *tname, const dbf_column *sc,
                                    const xl_col *c, int kind, xl_sbuf *out)
{
    const dbe_dialect *dl = x->dl;
    bool ts = c->ltype == DBF_T_TIMESTAMP || c->ltype == DBF_T_TIMESTAMPTZ;
    if (kind == D_NOW && ts) {
        const char *f = c->ltype == DBF_T_TIMESTAMPTZ ? dl->now_tz : dl->now_local;
        if (dl->now_fsp && c->lprecision > 0)
            xl_sb_printf(out, "%s(%d)", f, (int)c->lprecision);
        else
            xl_sb_puts(out, f);
        if ((c->ltype == DBF_T_TIMESTAMPTZ || c->l_utc_strip) && dl->now_note)
            xl_note(x, "table \"%s\" column \"%s\": %s", tname, sc->name, dl->now_note);
    } else if (kind == D_NOW || kind == D_TODAY) {
        if (c->ltype != DBF_T_DATE)
            return kind == D_NOW
                       ? "a current-time default on a column that does not hold timestamps"
                       : "a current-date default on a column that is not a date";
        xl_sb_puts(out, dl->today);
    } else if (kind == D_CURTIME) {
        if (c->ltype != DBF_T_TIME)
            return "a current-time default on a column that is not a time";
        xl_sb_puts(out, dl->curtime);
    } else {
        if (!dl->uuid_fn)
            return dl->uuid_missing;
        if (!(c->ltype == DBF_T_UUID || (dl->uuid_in_text && c->ltype == DBF_T_TEXT)))
            return "a UUID default on a column that is not a UUID";
        xl_sb_puts(out, dl->uuid_fn);
    }
    return NULL;
}

/*
 * Translate a column default into clause (" DEFAULT ..."); parens: it must be an expression.
 * *nextval set for a sequence default (the column becomes an identity column instead).
 */
static void xl_default(dbe_xlate *x, const char *tname, const dbf_column *sc, const xl_col *c,
                       bool parens, xl_sbuf *clause, bool *nextval, char **tdefault)
{
    xl_sbuf lit = {0}, out = {0};
    bool mysql_src = x->src_engine && strcmp(x->src_engine, "mysql") == 0;
    int kind = classify_default(sc->default_expr, mysql_src, &lit);
    const char *drop = NULL;
    if (kind == D_NEXTVAL)
        *nextval = true;
    else if (kind == D_BOOL || kind == D_NUM || kind == D_STR)
        drop = default_literal(x->dl, c, kind, &lit, &out);
    else if (kind == D_NOW || kind == D_TODAY || kind == D_CURTIME || kind == D_UUID)
        drop = default_function(x, tname, sc, c, kind, &out);
    else if (kind != D_NULL)
        drop = "no equivalent in the target dialect";
    if (drop) {
        xl_note(x, "table \"%s\" column \"%s\": default %s dropped: %s", tname, sc->name,
                sc->default_expr, drop);
    } else if (out.len) {
        xl_sbuf fin = {0};
        bool wrap = parens && out.p[0] != '(';
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
    return !c || xl_in_list(c, ok);
}

/* A new handle for archive table `name` (nsrc columns), room for n target columns. */
static dbe_xlate *xlate_new(dbe_id d, const dbf_header *h, const char *name, size_t nsrc,
                            size_t n, const dbe_xlate_opts *o)
{
    dbe_xlate *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->dialect = d;
    x->dl = xl_dialect_of(d);
    dbe_xlate_opts defo = DBE_XLATE_OPTS_INIT;
    x->opts = o ? *o : defo;
    x->src_engine = own_dup(x, h && h->engine ? h->engine : "");
    x->src_table = own_dup(x, name);
    x->nsrc = nsrc;
    x->cols = calloc(n ? n : 1, sizeof *x->cols);
    x->tcols = calloc(n ? n : 1, sizeof *x->tcols);
    x->out = calloc(n ? n : 1, sizeof *x->out);
    if (!x->cols || !x->tcols || !x->out) {
        dbe_xlate_free(x);
        return NULL;
    }
    return x;
}

/* Target column c takes archive column i (sc, of effective type *s). */
static void col_source(dbe_xlate *x, xl_col *c, const dbf_column *sc, size_t i, xl_src *s)
{
    src_effective(sc, s);
    c->src = i;
    c->name = own_dup(x, sc->name);
    c->stype = sc->type;
    c->sinfer = s->type;
    c->selem = sc->elem_type;
}

/* A name fitted for the target, owned by x; a note when it was cut. */
static int own_fitted(const char **out, dbe_xlate *x, const char *name, const char *col,
                      dbf_error *err)
{
    char *f = NULL;
    bool trunc = false;
    int rc = fit_ident(&f, x->dl, col ? col : name, &trunc, err);
    if (rc) {
        if (col)
            dbf_error_prefix(err, "table \"%s\" column \"%s\": ", name, col);
        else
            dbf_error_prefix(err, "table \"%s\": ", name);
        return rc;
    }
    if (!(f = own(x, f)))
        return dbc_oom(err);
    if (trunc && col)
        xl_note(x, "table \"%s\" column \"%s\": name truncated to \"%s\"", name, col, f);
    else if (trunc)
        xl_note(x, "table \"%s\": name truncated to \"%s\" (%s identifier limit)", name, f,
                dbe_title(x->dialect));
    *out = f;
    return 0;
}

/* A copy of labels that x owns; NULL when out of memory. */
static const char *const *own_labels(dbe_xlate *x, const char *const *labels, size_t n)
{
    const char **lab = dbf_arena_calloc(&x->mem, n, sizeof *lab);
    if (!lab)
        return NULL;
    for (size_t k = 0; k < n; k++)
        lab[k] = own_dup(x, labels[k]);
    return (const char *const *)lab;
}

/* The target table's name and attributes, and "CREATE TABLE name (". */
static int table_head(xl_build *b, dbf_error *err)
{
    dbe_xlate *x = b->x;
    const dbf_table *t = b->t;
    const char *tfit = NULL;
    int rc = own_fitted(&tfit, x, t->name, NULL, err);
    if (rc)
        return rc;
    x->tt.id = t->id;
    x->tt.name = tfit;
    x->tt.schema = x->dl->schemas ? own_dup(x, x->opts.target_schema) : NULL;
    x->tt.engine = dbe_name(x->dialect);
    x->tt.comment = own_dup(x, t->comment);
    x->tt.row_estimate = t->row_estimate;
    x->next_id = own_dup(x, dbc_kv(t->attrs, t->nattrs, "mysql.auto_increment"));
    xl_sb_puts(&b->sql, "CREATE TABLE ");
    if (x->tt.schema) {
        if ((rc = xl_put_ident(&b->sql, x->dl, x->tt.schema, err)))
            return rc;
        xl_sb_putc(&b->sql, '.');
    }
    xl_put_quoted(&b->sql, x->dl, tfit);
    xl_sb_puts(&b->sql, " (");
    /* single-column integer primary key of a SQLite table is its rowid: an identity */
    if (x->src_engine && strcmp(x->src_engine, "sqlite") == 0 && t->nprimary_key == 1) {
        for (size_t i = 0; i < t->ncolumns; i++) {
            const dbf_column *sc = &t->columns[i];
            if (strcmp(sc->name, t->primary_key[0]) == 0 && sc->native_type &&
                strcasecmp(sc->native_type, "INTEGER") == 0)
                b->rowid_pk = sc->name;
        }
    }
    return 0;
}

/* Type, identity, NOT NULL and default of a column clause. */
static void column_type(xl_build *b, const dbf_column *sc, const xl_col *c, dbf_column *tc,
                        bool in_pk, dbf_type stype, xl_sbuf *col)
{
    dbe_xlate *x = b->x;
    const dbe_dialect *dl = x->dl;
    bool nextval = false;
    xl_sbuf defc = {0};
    char *tdef = NULL;
    if (sc->default_expr && !(sc->flags & DBF_COL_GENERATED))
        xl_default(x, b->t->name, sc, c, dl->default_parens && dl->default_parens(tc->native_type),
                   &defc, &nextval, &tdef);
    tc->default_expr = own(x, tdef);
    bool ident = (sc->flags & (DBF_COL_IDENTITY | DBF_COL_IDENTITY_ALWAYS)) || nextval ||
                 (b->rowid_pk && strcmp(b->rowid_pk, sc->name) == 0);
    bool intlike = c->ltype == DBF_T_INT || (c->ltype == DBF_T_DECIMAL && stype == DBF_T_INT);
    if (ident && !intlike) {
        xl_note(x, "table \"%s\" column \"%s\": auto-increment on a non-integer column dropped",
                b->t->name, sc->name);
        ident = false;
    }
    if (ident)
        ident = dl->identity(b, sc, c, tc, in_pk, col);
    else
        xl_sb_puts(col, tc->native_type);
    if (ident) {
        tc->flags |= DBF_COL_IDENTITY;
        tc->default_expr = NULL;
    } else {
        if (sc->flags & DBF_COL_NOT_NULL)
            xl_sb_puts(col, " NOT NULL");
        if (defc.len)
            xl_sb_puts(col, defc.p);
    }
    xl_sb_free(&defc);
}

/* The column clause of target column b->nt into b->sql. */
static int column_clause(xl_build *b, const dbf_column *sc, const xl_col *c, dbf_column *tc,
                         bool in_pk, dbf_type stype, dbf_error *err)
{
    dbe_xlate *x = b->x;
    const dbe_dialect *dl = x->dl;
    xl_sbuf col = {0};
    xl_sb_puts(&col, b->nt ? ",\n  " : "\n  ");
    xl_put_quoted(&col, dl, tc->name);
    xl_sb_putc(&col, ' ');
    column_type(b, sc, c, tc, in_pk, stype, &col);
    const char *onupd = dbc_kv(sc->attrs, sc->nattrs, "mysql.on_update");
    if (onupd) {
        if (dl->on_update && (c->ltype == DBF_T_TIMESTAMP))
            xl_sb_printf(&col, " ON UPDATE %s", onupd);
        else
            xl_note(x, "table \"%s\" column \"%s\": ON UPDATE %s not carried (no column-level "
                       "equivalent in %s)",
                    b->t->name, sc->name, onupd, dbe_title(x->dialect));
    }
    if (c->l_labels && c->ltype == DBF_T_TEXT) {
        xl_sb_puts(&col, " CHECK (");
        xl_put_quoted(&col, dl, tc->name);
        xl_sb_puts(&col, " IN (");
        for (size_t k = 0; k < sc->nlabels; k++) {
            if (k)
                xl_sb_puts(&col, ", ");
            xl_put_literal(&col, dl, sc->labels[k], strlen(sc->labels[k]));
        }
        xl_sb_puts(&col, "))");
    }
    if (dl->comments && sc->comment) {
        xl_sb_puts(&col, " COMMENT ");
        xl_put_literal(&col, dl, sc->comment, strlen(sc->comment));
    }
    int rc = col.oom ? dbc_oom(err) : 0;
    if (!rc)
        xl_sb_puts(&b->sql, col.p);
    xl_sb_free(&col);
    return rc;
}

/* Archive column i: its target column, type and clause (none for a SQLite rowid). */
static int column_create(xl_build *b, size_t i, dbf_error *err)
{
    dbe_xlate *x = b->x;
    const dbf_table *t = b->t;
    const dbf_column *sc = &t->columns[i];
    if (!sc->name)
        return dbf_error_set(err, DBF_EINVAL, "table \"%s\": column %zu has no name", t->name,
                             i + 1);
    if (sc->flags & DBF_COL_ROWID) {
        xl_note(x, "table \"%s\" column \"%s\": SQLite rowid not carried (no equivalent in %s)",
                t->name, sc->name, dbe_title(x->dialect));
        x->dropped = true;
        return 0;
    }
    xl_col *c = &x->cols[b->nt];
    dbf_column *tc = &x->tcols[b->nt];
    xl_src s;
    col_source(x, c, sc, i, &s);
    c->labels = sc->labels;
    c->nlabels = sc->nlabels;
    int rc = own_fitted(&tc->name, x, t->name, sc->name, err);
    if (rc)
        return rc;
    b->names[b->nt] = sc->name;
    bool in_pk = pk_has(t, sc->name);
    xl_sbuf decl = {0};
    rc = map_type(x, t->name, sc, &s, in_pk, c, tc, &decl, err);
    if (!rc && decl.oom)
        rc = dbc_oom(err);
    if (rc) {
        xl_sb_free(&decl);
        return rc;
    }
    /* copy labels so the target table owns them */
    if (tc->nlabels || c->l_labels) {
        const char *const *lab = own_labels(x, sc->labels, sc->nlabels);
        if (!lab) {
            xl_sb_free(&decl);
            return dbc_oom(err);
        }
        if (tc->nlabels)
            tc->labels = lab;
        if (c->l_labels)
            c->labels = lab;
    }
    tc->native_type = own(x, xl_sb_take(&decl));
    tc->flags = sc->flags & DBF_COL_NOT_NULL;
    tc->comment = own_dup(x, sc->comment);
    tc->type_name = dbf_type_name(tc->type);
    if (tc->collation == NULL && !is_trivial_collation(sc->collation)) {
        if (!b->coll_col)
            b->coll_col = sc->name, b->coll_name = sc->collation;
        b->ncoll++;
    }
    if (sc->flags & DBF_COL_GENERATED)
        xl_note(x, "table \"%s\" column \"%s\": generated column (%s) becomes a plain column "
                   "holding the dumped values",
                t->name, sc->name, sc->generated_expr ? sc->generated_expr : "?");
    if ((rc = column_clause(b, sc, c, tc, in_pk, s.type, err)))
        return rc;
    b->nt++;
    return 0;
}

/* The primary key: a clause (unless inline), and the target table's key columns. */
static int table_pk(xl_build *b, dbf_error *err)
{
    dbe_xlate *x = b->x;
    const dbf_table *t = b->t;
    size_t n = b->inline_pk ? 1 : t->nprimary_key;
    const char **pk = dbf_arena_calloc(&x->mem, n, sizeof *pk);
    if (!pk)
        return dbc_oom(err);
    x->tt.primary_key = pk;
    if (b->inline_pk) {
        for (size_t i = 0; i < b->nt; i++)
            if (strcmp(x->cols[i].name, t->primary_key[0]) == 0)
                pk[0] = x->tcols[i].name;
        x->tt.nprimary_key = 1;
        return 0;
    }
    xl_sb_puts(&b->sql, ",\n  PRIMARY KEY (");
    for (size_t k = 0; k < n; k++) {
        const char *tn = NULL;
        for (size_t i = 0; i < b->nt; i++)
            if (strcmp(x->cols[i].name, t->primary_key[k]) == 0)
                tn = x->tcols[i].name;
        if (!tn)
            return dbf_error_set(err, DBF_EINVAL,
                                 "table \"%s\": primary key column \"%s\" is not a column",
                                 t->name, t->primary_key[k]);
        if (k)
            xl_sb_puts(&b->sql, ", ");
        xl_put_quoted(&b->sql, x->dl, tn);
        pk[k] = tn;
    }
    xl_sb_putc(&b->sql, ')');
    x->tt.nprimary_key = n;
    return 0;
}

/* After the columns: name checks, keys, the closing parenthesis and table options. */
static int table_tail(xl_build *b, dbf_error *err)
{
    dbe_xlate *x = b->x;
    const dbf_table *t = b->t;
    const dbe_dialect *dl = x->dl;
    int rc = 0;
    if (b->nt == 0 && !dl->empty_tables)
        return dbf_error_set(err, DBF_EUNSUPPORTED, "table \"%s\" has no column to create, "
                             "which %s does not allow", t->name, dbe_title(x->dialect));
    if (dbc_table_attr(t, DBE_PG_LO_ATTR))
        xl_note(x, "table \"%s\": PostgreSQL's large objects (their bytes, in pieces of at most "
                   "1 MiB: loid, offset, data) arrive as a table; their owners, grants and "
                   "comments do not", t->name);
    if (b->ncoll)
        xl_note(x, "table \"%s\": collations of %zu text column(s) not carried (e.g. \"%s\" "
                   "%s): the target's binary comparison applies",
                t->name, b->ncoll, b->coll_col, b->coll_name);
    x->ncols = b->nt;
    x->tt.columns = x->tcols;
    x->tt.ncolumns = b->nt;
    xl_sbuf what = {0};
    xl_sb_printf(&what, "columns of table \"%s\"", t->name);
    rc = dbe_xlate_check_names(x->dialect, b->names, b->nt, what.p ? what.p : "columns", err);
    xl_sb_free(&what);
    if (rc || (t->nprimary_key && (rc = table_pk(b, err))))
        return rc;
    if (b->auto_col &&
        !(x->tt.nprimary_key && strcmp(x->tt.primary_key[0], b->auto_col) == 0)) {
        xl_sb_puts(&b->sql, ",\n  KEY (");
        xl_put_quoted(&b->sql, dl, b->auto_col);
        xl_sb_putc(&b->sql, ')');
    }
    xl_sb_puts(&b->sql, "\n)");
    if (dl->table_options)
        xl_sb_puts(&b->sql, dl->table_options);
    if (dl->comments && t->comment) {
        xl_sb_puts(&b->sql, " COMMENT=");
        xl_put_literal(&b->sql, dl, t->comment, strlen(t->comment));
    }
    if (b->sql.oom || !(x->tt.native_sql = own(x, xl_sb_take(&b->sql))))
        return dbc_oom(err);
    return 0;
}

int dbe_xlate_table_create(dbe_xlate **out, dbe_id d, const dbf_header *h,
                           const dbf_table *t, const dbe_xlate_opts *o, dbf_error *err)
{
    int rc = 0;
    *out = NULL;
    if (!t || !t->name || (t->ncolumns && !t->columns) || d < DBE_SQLITE || d > DBE_MYSQL)
        return dbf_error_set(err, DBF_EINVAL, "dbe_xlate_table_create: invalid arguments");
    xl_build b = {.t = t};
    b.x = xlate_new(d, h, t->name, t->ncolumns, t->ncolumns, o);
    b.names = calloc(t->ncolumns ? t->ncolumns : 1, sizeof *b.names);
    if (!b.x || !b.names) {
        rc = dbc_oom(err);
        goto done;
    }
    if ((rc = table_head(&b, err)))
        goto done;
    for (size_t i = 0; i < t->ncolumns; i++)
        if ((rc = column_create(&b, i, err)))
            goto done;
    if ((rc = table_tail(&b, err)))
        goto done;
    *out = b.x;
    b.x = NULL;
done:
    free(b.names);
    xl_sb_free(&b.sql);
    dbe_xlate_free(b.x);
    return rc;
}

/* Logical type of an existing target column (data-only restores). */
static void map_existing(dbe_xlate *x, const dbf_column *sc, const dbf_column *tc, xl_col *c)
{
    const dbe_dialect *dl = x->dl;
    c->any_out = dl->storage_classes;
    c->same = false;
    if (tc->type == DBF_T_ANY) {
        xl_src inf;
        xl_sqlite_infer(tc->native_type, &inf);
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
        c->l_time_of_day = dl->time_of_day && tc->type == DBF_T_TIME;
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
    if (dl->existing)
        dl->existing(tc, textual, c);
    c->l_utf8 = textual && dl->text_utf8;
    c->l_nonul = textual && dl->text_nonul;
    if (c->l_utf8 || c->l_nonul || c->l_fixed_bin || c->l_bytes_max || c->l_charset)
        c->same = false;
}

/* Archive columns matched to existing ones by name (exactly, else ignoring case): match[k]
 * is the archive column + 1 of existing column k, 0 none. Unmatched archive columns are
 * refused, or notes with o->skip_missing. */
static int match_columns(dbe_xlate *x, const dbf_table *src, const dbf_table *existing,
                         size_t *match, dbf_error *err)
{
    const char *tname = src->name;
    size_t ne = existing->ncolumns, nmissing = 0;
    xl_sbuf missing = {0};
    int rc = 0;
    for (size_t i = 0; i < src->ncolumns; i++) {
        const dbf_column *sc = &src->columns[i];
        if (sc->flags & DBF_COL_ROWID) {
            xl_note(x, "table \"%s\" column \"%s\": SQLite rowid not carried", tname, sc->name);
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
            xl_note(x, "table \"%s\" column \"%s\": matched target column \"%s\" ignoring case",
                    tname, sc->name, existing->columns[k].name);
        }
        if (k == ne || match[k]) {
            xl_sb_printf(&missing, "%s\"%s\"", nmissing ? ", " : "", sc->name);
            nmissing++;
            continue;
        }
        if (existing->columns[k].flags & DBF_COL_GENERATED) {
            xl_note(x, "table \"%s\" column \"%s\": the target column is generated; archive "
                       "values not loaded", tname, sc->name);
            x->dropped = true;
            continue;
        }
        match[k] = i + 1;
    }
    if (nmissing && !x->opts.skip_missing) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED, "table \"%s\": archive column%s without a "
                           "target column: %s", tname, nmissing > 1 ? "s" : "",
                           missing.p ? missing.p : "");
    } else if (nmissing) {
        xl_note(x, "table \"%s\": archive columns without a target column, skipped: %s", tname,
                missing.p ? missing.p : "");
        x->dropped = true;
    }
    xl_sb_free(&missing);
    return rc;
}

int dbe_xlate_table_into(dbe_xlate **out, dbe_id d, const dbf_header *h,
                         const dbf_table *src, const dbf_table *existing,
                         const dbe_xlate_opts *o, dbf_error *err)
{
    int rc = 0;
    dbe_xlate *x = NULL;
    size_t *match = NULL; /* existing column -> source column + 1, 0 = none */
    *out = NULL;
    if (!src || !existing || !src->name || d < DBE_SQLITE || d > DBE_MYSQL ||
        (src->ncolumns && !src->columns) || (existing->ncolumns && !existing->columns))
        return dbf_error_set(err, DBF_EINVAL, "dbe_xlate_table_into: invalid arguments");
    size_t ne = existing->ncolumns;
    x = xlate_new(d, h, src->name, src->ncolumns, ne, o);
    match = calloc(ne ? ne : 1, sizeof *match);
    if (!x || !match) {
        rc = dbc_oom(err);
        goto done;
    }
    x->canon_json = true;
    if ((rc = match_columns(x, src, existing, match, err)))
        goto done;
    size_t nt = 0;
    for (size_t j = 0; j < ne; j++) {
        if (!match[j])
            continue;
        const dbf_column *sc = &src->columns[match[j] - 1];
        const dbf_column *tc = &existing->columns[j];
        xl_col *c = &x->cols[nt];
        xl_src s;
        col_source(x, c, sc, match[j] - 1, &s);
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
    dbe_xlate_free(x);
    return rc;
}

const dbf_table *dbe_xlate_target(const dbe_xlate *x)
{
    return x ? &x->tt : NULL;
}

size_t dbe_xlate_nnotes(const dbe_xlate *x)
{
    return x ? x->notes.n : 0;
}

const char *dbe_xlate_note(const dbe_xlate *x, size_t i)
{
    return x && i < x->notes.n ? ((char **)x->notes.p)[i] : NULL;
}

bool dbe_xlate_is_identity(const dbe_xlate *x)
{
    return x && !x->dropped && x->changed_rows == 0;
}

uint64_t dbe_xlate_lossy_rows(const dbe_xlate *x)
{
    return x ? x->lossy_rows : 0;
}

int dbe_xlate_epoch_lines(const dbe_xlate *x, dbe_line_fn emit, void *ctx)
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

void dbe_xlate_free(dbe_xlate *x)
{
    if (!x)
        return;
    dbf_arena_free(&x->mem);
    dbc_vec_free(&x->notes);
    dbc_vec_free(&x->sq_cons);
    free(x->cols);
    free(x->tcols);
    free(x->out);
    dbf_arena_free(&x->arena);
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

int dbe_xlate_row(dbe_xlate *x, const dbf_value *vals, size_t n, uint64_t row_number,
                  const dbf_value **out, size_t *nout, dbf_error *err)
{
    *out = NULL;
    *nout = 0;
    if (n != x->nsrc)
        return dbf_error_set(err, DBF_EINVAL, "table \"%s\" row %" PRIu64 ": %zu values for %zu "
                             "columns", x->tt.name, row_number, n, x->nsrc);
    dbf_arena_reset(&x->arena);
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

int dbe_xlate_counters_sql(char **out_sql, const dbe_xlate *x, dbf_error *err)
{
    xl_sbuf b = {0};
    *out_sql = NULL;
    bool numeric_next = x->next_id && xl_is_number(x->next_id) && !strchr(x->next_id, '.') &&
                        x->next_id[0] != '-';
    /* last used = max(loaded ids, archive counter - 1) */
    unsigned long long last = numeric_next ? strtoull(x->next_id, NULL, 10) : 0;
    last = last ? last - 1 : 0;
    for (size_t i = 0; x->dl->counter && i < x->ncols; i++) {
        const dbf_column *tc = &x->tcols[i];
        if (!(tc->flags & DBF_COL_IDENTITY))
            continue;
        xl_sbuf st = {0};
        x->dl->counter(&st, x->tt.schema, x->tt.name, tc->name, last,
                       numeric_next ? x->next_id : NULL);
        if (st.len)
            xl_sb_printf(&b, "%s%s", b.len ? ";\n" : "", st.p);
        b.oom |= st.oom;
        xl_sb_free(&st);
    }
    if (b.oom) {
        xl_sb_free(&b);
        return dbc_oom(err);
    }
    if (b.len)
        *out_sql = xl_sb_take(&b);
    xl_sb_free(&b);
    return 0;
}

int dbe_xlate_digest_row(const dbe_xlate *x, dbf_digest *d, const dbf_value *vals, size_t n,
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
        rc = dbc_oom(err);
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
