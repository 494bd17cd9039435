"""Model architectures of the finding classifier that spaCy does not ship.

Registered in spaCy's ``architectures`` registry (and as a ``spacy_architectures``
entry point), so a saved classifier that names them loads with ``spacy.load``.
"""

from __future__ import annotations

import functools

import numpy
from spacy import registry
from spacy.attrs import LOWER, NORM, ORTH, PREFIX, SHAPE, SUFFIX, intify_attr
from spacy.ml.featureextractor import FeatureExtractor
from spacy.tokens import Doc
from spacy.vocab import Vocab
from thinc.api import HashEmbed, Maxout, Model, NumpyOps, chain, concatenate, list2ragged, ragged2list, with_array
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


class RowStableOps(NumpyOps):
    """numpy's matrix product, summed in float64 and rounded to float32.

    OpenBLAS's float32 kernels add up a row's products in an order that depends on how many
    rows the matrix has, so a finding's scores changed in the last bit with the other
    findings of its batch (with every batch size tried), and a batch's findings depend on
    how files fall into chunks: on the number of workers. Summed in float64, a row still
    differs between batch sizes, but by far less than a float32 step, which rounding removes
    unless the exact sum lies that close to a midpoint between two float32 values: of the
    order of once in a billion products, where before every row differed
    (tests/test_training.py checks batches of 1, 37, 128 and all give the same scores).
    The products are small; the cost does not show in a batch run.
    """

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        if trans1:
            x = x.T
        if trans2:
            y = y.T
        product = numpy.dot(x.astype("float64"), y.astype("float64")).astype(numpy.result_type(x, y))
        if out is None:
            return product
        out[...] = product
        return out


def batched_ngrams_forward(model: Model, docs: list[Doc], is_train: bool):
    """spaCy's ``extract_ngrams`` forward for unigrams, for a whole batch at once.

    spaCy's counts the words of each Doc with its own ``numpy.unique`` call, which for
    findings of a dozen words was most of the bag-of-words model's time. One sort by
    (document, key) gives the same keys in the same order, the same counts and lengths.
    Bigram models keep spaCy's forward (``install_batched_ngrams`` leaves them alone).
    """
    xp = model.ops.xp
    columns = [doc.to_array([model.attrs["attr"]]).ravel() for doc in docs]
    sizes = [len(c) for c in columns]
    if not sum(sizes):
        keys = xp.zeros((0,), dtype="uint64")
        return (keys, model.ops.asarray(keys, dtype="f"), model.ops.asarray([0] * len(docs), dtype="int32")), _no_gradient
    words = xp.concatenate(columns)
    owner = xp.repeat(xp.arange(len(docs)), sizes)
    order = xp.lexsort((words, owner))
    words, owner = words[order], owner[order]
    first = xp.ones(len(words), dtype=bool)
    first[1:] = (words[1:] != words[:-1]) | (owner[1:] != owner[:-1])
    starts = xp.flatnonzero(first)
    counts = xp.diff(xp.append(starts, len(words)))
    lengths = xp.bincount(owner[starts], minlength=len(docs))
    return (words[starts], model.ops.asarray(counts, dtype="f"), model.ops.asarray(lengths, dtype="int32")), _no_gradient


def _no_gradient(dY):
    return []


def install_batched_ngrams(model: Model) -> None:
    """Use ``batched_ngrams_forward`` in every unigram ``extract_ngrams`` layer of ``model``
    (for prediction: nothing flows back through the layer either way)."""
    for node in model.walk():
        if node.name == "extract_ngrams" and node.attrs.get("ngram_size") == 1:
            node._func = batched_ngrams_forward


# -- each word's embedding, computed once ------------------------------------------------------
_EMBED_LAYERS = ["extract_features", "list2ragged", "with_array", "with_array", "ragged2list"]
_MAX_CACHED_WORDS = 200_000  # words kept by the embedding cache and by WordFeatures before they start again


