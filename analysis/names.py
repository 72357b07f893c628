"""Who is called what: each name said in a call attributed to the party that owns it.

A name belongs to someone by how it is said, not by who says it:
- said about oneself ("my name is X", "this is X speaking", "X here", "you're speaking with X") → the speaker;
- given in answer to a name question ("can I get your full name?" → "It is Maria Gonzalez.") → the speaker;
- addressed to the other party ("Hi Daniel", "thanks Kevin", "anything else, Maria?", "am I speaking with X?",
  "Mr. X") → the other party.
A name no cue explains is the customer's only when the customer says it and nothing better is known (the weakest
evidence). Codes are not names: a tracking number "RL 44721" or a word in capitals never is one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from analysis.pii import PiiSpan
from analysis.pii_spoken import is_request
from analysis.schema import Utterance

_NAME = r"([A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+){0,2})"
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?"
_SELF = [
    # "my name, it is Beverly Washington", as a caller new to English may put it
    re.compile(r"(?i:\b(?:my|the) name(?:'s|,? (?:it |that )?is))\s+" + _NAME),
    re.compile(r"(?:^|[.!?]\s+)(?i:name's)\s+" + _NAME),  # "Name's Thanh Tran, if that helps."
    # "Minjun Choi is my name, and I'm ringing on my lunch break" (blind11)
    re.compile(r"(?:^|[.,!?]\s+)" + _NAME + r"(?i:\s+is my name|'s my name)\b"),
    re.compile(r"(?i:\bthis is|\bit's|\bit is|\bi'm|\bi am)\s+" + _NAME +
               r"(?=,?\s+(?i:speaking|here|calling|answering|from|with|at|on the line|on this end|and I)\b)"),
    # ASR writes "you're" as "your" now and then, and a pause as a comma ("you're speaking with, Tanya").
    re.compile(r"(?i:\byou(?:'re| are|r) (?:speaking|talking|through) (?:with|to)),?\s+" + _NAME),
    re.compile(r"(?i:\bthis is)\s+" + _NAME + r"(?=\s*[.,!]|$)"),  # "..., this is Brenda. How can I help?"
    re.compile(r"(?i:\bthis is)\s+" + _NAME + r"(?=\s+(?i:on the)\s)"),  # "This is Jules on the Acme customer desk."
    # "Kevin here" opening a sentence, or after a desk's name without a comma ("Bluewave customer care Kevin here")
    re.compile(r"(?:^|[.,!?]\s+|(?i:\b(?:care|service|services|support|team|desk|line|department))\s+)" + _TITLE
               + _NAME + r"\s+(?i:here|speaking|calling|answering)\b"),
    # "customer team, Leanne on the line": after a comma or a desk's name only, since a sentence may open with an
    # imperative ("Stay on the line").
    re.compile(r"(?:,\s+|(?i:\b(?:care|service|services|support|team|desk|line|department))[.,?!]?\s+)" + _NAME
               + r"\s+(?i:on the (?:line|phone))\b"),
    re.compile(r"(?i:^(?:hi|hello|hey|yes|yeah)?[,.!]?\s*(?:this is|it's))\s+" + _NAME + r"(?=[.,!]|$)"),
    # "I'm Omar, what can I help with?": a capitalised word after "I'm" ending its clause is a name ("I'm sorry"
    # and "I'm calling" are lower case; stop words and company words are dropped by clean_name).
    re.compile(r"(?i:\bi'm|\bi am)\s+" + _NAME + r"(?=\s*[.,!]|$)"),
    # "Hi, Bianca at Ironside Fitness", "Sam from Acme here": a name placed at the company it speaks for;
    # "you've got Luke", as British agents answer.
    re.compile(r"(?:^|[.,!?]\s+)(?i:(?:hi|hello|hey|morning|afternoon|evening)[,.!]?\s+)?" + _NAME
               + r"\s+(?:at|from|with)\s+(?=[A-Z])"),
    re.compile(r"(?i:\byou(?:'ve| have)? got)\s+" + _NAME + r"(?=\s*[.,!]|$)"),
]
_ADDRESSED = [
    re.compile(r"(?i:\b(?:hi|hiya|hello|hey|howdy|thanks|thank you|cheers|bye|goodbye|sorry|morning|afternoon|"
               r"evening)),?\s+"
               r"(?i:(?:there|again|so much|very much|dear),?\s+)?" + _NAME + r"(?=[.,!?]|$)"),
    re.compile(r"(?i:\bam i (?:speaking|talking) (?:with|to)|\bis this|\bis that|\bare you)\s+" + _NAME
               + r"(?=\s*[?.,]|$)"),
    re.compile(r"\b(?:Mr|Ms|Mrs|Miss|Mister)\.?\s+" + _NAME),
    re.compile(r",\s+" + _NAME + r"\s*[?!]"),
]
# A name asked back at the start of a party's first turn is the other party's, just heard ("Jules? Oh, that's
# lucky, I spoke to a Jules last time."); later in a call "Happy? I'm delighted." is no name. ASR often ends it
# with "," or "." ("Ravi. Oh, that's lucky."): that form counts in the caller's answer to the agent's greeting
# only, since an agent's own first words may be the firm's name ("Orbit Wireless, Brenda speaking").
_NAME_ECHOED = re.compile(r"^\W*" + _NAME + r"\?")
_NAME_ECHOED_ASR = re.compile(r"^\W*" + _NAME + r"[?.,!](?=\s)")
# "a chap called Gareth told me…": someone else, neither party.
_THIRD_PARTY = re.compile(r"(?i:\b(?:chap|guy|man|woman|lady|bloke|fellow|gentleman|girl|lad|someone|somebody|"
                          r"person|colleague|manager|engineer|technician|driver|courier)\s+(?:called|named))\s+"
                          + _NAME)
# "the account's under Henrik Lindahl": the holder, whoever says it (a caller of themself, an agent reading it).
_HOLDER = re.compile(r"(?i:\baccount(?:'s| is)\s+(?:under|in)\s+(?:the name(?: of)?\s+)?)" + _NAME)
# "Right, name first, isn't it? It's Henrik Lindahl.": a caller prompting themself, not asking the agent's name.
_OWN_NAME_TAG = re.compile(r"^(?!.*\byour\b).*\bname\b.*,\s*(?:isn't it|aren't i|right)\s*\?\s*$", re.I)
_ASK_NAME = re.compile(r"\b(your|the|account holder's|account holder|full|first|last) (full )?name\b|"
                       r"\bwho (am i|do i have|is this|i'm)\b|\bspeaking with( today)?\?|\bwhat's your name\b|"
                       # "And who've I got on the phone?", "Who's calling, please?"
                       r"\bwho\b[^.!?]*\b(on the (phone|line)|speaking|calling|talking)\b[^.!?]*\?|"
                       # any question about a name or a holder ("What name is the account under?", "Who's the
                       # policy holder?"): the wording varies far more than the nouns do
                       r"\b(name|surname|holder)\b[^.!?]*\?", re.I)
_OFFER_HELP = re.compile(r"\bhow (can|may|could) (i|we) (help|assist)|\bwhat can (i|we) do for you|"
                         r"\bhow (i|we) (can|may|could) (help|assist)|\bwhat can (i|we) help (you )?with|"
                         r"\bwhere can (i|we) (point|direct|send|take) you|"
                         r"\bwhat(?:'s| is) (the|your) call (regarding|about)|\bwhat are you calling (about|for)", re.I)
# The business an agent answers for, named before the agent's own name ("This is Hazelmere Opticians, and I'm
# Phil", "Hi, Quayside Removals, it's Zainab") or after a welcome ("Thank you for calling Orbit Wireless"), in
# the agent's first two turns: its words are no person's name anywhere in the call. Only there, since a goodbye
# ("Thanks for calling Maria", the comma lost by ASR) names the caller. The greeting form counts in an inbound
# greeting only, where an agent cannot be greeting a caller by name.
_COMPANY_BEFORE_SELF = (r",?\s+(?i:and\s+)?(?i:i'm|i am|it's|it is|my name is|my name's|you've got|"
                        r"you're (?:speaking|talking) (?:with|to))\s+[A-Z]")
_COMPANY_SAID = re.compile(r"(?i:\bthis is)\s+" + _NAME + _COMPANY_BEFORE_SELF + "|"
                           r"(?i:\bthank(?:s| you) for (?:calling|contacting|ringing|phoning)|\bwelcome to|"
                           r"\byou've reached|\byou have reached)\s+" + _NAME)
# "Hi, Fernhill Driving School, it's Connor, where can I point you?": in an inbound greeting only, since a caller's
# "Yes, it's Boston." names a city.
_GREETING_SELF = re.compile(r"[,.!]\s*(?i:it's|it is)\s+" + _NAME + r"(?=\s*[.,!]|$)")
_COMPANY_GREETED = re.compile(r"(?i:^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening)|morning|afternoon|"
                              r"evening)[,.!]?)\s+" + _NAME + _COMPANY_BEFORE_SELF)
_LEAD = re.compile(r"^\W*(?:(?:yes|yeah|sure|okay|ok|hi|oh|um|uh|sorry|of course|it's|it is|that's|that is|"
                   r"this is|my name is|my name's|i'm|i am|it's in|it is in)[,.]?\s+)*", re.I)
_DANGLING = re.compile(r"\b(it is|it's|that's|that is|my name is|sure|yes)[,.]?\s*$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NOT_NAME = {
    "hi", "hiya", "howdy", "cheers", "hello", "hey", "okay", "ok", "yeah", "yes", "no", "thanks", "thank", "sure",
    "great", "perfect", "bye",
    "alright", "right", "well", "um", "uh", "there", "everyone", "sir", "madam", "ma'am", "good", "morning",
    "afternoon", "evening", "again", "so", "much", "you", "guys", "folks", "all", "everybody", "the", "a", "an",
    "and", "but", "just", "calling", "here", "speaking", "sorry", "welcome", "please", "fine", "really", "actually",
    "customer", "service", "support", "care", "team", "department", "billing", "sales", "it", "this", "that",
    "not", "still", "also", "now", "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "visa", "mastercard", "amex", "paypal", "anything", "nothing", "everything", "one",
    "mr", "mrs", "ms", "miss", "dr", "what", "and", "can", "could", "for",
    "i", "i'm", "i’m", "im", "i've", "i'll", "i'd",  # "I'm" fits the capitalised-word shape of a name
    "nah", "nope", "yep", "yup", "aye", "oh",
    "ta", "ta-ra", "tata", "cheerio", "later",  # British goodbyes ("Nope, that's all I rang about. Ta-ra.")
    "you're", "your", "we", "we're", "us", "they", "they're",
    "high", "hang",  # ASR: "High calling to cancel" for "Hi, calling…", "Oh, Hang on."
    "it's", "it’s", "that's", "that’s", "name's", "here's", "there's", "what's", "who's", "he's", "she's",
}
# A capitalised run ending in a business noun is a company speaking ("Hi, Kestrel Home Security here"), not a
# person: the nouns firms are named with are few and shared across industries, unlike the firms' names.
_BUSINESS = {
    "security", "solar", "storage", "insurance", "broadband", "pharmacy", "energy", "bank", "banking", "group",
    "services", "service", "wireless", "mobile", "telecom", "network", "networks", "health", "healthcare",
    "utilities", "water", "gas", "electric", "power", "airlines", "airways", "motors", "finance", "financial",
    "credit", "loans", "travel", "fitness", "gym", "clinic", "dental", "medical", "store", "stores", "shop",
    "retail", "cable", "internet", "media", "streaming", "homes", "realty", "properties", "logistics", "couriers",
    "express", "inc", "ltd", "llc", "corp", "corporation", "plc", "limited", "company", "systems", "solutions",
    # more of the nouns firms are named with, across trades (not any one firm's name)
    "school", "academy", "college", "university", "institute", "centre", "center", "club", "removals", "movers",
    "moving", "haulage", "transport", "freight", "shipping", "delivery", "deliveries", "opticians", "optical",
    "optometry", "vets", "veterinary", "hospital", "surgery", "practice", "dentistry", "orthodontics", "physio",
    "physiotherapy", "chiropractic", "pharmacy", "plumbing", "plumbers", "electrical", "electricians", "roofing",
    "builders", "construction", "cleaning", "cleaners", "laundry", "garage", "autos", "automotive", "repairs",
    "repair", "rentals", "rental", "hire", "lettings", "estates", "agency", "associates", "partners", "studio",
    "studios", "salon", "spa", "hotel", "hotels", "resorts", "restaurant", "kitchens", "bakery", "foods",
    "catering", "gardens", "nursery", "landscaping", "pest", "control", "supplies", "supply", "depot", "hardware",
    "furniture", "appliances", "electronics", "software", "technologies", "tech", "labs", "consulting",
    "accountants", "solicitors", "lawyers", "legal", "care", "homecare", "pets", "grooming", "kennels",
    "tutors", "tutoring", "lessons", "driving", "taxis", "cabs", "coaches", "tours", "holidays", "cruises",
    "utility", "council", "trust", "foundation", "charity", "marketplace", "market", "outlet", "warehouse",
}
SELF, ANSWER, ADDRESSED, GLUED, LOOSE = 3, 3, 2, 2, 1


@dataclass(frozen=True)
class Named:
    name: str
    owner: str  # "Agent" / "Customer"
    strength: int
    turn: int


def clean_name(raw: str, company_words: set[str] = frozenset()) -> str | None:
    """The name part of a match, or None when it is no name (stop words, company words, codes)."""
    words = []
    for w in re.split(r"[ ]+", raw.strip(" .,!?")):
        if w.lower() in _NOT_NAME or w.lower() in company_words:
            break
        words.append(w)
    if not words or any(any(c.isdigit() for c in w) or w.isupper() and len(w) > 1 for w in words):
        return None
    if any(len(w) < 2 for w in words) or words[-1].lower() in _BUSINESS:
        return None
    return " ".join(words)


def _other(role: str) -> str:
    return "Customer" if role == "Agent" else "Agent"


def attribute(utterances: list[Utterance], roles: dict[str, str], pii: list[list[PiiSpan]],
              company_words: set[str] = frozenset()) -> list[Named]:
    """Every name the call attributes to the agent or the customer, with the strength of its evidence."""
    found: list[Named] = []
    first_turn: dict[str, int] = {}  # each role's first utterance
    for i, u in enumerate(utterances):
        if u.speaker is not None:
            first_turn.setdefault(roles.get(u.speaker, ""), i)
    company_words = set(company_words) | _company_words(utterances, roles, first_turn.get("Agent"))
    greeting_answered = next((i for i, u in enumerate(utterances) if i > first_turn.get("Agent", len(utterances))
                              and u.speaker is not None and roles.get(u.speaker) == "Customer"), None)
    others = {m.group(1) for u in utterances for m in _THIRD_PARTY.finditer(" ".join(u.text.split()))}
    for i, u in enumerate(utterances):
        role = roles.get(u.speaker) if u.speaker is not None else None
        if role not in ("Agent", "Customer"):
            continue
        text = " ".join(u.text.split())

        def add(raw: str, owner: str, strength: int) -> None:
            name = clean_name(raw, company_words)
            if name:
                found.append(Named(name, owner, strength, i))

        # A sentence right after a name question in the same turn is the other party's answer glued on by
        # diarization ("Who am I speaking with? This is Leo Hartman."), not the speaker introducing themself.
        glued = _glued_answers(text)
        for rx in _SELF:
            for m in rx.finditer(text):
                if not any(a <= m.start() < b for a, b in glued):
                    add(m.group(1), role, SELF)
        prev = next((v for v in reversed(utterances[:i]) if v.speaker != u.speaker), None)
        if prev is not None and _ASK_NAME.search(_last_sentence(prev.text)):
            answer = answer_name(text)
            if answer is None and _DANGLING.search(text) and i + 1 < len(utterances):
                answer = answer_name(_SENTENCE.split(utterances[i + 1].text.strip())[0])  # a cut mid-answer
            if answer:
                add(answer, role, ANSWER)
            for s in pii[i]:
                if s.type == "PERSON":
                    add(text_of(u, s), role, ANSWER)
        # A question and its answer in one turn: diarization glued the other party's answer onto it, or, when the
        # turn opens with the end of a question the other party's turn broke off in ("Could you tell me" /
        # "your name? Oh, yes, it's Soojin Park."), glued the question's tail onto this speaker's answer.
        parts = _SENTENCE.split(text)
        for k, sentence in enumerate(parts[:-1]):
            if _OWN_NAME_TAG.search(sentence) and (answer := answer_name(parts[k + 1])):
                add(answer, role, SELF)
            if _asks_name(sentence) and (answer := answer_name(parts[k + 1])):
                cut_off = k == 0 and prev is not None and not prev.text.rstrip().endswith((".", "?", "!"))
                # Glued on, it is weaker than the other party's own answer in the next turn (ASR's "What name is
                # it? Info." for "What name is it, in full?", then "It's Chloe Wilson.").
                add(answer, role if cut_off else _other(role), ANSWER if cut_off else GLUED)
        # An agent's opening greeting ("Good afternoon, Orbit Wireless. This is Brenda. How can I help?") names
        # the company, not the caller, whose name an inbound agent does not know yet.
        inbound_greeting = role == "Agent" and first_turn.get("Agent") == i and _OFFER_HELP.search(text)
        if inbound_greeting:
            for m in _GREETING_SELF.finditer(text):
                add(m.group(1), role, SELF)
        for rx in _ADDRESSED if not inbound_greeting else ():
            for m in rx.finditer(text):
                add(m.group(1), _other(role), ADDRESSED)
        echoed = _NAME_ECHOED_ASR if i == greeting_answered else _NAME_ECHOED if first_turn.get(role) == i else None
        if echoed is not None and (m := echoed.match(text)):
            add(m.group(1), _other(role), ADDRESSED)
        for m in _HOLDER.finditer(text):
            add(m.group(1), "Customer", SELF)
        if role == "Customer":
            for s in pii[i]:
                if s.type == "PERSON" and not (i >= len(utterances) - 2 and _alone(text, text_of(u, s))):
                    add(text_of(u, s), role, LOOSE)
    return [n for n in found if not (n.strength == LOOSE and any(_same(n.name, o) for o in others))]


def _alone(text: str, word: str) -> bool:
    """Whether `word` is a sentence of `text` by itself: in a call's last turns that is a goodbye ("That's all I
    rang about. Tarrar.", ASR's "Ta-ra"), never the caller naming themself (blind11's first look)."""
    return any(p.strip(" .,!?") == word.strip(" .,!?") for p in _SENTENCE.split(text))


