"""Domain context (VoxChron's `contextMode`): a bundled prompt and vocabulary per domain for faster-whisper.

A small model hears "voir dire" as "four deer" and "metoprolol" as "meta pro lol" because nothing in a general
recording makes the rare term likely. Whisper conditions each window on previous text; a short prompt in the
domain's register plus its terms makes them likely again. Both go into the `hotwords` string: faster-whisper
puts hotwords and `initial_prompt` into the same previous-text context (`get_prompt`: `sot_prev`, hotwords,
then prompt tokens), and hotwords is what the served ASR request (`ClipRequest`) carries to every clip, so no
Serve schema changes for it. The client's own vocabulary comes before the domain's terms: the hint string is
capped (`asr_hints`, ~800 characters), and what the client named is the more specific.

The lists are short on purpose (Whisper's prompt holds ~224 tokens): terms a general model gets wrong, not a
dictionary of the field.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from schemas.options import DomainName


class DomainContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    prompt: str
    terms: tuple[str, ...]


DOMAINS: dict[DomainName, DomainContext] = {
    "legal": DomainContext(
        prompt="Court hearing transcript.",
        terms=(
            "voir dire", "habeas corpus", "subpoena duces tecum", "amicus curiae", "res judicata", "estoppel",
            "tort", "deposition", "plaintiff", "defendant", "affidavit", "indemnification", "stare decisis",
            "certiorari", "mens rea", "pro bono", "Your Honor", "objection", "sustained", "overruled",
        ),
    ),
    "medical": DomainContext(
        prompt="Clinical consultation notes.",
        terms=(
            "metoprolol", "atorvastatin", "lisinopril", "metformin", "amoxicillin", "hypertension",
            "tachycardia", "bradycardia", "myocardial infarction", "dyspnea", "edema", "stenosis",
            "echocardiogram", "hemoglobin A1c", "CBC", "milligrams", "b.i.d.", "p.r.n.",
        ),
    ),
    "finance": DomainContext(
        prompt="Quarterly earnings call.",
        terms=(
            "EBITDA", "amortization", "accrual", "basis points", "year over year", "free cash flow",
            "guidance", "CAPEX", "OPEX", "SaaS", "ARR", "churn", "liquidity", "collateralized", "derivatives",
            "hedging", "tranche", "dividend", "SEC filing", "10-K",
        ),
    ),
}


def domain_vocabulary(domain: DomainName | None, vocabulary: list[str] | None) -> list[str]:
    """The hint phrases for a job: the domain's prompt, the client's vocabulary, then the domain's terms."""
    if domain is None:
        return list(vocabulary or [])
    context = DOMAINS[domain]
    return [context.prompt, *(vocabulary or []), *context.terms]