def install_embedding_cache(model: Model) -> None:
    """Keep, for prediction, what each ``MixedHashEmbed`` of ``model`` gives a word.

    Up to the end of its mixing layer the embedding is a function of the word's own features
    (two hashed tables, then a Maxout on each row alone), so a word seen before is looked up
    instead of hashed, gathered and multiplied again. The products are ``RowStableOps``' (the
    same for a row whatever else is in the batch, but for the rare case its docstring gives), so
    the looked-up rows are the ones the layers would compute: tests/test_training.py holds the
    scores equal with and without the cache.

    For prediction with fixed weights only: a cache filled before the weights change would give
    the old rows. Installing again starts a new, empty cache, and a pickled cache arrives empty.
    """
    for node in model.walk():
        if [layer.name.split("(")[0] for layer in node.layers] == _EMBED_LAYERS and node.name.startswith("extract_features>>"):
            plain = node._func
            if isinstance(plain, functools.partial) and plain.func is _cached_embedding_forward:
                plain = plain.keywords["plain"]  # installed before: replace its cache, do not wrap it
            node._func = functools.partial(_cached_embedding_forward, cache=_EmbeddingCache(), plain=plain)


class _EmbeddingCache:
    """Feature rows (their bytes) and the embedding computed for each, rows of one growing array."""

    def __init__(self) -> None:
        self.index: dict[bytes, int] = {}
        self.vectors: numpy.ndarray | None = None

    def __getstate__(self) -> dict:
        return {}  # a copy of the model (a pickled pipeline) starts empty: the rows are quickly made again

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def clear_if_full(self) -> None:
        if len(self.index) > _MAX_CACHED_WORDS:
            self.index, self.vectors = {}, None

    def add(self, keys: list[bytes], vectors: numpy.ndarray) -> None:
        at = len(self.index)
        if self.vectors is None:
            self.vectors = numpy.empty((max(1024, 2 * len(keys)), vectors.shape[1]), dtype=vectors.dtype)
        elif at + len(keys) > len(self.vectors):
            grown = numpy.empty((2 * (at + len(keys)), vectors.shape[1]), dtype=vectors.dtype)
            grown[:at] = self.vectors[:at]
            self.vectors = grown
        self.vectors[at : at + len(keys)] = vectors
        for k, key in enumerate(keys):
            self.index[key] = at + k


def _cached_embedding_forward(model: Model, docs, is_train: bool, *, cache: _EmbeddingCache, plain):
    if is_train:
        return plain(model, docs, is_train)
    extract, _, tables, mix, _ = model.layers
    columns, _ = extract(docs, False)
    lengths = [len(c) for c in columns]
    if not sum(lengths):
        return [model.ops.alloc2f(0, model.get_dim("nO")) for _ in lengths], _no_gradient
    rows = numpy.ascontiguousarray(numpy.concatenate(columns))
    # each row's bytes are its key: seven times quicker to make than a tuple of Python ints
    keys = rows.view(f"V{rows.itemsize * rows.shape[1]}").ravel().tolist()
    cache.clear_if_full()
    get = cache.index.get
    places = [get(key) for key in keys]
    if None in places:
        new = list(dict.fromkeys(key for key, place in zip(keys, places, strict=True) if place is None))
        new_rows = numpy.frombuffer(b"".join(new), dtype=rows.dtype).reshape(len(new), rows.shape[1])
        vectors, _ = mix(tables(new_rows, False)[0], False)
        cache.add(new, vectors)
        places = [get(key) for key in keys]
    found = cache.vectors[places]
    ends = numpy.cumsum(lengths).tolist()
    return [found[end - n : end] for n, end in zip(lengths, ends, strict=True)], _no_gradient


# -- the model's input without a Doc per finding -----------------------------------------------
# Attributes a token takes from its word alone (not from its place in a Doc).
_LEXICAL_ATTRS = frozenset((ORTH, LOWER, NORM, PREFIX, SUFFIX, SHAPE))


