"""How things are said: varied wording (never the same line twice in a row), the caller's own words
turned round ("I can't sleep" -> "you can't sleep"), and the checks every reply passes before it is
spoken: safe messaging, at most one question, at most forty words, nothing that only works on a screen.
"""

from __future__ import annotations

import random
import re

from dialogue.numbers import speakable

MAX_WORDS = 40

# Safe-messaging: phrases the line must never say (Samaritans / AFSP / WHO media guidance). Matched on
# lowercased text with whitespace collapsed. Method words are here so that echoing a caller's own
# words can never read a method back to them.
UNSAFE_PHRASES: tuple[str, ...] = (
    "committed suicide",
    "commit suicide",
    "successful suicide",
    "successful attempt",
    "failed attempt",
    "unsuccessful attempt",
    "suicide is a solution",
    "suicide is the answer",
    "suicide is an option",
    "suicide is understandable",
    "the only way out",
    "end the pain for good",
    "better off dead",
    "better off without you",
    "you should die",
    "kill yourself",
    "how to kill",
    "lethal dose",
    "overdose on",
    "how many pills",
    "how much would it take",
    "hang yourself",
    "hang myself",
    "hanging myself",
    "noose",
    "rope",
    "slit",
    "cut your wrists",
    "wrists",
    "jump off",
    "jumping off",
    "bridge",
    "gun",
    "firearm",
    "shoot yourself",
    "carbon monoxide",
    "poison",
    "bleach",
    "razor",
    "blade",
    "paracetamol",
    "acetaminophen",
    "tylenol",
    "sleeping pills",
    "pills",
    "tablets",
    "train tracks",
    "in front of a train",
    "painless",
    "quick way",
    "epidemic of suicide",
    "suicide epidemic",
    "describe how",
    "tell me how you would",
    "what method",
    "which method",
)
_UNSAFE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in UNSAFE_PHRASES) + r")\b")


def unsafe_phrases(text: str) -> list[str]:
    """The unsafe phrases found in ``text`` (empty when it is safe to say)."""
    norm = " ".join(text.lower().split())
    return [m.group(0) for m in _UNSAFE_RE.finditer(norm)]


def is_safe(text: str) -> bool:
    return not unsafe_phrases(text)


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", text))


def question_count(text: str) -> int:
    return text.count("?")


_SCREEN_ONLY = re.compile(r"[*#_`\[\]<>|•]|^\s*[-\d]+[.)]\s", re.M)


def check_reply(text: str) -> list[str]:
    """Problems with a reply meant for the ear (empty when it is fine)."""
    problems = []
    if unsafe_phrases(text):
        problems.append("unsafe phrase: " + ", ".join(unsafe_phrases(text)))
    if question_count(text) > 1:
        problems.append("more than one question")
    if word_count(text) > MAX_WORDS:
        problems.append(f"{word_count(text)} words")
    if re.search(r"\d", text):
        problems.append("digits (not written to be spoken)")
    if _SCREEN_ONLY.search(text):
        problems.append("markup or a list")
    return problems


# Turning the caller's words round for reflection: two-word forms first, then single words.
_PAIRS = {("i", "am"): "you are", ("i", "was"): "you were", ("am", "i"): "am I", ("was", "i"): "were you"}
_SINGLE = {
    "i": "you", "i'm": "you're", "im": "you're", "i've": "you've", "ive": "you've", "i'd": "you'd",
    "i'll": "you'll", "my": "your", "mine": "yours", "myself": "yourself", "me": "you",
    "you": "me", "your": "my", "yours": "mine", "yourself": "myself", "you're": "I'm",
    "we": "you", "our": "your", "us": "you",
}
_FILLERS = re.compile(r"\b(?:um+|uh+|erm+|er|ah+|hmm+|mm+|you know|i mean)\b,?\s*")


_SUBJECT_SLOT = {"and", "but", "that", "because", "so", "when", "if", "cause", "think", "thought", "said", "feel",
                 "know", ",", "cos", "like", "maybe"}


def second_person(text: str) -> str:
    """Swap first and second person: "i am scared of my boss" -> "you are scared of your boss"."""
    tokens = re.findall(r"[a-z0-9']+|[^a-z0-9'\s]", text.lower())
    out: list[str] = []
    i = 0
    while i < len(tokens):
        pair = tuple(tokens[i:i + 2])
        if pair in _PAIRS:
            out.append(_PAIRS[pair])
            i += 2
            continue
        tok = tokens[i]
        if tok == "you" and (i == 0 or tokens[i - 1] in _SUBJECT_SLOT) and i + 1 < len(tokens) and tokens[i + 1][0].isalpha():
            out.append("I")  # "you never listen" -> "I never listen", but "told you" -> "told me"
        else:
            out.append(_SINGLE.get(tok, tok))
        i += 1
    s = " ".join(out)
    return re.sub(r"\s+([,.!?])", r"\1", s).strip()


