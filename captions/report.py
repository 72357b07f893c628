"""The QA report: what `POST /v1/captions/process` returns and `parlance captions check` prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warn", "info"]


# Diagnostics and fixes are slotted dataclasses, not pydantic models: a bad 10,000-cue file yields ~30,000 of
# them, and building as many models cost ~0.4 s of the engine's 1 s budget. Pydantic still documents them
# (OpenAPI) and serialises them inside CaptionReport, and takes the instances as they are (no re-validation).
@dataclass(slots=True)
class Diagnostic:
    code: Annotated[str, Field(description="Stable machine code, e.g. line_too_long, overlapping_cues.")]
    severity: Severity
    message: str
    cue_index: Annotated[int | None, Field(description="0-based cue index (in the input for input diagnostics).")] = None
    line: Annotated[int | None, Field(description="1-based line of the source file, where known.")] = None


@dataclass(slots=True)
class Fix:
    code: str
    message: str
    cue_index: int | None = None
    before: str | None = None
    after: str | None = None


class CaptionReportFields(BaseModel):
    """The report without its output: the API's `report` object, with `output` beside it (CaptionPass's shape)."""

    input_format: str
    output_format: str
    preset: str
    diagnostics: list[Diagnostic] = Field(description="Problems found in the input.")
    fixes: list[Fix] = Field(description="Changes made to produce `output`.")
    remaining_diagnostics: list[Diagnostic] = Field(
        default_factory=list, description="Problems still present in `output` after the fixes (none when fixing is off)."
    )
    qa_score: int = Field(ge=0, le=100, description="Quality of the input, 0-100 (see docs/captions.md).")
    output_qa_score: int = Field(ge=0, le=100, description="Same formula applied to `output`.")
    cue_count: int = Field(description="Cues in `output`.")
    total_duration_ms: int = Field(description="From the first cue's start to the last cue's end in `output`.")


class CaptionReport(CaptionReportFields):
    output: str = Field(description="The captions rendered in the preset's format.")

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.remaining_diagnostics)
