/*
 * value.c - value checks against portable types, canonical packing, the table digest.
 */
#include <math.h>
#include <string.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "dbf_internal.h"

static const char *vkind_name(dbf_vkind k)
{
    static const char *const n[] = {"null", "bool",  "int", "uint",     "float32",
                                    "float64", "str", "bin", "interval", "array"};
    if ((unsigned)k < sizeof(n) / sizeof(n[0]))
        return n[k];
    return "?";
}

static bool is_decimal_text(const char *p, size_t n)
{
    if ((n == 3 && memcmp(p, "NaN", 3) == 0) || (n == 8 && memcmp(p, "Infinity", 8) == 0) ||
        (n == 9 && memcmp(p, "-Infinity", 9) == 0))
        return true;
    size_t i = 0;
    if (i < n && p[i] == '-')
        i++;
    size_t d = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == d)
        return false;
    if (i == n)
        return true;
    if (p[i] != '.')
        return false;
    i++;
    d = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    return i > d && i == n;
}

/* ------------------------------------------------------ text forms (FORMAT.md section 4) */

/* n digits (min..max of them) at p[*i], their value in *v (saturating); false if fewer */
static bool digits(const char *p, size_t n, size_t *i, size_t min, size_t max, uint64_t *v)
{
    size_t k = 0;
    uint64_t x = 0;
    while (*i + k < n && k < max && p[*i + k] >= '0' && p[*i + k] <= '9') {
        if (x < UINT64_MAX / 10 - 9)
            x = x * 10 + (uint64_t)(p[*i + k] - '0');
        k++;
    }
    if (k < min)
        return false;
    *i += k;
    *v = x;
    return true;
}

static bool lit(const char *p, size_t n, size_t *i, char c)
{
    if (*i < n && p[*i] == c) {
        (*i)++;
        return true;
    }
    return false;
}

/* `Y-MM-DD`: [-]Y with 4 digits, or more without a leading 0 (no -0000); MM 00..12, DD 00..31 */
static bool date_part(const char *p, size_t n, size_t *i)
{
    bool neg = lit(p, n, i, '-');
    size_t y0 = *i;
    uint64_t y, m, d;
    if (!digits(p, n, i, 4, SIZE_MAX, &y))
        return false;
    if ((*i - y0 > 4 && p[y0] == '0') || (neg && y == 0))
        return false;
    return lit(p, n, i, '-') && digits(p, n, i, 2, 2, &m) && m <= 12 && lit(p, n, i, '-') &&
           digits(p, n, i, 2, 2, &d) && d <= 31;
}

/* `[.f]`: 1 to 6 digits, the last not 0; absent is fine */
static bool fraction(const char *p, size_t n, size_t *i)
{
    if (!lit(p, n, i, '.'))
        return true;
    size_t f0 = *i;
    uint64_t f;
    return digits(p, n, i, 1, 6, &f) && p[*i - 1] != '0' && *i - f0 >= 1;
}

/* `H:MM:SS[.f]`: H of 2 digits (hmax3 false: at most 24, and 24 only as 24:00:00) or of 2
 * to 3 digits without a leading 0 in 3 (at most 838); MM and SS 00..59 */
static bool hms(const char *p, size_t n, size_t *i, bool duration, unsigned hmax)
{
    size_t h0 = *i;
    uint64_t h, m, sec;
    if (!digits(p, n, i, 2, duration ? 3 : 2, &h) || (*i - h0 == 3 && p[h0] == '0') ||
        h > hmax || !lit(p, n, i, ':') || !digits(p, n, i, 2, 2, &m) || m > 59 ||
        !lit(p, n, i, ':') || !digits(p, n, i, 2, 2, &sec) || sec > 59)
        return false;
    size_t f0 = *i;
    if (!fraction(p, n, i))
        return false;
    return duration || h < 24 || (m == 0 && sec == 0 && *i == f0);
}

static bool is_infinity(const char *p, size_t n)
{
    return (n == 8 && memcmp(p, "infinity", 8) == 0) || (n == 9 && memcmp(p, "-infinity", 9) == 0);
}

