"""The utterances an `ai_analysis` document is computed from, and which of its fields need a pro analysis.

The document's models live in schemas/analysis.py (the result document, `schemas.result.Transcript`, holds one
and `schemas` imports nothing else of the project); they are re-exported here for the analysis modules.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.analysis import (
    Agent,
    AgentPerformance,
    AiAnalysis,
    CallOutcome,
    CallType,
    Compliance,
    Customer,
    CustomerSentiment,
    Financial,
    Level,
    PiiType,
    Sentiment,
)

__all__ = [
    "PRO_FIELDS", "Agent", "AgentPerformance", "AiAnalysis", "CallOutcome", "CallType", "Compliance", "Customer",
    "CustomerSentiment", "Financial", "Level", "PiiType", "Sentiment", "Utterance", "resolve_level",
]

# Keys of AiAnalysis that only a pro analysis fills; asking for one of them upgrades a lite request.
PRO_FIELDS: tuple[str, ...] = (
    "call_summary", "call_type", "call_outcome", "customer", "agent", "financial", "compliance", "sentiment",
    "key_issues", "action_items", "agreements",
)


class Utterance(BaseModel):
    """One speaker turn, built by the caller from the diarized transcript (speaker None when undiarized)."""

    model_config = ConfigDict(frozen=True)

    speaker: str | None = None
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    text: str


def resolve_level(level: str | None, fields: list[str] | None = None) -> tuple[Level, list[str]]:
    """The level to run and the warnings to return: a lite request naming pro-only fields becomes pro."""
    chosen: Level = "pro" if level == "pro" else "lite"
    asked = [f for f in (fields or []) if f in PRO_FIELDS]
    if chosen == "lite" and asked:
        return "pro", [f"analysis upgraded from lite to pro: requested pro-only fields {', '.join(asked)}"]
    return chosen, []
