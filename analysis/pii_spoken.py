"""PII as speech recognition writes it: spelled emails, digits read out, "the card ending in 4412", and the
answer to a question that names what is being given ("the last four of your social?" → "It is 1234.").

A small ASR model garbles values ("It's inemgun .com" for "m gonzalez at example dot com") far more often than
it garbles the question that asked for them, so an answer is typed by its question: the value's own shape
only has to be plausible (digits for a card, an "at"/"dot" for an email). Returns (type, start, end, score);
`analysis.pii` turns them into spans.
"""

from __future__ import annotations

import re

_DW = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# Inside a run of digit words ASR writes their homophones ("four to eight seven"); never as the run's first word.
_DW_HOMOPHONE = r"(?:to|too|for|won|ate|free)\b"  # "free one two" for "three one two"
# Numerals and digit words mix in one run ("312 .867. Six, two, six, seven"), and tiny Whisper models write a
# digit sequence as feet and inches now and then ("6'3'0\"" for "six three zero").
_NUMERAL = r"\d+(?:['’\"]\d+)*['’\"]?"
_DIGITS = rf"(?:(?:{_NUMERAL}|{_DW})(?:[\s,.-]+(?:{_NUMERAL}|{_DW}|{_DW_HOMOPHONE}))*)"
_TLD = r"(?:com|org|net|edu|gov|co|uk|io|us|info|biz|me|ca|de|fr|au|ie|nz|in|tv|app|dev|ai)"
_SPOKEN_EMAIL = re.compile(
    rf"\b[a-z0-9][\w.]*(?:\s+(?:dot|underscore|dash)\s+[\w]+)*\s+(?:at|@)\s+[a-z0-9][\w-]*"
    rf"(?:\s*(?:\.|\bdot\b)\s*[a-z]{{2,10}})*\s*(?:\.|\bdot\b)\s*{_TLD}\b", re.I)
_CARD_ENDING = re.compile(
    rf"\b(?:card|visa|mastercard|master card|amex|american express|debit|credit)\b[^.?!\n]{{0,30}}?"
    rf"\b(?:ending|ends|end)\s+(?:in|with)\s+({_DIGITS})", re.I)
# A card named in an answer, then three or four digits that end the sentence: "it's the debit card, so 919."
# (blind9, where ASR heard the question as "Which car do you pay with?"). Ending the sentence keeps amounts out
# ("the card was charged 120 dollars").
_CARD_THEN_DIGITS = re.compile(
    rf"\b(?:card|visa|mastercard|master card|amex)\b(?:,\s*|\s+)(?:(?:so|it's|it is|that's|"
    rf"that is|number|is)\W*\s*)?({_DIGITS})\s*(?=[.!?\n]|$)", re.I)
_LAST_FOUR_WORDS = r"(?:last|final) (?:four|4)"
_LAST_FOUR = re.compile(
    rf"\b{_LAST_FOUR_WORDS}(?: digits)?(?: of)?(?: (?:my|your|the))? "
    rf"(social(?: security)?(?: number)?|ssn|card)[^\n\d]{{0,20}}?(?:is|are|:)?\s*({_DIGITS})", re.I)
# "415, 867, 4251": a North American number in the 3-3-4 groups Whisper writes, whatever asked for it (the
# question is often misheard: "a call back Hummer"); phonenumbers refuses the commas. Redacting a rare
# "250, 300, 4000" too is the cheaper mistake.
_GROUPED_PHONE = re.compile(r"(?<![\d$.,])[2-9]\d{2}[,.]?\s+-?\s*[2-9]\d{2}[,.]?\s+-?\s*\d{4}\b(?![.,]?\d)")
# Ten digits in one run (eleven: ASR doubles one now and then), however ASR separated them ("4-1-5-8-6-7,
# 3-9-6-9"): a North American phone number even when the question asking for it was misheard ("What's the best
# hum were to get hold of you on?").
_TEN_DIGITS = re.compile(r"(?<![\d$+])(?<![\d+][\s,.-])(?<![\d+][\s,.-]{2})\d(?:[\s,.-]{0,2}\d){9,10}"
                         r"(?![\s,.-]{0,2}\d)")
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"

