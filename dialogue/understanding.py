"""Understanding a caller from lowercase ASR text with recognition errors.

Rules first (cheap, predictable: yes/no/maybe, "say that again", "slow down", "a person", "stop",
"goodbye", "delete what I said", spoken numbers, emotion words), then semantic matching with the
bundled MiniLM sentence embedder (safety/embedding.py) for the ways people say the same thing in other
words ("can I speak to someone real", "you're going a bit quick"). Options the line has just offered
("breathing, a thought exercise, or just talk") are matched the same way. This module never judges risk.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np

from dialogue.numbers import parse_rating

# -- rules -------------------------------------------------------------------------------------------

_YES = re.compile(
    r"^(?:(?:oh |um |uh |well |yeah |yes |okay |ok |so )*)(?:yes|yeah|yep|yup|ya|yah|yea|yess|yes please|sure|"
    r"okay|ok|o k|alright|all right|right|fine|go on|go ahead|let's do it|lets do it|let's go|sounds good|"
    r"that's fine|that would help|that'd help|please|i think so|i guess so|i do|i would|i will|i am|"
    r"i can|definitely|absolutely|of course|certainly|why not|correct|that's right|that's it|uh huh|mhm|"
    r"mm hmm|yes i do|yes i would|yes please do|yes that's right|ready|i'm ready|let's try|let's try it|"
    r"guess so|sure thing|go for it|yes i'd like that|i'd like that|that sounds good|good idea|yes yes)"
    r"(?: please| thanks| thank you| then| yeah| yes| okay| i guess| sure| let's| go on| that's fine)*[.!]?$"
)
_NO = re.compile(
    r"^(?:(?:oh |um |uh |well |no |so )*)(?:no|nope|nah|na|no thanks|no thank you|not really|not now|"
    r"i don't think so|i dont think so|don't|dont|i'd rather not|rather not|not at the moment|no way|"
    r"i don't want to|i dont want to|not today|never mind|nevermind|no i don't|no i'm not|i'm not|"
    r"i haven't|no i haven't|i have not|not at all|no not really|no i wouldn't|i wouldn't|no i won't|"
    r"definitely not|not right now|no it's fine|no i'm okay|no i'm fine|not yet)"
    r"(?: thanks| thank you| really| no| please| not really| i'm okay| i'm fine)*[.!]?$"
)
_MAYBE = re.compile(r"^(?:um |uh |well )*(?:maybe|perhaps|possibly|i'm not sure|not sure|i don't know|i dont know|"
                    r"dunno|i'm unsure|kind of|kinda|sort of|a bit|a little|could be|might be|i suppose|"
                    r"i'm not certain|no idea|hard to say|not sure really)(?: yeah| really| i guess)*[.!]?$")
_DONT_KNOW = re.compile(r"\b(?:i don't know|i dont know|dunno|no idea|not sure|i'm not sure|can't think|cant think)\b")
# Words that add nothing when they stand alone ("um", "hmm"): a mumble.
_MUMBLE = re.compile(r"^(?:\W|um+|uh+|erm+|er|ah+|hm+|mm+|huh|eh|oh|ooh|the|a|and|so|well|like|i|it|you)*$")

_RULES: dict[str, re.Pattern] = {
    "delete": re.compile(
        r"\b(?:delete|erase|wipe|remove|forget|scrub|destroy)\b.{0,30}\b(?:what i (?:said|told you|say)|"
        r"everything|all (?:of )?(?:that|this|it)|my (?:data|details|information|recording|conversation|call|"
        r"words)|this (?:call|conversation|recording)|the recording|it all|that)\b|\bforget me\b|"
        r"\bdon't (?:keep|record|save|store) (?:this|that|anything|what i said)\b"
    ),
    "human": re.compile(
        r"\b(?:(?:talk|speak|speaking|talking|chat) (?:to|with) (?:a |an |some )?(?:real |actual |live )?"
        r"(?:person|human|someone|somebody|people|counsel+or|operator|agent|volunteer|therapist)|"
        r"(?:a |an )?(?:real|actual|live) (?:person|human)|human being|get me (?:a |some )?(?:person|human|someone)|"
        r"put me through|transfer me|connect me|is there (?:anyone|someone|somebody|a person)|"
        r"(?:want|need|like) (?:a |to talk to a )?(?:person|human)|operator|(?:speak|talk) to someone|"
        r"you're (?:just )?a (?:robot|machine|computer|bot)|not a (?:robot|machine|bot)|^(?:a )?(?:person|human)"
        r"(?: please)?$)\b"
    ),
    "slower": re.compile(
        r"\b(?:slow (?:down|it down)|slower|too fast|too quick|so fast|so quickly|not so fast|more slowly|"
        r"speak slowly|talk slowly|you're rushing|going fast|going quick)\b"
    ),
    "repeat": re.compile(
        r"\b(?:say (?:that|it|this) again|(?:can|could) you repeat|repeat (?:that|it|please|the question)|"
        r"^repeat$|what did you say|what was that|sorry what|pardon|come again|i didn't (?:catch|hear|get) "
        r"(?:that|it|you)|didn't catch|one more time|say again|^what\??$|^sorry\??$|^huh\??$|^eh\??$|"
        r"i missed that|say it again)\b"
    ),
    "goodbye": re.compile(
        r"\b(?:good ?bye|bye|bye bye|see you|gotta go|got to go|have to go|i need to go|i've got to go|"
        r"i'm going to go|i'm gonna go|i'll go now|i'm done|that's all|that's enough for (?:today|now|tonight)|"
        r"hang up|end (?:the|this) call|good night|goodnight|talk (?:to you )?later|take care|cheerio|"
        r"i'm finished|we're done)\b"
    ),
    "stop": re.compile(r"^(?:please )?(?:stop|stop it|stop that|stop please|stop now|enough|that's enough|cancel|"
                       r"quit|halt|pause|okay stop|ok stop|no stop|let's stop|can we stop|i want to stop)"
                       r"(?: please| now| it| that| this)*[.!]?$"),
    "thanks": re.compile(r"^(?:thanks|thank you|cheers|ta|thank you so much|thanks a lot)(?: very much| so much)?[.!]?$"),
}

# -- semantic prototypes for the global intents ----------------------------------------------------------

_PROTOTYPES: dict[str, list[str]] = {
    "human": [
        "i want to talk to a person", "can i speak to a real human", "i'd like a human being",
        "put me through to somebody", "is there a real person there", "let me talk to someone real",
        "can i talk to a counsellor", "get me a person please", "i need to speak to somebody real",
        "i don't want to talk to a machine",
    ],
    "goodbye": [
        "goodbye", "bye for now", "i have to go now", "i need to hang up", "that's all for today thanks",
        "i'm going to end the call", "i think i'll leave it there", "talk to you another time",
    ],
    "repeat": [
        "say that again", "can you repeat that", "i didn't hear you", "what was the question",
        "sorry i missed what you said", "could you say it one more time",
    ],
    "slower": [
        "slow down please", "you're talking too fast", "you're going a bit quick", "can you speak more slowly",
        "not so fast", "i can't keep up with you",
    ],
    "delete": [
        "delete what i said", "erase everything i told you", "please don't keep any of this",
        "remove my recording", "wipe this conversation", "forget everything i said today",
    ],
    "switch": [
        "can we talk about something else", "i want to do something different", "this isn't helping",
        "let's try something else", "can we change the subject", "i don't want to do this exercise",
    ],
}
# A semantic match must be this close to a prototype, and clearly closer than to any other intent.
SEMANTIC_THRESHOLD = 0.62
SEMANTIC_MARGIN = 0.06
CHOICE_THRESHOLD = 0.5

# -- emotions --------------------------------------------------------------------------------------------

EMOTIONS: dict[str, tuple[str, ...]] = {
    "anxious": ("anxious", "anxiety", "nervous", "on edge", "panicky", "panic", "panicking", "uneasy", "jittery",
                "tense", "wound up", "restless", "angsty", "ankshus", "anxiousness"),
    "worried": ("worried", "worry", "worrying", "worries", "can't stop thinking", "overthinking", "fretting"),
    "scared": ("scared", "afraid", "frightened", "terrified", "fear", "fearful"),
    "stressed": ("stressed", "stress", "stressful", "under pressure", "pressure", "strest"),
    "overwhelmed": ("overwhelmed", "overwhelming", "too much", "swamped", "drowning", "can't cope", "cant cope"),
    "low": ("low", "down", "depressed", "depression", "blue", "flat", "miserable", "gloomy", "rubbish", "awful",
            "terrible", "horrible", "bad", "crap", "not great", "not good", "not so good", "not well"),
    "sad": ("sad", "unhappy", "upset", "crying", "tearful", "heartbroken", "grief", "grieving", "hurt", "hurting"),
    "lonely": ("lonely", "alone", "isolated", "on my own", "nobody", "no one", "no friends", "lonesome"),
    "angry": ("angry", "anger", "furious", "mad", "annoyed", "irritated", "fed up", "frustrated", "frustration",
              "cross", "rage", "pissed off", "livid"),
    "tired": ("tired", "exhausted", "drained", "worn out", "knackered", "shattered", "can't sleep", "cant sleep",
              "no energy", "sleepless", "insomnia", "awake all night"),
    "numb": ("numb", "empty", "nothing", "hollow", "disconnected", "blank"),
    "ashamed": ("ashamed", "shame", "embarrassed", "guilty", "guilt", "stupid", "worthless", "useless", "a failure"),
    "hopeless": ("hopeless", "pointless", "no point", "give up", "giving up", "no hope", "stuck"),
    "confused": ("confused", "lost", "all over the place", "muddled", "don't know what to do"),
    "okay": ("okay", "ok", "alright", "all right", "fine", "not bad", "so so", "so-so", "meh", "middling"),
    "good": ("good", "great", "better", "well", "happy", "calm", "relaxed", "content", "fine thanks", "brilliant",
             "hopeful", "grateful", "relieved", "pretty good", "calmer", "helpful", "helped", "useful", "lighter",
             "a bit better", "much better", "nice", "lovely"),
}
_NEGATABLE = {"good", "okay", "calm", "happy", "great", "fine", "well", "better"}
_EMOTION_RE = [(name, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))
               for name, words in EMOTIONS.items()]

# How the line names a feeling back to the caller.
FEELING_WORDS = {
    "anxious": "anxious", "worried": "worried", "scared": "scared", "stressed": "stressed",
    "overwhelmed": "overwhelmed", "low": "low", "sad": "sad", "lonely": "lonely", "angry": "frustrated",
    "tired": "worn out", "numb": "numb", "ashamed": "ashamed", "hopeless": "stuck",
    "confused": "unsure", "okay": "okay", "good": "better",
}
DISTRESS = {"anxious", "worried", "scared", "stressed", "overwhelmed", "low", "sad", "lonely", "angry", "tired",
            "numb", "ashamed", "hopeless", "confused"}


def emotions_in(text: str) -> list[str]:
    """Feelings named in ``text``, most specific first; "not good" reads as low, not good."""
    found: list[str] = []
    t = text.lower()
    for name, rx in _EMOTION_RE:
        for m in rx.finditer(t):
            before = t[max(0, m.start() - 12):m.start()]
            if name in ("good", "okay") and re.search(r"\b(?:not|n't|never|hardly)\s+(?:so |very |that |too )?$", before):
                continue
            if name == "low" and m.group(0) == "down" and re.search(r"\b(?:slow|sit|lie|calm|write|put|settle)\s+$", before):
                continue
            if name == "numb" and m.group(0) == "nothing" and not re.search(r"\bfeel\w*\b", t):
                continue
            if name not in found:
                found.append(name)
            break
    # distress outranks a polite "fine" in the same sentence ("i'm fine, just exhausted")
    if any(e in DISTRESS for e in found):
        found = [e for e in found if e in DISTRESS] + [e for e in found if e not in DISTRESS]
    return found


# -- the result ------------------------------------------------------------------------------------------


@dataclass
class Understanding:
    text: str  # normalised caller text
    intent: str | None = None  # yes no maybe dont_know human goodbye stop repeat slower delete switch thanks
    number: int | None = None
    emotions: list[str] = field(default_factory=list)
    choice: str | None = None  # key of the offered option the caller picked
    silence: bool = False
    mumble: bool = False
    semantic: float = 0.0  # best similarity when the intent came from embeddings

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def unclear(self) -> bool:
        return self.silence or self.mumble

    @property
    def answer(self) -> str | None:
        """yes / no / maybe when the caller answered a yes-no question."""
        return self.intent if self.intent in ("yes", "no", "maybe", "dont_know") else None


_CONTRACTIONS = {"cant": "can't", "dont": "don't", "wont": "won't", "didnt": "didn't", "doesnt": "doesn't",
                 "isnt": "isn't", "wasnt": "wasn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "wouldnt": "wouldn't",
                 "havent": "haven't", "im": "i'm", "ive": "i've", "id": "i'd", "thats": "that's", "youre": "you're",
                 "theyre": "they're", "whats": "what's", "lets": "let's", "arent": "aren't", "aint": "ain't"}


def normalise(text: str) -> str:
    """Lowercase ASR text with the apostrophes ASR often drops put back ("im" -> "i'm")."""
    t = text.lower().replace("’", "'")
    t = re.sub(r"[^a-z0-9' ,.?!:-]", " ", t)
    t = " ".join(_CONTRACTIONS.get(w, w) for w in t.split())
    return t.strip(" ,")


class _Semantic:
    """Prototype embeddings, computed once per process on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._global: tuple[list[str], np.ndarray] | None = None
        self._options: dict[tuple, tuple[list[str], np.ndarray]] = {}

    @staticmethod
    def embedder():
        from safety.embedding import get_embedder

        return get_embedder()

    def global_protos(self) -> tuple[list[str], np.ndarray]:
        with self._lock:
            if self._global is None:
                labels, texts = [], []
                for name, protos in _PROTOTYPES.items():
                    labels += [name] * len(protos)
                    texts += protos
                self._global = (labels, self.embedder().embed_many(texts))
            return self._global

    def option_protos(self, options: dict[str, tuple[str, ...]]) -> tuple[list[str], np.ndarray]:
        key = tuple((k, tuple(v)) for k, v in options.items())
        with self._lock:
            if key not in self._options:
                labels, texts = [], []
                for name, protos in options.items():
                    labels += [name] * len(protos)
                    texts += list(protos)
                self._options[key] = (labels, self.embedder().embed_many(texts))
            return self._options[key]

    def vector(self, text: str) -> np.ndarray:
        return self.embedder().embed_one(text)


