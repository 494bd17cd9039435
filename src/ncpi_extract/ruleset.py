"""Which of many rule patterns match a text, in one pass over it.

Python's ``re`` answers "does this pattern match?" one pattern at a time, each a
fresh scan of the text: the 15 theme rules took 32 µs a finding, 7 % of a batch
run, where one RE2 scan takes about 1 µs. RE2's ``Set`` (google-re2) compiles all the
patterns into one automaton and scans the text once. Python's ``re`` stays the
reference: RE2 only says *which* patterns match, and it is asked only where the
two engines agree:

- the pattern compiles in RE2 with the same flags (no lookaround, no backreference,
  no ``\\Z``) and holds none of the constructs RE2 compiles but reads otherwise (what
  RE2 may take for a POSIX class such as ``[:alpha:]``, ``{,n}``, a backslash before a
  digit, ``\\B``); one with ``$`` outside multi-line mode only for a text that does not end
  with a newline (Python's ``$`` also matches before a final newline, RE2's does not);
- the text has none of the five control characters Python counts as white space and
  RE2 does not (``\\v`` and ``\\x1c``-``\\x1f``), and any character outside ASCII in it
  is one that no rule can read differently: not a letter or digit, not white space,
  without case (a bullet, a pound sign). Python's ``\\w``, ``\\d``, ``\\s`` and
  case-insensitive matching take in Unicode letters, digits and spaces, RE2's only
  ASCII ones; on such text ``\\b``, ``\\w``, ``\\s``, ``\\d`` and ``(?i)`` mean the same in both.

Anything else is matched by ``re`` exactly as before, so the answer never depends
on whether google-re2 is installed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

try:
    import re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; without it every rule uses re
    re2 = None

_FLAG_PREFIX = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))
_SUPPORTED_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MAX_MEM = 64 << 20  # RE2's automaton budget; the default (8 MB) is tight for the theme rules
# Constructs RE2 compiles but reads otherwise than Python: '[[:alpha:]]' (a POSIX class to RE2), 'x{,2}'
# (literal text to RE2), '\10' (octal to RE2, a backreference to Python), '\B' (which RE2 finds in an empty text).
_READ_OTHERWISE = re.compile(r"\[:\^?[A-Za-z]+:\]|\{,|\\[0-9]|\\B")
_INLINE_NOT_MULTILINE = re.compile(r"\(\?[aiLmsux]*-[aiLmsux]*m")


def re2_syntax(rx: re.Pattern[str]) -> str | None:
    """``rx`` written for RE2 with the same meaning on ASCII text (see ``ends_open``), or None where there is none."""
    if re2 is None or not isinstance(rx.pattern, str) or rx.flags & ~_SUPPORTED_FLAGS:
        return None
    if _READ_OTHERWISE.search(rx.pattern):  # textual, so it also refuses some harmless patterns: they go to re
        return None
    flags = "".join(letter for flag, letter in _FLAG_PREFIX if rx.flags & flag)
    pattern = f"(?{flags}){rx.pattern}" if flags else rx.pattern
    try:
        re2.compile(pattern, _options(log_errors=False))
    except re2.error:
        return None
    return pattern


def ends_open(rx: re.Pattern[str]) -> bool:
    """True when ``rx``'s RE2 form means the same only on text without a final newline: it may
    hold a ``$`` outside multi-line mode (a ``$`` that is escaped or in a class counts too, and
    so does one under ``(?-m:...)`` in a multi-line pattern)."""
    if "$" not in rx.pattern:
        return False
    return not rx.flags & re.MULTILINE or bool(_INLINE_NOT_MULTILINE.search(rx.pattern))


def _options(*, log_errors: bool) -> re2.Options:
    options = re2.Options()
    options.max_mem = _MAX_MEM
    options.log_errors = log_errors
    return options


def same_in_both(text: str) -> bool:
    """True when ``re`` and RE2 read ``text`` alike (see the module's docstring)."""
    if "\x0b" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text:
        return False
    return text.isascii() or all(map(_read_alike, set(_NON_ASCII.findall(text))))


@functools.lru_cache(maxsize=4096)
def _read_alike(char: str) -> bool:
    """A character outside ASCII that both engines treat as plain punctuation."""
    return not (char.isalnum() or char.isspace() or char.lower() != char or char.upper() != char
                or unicodedata.category(char) == "Cs")  # a lone surrogate cannot be sent to RE2 as UTF-8


def _without_lookarounds(pattern: str) -> str:
    """``pattern`` with each lookaround group ('(?<!children )', '(?! to\\b)') dropped, read character by character
    (escapes and classes skipped, brackets counted)."""
    out: list[str] = []
    i, n, in_class, skip_to_depth, depth = 0, len(pattern), False, None, 0
    while i < n:
        c = pattern[i]
        step = 2 if c == "\\" else 1
        if not in_class and c == "(" and pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i) and skip_to_depth is None:
            skip_to_depth = depth
        if c == "\\":
            pass
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if skip_to_depth is not None and depth == skip_to_depth:
                skip_to_depth = None
                i += 1
                continue
        if skip_to_depth is None:
            out.append(pattern[i : i + step])
        i += step
    return "".join(out)


