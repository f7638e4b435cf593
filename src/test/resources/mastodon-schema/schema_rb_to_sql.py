#!/usr/bin/env python3
"""Turns the tables this tool reads out of Mastodon's db/schema.rb into PostgreSQL DDL for the tests.

Usage: git -C <mastodon clone> show <commit>:db/schema.rb | python3 schema_rb_to_sql.py "<label>" > mastodon-X.Y.sql

Every column keeps its name, type, array-ness, NOT NULL and default exactly as schema.rb declares it. Two test
conveniences, both on defaults only: timestamp columns declared NOT NULL without a default get DEFAULT now() (Rails
fills them, tests insert rows by hand), and ids whose default is Mastodon's timestamp_id() get none (tests give
ids). Indexes are left out. schema_migrations gets the schema's version, as `rails db:schema:load` leaves it.
"""
import re
import sys

TABLES = ["accounts", "media_attachments", "statuses", "custom_emojis", "preview_cards", "preview_card_providers",
          "site_uploads", "backups", "imports", "follows"]

TYPES = {"string": "character varying", "text": "text", "integer": "integer", "bigint": "bigint",
         "boolean": "boolean", "float": "double precision", "json": "json", "jsonb": "jsonb", "date": "date",
         "inet": "inet", "binary": "bytea", "uuid": "uuid", "decimal": "numeric"}


def default_sql(raw, array):
    raw = raw.strip()
    m = re.fullmatch(r'-> \{ "(.*)" \}', raw)
    if m:
        return m.group(1).replace('\\"', '"')
    if raw.startswith('"'):
        return "'" + raw[1:-1].replace("'", "''") + "'"
    if raw == "[]" and array:
        return "'{}'"
    if raw == "{}":
        return "'{}'"
    if re.fullmatch(r"-?[0-9.]+|true|false", raw):
        return raw
    raise SystemExit("unknown default: " + raw)


def options(rest):
    """Splits ', key: value' pairs (values may hold commas inside quotes, braces or brackets)."""
    out = {}
    for m in re.finditer(r',\s*(\w+):\s*("(?:[^"\\]|\\.)*"|-> \{ "(?:[^"\\]|\\.)*" \}|\[[^\]]*\]|\{[^}]*\}|[^,]+)',
                         rest):
        out[m.group(1)] = m.group(2).strip()
    return out


def main():
    label = sys.argv[1]
    src = sys.stdin.read()
    version = re.search(r"define\(version: ([0-9_]+)\)", src).group(1).replace("_", "")
    print("-- Mastodon " + label + ": the tables this tool reads, generated from db/schema.rb (schema " + version + ")")
    print("-- by schema_rb_to_sql.py. Do not edit by hand: regenerate.")
    print()
    print("CREATE TABLE schema_migrations (version character varying PRIMARY KEY);")
    print("INSERT INTO schema_migrations (version) VALUES ('" + version + "');")
    for table in TABLES:
        m = re.search(r'^  create_table "' + table + r'"(.*?) do \|t\|\n(.*?)^  end$', src, re.M | re.S)
        if not m:
            print()
            print("-- (no table " + table + " in this version)")
            continue
        head = options(m.group(1))
        cols = []
        if head.get("id") != "false":
            if "timestamp_id" in head.get("default", ""):
                cols.append("    id bigint NOT NULL PRIMARY KEY")
            else:
                cols.append("    id bigserial PRIMARY KEY")
        for line in m.group(2).splitlines():
            c = re.match(r'\s*t\.(\w+) "(\w+)"(.*)$', line)
            if not c or c.group(1) == "index":
                continue
            kind, name, opts = c.group(1), c.group(2), options(c.group(3))
            if kind == "datetime":
                sql = "timestamp without time zone" if opts.get("precision") == "nil" \
                    else "timestamp(" + opts.get("precision", "6") + ") without time zone"
            elif kind in TYPES:
                sql = TYPES[kind]
                if kind == "integer" and opts.get("limit") == "2":
                    sql = "smallint"
                elif kind == "integer" and opts.get("limit") == "8":
                    sql = "bigint"
                elif kind == "string" and "limit" in opts:
                    sql += "(" + opts["limit"] + ")"
                elif kind == "decimal" and "precision" in opts:
                    sql += "(" + opts["precision"] + ("," + opts["scale"] if "scale" in opts else "") + ")"
            else:
                raise SystemExit("unknown column type t." + kind + " in " + table)
            array = opts.get("array") == "true"
            if array:
                sql += "[]"
            if "default" in opts:
                sql += " DEFAULT " + default_sql(opts["default"], array)
            elif kind == "datetime" and opts.get("null") == "false":
                sql += " DEFAULT now()"
            if opts.get("null") == "false":
                sql += " NOT NULL"
            cols.append("    " + name + " " + sql)
        print()
        print("CREATE TABLE " + table + " (\n" + ",\n".join(cols) + "\n);")


main()