SEMANTIC = _Semantic()


def _best(labels: list[str], mat: np.ndarray, vec: np.ndarray) -> tuple[str | None, float, float]:
    sims = mat @ vec
    best: dict[str, float] = {}
    for lab, s in zip(labels, sims, strict=True):
        if s > best.get(lab, -1.0):
            best[lab] = float(s)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if not ranked:
        return None, 0.0, 0.0
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], ranked[0][1], second


def understand(
    text: str | None,
    *,
    expect_number: bool = False,
    options: dict[str, tuple[str, ...]] | None = None,
    keywords: dict[str, tuple[str, ...]] | None = None,
    semantic: bool = True,
) -> Understanding:
    """Read one caller turn. ``options``: offered choices, key -> a few example phrasings (matched by
    meaning); ``keywords``: key -> words that pick that option outright (also ordinals: "the first one")."""
    t = normalise(text or "")
    u = Understanding(text=t)
    if not t or not re.search(r"[a-z0-9]", t):
        u.silence = True
        return u
    bare = t.strip(" .!?,")
    u.emotions = emotions_in(t)
    u.number = parse_rating(t, expecting=expect_number)

    for name in ("delete", "human", "slower", "repeat", "stop", "goodbye", "thanks"):
        if _RULES[name].search(bare):
            # "i'm not going to go" is not a goodbye; "bye" inside a longer story is not either
            if name == "goodbye" and (len(bare.split()) > 9 or re.search(r"\bnot (?:going to|gonna) go\b", bare)):
                continue
            u.intent = name
            break
    if u.intent is None:
        if _YES.match(bare):
            u.intent = "yes"
        elif _NO.match(bare):
            u.intent = "no"
        elif _MAYBE.match(bare):
            u.intent = "maybe"
        elif _DONT_KNOW.search(bare) and len(bare.split()) <= 6:
            u.intent = "dont_know"
        elif re.match(r"^(?:yes|yeah|yep|sure|okay|ok)\b", bare):
            u.intent = "yes"  # "yeah i'd like that but..." still answers yes
        elif re.match(r"^(?:no|nope|nah|not really)\b", bare):
            u.intent = "no"

    if keywords:
        u.choice = _keyword_choice(bare, keywords)
    if u.choice is None and options and semantic and u.intent not in ("human", "goodbye", "delete", "repeat", "slower"):
        if len(bare.split()) >= 1 and not _MUMBLE.match(bare):
            labels, mat = SEMANTIC.option_protos(options)
            lab, score, second = _best(labels, mat, SEMANTIC.vector(bare))
            if lab is not None and score >= CHOICE_THRESHOLD and score - second >= 0.03:
                u.choice, u.semantic = lab, score

    if u.intent is None and u.choice is None and semantic and 2 <= len(bare.split()) <= 14:
        labels, mat = SEMANTIC.global_protos()
        lab, score, second = _best(labels, mat, SEMANTIC.vector(bare))
        if lab is not None and score >= SEMANTIC_THRESHOLD and score - second >= SEMANTIC_MARGIN:
            u.intent, u.semantic = lab, score

    if u.intent is None and u.choice is None and u.number is None and _MUMBLE.match(bare):
        u.mumble = True
    return u


