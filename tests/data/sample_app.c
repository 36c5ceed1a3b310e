/* sample_app.c - writes the project's own sample database: a small blogging application's
 * SQLite file, the way an app and its ORM leave one behind.
 *
 *   dbt_sample_app OUT.db
 *
 * Users, posts, comments, tags, settings (secrets as `ENC:v3:<key>:<hex>` text and as raw
 * encrypted-looking blobs), attachments (binary blobs of 0 to 12 KiB, every byte value),
 * timestamps both as INTEGER epoch milliseconds (drizzle style) and as ISO text, booleans as
 * 0/1, JSON kept as text, foreign keys, an AUTOINCREMENT counter, a WITHOUT ROWID table, a
 * composite key, indexes (one partial), a view, a trigger, PRAGMA user_version and ANALYZE
 * statistics: 4,057 rows in 7 tables (and 9 in sqlite_stat1), a 2 MiB file.
 * Deterministic: the same file content on every run (a fixed-seed generator, no clock). The
 * demo (scripts/demo.sh) and the tests that need a realistic database use it, so neither
 * depends on data outside the repository. OUT.db must be absent or empty.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_USERS 120
#define N_POSTS 600
#define N_COMMENTS 2400
#define N_TAGS 24
#define N_ATTACHMENTS 96
#define EPOCH_MS_2023 1672531200000LL /* 2023-01-01T00:00:00Z */

static const char SCHEMA[] =
    "PRAGMA user_version = 42;\n"
    "CREATE TABLE users (\n"
    "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    email TEXT NOT NULL UNIQUE,\n"
    "    display_name TEXT NOT NULL,\n"
    "    password_hash BLOB NOT NULL,\n"
    "    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),\n"
    "    created_at INTEGER NOT NULL,\n"
    "    last_login_at TEXT,\n"
    "    preferences TEXT NOT NULL DEFAULT '{}'\n"
    ");\n"
    "CREATE TABLE posts (\n"
    "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
    "    slug TEXT NOT NULL UNIQUE,\n"
    "    title TEXT NOT NULL,\n"
    "    body TEXT NOT NULL,\n"
    "    status TEXT NOT NULL DEFAULT 'draft'\n"
    "        CHECK (status IN ('draft', 'published', 'archived')),\n"
    "    rating REAL,\n"
    "    published_at TEXT,\n"
    "    updated_at INTEGER NOT NULL,\n"
    "    comment_count INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX posts_author_published ON posts(author_id, published_at);\n"
    "CREATE INDEX posts_live ON posts(published_at) WHERE status = 'published';\n"
    "CREATE TABLE comments (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
    "    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,\n"
    "    body TEXT NOT NULL,\n"
    "    created_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX comments_post ON comments(post_id);\n"
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);\n"
    "CREATE TABLE post_tags (\n"
    "    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
    "    tag_id INTEGER NOT NULL REFERENCES tags(id),\n"
    "    PRIMARY KEY (post_id, tag_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE attachments (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
    "    filename TEXT NOT NULL,\n"
    "    mime_type TEXT NOT NULL,\n"
    "    content BLOB NOT NULL,\n"
    "    size INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE settings (\n"
    "    key TEXT PRIMARY KEY,\n"
    "    value TEXT NOT NULL,\n"
    "    secret BLOB,\n"
    "    updated_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE VIEW published_posts AS\n"
    "    SELECT p.id, p.slug, p.title, u.display_name AS author, p.published_at, p.comment_count\n"
    "    FROM posts p JOIN users u ON u.id = p.author_id\n"
    "    WHERE p.status = 'published';\n";

/* Added after the rows, as an app's migration would: it counts the comments the app adds. */
static const char TRIGGER[] =
    "CREATE TRIGGER comments_count AFTER INSERT ON comments BEGIN\n"
    "    UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;\n"
    "END;\n";

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL; /* fixed seed: the same file every run */

/* xorshift64*: a small deterministic generator (not for secrets; these only look like them). */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static int rnd_below(int n) { return (int)(rnd() % (uint64_t)n); }

static void rnd_bytes(unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(rnd() >> 56);
}

static const char *const FIRST[] = {"Ada", "Bjørn", "Chloé", "Dmitri", "Emeka", "Fatima",
                                    "Grace", "Hiro", "Inés", "José", "Kwame", "Léa", "Mei",
                                    "Nikolai", "O'Brien", "Priya", "Zoë", "陈"};
static const char *const LAST[] = {"Lovelace", "Østergaard", "Dubois", "Ivanov", "Okafor",
                                   "Haddad", "Hopper", "Tanaka", "García", "Muñoz", "Mensah",
                                   "Martin", "Wang", "Petrov", "Nakamura", "Sharma", "伟"};
