"""Action items from commitments and agreements from accepted fixes (analysis.commitments); no models."""

from __future__ import annotations

from analysis.commitments import action_items, agreements
from analysis.schema import Utterance

ROLES = {"A": "Agent", "C": "Customer"}


def _utts(turns):
    return [Utterance(speaker=s, start=i * 3.0, end=i * 3.0 + 2.5, text=t) for i, (s, t) in enumerate(turns)]


def test_commitments_are_action_items_and_an_accepted_fix_is_an_agreement():
    utts = _utts([
        ("A", "Here's what we'll do: we'll ship a new modem within two business days. You can drop the old one off "
              "at any store, or use the prepaid label."),
        ("C", "Perfect, that's exactly what I needed."),
        ("A", "I will also call you back on Friday to check it works."),
        ("C", "I will wait for your call."),
    ])
    items = action_items(utts, ROLES)
    assert items[:3] == ["Here's what we'll do: we'll ship a new modem within two business days.",
                         "You can drop the old one off at any store, or use the prepaid label.",
                         "I will also call you back on Friday to check it works."]
    assert len(items) == 3  # waiting is no action
    assert agreements(utts, ROLES) == ["Here's what we'll do: we'll ship a new modem within two business days."]


def test_refusals_questions_and_handoffs_are_not_agreements():
    utts = _utts([
        ("A", "I am afraid our policy does not allow me to refund that. Can I help with anything else?"),
        ("C", "No."),
        ("A", "I am going to transfer you to my supervisor now."),
        ("C", "Okay, great."),
    ])
    assert action_items(utts, ROLES) == ["I am going to transfer you to my supervisor now."]
    assert agreements(utts, ROLES) == []


def test_what_was_done_already_is_an_action_item():
    """"I've opened…" never matched before: the pattern wanted a second space after "I've "."""
    utts = _utts([
        ("A", "I've opened a ticket for the rest of it. I've put in a request to send you a signal booster."),
        ("C", "Okay."),
        ("A", "All done, I was able to give you a loyalty discount of fifteen dollars a month."),
        ("C", "Wonderful, thanks for sorting that out."),
    ])
    assert action_items(utts, ROLES) == [
        "I've opened a ticket for the rest of it.", "I've put in a request to send you a signal booster.",
        "All done, I was able to give you a loyalty discount of fifteen dollars a month."]
    assert agreements(utts, ROLES) == ["All done, I was able to give you a loyalty discount of fifteen dollars a month."]


def test_any_action_verb_commits_and_looking_into_it_does_not():
    """The verbs of a commitment are an open list ("post", "come out"); the idle ones are a closed one."""
    utts = _utts([
        ("A", "Let me pull up your account. I can help with that."),
        ("C", "Thanks."),
        ("A", "A plumber will need to come out on Tuesday. I can post you the form today, how does that sound?"),
        ("C", "That sounds great, thanks."),
        ("C", "We just moved house. I'll take my business elsewhere if it breaks again."),
    ])
    assert action_items(utts, ROLES) == ["A plumber will need to come out on Tuesday.",
                                         "I can post you the form today, how does that sound?"]
    assert agreements(utts, ROLES) == ["A plumber will need to come out on Tuesday."]  # the turn's first offer


def test_a_refusal_worded_around_its_object_a_look_and_a_passive_done():
    """blind5's first look: "not something I'm allowed to change" and "let me just have a look" were action
    items, and "that's all been put through on my end" was none."""
    utts = _utts([
        ("A", "Sure, no dramas, let me just have a look on my end. Let's see if we can get to the bottom of it."),
        ("C", "Thanks."),
        ("A", "Look, I'm sorry, but that's not something I'm allowed to change, and there's no one else I can pass "
              "it to either."),
        ("A", "Okay, that's all been put through on my end now, done and dusted."),
        ("C", "Ah, you're a legend. That's sorted then, cheers."),
    ])
    assert action_items(utts, ROLES) == ["That's all been put through on my end now, done and dusted."]
    assert agreements(utts, ROLES) == ["That's all been put through on my end now, done and dusted."]


def test_an_offer_put_as_what_i_am_able_to_do_and_a_manager_named_but_not_called():
    """blind7's first look: "what I'm able to do is clear the fault…" accepted was no agreement, and "an apology
    from the manager involved" was taken for a hand-off; a customer's threat and reading out a reference were
    action items."""
    utts = _utts([
        ("A", "Okay, so what I'm able to do is clear the fault on your account and email you to confirm it. "
              "Shall I do that for you now?"),
        ("C", "Yes, please do. That's exactly what I wanted."),
        ("A", "Right, good news. I've been able to send you a voucher and a written apology from the manager "
              "involved."),
        ("C", "Oh, thank you. That sorts it out completely."),
        ("A", "Give me a minute to look at your account and see whether there's anything I can offer you. "
              "I'll read you the reference slowly."),
        ("C", "I'm very disappointed and I'll be telling my friends about it."),
    ])
    offer = "What I'm able to do is clear the fault on your account and email you to confirm it."
    voucher = "I've been able to send you a voucher and a written apology from the manager involved."
    assert agreements(utts, ROLES) == [offer, voucher]
    assert action_items(utts, ROLES) == [offer, voucher]


