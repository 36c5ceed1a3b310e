/*
 * pg_ddl.c - PostgreSQL's own DDL from pg_dump (pg_ddl.h).
 *
 * Why pg_dump: a restore into PostgreSQL must bring back every object pg_dump carries
 * (operators, aggregates of every kind, text search, publications, large object metadata,
 * typed tables, trigger states, in pg_depend's order). pg_dump knows them all, for every
 * server version it supports; our catalog reader stays the portable schema that
 * cross-engine restores need. pg_dump runs under the dump's exported snapshot, so its DDL
 * and our rows are the same instant, as pg_upgrade and pgcopydb do.
 *
 * The plain-text sections are split at pg_dump's entry headers ("-- Name: N; Type: T;
 * Schema: S; Owner: O"), one object per entry, so that a restore names the entry that
 * fails. psql's \restrict and \unrestrict lines (pg_dump 15.14 and later) are dropped: they
 * are psql meta-commands, not SQL.
 */
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbc.h"
#include "dbc_buf.h"
#include "pg_ddl.h"

extern char **environ;

static const char *pg_dump_path(void)
{
    const char *p = getenv("DBDUMP_PG_DUMP");
    return p && *p ? p : "pg_dump";
}

/* One pg_dump running: its pipes (standard output, standard error) and what they gave. */
typedef struct child {
    pid_t pid;
    int fd[2];
    dbc_buf *buf[2];
} child;

/* Read every pipe of the n children to its end (none may fill while another is read). */
static int drain(child *c, size_t n)
{
    struct pollfd p[4];
    size_t open_fds = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        p[i] = (struct pollfd){.fd = c[i / 2].fd[i % 2], .events = POLLIN};
        open_fds += p[i].fd >= 0;
    }
    char buf[65536];
    while (open_fds > 0) {
        if (poll(p, 2 * n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (size_t i = 0; i < 2 * n; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t got = read(p[i].fd, buf, sizeof buf);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                close(p[i].fd);
                c[i / 2].fd[i % 2] = p[i].fd = -1;
                open_fds--;
                continue;
            }
            dbc_buf_add(c[i / 2].buf[i % 2], buf, (size_t)got);
        }
    }
    return 0;
}

/*
 * Start argv (argv[0] looked up on PATH) with PGOPTIONS unset and PGPASSWORD = password when
 * one is given, its standard output and error into pipes. @return 0, or -1 (c->pid -1).
 */
