#!/usr/bin/env python3
"""values.py MODE ENGINE [PEER] - canonical text of every value of a database, for values.sh.

Reads blocks from stdin: a header line "== TABLE<TAB>KIND KIND ..." (one portable kind per
column, from the source's catalog), then one line per row: the row's fields joined by '|',
each '~' for NULL or the engine's raw form (see values.sh: vexpr). Writes "== TABLE" and the
rows' canonical text, sorted (order-independent). MODE:
  read     the values as ENGINE holds them, by kind (PostgreSQL, MySQL; a SQLite target
           restored from a typed archive, whose storage class must be the documented one)
  native   SQLite -> SQLite: storage class and exact value, nothing converted
  convert  SQLite source values as spec/TYPES.md ("SQLite archives") says a PEER target
           (postgresql | mysql) receives them
Canonical forms: NULL '~'; int decimal digits; bool 0/1; floats Python's repr of the exact
double; decimals their exact text; text, json and bytes uppercase hex of the bytes; dates,
times and timestamps `YYYY-MM-DD HH:MM:SS[.f]` (fraction without trailing zeros),
timestamptz the instant in UTC with `Z`. A value that the spec says is refused gives
'!refused ...', which never equals a target's value. Written from the spec, not from the
project's code.
"""
import datetime
import decimal
import re
import sys

MODE, ENGINE = sys.argv[1], sys.argv[2]
PEER = sys.argv[3] if len(sys.argv) > 3 else ""


def shortest_g(x):
    """The shortest %.Ng text that reads back as the same double (`%.17g` shortened)."""
    for n in range(1, 18):
        s = "%.*g" % (n, x)
        if float(s) == x:
            return s
    return "%.17g" % x


def plain(d):
    """A decimal.Decimal as plain digits: no exponent, scale as the value has it."""
    return format(d, "f")


def strip_frac(s):
    """Fixed-precision engine output (MySQL datetime(6): .500000) to the spec's [.f] form."""
    m = re.match(r"^(.*\d{2}:\d{2}:\d{2})\.(\d+)$", s)
    if not m:
        return s
    f = m.group(2).rstrip("0")
    return m.group(1) + ("." + f if f else "")


def refused(why, raw):
    return "!refused %s: %s" % (why, raw)


def unhex(h):
    return bytes.fromhex(h).decode("utf-8", "surrogateescape")


def hexs(s):
    return s.encode("utf-8").hex().upper()


TS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
                r"(Z|[+-]\d{2}(?::?\d{2})?)?)?$")


def sqlite_ts(text, tz):
    """SQLite text into a timestamp: `YYYY-MM-DD[ T]HH:MM[:SS[.f]][Z|+-HH[:MM]]` or a date,
    an offset converted to UTC, more than 6 fraction digits refused."""
    m = TS.match(text)
    if not m:
        return refused("timestamp text", text)
    y, mo, d, h, mi, s, f, off = m.groups()
    f = f or ""
    if len(f) > 6:
        return refused("more than 6 fraction digits", text)
    try:
        t = datetime.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                              int((f + "000000")[:6]))
    except ValueError:
        return refused("not a calendar date/time", text)
    if off and off != "Z":
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        delta = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        t -= sign * delta
    out = t.strftime("%Y-%m-%d %H:%M:%S")
    if t.microsecond:
        out += ("." + "%06d" % t.microsecond).rstrip("0")
    return out + ("Z" if tz else "")


