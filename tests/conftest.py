from __future__ import annotations

from pathlib import Path

import pytest

from ncpi_extract.evaluate import gold_cases

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
CASES = gold_cases(FIXTURES)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return FIXTURES / "cleveland_2017_seed.txt"
