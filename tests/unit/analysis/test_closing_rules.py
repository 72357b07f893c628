"""How a call ends → its outcome (classify.closing_outcome), and which sentences each classifier reads."""

from __future__ import annotations

import pytest

from analysis.classify import closing_outcome
from analysis.schema import Utterance
from analysis.text import candidates, sentences

A, C = "Agent", "Customer"


@pytest.mark.parametrize(("closing", "expected"), [
    ([(A, "I will send a technician tomorrow morning to replace the modem."),
      (C, "Great, that solved it. Thank you so much for your help."), (A, "You are welcome.")], "resolved"),
    ([(A, "A technician will visit on Thursday to finish the repair."), (C, "Okay, thanks.")], "partial"),
    ([(A, "I will call you back tomorrow once billing confirms."), (C, "Alright.")], "partial"),
    ([(A, "Let me transfer you to my supervisor now, please hold."), (C, "Okay.")], "escalated"),
    ([(A, "We will ship a new modem within two business days, and you can drop the old one off at any store."),
      (C, "Perfect, thank you so much.")], "resolved"),
    ([(A, "Unfortunately there is nothing more I can do."), (C, "That is ridiculous. Goodbye.")], "unresolved"),
    ([(C, "It is still not working."), (A, "I'm sorry, our policy does not allow me to refund that.")], "unresolved"),
    ([(A, "Is there anything else?"), (C, "No, bye.")], None),
    # A failed first step, then a fix arranged and accepted: the fix is how the call ended.
    ([(C, "I did that twice already. It didn't help."),
      (A, "I see the fault on our side. I've gone ahead and arranged to send a new box. Is that okay?"),
      (C, "Yes, please. Thank you."), (A, "Anything else for you today?"), (C, "No, that's everything.")],
     "resolved"),
    # ... but a customer unhappy after it still ends the call unresolved.
    ([(A, "I've gone ahead and arranged to send a new box."), (C, "Thanks."),
      (A, "The fee stays, though."), (C, "That's ridiculous, forget it.")], "unresolved"),
    # A hand-off denied is a refusal (blind5's first look read it as escalated).
    ([(A, "Look, I'm sorry, but that's not something I'm allowed to change, and there's no one else I can pass "
          "it to either."), (C, "Right. Well, that's not good enough.")], "unresolved"),
    ([(A, "I can't fix this myself, so I'm transferring you to billing."), (C, "Okay.")], "escalated"),
    # "for now" in a goodbye is no pending work (blind7's first look read every call so ending as partial) ...
    ([(A, "I've been able to waive your next three payments."), (C, "Oh, thank you, that sorts it out."),
      (A, "Is there anything else on your mind today?"), (C, "No, that's all from me. Bye for now.")], "resolved"),
    ([(A, "There isn't anything else I can do for you."), (C, "That's hopeless, I'm very unhappy."),
      (A, "Anything else?"), (C, "No, that's all for now.")], "unresolved"),
    # ... but a fix that holds "for now" is.
    ([(A, "I've reset the router."), (C, "That helps for now, but it keeps coming back.")], "partial"),
    # blind8's corporate wording: work that "can't be completed until" someone signs it off is pending; a system
    # that "won't let me" and "nothing's been done, not impressed" leave it unresolved.
    ([(A, "I've submitted the request, but it can't be completed until our approval desk has signed it off. "
          "You'll receive a phone call from me as soon as that happens."),
      (C, "I see. Well, it's a start. I suppose I'll wait for your call. Thank you.")], "partial"),
    ([(A, "I've tried twice and the system won't let me move you onto the new plan."),
      (C, "So after all that nothing's been done, not impressed at all."),
      (A, "Is there any other matter I can assist you with?"), (C, "No. That will be all. Goodbye.")], "unresolved"),
    # blind9: a case sent across to another team is a hand-off; a fix the customer calls half done is pending.
    ([(A, "I'm sending your claim over to our refunds and appeals team, with my notes. They'll ring you Friday."),
      (C, "Okay, Friday then.")], "escalated"),
    ([(A, "I've done my part here, and the rest needs the branch manager to approve it."),
      (C, "Okay, half of it fixed, then. I'll wait to hear."), (A, "Anything else?"), (C, "No. Bye.")], "partial"),
    # blind10: "there isn't anyone else I can pass you on to" denies a hand-off; out of options and a customer
    # "fed up" leave it unresolved; a case "passed to her" (the manager) is handed off.
    ([(A, "Sorry, I've run out of options here, and there isn't anybody else I can pass you on to."),
      (C, "So I'm just fed up, then. Great.")], "unresolved"),
    ([(A, "This is one for our area manager. I've passed it to her with my notes, she'll ring you Monday."),
      (C, "Monday. Right.")], "escalated"),
    # blind11: "putting you across to" a team, "stay with me while it connects", are hand-offs.
    ([(A, "That's above my pay grade, so I'm putting you across to the bookings lead now."),
      (C, "Fine, go on.")], "escalated"),
    ([(A, "Hold the line for me while it connects you to the duty manager."), (C, "Okay.")], "escalated"),
])
def test_closing_outcome(closing, expected):
    assert closing_outcome(closing) == expected


def test_a_short_call_has_an_opening_to_classify():
    """A 7-turn call once gave every sentence to the closing part, so its type was chosen from no sentence."""
    texts = ["Thank you for calling Northwind Internet support. My name is Alex. How can I help you today?",
             "Hi Alex. My internet keeps dropping every evening and I need it fixed please.",
             "I am sorry to hear that. What is the best phone number to reach you?",
             "My phone number is 415 555 0132.",
             "Thank you. I can see a fault on your line. I will send a technician tomorrow to replace the modem.",
             "Great, that solves it. Thank you so much for your help.", "You are welcome. Have a good evening."]
    utts = [Utterance(speaker=f"S{i % 2}", start=i * 5, end=i * 5 + 4, text=t) for i, t in enumerate(texts)]
    head, middle, tail = candidates(sentences(utts, {"S0": "Agent", "S1": "Customer"}))
    assert head and any("internet keeps dropping" in s.text for s in head + middle)
    assert 3 <= len(tail) <= len(head) + len(middle)
