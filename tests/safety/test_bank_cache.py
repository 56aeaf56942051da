"""The risk bank's embeddings are kept between runs (WARMLINE_CACHE_DIR): a server or CLI start reads them instead of
embedding a thousand exemplars again, and a cache that does not match is never trusted."""

from __future__ import annotations

import numpy as np

from safety.embedding import get_embedder
from safety.risk.semantic import _bank_vectors

TEXTS = ["i want to die", "this job is killing me", "i have the pills here", "we went to the lake"]


def test_bank_vectors_are_cached_exactly_and_a_bad_file_is_remade(tmp_path, monkeypatch):
    monkeypatch.setenv("WARMLINE_CACHE_DIR", str(tmp_path))
    emb = get_embedder()
    fresh = _bank_vectors(emb, TEXTS)
    assert np.allclose(fresh, emb.embed(TEXTS), atol=1e-6)  # batching by length changes no vector
    [path] = list(tmp_path.glob("risk-bank-*.npy"))

    class NoEmbedding:  # the second start must not embed at all
        identity = emb.identity
        dim = emb.dim

        def embed_many(self, texts):
            raise AssertionError("embedded again instead of reading the cache")

    assert np.array_equal(_bank_vectors(NoEmbedding(), TEXTS), fresh)
    # other texts (the bank was edited) or another model: another key, made afresh
    assert len(_bank_vectors(emb, [*TEXTS, "one more"])) == 5
    assert len(list(tmp_path.glob("risk-bank-*.npy"))) == 2
    # a truncated file is not trusted
    path.write_bytes(path.read_bytes()[:100])
    assert np.allclose(_bank_vectors(emb, TEXTS), fresh, atol=1e-6)


def test_cache_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("WARMLINE_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert len(_bank_vectors(get_embedder(), TEXTS)) == 4
    assert not list(tmp_path.rglob("*.npy"))
