#!/usr/bin/python3
"""The screen as text for the goldens (tests/e2e/lib.sh, e2e_normalise):
trailing blanks stripped; wall-clock times, data ages, countdowns and token
lifetimes replaced by fixed placeholders, the only things on a tqtop screen
that depend on when the test ran.  An age on a pane's title rule keeps the
line's width: the rule before it grows by what the digits lose ("age 3s"
and "age 12s" give the same line, and a title of another width does not).
Reads stdin, writes stdout; works on captures with escapes (-e) too."""
import re
import sys

ESC = r"(?:\x1b\[[0-9;]*m)*"
RULES = [
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z"),
     "YYYY-MM-DDTHH:MM:SSZ"),
    (re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}"), "HH:MM:SS"),
    (re.compile(r"127\.0\.0\.1:[0-9]+"), "127.0.0.1:PORT"),
]
# "──── age 12s ─" on a title rule (or "---- age 12s -" in ASCII)
TITLE_AGE = re.compile(r"(─+|-+)(" + ESC + r") ((?:STALE )?age )([0-9][0-9smhd]*) (" + ESC + r")(─|-)")
# anywhere else (the status bar): the value only
OTHER = re.compile(r"(^|[^A-Za-z])(age|token|retry in|expires in|wait) [0-9][0-9smhd.]*")


def title_age(m):
    rule, esc1, word, value, esc2, last = m.groups()
    return rule[0] * (len(rule) + len(value) - 1) + esc1 + " " + word + "#" + " " + esc2 + last


for line in sys.stdin:
    line = line.rstrip("\n")
    for rx, rep in RULES:
        line = rx.sub(rep, line)
    line = TITLE_AGE.sub(title_age, line)
    line = OTHER.sub(lambda m: m.group(1) + m.group(2) + " #", line)
    print(line.rstrip())
