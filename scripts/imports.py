#!/usr/bin/env python3
"""Import circles between the Rust files of a crate, and the layer rules of the app.

Reads every `.rs` file under a crate's `src/`, resolves each `use` tree and each inline
`crate::`/`super::`/`self::` path to the file of the longest module it names, and prints
every strongly connected component of more than one file (an import circle). A parent's
`mod child;` is not an import; `pub use child::…` in the parent and `use super::…` in the
child are, so a child that imports its parent while the parent re-exports it is a circle.

With `--layers` it also checks the app's rules: nothing in `backend` imports `api` or `ui`,
nothing in `contract` imports `api`, `backend` or `ui`, nothing in `domain` imports any
other part of the app, nothing in `backend::repo` imports a cache or the session store, nothing in `ui` imports
`backend`, no page imports `ui::markup` (hand-written HTML is fenced behind components), and
only `backend::auth` mints a system scope.

    scripts/imports.py app/src --layers server/src
Exits 1 when it finds a circle or a broken rule.
"""
import os
import re
import sys


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    # String literals can hold `::` (URLs, messages): blank them, keeping their length.
    return re.sub(r'"(?:[^"\\]|\\.)*"', lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)


def flatten_inline_mods(text):
    """The body of an inline `mod name { … }` seen from its file: its `super::` is the file's
    `self::` (one `super::` less). A `#[cfg(test)]` module is left out (tests may import
    whatever they test)."""
    out, i = [], 0
    for m in re.finditer(r"(#\[cfg\(test\)\]\s*)?\bmod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        if m.group(1):
            # Unit tests may import anything they test: not part of the layering.
            out.append(text[i : m.start()])
            i = j
            continue
        body = flatten_inline_mods(text[m.end() : j - 1])
        body = re.sub(
            r"\b((?:super::)+)",
            lambda s: "self::" if s.group(1) == "super::" else s.group(1)[len("super::") :],
            body,
        )
        out.append(text[i : m.end()] + body + "}")
        i = j
    out.append(text[i:])
    return "".join(out)


def expand(tree):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e]."""
    tree = tree.strip()
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix = tree[:start].rstrip(":").strip()
                inner = tree[start + 1 : i]
                parts, d, cur = [], 0, ""
                for c in inner:
                    if c == "," and d == 0:
                        parts.append(cur)
                        cur = ""
                        continue
                    d += c == "{"
                    d -= c == "}"
                    cur += c
                parts.append(cur)
                out = []
                for p in parts:
                    p = p.strip()
                    if not p:
                        continue
                    for sub in expand(p):
                        out.append(f"{prefix}::{sub}" if prefix else sub)
                return out
    return [re.sub(r"\s+as\s+\w+$", "", tree)]


def module_of(root, path):
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel in (["lib"], ["main"]):
        return []
    return rel


def files_of(root):
    mods = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith(".rs"):
                p = os.path.join(d, f)
                mods[tuple(module_of(root, p))] = p
    return mods


def resolve(mods, here, path):
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    if segs[0] == "crate":
        base, rest = [], segs[1:]
    elif segs[0] in ("super", "self"):
        base = list(here)
        rest = segs
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
    elif tuple(here) + (segs[0],) in mods:
        # A child module named without `self::` (`pub use changes::*;`).
        base, rest = list(here), segs
    else:
        return None
    full = base + rest
    for n in range(len(full), -1, -1):
        if tuple(full[:n]) in mods:
            return tuple(full[:n])
    return None


def edges_of(mods):
    edges = {m: set() for m in mods}
    for m, p in mods.items():
        text = flatten_inline_mods(strip_comments(open(p, encoding="utf-8").read()))
        paths = []
        for u in re.finditer(r"\buse\s+([^;]+);", text):
            paths.extend(expand(u.group(1)))
        text_wo_use = re.sub(r"\buse\s+[^;]+;", " ", text)
        paths.extend(re.findall(r"\b(?:crate|super|self)(?:::\w+)+", text_wo_use))
        # A module brought in by name (`use super::repo;`) is then used as `repo::users::…`.
        aliases = {}
        for path in list(paths):
            t = resolve(mods, m, path)
            segs = path.split("::")
            if t is not None and len(t) > 0 and segs[-1] == t[-1]:
                aliases[t[-1]] = list(t)
        for alias, target in aliases.items():
            for rest in re.findall(r"(?<![\w:])" + alias + r"((?:::\w+)+)", text_wo_use):
                paths.append("crate::" + "::".join(target) + rest)
        for path in paths:
            t = resolve(mods, m, path)
            if t is not None and t != m:
                # A child naming its own ancestor only through `super::` with nothing after
                # (`use super::*` reaches the parent file) is an import like any other.
                edges[m].add(t)
    return edges


def sccs(edges):
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    for v in edges:
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


LAYERS = [
    # (importer prefix, forbidden target prefixes)
    (("backend",), [("api",), ("ui",)]),
    (("contract",), [("api",), ("backend",), ("ui",)]),
    (("domain",), [("api",), ("backend",), ("ui",), ("contract",), ("i18n",)]),
    (("backend", "repo"), [("backend", "cache"), ("backend", "session_store")]),
    (("ui",), [("backend",)]),
    (("ui", "pages"), [("ui", "markup")]),
]


# Calls only some files of the app may make: a system scope is minted by `backend::auth` for
# the server's entry points (the server crate), never by a service mid-request.
CALLS = [
    (r"\bSystemScope::new\b", {("backend", "scope"), ("backend", "auth")}),
    (r"\bsystem_scope\(", {("backend", "auth")}),
]


def main(argv):
    layers = "--layers" in argv
    roots = [a for a in argv if not a.startswith("--")]
    bad = 0
    for root in roots:
        mods = files_of(root)
        edges = edges_of(mods)
        name = lambda m: "/".join(m) or "(root)"
        for comp in sccs(edges):
            bad += 1
            print(f"{root}: import circle of {len(comp)} files: " + ", ".join(sorted(map(name, comp))))
        if layers and root.rstrip("/").endswith("app/src"):
            for src, targets in edges.items():
                for pre, forbidden in LAYERS:
                    if src[: len(pre)] != pre:
                        continue
                    for t in targets:
                        for f in forbidden:
                            if t[: len(f)] == f:
                                bad += 1
                                print(f"{root}: {name(src)} imports {name(t)} (layer rule)")
        if layers and root.rstrip("/").endswith("app/src"):
            for m, p in mods.items():
                text = strip_comments(open(p, encoding="utf-8").read())
                for pattern, allowed in CALLS:
                    if m not in allowed and re.search(pattern, text):
                        bad += 1
                        print(f"{root}: {name(m)} calls {pattern} (only {sorted(map(name, allowed))} may)")
    if bad == 0:
        print("imports: no circle" + (", layer rules kept" if layers else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