def sqlite_date(text):
    """`YYYY-MM-DD` (a zero time part allowed), validated as a calendar date."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$", text)
    if not m:
        return refused("date text", text)
    try:
        return datetime.date(*map(int, m.groups())).isoformat()
    except ValueError:
        return refused("not a calendar date", text)


def sqlite_time(text):
    m = re.match(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$", text)
    if not m:
        return refused("time text", text)
    h, mi, s, f = m.groups()
    f = (f or "").rstrip("0")
    return "%s:%s:%s%s" % (h, mi, s or "00", "." + f if f else "")


def convert(kind, raw):
    """A SQLite value (class letter + value) as a typed target receives it (the table
    "Each value is converted by its storage class" of spec/TYPES.md)."""
    cls, v = raw[0], raw[1:]
    k = kind.split(":")
    if k[0] in ("int", "year"):
        if cls == "i":
            return v
        if cls == "r" and float(v).is_integer():
            return str(int(float(v)))
        return refused("not an integer", raw)
    if k[0] == "bool":
        if cls == "i" and v in ("0", "1"):
            return v
        if cls == "r" and float(v) in (0.0, 1.0):
            return str(int(float(v)))
        if cls == "t":
            t = unhex(v).lower()
            if t in ("0", "f", "false"):
                return "0"
            if t in ("1", "t", "true"):
                return "1"
        return refused("not a boolean", raw)
    if k[0] in ("f64", "f32"):
        if cls == "r":
            return repr(float(v))
        if cls == "i" and float(int(v)) == int(v):
            return repr(float(int(v)))
        return refused("not an exact float", raw)
    if k[0] == "dec":
        scale = int(k[2])
        if cls == "i":
            d = decimal.Decimal(v)
        elif cls == "r":
            d = decimal.Decimal(shortest_g(float(v)))
            d = d.quantize(1) if d == d.to_integral_value() else d.normalize()
        elif cls == "t":
            try:
                d = decimal.Decimal(unhex(v))
            except decimal.InvalidOperation:
                return refused("not a decimal", raw)
        else:
            return refused("blob in a decimal column", raw)
        if scale >= 0:
            if -d.as_tuple().exponent > scale:
                return refused("more fraction digits than the scale", raw)
            d = d.quantize(decimal.Decimal(1).scaleb(-scale))
        return plain(d)
    if k[0] in ("text", "json"):
        if cls == "t":
            return v
        if cls == "i":
            return hexs(v)
        if cls == "r":
            return hexs(shortest_g(float(v)))
        return refused("blob in a text column", raw)
    if k[0] == "bytes":
        if cls in ("b", "t"):
            return v
        return refused("number in a bytes column", raw)
    if cls != "t":
        return refused("not text", raw)
    t = unhex(v)
    if k[0] == "date":
        return sqlite_date(t)
    if k[0] in ("ts", "tstz"):
        return sqlite_ts(t, k[0] == "tstz")
    if k[0] == "time":
        return sqlite_time(t)
    if k[0] == "uuid":
        h = t.replace("-", "").lower()
        if not re.match(r"^[0-9a-f]{32}$", h):
            return refused("not a uuid", raw)
        if PEER == "postgresql":
            return "-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:]))
        return t
    sys.exit("values.py: no conversion for kind %s" % kind)


# The storage class a SQLite target holds for each kind (spec/TYPES.md, SQLite target column).
SQLITE_CLASS = {"int": "i", "year": "i", "bool": "i", "f64": "r", "f32": "r", "bytes": "b"}
HEX_KINDS = ("text", "json", "bytes")


def read(kind, raw):
    k = kind.split(":")[0]
    if ENGINE == "sqlite":
        cls, v = raw[0], raw[1:]
        if cls != SQLITE_CLASS.get(k, "t"):
            return "!class %s: %s" % (cls, raw)
        if k in ("f64", "f32"):
            return repr(float(v))
        if cls == "t" and k not in HEX_KINDS:
            return unhex(v)  # the stored text exactly, no normalisation
        return v
    if k == "bool":
        return {"true": "1", "false": "0", "t": "1", "f": "0"}.get(raw, raw)
    if k in ("f64", "f32"):
        return repr(float(raw))
    if k in ("ts", "time"):
        return strip_frac(raw)
    if k == "tstz":
        if ENGINE == "postgresql":  # read with TimeZone UTC: +00
            return strip_frac(raw[:-3]) + "Z" if raw.endswith("+00") else raw
        return strip_frac(raw) + "Z"  # MySQL, read at time_zone +00:00
    return raw


def canon(kind, field):
    if field == "~":
        return "~"
    if ENGINE != "sqlite":  # typed engines: ':' then the value
        if field[:1] != ":":
            sys.exit("values.py: unmarked field %r" % field[:100])
        field = field[1:]
    if MODE == "native":
        return field
    if MODE == "convert":
        return convert(kind, field)
    return read(kind, field)


def flush(table, kinds, rows):
    if table is None:
        return
    print("== " + table)
    out = []
    for line in rows:
        f = line.split("|")
        if len(f) != len(kinds):
            sys.exit("values.py: %s: %d fields, %d columns: %s" % (table, len(f), len(kinds),
                                                                   line[:200]))
        out.append("|".join(canon(k, v) for k, v in zip(kinds, f)))
    for line in sorted(out):
        print(line)


table, kinds, rows = None, [], []
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("== "):
        flush(table, kinds, rows)
        table, _, ks = line[3:].partition("\t")
        kinds, rows = ks.split(), []
    else:
        rows.append(line)
flush(table, kinds, rows)