static const char *const WORDS[] = {
    "database", "backup", "restore", "migration", "schema", "index", "query", "stream",
    "archive", "replica", "snapshot", "engine", "cursor", "commit", "rollback", "vacuum",
    "naïve", "café", "Grüße", "日本語", "emoji 🎉", "\"quoted\"", "it's", "back\\slash",
    "tab\there", "50%", "under_score", "semi;colon"};
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Appends n random words to buf (cap bytes), separated by spaces or, now and then, a newline. */
static void words(char *buf, size_t cap, int n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len + 1 < cap; i++) {
        int w = snprintf(buf + len, cap - len, "%s%s", i == 0 ? "" : (rnd_below(9) ? " " : "\n"),
                         WORDS[rnd_below(COUNT(WORDS))]);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
}

/* ISO-8601 UTC text of epoch milliseconds, as apps write it ("2024-05-01T12:34:56.789Z"). */
static void iso(char out[32], long long ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    char day[24];
    gmtime_r(&s, &tm);
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%.19s.%03dZ", day, (int)(ms % 1000));
}

static void hex(char *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static sqlite3 *db;

static void check(int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        fprintf(stderr, "dbt_sample_app: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static sqlite3_stmt *prepare(const char *sql)
{
    sqlite3_stmt *st = NULL;
    check(sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
    return st;
}

static void step(sqlite3_stmt *st, const char *what)
{
    check(sqlite3_step(st), what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void users(void)
{
    sqlite3_stmt *st = prepare("INSERT INTO users (email, display_name, password_hash, is_admin,"
                               " created_at, last_login_at, preferences)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (int i = 1; i <= N_USERS; i++) {
        const char *first = FIRST[rnd_below(COUNT(FIRST))], *last = LAST[rnd_below(COUNT(LAST))];
        char email[64], name[96], login[32], prefs[128];
        unsigned char hash[32];
        long long created = EPOCH_MS_2023 + (long long)i * 86400000LL + rnd_below(86400000);
        snprintf(email, sizeof email, "user%03d@example.%s", i, i % 3 ? "org" : "com");
        snprintf(name, sizeof name, "%s %s", first, last);
        rnd_bytes(hash, sizeof hash);
        sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 3, hash, sizeof hash, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, i % 40 == 1);
        sqlite3_bind_int64(st, 5, created);
        if (i % 7 != 0) { /* some users never logged in: NULL */
            iso(login, created + (long long)rnd_below(300) * 86400000LL + rnd_below(1000));
            sqlite3_bind_text(st, 6, login, -1, SQLITE_TRANSIENT);
        }
        snprintf(prefs, sizeof prefs, "{\"theme\":\"%s\",\"digest\":%s,\"page_size\":%d}",
                 i % 2 ? "dark" : "light", i % 3 ? "true" : "false", 10 + rnd_below(5) * 10);
        sqlite3_bind_text(st, 7, prefs, -1, SQLITE_TRANSIENT);
        step(st, "users");
    }
    sqlite3_finalize(st);
}

static void posts(void)
{
    static const char *const STATUS[] = {"draft", "published", "published", "archived"};
    sqlite3_stmt *st = prepare("INSERT INTO posts (author_id, slug, title, body, status, rating,"
                               " published_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (int i = 1; i <= N_POSTS; i++) {
        char slug[48], title[256], body[4096], pub[32];
        const char *status = STATUS[rnd_below(COUNT(STATUS))];
        long long at = EPOCH_MS_2023 + (long long)rnd_below(700) * 86400000LL + rnd_below(86400000);
        words(title, sizeof title, 3 + rnd_below(6));
        words(body, sizeof body, 20 + rnd_below(200));
        snprintf(slug, sizeof slug, "post-%04d", i);
        sqlite3_bind_int(st, 1, 1 + rnd_below(N_USERS));
        sqlite3_bind_text(st, 2, slug, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
        if (i % 5 != 0) /* ratings that need all 17 digits: thirds less a tenth */
            sqlite3_bind_double(st, 6, (double)rnd_below(50) / 3.0 - 1.1);
        if (strcmp(status, "draft") != 0) {
            iso(pub, at);
            sqlite3_bind_text(st, 7, pub, -1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_int64(st, 8, at + rnd_below(1000000));
        step(st, "posts");
    }
    sqlite3_finalize(st);
}

static void comments(void)
{
    sqlite3_stmt *st = prepare("INSERT INTO comments (id, post_id, user_id, body, created_at)"
                               " VALUES (?, ?, ?, ?, ?)");
    long long id = 0;
    for (int i = 1; i <= N_COMMENTS; i++) {
        char body[1024], at[32];
        id += 1 + (i % 50 == 0 ? 1000 : 0); /* rowids with gaps, as deletions leave them */
        words(body, sizeof body, 3 + rnd_below(40));
        iso(at, EPOCH_MS_2023 + (long long)rnd_below(700) * 86400000LL + rnd_below(86400000));
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, 1 + rnd_below(N_POSTS));
        if (i % 11 != 0) /* the author deleted their account: ON DELETE SET NULL left NULL */
            sqlite3_bind_int(st, 3, 1 + rnd_below(N_USERS));
        sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, at, -1, SQLITE_TRANSIENT);
        step(st, "comments");
    }
    sqlite3_finalize(st);
    check(sqlite3_exec(db, "UPDATE posts SET comment_count ="
                           " (SELECT count(*) FROM comments c WHERE c.post_id = posts.id)",
                       NULL, NULL, NULL), "comment counts");
}

static void tags(void)
{
    sqlite3_stmt *st = prepare("INSERT INTO tags (id, name) VALUES (?, ?)");
    for (int i = 1; i <= N_TAGS; i++) {
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, WORDS[i - 1], -1, SQLITE_STATIC);
        step(st, "tags");
    }
    sqlite3_finalize(st);
    st = prepare("INSERT OR IGNORE INTO post_tags (post_id, tag_id) VALUES (?, ?)");
    for (int p = 1; p <= N_POSTS; p++) {
        for (int k = rnd_below(4); k > 0; k--) {
            sqlite3_bind_int(st, 1, p);
            sqlite3_bind_int(st, 2, 1 + rnd_below(N_TAGS));
            step(st, "post_tags");
        }
    }
    sqlite3_finalize(st);
}

static void attachments(void)
{
    static const char *const KIND[][2] = {{"png", "image/png"}, {"pdf", "application/pdf"},
                                          {"bin", "application/octet-stream"},
                                          {"txt", "text/plain"}};
    static unsigned char data[12288];
    sqlite3_stmt *st = prepare("INSERT INTO attachments (id, post_id, filename, mime_type,"
                               " content, size) VALUES (?, ?, ?, ?, ?, ?)");
    for (int i = 1; i <= N_ATTACHMENTS; i++) {
        int k = i % COUNT(KIND);
        size_t n = i == 1 ? 0 : i == 2 ? 256 : (size_t)rnd_below((int)sizeof data);
        char name[64];
        if (i == 2) /* every byte value once, in order */
            for (int b = 0; b < 256; b++)
                data[b] = (unsigned char)b;
        else
            rnd_bytes(data, n);
        snprintf(name, sizeof name, "file-%02d.%s", i, KIND[k][0]);
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_int(st, 2, 1 + rnd_below(N_POSTS));
        sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, KIND[k][1], -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 5, data, (int)n, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, (long long)n);
        step(st, "attachments");
    }
    sqlite3_finalize(st);
}

static void settings(void)
{
    static const char *const PLAIN[][2] = {
        {"site.title", "My «Blog» — notes"}, {"site.locale", "de_DE"},
        {"mail.smtp_host", "smtp.example.org"}, {"mail.smtp_port", "587"},
        {"feature.comments", "true"}, {"feature.registration", "false"},
        {"ui.banner", "Line one\nLine two\twith a tab"}, {"empty", ""}};
    static const char *const SECRET[] = {"mail.smtp_password", "oauth.github_client_secret",
                                         "oauth.google_client_secret", "storage.s3_secret_key",
                                         "webhook.signing_key", "api.token"};
    sqlite3_stmt *st = prepare("INSERT INTO settings (key, value, secret, updated_at)"
                               " VALUES (?, ?, ?, ?)");
    for (int i = 0; i < COUNT(PLAIN); i++) {
        sqlite3_bind_text(st, 1, PLAIN[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, PLAIN[i][1], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, EPOCH_MS_2023 + i * 1000LL);
        step(st, "settings");
    }
    for (int i = 0; i < COUNT(SECRET); i++) {
        /* Encrypted with a key kept outside the database: text `ENC:v3:<key id>:<hex>` and the
         * same kind of ciphertext as raw bytes (nonce + ciphertext + tag). */
        unsigned char ct[60], raw[48];
        char value[200];
        rnd_bytes(ct, sizeof ct);
        rnd_bytes(raw, sizeof raw);
        memcpy(value, "ENC:v3:k2024:", 13);
        hex(value + 13, ct, sizeof ct);
        sqlite3_bind_text(st, 1, SECRET[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 3, raw, sizeof raw, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, EPOCH_MS_2023 + (100 + i) * 1000LL);
        step(st, "settings");
    }
    sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dbt_sample_app OUT.db\n");
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "dbt_sample_app: cannot create %s\n", argv[1]);
        return 1;
    }
    sqlite3_stmt *st = prepare("SELECT count(*) FROM sqlite_master");
    sqlite3_step(st);
    if (sqlite3_column_int(st, 0) != 0) {
        fprintf(stderr, "dbt_sample_app: %s already holds a database\n", argv[1]);
        return 1;
    }
    sqlite3_finalize(st);
    check(sqlite3_exec(db, "PRAGMA foreign_keys = ON; BEGIN", NULL, NULL, NULL), "begin");
    check(sqlite3_exec(db, SCHEMA, NULL, NULL, NULL), "schema");
    users();
    posts();
    comments();
    tags();
    attachments();
    settings();
    check(sqlite3_exec(db, TRIGGER, NULL, NULL, NULL), "trigger");
    /* The app deleted a user later: its posts went by cascade, its comments elsewhere kept
     * user_id NULL, and the AUTOINCREMENT counter still remembers the id. */
    check(sqlite3_exec(db, "DELETE FROM users WHERE id = 17; DELETE FROM users WHERE id = 120;"
                           " COMMIT; ANALYZE",
                       NULL, NULL, NULL), "commit");
    if (sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "dbt_sample_app: closing %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    return 0;
}
