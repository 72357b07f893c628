"""A labelled set of synthetic contact-centre calls: every call type × outcome, planted PII of every kind.

Deterministic (seeded). Phrasings vary per call (several banks per part, random names, amounts, number formats,
who speaks first, which diarization label is the agent). The phrase banks were written apart from the
classifier's label descriptions and cues (analysis/classify.py), but by the same hand: treat the figures as a
regression check, not as accuracy on real calls.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from analysis.schema import Utterance

TYPES = ["retention", "sales", "support", "billing", "complaint", "other"]
OUTCOMES = ["resolved", "partial", "escalated", "unresolved"]
FIRST = ["Maria", "James", "Aisha", "Tom", "Priya", "Daniel", "Sofia", "Kevin", "Elena", "Marcus", "Hannah", "Luis",
         "Grace", "Omar", "Chloe", "Victor", "Nadia", "Ethan", "Ruth", "Samuel"]
LAST = ["Lopez", "Carter", "Khan", "Becker", "Patel", "Okafor", "Rossi", "Nguyen", "Walsh", "Fischer", "Morgan",
        "Silva", "Kowalski", "Haddad", "Brennan", "Tanaka"]
COMPANIES = ["Northwind Telecom", "Bluewave Internet", "Crestline Energy", "Harbor Mobile", "Summit Insurance",
             "Maple Streaming"]
DEPTS = ["billing department", "technical support team", "customer care team", "retention team", "sales team"]
AREAS = ["212", "312", "415", "617", "646", "702", "305", "206", "503", "718"]
DIG = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@dataclass
class LabelledCall:
    id: str
    call_type: str
    outcome: str
    utterances: list[Utterance]
    planted: list[tuple[str, str]] = field(default_factory=list)  # (type, value as it appears in the text)
    agent_label: str = "SPEAKER_00"
    expect: dict[str, str | None] = field(default_factory=dict)


def _luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    for check in range(10):
        digits, total = body + str(check), 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch)
            if i % 2:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        if total % 10 == 0:
            return digits
    raise AssertionError


def _phone(rng: random.Random) -> str:
    a, b, c = rng.choice(AREAS), rng.randrange(201, 989), rng.randrange(1000, 9999)
    fmt = rng.randrange(5)
    if fmt == 0:
        return f"{a}-{b}-{c}"
    if fmt == 1:
        return f"({a}) {b}-{c}"
    if fmt == 2:
        return f"{a}.{b}.{c}"
    if fmt == 3:
        return f"+1 {a} {b} {c}"
    return " ".join(DIG[int(d)] for d in f"{a}{b}{c}")  # as ASR writes a spelled-out number


def _card(rng: random.Random) -> str:
    digits = _luhn_complete(rng.choice(["4", "51", "55", "37"]), 15 if False else 16, rng)
    sep = rng.choice([" ", "-", " "])
    return sep.join(digits[i:i + 4] for i in range(0, 16, 4))


def _ssn(rng: random.Random) -> str:
    return f"{rng.randrange(101, 665)}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}"


IBANS = ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606"]
MONTHS = ["January", "March", "April", "June", "August", "October", "November", "December"]

REASONS = {
    "retention": ["I'd like to cancel my service, it's just gotten too expensive for us.",
                  "I'm planning to switch to another company, they quoted me a lot less.",
                  "Honestly I want to stop my subscription at the end of this month.",
                  "Please shut down my account, we're moving and won't need it."],
    "sales": ["I saw the new fiber plan advertised and I'd like to get it.",
              "I'm looking at adding a second phone line, how much would that be?",
              "We'd like to buy the family bundle for our new house.",
              "I'm interested in your premium tier, can you tell me what it includes?"],
    "support": ["My internet keeps dropping every few minutes since yesterday.",
                "I can't get into the app, it just says invalid password even after I reset it.",
                "The TV box shows a black screen with error code 42.",
                "My phone has no signal at home, it just says emergency calls only."],
    "billing": ["There are two identical charges on my statement this month.",
                "My bill jumped by twenty dollars and I don't know why.",
                "I want to set up automatic payments and clear what I owe.",
                "I got an invoice for a late fee but I paid on time."],
    "complaint": ["I need to report how badly I was treated by your technician, he was rude and walked out.",
                  "This is the fourth time I'm calling and every time I get cut off, this is ridiculous.",
                  "Your driver threw my package over the fence and it arrived smashed, I'm really angry.",
                  "The staff at your store were dismissive and made me wait two hours, it was awful."],
    "other": ["Hi, what time does your Main Street shop close on Saturdays?",
              "Oh, sorry, I was trying to reach the dentist, I must have the wrong number.",
              "Someone from this number tried to reach me and I'm not sure what it was about.",
              "Is there a branch of yours anywhere near the airport?"],
}
BODIES = {
    "retention": [("agent", "I'm sorry to hear that. If you stay, I can offer you {pct} percent off, so you'd pay ${amt} a month."),
                  ("customer", "Hmm, I'm still not sure it's worth it."),
                  ("agent", "I understand. You've been with us for {years} years and I'd hate to lose you.")],
    "sales": [("agent", "Great choice. That plan is ${amt} per month and includes unlimited data."),
              ("customer", "Okay, and is there a setup fee?"),
              ("agent", "There's a one-time activation of ${fee} that we'd charge today on your {method}.")],
    "support": [("agent", "Let's take a look. Can you unplug the device, wait thirty seconds and plug it back in?"),
                ("customer", "Okay, done. The light is blinking orange now."),
                ("agent", "Thanks. I'm running a line test from my side, it shows packet loss on your line.")],
    "billing": [("agent", "Let me pull up your account. I see a balance of ${bal} outstanding."),
                ("customer", "Right, and I'd like to pay ${pay} of that today with my {method}."),
                ("agent", "Sure. Your monthly plan is ${amt} a month and you're billed on the {day} of each month.")],
    "complaint": [("agent", "I'm really sorry about that experience, that's not how we want anyone treated."),
                  ("customer", "I've been a customer for years and I've never been this disappointed."),
                  ("agent", "I completely understand your frustration and I've written down everything you told me.")],
    "other": [("agent", "Sure, let me check that for you."),
              ("customer", "Thanks, I appreciate it."),
              ("agent", "Okay, I have the information in front of me now.")],
}
CLOSINGS = {
    "resolved": [[("agent", "Alright, I've taken care of it and it's all done on my side now. Could you check?"),
                  ("customer", "Yes, that worked perfectly, thank you so much for your help."),
                  ("agent", "You're very welcome. Have a great day!")],
                 [("agent", "Okay, that's been sorted out and you'll receive a confirmation email shortly."),
                  ("customer", "Perfect, that's exactly what I needed. Thanks!")]],
    "partial": [[("agent", "I was able to fix part of it today, but the rest needs a technician visit, so I'll book a follow-up appointment."),
                 ("customer", "Okay, at least something is moving. I'll wait for that.")],
                [("agent", "I've applied a temporary credit for now, and the billing team will call you back to finish the adjustment."),
                 ("customer", "Alright, so it's half done. Fine, I'll wait for their call.")]],
    "escalated": [[("agent", "This is beyond what I can approve, so I'm going to transfer you to my supervisor now. Please hold."),
                   ("customer", "Okay, I'll hold.")],
                  [("agent", "I'll escalate this to our specialist team, a senior engineer will contact you within 24 hours."),
                   ("customer", "Fine, I hope they can actually do something.")]],
    "unresolved": [[("agent", "I'm sorry, unfortunately there's nothing more I can do about that from here."),
                    ("customer", "That's ridiculous. I'm not happy at all. Goodbye.")],
                   [("agent", "I'm afraid our policy doesn't let me change that."),
                    ("customer", "So it's still broken and you won't help. What a waste of my time.")]],
}


def _call(idx: int, call_type: str, outcome: str, rng: random.Random) -> LabelledCall:
    cust_name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    agent_first = rng.choice([n for n in FIRST if n not in cust_name])
    company = rng.choice(COMPANIES)
    email = f"{cust_name.split()[0].lower()}.{cust_name.split()[1].lower()}{rng.randrange(10, 99)}@{rng.choice(['gmail.com', 'outlook.com', 'example.org', 'mail.co.uk'])}"
    phone = _phone(rng)
    agent_is_00 = rng.random() < 0.6
    a, c = ("SPEAKER_00", "SPEAKER_01") if agent_is_00 else ("SPEAKER_01", "SPEAKER_00")
    turns: list[tuple[str, str]] = []
    planted: list[tuple[str, str]] = [("PERSON", cust_name), ("PERSON", agent_first)]
    disclose = rng.random() < 0.6
    if rng.random() < 0.15:
        turns.append(("customer", "Hello?"))
    greet = rng.choice([
        "Thank you for calling {co}, my name is {ag}. How can I help you today?",
        "Good morning, you've reached {co}, this is {ag} speaking. What can I do for you?",
        "Hi, thanks for calling {co}. I'm {ag} from the {dept}, how may I assist you?",
    ]).format(co=company, ag=agent_first, dept=rng.choice(DEPTS))
    if disclose:
        greet = rng.choice(["This call may be recorded for quality and training purposes. ",
                            "Just so you know, this call is being recorded. "]) + greet
    turns.append(("agent", greet))
    intro = rng.choice(["Hi, my name is {n}. {r}", "Hello, this is {n}. {r}", "Yes hi, {r} The account is under {n}.",
                        "Hi there. {r} My name's {n}."])
    turns.append(("customer", intro.format(n=cust_name, r=rng.choice(REASONS[call_type]))))
    turns.append(("agent", rng.choice(["Can I get the phone number on the account?",
                                       "Sure, could you confirm the phone number on file for me?",
                                       "No problem. What's the best phone number for the account?"])))
    turns.append(("customer", rng.choice(["It's {p}.", "Sure, {p}.", "Yeah, that would be {p}."]).format(p=phone)))
    planted.append(("PHONE_NUMBER", phone))
    turns.append(("agent", "Thank you. And the email address?"))
    turns.append(("customer", rng.choice(["It's {e}.", "{e}", "Sure, it's {e}, all lowercase."]).format(e=email)))
    planted.append(("EMAIL", email))
    extra = idx % 6  # one more kind of PII per call, rotating through them
    if extra == 0:
        ssn = _ssn(rng)
        turns += [("agent", "For verification, can you give me your social security number?"),
                  ("customer", f"Sure, it's {ssn}.")]
        planted.append(("SSN", ssn))
    elif extra == 1:
        month, day, year = rng.choice(MONTHS), rng.randrange(1, 28), rng.randrange(1950, 2000)
        dob = f"{month} {day}, {year}"
        turns += [("agent", "And your date of birth, please?"), ("customer", f"My date of birth is {dob}.")]
        planted.append(("DATE_OF_BIRTH", dob))
    elif extra == 2:
        iban = rng.choice(IBANS)
        turns += [("agent", "Which bank account should the refunds go to?"), ("customer", f"Use the IBAN {iban}.")]
        planted.append(("IBAN", iban))
    elif extra == 3:
        acct = str(rng.randrange(10_000_000, 99_999_999))
        turns += [("agent", "What's the bank account for the direct debit?"),
                  ("customer", f"The account number is {acct}.")]
        planted.append(("BANK_ACCOUNT", acct))
    elif extra == 4:
        ip = f"{rng.randrange(23, 200)}.{rng.randrange(0, 255)}.{rng.randrange(0, 255)}.{rng.randrange(1, 254)}"
        turns += [("agent", "Can you read me the IP address shown on the screen?"), ("customer", f"It says {ip}.")]
        planted.append(("IP_ADDRESS", ip))
    method = rng.choice(["Visa", "Mastercard", "debit card", "American Express"])
    amt, fee, bal, pay = rng.choice(["39.99", "54.50", "79", "120"]), rng.choice(["25", "49.99"]), \
        rng.choice(["180.40", "95", "310.25"]), rng.choice(["50", "75.25", "100"])
    day = rng.choice(["15th", "1st", "22nd", "3rd"])
    for who, line in BODIES[call_type]:
        turns.append((who, line.format(pct=rng.choice([20, 25, 30]), amt=amt, years=rng.randrange(2, 9), fee=fee,
                                       method=method, bal=bal, pay=pay, day=day)))
    expect: dict[str, str | None] = {"customer_name": cust_name, "email": email, "phone": phone, "agent_name": agent_first}
    if call_type == "billing":
        expect.update(pending_balance=f"{float(bal):.2f}", payment_today=f"{float(pay):.2f}",
                      recurring_amount=f"{float(amt):.2f}", payment_method=method, billing_date=f"the {day}")
    if call_type in ("billing", "sales") or idx % 5 == 0:
        card = _card(rng)
        cvv, exp = str(rng.randrange(100, 999)), f"{rng.randrange(1, 12):02d}/{rng.randrange(26, 31)}"
        turns += [("agent", "Go ahead with the card number when you're ready."),
                  ("customer", rng.choice(["It's {c}.", "Okay, {c}.", "The card number is {c}."]).format(c=card)),
                  ("agent", "And the expiration date and the security code on the back?"),
                  ("customer", f"Expiration {exp}, and the security code is {cvv}.")]
        planted += [("CREDIT_CARD", card), ("CARD_EXPIRY", exp), ("CARD_CVV", cvv)]
    for who, line in rng.choice(CLOSINGS[outcome]):
        turns.append((who, line))
    if rng.random() < 0.5:
        planted.append(("PERSON", cust_name.split()[0]))
        turns += [("agent", f"Is there anything else I can help you with, {cust_name.split()[0]}?"),
                  ("customer", "No, that's all. Bye.")]
    utts, t = [], 0.0
    for who, text in turns:
        dur = max(1.5, len(text.split()) * 0.38)
        utts.append(Utterance(speaker=a if who == "agent" else c, start=round(t, 2), end=round(t + dur, 2), text=text))
        t += dur + rng.uniform(0.2, 0.9)
    expect["recording_disclosure"] = "yes" if disclose else "no"
    return LabelledCall(f"call-{idx:03d}", call_type, outcome, utts, planted, a, expect)


def generate(n_per_cell: int = 2, seed: int = 7) -> list[LabelledCall]:
    """`n_per_cell` calls for each (type, outcome): 48 by default."""
    rng = random.Random(seed)
    calls, idx = [], 0
    for _ in range(n_per_cell):
        for ct in TYPES:
            for oc in OUTCOMES:
                calls.append(_call(idx, ct, oc, rng))
                idx += 1
    return calls


def long_call(minutes: float = 30.0, seed: int = 3) -> list[Utterance]:
    """A synthetic call of about `minutes`: labelled calls' turns repeated with shifted times (~150 wpm)."""
    rng = random.Random(seed)
    base = generate(1, seed)
    out: list[Utterance] = []
    t = 0.0
    while t < minutes * 60:
        call = rng.choice(base)
        for u in call.utterances[1:-1]:
            speaker = "SPEAKER_00" if u.speaker == call.agent_label else "SPEAKER_01"
            dur = len(u.text.split()) / 2.5
            out.append(Utterance(speaker=speaker, start=round(t, 2), end=round(t + dur, 2), text=u.text))
            t += dur + 0.4
    return out
