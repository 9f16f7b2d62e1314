#!/usr/bin/env python3
# SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors.
"""Strict checker of the Prometheus text exposition format 0.0.4.

    prom-check.py FILE            validate FILE ("-" for standard input)
    prom-check.py FILE SAMPLE     validate, then print the value of SAMPLE,
                                  e.g. 'name{a="x",b=""}' (label order free)

Exit status: 0 when valid (and SAMPLE found), 1 with a message on the first
violation or when SAMPLE is missing, 2 on bad usage. Standard library only.

Stricter than Prometheus itself where our output never needs the freedom:
every sample needs a TYPE and a HELP line before it, a family's lines are
contiguous, lines end in a bare LF and the text ends in one.
"""

import re
import sys

NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT_RE = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf|inf)"
    r"|NaN|nan")
TS_RE = re.compile(r"-?[0-9]+")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")


class Violation(Exception):
    pass


def parse_float(s, what):
    if not FLOAT_RE.fullmatch(s):
        raise Violation("%s %r is not a float" % (what, s))
    return float(s)


def parse_labels(s, i):
    """Parse '{...}' at s[i]; return (dict, index after '}')."""
    labels = {}
    i += 1
    while True:
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == "}":
            return labels, i + 1
        m = LABEL_RE.match(s, i)
        if not m:
            raise Violation("bad label name at column %d" % (i + 1))
        name = m.group(0)
        if name.startswith("__"):
            raise Violation("label name %r is reserved" % name)
        if name in labels:
            raise Violation("label %r twice" % name)
        i = m.end()
        while i < len(s) and s[i] in " \t":
            i += 1
        if i >= len(s) or s[i] != "=":
            raise Violation("'=' expected after label %r" % name)
        i += 1
        while i < len(s) and s[i] in " \t":
            i += 1
        if i >= len(s) or s[i] != '"':
            raise Violation("'\"' expected for the value of label %r" % name)
        i += 1
        value = []
        while True:
            if i >= len(s):
                raise Violation("unterminated value of label %r" % name)
            c = s[i]
            if c == '"':
                i += 1
                break
            if c == "\\":
                esc = s[i + 1:i + 2]
                if esc == "\\" or esc == '"':
                    value.append(esc)
                elif esc == "n":
                    value.append("\n")
                else:
                    raise Violation("bad escape \\%s in label %r" %
                                    (esc, name))
                i += 2
                continue
            value.append(c)
            i += 1
        labels[name] = "".join(value)
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == ",":
            i += 1
        elif i < len(s) and s[i] == "}":
            return labels, i + 1
        else:
            raise Violation("',' or '}' expected after label %r" % name)


def parse_sample(s):
    """Parse 'name{labels} value [ts]'; return (name, labels, raw value)."""
    m = NAME_RE.match(s)
    if not m:
        raise Violation("bad metric name")
    name, i = m.group(0), m.end()
    labels = {}
    if i < len(s) and s[i] == "{":
        labels, i = parse_labels(s, i)
    rest = s[i:]
    if not rest or rest[0] not in " \t":
        raise Violation("blank and value expected after %s" % name)
    fields = rest.split()
    if len(fields) not in (1, 2) or rest.strip(" \t") != rest.strip():
        raise Violation("value [timestamp] expected after %s" % name)
    parse_float(fields[0], "value")
    if len(fields) == 2 and not TS_RE.fullmatch(fields[1]):
        raise Violation("timestamp %r is not an integer" % fields[1])
    return name, labels, fields[0]


def check_help(text):
    i = 0
    while i < len(text):
        if text[i] == "\\":
            if text[i + 1:i + 2] not in ("\\", "n"):
                raise Violation("bad escape in HELP text")
            i += 2
        else:
            i += 1


class Family:
    def __init__(self, name):
        self.name = name
        self.type = None
        self.help = False
        self.samples = []       # (name, labels, value)


def family_of(name, families):
    if name in families:
        f = families[name]
        if f.type is None:
            raise Violation("sample %s has no TYPE line before it" % name)
        if f.type != "histogram":
            return f
        raise Violation("%s sample named like its %s family" %
                        (name, f.type))
    for suffix, types in (("_bucket", ("histogram",)),
                          ("_sum", ("histogram", "summary")),
                          ("_count", ("histogram", "summary"))):
        base = name[:-len(suffix)]
        if name.endswith(suffix) and base in families and \
                families[base].type in types:
            return families[base]
    raise Violation("sample %s has no TYPE line before it" % name)


