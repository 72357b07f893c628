"""The `ai_analysis` document of a result (`Transcript.ai_analysis`): the call analysis a job asked for.

It lives here, beside the result it is part of, because `schemas` may import nothing else of the project;
`analysis/` fills it (analysis/schema.py re-exports it with the utterances it is computed from). Strict models:
the LLM backend's answer is validated against the same classes the offline path fills, so both return one
schema. Fields a call does not mention stay null; nothing is invented.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["lite", "pro"]
CallType = Literal["retention", "sales", "support", "billing", "complaint", "other"]
CallOutcome = Literal["resolved", "partial", "escalated", "unresolved"]
CustomerSentiment = Literal["positive", "neutral", "negative", "mixed"]
AgentPerformance = Literal["excellent", "good", "fair", "poor"]
PiiType = Literal[
    "PERSON", "PHONE_NUMBER", "EMAIL", "CREDIT_CARD", "CARD_CVV", "CARD_EXPIRY", "SSN", "IBAN",
    "BANK_ACCOUNT", "DATE_OF_BIRTH", "IP_ADDRESS",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Customer(_Strict):
    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None


class Agent(_Strict):
    name: str | None = None
    department: str | None = None
    agent_id: str | None = None


class Financial(_Strict):
    payment_today: str | None = Field(default=None, description="Decimal string, e.g. '49.99'.")
    recurring_amount: str | None = None
    pending_balance: str | None = None
    payment_method: str | None = None
    billing_date: str | None = Field(default=None, description="As said in the call, e.g. 'the 15th'.")


class Compliance(_Strict):
    recording_disclosure: bool = False
    sensitive_data_shared: list[PiiType] = Field(default_factory=list, description="Types only, never values.")


class Sentiment(_Strict):
    customer_sentiment: CustomerSentiment
    agent_performance: AgentPerformance
    customer_score: float = Field(ge=-1.0, le=1.0, description="Mean VADER compound of the customer's turns.")


class AiAnalysis(_Strict):
    level: Level
    backend: Literal["offline", "llm"] = "offline"
    transcript_cleaned: str
    speaker_roles: dict[str, str] = Field(default_factory=dict, description="Diarization label → role shown.")
    call_summary: str | None = None
    call_type: CallType | None = None
    call_outcome: CallOutcome | None = None
    customer: Customer | None = None
    agent: Agent | None = None
    financial: Financial | None = None
    compliance: Compliance | None = None
    sentiment: Sentiment | None = None
    key_issues: list[str] | None = None
    action_items: list[str] | None = None
    agreements: list[str] | None = None
    warnings: list[str] = Field(default_factory=list)
