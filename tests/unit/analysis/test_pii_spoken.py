"""PII as ASR writes it (analysis.pii_spoken): the value's type from the question that asked for it."""

from __future__ import annotations

import pytest

from analysis.pii_spoken import is_request, spoken_spans


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("And the email?\nIt is maria dot gonzalez at example dot com.", "EMAIL", "maria dot gonzalez at example dot com"),
    ("And the email on the account.\nIt is Sarah. Mitchell .gmail .com.", "EMAIL", "Sarah. Mitchell .gmail .com"),
    ("And the email on the account,\nit's in route.", "EMAIL", "in route"),  # garbled, still an address given
    ("Can you confirm the last four digits of the card on file?\nSure, the card ends in 7631.", "CREDIT_CARD", "7631"),
    ("The Visa ending in seven five three zero.", "CREDIT_CARD", "seven five three zero"),
    ("For verification, the last four of your social security number.\nIt is 1574.", "SSN", "1574"),
    ("And your date on birth, please.\nIt is February 13, 1976.", "DATE_OF_BIRTH", "February 13, 1976"),
    # A request ended with a full stop is still a question, mid-turn too; ".me" is an address's ending.
    ("Okay. And the card's last four digits, please. Thanks.\nSeven seven one two.", "CREDIT_CARD",
     "Seven seven one two"),
    ("Your contact email please.\nIt's tom at fastmail dot me.", "EMAIL", "tom at fastmail dot me"),
    ("Could you give me your email address?\nIt's not in a throat on not me.", "EMAIL",
     "not in a throat on not me"),  # garbled by ASR: still the address given, so still redacted
    ("What is the best phone number to reach you?\nIt's in 3 -1 -2 -8 -6 -7 -6 -2 -6 -7.", "PHONE_NUMBER",
     "3 -1 -2 -8 -6 -7 -6 -2 -6 -7"),
    ("Can you confirm the last four digits of the Cardon file?\nSure, the Cardon N6389.", "CREDIT_CARD", "6389"),
    # A turn cut mid-number, with a homophone inside the run: the value runs on into the next turn.
    ("The last four of your social security number.\nIt is four to\neight seven. Sure.", "SSN",
     "four to\neight seven"),
    # Numerals and digit words in one run; a digit sequence written as feet and inches.
    ("What is the best phone number to reach you?\nIt is 312 .867. Six, two, six, seven.", "PHONE_NUMBER",
     "312 .867. Six, two, six, seven"),
    ("To verify you, I'll need the last four digits of your social.\nOkay, I'm 6'3'0\".", "SSN", "6'3'0\""),
    ("What's a good number to call you back on?\nIt's 646, 429, 5957.", "PHONE_NUMBER", "646, 429, 5957"),
    ("What's your date of birth?\nIt's the 12th August 1976.", "DATE_OF_BIRTH", "the 12th August 1976"),
    ("And a call back Hummer.\nSure, 415, 867, 4251.", "PHONE_NUMBER", "415, 867, 4251"),  # the question misheard
    # blind8: the address's first try has no shape left, the caller's repetition of it has ("not" for "dot").
    ("May I confirm the email address registered to the account.\nIt's Linda. Scott. Talk. Talk. So hang on, is "
     "that the old one? No, it's right. Linder not cut at talk, talk, not net.", "EMAIL",
     "Linder not cut at talk, talk, not net"),
    # blind8: a stray digit opens the answer (the phone number's, cut off by diarization); "Talk.net" ends no
    # sentence.
    ("May I confirm the email address registered to the account.\n3. It's El Romero at Talk Talk.net. Oh, hang "
     "on. Is that the old one? No. It's right.", "EMAIL", "El Romero at Talk Talk.net"),
    # blind12: tiny.en writes "dot net" as "not yet"; "card" heard as "car", the last four "numbers".
    ("What's your email? So I can send you a copy of all this.\nIt's much and that's a link not yet. Nice and easy.",
     "EMAIL", "much and that's a link not yet"),
    ("For security, can you tell me the last four numbers on the car you pay us with?\nOne second, let me dig it "
     "out. It's 792.", "CREDIT_CARD", "792"),
])
def test_spoken_values_are_found_with_their_type(text, kind, value):
    assert (kind, value) in [(k, text[a:b]) for k, a, b, _ in spoken_spans(text)]