def doc_attrs(model: Model) -> tuple[int, ...] | None:
    """The attributes the layers of ``model`` that read Docs (``FeatureExtractor``,
    ``extract_ngrams``) read, when each is a word's own (``_LEXICAL_ATTRS``); else None.
    (Other layers reading Docs are not seen here: ``classify`` checks a model's predictions
    from ``WordRows`` against its predictions from Docs before it uses them.)"""
    attrs: list[int] = []
    for node in model.walk():
        if node.name == "extract_features":
            attrs.extend(intify_attr(a) for a in node.attrs["columns"])
        elif node.name == "extract_ngrams":
            attrs.append(intify_attr(node.attrs["attr"]))
    if not attrs or not set(attrs) <= _LEXICAL_ATTRS:
        return None
    return tuple(dict.fromkeys(attrs))


class WordTable:
    """The attribute ids of a batch's words, one row per word, for ``WordRows`` to slice."""

    __slots__ = ("ids", "column_of", "_arrays")

    def __init__(self, ids: numpy.ndarray, attrs: tuple[int, ...]) -> None:
        self.ids = ids
        self.column_of = {a: k for k, a in enumerate(attrs)}
        self._arrays: dict = {}

    def array(self, attrs) -> numpy.ndarray:
        """``Doc.to_array(attrs)`` over every word of the batch (1-D for one attribute given alone)."""
        key = attrs if isinstance(attrs, (int, str)) else tuple(attrs)
        got = self._arrays.get(key)
        if got is None:
            if isinstance(attrs, (int, str)):
                got = self.ids[:, self.column_of[intify_attr(attrs)]].copy()
            else:
                got = numpy.ascontiguousarray(self.ids[:, [self.column_of[intify_attr(a)] for a in attrs]])
            self._arrays[key] = got
        return got


class WordRows:
    """One text as the finding model reads it: its words' rows of a ``WordTable``.

    It stands in for a spaCy Doc. The layers of the model that read Docs
    (``FeatureExtractor`` and ``extract_ngrams``) ask only its length and ``to_array``,
    and ``doc_attrs`` checks that the attributes they read are a word's own. Building a
    Doc for each finding cost the classifier more than the model's arithmetic.
    """

    __slots__ = ("table", "start", "end")

    def __init__(self, table: WordTable, start: int, end: int) -> None:
        self.table, self.start, self.end = table, start, end

    def __len__(self) -> int:
        return self.end - self.start

    def to_array(self, attrs) -> numpy.ndarray:
        return self.table.array(attrs)[self.start : self.end]


class WordFeatures:
    """Each word's attribute ids, read from spaCy once per word and kept."""

    def __init__(self, vocab: Vocab, attrs: tuple[int, ...]) -> None:
        self.vocab, self.attrs = vocab, attrs
        self.cache: dict[str, bytes] = {}  # word -> its row of ids, as uint64 bytes

    def rows(self, texts: list[list[str]]) -> list[WordRows]:
        """A ``WordRows`` for each list of words (each must hold at least one word)."""
        cache = self.cache
        if len(cache) > _MAX_CACHED_WORDS:
            cache.clear()
        ids: list[bytes] = []
        bounds = []
        for words in texts:
            start = len(ids)
            for word in words:
                row = cache.get(word)
                if row is None:
                    row = cache[word] = numpy.array(self._read(word), dtype="uint64").tobytes()
                ids.append(row)
            bounds.append((start, len(ids)))
        table = WordTable(numpy.frombuffer(b"".join(ids), dtype="uint64").reshape(len(ids), len(self.attrs)), self.attrs)
        return [WordRows(table, start, end) for start, end in bounds]

    def _read(self, word: str) -> tuple[int, ...]:
        return tuple(Doc(self.vocab, words=[word]).to_array(list(self.attrs))[0].tolist())
