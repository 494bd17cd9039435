"""Model architectures of the finding classifier that spaCy does not ship.

Registered in spaCy's ``architectures`` registry (and as a ``spacy_architectures``
entry point), so a saved classifier that names them loads with ``spacy.load``.
"""

from __future__ import annotations

from spacy import registry
from thinc.api import Model
from thinc.types import Floats2d


@registry.architectures("ncpi_extract.PassThroughEncoder.v1")
def pass_through_encoder(width: int) -> Model[list[Floats2d], list[Floats2d]]:
    """A ``Tok2Vec`` encoder that hands the embeddings on unchanged.

    Findings are a sentence or two, and their themes are said by words more than by
    word order: measured on the dev split, a context window over the embeddings
    added little accuracy and most of the classifier's cost per call.
    """
    return Model("pass_through", _pass_through_forward, dims={"nI": width, "nO": width})


def _pass_through_forward(model: Model, X: list[Floats2d], is_train: bool):
    return X, lambda dY: dY
