"""A situation told over several messages: reading them together and saying them back.

When a first message shows no clear sign, the assistant asks an open question rather than guess.
The answer is read together with what came before, and before naming anything the assistant sums
up what it heard in the person's own words, turned to "you" ("So: you've stopped seeing your
friends, and you feel you can't bring it up"), so they can tell whether they were understood.
"""

import re
from typing import List, Sequence

# Messages of one situation that are kept and read together, and how much of each.
MAX_MESSAGES = 3
MAX_KEPT_CHARS = 1000
# How much of each message the summary repeats.
MAX_CLAUSE_CHARS = 110

# The writer's words for themselves, as the assistant says them back.
FIRST_TO_SECOND = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "im": "you're",
    "i've": "you've",
    "ive": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "we": "you two",
    "us": "the two of you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
    "we're": "you two are",
    "we've": "you two have",
}
# Verbs that change with the pronoun ("I am" → "you are", "I was" → "you were").
AFTER_I = {"am": "are", "was": "were", "'m": "'re"}
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[^A-Za-z]+")
FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")
# Words that open a message by answering the assistant rather than telling the situation ("yeah go
# on then", "nah that isn't it", "no it's not like that, …"), and "and", "but", "so": the summary
# leaves them out and joins the clauses itself. "no" counts only before a comma, the end or more
# push-back, so "no one listens to me" stays whole.
CONVERSATIONAL_OPENER = re.compile(
    r"^(?:(?:and|but|so|also|plus|well|yeah|yes|yep|yup|ok|okay|alright|sure(?: thing)?|hmm+|nah|nope"
    r"|go on(?: then)?|carry on|keep going|not really|you don'?t get it"
    r"|(?:that'?s|that is|it'?s|it is) not (?:it|that simple|like that)|that isn'?t it|it isn'?t like that)(?: at all)?\b"
    r"|no(?=\s*(?:[,.!]|$|it'?s not|it isn'?t|that'?s not|that isn'?t)))[\s,.!]*",
    re.IGNORECASE,
)

# A wish in the writer's own words about the two of them ("honestly i just want him to back me
# up", "i'd like us to talk again"): what they would like to be different between them. Only
# softening words may stand between "I" and the wish ("I don't want a fight" is not one), "what I
# want" is not one, and the partner or "us" must follow within a few words ("I want to leave" is not
# one: that needs a question, not a step).
STATED_WISH = re.compile(
    r"(?<!what )\b(?:i|all i)(?:\s+(?:just|really|only|honestly|still|guess|think|kind of|kinda|actually))*"
    r"\s+(?:want|wanna|wish|need|hope|would like|would love|would want)\b"
    r"|(?<!what )\b(?:i'd|id)(?:\s+(?:just|really|honestly|actually))*\s+(?:like|love|want)\b"
)
THE_TWO_OF_THEM = re.compile(
    r"\W+(?:\w+\W+){0,5}?(?:him|her|them|us|we|he|she|they|he'd|she'd|they'd|together|each other|partner"
    r"|boyfriend|girlfriend|husband|wife|bf|gf)\b"
)


# A wish or a plan to say something to the partner ("i want to talk to him about money", "I'm going
# to tell her how I feel tonight", "i wish i could tell him"): even as a first message it is met with
# the step of saying it. Talking *about* someone ("I need to talk about my husband") or telling the
# assistant ("I want to tell you about us") is not one; neither is "I don't want to talk to him".
MEANS_TO = re.compile(
    STATED_WISH.pattern
    + r"|\b(?:i'm|im|i am)(?:\s+(?:just|really|finally|actually))*\s+(?:going to|gonna|planning to)\b"
    r"|\b(?:i'll|i will)\b|\bi(?:'ve| have)? decided to\b|^(?:gonna|going to)\b"
)
SAY_IT_TO_THEM = re.compile(
    r"(?:\W+(?:to|try|and|finally|just|really|actually|could|can|i|be|able))*\W+(?:talk|speak|tell|ask|say)\w*"
    r"\s+(?:(?:to|with)\s+)?(?:him|her|them|my\s+(?:partner|boyfriend|girlfriend|husband|wife|bf|gf|fianc\w*))\b"
)


def means_to_say_it(message: str) -> bool:
    """The message wishes or plans to say something to the partner (MEANS_TO, SAY_IT_TO_THEM)."""
    text = substance(message).lower().replace("’", "'")
    return any(SAY_IT_TO_THEM.match(text, intent.end()) for intent in MEANS_TO.finditer(text))


def states_a_wish(message: str) -> bool:
    """The message says what the writer would like to be different between them (STATED_WISH)."""
    text = substance(message).lower()
    return any(THE_TWO_OF_THEM.match(text, wish.end()) for wish in STATED_WISH.finditer(text))


def kept(message: str) -> str:
    """What is kept of one message for reading later (bounded, so the slot stays small)."""
    return " ".join(message.split())[:MAX_KEPT_CHARS]


def told_so_far(earlier: Sequence[str], message: str) -> List[str]:
    """The messages of this situation, the newest last, at most MAX_MESSAGES."""
    return [*earlier, kept(message)][-MAX_MESSAGES:]


def read_together(told: Sequence[str]) -> str:
    """The messages as one text, each ending a sentence, so the detector reads them in order."""
    return " ".join(part if part[-1:] in ".!?" else part + "." for part in told if part)


def second_person(text: str) -> str:
    """The writer's sentence as said back to them: "I feel I can't" → "you feel you can't"."""
    words = WORD.findall(text)
    said: List[str] = []
    previous = ""
    for word in words:
        lower = word.lower().replace("’", "'")
        if lower in FIRST_TO_SECOND:
            said.append(FIRST_TO_SECOND[lower])
        elif previous == "i" and lower in AFTER_I:
            said.append(AFTER_I[lower])
        else:
            said.append(word)
        if word.strip():
            previous = lower
    return "".join(said)


def substance(message: str) -> str:
    """The message without the words that open it by answering the assistant ("yeah go on then, …")."""
    text = " ".join(message.replace("’", "'").split())
    while True:
        shorter = CONVERSATIONAL_OPENER.sub("", text, count=1)
        if shorter == text:
            return text
        text = shorter


def clause(message: str) -> str:
    """The part of one message the summary repeats: its first sentence, shortened if long."""
    text = substance(message)
    first = FIRST_SENTENCE.match(text)
    text = (first.group(1) if first else text).rstrip(".!?,;: ")
    if len(text) > MAX_CLAUSE_CHARS:
        text = text[: MAX_CLAUSE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    text = second_person(text)
    # Lower-case the first letter unless it starts a name or "I" (already turned to "you").
    if text[:1].isupper() and not text[1:2].isupper() and text.split(" ", 1)[0] in _STARTS_TO_LOWER:
        text = text[0].lower() + text[1:]
    return text


# Sentence starts that are ordinary words rather than names, so lower-casing them reads well.
_STARTS_TO_LOWER = {
    "You", "Your", "Yours", "Yourself", "He", "She", "They", "It", "There", "When", "Whenever",
    "If", "And", "But", "So", "Then", "Sometimes", "Always", "Often", "Every", "Most", "Lately",
    "Recently", "Now", "Since", "After", "Before", "The", "A", "An", "This", "That", "His", "Her",
    "Their", "We", "Our", "Nothing", "Everything", "Nobody", "Everyone", "Just", "Well", "Also",
}


def summary(told: Sequence[str]) -> str:
    """The person's messages said back as one sentence: "a, b and c"."""
    parts = [clause(message) for message in told if message.strip()]
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]
