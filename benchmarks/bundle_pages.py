"""How well the bundle splitter cuts labelled pages: each page's releases against its answer key.

    python benchmarks/bundle_pages.py [DIR ...]    (default: fixtures/bundles)

DIR holds pages (``.txt``, ``.md``, ``.html``, ``.htm``) and ``key.json``, which maps each page's
file name to the headlines of the releases it holds, in order (one for a page that is a single
release): the headline's text as it reads, its first line if it is wrapped. A page is split right
when ``split_releases`` gives as many ranges as there are headlines and the i-th headline lies in
the i-th range; the report also says how far into its range each headline starts (what of the page
above it the splitter gave to that release: a kicker, a date line, a page's header).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from ncpi_extract.api import page_text as parsed_text
from ncpi_extract.bundle import split_releases
from ncpi_extract.decode import decode_bytes

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundles"


def page_text(path: Path) -> str:
    """The text the batch splits: decoded, and reduced to its main content if it is HTML."""
    return parsed_text(decode_bytes(path.read_bytes(), suffix=path.suffix))[0]


def headline_starts(text: str, headlines: list[str]) -> list[int]:
    """Where each headline starts in ``text``, searched in order at the start of a line (white space
    and Markdown marks before it and between its words allowed: not in a numbered list of contents),
    or after a Markdown file's 'title:' or a table row's cells ('10482 | Published | ... | Headline');
    -1 for one not found."""
    starts, pos = [], 0
    for headline in headlines:
        words = re.sub(r"[*#_]+", " ", headline).split()
        found = re.compile(r"(?m)^(?:[ \t*#_>]*|title:[ \t]*[\"']?|(?:[^|\n]*\|[ \t]*)+)("
                           + r"[\s*#_]+".join(map(re.escape, words)) + ")").search(text, pos)
        starts.append(found.start(1) if found else -1)
        pos = found.end() if found else pos
    return starts


def score_page(text: str, headlines: list[str]) -> tuple[bool, list[tuple[int, int]], list[int]]:
    """(split right, the ranges, each headline's distance from the start of its range or -1)."""
    ranges = split_releases(text)
    into = []
    right = len(ranges) == len(headlines)
    for i, start in enumerate(headline_starts(text, headlines)):
        holders = [j for j, (a, b) in enumerate(ranges) if a <= start < b]
        into.append(start - ranges[holders[0]][0] if holders and start >= 0 else -1)
        right = right and holders == [i]
    return right, ranges, into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[BUNDLES])
    args = parser.parse_args()
    for folder in args.folders:
        key = json.loads((folder / "key.json").read_text(encoding="utf-8"))
        right = {"bundle": [0, 0], "single": [0, 0]}
        for name, headlines in sorted(key.items()):
            ok, ranges, into = score_page(page_text(folder / name), headlines)
            kind = "bundle" if len(headlines) > 1 else "single"
            right[kind][0] += ok
            right[kind][1] += 1
            print(f"{'right' if ok else 'WRONG'}  {name}: {len(headlines)} releases, {len(ranges)} found; "
                  f"headlines start {into} characters into their ranges")
        print(f"{folder}: pages of several releases split right {right['bundle'][0]} of {right['bundle'][1]}; "
              f"single releases kept whole {right['single'][0]} of {right['single'][1]}")


if __name__ == "__main__":
    main()