def test_set_it_up_completed_and_holding_statements():
    """blind8's first look: "I've set it up to take 30% off your plan" and "I have completed the first stage" were
    no commitments; "Let me review your transaction history" and "I'll need to consult the appropriate department"
    were action items."""
    utts = _utts([
        ("A", "Let me review your transaction history. I'll need to consult the appropriate department."),
        ("C", "Okay."),
        ("A", "Right. Done. I've set it up to take 30% off your plan for the next 12 months."),
        ("C", "Oh, right. Well, that works for me, sorted."),
        ("A", "I have completed the first stage of this today."),
    ])
    done = "I've set it up to take 30% off your plan for the next 12 months."
    assert action_items(utts, ROLES) == [done, "I have completed the first stage of this today."]
    assert agreements(utts, ROLES) == [done]


def test_relief_accepts_and_a_mention_commits_to_nothing():
    """blind9's first look: a fix answered "Oh, that's a relief. Well, that's the whole thing dealt with, then."
    was no agreement; "I'll mention that this call is kept on tape" and "Let me just price that up" were action
    items."""
    utts = _utts([
        ("A", "Before we start, I'll mention that calls are kept on tape. Let me just price that up for you."),
        ("C", "Fine."),
        ("A", "We'll refund the deposit to your card today."),
        ("C", "Oh, that's a relief. Well, that's the whole thing dealt with, then."),
    ])
    assert action_items(utts, ROLES) == ["We'll refund the deposit to your card today."]
    assert agreements(utts, ROLES) == ["We'll refund the deposit to your card today."]


def test_refusals_worded_around_and_a_turn_that_hands_the_call_on():
    """blind10's first look: "there isn't anyone else I can pass you on to", "I've been told no", "I'll listen."
    and "Let me put that together." were action items; "I'll pass you over to Hamid. He'll pick up in a second."
    answered "Okay, thanks." was an agreement."""
    utts = _utts([
        ("A", "Let me put that together. I'm sorry, but there isn't anyone else I can pass you on to."),
        ("C", "Unless you can talk me round. I'll listen."),
        ("A", "I've asked the question, and I've been told no."),
        ("A", "I'll pass you over to Imogen in our claims team. She'll pick up in a moment."),
        ("C", "Okay, thanks."),
    ])
    assert action_items(utts, ROLES) == ["I'll pass you over to Imogen in our claims team.",
                                         "She'll pick up in a moment."]
    assert agreements(utts, ROLES) == []


def test_a_request_for_a_detail_and_its_purpose_commit_to_nothing():
    """blind11's first look: "And an email address, so I can send a summary over afterwards." (its "?" lost by ASR,
    or its purpose split off as "So I can send…"), "I'll do my best for you" and "somebody to let me in" were
    action items. "What I'm going to do is refund it to your card" asks for no card: it commits."""
    utts = _utts([
        ("A", "And a contact number, so we can text you the code?"),
        ("A", "And an email address. So I can send the quote over later."),
        ("A", "Tell me what's wrong and I'll do my best for you."),
        ("C", "I wait every day for someone to let me in."),
        ("A", "Sorry, that's not something anyone here is able to change."),
        ("A", "I'll email the quote over this afternoon."),
        ("A", "What I'm going to do is refund the fee to your card."),
    ])
    assert action_items(utts, ROLES) == ["I'll email the quote over this afternoon.",
                                         "What I'm going to do is refund the fee to your card."]


def test_an_adverb_is_not_the_verb_and_a_goodbye_or_a_search_commits_to_nothing():
    """blind12's first look: "No, you let me get on." (a goodbye), "let me dig it out" and "Let me work that out"
    were action items, and so was "I'll just say the line records": the optional adverb could be skipped and
    "just" itself taken for the verb, so "I'll just check" committed although checking is idle."""
    utts = _utts([
        ("A", "Before we start, I'll just say the line records automatically."),
        ("A", "I'll just check your account. One second, let me dig it out."),
        ("A", "Let me work that out for you."),
        ("C", "No, you let me get on. That's everything."),
        ("A", "I'll just send the form over. I'll get on to the warehouse now. I'll quickly book the van."),
    ])
    assert action_items(utts, ROLES) == ["I'll just send the form over.", "I'll get on to the warehouse now.",
                                         "I'll quickly book the van."]
