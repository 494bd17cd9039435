"""Model architectures of the finding classifier that spaCy does not ship.

Registered in spaCy's ``architectures`` registry (and as a ``spacy_architectures``
entry point), so a saved classifier that names them loads with ``spacy.load``.
"""

from __future__ import annotations

from spacy import registry
from spacy.ml.featureextractor import FeatureExtractor
from spacy.tokens import Doc
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d


@registry.architectures("ncpi_extract.PassThroughEncoder.v1")
def pass_through_encoder(width: int) -> Model[list[Floats2d], list[Floats2d]]:
    """A ``Tok2Vec`` encoder that hands the embeddings on unchanged.

    Findings are a sentence or two, and their themes are said by words more than by
    word order: in 5-fold cross-validation a one-layer context window over the embeddings
    (with the layer norm below) added about 0.01 micro-F1 and a third to the classifier's
    cost in a one-release ``parse``.
    """
    return Model("pass_through", _pass_through_forward, dims={"nI": width, "nO": width})


def _pass_through_forward(model: Model, X: list[Floats2d], is_train: bool):
    return X, lambda dY: dY


@registry.architectures("ncpi_extract.MixedHashEmbed.v1")
def mixed_hash_embed(width: int, attrs: list[str], rows: list[int], normalize: bool) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed`` (without static vectors), its mixing layer's layer norm optional.

    The layer norm over every token cost more than any other layer of the classifier
    and, in cross-validation, bought no accuracy.
    """
    if len(rows) != len(attrs):
        raise ValueError(f"rows and attrs differ in length: {len(rows)} vs {len(attrs)}")
    tables = [HashEmbed(width, n_rows, column=k, seed=8 + k, dropout=0.0) for k, n_rows in enumerate(rows)]
    mix = with_array(Maxout(width, width * len(tables), nP=3, dropout=0.0, normalize=normalize))
    model = chain(FeatureExtractor(attrs), list2ragged(), with_array(concatenate(*tables)), mix, ragged2list())
    model.set_dim("nO", width)
    return model
