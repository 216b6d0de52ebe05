#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every check that raises an exception must name a rule with a sentence.

Scans every .c and .h file under cpu/ and mmu/ for the ways an exception is
raised -- cpu_raise(...), cpu_raise_ud(...), and FaultRecord literals with
`.rule = ...` -- and fails, listing each offender, when a site names no rule,
names FAULT_NONE, names a rule missing from cpu/fault_rules.def or whose
sentence is empty, or passes a literal 0 for a detail its sentence prints
(%1..%3 stand for detail[0..2]).  A rule given as an expression is followed:
the FAULT_ names in a ?: expression, the entries of a `static const
FaultRule table[]`, and a FaultRule parameter of a helper through every call
of that helper.  The page-fault rules must carry the explainer's evidence:
CR2, the level and the entry (detail 0-2).
  check_fault_rules.py SOURCE_DIR
"""
import os
import re
import sys


# A literal 0 that is the evidence itself, not missing evidence: (file, rule, %k).
ZERO_IS_EVIDENCE = {
    ("cpu/ops_system.c", "FAULT_CR_RESERVED_BIT", 1): "%1 is the CR number: 0 is CR0",
    ("cpu/segment.c", "FAULT_SEL_OUTSIDE_TABLE", 3): "%3 is the table: LLDT/LTR read the GDT (0)",
    ("cpu/interrupt.c", "FAULT_INT_TARGET_BAD", 3): "a null target selector has no attributes",
    ("cpu/segment.c", "FAULT_LTR_BAD", 2): "a null selector names no descriptor type",
    ("cpu/transfer.c", "FAULT_GATE_TARGET_BAD", 2): "a null target selector names no descriptor type",
}


def strip_comments_and_strings(text):
    """Blanks comments and string/char literals, keeping offsets and newlines."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(text, open_paren):
    """The top-level comma-separated arguments of the call whose '(' is at open_paren."""
    depth, args, start = 0, [], open_paren + 1
    for i in range(open_paren, len(text)):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return args
        elif c == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
    return None


def load_rules(def_path):
    rules = {}
    with open(def_path) as f:
        for line in f:
            m = re.match(r'\s*X\((\w+),\s*"(.*)"\)\s*$', line)
            if m:
                rules[m.group(1)] = m.group(2)
    return rules


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


FUNC_RE = re.compile(r"^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(([^;{}]*)\)\s*\{", re.M)