static int spawn(child *c, char *const *argv, const char *password)
{
    int po[2], pe[2];
    c->pid = -1;
    c->fd[0] = c->fd[1] = -1;
    if (pipe(po) != 0)
        return -1;
    if (pipe(pe) != 0) {
        close(po[0]), close(po[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        return -1;
    }
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        dup2(po[1], STDOUT_FILENO);
        dup2(pe[1], STDERR_FILENO);
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        unsetenv("PGOPTIONS"); /* a user's settings must not change the text (quoting) */
        if (password && *password)
            setenv("PGPASSWORD", password, 1);
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    /* not inherited by the next child (only their write ends make the end of file) */
    fcntl(po[0], F_SETFD, FD_CLOEXEC);
    fcntl(pe[0], F_SETFD, FD_CLOEXEC);
    c->pid = pid;
    c->fd[0] = po[0];
    c->fd[1] = pe[0];
    return 0;
}

/* Wait for c. @return its exit status, 127 when it could not be started, -1 on a system
 * failure (or when it never started). */
static int reap(child *c)
{
    for (int i = 0; i < 2; i++)
        if (c->fd[i] >= 0)
            close(c->fd[i]);
    if (c->pid < 0)
        return -1;
    int st = 0;
    while (waitpid(c->pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Run the n commands at once; their outputs into out[i], their errors into errb[i], their
 * exit statuses (as reap's) into st[i]. */
static void run_all(size_t n, char *const *const *argv, const char *password, dbc_buf *out,
                    dbc_buf *errb, int *st)
{
    child c[2];
    for (size_t i = 0; i < n; i++) {
        c[i].buf[0] = &out[i];
        c[i].buf[1] = &errb[i];
        spawn(&c[i], argv[i], password);
    }
    int rc = drain(c, n);
    for (size_t i = 0; i < n; i++) {
        st[i] = reap(&c[i]);
        if (rc != 0)
            st[i] = -1;
    }
}

/* pg_dump's stderr as one line for a message. */
static const char *one_line(dbc_buf *b)
{
    if (!b->p)
        return "";
    for (size_t i = 0; i < b->len; i++)
        if (b->p[i] == '\n')
            b->p[i] = i + 1 < b->len ? ' ' : '\0';
    return b->p;
}

int pg_ddl_check(PGconn *conn, char version[32], dbf_error *err)
{
    const char *path = pg_dump_path();
    char *argv[] = {(char *)path, "--version", NULL};
    char *const *argvs[1] = {argv};
    dbc_buf out = {0}, eb = {0};
    int st;
    run_all(1, argvs, NULL, &out, &eb, &st);
    int server = PQserverVersion(conn) / 10000, major = 0, minor = 0;
    const char *v = out.p ? strstr(out.p, ") ") : NULL;
    int rc = 0;
    if (st != 0 || !v || sscanf(v + 2, "%d.%d", &major, &minor) < 1) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "PostgreSQL: the schema is taken with pg_dump, and %s did not run "
                           "(%s); install pg_dump %d or later (Debian: postgresql-client-%d), or "
                           "name it with DBDUMP_PG_DUMP",
                           path, st == 127 || !out.p ? "not found" : one_line(&eb), server, server);
    } else if (major < server) {
        rc = dbf_error_set(err, DBF_EUNSUPPORTED,
                           "PostgreSQL: %s is pg_dump %d, older than the server (%d), which it "
                           "cannot dump; install pg_dump %d or later (Debian: "
                           "postgresql-client-%d), or name it with DBDUMP_PG_DUMP",
                           path, major, server, server, server);
    } else {
        snprintf(version, 32, "%d.%d", major, minor);
    }
    dbc_buf_free(&out);
    dbc_buf_free(&eb);
    return rc;
}

/* The connection's parameters as a conninfo string, without the password. */
static char *conninfo_of(PGconn *conn)
{
    PQconninfoOption *opts = PQconninfo(conn);
    if (!opts)
        return NULL;
    dbc_buf b = {0};
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val || strcmp(o->keyword, "password") == 0)
            continue;
        dbc_buf_printf(&b, "%s%s='", b.len ? " " : "", o->keyword);
        for (const char *p = o->val; *p; p++) {
            if (*p == '\'' || *p == '\\')
                dbc_buf_putc(&b, '\\');
            dbc_buf_putc(&b, *p);
        }
        dbc_buf_putc(&b, '\'');
    }
    PQconninfoFree(opts);
    return dbc_buf_take(&b);
}

/* The value of "Key: value" in an entry header line (up to "; " or the end), arena copy;
 * NULL for "-" or when absent. */
static const char *header_field(dbf_arena *a, const char *line, size_t n, const char *key,
                                bool *oom)
{
    size_t kl = strlen(key);
    const char *end = line + n;
    for (const char *p = line; p + kl <= end; p++) {
        if ((p == line || (p >= line + 2 && p[-2] == ';' && p[-1] == ' ')) &&
            memcmp(p, key, kl) == 0) {
            const char *v = p + kl, *e = v;
            while (e < end && !(e + 1 < end && e[0] == ';' && e[1] == ' ' && e + 2 < end &&
                                (strncmp(e + 2, "Type: ", 6) == 0 ||
                                 strncmp(e + 2, "Schema: ", 8) == 0 ||
                                 strncmp(e + 2, "Owner: ", 7) == 0 ||
                                 strncmp(e + 2, "Tablespace: ", 12) == 0)))
                e++;
            if (e - v == 1 && *v == '-')
                return NULL;
            char *s = dbf_arena_strndup(a, v, (size_t)(e - v));
            *oom |= s == NULL;
            return s;
        }
    }
    return NULL;
}

/* The table named by the start of name ("t c", "t.c", "TABLE t": after prefix), the longest
 * of the schema's tables that fits; NULL when none. */
static const char *table_prefix(const pg_ddl_run *r, const char *schema, const char *name,
                                const char *prefix, char sep)
{
    size_t pl = strlen(prefix);
    if (!name || strncmp(name, prefix, pl) != 0)
        return NULL;
    name += pl;
    const char *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; i < r->ntables; i++) {
        const dbf_table *t = &r->tables[i];
        size_t tl = strlen(t->name);
        if (schema && t->schema && strcmp(schema, t->schema) != 0)
            continue;
        if (tl > bl && strncmp(name, t->name, tl) == 0 && (name[tl] == sep || (sep == ' ' &&
                                                                               name[tl] == '\0'))) {
            best = t->name;
            bl = tl;
        }
    }
    return best;
}

/* The table of " ON t" at the end of name ("CONSTRAINT c ON t"). */
static const char *table_after_on(const pg_ddl_run *r, const char *schema, const char *name)
{
    for (const char *p = name ? strstr(name, " ON ") : NULL; p; p = strstr(p + 1, " ON "))
        for (size_t i = 0; i < r->ntables; i++)
            if ((!schema || !r->tables[i].schema || strcmp(schema, r->tables[i].schema) == 0) &&
                strcmp(p + 4, r->tables[i].name) == 0)
                return r->tables[i].name;
    return NULL;
}

/* The table an entry belongs to, so that -t/-T select it with its table (common/select.c). */
static const char *entry_table(const pg_ddl_run *r, const char *type, const char *schema,
                               const char *name)
{
    static const char *const own[] = {"TABLE", "TABLE ATTACH", "ROW SECURITY", NULL};
    static const char *const first[] = {"DEFAULT", "CONSTRAINT", "FK CONSTRAINT",
                                        "CHECK CONSTRAINT", "TRIGGER", "RULE", "POLICY", NULL};
    if (!type || !name)
        return NULL;
    for (int i = 0; own[i]; i++)
        if (strcmp(type, own[i]) == 0)
            return table_prefix(r, schema, name, "", ' ');
    for (int i = 0; first[i]; i++)
        if (strcmp(type, first[i]) == 0)
            return table_prefix(r, schema, name, "", ' ');
    if (strcmp(type, "INDEX") == 0 || strcmp(type, "INDEX ATTACH") == 0 ||
        strcmp(type, "SEQUENCE") == 0 || strcmp(type, "SEQUENCE OWNED BY") == 0) {
        for (size_t i = 0; i + 2 < 3 * r->nowned; i += 3)
            if (strcmp(r->owned[i + 1], name) == 0 && (!schema || strcmp(schema, r->owned[i]) == 0))
                return r->owned[i + 2];
        return NULL;
    }
    if (strcmp(type, "COMMENT") == 0 || strcmp(type, "ACL") == 0) {
        const char *t = table_prefix(r, schema, name, "TABLE ", ' ');
        if (!t)
            t = table_prefix(r, schema, name, "COLUMN ", '.');
        if (!t && (strncmp(name, "CONSTRAINT ", 11) == 0 || strncmp(name, "TRIGGER ", 8) == 0 ||
                   strncmp(name, "RULE ", 5) == 0 || strncmp(name, "POLICY ", 7) == 0))
            t = table_after_on(r, schema, name);
        if (!t && strncmp(name, "INDEX ", 6) == 0)
            t = entry_table(r, "INDEX", schema, name + 6);
        if (!t && strncmp(name, "SEQUENCE ", 9) == 0)
            t = entry_table(r, "SEQUENCE", schema, name + 9);
        return t;
    }
    return NULL;
}

/* One identifier at *p (quoted "a""b" or plain up to '.', '(' or a space), arena copy. */
static const char *ident_at(dbf_arena *a, const char **p)
{
    dbc_buf b = {0};
    const char *q = *p;
    if (*q == '"') {
        for (q++; *q; q++) {
            if (*q == '"' && q[1] == '"')
                dbc_buf_putc(&b, *q++);
            else if (*q == '"')
                break;
            else
                dbc_buf_putc(&b, *q);
        }
        q += *q == '"';
    } else {
        while (*q && *q != '.' && *q != '(' && *q != ' ' && *q != '\n')
            dbc_buf_putc(&b, *q++);
    }
    *p = q;
    char *s = b.oom || !b.p ? NULL : dbf_arena_strdup(a, b.p);
    dbc_buf_free(&b);
    return s;
}

/* A foreign key entry's referenced table: "REFERENCES schema.table(...)". */
static void fk_target(dbf_arena *a, dbf_object *o)
{
    const char *p = o->sql ? strstr(o->sql, " REFERENCES ") : NULL;
    if (!p)
        return;
    p += 12;
    const char *first = ident_at(a, &p);
    if (*p == '.') {
        p++;
        o->ref_schema = first;
        o->ref_table = ident_at(a, &p);
    } else {
        o->ref_table = first;
    }
}

/* Move the entry's owner statement ("ALTER ... OWNER TO role;", the last statement but for
 * SET lines) out of text[0..*n) into *owner (arena). @return false when out of memory. */
static bool take_owner(dbf_arena *a, char *text, size_t *n, const char **owner)
{
    size_t end = *n;
    *owner = NULL;
    while (end > 0) {
        size_t ls = end - 1; /* the line before end: [ls, end) without its newline */
        while (ls > 0 && text[ls - 1] != '\n')
            ls--;
        size_t ll = end - ls;
        while (ll > 0 && (text[ls + ll - 1] == '\n' || text[ls + ll - 1] == ' '))
            ll--;
        if (ll == 0 || (ll >= 4 && memcmp(text + ls, "SET ", 4) == 0)) {
            end = ls;
            continue;
        }
        if (ll < 7 || memcmp(text + ls, "ALTER ", 6) != 0 || text[ls + ll - 1] != ';')
            return true;
        char *line = dbf_arena_strndup(a, text + ls, ll);
        if (!line)
            return false;
        if (!strstr(line, " OWNER TO "))
            return true;
        *owner = line;
        size_t after = ls + ll; /* drop the line, keep what follows (SET lines) */
        if (after < *n && text[after] == '\n')
            after++;
        memmove(text + ls, text + after, *n - after);
        *n -= after - ls;
        return true;
    }
    return true;
}

/* One entry: text[0..n) whose header line is hl[0..hn) (NULL: type and name given). */
static int add_entry(const pg_ddl_run *r, dbf_section sec, dbc_vec *v, const char *text,
                     size_t n, const char *hl, size_t hn, const char *type, const char *name,
                     dbf_error *err)
{
    bool oom = false;
    dbf_object *o = dbc_vec_push(v, sizeof(*o));
    dbf_kv *kv = dbf_arena_calloc(r->arena, 3, sizeof(*kv));
    char *sql = dbf_arena_strndup(r->arena, text, n);
    if (!o || !kv || !sql)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    o->kind = DBF_OBJ_DDL;
    o->section = sec;
    o->subtype = PG_DDL_SUBTYPE;
    o->engine = "postgresql";
    o->sql = sql;
    o->name = name;
    kv[0].key = "pg_dump.type";
    kv[0].value = type;
    size_t na = 1;
    if (hl) {
        o->name = header_field(r->arena, hl, hn, "Name: ", &oom);
        o->schema = header_field(r->arena, hl, hn, "Schema: ", &oom);
        kv[0].value = header_field(r->arena, hl, hn, "Type: ", &oom);
        const char *owner = header_field(r->arena, hl, hn, "Owner: ", &oom);
        if (owner)
            kv[na++] = (dbf_kv){"pg_dump.owner", owner};
        const char *owner_sql = NULL;
        oom |= !take_owner(r->arena, sql, &n, &owner_sql);
        sql[n] = '\0';
        if (owner_sql)
            kv[na++] = (dbf_kv){"pg_dump.owner_sql", owner_sql};
        o->table = entry_table(r, kv[0].value, o->schema, o->name);
        if (kv[0].value && strcmp(kv[0].value, "FK CONSTRAINT") == 0)
            fk_target(r->arena, o);
    }
    if (oom)
        return dbf_error_set(err, DBF_ENOMEM, "out of memory");
    if (!o->name)
        o->name = "-";
    if (!kv[0].value)
        kv[0].value = "";
    o->attrs = kv;
    o->nattrs = na;
    return 0;
}

/* Drop psql's \restrict KEY and \unrestrict KEY lines from text. */
static void drop_meta(dbc_buf *text)
{
    size_t w = 0;
    for (size_t i = 0; i < text->len;) {
        const char *nl = memchr(text->p + i, '\n', text->len - i);
        size_t ll = nl ? (size_t)(nl - (text->p + i)) + 1 : text->len - i;
        bool meta = (ll >= 10 && memcmp(text->p + i, "\\restrict ", 10) == 0) ||
                    (ll >= 12 && memcmp(text->p + i, "\\unrestrict ", 12) == 0);
        if (!meta) {
            memmove(text->p + w, text->p + i, ll);
            w += ll;
        }
        i += ll;
    }
    text->len = w;
}

size_t pg_ddl_stmt_end(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ';')
            return i + 1;
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (c == '\'' || c == '"') { /* a doubled quote reads as two strings */
            for (i++; i < n && s[i] != c; i++)
                ;
        } else if (c == '$') { /* $tag$ ... $tag$ */
            size_t t = i + 1;
            while (t < n && (s[t] == '_' || (s[t] >= 'a' && s[t] <= 'z') ||
                             (s[t] >= 'A' && s[t] <= 'Z') || (s[t] >= '0' && s[t] <= '9')))
                t++;
            if (t >= n || s[t] != '$')
                continue;
            size_t tl = t + 1 - i;
            for (size_t j = t + 1; j + tl <= n; j++)
                if (memcmp(s + j, s + i, tl) == 0) {
                    i = j + tl - 1;
                    break;
                }
        }
    }
    return n;
}

