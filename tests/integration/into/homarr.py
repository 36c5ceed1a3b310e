#!/usr/bin/env python3
"""homarr.py - Homarr's real database, built and filled as the application does it.

  homarr.py migrate HOMARR ENGINE OUT    the SQL drizzle runs for ENGINE (sqlite: OUT is the
                                         database file, built here; postgresql, mysql: OUT is
                                         a script for the engine's client), with the
                                         __drizzle_migrations rows drizzle records
  homarr.py fill HOMARR DB ROWS          every table of the SQLite file DB filled with ROWS
                                         rows shaped as Homarr writes them
  homarr.py seed ENGINE OUT              the rows Homarr writes into a new database on first
                                         start (a script for the engine's client)
  homarr.py query HOMARR DB ENGINE       per table, a query printing every row of the target
                                         as one JSON object of canonical values
  homarr.py expect HOMARR DB ENGINE OUT  the same canonical rows computed from the source
  homarr.py compare WANT GOT             exit 1 naming the first differences

HOMARR is the corpus folder (migrations/, schema/sqlite.ts). Columns are typed by the app's
own schema/sqlite.ts: int({mode: "timestamp"}) is epoch seconds, "timestamp_ms" epoch
milliseconds, "boolean" 0/1, text({mode: "json"}) JSON text; blobs and encrypted secrets must
arrive byte for byte. Canonical values: timestamps as epoch milliseconds (an instant; MySQL's
`timestamp` keeps whole seconds, so there the source's value is cut to the second), booleans
as 0/1, JSON parsed, blobs as hex, everything else as text.
"""
import hashlib
import json
import os
import random
import re
import sqlite3
import sys


def journal(homarr, engine):
    d = os.path.join(homarr, "migrations", engine)
    with open(os.path.join(d, "meta", "_journal.json")) as f:
        entries = json.load(f)["entries"]
    for e in entries:
        path = os.path.join(d, e["tag"] + ".sql")
        with open(path, "rb") as f:
            raw = f.read()
        yield e["when"], hashlib.sha256(raw).hexdigest(), raw.decode()


def chunks(sql):
    return [c.strip() for c in sql.split("--> statement-breakpoint") if c.strip()]