def check_histogram(f):
    groups = {}
    for name, labels, value in f.samples:
        v = float(value)
        if name == f.name + "_bucket":
            if "le" not in labels:
                raise Violation("%s without le" % name)
            rest = {k: x for k, x in labels.items() if k != "le"}
        else:
            if "le" in labels:
                raise Violation("%s with le" % name)
            rest = labels
        g = groups.setdefault(tuple(sorted(rest.items())),
                              {"buckets": [], "sum": None, "count": None})
        if name == f.name + "_bucket":
            le = parse_float(labels["le"], "le")
            g["buckets"].append((le, v, labels["le"]))
        elif name == f.name + "_sum":
            g["sum"] = v
        else:
            g["count"] = v
    for key, g in groups.items():
        where = "%s%s" % (f.name, dict(key) or "")
        b = g["buckets"]
        if not b:
            raise Violation("%s has no _bucket" % where)
        for (le0, c0, s0), (le1, c1, s1) in zip(b, b[1:]):
            if not le1 > le0:
                raise Violation("%s: le %s then %s is not increasing" %
                                (where, s0, s1))
            if c1 < c0:
                raise Violation("%s: bucket counts go down at le %s" %
                                (where, s1))
        if b[-1][0] != float("inf"):
            raise Violation("%s: last bucket is not le=\"+Inf\"" % where)
        if any(c < 0 or c != c for _, c, _ in b):
            raise Violation("%s: a bucket count is negative or NaN" % where)
        if g["sum"] is None:
            raise Violation("%s has no _sum" % where)
        if g["count"] is None:
            raise Violation("%s has no _count" % where)
        if g["count"] != b[-1][1]:
            raise Violation("%s: _count %g differs from the +Inf bucket %g"
                            % (where, g["count"], b[-1][1]))


def check(text):
    """Validate text; return {(name, labels tuple): raw value}."""
    if text and not text.endswith("\n"):
        raise Violation("no newline at the end", None)
    families = {}
    series = {}
    current = None
    done = set()
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        try:
            if "\r" in line:
                raise Violation("carriage return in line")
            if line.strip() == "":
                continue
            if line.startswith("#"):
                parts = line[1:].lstrip(" \t").split(None, 2)
                if not line[1:2] in (" ", "\t") or not parts or \
                        parts[0] not in ("HELP", "TYPE"):
                    continue        # a comment
                if len(parts) < 2 or not NAME_RE.fullmatch(parts[1]):
                    raise Violation("bad metric name in %s line" % parts[0])
                name = parts[1]
                if name in done:
                    raise Violation("%s line for %s after other families"
                                    % (parts[0], name))
                f = families.setdefault(name, Family(name))
                if current is not None and current is not f:
                    done.add(current.name)
                current = f
                if f.samples:
                    raise Violation("%s line for %s after its samples"
                                    % (parts[0], name))
                if parts[0] == "HELP":
                    if f.help:
                        raise Violation("second HELP line for %s" % name)
                    f.help = True
                    check_help(parts[2] if len(parts) > 2 else "")
                else:
                    if f.type is not None:
                        raise Violation("second TYPE line for %s" % name)
                    if len(parts) != 3 or parts[2].strip() not in TYPES:
                        raise Violation("bad TYPE line for %s" % name)
                    f.type = parts[2].strip()
                continue
            name, labels, raw = parse_sample(line)
            f = family_of(name, families)
            if not f.help:
                raise Violation("sample %s has no HELP line before it" %
                                name)
            if f is not current:
                raise Violation("sample %s is apart from the rest of %s" %
                                (name, f.name))
            key = (name, tuple(sorted(labels.items())))
            if key in series:
                raise Violation("duplicate series %s" % line)
            series[key] = raw
            v = float(raw)
            if f.type == "counter" and not v >= 0:
                raise Violation("counter %s is negative or NaN" % name)
            f.samples.append((name, labels, raw))
        except Violation as e:
            raise Violation(str(e.args[0]), lineno)
    for f in families.values():
        try:
            if f.type is None:
                raise Violation("HELP without TYPE for %s" % f.name)
            if f.type == "histogram":
                check_histogram(f)
        except Violation as e:
            raise Violation(str(e.args[0]), None)
    return series


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: prom-check.py FILE [SAMPLE]", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fp:
                data = fp.read()
    except OSError as e:
        print("prom-check: %s" % e, file=sys.stderr)
        return 2
    try:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Violation("not UTF-8 at byte %d" % e.start, None)
        series = check(text)
    except Violation as e:
        where = path if e.args[1] is None else "%s:%d" % (path, e.args[1])
        print("prom-check: %s: %s" % (where, e.args[0]), file=sys.stderr)
        return 1
    if len(argv) == 3:
        try:
            name, labels, _ = parse_sample(argv[2] + " 0")
        except Violation as e:
            print("prom-check: bad SAMPLE: %s" % e.args[0], file=sys.stderr)
            return 2
        key = (name, tuple(sorted(labels.items())))
        if key not in series:
            print("prom-check: %s: no sample %s" % (path, argv[2]),
                  file=sys.stderr)
            return 1
        print(series[key])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