/* The preamble text[0..n): its settings (SET, set_config) and comments into keep, the rest
 * into drops: --clean's DROP and ALTER ... DROP statements, and the CREATE OR REPLACE VIEW
 * that undoes a view's post-data rule. */
static void split_preamble(const char *text, size_t n, dbc_buf *keep, dbc_buf *drops)
{
    for (size_t i = 0; i < n;) {
        size_t e = i + pg_ddl_stmt_end(text + i, n - i);
        size_t b = i; /* the statement's first word, past blank lines */
        while (b < e && (text[b] == '\n' || text[b] == ' '))
            b++;
        while (b + 1 < e && text[b] == '-' && text[b + 1] == '-') { /* comment lines */
            while (b < e && text[b] != '\n')
                b++;
            while (b < e && (text[b] == '\n' || text[b] == ' '))
                b++;
        }
        bool drop = b < e && !(e - b >= 4 && memcmp(text + b, "SET ", 4) == 0) &&
                    !(e - b >= 29 && memcmp(text + b, "SELECT pg_catalog.set_config(", 29) == 0);
        dbc_buf_add(drop ? drops : keep, text + i, e - i);
        i = e;
    }
}

/* Split one section's text at its entry headers ("--\n-- Name: ...\n--\n"); the preamble's
 * drops go to drops. */