_CLAUSE = re.compile(r"\s*(?:,|;|\.|\band then\b|\band\b|\bbut\b|\bbecause\b|\bcause\b|\bcos\b|\bso\b)\s*")
_TRAILING = {"and", "but", "the", "a", "an", "to", "of", "your", "my", "because", "so", "that", "with",
             "for", "in", "on", "at", "just", "really", "very", "is", "are", "was", "it", "you", "i",
             "before", "after", "about", "from", "into", "when", "what", "if", "than", "as", "or", "by"}
_DANGLING = {"and", "but", "the", "a", "an", "because", "so", "my", "your", "or"}
_CONTRACTIONS = {"cant": "can't", "dont": "don't", "wont": "won't", "didnt": "didn't", "doesnt": "doesn't",
                 "isnt": "isn't", "wasnt": "wasn't", "couldnt": "couldn't", "shouldnt": "shouldn't",
                 "havent": "haven't", "im": "i'm", "ive": "i've", "id": "i'd", "its": "it's", "thats": "that's"}


_SUBJECTS = {"my", "i", "i'm", "i've", "he", "she", "they", "everyone", "nobody", "we", "it's", "everything",
             "people", "no"}
_GLUE = {"think", "thought", "feel", "felt", "know", "knew", "said", "say", "says", "that", "and", "but",
         "because", "so", "if", "when", "like", "what", "how", "where", "which", "who", "cause", "guess", "mean",
         "hope", "wish", "believe", "suppose", "reckon", "of", "about", "with", "to", "for", "at", "in", "on",
         "from", "by", "tell", "told", "than", "as", "then", "cos", "why", "whether", "worry", "worried", "afraid",
         "scared", "sure", "realise", "realize", "see", "saw", "hear", "heard", "once", "until", "while", "after",
         "before", "since", "just", "even", "all", "i", "i'm", "is", "was", "are", "be", "been", "am", "thinks",
         "knows", "feels", "believes", "reckons", "hopes", "wants", "want", "wanted", "makes", "made"}


_AFTER_FEELING = {"low", "down", "bad", "sad", "tired", "awful", "terrible", "stressed", "anxious", "upset", "lonely",
                  "angry", "today", "yesterday", "again", "anymore", "now", "rubbish", "worried", "scared", "exhausted",
                  "overwhelmed", "depressed", "miserable", "lost", "stuck", "empty", "numb", "good", "okay", "fine",
                  "week", "night", "tonight", "morning", "honest", "know", "well"}


# Feeling words that are also verbs or adverbs: "i feel lost, my..." ends a feeling, "i lost my job" does not.
_VERB_TOO = {"lost", "stuck", "down", "good", "okay", "fine", "well", "know", "now", "again", "empty", "bad"}
_FEEL_LEAD = {"feel", "feeling", "felt", "feels", "so", "really", "very", "quite", "pretty", "too", "i'm", "am", "was",
              "been", "is", "are", "were", "get", "getting", "got", "just", "completely", "totally", "a", "bit"}


def _ends_feeling(prev: str, prevprev: str) -> bool:
    if prev in _VERB_TOO:
        return prevprev in _FEEL_LEAD
    return prev in _AFTER_FEELING or prev.endswith("ly")


# "everything i do", "the way i feel": a relative clause, not a new sentence
_HEADS = {"everything", "anything", "nothing", "something", "thing", "things", "way", "stuff", "one", "person",
          "time", "times", "day", "days", "place", "all", "people", "someone", "anyone"}
_CLAUSE_VERBS = {"is", "are", "was", "were", "has", "have", "had", "don't", "keep", "keeps", "kept", "died",
                 "left", "said", "says", "told", "shouted", "hates", "thinks", "thought", "won't", "doesn't",
                 "didn't", "can't", "isn't", "wasn't", "just", "always", "never", "got", "gets", "moved",
                 "passed", "yelled", "broke", "wants"}


