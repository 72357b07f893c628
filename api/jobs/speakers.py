"""PATCH /v1/jobs/{id}/speakers: give diarization's `Speaker N` labels real names.

The stored result document is the only copy of a transcript and every export is rendered from it, so renaming
there (under the job's row lock, so two renames never lose one another) reaches the result, every export format
and `ai_analysis.transcript_cleaned` at once, and export links stay what they were.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import APIRouter, Body

from api.deps import JobsWrite, StateDep
from api.envelope import Data
from api.errors import Conflict, NotFound, ValidationFailed, error_docs
from jobs.usecases import owns
from api.state import ApiState
from schemas.events import JobStatus
from schemas.result import SpeakerSummary, Transcript
from store import jobs as repo
from store.keys import Principal
from store.objects import ObjectNotFound

router = APIRouter(prefix="/jobs", tags=["jobs"])

MAX_NAME = 64
_DEFAULT_LABEL = re.compile(r"Speaker \d+")


def _display(label: str, role: str) -> str:
    """How transcript_cleaned prefixes a speaker's lines: the analysis' role ('Agent') until the speaker has a
    name, then 'Diane (Agent)'; a speaker without a role is shown by its label."""
    if role == label or _DEFAULT_LABEL.fullmatch(label):
        return role
    return f"{label} ({role})"


def check_mapping(transcript: Transcript, mapping: dict[str, str]) -> dict[str, str]:
    """The renames to apply (no-ops dropped); ValidationFailed names what is wrong."""
    if not mapping:
        raise ValidationFailed('body: give at least one rename, e.g. {"Speaker 1": "Diane"}')
    labels = [s.label for s in transcript.speakers or []]
    unknown = [old for old in mapping if old not in labels]
    if unknown:
        known = ", ".join(labels) or "none (the job ran without diarization)"
        raise ValidationFailed(f"unknown speaker label(s) {', '.join(map(repr, unknown))}; this transcript has: {known}")
    clean: dict[str, str] = {}
    for old, new in mapping.items():
        name = " ".join(str(new).split())
        if not name or len(name) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in name):
            raise ValidationFailed(f"{old!r}: a name is 1-{MAX_NAME} printable characters")
        clean[old] = name
    final = [clean.get(label, label) for label in labels]
    if len(set(final)) != len(final):
        raise ValidationFailed("two speakers would share one name; speakers are never merged by a rename")
    return {old: new for old, new in clean.items() if old != new}


def rename(transcript: Transcript, mapping: dict[str, str]) -> Transcript:
    """A copy of the document with every speaker label renamed (words, segments, speakers, overlaps, quotes,
    analysis)."""
    doc = transcript.model_dump(mode="json")

    def sub(label: Any) -> Any:
        return mapping.get(label, label) if isinstance(label, str) else label

    for word in doc["words"]:
        word["speaker"] = sub(word.get("speaker"))
    for seg in doc["segments"]:
        seg["speaker"] = sub(seg.get("speaker"))
        seg["overlapping_speakers"] = [sub(s) for s in seg.get("overlapping_speakers") or []]
    for speaker in doc.get("speakers") or []:
        speaker["label"] = sub(speaker["label"])
    for overlap in doc.get("overlaps") or []:
        overlap["speakers"] = [sub(s) for s in overlap["speakers"]]
    for quote in doc.get("quotes") or []:
        quote["speaker_label"] = sub(quote.get("speaker_label"))  # cards rendered later show the new name
    ai = doc.get("ai_analysis")
    if ai:
        roles: dict[str, str] = ai.get("speaker_roles") or {}
        new_roles = {sub(label): (sub(role) if role == label else role) for label, role in roles.items()}
        prefixes = {
            f"{_display(label, role)}: ": f"{_display(sub(label), new_roles[sub(label)])}: "
            for label, role in roles.items()
            if label in mapping
        }
        ai["speaker_roles"] = new_roles
        if isinstance(ai.get("transcript_cleaned"), str) and prefixes:
            ai["transcript_cleaned"] = "\n".join(_reprefix(line, prefixes) for line in ai["transcript_cleaned"].split("\n"))
    return Transcript.model_validate(doc)


def _reprefix(line: str, prefixes: dict[str, str]) -> str:
    for old, new in prefixes.items():
        if line.startswith(old):
            return new + line[len(old):]
    return line


async def rename_speakers(state: ApiState, principal: Principal, job_id: str, mapping: dict[str, str]) -> Transcript:
    """Read, rename and rewrite the stored result under the job's row lock; 409 until the job completed."""
    async with state.sessions.begin() as session:
        job = await repo.lock_job(session, job_id)
        if job is None or not owns(principal, job):
            raise NotFound(f"job {job_id} not found")
        if job.status != JobStatus.completed or job.result_key is None:
            raise Conflict(f"job {job_id} is {job.status}; speakers can be renamed once it has completed")
        try:
            transcript = Transcript.model_validate_json(await state.objects.get_bytes(job.result_key))
        except ObjectNotFound as exc:
            raise NotFound(f"the result of job {job_id} is no longer stored") from exc
        changes = check_mapping(transcript, mapping)
        if changes:
            transcript = rename(transcript, changes)
            await state.objects.put_bytes(job.result_key, transcript.model_dump_json().encode())
    return transcript


@router.patch(
    "/{job_id}/speakers",
    response_model=Data[list[SpeakerSummary]],
    responses=error_docs(Conflict, ValidationFailed),
)
async def patch_speakers(
    job_id: str,
    principal: JobsWrite,
    state: StateDep,
    body: dict[str, str] = Body(examples=[{"Speaker 1": "Diane", "Speaker 2": "Customer"}]),
) -> Data[list[SpeakerSummary]]:
    """Rename speakers, e.g. `{"Speaker 1": "Diane"}`: the result, every export and `transcript_cleaned` use the
    new names. 422 for a label the transcript does not have or a name two speakers would share; 409 before the
    job completed."""
    transcript = await rename_speakers(state, principal, job_id, body)
    return Data(data=transcript.speakers or [])