/* the rule of each text-encoded temporal type; NULL when the text follows it */
static const char *check_temporal(dbf_type t, const char *p, size_t n)
{
    size_t i = 0;
    uint64_t x;
    switch (t) {
    case DBF_T_DATE:
        if (is_infinity(p, n) || (date_part(p, n, &i) && i == n))
            return NULL;
        return "date text is not [-]YYYY-MM-DD (MM 00..12, DD 00..31), infinity or -infinity";
    case DBF_T_TIME:
        lit(p, n, &i, '-');
        if (hms(p, n, &i, true, 838) && i == n)
            return NULL;
        return "time text is not [-]HH:MM:SS[.f] (hours 00..838, MM and SS 00..59, f 1 to 6 "
               "digits without trailing zeros)";
    case DBF_T_TIMETZ:
        if (hms(p, n, &i, false, 24) && (lit(p, n, &i, '+') || lit(p, n, &i, '-')) &&
            digits(p, n, &i, 2, 2, &x) && x <= 15 &&
            (i == n || (lit(p, n, &i, ':') && digits(p, n, &i, 2, 2, &x) && x <= 59 &&
                        (i == n || (lit(p, n, &i, ':') && digits(p, n, &i, 2, 2, &x) &&
                                    x <= 59)))) &&
            i == n)
            return NULL;
        return "timetz text is not HH:MM:SS[.f]+HH[:MM[:SS]] (time of day up to 24:00:00, "
               "offset up to 15:59:59)";
    case DBF_T_TIMESTAMP:
    case DBF_T_TIMESTAMPTZ:
        if (is_infinity(p, n) ||
            (date_part(p, n, &i) && lit(p, n, &i, ' ') && hms(p, n, &i, false, 23) &&
             (t == DBF_T_TIMESTAMP || lit(p, n, &i, 'Z')) && i == n))
            return NULL;
        return t == DBF_T_TIMESTAMP
                   ? "timestamp text is not [-]YYYY-MM-DD HH:MM:SS[.f] (hours 00..23), infinity "
                     "or -infinity"
                   : "timestamptz text is not [-]YYYY-MM-DD HH:MM:SS[.f]Z (hours 00..23), "
                     "infinity or -infinity";
    default:
        return NULL;
    }
}

/* the index of the label equal to p[0..n), or -1 */
static long label_index(const dbf_column *c, const char *p, size_t n)
{
    for (size_t k = 0; k < c->nlabels; k++) {
        const char *l = c->labels[k];
        if (l != NULL && strlen(l) == n && memcmp(l, p, n) == 0)
            return (long)k;
    }
    return -1;
}

/* enum: one of the labels, or '' (MySQL's error value); set: '' or labels joined by ',' in
 * label order, each at most once. A column without labels takes any str. */
static const char *check_labels(const dbf_column *c, dbf_type t, const char *p, size_t n)
{
    if (c->nlabels == 0 || n == 0)
        return NULL;
    if (t == DBF_T_ENUM)
        return label_index(c, p, n) >= 0 ? NULL : "enum value is not one of the column's labels";
    long prev = -1;
    size_t b = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != ',')
            continue;
        long k = label_index(c, p + b, i - b);
        if (k < 0)
            return "set value has a member that is not one of the column's labels";
        if (k <= prev)
            return "set members are not in the order of the column's labels, each once";
        prev = k;
        b = i + 1;
    }
    return NULL;
}