def _mark_clauses(t: str) -> str:
    """ASR gives no punctuation: put a comma where a new clause plainly starts ("i feel low my boss
    shouted at me" -> "i feel low, my boss shouted at me")."""
    words = t.split()
    out: list[str] = []
    run = 0
    for i, w in enumerate(words):
        prev = out[-1].rstrip(",") if out else ""
        prevprev = out[-2].rstrip(",") if len(out) > 1 and not out[-2].endswith((",", ".")) else ""
        # "my mum is ill" after a finished clause is a new subject: "i lost my keys, my mum is ill"
        new_subject = i + 2 < len(words) and words[i + 2] in _CLAUSE_VERBS
        if w == "my" and not (_ends_feeling(prev, prevprev) or new_subject):
            pass  # "fail my test": "my" starts a new clause only after a feeling ("so low my boss...")
        elif w in _SUBJECTS and run >= 2 and out and prev not in _GLUE and not (prev in _HEADS and w.startswith("i")):
            out[-1] = out[-1].rstrip(",") + ","
            run = 0
        out.append(w)
        run = 0 if w.endswith((",", ".")) else run + 1
    return " ".join(out)


def own_words(text: str, max_words: int = 12) -> str:
    """The caller's words, turned round and trimmed to whole clauses, ready to follow "it sounds like"."""
    t = _FILLERS.sub("", text.lower()).strip(" .,!?")
    t = " ".join(_CONTRACTIONS.get(w, w) for w in t.split())
    t = re.sub(r"^(?:(?:yes|yeah|yep|no|nope|okay|ok|so|well|and|but|oh|like|honestly|right|basically|"
               r"i don't know|i dunno|i guess|i suppose|to be honest|i mean)\b[, ]*)+", "", t)
    t = re.sub(r"^(?:it's just that|it's just|just that|because|cause|cos)\s+", "", t).strip()
    # "not great honestly, i've been..." -> the story, not the verdict
    rest = re.sub(r"^(?:(?:not (?:great|good|so good|too good|too bad|bad|well|brilliant)|pretty (?:bad|rough|rubbish)|"
                  r"rubbish|awful|terrible|okay|fine|alright|so so|honestly|to be honest|really|i'm)\b[, ]*)+", "", t)
    if len(rest.split()) >= 3 and rest.split()[0] in ("i", "i've", "i'm", "my", "i'd", "i'll", "it's", "work"):
        t = rest
    t = _mark_clauses(t)
    seps = [m for m in _CLAUSE.finditer(t)]
    clauses, last = [], 0
    for m in seps:
        clauses.append((t[last:m.start()], m.group(0)))
        last = m.end()
    clauses.append((t[last:], ""))
    kept, n, glue = "", 0, 0
    for body, sep in clauses:
        w = len(body.split())
        if n and n + w > max_words:
            break
        kept += body + sep
        n += w
        glue += len(sep.split())  # "and", "but": joining words do not count towards the limit
        if n >= max_words:
            break
    words = kept.split()[:max_words + glue]
    cut = len(words) < len(t.split())
    # a clause cut short ends on a whole word ("your boss is"); a whole one keeps its end ("piling it on")
    while words and words[-1].strip(",;.") in (_TRAILING if cut else _DANGLING):
        words.pop()
    out = second_person(" ".join(words).strip(" ,;."))
    return out.replace("?", "").strip(" ,.")


class Phraser:
    """Picks wording at random (seeded) but never the same line twice in a row for one prompt."""

    def __init__(self, seed: int | None = None) -> None:
        self.rng = random.Random(seed)
        self._last: dict[str, str] = {}

    def pick(self, key: str, options: list[str] | tuple[str, ...], **fmt: object) -> str:
        choices = [o for o in options if o != self._last.get(key)] or list(options)
        choice = self.rng.choice(choices)
        self._last[key] = choice
        return choice.format(**fmt) if fmt else choice

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def tidy(text: str, capitalise: bool = True) -> str:
    """Final pass over a reply: speakable numbers, single spaces, capitalised sentences."""
    text = speakable(text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.!?])", r"\1", text)
    text = re.sub(r"([.!?])\s+([a-z])", lambda m: m.group(1) + " " + m.group(2).upper(), text)
    text = re.sub(r"\bi\b", "I", text)
    return text[:1].upper() + text[1:] if text and capitalise else text


def fit_words(text: str, limit: int = MAX_WORDS) -> str:
    """Trim a reply to ``limit`` words by dropping whole sentences from the middle, keeping the last
    sentence (it usually carries the question)."""
    if word_count(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    while len(sentences) > 2 and word_count(" ".join(sentences)) > limit:
        sentences.pop(-2)
    text = " ".join(sentences)
    if word_count(text) > limit:
        words = text.split()
        text = " ".join(words[-limit:])
    return text