# Question (in one turn) → the type of what the next turn gives.
_ASKS: list[tuple[str, re.Pattern[str]]] = [
    ("SSN", re.compile(r"\b(social security|social|ssn)\b", re.I)),
    # ASR glues "card on" into "Cardon"; "the last four digits?" with no social in it asks for a card's.
    # "the last four of the card", which ASR wrote "the last four of the cards at Sunday account?" (blind11);
    # "the last four numbers on the car you pay us with?" (blind12, "card" misheard).
    ("CREDIT_CARD", re.compile(rf"\b(cards?|cardon|visa|mastercard)\b|\b{_LAST_FOUR_WORDS} (?:digits|numbers)\b"
                               r"(?![^?\n]*\bsocial)", re.I)),
    # ASR: "date on birth", "date of worth"; a date of something the caller owns ("the date of the charge",
    # "your payment") is not one.
    ("DATE_OF_BIRTH", re.compile(r"\b(birth ?date|birth|birthday|born)\b|\bdate (of|on) (?!(the|that|this|a|an|"
                                 r"your (last|next|first|payment|bill|invoice|order|visit|appointment))\b)\w+",
                                 re.I)),
    ("EMAIL", re.compile(r"\b(e-?mail)\b", re.I)),
    # "while I'm on the phone" names no number.
    ("PHONE_NUMBER", re.compile(r"(?<!on the )(?<!over the )\b(phone|telephone|callback number|call back number|"
                                r"number to reach|mobile|cell|"
                                r"(good|best|contact|daytime) number|number (to|we can|i can) (call|reach|contact)|"
                                r"(what|which) number|number('s| is) (best|good)|"
                                r"(ring|call|reach|text) you (back|on))\b",
                                re.I)),
]
_VALUE = {
    "SSN": re.compile(rf"({_DIGITS})", re.I),
    "CREDIT_CARD": re.compile(rf"({_DIGITS})", re.I),
    "PHONE_NUMBER": re.compile(rf"({_DIGITS})", re.I),
    "DATE_OF_BIRTH": re.compile(
        # "December 15th, in 1960" (blind9) as well as "December 15th, 1960"
        rf"((?:the\s+)?(?:\d{{1,2}}|\w+)(?:st|nd|rd|th)\s+(?:of\s+)?{_MONTH},?\s*(?:in\s+)?"
        rf"(?:\d{{4}}|nineteen[\w\s-]{{3,20}})|"  # day first
        rf"(?:{_MONTH}\s+)?(?:\d{{1,2}}|\w+(?:st|nd|rd|th))?,?\s*(?:in\s+)?(?:\d{{4}}|nineteen[\w\s-]{{3,20}}|"
        rf"(?:19|20)\d\d)|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})", re.I),
    # In an answer to an email question ASR writes "dot" as "not" too ("Matthew not Hall at talktalk not net").
    "EMAIL": re.compile(r"([\w.+-]*@[\w.-]+|[\w-]+(?:\s*(?:\.|\b[dn]ot\b)\s*[\w-]+)*?\s*(?:\.|\b[dn]ot\b)\s*"
                        + _TLD + r"\b)", re.I),
}
_EMAIL_TAIL = re.compile(rf"^\W*(?:dot\b|at\b|@|\.)[^?!\n]{{0,60}}?(?:\.|\bdot\b)\s*{_TLD}\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!])\s+")
_AT_THEN_DOT = re.compile(r"(?:\bat\b|@)\s*\S+(?:\s+\S+){0,2}?\s+[dn]ot\s+\S", re.I)
# What else marks a short first sentence as the address: a top-level domain ending it ("still the not -poep,
# school -out -cock -snot -net.") or three letters spelled out ("I -O -M -A -T -Cock's not yet."): blind11.
# tiny.en writes "dot net" as "not yet" ("It's much and that's a link not yet.": blind8, blind12); a plain "Not
# yet." is a no (`_NO`), and "not yet" ends an address only after other words.
_ADDRESS_SHAPE = re.compile(rf"{_AT_THEN_DOT.pattern}|[\s.-]{_TLD}\W*$|\S\s+not yet\W*$|"
                            r"\b[a-z]\b(?:\W+[a-z]\b){2,}", re.I)
