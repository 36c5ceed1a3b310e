/* my_conn.c - connection, arena and quoting helpers of the MySQL/MariaDB source and sink. */
#include "my_conn.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------- arena */

#define MY_ARENA_BLOCK (64u * 1024u)

typedef struct my_block {
    struct my_block *next; /* older block */
    size_t used;           /* bytes used in data */
    size_t cap;            /* bytes in data */
    max_align_t data[];    /* the allocations */
} my_block;

struct dbe_my_arena {
    my_block *head; /* newest block */
};

dbe_my_arena *dbe_my_arena_create(void)
{
    return calloc(1, sizeof(dbe_my_arena));
}

void dbe_my_arena_free(dbe_my_arena *a)
{
    if (a == NULL)
        return;
    my_block *b = a->head;
    while (b != NULL) {
        my_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *dbe_my_alloc(dbe_my_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    if (a->head == NULL || a->head->cap - a->head->used < n) {
        size_t cap = n > MY_ARENA_BLOCK ? n : MY_ARENA_BLOCK;
        my_block *b = malloc(sizeof(my_block) + cap);
        if (b == NULL)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    memset(p, 0, n);
    return p;
}

char *dbe_my_strndup(dbe_my_arena *a, const char *s, size_t len)
{
    char *p = dbe_my_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *dbe_my_strdup(dbe_my_arena *a, const char *s)
{
    if (s == NULL)
        return NULL;
    return dbe_my_strndup(a, s, strlen(s));
}

/* -------------------------------------------------------------- connecting */

void dbe_my_options(MYSQL *c, bool local_infile)
{
    unsigned timeout = 10;
    unsigned long packet = 1024ul * 1024ul * 1024ul;
    unsigned infile = local_infile ? 1u : 0u;
    mysql_options(c, MYSQL_READ_DEFAULT_GROUP, "client");
    mysql_options(c, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(c, MYSQL_OPT_MAX_ALLOWED_PACKET, &packet);
    mysql_options(c, MYSQL_OPT_LOCAL_INFILE, &infile);
}

int dbe_my_connect(MYSQL **out, const dbe_target *t, const char *db, bool local_infile,
                   dbf_error *err)
{
    int rc = 0;
    MYSQL *c = mysql_init(NULL);
    *out = NULL;
    if (c == NULL)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory (mysql_init)");
    dbe_my_options(c, local_infile);
    const char *password = t->password;
    if (password == NULL)
        password = getenv("MYSQL_PWD"); /* NULL: the option files' password, if any */
    unsigned long flags = CLIENT_MULTI_RESULTS;
    if (mysql_real_connect(c, t->host, t->user, password, db, t->port, t->socket, flags) == NULL) {
        rc = dbf_error_set(err, DBC_ECONNECT, "cannot connect to %s: %s",
                           t->display != NULL ? t->display : "MySQL server", mysql_error(c));
        goto done;
    }
    if (mysql_set_character_set(c, "utf8mb4") != 0) {
        rc = dbf_error_set(err, DBC_ECONNECT, "%s: cannot use utf8mb4: %s",
                           t->display != NULL ? t->display : "MySQL server", mysql_error(c));
        goto done;
    }
    *out = c;
    c = NULL;
done:
    if (c != NULL)
        mysql_close(c);
    return rc;
}

char *dbe_my_quote_ident(char *buf, const char *name)
{
    char *p = buf + strlen(buf);
    *p++ = '`';
    for (const char *s = name; *s != '\0'; s++) {
        if (*s == '`')
            *p++ = '`';
        *p++ = *s;
    }
    *p++ = '`';
    *p = '\0';
    return buf;
}

void dbe_my_buf_ident(dbc_buf *b, const char *name)
{
    dbc_buf_ident(b, name, '`');
}

void dbe_my_buf_literal(dbc_buf *b, MYSQL *c, const char *s, size_t n)
{
    if (n > ((size_t)-1 - 3) / 2 || !dbc_buf_reserve(b, 2 * n + 2)) {
        b->oom = true;
        return;
    }
    b->p[b->len++] = '\'';
    b->len += mysql_real_escape_string(c, b->p + b->len, s, (unsigned long)n);
    b->p[b->len++] = '\'';
    b->p[b->len] = '\0';
}