/* Does a value of kind k fit (scalar) type t? Arrays and intervals handled by the caller. */
static const char *check_scalar(const dbf_column *c, dbf_type t, const dbf_value *v)
{
    switch (v->kind) {
    case DBF_V_NULL:
        return NULL;
    default:
        break;
    }
    switch (t) {
    case DBF_T_ANY:
        if (v->kind == DBF_V_INT || v->kind == DBF_V_UINT || v->kind == DBF_V_F64 ||
            v->kind == DBF_V_STR || v->kind == DBF_V_BIN)
            return NULL;
        return "any takes int, float64, str or bin";
    case DBF_T_BOOL:
        return v->kind == DBF_V_BOOL ? NULL : "bool takes bool";
    case DBF_T_INT: {
        unsigned bits = c->bits == 0 ? 64 : c->bits;
        if (bits != 8 && bits != 16 && bits != 24 && bits != 32 && bits != 64)
            return "int column has invalid bits";
        if (c->is_unsigned) {
            uint64_t u;
            if (v->kind == DBF_V_INT) {
                if (v->u.i < 0)
                    return "negative value in an unsigned int column";
                u = (uint64_t)v->u.i;
            } else if (v->kind == DBF_V_UINT) {
                u = v->u.u;
            } else {
                return "int takes int or uint";
            }
            if (bits < 64 && u > ((uint64_t)1 << bits) - 1)
                return "value out of range for the column's bits";
            return NULL;
        }
        int64_t i;
        if (v->kind == DBF_V_INT)
            i = v->u.i;
        else if (v->kind == DBF_V_UINT && v->u.u <= (uint64_t)INT64_MAX)
            i = (int64_t)v->u.u;
        else if (v->kind == DBF_V_UINT)
            return "value out of range for a signed int column";
        else
            return "int takes int or uint";
        if (bits < 64) {
            int64_t lim = (int64_t)1 << (bits - 1);
            if (i < -lim || i > lim - 1)
                return "value out of range for the column's bits";
        }
        return NULL;
    }
    case DBF_T_YEAR:
        if (v->kind != DBF_V_INT && v->kind != DBF_V_UINT)
            return "year takes int";
        if ((v->kind == DBF_V_INT && (v->u.i < 0 || v->u.i > 2155)) ||
            (v->kind == DBF_V_UINT && v->u.u > 2155))
            return "year out of range (0..2155)";
        return NULL;
    case DBF_T_FLOAT32:
        return v->kind == DBF_V_F32 ? NULL : "float32 takes float32";
    case DBF_T_FLOAT64:
        return v->kind == DBF_V_F64 ? NULL : "float64 takes float64";
    case DBF_T_DECIMAL:
        if (v->kind != DBF_V_STR)
            return "decimal takes str";
        if (!is_decimal_text(v->u.s.ptr, v->u.s.len))
            return "decimal text is not canonical (-?digits[.digits], NaN, Infinity, -Infinity)";
        return NULL;
    case DBF_T_TEXT:
    case DBF_T_JSON:
        return v->kind == DBF_V_STR ? NULL : "this type takes str";
    case DBF_T_ENUM:
    case DBF_T_SET:
        if (v->kind != DBF_V_STR)
            return "this type takes str";
        return check_labels(c, t, v->u.s.ptr, v->u.s.len);
    case DBF_T_DATE:
    case DBF_T_TIME:
    case DBF_T_TIMETZ:
    case DBF_T_TIMESTAMP:
    case DBF_T_TIMESTAMPTZ:
        if (v->kind != DBF_V_STR)
            return "this type takes str";
        return check_temporal(t, v->u.s.ptr, v->u.s.len);
    case DBF_T_NATIVE:
        if (c->type_name != NULL && strcmp(c->type_name, "native") != 0)
            return NULL; /* a type this library does not know: any kind is accepted */
        return v->kind == DBF_V_STR ? NULL : "native takes str";
    case DBF_T_BYTES:
        return v->kind == DBF_V_BIN ? NULL : "this type takes bin";
    case DBF_T_BIT:
        if (v->kind != DBF_V_BIN)
            return "bit takes bin";
        if (c->length > 0) { /* the value right-aligned in exactly ceil(n/8) bytes */
            size_t want = ((size_t)c->length + 7) / 8;
            unsigned unused = (unsigned)(want * 8 - (size_t)c->length);
            if (v->u.s.len != want)
                return "bit(n) takes ceil(n/8) bytes";
            if (unused && ((unsigned char)v->u.s.ptr[0] >> (8 - unused)) != 0)
                return "bit(n): the unused high bits of the first byte must be 0";
        }
        return NULL;
    case DBF_T_UUID:
        if (v->kind != DBF_V_BIN)
            return "uuid takes bin";
        return v->u.s.len == 16 ? NULL : "uuid takes exactly 16 bytes";
    case DBF_T_INTERVAL:
        return v->kind == DBF_V_INTERVAL ? NULL : "interval takes interval";
    case DBF_T_ARRAY:
        return "array elements cannot be arrays";
    default:
        return "unknown column type";
    }
}