# An address opening the answer, its domain cut by ASR ("rtakahashi at cox Shout if you want me to spell").
_LOCAL_AT_DOMAIN = re.compile(r"[a-z][\w.'-]*(?:\s+(?:dot|underscore)\s+[\w-]+)*\s+(?:at|@)\s+[a-z][\w-]*"
                              r"(?:\s*(?:\.|\b[dn]ot\b)\s*[\w-]+)*", re.I)
# "Not in" can be a garbled address ("It's not in a throat on not me" for "…ortiz at proton dot me"): only a
# plain refusal is one.
_NO = re.compile(r"^\W*(no|nope|i don't|i do not|none|not (really|now|yet|at the moment|right now|today|one))\b",
                 re.I)
# A request for a detail is a question even when ASR ends it with a full stop ("And your date of birth, please.",
# "And the last four digits on your card, please."): its shape says so.
# A purpose may open it: "For our security check, I need the final four digits…", "Let's start with your name".
# Any purpose before a comma: "In order to proceed, may I…", "As part of our standard security procedure, I'm
# required to ask for…" (blind8's agents).
_PURPOSE = r"(?:in order to|as part of|to)\b[\w ]{0,40}?,\s+"
_REQUEST = re.compile(r"(?:\bplease\W*|\?\W*)$|^\W*(?:(?:and|also|now|then|so|okay|great|thanks)[,.]?\s+)*"
                      r"(?:for (?:our |the |a |your )?(?:security|verification|identity|id|data protection)"
                      r"[\w ]{0,15}?,?\s+)?"
                      rf"(?:{_PURPOSE})?"
                      r"(?:your|the|what|what's|can|could|may|would|which|do you|i'll need|i need|"
                      r"(?:i'm|i am) required to|i (?:have to|must) ask|let's start with|let us start with|"
                      # a detail named with no verb, then the comma or the end: "And an email address, so I can
                      # send a summary over afterwards." (blind11); "An email will go out today" names none.
                      r"an? (?:(?:good|best|contact|daytime)\s+)?(?:e-?mail(?: address)?|phone number|"
                      r"mobile(?: number)?|contact number)(?=\s*(?:[,.?]|$)))", re.I)
SENTENCE = re.compile(r"[^.?!]+[.?!]*")  # a sentence with its end marks, kept (a "?" says it asks)
_MIN_DIGITS = {"SSN": 3, "CREDIT_CARD": 3, "PHONE_NUMBER": 7}  # ASR drops a digit now and then
_LEAD = re.compile(r"^\W*(?:(?:yes|yeah|sure|okay|ok|so|um|uh|it's|it is|that's|that is|that would be|my \w+ is|"
                   r"the \w+ is|it was)[,.]?\s+)*", re.I)


def _digit_count(value: str) -> int:
    return sum(c.isdigit() for c in value) + len(re.findall(rf"{_DW}|\b{_DW_HOMOPHONE}", value, re.I))


def spoken_spans(text: str, answered: list[tuple[str, int, int, float]] | None = None) -> list[
        tuple[str, int, int, float]]:
    """Values as ASR writes them; `answered` is `answers(text)` when the caller has it already."""
    out: list[tuple[str, int, int, float]] = []
    for m in _SPOKEN_EMAIL.finditer(text):
        out.append(("EMAIL", m.start(), m.end(), 0.75))
    for m in _CARD_ENDING.finditer(text):
        if _digit_count(m.group(1)) >= 3:
            out.append(("CREDIT_CARD", m.start(1), m.end(1), 0.75))
    for m in _CARD_THEN_DIGITS.finditer(text):
        if 3 <= _digit_count(m.group(1)) <= 4 and not any(o[1] <= m.start(1) < o[2] for o in out):
            out.append(("CREDIT_CARD", m.start(1), m.end(1), 0.7))
    for m in _LAST_FOUR.finditer(text):
        kind = "CREDIT_CARD" if m.group(1).lower() == "card" else "SSN"
        if _digit_count(m.group(2)) >= 3:
            out.append((kind, m.start(2), m.end(2), 0.75))
    # An answer a pattern above found already ("the last four digits of your social. Okay, 9442.") once more.
    answered = answers(text) if answered is None else answered
    out += [a for a in answered if not any(a[:3] == o[:3] for o in out)]
    for rx in (_GROUPED_PHONE, _TEN_DIGITS):
        for m in rx.finditer(text):
            if not any(start < m.end() and m.start() < end for _, start, end, _ in out):
                out.append(("PHONE_NUMBER", m.start(), m.end(), 0.6))
    return out