def migrate(homarr, engine, out):
    if engine == "sqlite":
        # drizzle runs every pending migration in one transaction; some files end it and
        # start another themselves (COMMIT; PRAGMA foreign_keys; BEGIN)
        db = sqlite3.connect(out, isolation_level=None)
        db.execute('CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, '
                   "created_at numeric)")
        db.execute("BEGIN")
        for when, h, sql in journal(homarr, engine):
            for c in chunks(sql):
                for stmt in re.split(r";\s*\n", c):
                    if stmt.strip().rstrip(";").strip():
                        db.execute(stmt)
            db.execute('INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)', (h, when))
        db.execute("COMMIT")
        db.close()
        return
    lines = []
    if engine == "postgresql":
        lines.append("BEGIN;")
        lines.append('CREATE SCHEMA IF NOT EXISTS "drizzle";')
        lines.append('CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" '
                     "(id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);")
        table = '"drizzle"."__drizzle_migrations"'
    else:
        lines.append("CREATE TABLE IF NOT EXISTS `__drizzle_migrations` "
                     "(id serial primary key, hash text not null, created_at bigint);")
        table = "`__drizzle_migrations`"
    for when, h, sql in journal(homarr, engine):
        for c in chunks(sql):
            lines.append(c if c.rstrip().endswith(";") else c + ";")
        lines.append("INSERT INTO %s (hash, created_at) VALUES ('%s', %d);" % (table, h, when))
    if engine == "postgresql":
        lines.append("COMMIT;")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def snake(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def modes(homarr):
    """{table: {column: mode}} from schema/sqlite.ts (mode: timestamp, timestamp_ms, boolean,
    json, buffer), under the column's TypeScript name and its snake_case form."""
    with open(os.path.join(homarr, "schema", "sqlite.ts")) as f:
        ts = f.read()
    out = {}
    for block in ts.split("export const ")[1:]:
        m = re.search(r'sqliteTable\(\s*"(\w+)"', block)
        if not m:
            continue
        cols = {}
        for c in re.finditer(r'(\w+):\s*(?:int|text|blob)\(\s*(?:"(\w+)",\s*)?\{\s*mode:\s*"(\w+)"',
                             block):
            for n in (c.group(1), snake(c.group(1)), c.group(2)):
                if n:
                    cols[n] = c.group(3)
        out[m.group(1)] = cols
    return out


def limits(homarr):
    """{table: {column: n}}: the smallest varchar(n) the PostgreSQL and MySQL schemas give."""
    out = {}
    for eng, fn in (("postgresql", "pgTable"), ("mysql", "mysqlTable")):
        with open(os.path.join(homarr, "schema", eng + ".ts")) as f:
            ts = f.read()
        for block in ts.split("export const ")[1:]:
            m = re.search(fn + r'\(\s*"(\w+)"', block)
            if not m:
                continue
            cols = out.setdefault(m.group(1), {})
            for c in re.finditer(r'(\w+):\s*varchar\(\s*(?:"(\w+)",\s*)?\{\s*length:\s*(\d+)', block):
                for n in (c.group(1), snake(c.group(1)), c.group(2)):
                    if n:
                        cols[n] = min(int(c.group(3)), cols.get(n, 1 << 30))
            # small integers: a value up to 100 fits them (the key "int:NAME")
            for c in re.finditer(r'(\w+):\s*(?:tinyint|smallint)\(', block):
                for n in (c.group(1), snake(c.group(1))):
                    cols["int:" + n] = 100
    return out


def tables(db):
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != '__drizzle_migrations' ORDER BY name")]
    info = {}
    for t in names:
        cols = [(r[1], (r[2] or "").lower(), r[3], r[5]) for r in db.execute('PRAGMA table_info("%s")' % t)]
        fks = [(r[2], r[3], r[4]) for r in db.execute('PRAGMA foreign_key_list("%s")' % t)]
        uniq = []
        for r in db.execute('PRAGMA index_list("%s")' % t):
            if r[2]:
                uniq.append([x[2] for x in db.execute('PRAGMA index_info("%s")' % r[1])])
        info[t] = {"cols": cols, "fks": fks, "uniq": uniq}
    return info


def order(info):
    """Tables whose NOT NULL references are filled first."""
    done, out = set(), []
    while len(out) < len(info):
        progress = False
        for t, ti in sorted(info.items()):
            if t in done:
                continue
            notnull = {c[0] for c in ti["cols"] if c[2]}
            if all(p == t or p in done or col not in notnull for p, col, _ in ti["fks"]):
                done.add(t)
                out.append(t)
                progress = True
        if not progress:
            raise SystemExit("homarr.py: a cycle of NOT NULL references")
    return out


def fill(homarr, path, nrows):
    rnd = random.Random(2026)
    db = sqlite3.connect(path)
    md = modes(homarr)
    lim = limits(homarr)
    info = tables(db)
    keys = {}  # table -> {column: [values]}
    for t in order(info):
        ti = info[t]
        mode = md.get(t, {})
        fk = {col: (p, pc) for p, col, pc in ti["fks"]}
        pk = [c[0] for c in sorted((c for c in ti["cols"] if c[3]), key=lambda c: c[3])]
        seen = [set() for _ in ti["uniq"]] + [set()]
        rows = []
        for i in range(nrows * 3):
            if len(rows) == nrows:
                break
            row = {}
            for name, typ, notnull, _ in ti["cols"]:
                m = mode.get(name)
                if name in fk:
                    p, pc = fk[name]
                    cand = keys.get(p, {}).get(pc) or ([r[name] for r in rows if r[name] is not None]
                                                     if p == t else [])
                    if p == t and pc != name:
                        cand = [r[pc] for r in rows]
                    v = rnd.choice(cand) if cand and (notnull or rnd.random() < 0.8) else None
                    if v is None and notnull:
                        break
                elif m == "timestamp":
                    v = rnd.randrange(1672531200, 1798761600)         # 2023 .. 2027, seconds
                elif m == "timestamp_ms":
                    v = rnd.randrange(1672531200000, 1798761600000)   # milliseconds
                elif m == "boolean":
                    v = rnd.randrange(2)
                elif m == "json":
                    v = json.dumps({"i": i, "name": "w%d" % i, "on": i % 2 == 0,
                                    "items": [i, i * 2.5, None, "é"]})
                elif typ == "blob" or m == "buffer":
                    v = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 300))) + bytes(range(256)) * (i % 2)
                elif typ in ("integer", "int") or typ.startswith("int"):
                    v = i if name in pk else rnd.randrange(0, lim.get(t, {}).get("int:" + name, 1000))
                elif typ == "real":
                    v = rnd.randrange(0, 10 ** 6) / 64
                elif t == "integrationSecret" and name == "value":
                    v = "%s.%s" % (os.urandom(24).hex(), os.urandom(16).hex())  # ciphertext.iv
                else:
                    n = lim.get(t, {}).get(name, 24)
                    v = "%s%d" % (name[:max(1, min(12, n - len(str(i))))], i)
                if v is None and notnull:
                    v = "%s%d" % (name[:4], i)
                row[name] = v
            else:
                tup = [tuple(row[c] for c in u) for u in ti["uniq"]] + [tuple(row[c] for c in pk)]
                if any(x in s for x, s in zip(tup, seen) if None not in x and x):
                    continue
                for x, s in zip(tup, seen):
                    s.add(x)
                rows.append(row)
        keys[t] = insert(db, t, ti, rows)
    db.commit()