static const char *check_one(const dbf_column *c, const dbf_value *v)
{
    if ((v->kind == DBF_V_STR || v->kind == DBF_V_BIN) && v->u.s.len > 0 && v->u.s.ptr == NULL)
        return "NULL pointer with a non-zero length";
    if ((v->kind == DBF_V_STR || v->kind == DBF_V_BIN) && v->u.s.len > DBF_MAX_VALUE)
        return "value larger than DBF_MAX_VALUE";
    if (c->type != DBF_T_ARRAY || v->kind == DBF_V_NULL)
        return check_scalar(c, c->type, v);
    if (v->kind != DBF_V_ARRAY)
        return "array takes array";
    if (v->u.arr.ndims < 0 || v->u.arr.ndims > DBF_MAX_DIMS)
        return "array dimensions out of range (0..6)";
    uint64_t prod = v->u.arr.ndims == 0 ? 0 : 1;
    for (int d = 0; d < v->u.arr.ndims; d++) {
        if (v->u.arr.dims[d] < 0)
            return "negative array dimension";
        prod *= (uint64_t)v->u.arr.dims[d];
        if (prod > (uint64_t)DBF_MAX_CHUNK)
            return "array too large";
    }
    if (prod != v->u.arr.nelems)
        return "array element count does not match its dimensions";
    if (v->u.arr.nelems > 0 && v->u.arr.elems == NULL)
        return "array without elements";
    for (size_t i = 0; i < v->u.arr.nelems; i++) {
        const dbf_value *e = &v->u.arr.elems[i];
        if (e->kind == DBF_V_ARRAY)
            return "array elements cannot be arrays";
        if ((e->kind == DBF_V_STR || e->kind == DBF_V_BIN) && e->u.s.len > 0 &&
            e->u.s.ptr == NULL)
            return "NULL pointer with a non-zero length";
        const char *why = check_scalar(c, c->elem_type, e);
        if (why != NULL)
            return why;
    }
    return NULL;
}

int dbf_check_value(const dbf_table *t, size_t col, const dbf_value *v, uint64_t row,
                    dbf_error *err)
{
    const dbf_column *c = &t->columns[col];
    const char *why = check_one(c, v);
    if (why == NULL)
        return 0;
    return dbf_error_set(err, DBF_EINVAL, "table %s%s%s, column %s (%s), row %llu: %s value: %s",
                         t->schema ? t->schema : "", t->schema ? "." : "",
                         t->name ? t->name : "?", c->name ? c->name : "?",
                         c->type_name ? c->type_name : dbf_type_name(c->type),
                         (unsigned long long)row, vkind_name(v->kind), why);
}

float dbf_canon_f32(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0)
        bits |= 0x00400000u; /* quiet NaN: readers convert through double, which quiets it */
    memcpy(&f, &bits, 4);
    return f;
}

int dbf_pack_bytes_str(msgpack_packer *pk, const void *p, size_t len)
{
    if (msgpack_pack_str(pk, len) != 0)
        return -1;
    return len > 0 ? msgpack_pack_str_body(pk, p, len) : 0;
}

int dbf_pack_cstr(msgpack_packer *pk, const char *s)
{
    return dbf_pack_bytes_str(pk, s, strlen(s));
}

static int pack_scalar(msgpack_packer *pk, const dbf_value *v)
{
    switch (v->kind) {
    case DBF_V_NULL:
        return msgpack_pack_nil(pk);
    case DBF_V_BOOL:
        return v->u.b ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
    case DBF_V_INT:
        return msgpack_pack_int64(pk, v->u.i);
    case DBF_V_UINT:
        return msgpack_pack_uint64(pk, v->u.u);
    case DBF_V_F32:
        return msgpack_pack_float(pk, dbf_canon_f32(v->u.f32));
    case DBF_V_F64:
        return msgpack_pack_double(pk, v->u.f64);
    case DBF_V_STR:
        return dbf_pack_bytes_str(pk, v->u.s.ptr, v->u.s.len);
    case DBF_V_BIN:
        if (msgpack_pack_bin(pk, v->u.s.len) != 0)
            return -1;
        return v->u.s.len > 0 ? msgpack_pack_bin_body(pk, v->u.s.ptr, v->u.s.len) : 0;
    case DBF_V_INTERVAL:
        if (msgpack_pack_array(pk, 3) != 0 || msgpack_pack_int64(pk, v->u.iv.months) != 0 ||
            msgpack_pack_int64(pk, v->u.iv.days) != 0)
            return -1;
        return msgpack_pack_int64(pk, v->u.iv.micros);
    default:
        return -1;
    }
}