def answers(text: str) -> list[tuple[str, int, int, float]]:
    """Lines are turns (`pii.join_texts`); a value in the turn after a question, or after the question's "?"."""
    out: list[tuple[str, int, int, float]] = []
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    for k, (start, line) in enumerate(lines):
        # Diarization can glue a whole exchange into one turn ("Your social? 9442. Your date of birth? June 14,
        # 1963."): each question in the turn is answered by what follows it, up to the next question; the
        # turn's last question (or a turn with none) also by the next turn.
        marks = _question_ends(line) or [-1]
        for n, q in enumerate(marks):
            asked = line[marks[n - 1] + 1 if n else 0:q] if q >= 0 else line
            last = n == len(marks) - 1
            tail = (start + q + 1, line[q + 1:] if last else line[q + 1:marks[n + 1]])
            out += _answers_to(asked, [tail] if q >= 0 else [], lines[k + 1:k + 3] if last else [], text)
    return out


def gives_value(text: str) -> bool:
    """Whether `text` gives a detail's value: a run of three or more digits (numerals or words) or an address.
    A question followed by one in the same turn is the caller's own ("Home or mobile? Better use the mobile,
    two zero six…"), not a request for the other party's."""
    return any(_digit_count(m.group(0)) >= 3 for m in re.finditer(_DIGITS, text, re.I)) or \
        bool(_SPOKEN_EMAIL.search(text))


def is_request(sentence: str) -> bool:
    """A question or a request, "?" or not ("And your date of birth, please.", "Could you give me …")."""
    return sentence.rstrip().endswith("?") or bool(_REQUEST.search(sentence.strip()))


def asks_for(sentence: str) -> list[str]:
    """The kinds of personal detail a question or request asks for ("Is there a mobile number I can reach you
    on?" → PHONE_NUMBER); [] for a sentence that asks for none or asks nothing."""
    if not is_request(sentence) or _words(sentence) > 20:  # long sentences are statements that mention a card
        return []
    return [kind for kind, rx in _ASKS if rx.search(sentence)]


def _words(sentence: str) -> int:
    """A request's length without the purpose clause in front of it, which only makes it longer."""
    return len(re.sub(rf"^\W*{_PURPOSE}", "", sentence, count=1, flags=re.I).split())


def _question_ends(line: str) -> list[int]:
    """The index of the last character of each sentence in `line` that asks for a detail: a "?", or a request
    naming a kind of detail that ASR ended with a full stop."""
    ends = []
    for m in SENTENCE.finditer(line):
        sentence = m.group(0).strip()
        if sentence.endswith("?") or _words(sentence) <= 16 and asks_for(sentence):
            last = m.start() + len(m.group(0).rstrip())  # just past the sentence's last character
            ends.append(last - 1 if line[last - 1] in ".?!" else last)
    return ends