def enclosing_function(text, pos):
    """(name, [param names]) of the function definition holding pos."""
    best = None
    for m in FUNC_RE.finditer(text):
        if m.start() > pos:
            break
        best = m
    if not best:
        return None, []
    params = [p.strip() for p in best.group(2).split(",")]
    return best.group(1), [re.findall(r"\w+", p)[-1] if re.findall(r"\w+", p) else "" for p in params]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    rules = load_rules(os.path.join(src, "cpu", "fault_rules.def"))
    files = {}
    for d in ("cpu", "mmu"):
        for name in sorted(os.listdir(os.path.join(src, d))):
            if name.endswith((".c", ".h")):
                path = os.path.join(d, name)
                with open(os.path.join(src, path)) as f:
                    files[path] = strip_comments_and_strings(f.read())
    tables = {}
    for path, text in files.items():
        for m in re.finditer(r"static\s+const\s+FaultRule\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\};", text, re.S):
            entries = re.findall(r"(?:\[\s*(\w+)\s*\]\s*=\s*)?(FAULT_\w+)", m.group(2))
            tables[m.group(1)] = [(idx, rule) for idx, rule in entries]

    problems, sites, used = [], 0, set()

    def check_rule(where, rule, details):
        used.add(rule)
        if rule == "FAULT_NONE":
            problems.append(f"{where}: names FAULT_NONE")
            return
        if rule not in rules:
            problems.append(f"{where}: {rule} is not in cpu/fault_rules.def")
            return
        text = rules[rule]
        if not text.strip():
            problems.append(f"{where}: {rule} has an empty sentence")
        for k in sorted(set(int(x) for x in re.findall(r"%N?([1-3])", text))):
            if details is not None and (len(details) < k or details[k - 1] in ("0", "0u", "0U")):
                if (where.split(":")[0], rule, k) in ZERO_IS_EVIDENCE:
                    continue
                problems.append(f"{where}: {rule} prints %{k} but detail {k - 1} is 0")

    def resolve(where, expr, path, pos, details, depth=0):
        """Checks every rule the expression can name; False when it names none."""
        found = False
        for name in re.findall(r"\bFAULT_\w+", expr):
            check_rule(where, name, details)
            found = True
        for table, _ in re.findall(r"\b(\w+)\s*\[([^\]]*)\]", expr):
            if table in tables:
                for idx, rule in tables[table]:
                    if rule == "FAULT_NONE" and idx.endswith("_NONE"):
                        continue    # the "no fault" slot of the table is never raised
                    check_rule(f"{where} ({table}[{idx or '?'}])", rule, details)
                found = True
        if found or depth > 2:
            return found
        func, params = enclosing_function(files[path], pos)
        for ident in re.findall(r"\b[a-z_]\w*\b", expr):
            if ident in params and func:
                idx = params.index(ident)
                callers = 0
                for cpath, ctext in files.items():
                    for m in re.finditer(r"\b%s\s*\(" % re.escape(func), ctext):
                        args = call_args(ctext, m.end() - 1)
                        if args is None or len(args) <= idx or enclosing_function(ctext, m.start())[0] is None:
                            continue
                        if enclosing_function(ctext, m.start())[0] == func and m.start() < pos + 1 and ctext is files[path]:
                            pass
                        if re.search(r"\b(void|static|noreturn)\b[^;]*$", ctext[max(0, m.start() - 80):m.start()].split("\n")[-1]):
                            continue    # the definition or a prototype
                        callers += 1
                        cwhere = f"{cpath}:{line_of(ctext, m.start())} (via {func})"
                        if not resolve(cwhere, args[idx], cpath, m.start(), details, depth + 1):
                            problems.append(f"{cwhere}: the rule argument '{args[idx]}' names no FAULT_ rule")
                if callers:
                    return True
        return False

    for path, text in files.items():
        for m in re.finditer(r"\bcpu_raise\s*\(", text):
            before = text[max(0, m.start() - 40):m.start()].split("\n")[-1]
            if re.search(r"\bvoid\s*$", before):
                continue    # the definition and the prototype
            args = call_args(text, m.end() - 1)
            where = f"{path}:{line_of(text, m.start())}"
            sites += 1
            if args is None or len(args) != 7:
                problems.append(f"{where}: cannot read the 7 arguments of cpu_raise")
                continue
            if not resolve(where, args[3], path, m.start(), args[4:7]):
                problems.append(f"{where}: the rule argument '{args[3]}' names no FAULT_ rule")
            if args[1] == "EXC_PF" and not all(a not in ("0", "0u") for a in args[4:7]):
                problems.append(f"{where}: #PF must pass CR2, the level and the entry as details")
        for m in re.finditer(r"\bcpu_raise_ud\s*\(", text):
            before = text[max(0, m.start() - 40):m.start()].split("\n")[-1]
            if re.search(r"\bvoid\s*$", before):
                continue
            sites += 1
            check_rule(f"{path}:{line_of(text, m.start())}", "FAULT_UNDEFINED_OPCODE", [])
        for m in re.finditer(r"\.rule\s*=\s*([^,}]+)", text):
            # Only FaultRecord literals: mmu/ fills PageFault.rule with a PageRule.
            head = text[max(0, m.start() - 600):m.start()]
            if head.rfind("FaultRecord") < head.rfind("PageFault"):
                continue
            sites += 1
            where = f"{path}:{line_of(text, m.start())} (.rule =)"
            if not resolve(where, m.group(1), path, m.start(), None):
                problems.append(f"{where}: '{m.group(1).strip()}' names no FAULT_ rule")

    # Every way a walk fails (PageRule in mmu/paging.h) becomes a #PF rule.
    with open(os.path.join(src, "mmu", "paging.h")) as f:
        page_rules = re.findall(r"\b(PAGE_RULE_\w+)\s*[,=]", f.read())
    mapped = {idx for idx, _ in tables.get("page_fault_rules", [])}
    for pr in page_rules:
        if pr != "PAGE_RULE_NONE" and pr not in mapped:
            problems.append(f"cpu/translate.c: page_fault_rules has no FaultRule for {pr}")
    for rule, text in rules.items():
        if not text.strip():
            problems.append(f"cpu/fault_rules.def: {rule} has an empty sentence")
    for p in problems:
        print("FAIL:", p)
    unused = sorted(r for r in rules if r not in used and r != "FAULT_NONE")
    print(f"fault rules: {sites} raising sites checked, {len(problems)} without a proper rule; "
          f"{len(rules)} rules, {len(unused)} not named by any site in cpu/ or mmu/"
          + (f" ({', '.join(unused)})" if unused else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