int dbf_pack_value(msgpack_packer *pk, const dbf_value *v)
{
    if (v->kind != DBF_V_ARRAY)
        return pack_scalar(pk, v);
    int nd = v->u.arr.ndims;
    if (msgpack_pack_array(pk, 3) != 0 || msgpack_pack_array(pk, (size_t)nd) != 0)
        return -1;
    for (int d = 0; d < nd; d++)
        if (msgpack_pack_int64(pk, v->u.arr.dims[d]) != 0)
            return -1;
    if (msgpack_pack_array(pk, (size_t)nd) != 0)
        return -1;
    for (int d = 0; d < nd; d++)
        if (msgpack_pack_int64(pk, v->u.arr.lbounds[d]) != 0)
            return -1;
    if (msgpack_pack_array(pk, v->u.arr.nelems) != 0)
        return -1;
    for (size_t i = 0; i < v->u.arr.nelems; i++)
        if (pack_scalar(pk, &v->u.arr.elems[i]) != 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------------- digest */

typedef struct hash_sink {
    XXH3_state_t st;
    size_t len;
    bool streaming;
    unsigned char buf[8192];
} hash_sink;

static int hash_write(void *data, const char *p, size_t n)
{
    hash_sink *h = data;
    if (h->len + n <= sizeof(h->buf)) {
        memcpy(h->buf + h->len, p, n);
        h->len += n;
        return 0;
    }
    if (!h->streaming) {
        if (XXH3_128bits_reset(&h->st) != XXH_OK)
            return -1;
        h->streaming = true;
    }
    if (h->len > 0 && XXH3_128bits_update(&h->st, h->buf, h->len) != XXH_OK)
        return -1;
    h->len = 0;
    if (n >= sizeof(h->buf))
        return XXH3_128bits_update(&h->st, p, n) == XXH_OK ? 0 : -1;
    memcpy(h->buf, p, n);
    h->len = n;
    return 0;
}

void dbf_digest_init(dbf_digest *d)
{
    memset(d, 0, sizeof(*d));
}

int dbf_digest_add_row(dbf_digest *d, const dbf_table *t, const dbf_value *vals, size_t n,
                       dbf_error *err)
{
    if (t == NULL || n != t->ncolumns || (n > 0 && vals == NULL))
        return dbf_error_set(err, DBF_EINVAL, "table %s: row has %zu values, table has %zu columns",
                             t && t->name ? t->name : "?", n, t ? t->ncolumns : 0);
    for (size_t i = 0; i < n; i++) {
        int rc = dbf_check_value(t, i, &vals[i], d->rows + 1, err);
        if (rc < 0)
            return rc;
    }
    hash_sink hs;
    hash_sink *h = &hs;
    h->len = 0;
    h->streaming = false;
    msgpack_packer pk;
    msgpack_packer_init(&pk, h, hash_write);
    int bad = msgpack_pack_array(&pk, n);
    for (size_t i = 0; i < n && bad == 0; i++)
        bad = dbf_pack_value(&pk, &vals[i]);
    XXH128_hash_t hv;
    if (bad == 0) {
        if (h->streaming) {
            if (h->len > 0 && XXH3_128bits_update(&h->st, h->buf, h->len) != XXH_OK)
                bad = -1;
            hv = XXH3_128bits_digest(&h->st);
        } else {
            hv = XXH3_128bits(h->buf, h->len);
        }
    }
    if (bad != 0)
        return dbf_error_set(err, DBF_EINVAL, "table %s: cannot encode row %llu",
                             t->name ? t->name : "?", (unsigned long long)(d->rows + 1));
    d->lo += hv.low64;
    d->hi += hv.high64;
    d->rows++;
    return 0;
}

void dbf_digest_add_bytes(dbf_digest *d, const void *row, size_t len)
{
    XXH128_hash_t hv = XXH3_128bits(row, len);
    d->lo += hv.low64;
    d->hi += hv.high64;
    d->rows++;
}

void dbf_digest_final(const dbf_digest *d, uint8_t out[DBF_DIGEST_SIZE])
{
    for (int i = 0; i < 8; i++) {
        out[i] = (uint8_t)(d->lo >> (8 * i));
        out[8 + i] = (uint8_t)(d->hi >> (8 * i));
    }
}
