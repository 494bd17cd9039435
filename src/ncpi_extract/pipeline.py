"""Building, saving and loading the spaCy pipeline.

The shipped pipeline lives in ``models/ncpi_en`` (saved with ``nlp.to_disk``, loaded
with ``spacy.load``). ``build_pipeline`` assembles it from ``models/rules`` and, when
present, the trained finding classifier; ``load_pipeline`` loads it once per process.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from . import __version__, classify, findings, metadata, quotes, references, sections  # noqa: F401  (register factories)
from .classify import read_model
from .rules import read_rules

COMPONENTS = ("ncpi_sectionizer", "ncpi_quotes", "ncpi_findings", "ncpi_references", "ncpi_metadata", "ncpi_classifier")
PIPELINE_NAME = "ncpi_en"
MAX_CHARACTERS = 6_000_000  # above the 5 MB input limit, whatever the encoding


def models_dir() -> Path:
    """``models/`` beside the package in a wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parents[1] / "models"):
        if (candidate / "rules").is_dir():
            return candidate
    raise FileNotFoundError("cannot find the models/ folder: reinstall ncpi-extract")


def default_pipeline_path() -> Path:
    return models_dir() / PIPELINE_NAME


# A run of 400 characters or more with no white space ('“““...', a minified script, a base64 blob) is one token:
# spaCy's tokenizer would try its suffix patterns once for every character it strips from the end of the run,
# time in the square of its length (25,000 quotation marks took 54 s).
LONG_TOKEN = re.compile(r"(?s).{400,}\Z")


# The tokenizer splits at white space, and then only the marks that open or close a word ('“', '(', '•', '.', ';')
# and a slash or dash between two words. The pipeline reads tokens only to hang its spans on (every offset it reports
# is a character offset), so spaCy's English rules (1,347 special cases, prefix, suffix and infix patterns of every
# script) bought nothing but time: these tokenize a release in 0.06 ms, the English rules in 0.10 to 0.17.
PREFIX = re.compile(r"""^[\[({"'“‘«„<*_#>•·▪●○◦■□…-]""")
SUFFIX = re.compile(r"""[\])}"'”’»>*_.,;:!?%…]$""")
INFIX = re.compile(r"(?<=[0-9A-Za-z])[/–—](?=[0-9A-Za-z])")


def plain_tokenizer(nlp: Language) -> Tokenizer:
    """The pipeline's tokenizer (above): saved with the pipeline by ``to_disk``."""
    return Tokenizer(nlp.vocab, prefix_search=PREFIX.search, suffix_search=SUFFIX.search, infix_finditer=INFIX.finditer,
                     token_match=LONG_TOKEN.match)


@spacy.registry.tokenizers("ncpi_extract.saved_tokenizer.v1")
def saved_tokenizer():
    """The pipeline's tokenizer, its rules read once from the saved pipeline (``plain_tokenizer``'s: an empty
    tokenizer, so that nothing is built twice at start-up)."""
    return _empty_tokenizer


def _empty_tokenizer(nlp: Language) -> Tokenizer:
    return Tokenizer(nlp.vocab)


def build_pipeline(rules_dir: Path | None = None, model: Language | None = None, settings: dict | None = None) -> Language:
    """A fresh pipeline on ``spacy.blank("en")`` with the rules of ``rules_dir`` and,
    when given, the trained finding classifier ``model`` with its ``settings``."""
    rules = read_rules(rules_dir or models_dir() / "rules")
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "ncpi_extract.saved_tokenizer.v1"}}})
    nlp.tokenizer = plain_tokenizer(nlp)  # its rules saved by to_disk
    nlp.meta.update({"name": PIPELINE_NAME, "version": __version__, "description": "ncpi-extract: NCPI press release extractor"})
    for name in COMPONENTS:
        component = nlp.add_pipe(name)
        component.set_rules(rules)
    nlp.get_pipe("ncpi_classifier").set_model(model, settings)
    return nlp


def shipped_classifier() -> tuple[Language | None, dict | None]:
    """The trained model and settings of the shipped pipeline, to carry over on a rebuild."""
    return read_model(default_pipeline_path() / "ncpi_classifier")


@functools.lru_cache(maxsize=4)
def load_pipeline(path: str | None = None) -> Language:
    """Load the pipeline (the shipped one by default) once per process."""
    nlp = spacy.load(path or default_pipeline_path())
    nlp.max_length = MAX_CHARACTERS  # spaCy's default guards parsers and NER, which this pipeline has not
    return nlp
