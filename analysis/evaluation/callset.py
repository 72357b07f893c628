"""A labelled set of scripted two-party calls, written as people say them, for synthesis with espeak-ng.

360 calls: every call type x outcome, fifteen times. In each cell one call is in each part: `tune`, `heldout`,
`blind`, `blind2`, `blind3`, `blind4`, `blind5`, `blind6`, `blind7`, `blind8`, `blind9`, `blind10`, `blind11`,
`blind12` and `blind13`. The parts draw on **disjoint** phrase banks, names, agents and companies: a rule tuned on
the tune part has never seen a held-out sentence. (The first four were still written by one hand, with the analysis
in mind: the held-out figures are an honest check against overfitting to wording, not accuracy on real calls.)

`blind` was added on 2026-11-30, after the `heldout` part's per-call errors had been read (so `heldout` can no
longer claim to be unseen): it was written before the rule changes that followed, and its results were not
looked at while making them. Its calls come after the other parts' in `generate`, so adding it changed none
of theirs. Its errors were then read and fixed too, so `blind2` was written the same afternoon, after the last
rule change, and measured once (its first look); its errors were read for the third round of rule changes.
Every part's first look is in docs/analysis.md; after it, a part is no longer unseen.
`blind3` was written on 2026-11-30, after `blind2`'s first look and before the next round of rule changes, by an
engineer who had not read the analysis rules; it comes last in `generate`, so the other parts' calls are unchanged.
`blind4` was written on 2026-11-30, after `blind3`'s first look and the fourth round of rule changes, by an
engineer who did not read the analysis rules; it comes after `blind3`, so no earlier part's calls changed.
`blind5` was written on 2026-11-30, after `blind4`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind6` was written on 2026-11-30, after `blind5`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind7` was written on 2026-11-30, after `blind6`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind8` was written on 2026-11-30, after `blind7`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind9` was written on 2026-12-01, after `blind8`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind10` was written on 2026-12-01, after `blind9`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind11` was written on 2026-12-01, after `blind10`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind12` was written on 2026-12-02, after `blind11`, by an engineer who did not read the analysis rules; it comes
last in `generate`, so no earlier part's calls changed.
`blind13` was written on 2026-12-03, after `blind12`, by an engineer who did not read the analysis rules (a grep
for part names showed them three comment lines of the rules before they wrote); it comes last in `generate`, so no
earlier part's calls changed. It is the first part kept **out of fitting and fixing for good** (`HELD_OUT`): the
learned model is not fitted on it and its errors are not read for rule changes, so its figures stay a first look.
The learned call-type and outcome classifier (analysis.learned) is fitted on every other part, so those parts'
figures after their first looks say nothing about new wording; analysis.evaluation.train's `--leave-one-out`
gives the model's figure on each part it was not fitted on.

Details are spoken, not typed: "four one five, five five five, zero one three two", "maria dot gonzalez at
example dot com", "the card ending in four four one two", so what ASR writes back is what a real call gives.
Calls carry distractors seen to fool the analysis: the customer greeting the agent by name, a tracking number
("R L four four seven two one"), a time of day, amounts. Labels are what a careful listener would write down.

Outcome labels: `resolved` - what the call was for got done and the customer accepts it; `partial` - part
done, the rest waits on a callback, visit or review; `escalated` - handed to someone else (transfer, specialist
team); `unresolved` - nothing done, the customer leaves dissatisfied.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

TYPES = ["retention", "sales", "support", "billing", "complaint", "other"]
OUTCOMES = ["resolved", "partial", "escalated", "unresolved"]
Split = Literal["tune", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                "blind9", "blind10", "blind11", "blind12", "blind13"]
SPLITS: tuple[Split, ...] = ("tune", "heldout", "blind", "blind2", "blind3", "blind4", "blind5",
                             "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12",
                             "blind13")
# Parts never fitted on and never read while fixing (issue 11: "keep a part of the set out of any tuning"): the
# shipped classifier is fitted on the others (analysis.evaluation.train), the benchmark reports them apart.
HELD_OUT: tuple[Split, ...] = ("blind13",)
FITTED: tuple[Split, ...] = tuple(p for p in SPLITS if p not in HELD_OUT)
AGENT, CUSTOMER = "agent", "customer"

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ONES = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
        "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
        "nineteenth", "twentieth"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass
class ScriptedCall:
    id: str
    split: Split
    call_type: str
    outcome: str
    turns: list[tuple[str, str]]  # (agent|customer, text)
    stereo: bool
    customer_name: str | None
    agent_name: str | None
    company: str
    recording_disclosure: bool
    pii_types: set[str] = field(default_factory=set)  # sensitive types spoken (PERSON not counted)
    pii_digits: list[str] = field(default_factory=list)  # digit strings that must never reach ai_analysis
    pii_words: list[str] = field(default_factory=list)  # words of spoken emails that must never reach it
    commitment: bool = False  # someone committed to do something (an action item is expected)
    agreement: bool = False  # an offer was accepted (an agreement is expected)

    def party_turns(self, agent_party: int = 0) -> list[tuple[int, str]]:
        """(party index, text) for synthesis: the agent on party `agent_party` (left channel when 0)."""
        return [(agent_party if who == AGENT else 1 - agent_party, text) for who, text in self.turns]


def spoken_digits(digits: str, groups: tuple[int, ...] = ()) -> str:
    """'4155550132' → 'four one five, five five five, zero one three two' (groups of 3, 3, 4 by default)."""
    out, pos = [], 0
    for g in groups or (len(digits),):
        out.append(" ".join(DIGITS[int(d)] for d in digits[pos:pos + g]))
        pos += g
    return ", ".join(out)


def spoken_email(local: str, domain: str) -> str:
    """'maria.gonzalez', 'example.com' → 'maria dot gonzalez at example dot com'."""
    return f"{local.replace('.', ' dot ')} at {domain.replace('.', ' dot ')}"


def spoken_year(year: int) -> str:
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
             "nineteen"]
    low = year % 100
    low_s = teens[low - 10] if 10 <= low < 20 else f"{tens[low // 10]} {DIGITS[low % 10]}".replace(" zero", "")
    return f"nineteen {low_s}"


# -- the two parts' own material -------------------------------------------------------------------------------
PEOPLE: dict[Split, list[str]] = {
    "tune": ["Maria Gonzalez", "James Carter", "Priya Patel", "Tom Becker", "Sarah Mitchell", "Laura Chen",
             "Michael Brown", "Emily Davis", "Robert Hughes", "Anna Schmidt", "Peter Wallace", "Grace Turner"],
    "heldout": ["Helen Price", "Mark Jensen", "Olivia Reed", "Brian Cooper", "Nancy Ward", "Steven Clark",
                "Julia Howard", "Paul Bennett", "Karen Lewis", "Eric Collins", "Diane Russell", "Frank Murphy"],
    "blind": ["Rosa Alvarez", "Victor Nguyen", "Hannah Brooks", "Derek Simmons", "Monica Fields", "Gary Holt",
              "Irene Walsh", "Carlos Mendes", "Tina Marsh", "Owen Fletcher", "Sandra Kim", "Leo Hartman"],
    "blind2": ["Beatrice Lowe", "Nathan Ortiz", "Yvonne Pierce", "Martin Kowalski", "Gloria Bishop", "Ivan Petrov",
               "Celia Barnes", "Roger Quinn", "Wendy Harper", "Samuel Okafor", "Lucy Grant", "Dennis Ford"],
    "blind3": ["Nadia Rahman", "Graham Doyle", "Keiko Tanaka", "Patrick Nolan", "Alma Castillo", "Rahul Mehta",
               "Joanne Pike", "Tomas Novak", "Felicity Shaw", "Kwame Mensah", "Bridget Moran", "Stefan Berg"],
    "blind4": ["Colin Ashby", "Denise Farrell", "Amir Haddad", "Shirley Dawson", "Raymond Cole", "Theresa Bloom",
               "Jorge Salazar", "Kathleen Byrne", "Andre Thompson", "Lorraine Webb", "Neil Gallagher",
               "Simone Archer"],
    "blind5": ["Declan Furlong", "Yolanda Pryce", "Bernard Okoye", "Sinead Costello", "Travis McAllister",
               "Harriet Lindqvist", "Mohammed Siddiqui", "Penelope Vance", "Gordon Whitaker", "Ingrid Sorensen",
               "Lachlan Beattie", "Rebecca Oyelaran"],
    "blind6": ["Agnes Whitfield", "Tobias Renner", "Marisol Ibarra", "Clifford Dunmore", "Fatima Zahir",
               "Oswald Kettering", "Winifred Ames", "Dominic Lysaght", "Esther Nakamura", "Hamish Calder",
               "Prudence Okonkwo", "Rufus Pemberton"],
    "blind7": ["Giuseppe Marchetti", "Oluwaseun Adebayo", "Meilin Zhou", "Dariusz Wojcik", "Ximena Valdivia",
               "Siobhan Doherty", "Anil Krishnan", "Lotte Vermeulen", "Tariq Benali", "Soojin Park",
               "Ewan Maclean", "Beverly Washington"],
    "blind8": ["Jennifer Walker", "David Robinson", "Susan Wright", "Matthew Hall", "Linda Scott",
               "Stephanie Young", "Jessica Allen", "Anthony King", "Kimberly Baker", "Hiroshi Sato",
               "Lucia Romero", "Joseph Evans"],
    "blind9": ["Christopher Morgan", "Emma Sullivan", "Liam Donovan", "Sophie Campbell", "Darnell Jackson",
               "Margaret Ellis", "Aisha Bello", "Mateo Fernandez", "Oksana Kovalenko", "Thanh Tran",
               "Arjun Bhatt", "Chloe Wilson"],
    "blind10": ["Ngozi Eze", "Henrik Lindahl", "Pilar Echeverria", "Wojciech Zielinski", "Anjali Deshpande",
                "Seamus Brennan", "Huong Pham", "Kofi Asante", "Fiorella Bianchi", "Yusra Qureshi",
                "Haruto Ishikawa", "Maureen Fitzgibbon"],
    "blind11": ["Thandiwe Mokoena", "Bartholomew Quigley", "Rania Khoury", "Svetlana Morozova", "Diego Villanueva",
                "Ayesha Chaudhry", "Minjun Choi", "Teodora Popescu", "Ren Takahashi", "Abebe Tesfaye",
                "Gwendolyn Harcourt", "Elif Yilmaz"],
    "blind12": ["Isabel Ferreira", "Kenneth Ogundipe", "Rosalie Dunbar", "Vikram Sethi", "Annika Holmberg",
                "Barry Whitlock", "Miriam Kaminska", "Tiago Moreira", "Lydia Crawshaw", "Emeka Nwosu",
                "Colette Marchand", "Duncan Reilly"],
    "blind13": ["Chidi Anyanwu", "Ailsa Mackenzie", "Pieter Botha", "Lakshmi Venkatesan", "Malcolm Reid",
                "Zanele Dlamini", "Paolo Ricci", "Janet Hollis", "Arash Tehrani", "Kirsty Galbraith",
                "Harpreet Gill", "Brendan Ashworth"],
}
AGENTS: dict[Split, list[str]] = {
    "tune": ["Daniel", "Alex", "Rachel", "Sam", "Jenny", "Chris"],
    "heldout": ["Kevin", "Lisa", "Brandon", "Megan", "Tyler", "Nicole"],
    "blind": ["Marcus", "Jasmine", "Trevor", "Alicia", "Dylan", "Brenda"],
    "blind2": ["Gavin", "Holly", "Omar", "Paige", "Wesley", "Fiona"],
    "blind3": ["Rory", "Naomi", "Hector", "Bianca", "Luke", "Maya"],
    "blind4": ["Callum", "Tasha", "Reggie", "Imogen", "Darren", "Ruth"],
    "blind5": ["Kylie", "Fergus", "Leanne", "Tanya", "Desmond", "Shane"],
    "blind6": ["Warren", "Deborah", "Kieran", "Yusuf", "Marnie", "Lionel"],
    "blind7": ["Bethany", "Elliot", "Rosalind", "Jerome", "Carmen", "Nigel"],
    "blind8": ["Jason", "Heather", "Aaron", "Courtney", "Brent", "Monique"],
    "blind9": ["Connor", "Leah", "Rajesh", "Gemma", "Phil", "Zainab"],
    "blind10": ["Bronwyn", "Ravi", "Tamsin", "Jules", "Mehmet", "Ines"],
    "blind11": ["Olly", "Keisha", "Priscilla", "Bogdan", "Wren", "Femi"],
    "blind12": ["Tilly", "Ashok", "Conrad", "Mabel", "Rhys", "Lorenzo"],
    "blind13": ["Morag", "Thabo", "Deepa", "Stuart", "Nomsa", "Karthik"],
}
COMPANIES: dict[Split, list[str]] = {
    "tune": ["Northwind Internet", "Crestline Energy", "Harbor Mobile"],
    "heldout": ["Bluewave Cable", "Summit Insurance", "Maple Streaming"],
    "blind": ["Pinecrest Bank", "Orbit Wireless", "Keystone Utilities"],
    "blind2": ["Silverline Gas", "Redwood Telecom", "Lakeside Insurance"],
    "blind3": ["Clearbrook Water", "Ironside Fitness", "Skyward Rewards"],
    "blind4": ["Ashgrove Car Insurance", "Thornfield Broadband", "Wellspring Pharmacy"],
    "blind5": ["Kestrel Home Security", "Sunhaven Solar", "Boxwood Self Storage"],
    "blind6": ["Foxglove Veterinary Group", "Ridgeway Car Rental", "Swallowtail Parcels"],
    "blind7": ["Hollybrook Furniture", "Wayfarer Travel", "Greenbasket Meal Kits"],
    "blind8": ["Larkspur Pest Control", "Brightmoor Dental Group", "Fairhaven Appliance Repair"],
    "blind9": ["Quayside Removals", "Hazelmere Opticians", "Fernhill Driving School"],
    "blind10": ["Tidewater Wine Club", "Bramblewood Insurance Brokers", "Juniper Hearing Clinic"],
    "blind11": ["Kittiwake Bike Hire", "Glasshouse Coworking", "Puffin Lane Nurseries"],
    "blind12": ["Starling Laundry Collect", "Copperleaf Tutoring", "Heronsgate Holiday Park"],
    "blind13": ["Glenmorven Heating", "Quickmend Phone Repairs", "Old Mill Playhouse"],
}
DOMAINS: dict[Split, list[str]] = {"tune": ["example.com", "gmail.com"], "heldout": ["outlook.com", "yahoo.com"],
                                   "blind": ["hotmail.com", "icloud.com"], "blind2": ["proton.me", "aol.com"],
                                   "blind3": ["fastmail.com", "live.com"], "blind4": ["zoho.com", "comcast.net"],
                                   "blind5": ["bigpond.com", "eircom.net"],
                                   "blind6": ["gmx.net", "btinternet.com"],
                                   "blind7": ["sky.com", "verizon.net"],
                                   "blind8": ["rogers.com", "talktalk.net"],
                                   "blind9": ["shaw.ca", "virginmedia.com"],
                                   "blind10": ["telus.net", "xtra.co.nz"],
                                   "blind11": ["cox.net", "ntlworld.com"],
                                   "blind12": ["optusnet.com.au", "earthlink.net"],
                                   "blind13": ["mweb.co.za", "rediffmail.com"]}

DISCLOSURES: dict[Split, list[str]] = {
    "tune": ["This call may be recorded for quality and training purposes.",
             "Just so you know, this call is being recorded."],
    "heldout": ["Please note that calls are recorded for quality assurance.",
                "Before we begin, this conversation may be monitored and recorded."],
    "blind": ["Hi there, just a heads up that this call is recorded.",
              "For training purposes, this call will be recorded."],
    "blind2": ["Quick note, we record our calls to improve our service.",
               "This line is recorded for security and training."],
    "blind3": ["Before we go any further, I should let you know this call is being recorded.",
               "All of our calls are recorded and may be reviewed by our quality team."],
    "blind4": ["I have to tell you first that we keep a recording of every call, for your protection and ours.",
               "Calls to this line are recorded, and you can ask us for a copy at any time."],
    "blind5": ["Just letting you know our calls are recorded, so we can check you've been given the right advice.",
               "This conversation is recorded and stored securely, in line with our privacy policy."],
    "blind6": ["Before anything else, I'm obliged to tell you this line is recorded and the recordings are kept for "
               "ninety days.",
               "We record every conversation on this line, so if there's ever a disagreement we can play it back."],
    "blind7": ["Please be aware that this phone call is being recorded, which helps us keep accurate notes.",
               "Um, I should mention that our calls get recorded, and a manager may listen back to this one later."],
    "blind8": ["In accordance with company policy, this call is recorded and retained for quality and compliance "
               "purposes.",
               "You should know I'm recording this conversation, in case anything needs checking later."],
    "blind9": ["Before we start, I'll mention that everything said on this call is kept on tape, so we both have a "
               "record of what gets agreed.",
               "This call's being taped for staff training, and you're free to ask us to delete the recording "
               "afterwards."],
    "blind10": ["Okay, the boring bit first: this call is recorded, and the recording might be used to help train new "
                "staff.",
                "Just so it's said, the line is recording, as it always is, so nothing you tell me gets lost."],
    "blind11": ["Quick bit of housekeeping: we record our phone calls, so this one's being saved as we speak.",
                "Heads up before we get going: our phones record automatically, so there'll be a copy of this "
                "conversation kept on file."],
    "blind12": ["Before we get into it, I'll just say the line records automatically, and the recording stays with us.",
                "Our phone system keeps a recording of every call, this one included, just so you're aware."],
    "blind13": ["Okay, first I have to read this out, word for word: calls to and from this number are recorded, for "
                "quality monitoring and for staff training.",
                "You're on a recorded line, by the way, so whatever we agree today, there's a recording of it."],
}
GREETINGS: dict[Split, list[str]] = {
    "tune": ["Thank you for calling {co}, my name is {ag}. How can I help you today?",
             "Good morning, you have reached {co}, this is {ag} speaking. What can I do for you?"],
    "heldout": ["Hi, thanks for calling {co}. You are speaking with {ag}, how may I assist you?",
                "{co} customer care, {ag} here. How can I help?"],
    "blind": ["Good afternoon, {co}, this is {ag}, how can I help you?",
              "Thanks for holding, you're through to {ag} at {co}. What can I do for you today?"],
    "blind2": ["Hello and thank you for calling {co}. I'm {ag}, what can I help with?",
               "{co}, good evening, {ag} speaking. How can I help?"],
    "blind3": ["Morning, thanks for phoning {co}, you've got {ag}. What's the call about today?",
               "Hi, {ag} at {co}, sorry about the wait. What can I sort out for you?"],
    "blind4": ["Hello there, you're through to {co}, my name's {ag}. What are you ringing about today?",
               "Good afternoon and welcome to {co}. I'm {ag} and I'll be looking after you, what's brought you to "
               "us today?"],
    "blind5": ["G'day, thanks for calling {co}, you're speaking with {ag}. What can I do for you?",
               "Hiya, {co} customer team, {ag} on the line. How are you going today?"],
    "blind6": ["{co} bookings and enquiries, {ag} here, go ahead.",
               "Hello, it's {ag} from {co}, thanks for waiting so patiently. Now then, what can I do?"],
    "blind7": ["Hello, this is {ag} calling from {co}. You left a message asking us to ring you back, so here I am. "
               "Is this a good time to talk?",
               "{co}, you're talking to {ag}, and I'm all ears. Tell me what's going on."],
    "blind8": ["Thank you for calling {co}, where your satisfaction is our priority. My name is {ag}, and I'll be "
               "your customer care specialist today. How may I assist you?",
               "{co}, {ag} speaking. Sorry, we're rushed off our feet today. What do you need?"],
    "blind9": ["Hi, {co}, it's {ag}, where can I point you today?",
               "Good afternoon, and apologies for the hold. This is {co}, and I'm {ag}. Tell me how I can help."],
    "blind10": ["Morning! {co}, {ag} on the phone, and I've just made myself a fresh cup of tea, so there's no rush. "
                "What's up?",
                "This is {ag} on the {co} customer desk. If we get cut off, ask for {ag} by name when you call back "
                "and they'll find me. Right, what's happened?"],
    "blind11": ["Hello, you're through to the {co} team, it's {ag} on this end. What can I do you for?",
                "Good morning, {co}, {ag} answering. Apologies for the banging in the background, we've got the "
                "builders in. Now, how can I help?"],
    "blind12": ["Hello, {co}, it's {ag} here. How are you doing today, and what can I help with?",
                "Afternoon, {co}, my name's {ag}. Sorry you had to hang on, the phones have been mad all day. Right, "
                "what can I do for you?"],
    "blind13": ["Good morning, {co}, you're speaking to {ag}. Um, sorry, I'm new, I've to read this bit: how may I be "
                "of assistance to you this morning?",
                "Hiya, {co}, {ag} speaking. I'm so sorry about the wait, there's only two of us on the phones today. "
                "Now, what are you phoning about?"],
}
ANON_GREETINGS: dict[Split, list[str]] = {
    "tune": ["Thank you for calling {co}. How can I help you today?"],
    "heldout": ["Welcome to {co} customer service, how may I help you?"],
    "blind": ["You've reached {co}, how can we help today?"],
    "blind2": ["Hello, {co} help desk, what can I do for you?"],
    "blind3": ["Hi there, thanks for getting in touch with {co}, what's the call about?"],
    "blind4": ["Good day, {co} customer line, how may I direct your call?"],
    "blind5": ["Hi, {co} here, what can we do for you this afternoon?"],
    "blind6": ["Hello, this is the {co} helpline. What do you need from us today?"],
    "blind7": ["Good evening, I'm ringing from {co} about the message you left us yesterday. Have I caught you at "
               "a good moment?"],
    "blind8": ["Thank you for contacting {co}. Your call is important to us. How may I assist you today?"],
    "blind9": ["Hello, {co}, sorry to keep you. What's the call regarding?"],
    "blind10": ["Hello, {co}, thanks for bearing with us. Whoever it is you need, I'll find them for you. What's it "
                "about?"],
    "blind11": ["Hello, {co} members' helpline. Tell me what you're calling about and I'll do my best for you."],
    "blind12": ["{co}, good morning. What's the reason for your call today?"],
    "blind13": ["Good afternoon, you've come through to {co}. Is it about a booking, a bill, or something else?"],
}
HELLO_AGENT: dict[Split, list[str]] = {
    "tune": ["Hi {ag}.", "Hello {ag}, thanks for picking up."],
    "heldout": ["Hey {ag}, good morning.", "Thanks {ag}."],
    "blind": ["Hi {ag}, how are you?", "Oh hi {ag}."],
    "blind2": ["Hello {ag}.", "Hi there {ag}, thanks."],
    "blind3": ["Hiya {ag}.", "Morning {ag}, thanks for taking my call."],
    "blind4": ["Hey there {ag}, hope your day's going well.", "Ah, hello {ag}, glad I got a real person."],
    "blind5": ["G'day {ag}.", "Hello {ag}, thanks a million for answering."],
    "blind6": ["Oh good, hello {ag}.", "Afternoon {ag}, I'm hoping you can help me."],
    "blind7": ["Oh, hello {ag}, nice to talk to you.", "Hi there, {ag}. Um, okay, let me explain."],
    "blind8": ["Good afternoon, {ag}. Thank you kindly for taking my call.", "Yeah, hi, {ag}. Quick one."],
    "blind9": ["Ah, {ag}, at last, I've been listening to that music for ages.", "Hey {ag}, you alright?"],
    "blind10": ["{ag}? Oh, that's lucky, I spoke to a {ag} last time. Was that you?",
                "Morning, {ag}. Can you hear me alright? I'm on the hands-free in the car."],
    "blind11": ["Oh, hi {ag}. Sorry if it's loud, there's traffic going past.",
                "Ah, brilliant, hello {ag}. I didn't expect to get through first time."],
    "blind12": ["Oh, hello {ag}, lovely to get an actual person.",
                "Hi {ag}. Sorry, I was miles away there, I didn't think anyone would answer this quick."],
    "blind13": ["Hiya, {ag}, how's it going? Just so you know, I'm driving, so you're on the speaker. Shout if I "
                "cut out.",
                "Ah, hello there, {ag}. I've been on hold for thirty five minutes, I'll just say that, but never mind, "
                "you're here now."],
}
SELF_INTRO: dict[Split, list[str]] = {
    "tune": ["My name is {cu}.", "This is {cu} calling."],
    "heldout": ["I'm {cu}, I have an account with you.", "My name's {cu}."],
    "blind": ["This is {cu} here.", "{cu} speaking, I'm a customer of yours."],
    "blind2": ["My name is {cu}.", "Hi, it's {cu} calling."],
    "blind3": ["It's {cu} on the line.", "You're speaking to {cu}, I'm the account holder."],
    "blind4": ["The name's {cu}, I've been with you a good few years.", "Yes hello, {cu} here, everything's in my "
               "name."],
    "blind5": ["It's {cu}, by the way, the account's in my name.",
               "Right, so I'm {cu}, and I've had the account with you since last spring."],
    "blind6": ["I'm {cu}, and I'm a little hard of hearing, so do bear with me.",
               "{cu} here, I'll try to be quick."],
    "blind7": ["So, my name, it is {cu}.",
               "Um, yes, it's {cu} here, I'm the one who, sorry, I'm the one whose name is on the order."],
    "blind8": ["My name is {cu}, and I have my account details to hand, should you need them.",
               "{cu}. Account holder. In a bit of a rush."],
    "blind9": ["Name's {cu}, if that helps you find me.",
               "It's {cu} here. I rang last week as well, if that's in your notes, only nobody got back to me."],
    "blind10": ["Right, name first, isn't it? It's {cu}. The surname's the tricky bit, I can spell it if you need me "
                "to.",
                "So I'm, um, the account's under {cu}. That's me, not my partner."],
    "blind11": ["I should say who I am, sorry. I'm {cu}.",
                "{cu} is my name, and I'm ringing on my lunch break, so I've only got about ten minutes."],
    "blind12": ["It's {cu} speaking, by the way.",
                "I'm {cu}, I think you've probably got me down as a regular by now."],
    "blind13": ["Right, my name is {cu}. Sorry, did that come through? The signal keeps dropping on this road. {cu}.",
                "I am {cu}, and I am having an account with you for six, seven years now."],
}
ASK_NAME: dict[Split, list[tuple[str, str]]] = {
    "tune": [("Can I get your full name please?", "Sure, it is {cu}."),
             ("Could you confirm the full name on the account?", "It is {cu}.")],
    "heldout": [("Who do I have the pleasure of speaking with?", "{cu}."),
                ("May I have the account holder's name?", "Yes, it's {cu}.")],
    "blind": [("Can I take your name please?", "Of course, {cu}."),
              ("And who am I speaking with today?", "This is {cu}.")],
    "blind2": [("Could I have your name, please?", "Yes, it's {cu}."),
               ("What name is the account under?", "It's under {cu}.")],
    "blind3": [("Who's the account holder, please?", "That would be me, {cu}."),
               ("Lovely, and could I take a first name and surname?", "Yeah, {cu}.")],
    "blind4": [("Before I bring anything up, who am I talking to?", "Sorry, I should have said. It's {cu}."),
               ("Could you give me the name exactly as it shows on your account?", "Sure thing, {cu}.")],
    "blind5": [("Can I grab your full name so I can find the account?", "Yeah, no worries, it's {cu}."),
               ("And what name would that be under, first and last?", "That'd be {cu}.")],
    "blind6": [("Let's start with your name, if that's okay.", "Of course, dear, it's {cu}."),
               ("Whose name is everything under?", "Mine. {cu}.")],
    "blind7": [("Sorry, I didn't catch who I'm talking with. Could you tell me your name?",
                "Oh, yes, sorry, it's {cu}."),
               ("Could I have your full name, so I can match you up with the right booking?",
                "Um, it should be under {cu}, unless my wife did it, but try me first.")],
    "blind8": [("In order to locate your account, may I please take your full name?",
                "Certainly. My name is {cu}, and I'd be very grateful for your help."),
               ("And the name on the account?", "{cu}. Sorry, should've said that first.")],
    "blind9": [("And who've I got on the phone?", "That's {cu}, spelled the normal way."),
               ("For data protection I have to check I'm talking to the account holder. What name is it, in "
                "full?", "It's {cu}. Well, technically it's a joint account, but I'm the main one on it.")],
    "blind10": [("Sorry, before you go on, who am I speaking to?",
                 "Oh, of course. {cu}. People usually get the surname wrong, so take it slowly."),
                ("Can I take a name to go with that?",
                 "It's {cu}. Your letters always put it back to front, surname first, so it might be listed that "
                 "way round.")],
    "blind11": [("Okay, and so I can bring your details up, what's your name?",
                 "Oh, yes, it's {cu}. Milo, no, put that down, please. Sorry, I've got my little one with me."),
                ("Great, and whose name is the membership registered under?",
                 "It'll be under {cu}. I set it up myself, so it should be spelled right.")],
    "blind12": [("Could I just take your name to start with?", "Yeah, sure, it's {cu}."),
                ("And whose name is the booking under?",
                 "{cu}. First name, then surname, same as it's printed on my card.")],
    "blind13": [("What is your good name, please?", "{cu}, that is. Do you want me to spell the surname for you?"),
                ("Sorry, you went a wee bit quiet there. Can I get the name on the account?",
                 "Sorry, that's the hands-free. Name's {cu}. Again, that's {cu}.")],
}
REASONS: dict[Split, dict[str, list[str]]] = {
    "tune": {
        "retention": ["I want to cancel my service, it has become too expensive.",
                      "I am thinking about switching to another provider, they offered me a better price."],
        "sales": ["I would like to upgrade to your faster fiber plan.",
                  "I am interested in adding a second line to my account, what would that cost?"],
        "support": ["My internet keeps dropping every evening, usually around ten at night.",
                    "The router shows a red light and nothing connects since this morning."],
        "billing": ["I was charged twice for the same month on my last bill.",
                    "My bill went up by twenty dollars and I do not understand why."],
        "complaint": ["I want to make a complaint, your technician was rude and left without finishing the job.",
                      "This is the third time I am calling about the same thing and I am really frustrated."],
        "other": ["I just want to know what time your store on Main Street closes on Saturday.",
                  "Someone from this number called me earlier and I am not sure what it was about."],
    },
    "heldout": {
        "retention": ["I'd like to close my account at the end of this month, I'm moving to a competitor.",
                      "Honestly I don't use the service anymore, so I want to end my contract."],
        "sales": ["I saw your family bundle advertised and I'd like to buy it.",
                  "We just moved and want to sign up for the premium package at our new place."],
        "support": ["My TV box is stuck on a black screen with an error code.",
                    "I can't log in to the app, it says my password is wrong even after a reset."],
        "billing": ["There's a late fee on my invoice but I paid on time.",
                    "I want to update my payment method and pay the balance on my account."],
        "complaint": ["Your delivery driver threw my package over the fence and it arrived smashed, I'm angry.",
                      "The staff at your store were dismissive and made me wait two hours, it was awful."],
        "other": ["Is there a branch of yours anywhere near the airport?",
                  "I think I dialed the wrong number, I was trying to reach the pharmacy."],
    },
    "blind": {
        "retention": ["My contract is up next week and I'm thinking of not renewing.",
                      "I want to cancel, I found a cheaper deal somewhere else."],
        "sales": ["I'm calling to ask about your unlimited plan, I might want to switch to it.",
                  "I'd like to order two more phones for my kids."],
        "support": ["My phone has had no signal at home since the weekend.",
                    "The online banking page keeps showing an error when I try to transfer money."],
        "billing": ["My bill is much higher than usual this month and I want to know why.",
                    "You charged my card for a service I already cancelled."],
        "complaint": ["I'm calling to complain, your engineer missed the appointment twice and nobody told me.",
                      "I'm very unhappy with how I was treated yesterday, the person on the phone hung up on me."],
        "other": ["I'm calling to update my mailing address.",
                  "Do you have any job openings at the moment?"],
    },
    "blind2": {
        "retention": ["I'd like to stop my policy when it renews, I've had a better quote.",
                      "Please cancel my plan, I'm leaving for another company."],
        "sales": ["I want to add fibre broadband to my phone plan, how much is it?",
                  "I'm looking to buy a new handset on a contract."],
        "support": ["My boiler app won't connect to the thermostat any more.",
                    "Since yesterday my calls keep cutting out after a few seconds."],
        "billing": ["I've been billed for two months at once and I don't understand it.",
                    "My direct debit failed and now there's a charge on my account."],
        "complaint": ["I'm really upset, your engineer left a mess in my kitchen and broke a tile.",
                      "I'm fed up, I've been promised a callback three times and nobody ever called."],
        "other": ["Can you tell me if you have an office in the city centre?",
                  "I'm just checking whether you received the letter I posted last week."],
    },
    "blind3": {
        "retention": ["I'd like to cancel my membership, I'm hardly using it and it's money down the drain.",
                      "We're moving abroad in the spring, so I need to close the account and stop all payments."],
        "sales": ["I'd like to buy the premium tier, the one without any adverts.",
                  "I want to get a family membership so my husband can use it as well, what does that cost?"],
        "support": ["Your app crashes every single time I open it, it's been like that since the last update.",
                    "There's barely any water pressure in my taps since Monday, it just trickles out."],
        "billing": ["There's a payment to you on my bank statement that I don't recognise.",
                    "Can you explain my latest bill to me? The usage charge looks way too high."],
        "complaint": ["I want to put in a formal complaint about one of your staff, she was really rude to me at "
                      "the front desk.",
                      "I need to complain, the crew that dug up my street left it in a terrible state and nobody "
                      "has been back."],
        "other": ["I found a wallet in your car park, who should I hand it in to?",
                  "My daughter is doing a school project and wants to know where your water actually comes from."],
    },
    "blind4": {
        "retention": ["I'm ringing to give notice, I don't want to carry on once my contract runs out next month.",
                      "My renewal quote came through this morning and it's gone up a lot, so unless you can do "
                      "something about it I'll be switching to someone else."],
        "sales": ["I'd like to add my son to my car insurance, he's just passed his driving test.",
                  "I'm after a quicker broadband package, what have you got that's better than what I'm on now?"],
        "support": ["None of my devices will connect to the wifi since the power cut last night.",
                    "I'm trying to order my repeat prescription on your website and it keeps telling me my details "
                    "don't match."],
        "billing": ["I've been sent a bill for a quarter I'd already paid, I've got the receipt right here.",
                    "Why has my monthly premium gone up when I haven't made a single claim?"],
        "complaint": ["I want to raise a complaint about the pharmacist at your High Street branch, she read out "
                      "what my prescription was for in front of a whole queue of people.",
                      "I'm calling to complain about the way your claims handler spoke to me, he was sarcastic and "
                      "kept talking over me."],
        "other": ["I'm only ringing to check whether you're open on the bank holiday Monday.",
                  "I'm filling in a form for my mortgage and they want your company's registered address, could you "
                  "give it to me?"],
    },
    "blind5": {
        "retention": ["So, um, I've been having a think, and I reckon I'll let the alarm monitoring go when the "
                      "contract's up. It's a lot of money every month for something that's never once gone off.",
                      "Look, I'll be honest with you, a mate put me onto another storage place down the road that's a "
                      "fair bit cheaper, so I was going to move my stuff out at the end of the month and hand back the "
                      "key to the unit, unless there's a good reason not to."],
        "sales": ["We've had the panels on the roof about a year now, and we're keen on getting one of those home "
                  "batteries put in as well. What would that set us back, roughly?",
                  "Yeah, we had the back shed broken into last week, so I'm after a couple of extra cameras and "
                  "maybe a sensor for the side gate, added onto what we've already got with you."],
        "support": ["The alarm panel in the hallway keeps beeping every few minutes and showing some fault message, "
                    "and I've no idea how to make it stop. It's driving the dog mad.",
                    "The app says the panels have produced nothing at all since Tuesday, and the little screen on "
                    "the inverter in the garage is flashing an error, even though it's been lovely and sunny."],
        "billing": ["I was going through the bank statement with my wife last night, and there's a debit from you "
                    "on top of the usual amount, and we can't for the life of us work out what it's for.",
                    "I've got your latest invoice here for the panel lease, and it's charging me for the whole "
                    "quarter, but they weren't even switched on until halfway through it. That can't be right, "
                    "can it?"],
        "complaint": ["I'm not happy, to be honest. Your installers cracked a load of roof tiles and left bits of "
                      "cable all over the garden, and when I rang about it the girl on the phone more or less told "
                      "me it wasn't their problem. I want somebody to know about it.",
                      "I've been meaning to ring about this for a week. Your monitoring centre rang me at three in "
                      "the morning over what turned out to be a false alarm, and the fella was so rude, he "
                      "practically accused me of wasting his time."],
        "other": ["Ah, sorry, this might be a silly one, but I had a missed call from this number at lunchtime and "
                  "there was no message, so I'm just ringing back to see who it was.",
                  "Would you happen to know if the storage place is open on Anzac Day? I need to grab a few things "
                  "out of my unit and I didn't want to drive all the way out there for nothing."],
    },
    "blind6": {
        "retention": ["We've had Biscuit on your pet health plan for three years now, but we're moving nearer to "
                      "town and there's a practice just round the corner, so I'd like to stop the plan and close "
                      "our account with you.",
                      "I run a small online shop and we send about forty parcels a week through our business "
                      "account with you. I'm giving notice, we're moving all of it to another courier from the "
                      "first of next month."],
        "sales": ["I've got a car booked with you for the fourteenth, the little hatchback, but there's five of us "
                  "going now, so I want to go up to a seven seater and put my husband on as a second driver.",
                  "The receptionist mentioned you do a dental package for older cats. How much is it, and can I "
                  "sign Pepper up while I'm on the phone?"],
        "support": ["Your tracking page just goes round and round. I've typed the code in about ten times and all "
                    "it ever says is service unavailable, try again later.",
                    "I'm standing in the airport car park with the digital key in your app, and the car won't open. "
                    "The app says key sent, but nothing at all happens when I press it."],
        "billing": ["Three hundred and twenty dollars came off my card two days after I dropped the car back, and "
                    "nobody has said what it's for. It went back full of fuel and on time.",
                    "I paid for my dog's operation at the front desk on the day, and now there's an invoice come in "
                    "the post for exactly the same amount, marked overdue."],
        "complaint": ["Your driver pushed a card through saying nobody was home, and I was sat in the front room all "
                      "afternoon with the door open. That's three times now. I'm not after a redelivery, I want it "
                      "on record that your drivers aren't even knocking.",
                      "When we brought Rocky in to be put to sleep last Tuesday, the young man on reception made us "
                      "pay before we'd even gone through, in front of a full waiting room. My wife was in pieces. "
                      "That's no way to treat people and I want somebody senior to hear about it."],
        "other": ["Oh dear, I'm not sure I've got the right number at all. I was trying to get through to the "
                  "surgery about my husband's tablets. Is this not the medical centre?",
                  "I got married in September, so I need the surname on my account changing. Nothing's wrong, it's "
                  "only that."],
    },
    "blind7": {
        "retention": ["My English is not so good, sorry. I want to stop the food box that comes every week. It is "
                      "too much money for me now, and I cook myself again. So please, I want to cancel it and "
                      "finish with you.",
                      "I run a small guest house by the sea, and for the last two years we've booked all of our staff "
                      "trips through you, but the owner has decided that from next year we're going to book "
                      "everything ourselves online, so I'm calling to close our business account and stop the "
                      "yearly membership."],
        "sales": ["So, um, we've finally got the new flat, after about a year of looking, and, sorry, "
                  "where was I, yes, the living room is completely empty, and I saw the big grey corner sofa in "
                  "your window, and I'd like to buy it, and maybe the matching footstool as well if it's not too "
                  "dear.",
                  "I'm ringing on behalf of my dad. He's eighty four and he doesn't like the phone. He wants to book "
                  "one of your river cruises for next spring, for himself and his sister, and he's asked me to find "
                  "out the price and book it for him."],
        "support": ["Your app won't let me pick my meals for next week. Every time I press the save button it just, "
                    "um, spins for a while and then says something went wrong, and I've tried it on my phone and on "
                    "my laptop.",
                    "I have a problem with the website. I try to download my tickets for the flight, but the "
                    "page is only white, there is nothing on it. I try three times, always the same thing."],
        "billing": ["I look after the books for a little bakery, and, um, going through last month's card statement "
                    "I found you'd taken the weekly payment twice, two lots of sixty eight euros on the same Friday, "
                    "and I can't see why.",
                    "My grandmother paid the deposit for her coach holiday in cash, at your shop in town, and now "
                    "she's had a letter saying the deposit is still owed and she'll lose the booking. She's very "
                    "worried about the money, so I'm ringing for her."],
        "complaint": ["I want to make a complaint about the two men who delivered our wardrobe on Saturday, because "
                      "they were an hour late, they swore in front of my children, they scraped the wall carrying it "
                      "up the stairs, and when I pointed it out they just laughed and drove off.",
                      "Um, I need to make a complaint, and sorry if I go on a bit. Your rep at the hotel was meant to "
                      "meet us at the airport and she never came, and when we finally found her she told my husband "
                      "it was his own fault for not reading the letter, and, sorry, where was I, yes, she was rude to "
                      "us for the whole week."],
        "other": ["Um, this is a bit of an odd one. I'm doing a survey for my college course about how local "
                  "businesses use recycled materials, and I wondered if somebody there could answer a few questions "
                  "for it.",
                  "I'm with the parents group at the primary school. We're running a raffle for the "
                  "summer fair, and we wondered if your company would be kind enough to give us a prize."],
    },
    "blind8": {
        "retention": ["Calling to cancel. The plan. Kingsley Home Services quoted me half what I pay you, so that's "
                      "that. End of the month, please.",
                      "I do apologise for troubling you. I should like to cancel my plan with effect from the end of "
                      "this month, if that would be possible. We are selling the house, and I shan't be needing it "
                      "any longer."],
        "sales": ["Right, so before you ask, I've got my membership card in my hand and I'm on the basic plan at the "
                  "moment. I'd like to move up to the family plan, so my wife and both our boys are covered as "
                  "well. How much extra would that be?",
                  "Quick question. Your top plan. The one with the yearly inspection included. I want it. How much?"],
        "support": ["I wonder if you might be able to help me. I have been trying to log in to my account on your "
                    "website since Sunday, and each time it informs me that my password has expired, even though I "
                    "changed it only last week.",
                    "Your booking page. Broken. The calendar's blank, no times showing at all. Tried two different "
                    "browsers. Nothing."],
        "billing": ["I'm looking at my bank statement, and you've taken two payments for one visit. I was with Acorn "
                    "Services for ten years and they never once did that to me.",
                    "I received your invoice dated the third of May, and I believe there has been an error. It "
                    "includes a second charge for a visit that, as far as I'm aware, took place only once, and the "
                    "money has already left my account. I would be most grateful if you could look into it."],
        "complaint": ["I wish to make a formal complaint about the member of your staff I dealt with on Tuesday. He "
                      "kept me waiting for two hours without a word, he was discourteous to my elderly mother, and "
                      "he then refused to give me his name.",
                      "Complaint. Your lot cancelled on me again. Third time, no warning, no phone call, and I'd "
                      "taken the day off work. Hadley and Sons never pulled that once. I want it on record."],
        "other": ["I'm terribly sorry to bother you, it's probably nothing. A man rang me this morning saying he was "
                  "from your company, and he asked for my bank details to renew something. I didn't give them. I "
                  "only wanted to check whether that call really came from you.",
                  "Calling from a letting agency. Reference check. A tenant applying for one of our flats says "
                  "she's worked for you since twenty twenty two. I just need somebody to confirm that."],
    },
    "blind9": {
        "retention": ["Yeah, so, I pay you every month for the eye care plan, contact lenses and check ups included, "
                      "and I've found the exact same lenses online for about half the price. So I'd like to pack it "
                      "in. Stop the payments and all that.",
                      "My daughter's been on your monthly lesson plan since March. She's failed her test twice now, "
                      "well, once, the second one got cancelled, but she's fed up, and to be honest so am I, paying "
                      "for it every month. So we're going to stop, and maybe try the school her friend went to."],
        "sales": ["We're moving house on the twenty eighth, from the flat on Carlton Street out to a three bed place "
                  "in, um, Millbrook, no, sorry, Millford, I keep saying it wrong. Anyway, we want to book you for "
                  "the move, and the packing service as well, where your lot box everything up the day before.",
                  "I had my eye test with you last Wednesday, and the optician said I ought to go for varifocals, so "
                  "I want to get those made up, in the tortoiseshell frames I tried on. And, um, do you do a deal on a "
                  "second pair? Sunglasses, I mean."],
        "support": ["Every time I try to book my next lesson in your app, all the slots come up greyed out, even the "
                    "ones my instructor told me were free. It's been doing it about a week, and I've deleted the "
                    "app and put it back on and everything.",
                    "I'm trying to reorder my contact lenses online, through your site, and it won't take my "
                    "prescription. It keeps saying the number isn't valid, but I'm copying it straight off the box, "
                    "minus two point five, so I don't know what it wants from me."],
        "billing": ["You quoted us eleven hundred dollars for the move and we paid that up front, but now there's a "
                    "final bill for another three hundred and sixty, something about extra hours, and the crew were "
                    "finished and gone by two o'clock.",
                    "I cancelled a lesson last Monday, two full days ahead, like it says on your website, and I've "
                    "still been charged for it. Forty five dollars. It's not a fortune, but it's the principle of "
                    "the thing."],
        "complaint": ["I'm ringing up to complain. The removal men you sent on Saturday dropped my "
                      "grandmother's mirror on the stairs and it smashed, and the one in charge just shrugged and "
                      "said these things happen, and then they left the broken glass in a bin bag in my hallway.",
                      "I'm not happy at all with the instructor I had on Thursday. He was on his phone for half the "
                      "lesson, and then he shouted at me on the big roundabout, in front of, well, everybody, and I "
                      "ended up in tears. I'm paying for this. I shouldn't be scared of the person teaching me."],
        "other": ["Um, right, this is a strange one. A box got delivered to my house today, addressed to your "
                  "company, with your logo on it and everything, but this is a house, it's not your office. What am "
                  "I meant to do with it?",
                  "I'm coming in on Thursday to sign some forms, and I wanted to ask if there's anywhere to park near "
                  "you, because last time I drove round in circles for twenty minutes and the sat nav was no use at "
                  "all."],
    },
    "blind10": {
        "retention": ["So, um, I've been going through what goes out of my account every month, and I'm afraid the "
                      "wine club is one of the things that has to go. It's lovely wine, don't get me wrong. I'd just "
                      "like to finish after this month's case and not have any more sent.",
                      "The house insurance is up for renewal on the fourteenth, and I've had a quote through from one "
                      "of those comparison sites for about a hundred and eighty dollars less. So I wasn't going to "
                      "renew with you this year. Unless you can talk me out of it, I suppose."],
        "sales": ["My daughter says I have the television on so loud the neighbours can hear it, and she's probably "
                  "right. I had the free hearing test with you back in May, and I think I'm ready to go ahead with a "
                  "pair of the small ones that sit behind the ear. The rechargeable sort, if you still do them.",
                  "It's my dad's seventieth in June, so I wanted to order something a bit special. Six bottles of the "
                  "champagne, I think, or, no, make it the sparkling from New Zealand, he prefers that, in one of your "
                  "wooden gift boxes with a card. What would that come to, roughly?"],
        "support": ["My left hearing aid has stopped talking to my phone. I used to get my calls straight into both "
                    "ears, and since the phone did an update on Sunday night it only comes through the right one. "
                    "I've turned them both off and on again, twice, and put them back in the charger.",
                    "I'm trying to put the photos of the water damage onto your online claims page, and it gets to "
                    "ninety nine percent and then says upload failed. I've tried them one at a time, I've made them "
                    "smaller, and it does the same every time, and the assessor wants them by Friday."],
        "billing": ["I skipped this month's case. I did it in the app on the second, and I've got the email that "
                    "says skipped, and you've still taken a hundred and twelve dollars off my card for it on the "
                    "fifth. Well, the sixth, it showed up on the sixth.",
                    "I pay for the home insurance monthly, and this month I've got two lots of forty six "
                    "dollars fifty gone out, one on the first and one on the third. I've only got the one house, so "
                    "I can't see how I owe you twice."],
        "complaint": ["I'm not after money, I want to be clear about that. I saw one of your audiologists on "
                      "Thursday, at half past eleven, and he spoke to my son the whole time as if I wasn't in the "
                      "room. When I asked him to slow down, he sighed at me. I'm seventy eight, I'm not daft, and I "
                      "want somebody to hear about it.",
                      "Your courier left my wine on the doorstep in the pouring rain, two bottles were smashed and the "
                      "box was soaked through. When I rang on Monday, a chap called Gareth told me it was my own "
                      "fault for not being in. I'd like to make a complaint, about the courier and about him."],
        "other": ["This might sound daft. My mortgage lender wants a letter from you to show the house is insured, "
                  "something with the date the cover started on it. Is that something you can give me, or have I "
                  "rung the wrong place?",
                  "Is your clinic on the ground floor? My mother's in a wheelchair, her appointment's at twenty past "
                  "two on the ninth, and the last place we went to was up a flight of stairs with no lift. I'd just "
                  "like to know before we set off."],
    },
    "blind11": {
        "retention": ["I've had one of your e-bikes on the monthly subscription since the spring, but work's moved "
                      "me to an office I can walk to, so I'd like to hand the bike back and end the subscription, "
                      "please.",
                      "We're taking our son out of the nursery at the end of term. My mum's retiring and she's going "
                      "to have him instead, so I need to give notice on his place and stop the fees."],
        "sales": ["I've got a hot desk with you three days a week at the moment, and I'm after a proper fixed desk, "
                  "five days, with one of the lockers. What's that going to cost me?",
                  "I want to swap my ordinary bike for one of the cargo ones with the big box on the front, for the "
                  "school run, and add a second bike for my partner while I'm at it. Do you do a deal for two?"],
        "support": ["The bike won't unlock. I scan the code on the handlebars, the app goes green and says ride "
                    "started, and the lock on the back wheel just stays shut. I'm outside the station and I'm going "
                    "to be late for work.",
                    "My door fob stopped working on Monday. It flashes red at the front entrance, so every morning "
                    "I'm stood outside waiting for somebody to let me in, and reception say it's nothing to do "
                    "with them."],
        "billing": ["You've charged us for three days of childcare in the week the nursery was shut for staff "
                    "training. That's a hundred and forty seven pounds for days we couldn't even bring her in.",
                    "I'm on the bike plan at thirty nine ninety nine a month, and this month there's a damage fee of "
                    "eighty five pounds on top. The bike hasn't got a scratch on it, and I took photos when I got "
                    "it."],
        "complaint": ["I'm ringing to complain about the manager at your Canal Street building. I booked the big "
                      "meeting room a fortnight ahead for a client pitch, and when we turned up she'd given it to "
                      "someone else and offered us a corner of the kitchen. In front of my client.",
                      "I want to complain about pick up on Tuesday. I got there at ten to six, and my daughter was "
                      "sat on her own in the corridor with her coat on, and the lad on the door told me I was lucky "
                      "they'd waited. I pay until six o'clock."],
        "other": ["Bit of a random one. Can I have parcels delivered to me at your building, or is there a "
                  "special place they go? I order a lot of bits for work.",
                  "Is it alright to take one of your bikes on the train? I'm off to my sister's for the weekend and "
                  "I don't want to get told off by the guard."],
    },
    "blind12": {
        "retention": ["I've finally got a washer dryer of my own, after years in a flat with no room for one, so I "
                      "don't really need you picking my washing up every week any more. Can we make this week's "
                      "collection the last one?",
                      "We've had the static caravan on your park for six seasons now, and the drive up's getting too "
                      "much for my other half, with his knees. So we've talked it over, and we won't be paying the "
                      "site fees again next year. I wanted to give you plenty of warning."],
        "sales": ["My daughter's been doing English with one of your people on a Monday, and it's gone that well "
                  "her younger brother's asking for his own sessions now. Science, Tuesdays after school, if "
                  "there's anyone free. Could we set that up?",
                  "We're after a week by the coast in August, two adults, three kids and a very excitable spaniel, "
                  "and a friend swears by your lodges with the hot tubs. Have you got one left for the second week? "
                  "If so I'd like to grab it."],
        "support": ["We've been trying to get into the video lesson for half an hour now. My son's sat there with "
                    "his books out, the email says the tutor's ready, but every time we click the link it sits on "
                    "waiting for host and nothing else happens.",
                    "The number you texted me for the barrier at the park entrance isn't doing anything. I've put "
                    "it in four times, the little light goes red, and I've got a car full of shopping and somebody "
                    "beeping at me from behind."],
        "billing": ["I've just been on my online banking, and there's fifty two pounds forty gone out to you on "
                    "Tuesday. We didn't have a pickup last week, we were in Portugal, and I'd paused it in the app "
                    "before we went.",
                    "We stayed in one of your lodges over Easter, and the final invoice has got a ninety five pound "
                    "cleaning charge on it. We left that place gleaming, we even ran the hoover round, and nobody "
                    "mentioned a thing when we handed the keys in."],
        "complaint": ["I sent my mum's wedding dress to you to be cleaned, she passed away in the spring, and it's "
                      "come back with a yellow mark all down the front and the seam split by the zip. When I rang "
                      "the shop the lad said it was probably like that when it went in. It wasn't, and I want "
                      "somebody above him to hear how I've been spoken to.",
                      "The lot in the caravan next to ours had music thumping till three in the morning every single "
                      "night we were there, and when I went to reception about it the woman on the desk rolled her "
                      "eyes and said it's a holiday park, not a library. We've got a four month old. I'm not letting "
                      "that go."],
        "other": ["This isn't a problem as such, more of a question. I retired from teaching last summer, and a "
                  "neighbour said your lot sometimes take on people like me to do a few hours. Who would I want to "
                  "talk to about that?",
                  "Bit of a long shot. We were staying with you over the weekend, and my little boy's gone and left "
                  "his rabbit somewhere, a brown knitted one with one ear missing. He won't settle without it. I "
                  "don't suppose anybody's handed it in?"],
    },
    "blind13": {
        "retention": ["I've had the boiler cover with you for, och, nine years now, and the price goes up every single "
                      "renewal. It's near enough a hundred pounds a quarter. My brother-in-law's a gas engineer, so "
                      "I'm wanting to cancel it when it renews and let him look after the boiler instead.",
                      "Ja, so, I pay you every month for the screen protection plan, where you fix a cracked screen "
                      "for free. But I've got a new phone now and the network gives me cover with it, so I want to "
                      "stop paying for yours, please. Just cancel it from this month."],
        "sales": ["I'd like to book for the Christmas pantomime, please. Two adults and three children, a Saturday "
                  "afternoon if you've got one, and as near the front as we can get. Can you do that for me now?",
                  "I am wanting to buy one of the refurbished phones in your window, the blue one, and trade in my "
                  "old phone against it. Kindly tell me how much it will come to, and I would like to buy it today "
                  "itself if the price is okay."],
        "support": ["You put a new screen on my phone last Thursday, and since yesterday the bottom half of it "
                    "doesn't respond when I touch it. I can't even type my PIN in properly. I've restarted it and "
                    "taken the case off, and it's still the same.",
                    "The boiler's showing a fault code, E one one nine, and there's been no heating and no hot water "
                    "since this morning. The pressure dial's right down at the bottom. I've the kids at home and "
                    "it's baltic in the house."],
        "billing": ["I booked two tickets for the jazz night on your website and you've charged me for four. There's "
                    "two lots of fifty six pounds on my card, same day, same time, and I've only got the one "
                    "confirmation email.",
                    "I am having one doubt regarding my invoice. I was quoted eighty five pounds for the job, but the "
                    "invoice says one hundred and twenty, because of some call-out fee that nobody told me about. I "
                    "want to know why I am being charged this."],
        "complaint": ["I want to make a complaint about the engineer that came out on Tuesday. He trailed mud "
                      "through the whole hall, he was on his phone the entire time, and he told my mother she was too "
                      "old to be working a thermostat. She's eighty, and she's as sharp as a tack. I want somebody to "
                      "know how he spoke to her.",
                      "I'm phoning to complain about one of your ushers at the Saturday matinee. My son's in a "
                      "wheelchair, and she made a big fuss in front of the whole row about where we were allowed to "
                      "sit, and then told us we should have phoned ahead. We had phoned ahead. He was mortified."],
        "other": ["I was at the play on Friday night, and I think I left my reading glasses under the seat, row F, "
                  "near the aisle. Red frames, in a brown case. Has anybody handed them in, do you know?",
                  "Ja, listen, I'm sitting at the robot outside the shopping centre and I can't find your shop. Are "
                  "you upstairs or downstairs, and which entrance is nearest? The map on my phone just says I've "
                  "arrived, and I haven't."],
    },
}
BODIES: dict[Split, dict[str, list[tuple[str, str]]]] = {
    "tune": {
        "retention": [(AGENT, "I am sorry to hear that. You have been with us for six years."),
                      (CUSTOMER, "I know, but forty nine dollars a month is a lot for us.")],
        "sales": [(AGENT, "Great choice. That plan is fifty nine dollars a month with unlimited data."),
                  (CUSTOMER, "Okay, and is there a setup fee?")],
        "support": [(AGENT, "Let us take a look. Can you unplug the modem, wait thirty seconds and plug it back in?"),
                    (CUSTOMER, "Okay, done. The light is blinking orange now."),
                    (AGENT, "Thanks. I am running a line test, it shows your modem is failing.")],
        "billing": [(AGENT, "Let me pull up your account. I see two charges of sixty four dollars on March first."),
                    (CUSTOMER, "Yes, that is exactly what I mean.")],
        "complaint": [(AGENT, "I am really sorry about that, that is not how we want anyone treated."),
                      (CUSTOMER, "I have been a customer for years and I have never been this disappointed.")],
        "other": [(AGENT, "Sure, let me check that for you."), (CUSTOMER, "Thanks, I appreciate it.")],
    },
    "heldout": {
        "retention": [(AGENT, "I understand. Can I ask what would make you stay?"),
                      (CUSTOMER, "Not much, the other company is twenty dollars cheaper.")],
        "sales": [(AGENT, "Good news, it's on promotion at eighty dollars a month for the first year."),
                  (CUSTOMER, "That sounds good. When could it start?")],
        "support": [(AGENT, "Let me run a quick check on your account. Could you restart the device for me?"),
                    (CUSTOMER, "I did that twice already, it didn't help."),
                    (AGENT, "I see the fault on our side, the box needs replacing.")],
        "billing": [(AGENT, "Let me look at that. I can see a thirty five dollar late fee from last week."),
                    (CUSTOMER, "Right, and my payment went out on the due date.")],
        "complaint": [(AGENT, "I'm so sorry, that should never have happened."),
                      (CUSTOMER, "It's unacceptable, I want someone to take responsibility.")],
        "other": [(AGENT, "Of course, give me one second to look that up."), (CUSTOMER, "No rush.")],
    },
    "blind": {
        "retention": [(AGENT, "That's a shame, you've been with us a long time."),
                      (CUSTOMER, "I know, but the other offer is hard to ignore.")],
        "sales": [(AGENT, "The unlimited plan is sixty five dollars a month, and there's no activation fee this week."),
                  (CUSTOMER, "Okay, that's better than I expected.")],
        "support": [(AGENT, "Let me check the network in your area. Can you switch the phone off and on again?"),
                    (CUSTOMER, "Sure, hold on. No, still nothing."),
                    (AGENT, "I can see a problem with the mast near you.")],
        "billing": [(AGENT, "Let me check your statement. There's a charge of ninety two dollars for roaming."),
                    (CUSTOMER, "I haven't been abroad at all.")],
        "complaint": [(AGENT, "I'm very sorry, you should have been told about any change."),
                      (CUSTOMER, "I took a day off work for nothing.")],
        "other": [(AGENT, "Sure, I can help with that."), (CUSTOMER, "Great, thanks.")],
    },
    "blind2": {
        "retention": [(AGENT, "I'm sorry you're thinking of leaving. What price were you offered?"),
                      (CUSTOMER, "About thirty dollars less a month.")],
        "sales": [(AGENT, "That would be forty five dollars a month on a two year deal."),
                  (CUSTOMER, "Right, that seems reasonable.")],
        "support": [(AGENT, "Let's try a reset. Could you hold the button for ten seconds?"),
                    (CUSTOMER, "Done. It's still the same."),
                    (AGENT, "Okay, I can see the device isn't responding on our side.")],
        "billing": [(AGENT, "Let me go through the account. I see the payment bounced on the first."),
                    (CUSTOMER, "There was money in the account though.")],
        "complaint": [(AGENT, "I'm truly sorry, that's not the standard we expect."),
                      (CUSTOMER, "It's been a really stressful week because of it.")],
        "other": [(AGENT, "Let me find that out for you."), (CUSTOMER, "Thank you.")],
    },
    "blind3": {
        "retention": [(AGENT, "Sorry to hear that. Can I ask how long you've had the account with us?"),
                      (CUSTOMER, "About four years, but it's just not worth it for me any more.")],
        "sales": [(AGENT, "Sure, that one is twenty two dollars a month, on top of what you pay now."),
                  (CUSTOMER, "That's not bad at all, what happens next?")],
        "support": [(AGENT, "Okay, let me run a check on your account and the system on our end. Bear with me."),
                    (CUSTOMER, "Sure, take your time."),
                    (AGENT, "Right, I can see an issue logged on our side, so it's nothing you've done.")],
        "billing": [(AGENT, "Let me open up your last statement. I can see a usage charge of one hundred and "
                            "eighteen dollars."),
                    (CUSTOMER, "That's about three times what I normally pay.")],
        "complaint": [(AGENT, "I'm really sorry you've had that experience, and thank you for telling us."),
                      (CUSTOMER, "I just want somebody to actually listen for once.")],
        "other": [(AGENT, "Good question, let me see who deals with that."), (CUSTOMER, "Okay, I'll hang on.")],
    },
    "blind4": {
        "retention": [(AGENT, "Oh no, I'd hate to lose you. Do you mind if I have a look at what you're paying at "
                              "the moment?"),
                      (CUSTOMER, "Go ahead, but it'll have to be a pretty good offer.")],
        "sales": [(AGENT, "Let me have a look at the options. That would come to an extra thirty four pounds a "
                          "month, taken with your usual direct debit."),
                  (CUSTOMER, "Right, I can live with that.")],
        "support": [(AGENT, "Okay, let's do a few checks together. Are you near the device at the moment?"),
                    (CUSTOMER, "Yep, I'm sat right next to it."),
                    (AGENT, "Thanks. Right, the diagnostics have come back and there's a fault showing at our end.")],
        "billing": [(AGENT, "Let me bring up your payment history. Yes, I can see eighty seven pounds fifty taken "
                            "on the fourteenth."),
                    (CUSTOMER, "That's the one, I've no idea what it's for.")],
        "complaint": [(AGENT, "I'm genuinely sorry. I've read the notes, and that's not acceptable from us."),
                      (CUSTOMER, "No, it isn't, and to be honest I'm still quite shaken by it.")],
        "other": [(AGENT, "Happy to help with that, give me a moment to check."), (CUSTOMER, "Sure, no worries.")],
    },
    "blind5": {
        "retention": [(AGENT, "Ah, that'd be a real shame. Before you make up your mind, can I ask what it'd take "
                              "for you to hang around?"),
                      (CUSTOMER, "I dunno, honestly. If the monthly fee came down a decent bit I'd probably think "
                                 "about it.")],
        "sales": [(AGENT, "Right, let me pull up the price list. With installation it comes out at around six hundred "
                          "and forty dollars, and you can pay that off monthly if you'd rather."),
                  (CUSTOMER, "Hmm, okay, that's a bit less than I'd braced myself for, to be fair.")],
        "support": [(AGENT, "Okay, let's see if we can get to the bottom of it. Could you find the little reset "
                            "button on the side of the unit and hold it in until the lights go out?"),
                    (CUSTOMER, "Hang on, I'll have to grab a chair. Right, done. It's come back on, but it's doing "
                               "exactly the same thing."),
                    (AGENT, "Thanks for trying that. I've pulled the logs up remotely, and the unit's reporting a "
                            "hardware fault.")],
        "billing": [(AGENT, "Okay, let me bring up the account history. I can see an extra charge of forty one "
                            "dollars dated the ninth, on top of your normal amount."),
                    (CUSTOMER, "Yeah, that's the one, and nobody said a word to me about it.")],
        "complaint": [(AGENT, "Oh no, I'm really sorry to hear that, and I've got the notes from last time up in "
                              "front of me."),
                      (CUSTOMER, "Well, I've been with you a long while and I've never been spoken to like that "
                                 "before. It's left a bad taste, honestly.")],
        "other": [(AGENT, "Sure, no dramas, let me just have a look on my end."), (CUSTOMER, "Good on you, thanks.")],
    },
    "blind6": {
        "retention": [(AGENT, "Okay. Before I start any of that, would you let me tell you what we could do to keep "
                              "you?"),
                      (CUSTOMER, "Go on then, but I'll warn you now, my mind's pretty much made up.")],
        "sales": [(AGENT, "Yes, we can do that. It comes to an extra hundred and ten dollars altogether, and there's "
                          "nothing to pay until the day itself."),
                  (CUSTOMER, "Hm, that's fair enough. What do you need from me?")],
        "support": [(AGENT, "Right, I'll try it from my side. Could you close it down completely and open it up "
                            "again for me?"),
                    (CUSTOMER, "Done that. Same again, it's just not having it."),
                    (AGENT, "Okay, thanks. There are errors logged against your reference on our system, so it's a "
                            "fault at our end, not your phone.")],
        "billing": [(AGENT, "Give me a second to bring up your payments. Right, I can see the sum you mean, dated "
                            "the second of this month."),
                    (CUSTOMER, "That's it. I want to know what it's for, because as far as I'm concerned I don't owe "
                               "you a penny.")],
        "complaint": [(AGENT, "I'm so sorry. I can hear how upsetting that was, and I'm not going to make excuses "
                              "for it."),
                      (CUSTOMER, "Thank you. I just don't want anybody else going through the same.")],
        "other": [(AGENT, "Not a problem at all, let me see what I can do."), (CUSTOMER, "Lovely, I'll wait.")],
    },
    "blind7": {
        "retention": [(AGENT, "Oh, I'm sorry to hear you want to go. Would you give me a minute to look at your "
                              "account and see whether there's anything I can offer you?"),
                      (CUSTOMER, "Um, yes, okay, you can look, but I am quite sure I want to leave.")],
        "sales": [(AGENT, "Let me check what's available. Right, I can do that for you, and all in it comes to nine "
                          "hundred and sixty euros. You can pay a deposit today and the rest later on."),
                  (CUSTOMER, "Hmm, okay, that's about what I expected. So, um, how does it work from here?")],
        "support": [(AGENT, "Okay, let's have a look together. Could you log out, then log back in again, and tell me "
                            "what you see?"),
                    (CUSTOMER, "Um, hang on. Right, I've done it, and no, it's exactly the same as before."),
                    (AGENT, "Thank you for trying. I can see on my screen that your account has got stuck on our "
                            "side, so the problem is with us and not with you.")],
        "billing": [(AGENT, "Let me go through the payment records with you. Okay, I've found the amount you mean, "
                            "it's showing on the account from the sixth of this month."),
                    (CUSTOMER, "Yes, that's the one, and as far as we can tell it's simply wrong.")],
        "complaint": [(AGENT, "Oh, I'm so sorry. Nobody should be treated like that, and I've written down "
                              "everything you've told me."),
                      (CUSTOMER, "Thank you. I'm not somebody who normally complains, but this really got to me.")],
        "other": [(AGENT, "Oh, that's a new one for me. Give me a second and I'll find out who looks after that."),
                  (CUSTOMER, "Of course, um, take as long as you need.")],
    },
    "blind8": {
        "retention": [(AGENT, "I understand. Before I process that, I'm required to review your account for any "
                              "retention offers that may be available to you. Is that acceptable?"),
                      (CUSTOMER, "If you must. I doubt it will change my mind, though.")],
        "sales": [(AGENT, "Certainly. According to our current price list, that plan is thirty nine dollars a month, "
                          "and there is no joining fee for existing customers."),
                  (CUSTOMER, "Thirty nine. Fine. That's less than I thought it would be.")],
        "support": [(AGENT, "Understood. Can I just check, are you using our mobile app at the moment?"),
                    (CUSTOMER, "No, no. The website, on my laptop. Not the app."),
                    (AGENT, "Apologies, the website. I've checked the system logs, and there's an error recorded "
                            "against your account on our side, so it isn't anything you've done.")],
        "billing": [(AGENT, "Let me review your transaction history. I can see one payment of fifty four dollars on "
                            "the ninth."),
                    (CUSTOMER, "And another one on the nineteenth. You've only read me the first of them."),
                    (AGENT, "My apologies, you're right. There are two payments of fifty four dollars, on the ninth "
                            "and the nineteenth, for the same visit.")],
        "complaint": [(AGENT, "I sincerely apologise for the inconvenience this has caused. Your feedback is "
                              "extremely valuable to us, and I have documented all of the details."),
                      (CUSTOMER, "It isn't feedback. It's a complaint, and I'd like it treated as one.")],
        "other": [(AGENT, "Certainly. I'll need to consult the appropriate department, so please bear with me."),
                  (CUSTOMER, "Okay. I'll hold.")],
    },
    "blind9": {
        "retention": [(AGENT, "Okay, I hear you. Can I ask, is it mainly the price, or is something else not working "
                              "for you?"),
                      (CUSTOMER, "Bit of both, if I'm honest. Mostly the money, though.")],
        "sales": [(AGENT, "Let me just price that up for you. Okay, all in, that comes to four hundred and thirty "
                          "dollars, and we'd take a sixty dollar deposit today to hold it."),
                  (CUSTOMER, "Right. Okay. That's, um, cheaper than I'd worked out in my head, actually.")],
        "support": [(AGENT, "Right, I'm just opening your profile on my side. Meanwhile, could you try it on another "
                            "phone or a computer, if there's one to hand?"),
                    (CUSTOMER, "Um, only my son's tablet. Hang on. Nope, same thing on there too."),
                    (AGENT, "Oh, hang about, there it is. There's a lock stuck on your profile in our system, and "
                            "that's what's causing it, so it's our mess, not yours.")],
        "billing": [(AGENT, "Hold on, I'll check what's gone in and out. Right, yes, found it, it went through on the "
                            "eleventh."),
                    (CUSTOMER, "Yep, that's it. I've gone over it twice and I'm sure it's a mistake.")],
        "complaint": [(AGENT, "Oh, gosh. I'm sorry, that sounds awful, and you shouldn't have had to deal with any of "
                              "it."),
                      (CUSTOMER, "No, I shouldn't. And the worst bit is nobody even apologised at the time.")],
        "other": [(AGENT, "Huh, not one I get every day. Give me two ticks to find out."),
                  (CUSTOMER, "Course, no problem, I'm not going anywhere.")],
    },
    "blind10": {
        "retention": [(AGENT, "Okay. I'm glad you rang us first, rather than just stopping the payments. I can see "
                              "you've been with us since twenty nineteen. Can I just check your current price "
                              "before we do anything?"),
                      (CUSTOMER, "Go on, then. I'll listen. It'd have to be a proper saving, though, not a couple of "
                                 "dollars.")],
        "sales": [(AGENT, "Oh, lovely. Let me put that together. Right, with everything included, you're looking "
                          "at seven hundred and fifteen dollars, and you can split it over three months if that's "
                          "easier."),
                  (CUSTOMER, "Seven fifteen. Hm. Okay, that's actually a bit under what I'd set aside.")],
        "support": [(AGENT, "Right, I've got your details up. Could you try it once more while I watch on my side, and "
                            "tell me exactly what happens?"),
                    (CUSTOMER, "Okay, hang on. Um. No, same as before. It gets so far and then it just gives up."),
                    (AGENT, "Yep, I saw that. There's a setting stuck on our system for your account, from a change "
                            "we made last week, so you haven't broken anything.")],
        "billing": [(AGENT, "Bear with me while I get your payments up. Okay, yes, there it is, I can see the one you "
                            "mean."),
                    (CUSTOMER, "That's it. I've been through it with a pen and paper, and it shouldn't be there.")],
        "complaint": [(AGENT, "I'm sorry. That isn't okay, and I won't pretend it is. I've typed up what you've told "
                              "me, as close to your words as I could."),
                      (CUSTOMER, "Thank you. I very nearly didn't ring at all, I thought what's the point.")],
        "other": [(AGENT, "Oh, right. Do you know, that's a good question. Give me a minute to find out what we "
                          "normally do."),
                  (CUSTOMER, "Thanks. Sorry, I know it's probably not what this line is for. Lovely weather today, "
                             "isn't it, anyway?"),
                  (AGENT, "Isn't it? I can see it out of the window, and here I am indoors. Right, here we are.")],
    },
    "blind11": {
        "retention": [(AGENT, "Oh, okay. Can I ask, before I do anything, is it the price, or is it more that things "
                              "have changed for you?"),
                      (CUSTOMER, "Mostly that things have changed. The money doesn't help, mind.")],
        "sales": [(AGENT, "Let me have a quick look at the rates. Right, that works out at a hundred and ninety five "
                          "pounds a month all in, and the first month's half price."),
                  (CUSTOMER, "A hundred and ninety five. Okay, let me just scribble that down.")],
        "support": [(AGENT, "Right, let's try something. Could you switch it off completely, leave it a minute, and "
                            "then have another go for me?"),
                    (CUSTOMER, "Hold on a moment. Right, tried it, and no, nothing's changed."),
                    (AGENT, "Cheers for giving that a go. I've had a look at the log on my side, and there's an error "
                            "on your account from our last system update, so it's not anything you've done.")],
        "billing": [(AGENT, "Let's get your statement up. Okay, yes, I've got it in front of me, and I can see the "
                            "charge you're talking about, it went out on the fourth."),
                    (CUSTOMER, "Right, that one. I've checked it against the calendar on my fridge and it just doesn't "
                               "add up.")],
        "complaint": [(AGENT, "Gosh, I'm sorry. That sounds horrible, and I'd be upset too. I've taken down "
                              "everything you've said, word for word."),
                      (CUSTOMER, "I appreciate that. I've been stewing on it all week, to be honest.")],
        "other": [(AGENT, "Ooh, now that's one I'll have to check. Give me half a tick."),
                  (CUSTOMER, "Course. Sorry, I'm walking, so it might be a bit windy this end.")],
    },
    "blind12": {
        "retention": [(AGENT, "Oh, that's a shame to hear. Do you mind me asking how long you've been weighing it "
                              "up?"),
                      (CUSTOMER, "A little while, honestly. It's nothing you've done, it's just that life's moved on "
                                 "a bit.")],
        "sales": [(AGENT, "Ooh, lovely. Let me work that out for you. Right, that comes to two hundred and eighty "
                          "pounds, and you can put a quarter down now and the rest nearer the time."),
                  (CUSTOMER, "Two eighty. Okay. That's around what I'd guessed, a touch under if anything.")],
        "support": [(AGENT, "Okay, could you try it one more time while I keep an eye on it from my screen?"),
                    (CUSTOMER, "Right, doing it now. No, look, it's just the same, it won't have it."),
                    (AGENT, "Yep, I've spotted it. Your details got muddled when we moved everything onto the new "
                            "system last week, so it's our doing, not yours.")],
        "billing": [(AGENT, "Let me pull your payments up. Yes, okay, I've got it on the screen now, the one "
                            "you're asking about."),
                    (CUSTOMER, "That's the one. I've gone over it three times and I can't see any reason for it.")],
        "complaint": [(AGENT, "That's dreadful, and I'm sorry. I've written it all down just as you've told me, "
                              "and I'm not going to argue with a word of it."),
                      (CUSTOMER, "Thank you. That's already more than I got the last time I rang.")],
        "other": [(AGENT, "Right, that's not one I know off the top of my head. Let me have a quick ask around."),
                  (CUSTOMER, "No bother at all. I've just put the kettle on, so I'm in no hurry.")],
    },
    "blind13": {
        "retention": [(AGENT, "Okay. Before I cancel anything, I'm meant to read you our loyalty offer, so, um, bear "
                              "with me, it's quite a long one."),
                      (CUSTOMER, "Go on then, read it out. But I'm on the motorway, so keep it short, would you?")],
        "sales": [(AGENT, "Right, I've priced it all up. Altogether that comes to three hundred and forty two pounds, "
                          "and there's twenty off if you pay today."),
                  (CUSTOMER, "Sorry, you cut out there. How much did you say?"),
                  (AGENT, "Three hundred and forty two pounds, with twenty off if it's paid today."),
                  (CUSTOMER, "Okay, got it that time. That's fine, that's about what I'd expected.")],
        "support": [(AGENT, "Let's try the simple thing first. Could you switch it off completely, count to thirty, "
                            "and switch it back on for me?"),
                    (CUSTOMER, "Ag, I did that twice already this morning. Okay, hang on, I'll do it again. No, it's "
                               "the same."),
                    (AGENT, "Right, thanks for trying. I can see from the notes on your account that there's a known "
                            "fault on our side, so it's nothing you've done.")],
        "billing": [(AGENT, "Let me open up your payments. Okay, I can see the charge you mean, it went out on the "
                            "twelfth."),
                    (CUSTOMER, "Sorry, the what? You're on the speaker and the kids are shouting."),
                    (AGENT, "The twelfth. It went out on the twelfth of this month."),
                    (CUSTOMER, "Right, the twelfth, that's the one. It shouldn't be there.")],
        "complaint": [(AGENT, "Oh, I'm so sorry to hear that. That's not on at all, and I've taken down "
                              "everything you've told me, just as you said it."),
                      (CUSTOMER, "Thank you. I'll be honest, I was raging when I picked up the phone, but it helps "
                                 "that you're listening.")],
        "other": [(AGENT, "Let me find out for you. Can you hold on a wee minute?"),
                  (CUSTOMER, "Aye, on you go, I'll hang on here.")],
    },
}
# What fixing each type's request means; the outcome banks below say whether it happened.
FIXES: dict[Split, dict[str, str]] = {
    "tune": {"retention": "apply a twenty percent discount for the next twelve months",
             "sales": "add the fiber plan to your account starting Monday",
             "support": "ship you a replacement modem within two business days",
             "billing": "refund the duplicate charge of sixty four dollars",
             "complaint": "put a fifty dollar credit on your account",
             "other": "text you the store hours and the address"},
    "heldout": {"retention": "waive your next two monthly fees if you stay with us",
                "sales": "set up the bundle with installation this Friday",
                "support": "send a new box by courier, it should arrive by Wednesday",
                "billing": "remove the late fee and credit thirty five dollars back",
                "complaint": "file a formal report and credit your account with forty dollars",
                "other": "email you the branch address and opening times"},
    "blind": {"retention": "give you a loyalty discount of fifteen dollars a month for a year",
              "sales": "activate the unlimited plan on your line from tomorrow",
              "support": "send you a signal booster at no cost",
              "billing": "reverse the ninety two dollar charge",
              "complaint": "book a new appointment for tomorrow morning and credit twenty five dollars",
              "other": "send the details to your email today"},
    "blind2": {"retention": "match that price and take thirty dollars off your monthly bill",
               "sales": "order the fibre upgrade and have it live by next Monday",
               "support": "send a replacement unit by express delivery",
               "billing": "refund the failed payment charge of twelve dollars",
               "complaint": "send someone to repair the tile and add a sixty dollar credit",
               "other": "post you the office address and opening hours"},
    "blind3": {"retention": "keep you on half price for the next six months",
               "sales": "move you up to the premium tier from today",
               "support": "push a fix to your account and reset everything remotely",
               "billing": "take the extra charge off and send you a corrected bill",
               "complaint": "log this as a formal complaint and give you a month free of charge",
               "other": "pass your question to the right team and send you their contact details"},
    "blind4": {"retention": "freeze your price at this year's rate and add a free month on top",
               "sales": "get that added to your account from the start of next week",
               "support": "reset your account at our end so everything works again",
               "billing": "refund the eighty seven pounds fifty back onto your card",
               "complaint": "put a formal note on the record and send you a thirty pound voucher as an apology",
               "other": "send you those details by text message"},
    "blind5": {"retention": "knock a quarter off what you pay each month for the next twelve months",
               "sales": "book the installation in for next Thursday and add it to your plan",
               "support": "push a firmware update to the unit remotely and clear the fault",
               "billing": "credit the forty one dollars back to your account before your next bill",
               "complaint": "log a formal complaint on your file and put a fifty dollar goodwill credit on your "
                            "account",
               "other": "find out the answer for you and text it through before the end of the day"},
    "blind6": {"retention": "take forty percent off your monthly payment for the next nine months",
               "sales": "change the booking over and send you the new confirmation straight away",
               "support": "reset it on our system and get it working again while you're on the line",
               "billing": "put the full amount back on the card you paid with within three working days",
               "complaint": "record this formally against the branch and send you a written apology with a "
                            "seventy five dollar credit",
               "other": "sort that out for you and email you a note confirming it this afternoon"},
    "blind7": {"retention": "waive your next three payments completely and then lock your price for two years",
               "sales": "place the order today and email you a confirmation with all the dates",
               "support": "clear the fault on your account so that everything works again, and email you to "
                          "confirm it",
               "billing": "correct the account and pay back anything that was taken by mistake by Wednesday",
               "complaint": "send you a hundred euro voucher and a written apology from the manager involved",
               "other": "put you in touch with the person who deals with that and send you her details today"},
    "blind8": {"retention": "take thirty percent off your plan for the next twelve months and add two extra visits "
                            "at no charge",
               "sales": "move you onto the new plan from the first of next month and send the paperwork to your "
                        "email",
               "support": "reset your online account at our end and text you a link so you can log straight back in",
               "billing": "refund the second payment of fifty four dollars to your card within five working days",
               "complaint": "log it as a formal complaint and refund the cost of your last visit in full",
               "other": "check our records and send you a written answer by email before the end of the day"},
    "blind9": {"retention": "cut your monthly payment by a third from now until next summer",
               "sales": "put it all through today and send a receipt for the deposit to your phone",
               "support": "clear the lock on your profile so everything works for you again",
               "billing": "put the overcharged amount back on your card, and it'll show up in three to five days",
               "complaint": "put this on file as an official complaint and refund every cent you paid for that "
                            "day",
               "other": "get you an answer from the office and text it over to you, so you've got it in writing"},
    "blind10": {"retention": "take twenty percent off what you pay for the coming year",
                "sales": "put the order through now and email you a receipt with the delivery date on it",
                "support": "clear that stuck setting from our side so it all works again",
                "billing": "refund that payment in full to the card it came from",
                "complaint": "record it as a formal complaint against the staff member and put a sixty dollar credit "
                             "on your account",
                "other": "put the answer in writing and email it over to you straight away"},
    "blind11": {"retention": "halve your monthly fee for the next four months, with no minimum term after that",
                "sales": "switch you over from Monday and email you the new agreement",
                "support": "reset your access on our system so it works again straight away",
                "billing": "take that charge off and refund it to your bank account by Friday",
                "complaint": "log it as a formal complaint and credit you a full month's fees",
                "other": "give you the go-ahead and text over the details so you've got them in writing"},
    "blind12": {"retention": "freeze your payments for the next two months and then take fifteen percent off for the "
                             "rest of the year",
                "sales": "book that in for you now and email the confirmation with the first payment date on it",
                "support": "wipe the bad entry on our system and text you a brand new code that works first time",
                "billing": "cancel that charge and get every penny of it back to you within three days",
                "complaint": "pass it to the manager involved for a written answer and pay you fifty pounds as a "
                             "goodwill gesture",
                "other": "get you the direct number of the person who looks after that, so you can ring them "
                         "yourself"},
    "blind13": {"retention": "cut your payments by a third for the next year and add a free month at the end of it",
                "sales": "process it all today and send the confirmation and the receipt to your phone by text",
                "support": "clear the fault from our end and check with you that it's working properly again",
                "billing": "refund the money that shouldn't have been taken, back onto your card by Friday",
                "complaint": "open a formal complaint in your name, and send you a written apology and a forty "
                             "pound voucher",
                "other": "find that out for you and text you the answer before five o'clock today"},
}
CLOSINGS: dict[Split, dict[str, list[list[tuple[str, str]]]]] = {
    "tune": {
        "resolved": [[(AGENT, "What I can do is {fix}. Would that work for you?"),
                      (CUSTOMER, "Yes, that works perfectly. Thank you so much for your help."),
                      (AGENT, "Done, you will get a confirmation email shortly.")],
                     [(AGENT, "Okay, I will {fix}, and that is all taken care of now."),
                      (CUSTOMER, "Great, that solves it. Thanks a lot.")]],
        "partial": [[(AGENT, "I have fixed part of it today, but a technician needs to visit on Thursday to finish."),
                     (CUSTOMER, "Okay, I will wait for the technician then.")],
                    [(AGENT, "I can't {fix} right now, our review team has to approve it. I will call you back "
                             "tomorrow with an answer."),
                     (CUSTOMER, "Alright, I will wait for your call.")]],
        "escalated": [[(AGENT, "This is beyond what I can approve, so I am going to transfer you to my supervisor "
                               "now. Please hold."),
                       (CUSTOMER, "Okay, I will hold.")],
                      [(AGENT, "I will escalate this to our specialist team, a senior engineer will contact you "
                               "within twenty four hours."),
                       (CUSTOMER, "Fine, I hope they can actually do something.")]],
        "unresolved": [[(AGENT, "I am sorry, unfortunately there is nothing more I can do about that."),
                        (CUSTOMER, "That is ridiculous. I am not happy at all. Goodbye.")],
                       [(AGENT, "I am afraid our policy does not allow me to {fix}."),
                        (CUSTOMER, "So you won't help me. What a waste of my time.")]],
    },
    "heldout": {
        "resolved": [[(AGENT, "Here's what we'll do: we'll {fix}. You can drop the old one off at any store, "
                              "or use the prepaid label."),
                      (CUSTOMER, "Perfect, that's exactly what I needed. I really appreciate it.")],
                     [(AGENT, "I've gone ahead and arranged to {fix}. Is that okay?"),
                      (CUSTOMER, "Yes please, that sorts it out. Thank you.")]],
        "partial": [[(AGENT, "I've opened a ticket for the rest of it, and someone from our team will follow up "
                             "with you on Monday."),
                     (CUSTOMER, "Okay, so it's only half done, but fine.")],
                    [(AGENT, "For now I've applied a temporary fix, and we'll schedule a callback to finish the "
                             "rest."),
                     (CUSTOMER, "Alright, at least something is moving.")]],
        "escalated": [[(AGENT, "I'm going to pass this to my manager, let me connect you with her right away."),
                       (CUSTOMER, "Okay, thank you.")],
                      [(AGENT, "I'll raise this with our escalations department, they'll reach out to you by "
                               "tomorrow evening."),
                       (CUSTOMER, "Alright, I'll wait to hear from them.")]],
        "unresolved": [[(AGENT, "I'm sorry, but I'm not able to {fix}, that's simply not possible."),
                        (CUSTOMER, "Then I'm not satisfied at all. Bye.")],
                       [(AGENT, "Unfortunately that's outside what we can offer."),
                        (CUSTOMER, "Well, that doesn't help me one bit. Forget it.")]],
    },
    "blind": {
        "resolved": [[(AGENT, "Okay, I'll {fix} right now. Does that sound good?"),
                      (CUSTOMER, "Yes, brilliant, thank you, that's all I wanted.")],
                     [(AGENT, "All done, I was able to {fix}."),
                      (CUSTOMER, "Wonderful, thanks for sorting that out.")]],
        "partial": [[(AGENT, "I've sorted out the first part, but the rest needs a technician, who'll come out "
                             "next Tuesday."),
                     (CUSTOMER, "Fine, I'll be home on Tuesday.")],
                    [(AGENT, "I've put in a request to {fix}, it needs approval, so we'll get back to you within "
                             "three days."),
                     (CUSTOMER, "Okay, I'll wait for that then.")]],
        "escalated": [[(AGENT, "I'll put you through to our complaints team, they can handle this. One moment "
                               "please."),
                       (CUSTOMER, "Fine.")],
                      [(AGENT, "I'm going to hand this over to a supervisor, who will call you back this afternoon."),
                       (CUSTOMER, "Okay, thanks.")]],
        "unresolved": [[(AGENT, "I'm afraid I can't {fix}, there's nothing I can do."),
                        (CUSTOMER, "That's really disappointing. I'll take my business elsewhere.")],
                       [(AGENT, "Sorry, our system won't let me change that."),
                        (CUSTOMER, "This is useless. Goodbye.")]],
    },
    "blind2": {
        "resolved": [[(AGENT, "Right, I've arranged to {fix}. How does that sound?"),
                      (CUSTOMER, "That's great, thank you, problem sorted.")],
                     [(AGENT, "Good news, I can {fix}, and it's already done."),
                      (CUSTOMER, "Excellent, thank you very much.")]],
        "partial": [[(AGENT, "I've done what I can today, an engineer will need to come out on Friday to finish it."),
                     (CUSTOMER, "Okay, Friday it is.")],
                    [(AGENT, "I've asked our team to {fix}, they need to review it first and will call you back by "
                             "Thursday."),
                     (CUSTOMER, "Fine, I'll wait for the call.")]],
        "escalated": [[(AGENT, "I'm going to transfer you to a senior advisor who can sort this out. Please hold."),
                       (CUSTOMER, "Alright.")],
                      [(AGENT, "I'm escalating this to our management team, and someone will contact you tomorrow."),
                       (CUSTOMER, "Okay, I'll expect their call.")]],
        "unresolved": [[(AGENT, "I'm sorry, I'm unable to {fix}, it's against our policy."),
                        (CUSTOMER, "That's not good enough. I'm very disappointed. Bye.")],
                       [(AGENT, "Unfortunately there's nothing else I can do today."),
                        (CUSTOMER, "Well, that's a waste of my time then.")]],
    },
    "blind3": {
        "resolved": [[(AGENT, "Here's what I can offer: I can {fix}. Shall I go ahead?"),
                      (CUSTOMER, "Yes please, go ahead, that's perfect."),
                      (AGENT, "Lovely, that's all set up for you now.")],
                     [(AGENT, "Right, I've managed to {fix} while we've been talking."),
                      (CUSTOMER, "Oh, that's everything I needed then, cheers.")]],
        "partial": [[(AGENT, "I've sorted the first half of it now, but the rest has to go to our back office, and "
                             "they'll ring you on Wednesday."),
                     (CUSTOMER, "Okay, so I'll hear from them on Wednesday.")],
                    [(AGENT, "I've started the process to {fix}, but it has to be signed off by our accounts team "
                             "first, which takes up to five working days. I'll phone you when it's through."),
                     (CUSTOMER, "Right, I'll keep an eye out for your call.")]],
        "escalated": [[(AGENT, "This needs someone more senior, so I'm putting you through to my team leader now, "
                               "stay on the line."),
                       (CUSTOMER, "Okay, I'll stay on.")],
                      [(AGENT, "I'm passing your case up to our specialist resolutions team, they'll be in touch "
                               "within two working days."),
                       (CUSTOMER, "Fair enough, I'll wait for them.")]],
        "unresolved": [[(AGENT, "I've checked everything and I'm afraid the answer is no, I can't {fix}."),
                        (CUSTOMER, "Unbelievable. I'm really not happy with this.")],
                       [(AGENT, "I'm sorry, there's no way for me to change that from here."),
                        (CUSTOMER, "Then this call has been pointless. Goodbye.")]],
    },
    "blind4": {
        "resolved": [[(AGENT, "Okay, so what I'm going to do is {fix}. Are you happy with that?"),
                      (CUSTOMER, "Yeah, that's spot on, thanks ever so much."),
                      (AGENT, "You're welcome, it's all gone through on the system.")],
                     [(AGENT, "Good news, I've been able to {fix}, so there's nothing else you need to do."),
                      (CUSTOMER, "Oh fantastic, that's a weight off my mind, thank you.")]],
        "partial": [[(AGENT, "So that's the first bit done. The other half I can't finish until some paperwork comes "
                             "back, so I'll ring you myself on Friday to wrap it up."),
                     (CUSTOMER, "Okay, half done is better than nothing. Speak to you Friday.")],
                    [(AGENT, "I've got the ball rolling to {fix}, but it won't be confirmed until it's been checked "
                             "over, which can take a week or so. You'll get a letter once it's approved."),
                     (CUSTOMER, "Alright, I'll watch the post for it then.")]],
        "escalated": [[(AGENT, "I'm not the right person to decide that, so I'm putting you through to our customer "
                               "relations desk. Please don't hang up, it'll ring for a moment."),
                       (CUSTOMER, "Right, I'll hang on.")],
                      [(AGENT, "I'm referring this to our senior case handler, she has more authority than me and "
                               "she'll phone you personally before close of business tomorrow."),
                       (CUSTOMER, "Okay, as long as somebody actually rings me.")]],
        "unresolved": [[(AGENT, "I've looked at every option and I just can't {fix}, I'm sorry."),
                        (CUSTOMER, "Well that's no use to me whatsoever. I'm absolutely livid.")],
                       [(AGENT, "I'm afraid my hands are tied on this one, the system simply won't allow it."),
                        (CUSTOMER, "So I've sat on hold for twenty minutes for nothing. I'm not impressed at all.")]],
    },
    "blind5": {
        "resolved": [[(AGENT, "Alright, how about this: I'll {fix}. Would that suit you?"),
                      (CUSTOMER, "Yeah, that'd be grand, thanks a million, go ahead."),
                      (AGENT, "Beaut, that's done, and you'll see it on the account within the hour.")],
                     [(AGENT, "Okay, that's all been put through on my end now, done and dusted, there's nothing "
                              "more you need to do."),
                      (CUSTOMER, "Ah, you're a legend. That's sorted then, cheers.")]],
        "partial": [[(AGENT, "So I've made a start on it, but I can't finish the rest from here. Someone from our "
                             "field team will need to come out, and they'll be in touch on Monday to book a time."),
                     (CUSTOMER, "Okay, not ideal, but I'll wait to hear from them Monday.")],
                    [(AGENT, "I've put a request in to {fix}, but it needs a second pair of eyes from our review "
                             "team before it goes through, usually two or three days. I'll give you a bell as soon "
                             "as I hear back."),
                     (CUSTOMER, "Right you are, I'll wait for your call then.")]],
        "escalated": [[(AGENT, "This is a bit above my pay grade, to be honest, so I'm going to pop you through to my "
                               "supervisor now. Just hold the line for me."),
                       (CUSTOMER, "No worries, I'll hold.")],
                      [(AGENT, "I'm raising this with our specialist case team, they look after exactly this sort of "
                               "thing, and one of them will ring you by tomorrow afternoon."),
                       (CUSTOMER, "Okay then, I'll keep the phone on me.")]],
        "unresolved": [[(AGENT, "I've gone through it every which way and I'm sorry, I'm not able to {fix}."),
                        (CUSTOMER, "You're joking. That's a load of rubbish, I'm really not happy. Bye.")],
                       [(AGENT, "Look, I'm sorry, but that's not something I'm allowed to change, and there's no one "
                                "else I can pass it to either."),
                        (CUSTOMER, "Well, I'm no better off than when I rang. That's just hopeless.")]],
    },
    "blind6": {
        "resolved": [[(AGENT, "So here's where we've got to: I'll {fix}. Are you alright with that?"),
                      (CUSTOMER, "More than alright, that's exactly what I was after. Thank you, truly."),
                      (AGENT, "My pleasure. It's gone through, and the confirmation's on its way to you now.")],
                     [(AGENT, "Right, that's gone through. The system's accepted it, so we'll {fix}, and you won't "
                              "need to chase a thing."),
                      (CUSTOMER, "Oh, marvellous. I was dreading this call and it's been painless. Thank you.")]],
        "partial": [[(AGENT, "I've dealt with what I can from here. The remaining bit needs one of our branch staff "
                             "to look at it in person, and they'll phone you on Thursday morning to arrange it."),
                     (CUSTOMER, "So it's not finished yet, but at least it's moving. Thursday it is.")],
                    [(AGENT, "I've logged a request to {fix}. It can't go through until our accounts people have "
                             "reviewed it, normally forty eight hours, and I'll ring you back myself once they "
                             "have."),
                     (CUSTOMER, "Fine. I'll wait to hear from you, then, and I'll call again if I don't.")]],
        "escalated": [[(AGENT, "Honestly, this needs somebody with more say than I have. I'm transferring you to the "
                               "duty manager now, it may ring a few times before she picks up."),
                       (CUSTOMER, "Go on then, put me through.")],
                      [(AGENT, "I'm sending your case straight up to our regional escalations team. I've marked it "
                               "urgent, and one of their advisors will call you before midday tomorrow."),
                       (CUSTOMER, "Okay. I'll hold you to that.")]],
        "unresolved": [[(AGENT, "I've checked with everyone I can, and I'm sorry, we won't be able to {fix}."),
                        (CUSTOMER, "Then I've wasted my whole lunch break. I'm really fed up with you lot.")],
                       [(AGENT, "There's genuinely nothing more I can do on this, I'm sorry. That's just how it's set "
                                "up."),
                        (CUSTOMER, "Right. I'm putting the phone down no better off than when I picked it up, and "
                                   "I'm not pleased.")]],
    },
    "blind7": {
        "resolved": [[(AGENT, "Okay, so, what I'm able to do is {fix}. Shall I do that for you now?"),
                      (CUSTOMER, "Yes, please do. That's, um, that's exactly what I wanted. Thank you."),
                      (AGENT, "There we go, it's done, and you'll have an email about it in a few minutes.")],
                     [(AGENT, "Right, good news. I've been able to {fix}, and it went through while we were "
                              "talking."),
                      (CUSTOMER, "Oh, thank you, you've made my day. That sorts it out completely.")]],
        "partial": [[(AGENT, "I've done the part I can do from my desk today. The rest has to be checked by our head "
                             "office, and they only look at these on Tuesdays, so somebody will ring you next Tuesday "
                             "to finish it off."),
                     (CUSTOMER, "Okay. Um, so it's half sorted. I'll wait for the call on Tuesday then.")],
                    [(AGENT, "I've started the request to {fix}, but a team leader has to approve it first, which "
                             "usually takes about three days. As soon as it's approved I'll phone you back myself."),
                     (CUSTOMER, "Alright, that's something at least. I'll wait to hear from you.")]],
        "escalated": [[(AGENT, "I'm sorry, this isn't something I'm allowed to decide, so I'm going to put you "
                               "through to the head of our customer care team now. You'll hear some music for a "
                               "moment."),
                       (CUSTOMER, "Okay, um, I'll wait for her.")],
                      [(AGENT, "I'm handing this over to one of our senior advisors at head office. They deal with "
                               "cases like yours, and one of them will phone you back on Monday morning."),
                       (CUSTOMER, "Fine, as long as somebody actually rings me on Monday.")]],
        "unresolved": [[(AGENT, "I'm so sorry, I've checked everything on my side and the rules just don't let us "
                                "{fix}."),
                        (CUSTOMER, "Oh, that's really not good enough. I'm very disappointed, and I'll be telling my "
                                   "friends about it.")],
                       [(AGENT, "Um, I really wish I could help, but there isn't anything else I can do for you, and "
                                "there's nobody I can pass it on to."),
                        (CUSTOMER, "So I've explained the whole thing for nothing. Sorry, but that's hopeless, I'm "
                                   "very unhappy.")]],
    },
    "blind8": {
        "resolved": [[(AGENT, "Thank you for your patience. I am pleased to confirm that I can {fix}. May I "
                              "proceed?"),
                      (CUSTOMER, "Yes, please do. That is exactly what I had hoped for. Thank you very much indeed."),
                      (AGENT, "That has now been completed, and a confirmation will follow by email.")],
                     [(AGENT, "Right. Done. I've set it up to {fix}, and it's confirmed on my screen."),
                      (CUSTOMER, "Oh. Right. Well, that works for me. Sorted, then. Cheers.")]],
        "partial": [[(AGENT, "I have completed the first stage of this today. The remaining part can't be done "
                             "until our records update overnight, so I'll telephone you myself tomorrow afternoon "
                             "to finish it off."),
                     (CUSTOMER, "Right. So it's not finished. Half of it, then. I'll wait for your call.")],
                    [(AGENT, "I've done my part and submitted the request to {fix}, but it can't be completed until "
                             "our approvals desk has signed it off, usually within three working days. You'll "
                             "receive a phone call from me as soon as that happens."),
                     (CUSTOMER, "I see. Well, it's a start, I suppose. I'll wait for your call, thank you.")]],
        "escalated": [[(AGENT, "This falls outside my authority, so I'm transferring you now to a senior member of "
                               "our customer relations team. Please stay on the line while I connect you."),
                       (CUSTOMER, "Very well. Thank you for your help. Goodbye.")],
                      [(AGENT, "I'm going to refer your case to our area manager, who deals with matters like this "
                               "directly. She'll phone you herself by eleven o'clock tomorrow morning."),
                       (CUSTOMER, "Eleven tomorrow. Okay. I'll be waiting. Take care."),
                       (AGENT, "You too. Goodbye now.")]],
        "unresolved": [[(AGENT, "I regret to inform you that, in line with company policy, I am unable to {fix}."),
                        (CUSTOMER, "Company policy. Of course. I am thoroughly dissatisfied, and frankly I expected "
                                   "far better of you.")],
                       [(AGENT, "I'm sorry, I've tried twice and the system won't let me {fix}, and there's no "
                                "override available to me or to anyone else on this line."),
                        (CUSTOMER, "So after all that, nothing's been done. Not impressed. Not impressed at all.")]],
    },
    "blind9": {
        "resolved": [[(AGENT, "Tell you what, I can {fix}. Want me to go ahead with that?"),
                      (CUSTOMER, "Oh, yes, go on then. That's, honestly, that's more than fair. Thanks."),
                      (AGENT, "Done. It's on the system now, and you're all set.")],
                     [(AGENT, "Okay, so, that's already gone through while we were chatting. We'll {fix}, no "
                              "strings attached."),
                      (CUSTOMER, "Really? Oh, that's a relief. Well, that's the whole thing dealt with, then. "
                                 "Thank you.")]],
        "partial": [[(AGENT, "So I've done my half of it here. The rest needs our office manager to go through it, "
                             "and she's not in until Monday, so she'll give you a call then to get the rest done."),
                     (CUSTOMER, "Right, half of it sorted, then. I'll expect her call on Monday.")],
                    [(AGENT, "I've filled in the form to {fix}, but a manager has to sign it off first, and they're "
                             "all at a training day until Thursday. I'll phone you the moment it's been okayed."),
                     (CUSTOMER, "Right. Not quite what I'd hoped for, but okay. I'll keep my phone close, then.")]],
        "escalated": [[(AGENT, "Look, I'll be straight with you, this one isn't mine to decide. I'll transfer "
                               "you across to Lorna, she runs our customer care desk, so hold tight, she'll "
                               "pick up in a moment."),
                       (CUSTOMER, "Fine, put me through. Thanks.")],
                      [(AGENT, "I'm sending this across to our complaints and compensation team, with all my notes "
                               "attached. They can do things I can't, and somebody from there will phone you by "
                               "Wednesday lunchtime."),
                       (CUSTOMER, "Alright. Wednesday lunchtime. I'll make sure I pick up.")]],
        "unresolved": [[(AGENT, "I've honestly tried, but I'm not allowed to {fix}, and that's come straight from the "
                                "top."),
                        (CUSTOMER, "Well, that's just great. I rang up for help and I'm getting nothing. I'm really "
                                   "annoyed, to be honest.")],
                       [(AGENT, "Sorry, mate, the computer says no on this one, and there's no way round it that I "
                                "know of."),
                        (CUSTOMER, "So that's it? Nothing? Right. I'm not happy, and I won't be recommending you to "
                                   "anyone.")]],
    },
    "blind10": {
        "resolved": [[(AGENT, "Right, I've just checked with my team leader on the chat, and she's said yes, so I can "
                              "{fix}. Will that do you?"),
                      (CUSTOMER, "Happy? I'm delighted. Yes, please, go ahead."),
                      (AGENT, "Lovely. That's on now, and it's all sorted.")],
                     [(AGENT, "There we are, sorted. My screen's showing it as done, so we'll {fix}, and there's a "
                              "note on file so nobody undoes it."),
                      (CUSTOMER, "Oh, brilliant. Yes, that'll do nicely, that sorts it. Thank you, honestly.")]],
        "partial": [[(AGENT, "Right, I've sorted out as much as I'm able to today. What's left needs our "
                             "processing team, who aren't in until Tuesday, so you'll get a call from them first "
                             "thing Tuesday to complete it."),
                     (CUSTOMER, "Okay. Halfway there, then. I'll wait for Tuesday's call.")],
                    [(AGENT, "I've put through a request to {fix}. Our branch manager needs to approve it, and "
                             "she's not back until Thursday. As soon as she's given it the nod, I'll ring you myself."),
                     (CUSTOMER, "Okay. So it's started, and the rest waits on her. I'll keep an eye on my phone.")]],
        "escalated": [[(AGENT, "I don't want to give you the wrong answer on this, so I'll pass you over to Hamid, "
                               "our senior advisor. He'll pick up in a second, so please don't hang up."),
                       (CUSTOMER, "Okay. Thanks. I'll hang on for him.")],
                      [(AGENT, "This needs our operations manager, it's not something I'm able to decide. "
                               "I've passed it to her with all my notes, and she'll ring you tomorrow between ten and "
                               "twelve."),
                       (CUSTOMER, "Between ten and twelve. Right, I'll keep the phone by me.")]],
        "unresolved": [[(AGENT, "I've asked the question, and I've been told no. I can't {fix}, I'm sorry."),
                        (CUSTOMER, "Then what was the point of me ringing? I'm really unhappy about this, honestly.")],
                       [(AGENT, "I'm sorry, I really am, but I've run out of options on my side, and there isn't "
                                "anyone else I can pass you on to."),
                        (CUSTOMER, "Right. So I'm exactly where I started, only more fed up. Brilliant.")]],
    },
    "blind11": {
        "resolved": [[(AGENT, "Okay, here's my suggestion. I'll {fix}. How would you feel about that?"),
                      (CUSTOMER, "I'd be really happy with that, yes please. That sorts it."),
                      (AGENT, "Brilliant, that's gone through now, job done.")],
                     [(AGENT, "Right, I've just pressed the button on it, so we'll {fix}. Nothing more you need to "
                              "do."),
                      (CUSTOMER, "Ah, cheers, that's a load off. Sorted, then.")]],
        "partial": [[(AGENT, "That's the first part taken care of. The rest needs somebody from our site team to see "
                             "it in person, so they'll phone you tomorrow morning to book a time."),
                     (CUSTOMER, "Fair enough. So it's half done, and I'll wait for them to ring tomorrow.")],
                    [(AGENT, "I've sent off a request to {fix}, but our finance people have to approve it first, and "
                             "they only do approvals on a Wednesday. I'll give you a ring as soon as I hear."),
                     (CUSTOMER, "Okay, so it's in the system but not done yet. I'll wait to hear back from you, "
                                "then.")]],
        "escalated": [[(AGENT, "Honestly, I'd rather you spoke to someone who can actually make the decision on this, "
                               "so I'm putting you across to Anneliese, who heads up our members' team. Stay with me "
                               "while it connects."),
                       (CUSTOMER, "Okay, that's fine, connect me.")],
                      [(AGENT, "I'm going to hand this over to our head office customer team, they can do more than I "
                               "can from here. I'll send them the full notes now, and someone will ring you within "
                               "two working days."),
                       (CUSTOMER, "Okay. Two working days, then. I'll make sure my phone's charged.")]],
        "unresolved": [[(AGENT, "I'm sorry, I've looked at it every way I can, and I can't {fix}. It's just not an "
                                "option for us."),
                        (CUSTOMER, "Well, that's a letdown. I'm really not happy, and I don't feel any better for "
                                   "ringing.")],
                       [(AGENT, "Sorry, I've nothing else I can offer you on this one, and it isn't something anyone "
                                "here is able to change."),
                        (CUSTOMER, "Honestly? Right. Well, that's me no further on, and pretty cheesed off about "
                                   "it.")]],
    },
    "blind12": {
        "resolved": [[(AGENT, "Here's the plan, then. I'll {fix}. Does that sound okay to you?"),
                      (CUSTOMER, "Yeah, that's perfect, honestly. Go for it."),
                      (AGENT, "Okay, that's gone through, all finished on my end.")],
                     [(AGENT, "Right, I went ahead while you were talking and it's been accepted, so we'll {fix}."),
                      (CUSTOMER, "Oh, that was quick. Lovely, that's the whole thing dealt with, then. Thanks ever "
                                 "so much.")]],
        "partial": [[(AGENT, "I've done the bit I can from here. The rest needs our area supervisor to look at it "
                             "herself, and she'll call you on Friday afternoon to arrange that."),
                     (CUSTOMER, "Okay, so some of it's done and the rest is Friday. I can live with that.")],
                    [(AGENT, "I've raised the paperwork to {fix}, but anything like this has to be checked over by "
                             "our accounts office before it goes through, usually two or three days. I'll phone you "
                             "myself once they've looked at it."),
                     (CUSTOMER, "Fine. It's not finished, but it's going somewhere. I'll wait for you to ring.")]],
        "escalated": [[(AGENT, "This one needs more clout than I've got, so I'm transferring you through to "
                               "Josephine in our customer relations team. You'll hear a couple of clicks, just stay "
                               "with me."),
                       (CUSTOMER, "Okay, I'll stay on the line.")],
                      [(AGENT, "I'm going to pass this up to our head of service, who can make decisions I can't. "
                               "I'm sending her my notes now, and she'll phone you by Thursday."),
                       (CUSTOMER, "Right. Thursday. I'll be waiting for her call, then.")]],
        "unresolved": [[(AGENT, "I'm sorry, I've been through everything I can, and there's no way for me to {fix}."),
                        (CUSTOMER, "Well, that's not good enough, is it? I'm really disappointed, I expected a lot "
                                   "more than that.")],
                       [(AGENT, "I'm afraid it's a no from us, and I can't think of anyone here who'd give you a "
                                "different answer."),
                        (CUSTOMER, "Right. Twenty minutes on the phone and nothing to show for it. I'm not happy at "
                                   "all, frankly.")]],
    },
    "blind13": {
        "resolved": [[(AGENT, "So, what I'm able to offer, it says here, is to {fix}. Sorry, that sounds like I'm "
                              "reading it off the screen, because I am. Would that be alright?"),
                      (CUSTOMER, "Aye, that's grand, that sorts it. Thanks very much."),
                      (AGENT, "No bother at all, that's it all put through.")],
                     [(AGENT, "Right, that's been approved while we've been talking, so we'll {fix}."),
                      (CUSTOMER, "Lekker, thank you. Ja, that's exactly what I was hoping for. I'm happy with "
                                 "that.")]],
        "partial": [[(AGENT, "I've done what I can from my end today. The other half needs my manager to sign it off, "
                             "and she's not in till Monday, so she'll phone you then to finish it."),
                     (CUSTOMER, "So it's half done, and the rest is Monday. Okay, I'll wait for her call, but I'll be "
                                "phoning back if I don't hear.")],
                    [(AGENT, "I have raised the request to {fix}, but our back office must approve it first, and that "
                             "takes two to three working days. I will revert to you as soon as it is approved."),
                     (CUSTOMER, "Okay, so it's pending for now. Please do phone me back once it's gone through.")]],
        "escalated": [[(AGENT, "I'm going to put you through to Mr Pillay, he's our service manager and he's the one "
                               "who can decide on this. Please hold, and don't put the phone down."),
                       (CUSTOMER, "Fine, I'll hold. Put me through.")],
                      [(AGENT, "This has to go to our senior case team, I'm not able to decide it myself. I've sent "
                               "them the whole history, and one of them will phone you by Wednesday afternoon."),
                       (CUSTOMER, "Wednesday afternoon. Right. I'll be waiting on that call.")]],
        "unresolved": [[(AGENT, "I'm sorry, I've asked, and the answer's no. I can't {fix}, those are the rules I've "
                                "been given."),
                        (CUSTOMER, "So that's me been on hold half an hour for nothing. I'm not happy, not one bit.")],
                       [(AGENT, "There's nothing I can do for you on this one, I'm afraid, and nobody else here can "
                                "change it either."),
                        (CUSTOMER, "Eish. So I phoned for nothing. I'm really not happy with you people.")]],
    },
}
GOODBYES: dict[Split, list[tuple[str, str]]] = {
    "tune": [(AGENT, "Is there anything else I can help you with today?"), (CUSTOMER, "No, that is all. Bye.")],
    "heldout": [(AGENT, "Anything else for you today?"), (CUSTOMER, "Nope, that's everything.")],
    "blind": [(AGENT, "Can I help with anything else?"), (CUSTOMER, "No thanks, that's it.")],
    "blind2": [(AGENT, "Is there anything more I can do for you?"), (CUSTOMER, "No, that's all, thanks.")],
    "blind3": [(AGENT, "Anything else I can sort out while I've got you?"),
               (CUSTOMER, "No, you're alright, thanks. Bye now.")],
    "blind4": [(AGENT, "Is there anything else you need from me before I let you go?"),
               (CUSTOMER, "No, I think that covers everything. Bye bye.")],
    "blind5": [(AGENT, "Was there anything else you needed today?"),
               (CUSTOMER, "Nah, that's me done, thanks. See ya.")],
    "blind6": [(AGENT, "Before you go, was there anything else at all?"),
               (CUSTOMER, "No, that's the lot. Goodbye.")],
    "blind7": [(AGENT, "Okay, is there anything else on your mind today, or is that everything?"),
               (CUSTOMER, "No, that's all from me. Bye for now.")],
    "blind8": [(AGENT, "Thank you for calling today. Is there any other matter I can assist you with?"),
               (CUSTOMER, "No. That will be all. Goodbye.")],
    "blind9": [(AGENT, "Have we covered everything, or is there something else?"),
               (CUSTOMER, "No, we've covered it. Bye.")],
    "blind10": [(AGENT, "Okay. Is that us done, then?"),
                (CUSTOMER, "Yes, that's us done. Bye.")],
    "blind11": [(AGENT, "Right then, anything else while you're on the line?"),
                (CUSTOMER, "Nope, that's all I rang about. Ta-ra.")],
    "blind12": [(AGENT, "Is there anything else bothering you, or shall I let you get on?"),
                (CUSTOMER, "No, you let me get on. That's everything. Bye then.")],
    "blind13": [(AGENT, "Is there anything more I can be helping you with today?"),
                (CUSTOMER, "No, no, that's all. Cheerio.")],
}
# Distractors: a tracking or order reference that is not a name, said in support/complaint/sales calls.
REFERENCES: dict[Split, list[str]] = {
    "tune": ["Your order reference is R L four four seven two one.",
             "The ticket number for this is K T five five zero eight."],
    "heldout": ["Your tracking number is Z X three one nine nine six.",
                "For your records, the case number is B Q seven seven two zero four."],
    "blind": ["Your reference number is M P six two eight one.",
              "I've noted it under case J W four zero nine three."],
    "blind2": ["Your job number is T H five one seven seven.",
               "Please keep this reference, C N eight three two six."],
    "blind3": ["I'll give you a reference for this, it's F D two six one eight.",
               "If you need to call back, quote case number W R nine three five four."],
    "blind4": ["Let me give you a reference in case you need it, it's H G seven zero four one.",
               "Have you got a pen handy? Your reference is P V three eight eight two six."],
    "blind5": ["Jot this down if you can, your job reference is S K four one six nine.",
               "I'll stick a reference on that for you, it's D M nine zero two seven three."],
    "blind6": ["If you ring again, quote L T six three zero five and it'll bring everything up.",
               "The reference on this one is N B two seven seven one eight, if you'd like to write it down."],
    "blind7": ["Have you got something to write on? Your booking reference is G Y five zero eight three.",
               "I'll read you the reference slowly, it's Q A one four six nine two."],
    "blind8": ["For any future correspondence, please quote reference Y R four zero nine two.",
               "Your job's logged as U D eight one five five three, that's U for uniform, D for delta."],
    "blind9": ["Here's a reference so you don't have to explain it all again: E J two nine four seven.",
               "It's all under X F six one three zero eight now, in case you have to ring back."],
    "blind10": ["If you have to chase it, your reference is V K oh seven double three.",
                "Your case number's A H, double nine, two oh one. Shall I say that again?"],
    "blind11": ["Your reference is B Z three five eight one, if anybody asks.",
                "I've filed it under N M forty two sixty seven. Worth writing that down somewhere."],
    "blind12": ["That's logged under reference G P seven one two nine, if you need it.",
                "You'll want this number if anything crops up again: K L three three zero six four."],
    "blind13": ["Can you take down a reference? It's R T nine six two zero. Will I read it out again?",
                "Please note down your job reference, it is H M eight eight three one five."],
}
# How each part's agent asks for a detail and how its customer answers ({n} phone, {e} email, {d} digits or day,
# {m} month, {y} year).
VERIFY: dict[Split, dict[str, tuple[str, str]]] = {
    "tune": {"PHONE_NUMBER": ("What is the best phone number to reach you?", "It is {n}."),
             "EMAIL": ("And the email on the account?", "It is {e}."),
             "CREDIT_CARD": ("Can you confirm the last four digits of the card on file?", "Sure, the card ends in {d}."),
             "SSN": ("For verification, the last four of your social security number?", "It is {d}."),
             "DATE_OF_BIRTH": ("And your date of birth please?", "It is {m} {d}, {y}.")},
    "heldout": {"PHONE_NUMBER": ("And a callback number?", "Sure, {n}."),
                "EMAIL": ("What email should the confirmation go to?", "That's {e}."),
                "CREDIT_CARD": ("Which card would you like to use?", "The Visa ending in {d}."),
                "SSN": ("To verify you, I'll need the last four digits of your social.", "Okay, {d}."),
                "DATE_OF_BIRTH": ("Can you confirm your date of birth?", "{m} {d}, {y}.")},
    "blind": {"PHONE_NUMBER": ("What's a good number to call you back on?", "It's {n}."),
              "EMAIL": ("Can I get an email address for you?", "Yes, {e}."),
              "CREDIT_CARD": ("What are the last four digits of the card?", "It ends in {d}."),
              "SSN": ("I need to verify your identity, what are the last four of your social security number?",
                      "Sure, it's {d}."),
              "DATE_OF_BIRTH": ("What's your date of birth?", "It's the {d} of {m}, {y}.")},
    "blind2": {"PHONE_NUMBER": ("And what's the best contact number for you?", "Sure, it's {n}."),
               "EMAIL": ("Could you give me your email address?", "It's {e}."),
               "CREDIT_CARD": ("And the last four digits on your card, please?", "They're {d}."),
               "SSN": ("Can you confirm the last four of your social security number?", "Yes, {d}."),
               "DATE_OF_BIRTH": ("And your date of birth, please?", "{m} the {d}, {y}.")},
    "blind3": {"PHONE_NUMBER": ("Is there a mobile number I can reach you on if we get cut off?", "Yeah, try {n}."),
               "EMAIL": ("What's the email address we've got for you?", "Should be {e}."),
               "CREDIT_CARD": ("Which card is the payment coming from? Just the last four.", "The one ending {d}."),
               "SSN": ("For security, can you read me the last four numbers of your social?", "Yep, {d}."),
               "DATE_OF_BIRTH": ("Can I have your date of birth to get you through security?",
                                 "I was born on {m} {d}, {y}.")},
    "blind4": {"PHONE_NUMBER": ("And what number's best if I need to ring you back?", "My mobile is {n}."),
               "EMAIL": ("Have you got an email address I can pop the details over to?", "Yeah, send it to {e}."),
               "CREDIT_CARD": ("To get you through security, could you tell me the final four digits of the card "
                               "you pay with?", "Right, that'll be {d}."),
               "SSN": ("And the last four digits of your social security number, whenever you're ready.",
                       "Let me think, it's {d}."),
               "DATE_OF_BIRTH": ("Could you confirm your date of birth for me?",
                                 "My birthday's {m} the {d}, and I was born in {y}.")},
    "blind5": {"PHONE_NUMBER": ("What's the best number to get hold of you on?", "Probably my mobile, that's {n}."),
               "EMAIL": ("And is there an email address you'd like things sent to?", "You can use {e}."),
               "CREDIT_CARD": ("So I can find the payment, what are the last four numbers on the card you use?",
                               "Hang on, I'll grab my wallet. It's {d}."),
               "SSN": ("I'll also need the last four of your social security number, just to confirm it's you.",
                       "No problem, it's {d}."),
               "DATE_OF_BIRTH": ("And your date of birth, just to confirm?",
                                 "{m} {d}, {y}. I'm not getting any younger.")},
    "blind6": {"PHONE_NUMBER": ("What number would you like us to use if we need you?",
                                "Home or mobile? Better use the mobile, {n}."),
               "EMAIL": ("Which email address should the paperwork go to?", "Put down {e}, please."),
               "CREDIT_CARD": ("Can you tell me the last four numbers of the card the payment was made on?",
                               "Let me find my glasses. Right, {d}."),
               "SSN": ("For our security check I need the final four digits of your social security number.",
                       "Fine, {d}."),
               "DATE_OF_BIRTH": ("And could you give me your date of birth, please?",
                                 "I'm a {m} baby, the {d}, {y}.")},
    "blind7": {"PHONE_NUMBER": ("Um, and which phone number is best for you, in case the line drops?",
                                "Oh, um, my number is {n}."),
               "EMAIL": ("What email address would you like us to write to?", "My email is {e}, all small letters."),
               "CREDIT_CARD": ("I just need the last four numbers from the card you pay with, please.",
                               "Sorry, one moment, it's in my bag. Okay, {d}."),
               "SSN": ("And to check your identity, could you read me the last four numbers of your social security "
                       "number?", "Yes, that is {d}."),
               "DATE_OF_BIRTH": ("When were you born? The full date, please.",
                                 "I was born on the {d} of {m}, in {y}.")},
    "blind8": {"PHONE_NUMBER": ("In order to proceed, may I please take a contact telephone number?",
                                "Mobile. {n}."),
               "EMAIL": ("May I confirm the email address registered to the account?",
                         "It's {e}. Oh, hang on, is that the old one? No, it's right, {e}."),
               "CREDIT_CARD": ("To locate the payment, please state the last four digits of the card used.",
                               "Got it right here. {d}."),
               "SSN": ("As part of our standard security procedure, I'm required to ask for the last four digits of "
                       "your social security number.", "Understood. They are {d}."),
               "DATE_OF_BIRTH": ("And your date of birth, please, for verification purposes.",
                                 "The {d} of {m}, {y}. And before you ask, yes, the account is in my own name.")},
    "blind9": {"PHONE_NUMBER": ("And a contact number, in case the line goes dead?",
                                "Sure, it's {n}. That's the mobile, I don't really use the landline any more."),
               "EMAIL": ("Which email shall I send the confirmation to?",
                         "Use {e}, that's the one I actually check."),
               "CREDIT_CARD": ("Which card do you pay with? Only the end four numbers, please.",
                               "Let me look. It's the debit card, so, {d}."),
               "SSN": ("Sorry, one more for security, the last bit of your social security number, just the "
                       "four at the end.", "Oh, okay. {d}. Is it safe to say that over the phone?"),
               "DATE_OF_BIRTH": ("Last thing, when's your birthday, with the year?",
                                 "It's {m} {d}, in {y}. Same day as the big storm, my mum always says.")},
    "blind10": {"PHONE_NUMBER": ("And which number should I ring if this line drops out?",
                                 "Okay, it's {n}. I'll say that again, slower, {n}."),
                "EMAIL": ("Shall I email you the confirmation? What address would that be?",
                          "Yes please. It's {e}. All lower case, no spaces."),
                "CREDIT_CARD": ("Which card is on the account? I only need the last four.",
                                "It'll be the Mastercard, the one ending in {d}. Hang on, let me check. Yep, {d}."),
                "SSN": ("Security question next: the last four digits on your social security card, please.",
                        "Oh, I never remember that. Hold on, it's written in my diary. Here we are, {d}."),
                "DATE_OF_BIRTH": ("And your date of birth? Day, month and year, please.",
                                  "Oh, it's {y}. Sorry, you want the day first? The {d} of {m}, {y}.")},
    "blind11": {"PHONE_NUMBER": ("Could I grab a mobile number to put on the file?", "Go on then, it's {n}."),
                "EMAIL": ("And an email address, so I can send a summary over afterwards?",
                          "Sure, it's {e}. Shout if you want me to spell any of it."),
                "CREDIT_CARD": ("Can you read me the last four of the card that's on the account?",
                                "Give me a sec, it's in my coat pocket. Right, {d}."),
                "SSN": ("I also need to check the last four digits of your social security number, please.",
                        "Sure, um, {d}. I had to think about that one."),
                "DATE_OF_BIRTH": ("And, for security, your date of birth?",
                                  "It's the {d} of {m}, and the year is {y}.")},
    "blind12": {"PHONE_NUMBER": ("What number should I use if we need to get back to you?",
                                 "Ring me on {n}, that's the one I always have on me."),
                "EMAIL": ("What's your email, so I can send you a copy of all this?", "It's {e}. Nice and easy."),
                "CREDIT_CARD": ("For security, can you tell me the last four numbers on the card you pay us with?",
                                "One second, let me dig it out. It's {d}."),
                "SSN": ("Then I'll need the last four digits of your social security number to confirm it's you.",
                        "Okay, hold on. {d}."),
                "DATE_OF_BIRTH": ("And can you give me your date of birth, please?",
                                  "It's the {d} of {m}, {y}, for my sins.")},
    "blind13": {"PHONE_NUMBER": ("Kindly share a contact number where we can reach you.",
                                 "Aye, it's {n}. Did you get that? I'll say it again: {n}."),
                "EMAIL": ("And your email ID, please?", "That'll be {e}. Will I spell any of it out for you?"),
                "CREDIT_CARD": ("What card have you got registered with us? I only need the four numbers at the very "
                                "end.",
                                "I'm driving, so you'll get it from memory. It's {d}, I'm fairly sure."),
                "SSN": ("Next I'm supposed to ask for, sorry, the last four numbers of your social security number.",
                        "That's {d}. Is that all you'll be needing?"),
                "DATE_OF_BIRTH": ("And may I know your date of birth, please?",
                                  "Born the {d} of {m}, in {y}. Will I repeat that for you?")},
}


def _verification(rng: random.Random, split: Split, name: str, kinds: list[str]) -> tuple[
        list[tuple[str, str]], set[str], list[str], list[str]]:
    """Agent asks, customer answers, for each kind; returns turns, types, digit strings and email words."""
    turns: list[tuple[str, str]] = []
    types: set[str] = set()
    digits: list[str] = []
    words: list[str] = []
    first, last = name.lower().split()
    for kind in kinds:
        ask, answer = VERIFY[split][kind]
        if kind == "PHONE_NUMBER":
            number = rng.choice(["415", "312", "646", "206"]) + rng.choice(["555", "867", "429"]) + \
                f"{rng.randrange(0, 10000):04d}"
            answer = answer.format(n=spoken_digits(number, (3, 3, 4)))
            digits.append(number[-4:])
        elif kind == "EMAIL":
            local = f"{first}.{last}" if rng.random() < 0.5 else f"{first[0]}{last}"
            answer = answer.format(e=spoken_email(local, rng.choice(DOMAINS[split])))
            words.append(local.replace(".", " ").split()[-1] if "." in local else local)
        elif kind in ("CREDIT_CARD", "SSN"):
            four = f"{rng.randrange(1000, 10000)}"
            answer = answer.format(d=spoken_digits(four))
            digits.append(four)
        elif kind == "DATE_OF_BIRTH":
            month, day, year = rng.randrange(12), rng.randrange(1, 21), rng.randrange(1950, 2000)
            answer = answer.format(m=MONTHS[month], d=ONES[day], y=spoken_year(year))
        else:
            raise ValueError(kind)
        turns += [(AGENT, ask), (CUSTOMER, answer)]
        types.add(kind)
    return turns, types, digits, words


def _call(idx: int, split: Split, call_type: str, outcome: str, rng: random.Random) -> ScriptedCall:
    customer = PEOPLE[split][idx % len(PEOPLE[split])]
    agent = rng.choice(AGENTS[split]) if rng.random() < 0.85 else None
    company = rng.choice(COMPANIES[split])
    disclose = rng.random() < 0.6
    turns: list[tuple[str, str]] = []
    if rng.random() < 0.2:
        turns.append((CUSTOMER, "Hello?"))
    greet = rng.choice(GREETINGS[split] if agent else ANON_GREETINGS[split]).format(co=company, ag=agent)
    turns.append((AGENT, f"{rng.choice(DISCLOSURES[split])} {greet}" if disclose else greet))
    opening = rng.choice(HELLO_AGENT[split]).format(ag=agent) if agent and rng.random() < 0.6 else "Hi."
    named_early = rng.random() < 0.4
    name_given = named_early or rng.random() < 0.85
    reason = rng.choice(REASONS[split][call_type])
    intro = rng.choice(SELF_INTRO[split]).format(cu=customer) if named_early else ""
    turns.append((CUSTOMER, " ".join(x for x in (opening, intro, reason) if x)))
    if name_given and not named_early:
        ask, answer = rng.choice(ASK_NAME[split])
        turns += [(AGENT, ask), (CUSTOMER, answer.format(cu=customer))]
    kinds = rng.sample(["PHONE_NUMBER", "EMAIL", "CREDIT_CARD", "SSN", "DATE_OF_BIRTH"], k=rng.choice([1, 2, 2]))
    vturns, types, digits, words = _verification(rng, split, customer, kinds)
    turns += vturns
    turns += BODIES[split][call_type]
    if call_type in ("support", "complaint", "sales") and rng.random() < 0.6:
        turns.append((AGENT, rng.choice(REFERENCES[split])))
    closing = rng.choice(CLOSINGS[split][outcome])
    fix = FIXES[split][call_type]
    turns += [(who, text.format(fix=fix)) for who, text in closing]
    if outcome != "escalated":
        turns += GOODBYES[split]
    return ScriptedCall(
        id=f"{split}-{idx:02d}-{call_type}-{outcome}", split=split, call_type=call_type, outcome=outcome,
        turns=turns, stereo=idx % 2 == 0, customer_name=customer if name_given else None, agent_name=agent,
        company=company, recording_disclosure=disclose, pii_types=types, pii_digits=digits, pii_words=words,
        commitment=outcome in ("resolved", "partial", "escalated"), agreement=outcome == "resolved",
    )


def generate(seed: int = 11) -> list[ScriptedCall]:
    """360 calls: for each (type, outcome) one call per part, the parts in the order of SPLITS."""
    rng = random.Random(seed)
    calls: list[ScriptedCall] = []
    for split in SPLITS:
        idx = 0
        for call_type in TYPES:
            for outcome in OUTCOMES:
                calls.append(_call(idx, split, call_type, outcome, rng))
                idx += 1
    return calls
