"""The archive of scored question/answer pairs: an append-only JSONL dataset.

Cortex.t archives its prompt/response pairs as a public dataset, and Subnet 37 builds its
evaluation data from it. Here every scored pair becomes one :class:`QARecord`, one JSON
object per line, appended by the validator after each round. Each record carries the
multiple-choice version of its question (``options``, ``correct_index``), which is what
the fine-tuning subnet trains and evaluates on (:func:`multiple_choice_questions`).

Schema (version 1; every field required, keys sorted when written)::

    schema            int    1
    round             int    validator round (or block) that produced the record
    question_id       str    16 hex digits, stable id of (kind, text)
    kind              str    question generator, e.g. "capital", "arithmetic"
    question          str    the text sent to miners
    reference_answer  str    the validator's answer
    miner_uid         int
    miner_hotkey      str    ss58 address ("" when unknown)
    response          str    the miner's reply ("" for none)
    correct           bool
    latency_s         float  seconds
    reward            float  the reply's score in [0, 1]
    options           [str]  four options of the multiple-choice version
    correct_index     int    index of reference_answer in options

Appending is the only mutation. A line cut short by a crash (no trailing newline) is
removed before the next append, since that record was never completely written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .choices import MultipleChoice
from .questions import Question
from .reward import Response

__all__ = ["SCHEMA_VERSION", "QARecord", "DatasetError", "append_records", "read_records",
           "make_records", "multiple_choice_questions"]

SCHEMA_VERSION = 1

_FIELDS: dict[str, type | tuple[type, ...]] = {
    "schema": int,
    "round": int,
    "question_id": str,
    "kind": str,
    "question": str,
    "reference_answer": str,
    "miner_uid": int,
    "miner_hotkey": str,
    "response": str,
    "correct": bool,
    "latency_s": (int, float),
    "reward": (int, float),
    "options": list,
    "correct_index": int,
}


class DatasetError(ValueError):
    """A line of the archive does not match the schema."""


@dataclass(frozen=True, slots=True)
class QARecord:
    schema: int
    round: int
    question_id: str
    kind: str
    question: str
    reference_answer: str
    miner_uid: int
    miner_hotkey: str
    response: str
    correct: bool
    latency_s: float
    reward: float
    options: tuple[str, ...]
    correct_index: int

    def to_json(self) -> str:
        data = asdict(self)
        data["options"] = list(self.options)
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Any) -> QARecord:
        if not isinstance(data, dict):
            raise DatasetError("record is not a JSON object")
        if set(data) != set(_FIELDS):
            raise DatasetError(f"fields differ from schema: {sorted(set(data) ^ set(_FIELDS))}")
        for name, typ in _FIELDS.items():
            value = data[name]
            # bool is an int in Python; keep the two apart in both directions.
            if (typ is int and isinstance(value, bool)) or not isinstance(value, typ):
                raise DatasetError(f"field {name!r} has type {type(value).__name__}")
        if data["schema"] != SCHEMA_VERSION:
            raise DatasetError(f"unsupported schema version {data['schema']}")
        options = data["options"]
        if len(options) != 4 or not all(isinstance(o, str) for o in options):
            raise DatasetError("options must be four strings")
        if not 0 <= data["correct_index"] < 4 or options[data["correct_index"]] != data["reference_answer"]:
            raise DatasetError("correct_index does not point at the reference answer")
        return cls(**{**data, "options": tuple(options),
                      "latency_s": float(data["latency_s"]), "reward": float(data["reward"])})

    def multiple_choice(self) -> MultipleChoice:
        return MultipleChoice(self.question_id, self.kind, self.question, self.options, self.correct_index)


def make_records(round_: int, questions: Sequence[Question], choices: Sequence[MultipleChoice],
                 miner_uid: int, miner_hotkey: str, responses: Sequence[Response],
                 scores: Sequence[float], correct: Sequence[bool]) -> list[QARecord]:
    """The records of one miner's replies in one round."""
    if not len(questions) == len(choices) == len(responses) == len(scores) == len(correct):
        raise ValueError("questions, choices, responses, scores and correct must align")
    return [
        QARecord(SCHEMA_VERSION, round_, q.id, q.kind, q.text, q.answer, miner_uid, miner_hotkey,
                 r.answer or "", bool(ok), float(r.latency_s), float(s), mc.options, mc.correct_index)
        for q, mc, r, s, ok in zip(questions, choices, responses, scores, correct)
    ]


def _drop_torn_tail(path: Path) -> None:
    with path.open("rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        # Walk back to the last complete line and cut after it.
        pos = size - 1
        while pos > 0:
            step = min(4096, pos)
            fh.seek(pos - step)
            chunk = fh.read(step)
            idx = chunk.rfind(b"\n")
            if idx >= 0:
                fh.truncate(pos - step + idx + 1)
                return
            pos -= step
        fh.truncate(0)


def append_records(path: str | os.PathLike[str], records: Iterable[QARecord]) -> int:
    """Append records to the archive (created if missing); returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        _drop_torn_tail(path)
    lines = [r.to_json() + "\n" for r in records]
    with path.open("a", encoding="utf-8") as fh:
        fh.writelines(lines)
        fh.flush()
        os.fsync(fh.fileno())
    return len(lines)


def read_records(path: str | os.PathLike[str]) -> Iterator[QARecord]:
    """Every record of the archive, in the order written.

    Raises :class:`DatasetError` (with the line number) on a line that breaks the
    schema, except a torn last line without newline, which is skipped.
    """
    with Path(path).open("r", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield QARecord.from_dict(json.loads(line))
            except (json.JSONDecodeError, DatasetError) as exc:
                if not line.endswith("\n"):
                    return  # torn final write
                raise DatasetError(f"line {lineno}: {exc}") from exc


def multiple_choice_questions(records: Iterable[QARecord]) -> list[MultipleChoice]:
    """The distinct multiple-choice questions of the archive (first occurrence wins)."""
    seen: dict[str, MultipleChoice] = {}
    for r in records:
        if r.question_id not in seen:
            seen[r.question_id] = r.multiple_choice()
    return list(seen.values())