def _company_words(utterances: list[Utterance], roles: dict[str, str], agent_first: int | None) -> set[str]:
    """The words of the business the agent answers for (`_COMPANY_SAID`, `_COMPANY_GREETED`)."""
    words: set[str] = set()
    agent_turns = [i for i, u in enumerate(utterances) if u.speaker is not None and roles.get(u.speaker) == "Agent"]
    for i in agent_turns[:2]:
        text = " ".join(utterances[i].text.split())
        found = [m.group(1) or m.group(2) for m in _COMPANY_SAID.finditer(text)]
        if i == agent_first and _OFFER_HELP.search(text):
            found += [m.group(1) for m in _COMPANY_GREETED.finditer(text)]
        words |= {w.lower() for name in found if name for w in name.split()}
    return words


def _glued_answers(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text` that follows a sentence asking for a name."""
    out, pos, asked = [], 0, False
    for sentence in _SENTENCE.split(text):
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        if asked:
            out.append((start, pos))
        asked = _asks_name(sentence)
    return out


def _asks_name(sentence: str) -> bool:
    """A question or request for a name: "hope your name's going well." (ASR for "hope you're keeping well") is
    neither, and took the caller's own "The name's Teresa Bloom." for the agent's answer."""
    return bool(_ASK_NAME.search(sentence)) and is_request(sentence) and not _OWN_NAME_TAG.search(sentence)


def _last_sentence(text: str) -> str:
    parts = [p for p in _SENTENCE.split(text.strip()) if p]
    return parts[-1] if parts else ""


def answer_name(sentence: str) -> str | None:
    """The name a short answer gives ("Sure, it is Maria Gonzalez.", "It's in Emily Davis.", "Helen Price.")."""
    lead = _LEAD.match(sentence).end()
    rest = sentence[lead:].strip()
    if not rest:
        return None
    opening = re.match(_TITLE + _NAME + r"(?=\s*[,.])", rest)
    # "That's Darnell Jackson, spelled the normal way.", "Oh, of course. Fiorella Bianchi. People usually get…"
    if opening and sentence[:lead].strip():
        return opening.group(1)
    if len(rest.split()) > 4:
        # A short answer worded its own way ("It's under Beatrice Lowe.", "The account's in Dennis Ford."): the
        # name is the capitalised run that ends it, when what comes before it is a few lower-case words.
        m = re.search(r"^(?:[a-z'’]+[ ,]+){1,4}" + _TITLE + _NAME + r"\s*[.,!?]?\s*$", rest)
        return m.group(1) if m and len(sentence.split()) <= 8 else None
    found = re.findall(_TITLE + _NAME + r"(?=\s*[.,!?]?\s*$)", rest)
    return found[-1] if found else None


def text_of(u: Utterance, s: PiiSpan) -> str:
    return u.text[s.start:s.end]


def choose(found: list[Named], owner: str, exclude: str | None = None) -> str | None:
    """The owner's best-evidenced name; a full name said later extends a first name said earlier."""
    mine = [n for n in found if n.owner == owner and not _same(n.name, exclude)]
    # A name the other party owns on stronger evidence is not this party's.
    mine = [n for n in mine if not any(_same(o.name, n.name) and o.owner != owner and o.strength > n.strength
                                       for o in found)]
    if not mine:
        return None
    best = max(n.strength for n in mine)
    top = sorted((n for n in mine if n.strength == best), key=lambda n: n.turn)
    name = top[0].name
    for n in mine:  # "Maria" then "Maria Gonzalez": the full form
        if len(n.name) > len(name) and n.name.split()[0] == name.split()[0]:
            name = n.name
    return name


def _same(a: str | None, b: str | None) -> bool:
    """Whether two names are one person's first name, as ASR may write it twice: "Bethany" greeted as "Bethanid"
    or "Beth and it" (a shortened form of four letters or more, or spellings four-fifths alike by difflib's
    ratio)."""
    if not a or not b:
        return False
    x, y = a.split()[0].lower(), b.split()[0].lower()
    shorter, longer = sorted((x, y), key=len)
    return x == y or (len(shorter) >= 4 and longer.startswith(shorter)) or \
        difflib.SequenceMatcher(None, x, y).ratio() >= 0.8
