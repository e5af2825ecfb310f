#!/usr/bin/env python3
"""Which file of the library calls which: the call graph between source files,
read from the symbols of the built objects (nm), checked for circles and for
calls that go up the layers.

The library is built in layers (docs/architecture.md), each calling only
itself and those below it:

    cli -> batch -> output -> model -> scenario -> util

Usage: deps.py [--source DIR] OBJECT_DIR...   (directories searched for *.o files)
       deps.py --graph ...   (also print every file's callees)
With --source, objects whose source file no longer exists there (left over
in a build directory after a file was removed or renamed) are ignored.
Exits 1 naming every circle and every upward call, else 0."""
import os
import subprocess
import sys

LAYERS = ["util", "scenario", "model", "output", "batch", "cli"]


def source_of(obj):
    """sim/model/world.c from .../sim/model/world.c.o"""
    path = obj[:-2] if obj.endswith(".o") else obj
    i = path.rfind("/sim/")
    return path[i + 1:] if i >= 0 else os.path.basename(path)


def layer_of(src):
    parts = src.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "sim" else None


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", obj], capture_output=True, text=True, check=True).stdout
    defined = {line.split()[-1] for line in out.splitlines() if len(line.split()) == 3}
    out = subprocess.run(["nm", "-u", obj], capture_output=True, text=True, check=True).stdout
    used = {line.split()[-1] for line in out.splitlines() if line.split()}
    return defined, used


def main(argv):
    show = "--graph" in argv
    argv = [a for a in argv if a != "--graph"]
    source = None
    if len(argv) >= 2 and argv[0] == "--source":
        source, argv = argv[1], argv[2:]
    objs = []
    for d in argv:
        for root, _, files in os.walk(d):
            objs += [os.path.join(root, f) for f in files if f.endswith(".c.o") and "/sim/" in os.path.join(root, f)]
    if source:
        objs = [o for o in objs if os.path.exists(os.path.join(source, source_of(o)))]
    dirs = argv
    if not objs:
        print("deps.py: no objects of sim/ under " + " ".join(dirs), file=sys.stderr)
        return 2
    owner, uses = {}, {}
    for o in sorted(objs):
        src = source_of(o)
        defined, used = symbols(o)
        for sym in defined:
            owner[sym] = src
        uses[src] = used
    graph = {src: sorted({owner[u] for u in used if u in owner and owner[u] != src}) for src, used in uses.items()}
    problems = []
    for src, callees in sorted(graph.items()):
        if show:
            print(src + ": " + " ".join(callees))
        for dst in callees:
            a, b = layer_of(src), layer_of(dst)
            if a in LAYERS and b in LAYERS and LAYERS.index(b) > LAYERS.index(a):
                problems.append("upward call: %s (%s) calls %s (%s)" % (src, a, dst, b))
    # circles: strongly connected components of more than one file (Tarjan)
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, []):
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
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    for comp in comps:
        edges = ["%s -> %s" % (a, b) for a in comp for b in graph[a] if b in comp]
        problems.append("circle: " + ", ".join(edges))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
