#!/usr/bin/env python3
"""Files over 500 lines and functions over 80 lines in the Rust sources, tests left out.

A function's length leaves out the lines of its `view! { … }` markup (a page's markup is
data, not logic); the hand-written HTML of `ui/markup/` counts as markup too, and EXEMPT_FN
lists the few functions that are tables (routes, commands, variables, emails). Unit tests (`#[cfg(test)]` modules, `tests.rs` and `tests/` files) are
not counted, nor are migration steps (history, never edited). Files listed in EXEMPT are
data tables (entities, the i18n catalogue, the migrations' list).

    scripts/sizes.py app/src server/src bench/src migrations/src
Prints what is over and exits 1 if anything is.
"""
import os
import re
import sys

FILE_MAX = 500
FN_MAX = 80
# Data tables: one row per table, per text or per migration step, not logic.
EXEMPT = {
    "app/src/backend/repo/entities.rs",
    "app/src/i18n/catalogue.rs",
    "migrations/src/lib.rs",
}
# Functions that are tables, one short entry each, and read best whole.
EXEMPT_FN = {
    # One arm per subcommand, each calling one service.
    ("server/src/cli.rs", "run"),
    # One entry per documented environment variable.
    ("server/src/config.rs", "from_env"),
    # One arm per kind of email, its texts.
    ("server/src/email.rs", "render"),
    # The route table.
    ("server/src/startup.rs", "router"),
    # Benchmark drivers: a script each (seed, load, measure, print), not the product.
    ("bench/src/bin/billing.rs", "main"),
    ("bench/src/bin/webhooks.rs", "main"),
}
# Hand-written HTML (`ui::markup`) is markup, like a `view!`.
MARKUP = "app/src/ui/markup/"


def strip_tests(text):
    """The text without `#[cfg(test)] mod … { … }` blocks."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        out.append(text[i : m.start()])
        i = j
    out.append(text[i:])
    return "".join(out)


def blank_strings(text):
    # Braces inside string and char literals are not code (char literals first: `'"'`).
    text = re.sub(r"'(?:[^'\\\n]|\\.)'", "' '", text)
    text = re.sub(r'\br#*"(?:.|\n)*?"#*', lambda m: re.sub(r"[{}]", " ", m.group(0)), text)
    text = re.sub(
        r'"(?:[^"\\]|\\.)*"', lambda m: re.sub(r"[{}]", " ", m.group(0)), text, flags=re.S
    )
    return re.sub(r"//[^\n]*", "", text)


def block_end(text, open_at):
    depth, j = 1, open_at + 1
    while j < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        j += 1
    return j


def functions(text):
    for m in re.finditer(r"\bfn\s+(\w+)[^;{]*?\{", text):
        start = m.end() - 1
        end = block_end(text, start)
        body = text[start:end]
        lines = body.count("\n") + 1
        for v in re.finditer(r"\bview!\s*\{", body):
            vend = block_end(body, v.end() - 1)
            lines -= body[v.start() : vend].count("\n")
        yield m.group(1), text[: m.start()].count("\n") + 1, lines


def main(roots):
    over = 0
    for root in roots:
        for d, _, fs in os.walk(root):
            for f in sorted(fs):
                if not f.endswith(".rs"):
                    continue
                p = os.path.join(d, f)
                # Migrations are history: a step is never edited once it has run.
                history = p.startswith("migrations/src/m")
                if f == "tests.rs" or "/tests/" in p or p in EXEMPT or history:
                    continue
                raw = open(p, encoding="utf-8").read()
                text = blank_strings(strip_tests(raw))
                n = text.count("\n")
                if n > FILE_MAX:
                    over += 1
                    print(f"{p}: {n} lines")
                for name, line, length in functions(text):
                    if (p, name) in EXEMPT_FN or p.startswith(MARKUP):
                        continue
                    if length > FN_MAX:
                        over += 1
                        print(f"{p}:{line}: fn {name}: {length} lines")
    if not over:
        print(f"sizes: no file over {FILE_MAX} lines, no function over {FN_MAX}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