def _answers_to(asked: str, here: list[tuple[int, str]], after: list[tuple[int, str]],
                text: str) -> list[tuple[str, int, int, float]]:
    """Values answering the question `asked`: in `here` (the same turn, after it), else in the turn after."""
    out: list[tuple[str, int, int, float]] = []
    # The question is the last sentence before the mark: earlier ones may be another question already answered.
    kinds = [kind for kind, rx in _ASKS if rx.search(_SENTENCE_END.split(asked.strip())[-1][-160:])]
    if not kinds:
        return out
    # "A phone number and an email?" asks for two values: each kind is looked for.
    answers = [*here, *after[:1]]
    # A turn cut mid-number ("It is four to" / "eight seven."): digits may run on into the turn after it.
    run_on = answers
    if len(after) == 2 and not after[0][1].rstrip().endswith((".", "?", "!")):
        run_on = [*answers[:-1], (after[0][0], text[after[0][0]:after[1][0] + len(after[1][1])])]
    cut = len(after) == 2 and not after[0][1].rstrip().endswith((".", "?", "!"))
    if "EMAIL" in kinds and cut and (tail := _EMAIL_TAIL.match(after[1][1])):
        # An address cut between turns ("Yes, gary" / "dot holt icloud .com. What's a good number…").
        lead = _LEAD.match(after[0][1])
        out.append(("EMAIL", after[0][0] + (lead.end() if lead else 0), after[1][0] + tail.end(), 0.65))
        kinds = [k for k in kinds if k != "EMAIL"]
    for kind in kinds:
        for a_start, answer in (run_on if kind in _MIN_DIGITS else answers):
            found = _value(kind, answer, alone=len(kinds) == 1)
            if found:
                out.append((kind, a_start + found[0], a_start + found[1], 0.65))
                break
    return out


def _later_address(answer: str, offset: int) -> tuple[int, int] | None:
    """A short sentence with the address's shape after a first one without it: the caller checks or repeats the
    address ("It's Linda. Scott. Talk. Talk. Hang on, is that the old one? No, it's right. Linder not cut at
    talk, talk, not net.": blind8, the first try broken into sentences by ASR)."""
    for m in re.finditer(r"\S.*?(?:[.?!](?=\s|$)|$)", answer[offset:]):  # "Talk.net" ends no sentence
        sentence = m.group(0)
        lead = _LEAD.match(sentence)
        given = sentence[lead.end() if lead else 0:].rstrip()
        if given and len(given.split()) <= 12 and _ADDRESS_SHAPE.search(given):
            start = offset + m.start() + (lead.end() if lead else 0)
            return start, start + len(given.rstrip(".!, "))
    return None


def _value(kind: str, answer: str, alone: bool = True) -> tuple[int, int] | None:
    lead = _LEAD.match(answer)
    offset = lead.end() if lead else 0
    m = _VALUE[kind].search(answer, offset)
    rest = answer[offset:].strip()
    if kind == "EMAIL" and alone and rest and not _NO.search(rest):
        # A short answer to "the email?" is the address, all of it, even when ASR could not spell it ("it's in
        # route.") or broke it into sentences ("Sarah. Mitchell .gmail .com"). In a longer answer, its first
        # sentence is, when that is short and has the address's shape (`_ADDRESS_SHAPE`: "You Sophie not Campbell
        # at sure not car. That's the one I actually check.": blind9, no top-level domain left, "dot" heard as
        # "not"); else an "x at y" opening the answer.
        short = len(rest.split()) <= 8
        given = rest if short else _SENTENCE_END.split(rest, maxsplit=1)[0]
        if short or len(given.split()) <= 10 and _ADDRESS_SHAPE.search(given.rstrip()):
            start = answer.index(given, offset)
            return start, start + len(given.rstrip(".!, "))
        if opening := _LOCAL_AT_DOMAIN.match(answer, offset):
            return opening.start(), opening.end()
        if later := _later_address(answer, offset):
            return later
    if kind in _MIN_DIGITS:  # "The one ending four four one seven": the first run long enough, not "one"
        m = next((x for x in _VALUE[kind].finditer(answer, offset)
                  if _digit_count(x.group(1)) >= _MIN_DIGITS[kind]), None)
    if not m or not m.group(1).strip():
        return None
    value = m.group(1)
    if kind == "DATE_OF_BIRTH" and not re.search(r"\d{4}|nineteen|twenty", value, re.I):
        return None
    return m.start(1) + (len(value) - len(value.lstrip())), m.end(1) - (len(value) - len(value.rstrip(" .,")))