static int split(const pg_ddl_run *r, dbf_section sec, dbc_buf *text, dbc_vec *v,
                 dbc_buf *drops, dbf_error *err)
{
    static const char mark[] = "--\n-- Name: ";
    drop_meta(text);
    const char *s = text->p ? text->p : "", *end = s + text->len;
    const char *start = s, *hl = NULL;
    size_t hn = 0;
    int rc = 0;
    for (const char *p = s; p <= end && !rc;) {
        bool at_end = p == end;
        if (!at_end && !((p == s || p[-1] == '\n') && (size_t)(end - p) > sizeof mark - 1 &&
                         memcmp(p, mark, sizeof mark - 1) == 0)) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
            continue;
        }
        if (!hl) { /* the preamble */
            dbc_buf keep = {0};
            split_preamble(start, (size_t)(p - start), &keep, drops);
            rc = keep.oom ? dbf_error_set(err, DBF_ENOMEM, "out of memory")
                          : add_entry(r, sec, v, keep.p ? keep.p : "", keep.len, NULL, 0, "SET",
                                      "preamble", err);
            dbc_buf_free(&keep);
        } else {
            rc = add_entry(r, sec, v, start, (size_t)(p - start), hl, hn, NULL, NULL, err);
        }
        if (at_end)
            break;
        start = p;
        hl = p + 6; /* "Name: ..." */
        const char *e = memchr(hl, '\n', (size_t)(end - hl));
        hn = e ? (size_t)(e - hl) : (size_t)(end - hl);
        p = hl + hn;
    }
    return rc;
}

