"""The offline embedding function and the incremental chromadb evidence store."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from agent.retrieval import TOKENIZER_PATH, EvidenceStore, MiniLMEmbedding
from tools.errors import InputError
from tools.evidence import build_evidence
from tools.transcripts import parse_text


@pytest.fixture(scope="module")
def emb() -> MiniLMEmbedding:
    return MiniLMEmbedding()


def test_tampered_tokenizer_fails_loudly(tmp_path: Path):
    bad = tmp_path / "tokenizer.json"
    shutil.copy(TOKENIZER_PATH, bad)
    with bad.open("ab") as fh:
        fh.write(b" ")
    with pytest.raises(InputError, match="sha256 mismatch"):
        MiniLMEmbedding(tokenizer_path=str(bad))


def test_tampered_model_fails_loudly(tmp_path: Path):
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="sha256 mismatch"):
        MiniLMEmbedding(model_path=str(bad))


def test_vectors_unit_norm_and_semantic(emb: MiniLMEmbedding):
    v = emb.embed(
        [
            "The price is too high for our budget.",
            "It costs too much money for us.",
            "My cat sleeps on the sofa all afternoon.",
            "short",
        ]
    )
    assert v.shape == (4, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    single = emb.embed(["short"])  # dynamic padding: batch mates do not change a vector
    assert np.allclose(single[0], v[3], atol=1e-4)


def _interview(extra: str = ""):
    text = (
        "Host: What do you dislike?\nAna Ruiz: The pricing is far too expensive for a "
        "small team.\n\nAna Ruiz: Search works really well for us." + extra + "\n"
    )
    return parse_text(text, "ana")


def test_store_incremental_filters_and_reopen(tmp_path: Path, emb: MiniLMEmbedding):
    iv = _interview()
    ev = build_evidence([iv])
    store = EvidenceStore(tmp_path / "store", embedding=emb)
    first = store.upsert_interviews([iv], ev)
    assert first["embedded"] == len(ev) and first["interviews_written"] == 1
    again = store.upsert_interviews([iv], ev)
    assert again["embedded"] == 0 and again["interviews_unchanged"] == 1
    hits = store.search("cost objections", k=1, where={"speaker_role": "interviewee"})
    assert "expensive" in hits[0]["text"] and hits[0]["metadata"]["speaker"] == "Ana Ruiz"
    assert all(
        h["metadata"]["speaker_role"] == "interviewer"
        for h in store.search("pricing", k=3, where={"speaker_role": "interviewer"})
    )
    changed = _interview(" Support is slow.")
    ev2 = build_evidence([changed])
    third = store.upsert_interviews([changed], ev2)
    assert third["deleted"] == len(ev) and store.count() == len(ev2)
    reopened = EvidenceStore(tmp_path / "store", embedding=emb)
    cfg = reopened.collection.configuration_json.get("embedding_function") or {}
    assert cfg.get("name") == "icp-minilm-int8"
