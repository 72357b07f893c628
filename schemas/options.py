"""Options a client sends with a job."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_SPEAKERS = 32


class DiarizationOptions(BaseModel):
    """Who spoke when. `mode="channel"`: one party per channel (stereo call recordings), no clustering."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    mode: Literal["speaker", "channel"] = "speaker"
    num_speakers: int | None = Field(default=None, ge=1, le=MAX_SPEAKERS, description="Exact count, when known.")
    min_speakers: int | None = Field(default=None, ge=1, le=MAX_SPEAKERS)
    max_speakers: int | None = Field(default=None, ge=1, le=MAX_SPEAKERS)
    allow_failure: bool = Field(
        default=False,
        description="If diarization fails, complete the job without speakers (said in `warnings`) instead of "
        "failing it with diarization_error.",
    )

    @model_validator(mode="after")
    def _bounds(self) -> "DiarizationOptions":
        if self.min_speakers and self.max_speakers and self.min_speakers > self.max_speakers:
            raise ValueError("min_speakers must not exceed max_speakers")
        if self.num_speakers and (self.min_speakers or self.max_speakers):
            lo, hi = self.min_speakers or 1, self.max_speakers or MAX_SPEAKERS
            if not lo <= self.num_speakers <= hi:
                raise ValueError("num_speakers must lie within min_speakers..max_speakers")
        return self


# Domains with a bundled ASR context; inference/domains.py holds one entry per name (schemas may not import it).
DomainName = Literal["legal", "medical", "finance"]

# The fields of `ai_analysis` a client may ask for (analysis/schema.py builds them; schemas may not import it).
AnalysisField = Literal[
    "transcript_cleaned", "speaker_roles", "call_summary", "call_type", "call_outcome", "customer", "agent",
    "financial", "compliance", "sentiment", "key_issues", "action_items", "agreements",
]
ANALYSIS_FIELDS: tuple[str, ...] = AnalysisField.__args__  # type: ignore[attr-defined]

SANDBOX_MAX_FINISH_IN_S = 900


class SandboxOptions(BaseModel):
    """For sk_test_ keys only: how the simulated job ends. Without it a sandbox job stays processing."""

    model_config = ConfigDict(extra="forbid")

    finish_in: float = Field(
        default=0, ge=0, le=SANDBOX_MAX_FINISH_IN_S, description="Seconds after processing starts until the job ends."
    )
    finish_with_error: bool = Field(
        default=False, description="End failed with error code `sandbox_simulated_failure` instead of completed."
    )


class JobOptions(BaseModel):
    """Per-job options. Unknown keys are refused so typos fail loudly instead of being ignored."""

    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(
        default=None,
        description="ISO 639-1 code such as 'en'; null lets the model detect it (multilingual models).",
        min_length=2,
        max_length=5,
    )
    model: str | None = Field(
        default=None,
        description="ASR model: 'tiny.en' (default), 'base', or any CTranslate2 Whisper model the worker allows.",
        min_length=1,
        max_length=200,
    )
    vocabulary: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None,
        max_length=100,
        description="Custom vocabulary: words and phrases the ASR should prefer (passed as hotwords / prompt).",
    )
    domain: DomainName | None = Field(
        default=None,
        description="Domain context (VoxChron's contextMode): a bundled prompt and vocabulary for the ASR "
        "(inference/domains.py), so the field's terms come out spelled right; combines with `vocabulary`.",
    )
    analysis: Literal["lite", "pro"] | None = Field(
        default=None, description="Call analysis: lite (roles, cleaned transcript) or pro (summary, type, outcome...); null = none."
    )
    analysis_fields: list[AnalysisField] | None = Field(
        default=None,
        max_length=len(ANALYSIS_FIELDS),
        description="The analysis fields the client needs. Naming a pro-only field on a lite request upgrades it to "
        "pro (said in `warnings`); without `analysis` they ask for lite.",
    )
    # None rather than False by default: options are echoed without their unset (null) fields.
    redact_pii: bool | None = Field(
        default=None,
        description="Replace personal data in the transcript, words, segments, analysis and exports with its type "
        "([PHONE_NUMBER], [CREDIT_CARD], [EMAIL], [PERSON]...), word timings kept; the original is never stored.",
    )
    webhook_url: str | None = Field(
        default=None,
        max_length=2000,
        pattern=r"^https?://[^\s]+$",
        description="POSTed (signed) when the job ends; the signing secret is in the creation response only.",
    )
    metadata: dict[Annotated[str, Field(min_length=1, max_length=40)], Annotated[str, Field(max_length=500)]] | None = (
        Field(default=None, max_length=16, description="Up to 16 string pairs, echoed on the job and its webhooks.")
    )

    diarization: DiarizationOptions | None = Field(
        default=None, description="Speaker diarization; null (the default) or enabled=false skips it."
    )

    sandbox: SandboxOptions | None = Field(
        default=None, description="sk_test_ keys only: finish the simulated job after finish_in seconds."
    )

    @property
    def analyze(self) -> bool:
        """The analyzing stage runs: for analysis, or for redaction alone."""
        return self.analysis is not None or bool(self.analysis_fields) or bool(self.redact_pii)

    @property
    def diarize(self) -> bool:
        return self.diarization is not None and self.diarization.enabled

    @field_validator("language")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value


# VoxChron's job body puts these beside `options`; Parlance accepts either place (issue 17.5).
TOP_LEVEL_OPTION_FIELDS: tuple[str, ...] = ("language", "model", "webhook_url")


def with_top_level(options: JobOptions, top: dict[str, str | None]) -> JobOptions:
    """`options` with the top-level values folded in. The same value in both places is fine; two different ones
    are refused (ValueError), since either choice would silently ignore something the client said."""
    changes: dict[str, str] = {}
    for name, value in top.items():
        if value is None:
            continue
        inner = getattr(options, name)
        if inner is not None and inner != JobOptions.model_validate({name: value}).model_dump()[name]:
            raise ValueError(f"{name}: given at the top level and in options with different values; give one")
        changes[name] = value
    if not changes:
        return options
    return JobOptions.model_validate({**options.model_dump(exclude_none=True), **changes})