def insert(db, t, ti, rows):
    """rows (dicts) into table t; @return {column: [values]}, the keys children pick from."""
    names = [c[0] for c in ti["cols"]]
    db.executemany('INSERT INTO "%s" (%s) VALUES (%s)' % (
        t, ", ".join('"%s"' % n for n in names), ", ".join("?" * len(names))),
        [tuple(r[n] for n in names) for r in rows])
    return {n: [r[n] for r in rows] for n in names}


def seed(engine, out):
    """What a new Homarr writes on first start (packages/db/seed): the everyone group, the
    onboarding row and the server settings."""
    q = '"' if engine == "postgresql" else "`"
    lines = [
        "INSERT INTO {q}group{q} (id, name, position) VALUES ('seedgroup', 'everyone', -1);",
        "INSERT INTO {q}onboarding{q} (id, step, previous_step) VALUES ('seedonb', 'start', NULL);",
        "INSERT INTO {q}serverSetting{q} ({q}setting_key{q}, value) VALUES "
        "('analytics', '{{\"json\":{{\"enableGeneral\":true}}}}');",
    ]
    with open(out, "w") as f:
        f.write("\n".join(l.format(q=q) for l in lines) + "\n")


def kinds(homarr, db):
    md = modes(homarr)
    info = tables(db)
    out = {}
    for t, ti in info.items():
        out[t] = []
        for name, typ, _, _ in ti["cols"]:
            m = md.get(t, {}).get(name)
            k = m if m in ("timestamp", "timestamp_ms", "boolean", "json") else \
                "blob" if typ == "blob" else "int" if typ.startswith("int") else \
                "real" if typ == "real" else "text"
            out[t].append((name, k))
    return out