def prefilter(rx: re.Pattern[str]):
    """A pattern that finds ``rx``'s matches and perhaps more, quickly: ``rx`` without its lookarounds, for RE2 (whose
    ``\\b`` sees a boundary wherever Python's does, and more), or ``rx`` itself when RE2 cannot take it. Ask ``rx``
    about what it finds: a line that it does not find needs no asking."""
    loose = re.compile(_without_lookarounds(rx.pattern), rx.flags)
    pattern = re2_syntax(loose) if not ends_open(loose) else None
    return rx if pattern is None else re2.compile(pattern, _options(log_errors=False))


class RuleSet:
    """A fixed list of compiled patterns, asked together which of them match a text."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self._match = None  # the Set's matcher, None without one: UTF-8 bytes -> indices of the Set entries that match
        self._in_set: list[int] = []  # pattern index of each Set entry
        self._outside: list[int] = []  # patterns RE2 cannot stand in for
        self._ends_open: list[int] = []  # Set entries (pattern indices) RE2 cannot stand in for on text ending in a newline
        syntaxes = [re2_syntax(rx) for rx in self.patterns]  # all None without google-re2
        rules = re2.Set.SearchSet(_options(log_errors=True)) if re2 is not None else None
        for k, (rx, syntax) in enumerate(zip(self.patterns, syntaxes, strict=True)):
            if syntax is None:
                self._outside.append(k)
            else:
                rules.Add(syntax)
                self._in_set.append(k)
                if ends_open(rx):
                    self._ends_open.append(k)
        self._identity = self._in_set == list(range(len(self.patterns)))
        if self._in_set:
            rules.Compile()
            # google-re2's C++ Set under its Python wrapper: a third of the cost of a call here. RE2 could
            # only fail to answer if its automaton ran out of memory (logged, and then it reports no match);
            # a set never gives up for being slow, and _MAX_MEM leaves the shipped rules far from that.
            native = getattr(rules, "_set", None)
            self._match = native.Match if callable(getattr(native, "Match", None)) else (lambda data: rules.Match(data) or [])

    def matching(self, text: str) -> list[int]:
        """Indices (ascending) of the patterns that match somewhere in ``text``, as ``re.search`` would say."""
        if self._match is None or not same_in_both(text):
            return [k for k, rx in enumerate(self.patterns) if rx.search(text)]
        hits = list(self._match(text.encode()))
        if not self._identity:
            hits = [self._in_set[j] for j in hits]
            hits.extend(k for k in self._outside if self.patterns[k].search(text))
        if self._ends_open and text.endswith("\n"):
            hits = [k for k in hits if k not in self._ends_open]
            hits.extend(k for k in self._ends_open if self.patterns[k].search(text))
        hits.sort()
        return hits

    def first(self, text: str) -> int | None:
        """Index of the first pattern (in list order) that matches ``text``."""
        hits = self.matching(text)
        return hits[0] if hits else None