@pytest.mark.parametrize("text", [
    "Your order reference is RL 44721.",
    "And the email on the account?\nNo, I don't have one.",
    "Can I get your phone number?\nSure, one moment.",
    "Have you had our email about the price change?\nNot yet. I keep checking the junk folder, but nothing.",
])
def test_no_value_no_span(text):
    assert spoken_spans(text) == []


def test_a_question_for_two_values_finds_both():
    text = "Can I have a phone number and email on the account?\nSure, the phone is 415 555 0132 and the email is d.r@example.com."
    assert sorted((k, text[a:b]) for k, a, b, _ in spoken_spans(text)) == [
        ("EMAIL", "d.r@example.com"), ("PHONE_NUMBER", "415 555 0132")]


def test_four_to_five_days_is_not_a_number():
    assert spoken_spans("What is the best phone number to reach you?\nIt takes four to five days.") == []


def test_a_value_across_a_turn_cut_is_redacted_in_both_turns():
    from analysis.pii import PiiSpan, join_texts, split_spans
    texts = ["The last four of your social?", "It is four to", "eight seven. Sure."]
    joined, starts = join_texts(texts)
    a = joined.index("four to")
    spans = split_spans([PiiSpan("SSN", a, joined.index(". Sure"), 0.6)], texts, starts)
    assert [[(s.type, texts[k][s.start:s.end]) for s in part] for k, part in enumerate(spans)] == [
        [], [("SSN", "four to")], [("SSN", "eight seven")]]


def test_an_exchange_glued_into_one_turn_types_each_answer_by_its_own_question():
    text = ("To verify you, I'll need the last four digits of your social. Okay, 9442. Can you confirm your date on "
            "birth? June 14, 1963. I understand. Can I ask what would make you stay? Not much.")
    assert sorted((k, text[a:b]) for k, a, b, _ in spoken_spans(text)) == [
        ("DATE_OF_BIRTH", "June 14, 1963"), ("SSN", "9442")]


def test_a_question_left_unanswered_does_not_take_the_next_questions_answer():
    text = "And the last four of your social? Your date of birth? June 14, 1963."
    assert [(k, text[a:b]) for k, a, b, _ in spoken_spans(text)] == [("DATE_OF_BIRTH", "June 14, 1963")]


def test_a_misheard_question_still_types_a_phone_run_and_a_birth_date():
    """blind5's first look on audio: "the best hum were to get hold of you on" (number) and "your date of worth"
    (birth) hid a phone number and a date of birth; a date of something else is not one."""
    def found(text: str) -> list[tuple[str, str]]:
        return [(kind, text[a:b]) for kind, a, b, _ in spoken_spans(text)]

    assert found("What's the best hum were to get hold of your own?\nProbably my mobile, at 4-1-5-8-6-7, 3-9-6-9.") \
        == [("PHONE_NUMBER", "4-1-5-8-6-7, 3-9-6-9")]
    assert found("And your date of worth just to confirm.\nJune 4, 1989.") == [("DATE_OF_BIRTH", "June 4, 1989")]
    assert found("What's the date of the charge?\nMarch 3rd, 2024.") == []
    assert found("It came to $1,234.56 in total.") == []


def test_a_request_opened_by_its_purpose_and_a_run_of_eleven_digits():
    """blind6's first look: "For our security check, I need the final four digits of your social…" was no
    request, so its answer leaked; tiny.en wrote "646. 867. 96800" for a ten-digit number."""
    def found(text: str) -> list[tuple[str, str]]:
        return sorted({(kind, text[a:b]) for kind, a, b, _ in spoken_spans(text)})

    assert found("For our security check, I need the final four digits of your social security number.\n"
                 "Fine, seven two two three.") == [("SSN", "seven two two three")]
    assert found("No more mobile. Better use no mobile. 646. 867. 96800.") == [("PHONE_NUMBER", "646. 867. 96800")]


