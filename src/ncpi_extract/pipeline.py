"""Building, saving and loading the spaCy pipeline.

The shipped pipeline lives in ``models/ncpi_en`` (saved with ``nlp.to_disk``, loaded
with ``spacy.load``). ``build_pipeline`` assembles it from ``models/rules`` and, when
present, the trained finding classifier; ``load_pipeline`` loads it once per process.
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language

from . import classify, findings, metadata, quotes, references, sections  # noqa: F401  (register factories)
from .rules import read_rules

COMPONENTS = ("ncpi_sectionizer", "ncpi_quotes", "ncpi_findings", "ncpi_references", "ncpi_metadata", "ncpi_classifier")
PIPELINE_NAME = "ncpi_en"


def models_dir() -> Path:
    """``models/`` beside the package in a wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parents[1] / "models"):
        if (candidate / "rules").is_dir():
            return candidate
    raise FileNotFoundError("cannot find the models/ folder: reinstall ncpi-extract")


def default_pipeline_path() -> Path:
    return models_dir() / PIPELINE_NAME


def build_pipeline(rules_dir: Path | None = None, textcat_dir: Path | None = None) -> Language:
    """A fresh pipeline on ``spacy.blank("en")`` with the rules of ``rules_dir``."""
    rules = read_rules(rules_dir or models_dir() / "rules")
    nlp = spacy.blank("en")
    nlp.meta.update({"name": PIPELINE_NAME, "description": "ncpi-extract: NCPI press release extractor"})
    for name in COMPONENTS:
        if name == "ncpi_classifier" and textcat_dir is not None:
            from .textcat import add_finding_classifier

            add_finding_classifier(nlp, textcat_dir)
        component = nlp.add_pipe(name)
        component.set_rules(rules)
    return nlp


@functools.lru_cache(maxsize=4)
def load_pipeline(path: str | None = None) -> Language:
    """Load the pipeline (the shipped one by default) once per process."""
    return spacy.load(path or default_pipeline_path())
