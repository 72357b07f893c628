"""Optional LLM backend: any OpenAI-compatible chat endpoint returns the pro fields as JSON.

The answer is validated against the same pydantic models the offline path fills; anything else (HTTP error,
timeout, prose instead of JSON, a field out of its vocabulary) raises `LlmError` and the caller falls back to
the offline analysis. The transcript sent is the one the job may show (redacted when the job asked for it).
"""

from __future__ import annotations

import json
import re

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, create_model

from analysis.schema import AiAnalysis


class LlmSettings(BaseModel):
    base_url: str = Field(description="e.g. https://api.openai.com/v1 or a local vLLM/ollama /v1 endpoint")
    model: str
    api_key: SecretStr | None = None
    timeout_s: float = 60.0
    max_transcript_chars: int = 60_000


# The fields the model must return: AiAnalysis's own, so their types cannot drift apart (all optional here).
PRO_FIELDS = ("call_summary", "call_type", "call_outcome", "customer", "agent", "financial", "compliance",
              "sentiment", "key_issues", "action_items", "agreements")
LlmAnswer = create_model(
    "LlmAnswer", __config__=ConfigDict(extra="ignore"),
    **{name: (AiAnalysis.model_fields[name].annotation, None) for name in PRO_FIELDS},
)


class LlmError(RuntimeError):
    pass


_SYSTEM = (
    "You analyse contact-centre call transcripts. Reply with one JSON object only, with these keys: "
    "call_summary (string), call_type (retention|sales|support|billing|complaint|other), "
    "call_outcome (resolved|partial|escalated|unresolved), customer {name, company, email, phone}, "
    "agent {name, department, agent_id}, financial {payment_today, recurring_amount, pending_balance, "
    "payment_method, billing_date} (amounts as decimal strings like \"49.99\"), compliance {recording_disclosure "
    "(bool), sensitive_data_shared (list of types among PERSON, PHONE_NUMBER, EMAIL, CREDIT_CARD, CARD_CVV, "
    "CARD_EXPIRY, SSN, IBAN, BANK_ACCOUNT, DATE_OF_BIRTH, IP_ADDRESS; types only, never values)}, sentiment "
    "{customer_sentiment (positive|neutral|negative|mixed), agent_performance (excellent|good|fair|poor), "
    "customer_score (-1..1)}, key_issues (list), action_items (list), agreements (list). Use null for anything "
    "the call does not state; never invent values."
)


class LlmBackend:
    def __init__(self, settings: LlmSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        headers = {"Authorization": f"Bearer {settings.api_key.get_secret_value()}"} if settings.api_key else {}
        self._client = client or httpx.Client(timeout=settings.timeout_s)
        self._headers = headers

    def analyse(self, transcript: str) -> BaseModel:
        body = {
            "model": self.settings.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": _SYSTEM},
                {"role": "user", "content": transcript[: self.settings.max_transcript_chars]},
            ],
        }
        url = self.settings.base_url.rstrip("/") + "/chat/completions"
        try:
            resp = self._client.post(url, json=body, headers=self._headers)
            resp.raise_for_status()
            content = resp.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise LlmError(f"llm request failed: {type(exc).__name__}") from exc
        try:
            return LlmAnswer.model_validate(json.loads(_strip_fences(content)))
        except (ValueError, ValidationError) as exc:
            raise LlmError(f"llm answer invalid: {type(exc).__name__}") from exc

    def close(self) -> None:
        self._client.close()


def _strip_fences(content: str) -> str:
    m = re.search(r"```(?:json)?\s*(.*?)```", content, re.S)
    return m.group(1) if m else content
