"""How often the bundle splitter finds both releases of a page made of two fixture releases.

Every ordered pair of fixtures (a release, a blank line, another release) is split with
``split_releases``; a pair counts as found when the two ranges are exactly the two releases. The
misses are counted by kind: the split found near the seam but with lines between the two releases
(a separator, a page's header or footer) given to the other release or to neither; the second
release not found; anything else.
Fixtures the splitter does not read by design (a release without blank lines between its
paragraphs, one inside an e-mail) are left out, as in ``tests/test_batch.py``.

    python benchmarks/bundle_pairs.py [--show N]
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

from ncpi_extract.api import page_text
from ncpi_extract.bundle import split_releases
from ncpi_extract.decode import decode_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_EMAIL_START = re.compile(r"(?:from|sent|to|subject)\s*:|(?:hi|hello|dear)\b|[=*_-]{5,}\s*$", re.I)


def release_text(path: Path) -> str:
    return page_text(decode_bytes(path.read_bytes(), suffix=path.suffix))[0].strip()


def in_an_email(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return sum(line.startswith(">") for line in lines) > 0.8 * len(lines) or bool(_EMAIL_START.match(lines[0]))


_OUTCOMES = {
    "exact": "both releases, exactly",
    "moved": "two releases, split within 1,000 characters of the seam (lines between them given to the other release or to neither)",
    "whole": "one range: the second release not found",
    "other": "any other split (a release cut in two, or the seam far off)",
}


def _outcome(ranges: list[tuple[int, int]], first: int, second: int) -> str:
    """Which of ``_OUTCOMES`` splitting a release of ``first`` characters, a blank line and one of ``second`` gave."""
    seam = first + 2
    if ranges == [(0, first), (seam, seam + second)]:
        return "exact"
    if len(ranges) == 1:
        return "whole"
    if len(ranges) == 2 and abs(ranges[1][0] - seam) <= 1000 and abs(ranges[0][1] - first) <= 1000:
        return "moved"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=10, help="releases to list that are most often missed")
    args = parser.parse_args()
    texts = {}
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix in (".txt", ".md", ".html", ".htm") and path.name != "README.md":
            text = release_text(path)
            if "\n\n" in text and not in_an_email(text):
                texts[path.name] = text
    missed_first, missed_second = collections.Counter(), collections.Counter()
    outcomes: collections.Counter[str] = collections.Counter()
    for first, a in texts.items():
        for second, b in texts.items():
            outcome = _outcome(split_releases(a + "\n\n" + b), len(a), len(b))
            outcomes[outcome] += 1
            if outcome != "exact":
                missed_first[first] += 1
                missed_second[second] += 1
    pairs, missed = outcomes.total(), outcomes.total() - outcomes["exact"]
    print(f"{len(texts)} releases, {pairs} ordered pairs: {pairs - missed} split exactly, {missed} not ({missed / pairs:.1%}):")
    for outcome, meaning in _OUTCOMES.items():
        if outcome != "exact":
            print(f"  {outcomes[outcome]:6d} ({outcomes[outcome] / pairs:.1%}) {meaning}")
    for label, counter in (("as the first release", missed_first), ("as the second release", missed_second)):
        print(f"most often missed {label}:")
        for name, count in counter.most_common(args.show):
            print(f"  {count:5d}  {name}")


if __name__ == "__main__":
    main()
