"""Per-field scores of an `AiAnalysis` against a `ScriptedCall`'s labels, and the table over many calls.

What counts as right (written down before tuning, kept fixed after):
- names: the prediction is the labelled name up to ASR spelling (similarity >= 0.8 on letters, case ignored),
  or its first name or surname alone ("Mrs. Schmidt"); a name where the label is None (never said) is wrong,
  and so is None for a name said;
- roles: each diarization label holding >= 15 % of the speech is mapped to the party it overlaps most in the
  synthesis timeline; right when every such label has that party's role;
- PII type recall: spoken sensitive types found in `compliance.sensitive_data_shared` / spoken types;
- no PII value: none of the spoken digit strings or email words appear anywhere in the redacted analysis;
- action items / agreements: present exactly when the call has a commitment / an accepted offer;
- customer name heard (a property of the transcript, not of the analysis): the labelled first name or surname
  is in what ASR wrote, by the same letter similarity. No text-reading analysis can give a name ASR did not
  write, so this is the ceiling for customer.name on audio.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from analysis.evaluation.callset import AGENT, ScriptedCall
from analysis.schema import AiAnalysis, Utterance

FIELDS = ["call_type", "call_outcome", "customer.name", "agent.name", "recording_disclosure", "roles",
          "pii_type_recall", "no_pii_value", "action_items", "agreements", "customer_name_heard"]


def _letters(s: str) -> str:
    return re.sub(r"[^a-z ]", "", s.lower()).strip()


def name_matches(predicted: str | None, expected: str | None) -> bool:
    if expected is None or predicted is None:
        return predicted is None and expected is None
    p, e = _letters(predicted), _letters(expected)
    if not p:
        return False
    p = re.sub(r"^(mr|mrs|ms|miss|dr) ", "", p)
    return SequenceMatcher(None, p, e).ratio() >= 0.8 or any(
        SequenceMatcher(None, p, part).ratio() >= 0.85 for part in e.split())


def name_heard(expected: str, utterances: list[Utterance]) -> bool:
    """The labelled name's first name or surname is one of the transcript's words (ASR spelling allowed)."""
    words = {w for u in utterances for w in _letters(u.text).split()}
    return any(SequenceMatcher(None, w, part).ratio() >= 0.85 for part in _letters(expected).split() for w in words)


def roles_right(call: ScriptedCall, agent_party: int, times: list[tuple[float, float]],
                utterances: list[Utterance], roles: dict[str, str]) -> bool:
    party_of_turn = [agent_party if who == AGENT else 1 - agent_party for who, _ in call.turns]
    per_label: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for u in utterances:
        if u.speaker is None:
            continue
        for (start, end), party in zip(times, party_of_turn):
            per_label[u.speaker][party] += max(0.0, min(end, u.end) - max(start, u.start))
    total = sum(sum(v) for v in per_label.values()) or 1.0
    checked = 0
    for label, (p0, p1) in per_label.items():
        if (p0 + p1) / total < 0.15:
            continue
        checked += 1
        party = 0 if p0 >= p1 else 1
        if roles.get(label) != ("Agent" if party == agent_party else "Customer"):
            return False
    return checked == 2


@dataclass
class CallScore:
    call: ScriptedCall
    right: dict[str, float] = field(default_factory=dict)  # field → 1.0 / 0.0 (recall: found / spoken)
    weight: dict[str, float] = field(default_factory=dict)  # field → denominator (spoken types for recall)
    got: dict[str, Any] = field(default_factory=dict)


def score(call: ScriptedCall, analysis: AiAnalysis, redacted: AiAnalysis | None = None,
          roles_ok: bool | None = None, utterances: list[Utterance] | None = None) -> CallScore:
    s = CallScore(call)

    def put(name: str, ok: bool, got: Any) -> None:
        s.right[name], s.weight[name], s.got[name] = float(ok), 1.0, got

    put("call_type", analysis.call_type == call.call_type, analysis.call_type)
    put("call_outcome", analysis.call_outcome == call.outcome, analysis.call_outcome)
    cname = analysis.customer.name if analysis.customer else None
    aname = analysis.agent.name if analysis.agent else None
    put("customer.name", name_matches(cname, call.customer_name), cname)
    put("agent.name", name_matches(aname, call.agent_name), aname)
    disclosed = bool(analysis.compliance and analysis.compliance.recording_disclosure)
    put("recording_disclosure", disclosed == call.recording_disclosure, disclosed)
    if roles_ok is not None:
        put("roles", roles_ok, analysis.speaker_roles)
    found = set(analysis.compliance.sensitive_data_shared) if analysis.compliance else set()
    if call.pii_types:
        hit = len(call.pii_types & found)
        s.right["pii_type_recall"], s.weight["pii_type_recall"] = float(hit), float(len(call.pii_types))
        s.got["pii_type_recall"] = sorted(found)
    if redacted is not None:
        dump = json.dumps(redacted.model_dump()).lower()
        # Digits anywhere (a value may sit inside a longer run); a word as a word ("ames" is not in "names").
        leaked = [v for v in call.pii_digits if v in dump] + \
            [w for w in call.pii_words if re.search(rf"\b{re.escape(w.lower())}\b", dump)]
        put("no_pii_value", not leaked, leaked)
    put("action_items", bool(analysis.action_items) == call.commitment, analysis.action_items)
    put("agreements", bool(analysis.agreements) == call.agreement, analysis.agreements)
    if utterances is not None and call.customer_name:
        put("customer_name_heard", name_heard(call.customer_name, utterances), None)
    return s


def table(scores: list[CallScore], parts: dict[str, list[CallScore]]) -> str:
    """Per-field accuracy for each named part, one column each."""
    names = list(parts)
    lines = [f"{'field':<22}" + "".join(f"{n:>18}" for n in names)]
    for f in FIELDS:
        cells = []
        for n in names:
            right = sum(c.right.get(f, 0.0) for c in parts[n])
            weight = sum(c.weight.get(f, 0.0) for c in parts[n])
            cells.append(f"{right / weight:.3f} ({right:.0f}/{weight:.0f})" if weight else "-")
        lines.append(f"{f:<22}" + "".join(f"{c:>18}" for c in cells))
    return "\n".join(lines)


def accuracy(scores: list[CallScore], name: str) -> float:
    weight = sum(c.weight.get(name, 0.0) for c in scores)
    return sum(c.right.get(name, 0.0) for c in scores) / weight if weight else float("nan")