def test_corporate_requests_and_asr_homophones_of_three_and_dot():
    """blind8's first look on audio: "In order to proceed, may I please take a contact telephone number." and "As
    part of our standard security procedure, I'm required to ask for the last four digits of your social security
    number." were no requests, "free one two…" was no number and "talk talk not net" no address."""
    def found(text: str) -> list[tuple[str, str]]:
        return sorted({(kind, text[a:b]) for kind, a, b, _ in spoken_spans(text)})

    assert found("In order to proceed, may I please take a contact telephone number.\n"
                 "Mobile, free one, two, five, five, five, free two, eight, zero.") == \
        [("PHONE_NUMBER", "one, two, five, five, five, free two, eight, zero")]
    assert found("As part of our standard security procedure, I'm required to ask for the last four digits of your "
                 "social security number.\nSure, nine nine seven one.") == [("SSN", "nine nine seven one")]
    assert ("EMAIL", "Matthew not Hall at Talk Not Net") in found(
        "May I confirm the email address registered to the account?\nIt's Matthew not Hall at Talk Not Net.")
    # "I'm required to" and "I have to ask" open a request; "I have to say" does not.
    assert is_request("I have to ask for your date of birth.") and not is_request("I have to say it's broken.")


def test_a_card_named_in_the_answer_a_year_after_in_and_an_address_without_its_domain():
    """blind9's first look on audio: "Which car do you pay with?" (for "card") / "it's the debit card, so 919.",
    "December 15th, in 1960" and "You Sophie not Campbell at sure not car. That's the one I actually check."
    (for "shaw dot ca") were found as no detail."""
    def found(text: str) -> list[tuple[str, str]]:
        return sorted({(kind, text[a:b]) for kind, a, b, _ in spoken_spans(text)})

    assert found("Which car do you pay with?\nLet me look, it's the debit card, so 471.") == [("CREDIT_CARD", "471")]
    assert found("The card was charged 120 dollars.") == [] and found("I paid by card in 2019.") == []
    assert found("When's your birthday, with the year?\nIt's June 3rd, in 1971, same as my brother.") == \
        [("DATE_OF_BIRTH", "June 3rd, in 1971")]
    assert found("Which email shall I use?\nUse Dev not Patel at rogers not car. That's the one I check.") == \
        [("EMAIL", "Use Dev not Patel at rogers not car")]
    assert found("Which email shall I use?\nI'm not sure, I'll look at home later. Can you post it?") == []


def test_a_detail_named_without_a_verb_and_addresses_asr_broke_up():
    """blind11's first look: "And an email address, so I can send a summary over afterwards." (no "?") asked for
    nothing; "the last four of the cards" (ASR's plural) asked for no card; an answer whose first sentence was an
    address in pieces ("still the not -poep, school -out -cock -snot -net.", "I -O -M -A -T…") or an "x at y"
    with its domain cut ("rtakahashi at cox Shout if you…") gave none."""
    def found(text: str) -> list[tuple[str, str]]:
        return sorted({(kind, text[a:b]) for kind, a, b, _ in spoken_spans(text)})

    assert is_request("And an email address, so I can send the form over.") and not is_request("An email went out.")
    assert found("Can you read me the last four of the cards on file?\nHang on. Right, 2 7 1 9.") == \
        [("CREDIT_CARD", "2 7 1 9")]
    assert found("And an email address, so I can send the form over.\nSure, it's jo -ann -ke -lly -net. Shout if "
                 "you want it spelled.") == [("EMAIL", "jo -ann -ke -lly -net")]
    assert found("And an email address?\nSure, it's K -W -O -N at mail. Shout if you want it spelled.") == \
        [("EMAIL", "K -W -O -N at mail")]
    assert found("And an email address?\nSure, it's kwon at bluemail Shout if you want me to spell it") == \
        [("EMAIL", "kwon at bluemail")]
    assert found("And an email address?\nHold on, let me think which one I use for this sort of thing.") == []
