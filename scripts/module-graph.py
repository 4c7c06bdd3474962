#!/usr/bin/env python3
"""Module graph (--top: one node per top-level module) of a Rust crate's src/: which module file refers to which (`crate::a::b`
paths and `use crate::{...}` trees, `super::`), the circles (strongly connected components of
more than one file) and the imports from a core module up into `api/`.

Usage: scripts/module-graph.py [SRC_DIR]   (default: src)
Prints the summary; with -v every edge and every circle's files. With --check (CI), exits 1
when a circle holds a core module or a core module other than `webhook` (whose events are the
webhooks domain's records) imports from `api/`."""
import os, re, sys

verbose = "-v" in sys.argv
top = "--top" in sys.argv
check = "--check" in sys.argv
args = [a for a in sys.argv[1:] if a not in ("-v", "--top", "--check")]
src = args[0] if args else "src"

def module_of(path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)

files = {}
for root, _, names in os.walk(src):
    for name in names:
        if name.endswith(".rs"):
            p = os.path.join(root, name)
            files[module_of(p)] = p

def resolve(parts):
    """The longest module prefix of `parts` that is a file of the crate."""
    for n in range(len(parts), 0, -1):
        if tuple(parts[:n]) in files:
            return tuple(parts[:n])
    return None

def strip_tests(text):
    """Drops `#[cfg(test)] mod NAME { ... }` blocks: unit tests are not the structure."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
        if not m:
            return text
        j, depth = m.end(), 1
        while depth and j < len(text):
            depth += text[j] == "{"; depth -= text[j] == "}"; j += 1
        text = text[:m.start()] + text[j:]

def strip_comments(text):
    text = strip_tests(text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(l.split("//")[0] if not l.lstrip().startswith("//") else "" for l in text.splitlines())

def expand(tree):
    """`a::{b, c::{d}}` -> ['a::b', 'a::c::d'] (roughly: enough for module resolution)."""
    tree = tree.replace(" ", "").replace("\n", "")
    m = re.match(r"^([\w:]*?)\{(.*)\}$", tree)
    if not m:
        return [tree]
    prefix, inner = m.group(1), m.group(2)
    out, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            out.append(cur); cur = ""; continue
        depth += ch == "{"; depth -= ch == "}"
        cur += ch
    out.append(cur)
    return [p for part in out if part for p in expand(prefix + part)]

# What each crate macro's expansion refers to (`$crate::a::b`): a file that invokes the macro
# refers to those modules too.
macro_refs = {}
for mod, path in files.items():
    text = strip_comments(open(path, encoding="utf-8").read())
    for m in re.finditer(r"macro_rules!\s*(\w+)\s*\{", text):
        start, depth, j = m.end(), 1, m.end()
        while depth and j < len(text):
            depth += text[j] == "{"; depth -= text[j] == "}"; j += 1
        body = text[start:j]
        macro_refs[m.group(1)] = ["crate" + r for r in re.findall(r"\$crate((?:::\w+)+)", body)]

edges = set()
for mod, path in files.items():
    text = strip_comments(open(path, encoding="utf-8").read())
    refs = []
    for m in re.finditer(r"\b(\w+)!\s*[\{\(\[]", text):
        refs.extend(macro_refs.get(m.group(1), []))
    # Paths through a child module declared here (`pats::Pats::ENDPOINTS` in api/mod.rs).
    children = re.findall(r"^\s*(?:pub(?:\([\w:]+\))?\s+)?mod\s+(\w+)\s*;", text, flags=re.M)
    own = list(mod) if path.endswith(("mod.rs", "lib.rs")) else list(mod)
    for child in children:
        for m in re.finditer(r"(?<![\w:])" + child + r"((?:::\w+)+)", text):
            refs.append("crate::" + "::".join(own + [child]) + m.group(1))
    for m in re.finditer(r"\buse\s+(crate|super|self)((?:::[\w{},\s:*]+?)?);", text, flags=re.S):
        for p in expand(m.group(1) + m.group(2)):
            refs.append(p)
    for m in re.finditer(r"\b(crate|super)((?:::\w+)+)", text):
        refs.append(m.group(1) + m.group(2))
    for ref in refs:
        parts = ref.split("::")
        base = list(mod) if path.endswith(("mod.rs", "lib.rs")) else list(mod[:-1])
        if parts[0] == "crate":
            target = parts[1:]
        elif parts[0] == "self":
            target = list(mod) + parts[1:]
        else:
            up = list(mod)
            while parts and parts[0] == "super":
                up = up[:-1] if not path.endswith("mod.rs") or up != list(mod) else up[:-1]
                parts = parts[1:]
            target = up + parts
        t = resolve(target)
        if t is not None and t != mod and t != ():
            edges.add((mod, t))

if top:
    # One node per top-level module (a folder is one module): api/* -> api, signing/* -> signing.
    edges = {(s[:1], t[:1]) for s, t in edges if s[:1] != t[:1]}
    files = {m[:1]: p for m, p in files.items()}
name = lambda m: "/".join(m) or "lib"
is_api = lambda m: len(m) > 0 and m[0] == "api"
# Tarjan's strongly connected components.
index, low, stack, on, sccs, i = {}, {}, [], set(), [], [0]
graph = {m: sorted(t for s, t in edges if s == m) for m in files}
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in graph[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
for v in files:
    if v not in index:
        visit(v)
circles = [c for c in sccs if len(c) > 1]
core_circles = [c for c in circles if any(not is_api(m) for m in c)]
upward = sorted((s, t) for s, t in edges if not is_api(s) and is_api(t) and s != ())
print(f"files {len(files)}, imports {len(edges)}")
print(f"circles {len(circles)} (holding a core module: {len(core_circles)}); largest {max((len(c) for c in circles), default=0)} files")
print(f"imports from a core module up into api/: {len(upward)}")
for s, t in upward:
    print(f"  {name(s)} -> {name(t)}")
if verbose:
    for c in circles:
        print("circle:", ", ".join(sorted(name(m) for m in c)))
if check:
    allowed = [(s, t) for s, t in upward if name(s) == "webhook"]
    if core_circles or len(upward) > len(allowed):
        print("the core must stand below the domains: see the circles and imports above")
        sys.exit(1)
