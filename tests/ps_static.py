"""A static check of PowerShell scripts, for machines without PowerShell (CI runs on Linux).

It is not PowerShell's parser, but it catches what breaks a script before it runs or at the
first line that uses it:
- unbalanced (), {}, [] and unterminated strings, here-strings and block comments (a parse error
  on Windows), with `$( … )` sub-expressions inside double-quoted strings read as code;
- `"$name:` in a double-quoted string (PowerShell reads a scope-qualified variable and refuses
  the whole script);
- variables read but never assigned, declared or automatic (a typo reads as $null);
- commands of the Verb-Noun form that are neither defined in the script nor known cmdlets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

AUTOMATIC = {
    "_", "true", "false", "null", "psscriptroot", "pscmdlet", "lastexitcode", "erroractionpreference",
    "whatifpreference", "args", "matches", "input", "psboundparameters", "host", "pshome", "error",
    "psitem", "this", "myinvocation", "pwd", "home", "confirmpreference", "verbosepreference",
    "pscommandpath",
}
SCOPES = {"env", "script", "global", "local", "using", "private", "variable"}

# Cmdlets and functions of Windows PowerShell 5.1 and its ScheduledTasks module that scripts may call.
KNOWN_COMMANDS = {
    "Add-Member", "ConvertFrom-Json", "ConvertTo-Json", "Copy-Item", "ForEach-Object", "Get-ChildItem",
    "Get-CimInstance", "Get-Command", "Get-Content", "Get-Help", "Get-Item", "Get-ItemProperty",
    "Get-ScheduledTask", "Get-ScheduledTaskInfo", "Join-Path", "Move-Item", "New-Item", "New-ItemProperty",
    "New-Object", "New-ScheduledTaskAction", "New-ScheduledTaskTrigger", "Out-Null", "Register-ScheduledTask",
    "Remove-Item", "Remove-ItemProperty", "Resolve-Path", "Select-Object", "Set-Content", "Set-ItemProperty",
    "Sort-Object", "Split-Path", "Start-Process", "Start-ScheduledTask", "Stop-Process", "Stop-ScheduledTask",
    "Test-Path", "Unregister-ScheduledTask", "Where-Object", "Write-Error", "Write-Host", "Write-Output",
    "Write-Warning", "Get-FileHash", "Unblock-File", "Get-ExecutionPolicy",
}


class PSSyntaxError(ValueError):
    pass


@dataclass
class Scan:
    code: list[str] = field(default_factory=list)        # code text, strings and comments blanked
    dq_strings: list[str] = field(default_factory=list)  # bodies of double-quoted strings (expandable)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class _Scanner:
    PAIRS = {"(": ")", "{": "}", "[": "]"}

    def __init__(self, text: str):
        self.t = text
        self.out = Scan()

    def fail(self, pos: int, msg: str):
        raise PSSyntaxError(f"line {_line(self.t, pos)}: {msg}")

    def code(self, i: int, closer: str | None, opened_at: int = 0) -> int:
        """Scan code from i until `closer` (returns the index after it) or the end (closer None)."""
        t, n = self.t, len(self.t)
        buf = []
        while i < n:
            c = t[i]
            if c == "`":                       # escape / line continuation
                buf.append("  ")
                i += 2
                continue
            if t.startswith("${", i):           # ${name}, ${env:ProgramFiles(x86)}: one token
                end = t.find("}", i)
                if end < 0:
                    self.fail(i, "${ not closed")
                buf.append(t[i:end + 1])
                i = end + 1
                continue
            if t.startswith("<#", i):
                end = t.find("#>", i + 2)
                if end < 0:
                    self.fail(i, "block comment <# not closed")
                buf.append(" ")
                i = end + 2
                continue
            if c == "#" and (i == 0 or t[i - 1] in " \t\n\r;({}|"):
                end = t.find("\n", i)
                i = n if end < 0 else end
                continue
            if t.startswith('@"', i) or t.startswith("@'", i):
                q = t[i + 1]
                if t[i + 2:i + 4].lstrip(" \t")[:1] in ("\n", "\r"):
                    m = re.compile(r"^[ \t]*" + re.escape(q) + "@", re.M).search(t, i + 3)
                    if not m:
                        self.fail(i, f"here-string @{q} not closed by a line starting with {q}@")
                    if q == '"':
                        self.out.dq_strings.append(t[i + 3:m.start()])
                    buf.append(' "" ')
                    i = m.end()
                    continue
            if c == "'":
                j = i + 1
                while True:
                    k = t.find("'", j)
                    if k < 0:
                        self.fail(i, "string ' not closed")
                    if t.startswith("''", k):
                        j = k + 2
                        continue
                    break
                buf.append(" '' ")
                i = k + 1
                continue
            if c == '"':
                i = self.dq(i)
                buf.append(' "" ')
                continue
            if c in self.PAIRS:
                buf.append(c)
                self.out.code.append("".join(buf))
                buf = []
                i = self.code(i + 1, self.PAIRS[c], i)
                buf.append(self.PAIRS[c])
                continue
            if c in ")}]":
                if c != closer:
                    self.fail(i, f"unexpected '{c}'" + (f" (expected '{closer}' for line {_line(t, opened_at)})" if closer else ""))
                self.out.code.append("".join(buf))
                return i + 1
            buf.append(c)
            i += 1
        if closer:
            self.fail(opened_at, f"'{ {')': '(', '}': '{', ']': '['}[closer] }' not closed")
        self.out.code.append("".join(buf))
        return i

    def dq(self, i: int) -> int:
        """A double-quoted string starting at i; returns the index after its closing quote."""
        t, n = self.t, len(self.t)
        j = i + 1
        body = []
        while j < n:
            c = t[j]
            if c == "`":
                body.append("  ")
                j += 2
                continue
            if c == '"':
                if t.startswith('""', j):
                    j += 2
                    continue
                self.out.dq_strings.append("".join(body))
                return j + 1
            if t.startswith("$(", j):
                j = self.code(j + 2, ")", j)
                body.append("$( )")
                continue
            body.append(c)
            j += 1
        self.fail(i, 'string " not closed')
        return n


def scan(text: str) -> Scan:
    s = _Scanner(text)
    s.code(0, None)
    return s.out


VAR = re.compile(r"\$(?:\{([^}]+)\}|((?:[A-Za-z_][\w]*:)?[A-Za-z_?][\w]*))")


def _var_name(m: re.Match) -> str | None:
    name = m.group(1) or m.group(2)
    if ":" in name:
        scope, rest = name.split(":", 1)
        if scope.lower() in SCOPES:
            return None if scope.lower() in ("env", "using") else rest.lower()
        return name.lower()
    return name.lower()


def problems(text: str) -> list[str]:
    """Everything the checks above find in one script (empty: no problem found)."""
    try:
        sc = scan(text)
    except PSSyntaxError as e:
        return [f"syntax: {e}"]
    found = []
    code = "\n".join(sc.code)
    for body in sc.dq_strings:
        for m in re.finditer(r"\$([A-Za-z_]\w*):(?![\\/])", body):
            if m.group(1).lower() not in SCOPES:
                found.append(f'"${m.group(1)}:" in a double-quoted string is read as a scope-qualified variable; '
                             f"write ${{{m.group(1)}}}: or escape the colon")
    # every variable read must be assigned or declared somewhere
    assigned = set()
    for m in re.finditer(r"\$(?:\{([^}]+)\}|([A-Za-z_]\w*))\s*(?:\+|-)?=(?!=)", code):
        assigned.add((m.group(1) or m.group(2)).lower())
    for m in re.finditer(r"\]\s*\$([A-Za-z_]\w*)", code):             # [type]$name (param, casts)
        assigned.add(m.group(1).lower())
    for m in re.finditer(r"(?:foreach|for)\s*\(\s*\$([A-Za-z_]\w*)\s+in\b", code, re.I):
        assigned.add(m.group(1).lower())
    for m in re.finditer(r"function\s+[\w-]+\s*\(([^)]*)\)", text):      # function F([t]$a, $b)
        assigned.update(v.lower() for v in re.findall(r"\$([A-Za-z_]\w*)", m.group(1)))
    assigned.update(p.lower() for p in parameters(text))                # the script's param( … )
    used = set()
    for source in [code, *sc.dq_strings]:
        for m in VAR.finditer(source):
            name = _var_name(m)
            if name:
                used.add(name)
    for name in sorted(used - assigned - AUTOMATIC):
        found.append(f"${name} is read but never assigned")
    # commands
    defined = {m.group(1).lower() for m in re.finditer(r"^\s*function\s+([\w-]+)", text, re.M | re.I)}
    known = {c.lower() for c in KNOWN_COMMANDS}
    for m in re.finditer(r"(?<![\w$.-])([A-Z][a-z]+-[A-Z][A-Za-z]+)\b", code):
        name = m.group(1)
        if name.lower() not in defined and name.lower() not in known:
            found.append(f"unknown command {name}")
    return sorted(set(found))


def parameters(text: str) -> set[str]:
    """Names declared in the script's param( … ) block."""
    start = re.search(r"^\s*param\s*\(", text, re.M | re.I)
    if not start:
        return set()
    depth, i = 0, start.end() - 1
    while True:
        c = text[i]
        depth += c == "("
        depth -= c == ")"
        i += 1
        if depth == 0:
            break
    return {m.group(1) for m in re.finditer(r"\$([A-Za-z_]\w*)(?![\w:])", text[start.end():i])}