def query(homarr, path, engine):
    db = sqlite3.connect(path)
    for t, cols in sorted(kinds(homarr, db).items()):
        parts = []
        for name, k in cols:
            if engine == "postgresql":
                c = 't."%s"' % name
                e = {"timestamp": "(extract(epoch from %s) * 1000)::bigint",
                     "timestamp_ms": "(extract(epoch from %s) * 1000)::bigint",
                     "boolean": "%s::int", "json": "%s::text", "blob": "encode(%s, 'hex')",
                     "int": "%s::text", "real": "%s::float8::text"}.get(k, "%s::text") % c
                parts.append("'%s', %s" % (name, e))
            else:
                c = "t.`%s`" % name
                e = {"timestamp": "CAST(UNIX_TIMESTAMP(%s) * 1000 AS SIGNED)",
                     "timestamp_ms": "CAST(UNIX_TIMESTAMP(%s) * 1000 AS SIGNED)",
                     "boolean": "CAST(%s AS SIGNED)", "json": "CAST(%s AS CHAR)",
                     "blob": "LOWER(HEX(%s))", "int": "CAST(%s AS CHAR)",
                     "real": "CAST(%s AS DOUBLE)"}.get(k, "CAST(%s AS CHAR)") % c
                parts.append("'%s', %s" % (name, e))
        print(select_json(engine, t, parts))


def select_json(engine, t, parts):
    """A query printing each row of table t as "t<TAB>{json}" (parts: 'name', expression)."""
    if engine == "postgresql":
        return "SELECT '%s' || chr(9) || json_build_object(%s)::text FROM \"%s\" t;" % (
            t, ", ".join(parts), t)
    return "SELECT CONCAT('%s', CHAR(9), JSON_OBJECT(%s)) FROM `%s` t;" % (t, ", ".join(parts), t)


def canon(k, v, engine):
    if v is None:
        return None
    if k == "timestamp":
        return int(v) * 1000
    if k == "timestamp_ms":
        return int(v) // 1000 * 1000 if engine == "mysql" else int(v)
    if k == "json":
        return json.loads(v) if isinstance(v, str) else v
    if k == "blob":
        return v.hex() if isinstance(v, bytes) else v.lower()
    if k in ("boolean",):
        return int(v)
    if k == "real":
        return float(v)
    return str(v)


def expect(homarr, path, engine, out):
    db = sqlite3.connect(path)
    lines = []
    for t, cols in sorted(kinds(homarr, db).items()):
        names = [c[0] for c in cols]
        for r in db.execute('SELECT %s FROM "%s"' % (", ".join('"%s"' % n for n in names), t)):
            d = {n: canon(k, v, engine) for (n, k), v in zip(cols, r)}
            lines.append(t + "\t" + json.dumps(d, sort_keys=True, ensure_ascii=False))
    with open(out, "w") as f:
        f.write("\n".join(sorted(lines)) + "\n")


def normalise(homarr, path, engine, got, out):
    """The target's rows (from query's output) in expect's form."""
    db = sqlite3.connect(path)
    ks = kinds(homarr, db)
    lines = []
    with open(got) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            t, obj = line.split("\t", 1)
            d = json.loads(obj)
            kk = dict(ks[t])
            lines.append(t + "\t" + json.dumps({n: canon(kk[n], v, "target") if kk[n] != "timestamp"
                                                else (None if v is None else int(v))
                                                for n, v in d.items()},
                                               sort_keys=True, ensure_ascii=False))
    with open(out, "w") as f:
        f.write("\n".join(sorted(lines)) + "\n")


def main(a):
    cmd = a[1]
    if cmd == "migrate":
        migrate(a[2], a[3], a[4])
    elif cmd == "fill":
        fill(a[2], a[3], int(a[4]))
    elif cmd == "seed":
        seed(a[2], a[3])
    elif cmd == "query":
        query(a[2], a[3], a[4])
    elif cmd == "expect":
        expect(a[2], a[3], a[4], a[5])
    elif cmd == "normalise":
        normalise(a[2], a[3], a[4], a[5], a[6])
    else:
        raise SystemExit("homarr.py: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