/* The arguments of pg_dump for one section (sec), under the snapshot; NULL when out of memory. */
static const char **section_argv(const pg_ddl_run *r, dbf_section sec, const char *snap,
                                 const char *conninfo)
{
    const char **argv = calloc(r->nselect + 12, sizeof(*argv));
    if (!argv)
        return NULL;
    size_t n = 0;
    argv[n++] = pg_dump_path();
    argv[n++] = sec == DBF_SEC_PRE ? "--section=pre-data" : "--section=post-data";
    argv[n++] = snap;
    argv[n++] = "--encoding=UTF8";
    argv[n++] = "--no-password";
    argv[n++] = "--clean";
    argv[n++] = "--if-exists";
    for (size_t i = 0; i < r->nselect; i++)
        argv[n++] = r->select[i];
    argv[n++] = "--dbname";
    argv[n++] = conninfo;
    argv[n] = NULL;
    return argv;
}

/* pg_dump's pre-data and post-data sections into text[0] and text[1], both run at once (the
 * snapshot is shared; the dump waits for the slower, not for the sum). */
static int run_sections(const pg_ddl_run *r, const char *conninfo, dbc_buf text[2],
                        dbf_error *err)
{
    char snap[128];
    snprintf(snap, sizeof snap, "--snapshot=%s", r->snapshot);
    const char **argv[2] = {section_argv(r, DBF_SEC_PRE, snap, conninfo),
                            section_argv(r, DBF_SEC_POST, snap, conninfo)};
    dbc_buf eb[2] = {{0}, {0}};
    int st[2] = {0, 0}, rc = 0;
    if (!argv[0] || !argv[1]) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    run_all(2, (char *const *const *)argv, PQpass(r->conn), text, eb, st);
    for (int i = 0; i < 2 && !rc; i++) {
        if (text[i].oom || eb[i].oom)
            rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        else if (st[i] != 0)
            rc = dbf_error_set(err, DBC_EBACKEND, "PostgreSQL: pg_dump %s failed (exit %d): %s",
                               argv[i][1], st[i], one_line(&eb[i]));
        else if (eb[i].len)
            dbc_warn("PostgreSQL: pg_dump: %s", one_line(&eb[i]));
    }
done:
    free(argv[0]);
    free(argv[1]);
    dbc_buf_free(&eb[0]);
    dbc_buf_free(&eb[1]);
    return rc;
}