_ORDINALS = {
    0: r"\b(?:first|1st|the first one|number one|option one|the one you said first)\b",
    1: r"\b(?:second|2nd|middle|number two|option two)\b",
    2: r"\b(?:third|3rd|number three|option three)\b",
}


def _keyword_choice(t: str, keywords: dict[str, tuple[str, ...]]) -> str | None:
    hits = []
    for key, words in keywords.items():
        for w in words:
            m = re.search(r"\b" + re.escape(w) + r"\b", t)
            if m:
                hits.append((m.start(), key))
                break
    if hits:
        # "not breathing, the thought one": drop options the caller ruled out
        kept = [(pos, k) for pos, k in hits if not re.search(r"\b(?:not|no|don't want|rather not)\s+(?:the\s+)?\w*\s*$",
                                                                t[max(0, pos - 18):pos])]
        if kept:
            return sorted(kept)[0][1] if len(kept) == 1 else sorted(kept)[-1][1] if _prefers_last(t) else sorted(kept)[0][1]
    keys = list(keywords)
    for i, rx in _ORDINALS.items():
        if i < len(keys) and re.search(rx, t):
            return keys[i]
    if len(keys) >= 2 and re.search(r"\b(?:last|the last one|final one)\b", t):
        return keys[-1]
    return None


def _prefers_last(t: str) -> bool:
    return bool(re.search(r"\b(?:actually|rather|instead|no wait)\b", t))