int pg_ddl_dump(const pg_ddl_run *r, dbc_vec *pre, dbc_vec *post, dbf_error *err)
{
    char *conninfo = conninfo_of(r->conn);
    dbc_buf text[2] = {{0}, {0}}, dpre = {0}, dpost = {0};
    dbc_vec epre = {0}, epost = {0}; /* post grows only at the end: r->objs may be in it */
    int rc = 0;
    if (!conninfo) {
        rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = run_sections(r, conninfo, text, err)) ||
        (rc = split(r, DBF_SEC_PRE, &text[0], &epre, &dpre, err)) ||
        (rc = split(r, DBF_SEC_POST, &text[1], &epost, &dpost, err)))
        goto done;
    /* the drops first: post-data's (constraints that name other tables), then pre-data's */
    if (dpost.oom || dpre.oom ||
        (dpost.len && (rc = add_entry(r, DBF_SEC_PRE, pre, dpost.p, dpost.len, NULL, 0, "DROP",
                                      "post-data", err))) ||
        (dpre.len && (rc = add_entry(r, DBF_SEC_PRE, pre, dpre.p, dpre.len, NULL, 0, "DROP",
                                     "pre-data", err)))) {
        rc = rc ? rc : dbf_error_set(err, DBF_ENOMEM, "out of memory");
        goto done;
    }
    for (int k = 0; k < 2; k++) {
        dbc_vec *from = k ? &epost : &epre, *to = k ? post : pre;
        for (size_t i = 0; i < from->n && !rc; i++) {
            dbf_object *o = dbc_vec_push(to, sizeof(*o));
            if (!o)
                rc = dbf_error_set(err, DBF_ENOMEM, "out of memory");
            else
                *o = ((dbf_object *)from->p)[i];
        }
    }
done:
    free(conninfo);
    dbc_buf_free(&text[0]);
    dbc_buf_free(&text[1]);
    dbc_buf_free(&dpre);
    dbc_buf_free(&dpost);
    dbc_vec_free(&epre);
    dbc_vec_free(&epost);
    return rc;
}
