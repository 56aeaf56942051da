"""Speech normalisation: turn an ASR-like transcript into one canonical lowercase form so that the
patterns are written once. Handles disfluencies (um, uh, filler "like"), contractions with and
without apostrophes (im, ive, dont, wanna, gonna), common recognition errors ("a hole bottle",
"my self", "sue aside"), emoji and control characters. Pure string work, no models.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 200_000  # about 100 KB of speech; assess() windows long text

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})

# Whole-word rewrites, applied after lowercasing and apostrophe folding.
_CONTRACTIONS: dict[str, str] = {
    "i'm": "i am", "im": "i am", "i've": "i have", "ive": "i have", "i'd": "i would", "id": "i would",
    "i'll": "i will", "you're": "you are", "youre": "you are", "he's": "he is", "she's": "she is", "hes": "he is", "shes": "she is",
    "it's": "it is", "its": "it is", "that's": "that is", "thats": "that is", "there's": "there is",
    "theres": "there is", "they're": "they are", "theyre": "they are", "we're": "we are",
    "what's": "what is", "whats": "what is", "he'll": "he will", "she'll": "she will",
    "they'll": "they will", "we'll": "we will", "you'll": "you will", "he'd": "he would",
    "she'd": "she would", "they'd": "they would", "we'd": "we would", "you'd": "you would",
    "they've": "they have", "we've": "we have", "you've": "you have",
    "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not",
    "didn't": "did not", "didnt": "did not", "can't": "can not", "cant": "can not", "cannot": "can not",
    "won't": "will not", "wont": "will not", "wouldn't": "would not", "wouldnt": "would not",
    "shouldn't": "should not", "shouldnt": "should not", "couldn't": "could not", "couldnt": "could not",
    "isn't": "is not", "isnt": "is not", "aren't": "are not", "arent": "are not", "wasn't": "was not",
    "wasnt": "was not", "weren't": "were not", "werent": "were not", "haven't": "have not",
    "havent": "have not", "hasn't": "has not", "hasnt": "has not", "hadn't": "had not",
    "hadnt": "had not", "ain't": "am not", "aint": "am not",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "hafta": "have to", "wana": "want to",
    "gunna": "going to", "tryna": "trying to", "kinda": "kind of", "sorta": "sort of",
    "outta": "out of", "lemme": "let me", "gimme": "give me", "dunno": "do not know", "cuz": "because",
    "cos": "because", "coz": "because", "'cause": "because", "cause": "because", "bc": "because",
    "ok": "okay", "k": "okay", "u": "you", "ur": "your", "r": "are", "n't": "not", "tho": "though",
    "til": "until", "till": "until", "tonite": "tonight", "2nite": "tonight", "nite": "night",
    "yrs": "years", "y'all": "you all", "ya": "you", "myslef": "myself", "meself": "myself",
    "mysef": "myself", "selfharm": "self harm", "self-harm": "self harm", "suicidle": "suicidal",
    "sucidal": "suicidal", "suicidial": "suicidal", "sucide": "suicide", "suiside": "suicide",
    "od": "overdose", "od'd": "overdosed", "oded": "overdosed", "od'ed": "overdosed", "kms": "kill myself",
    "unalive": "kill", "unalived": "killed", "unaliving": "killing", "sewer slide": "suicide",
    "tylenols": "tylenol", "kil": "kill", "kiled": "killed", "killin": "killing",
    "tonight's": "tonight is", "today's": "today is", "everything's": "everything is", "everyone's": "everyone is",
    "nobody's": "nobody is", "gun's": "gun is", "car's": "car is", "rope's": "rope is", "knife's": "knife is",
    "train's": "train is", "engine's": "engine is", "here's": "here is", "where's": "where is", "how's": "how is",
    "who's": "who is", "life's": "life is", "time's": "time is",
    # dropped g's and dialect spellings
    "sittin": "sitting", "thinkin": "thinking", "bout": "about", "goin": "going", "feelin": "feeling",
    "tryin": "trying", "nothin": "nothing", "somethin": "something", "doin": "doing", "cuttin": "cutting",
    "takin": "taking", "savin": "saving", "standin": "standing", "gettin": "getting", "livin": "living",
    "wanting": "wanting", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow", "tomoro": "tomorrow",
    "tomorow": "tomorrow", "2day": "today", "rn": "right now", "ngl": "", "tbh": "", "fr": "", "lowkey": "",
    "highkey": "", "istg": "i swear", "idk": "i do not know", "pls": "please", "plz": "please",
}

# Multi-word fixes: recognition errors and split words. Applied on the space-joined token string.
_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r) for p, r in [
        (r"\b(my|him|her|it|your|one|them|our|me) ?(self|selves|cell|shelf)\b",
         lambda m: {"my": "myself", "me": "myself", "him": "himself", "her": "herself", "it": "itself",
                    "your": "yourself", "one": "oneself", "them": "themselves", "our": "ourselves"}[m.group(1)]),
        (r"\ba (hole|whole|full) (bottle|pack|packet|box|strip)\b", r"a whole \2"),
        (r"\bthe hole (bottle|pack|packet|box|thing|lot)\b", r"the whole \1"),
        (r"\bhole (bottle|pack|packet|box)\b", r"whole \1"),
        (r"\bpara ?(sea|see|c|ce|set|si) ?(tamol|tamal|tamel|tamil)\b", "paracetamol"),
        # Scots the recogniser spells as heard ("ah've got it aw planned oot", "naebody'll notice")
        (r"\bah (have|am|will|was|had)\b", r"i \1"),
        (r"\bahve\b", "i have"),
        (r"\baw (planned|sorted|done|over|ready|set)\b", r"all \1"),
        (r"\b(planned|sorted|worked|figured) oot\b", r"\1 out"),
        (r"\bnaebody\b", "nobody"),
        (r"\bnaebodyll\b", "nobody will"),
        (r"\bnae ?(one|yin)\b", "no one"),
        (r"\bsue (a ?)?side\b", "suicide"),
        (r"\bsoo? ?(a )?side\b", "suicide"),
        (r"\bsuicide al\b", "suicidal"),
        (r"\bsewer ?slide\b", "suicide"),
        (r"\bover ?dos(e|ed|ing)\b", r"overdos\1"),
        (r"\bself ?harm(ing|ed)?\b", r"self harm\1"),
        # UK/AU "me" as a possessive: "me mum", "me whole script"
        (r"\bme (mum|mam|ma|dad|da|mate|mates|nan|nana|gran|missus|husband|wife|partner|boyfriend|girlfriend|"
         r"brother|sister|son|daughter|kids|whole|own|pills|tablets|meds|script|car|room|house|flat|life|neck|wrists?)\b",
         r"my \1"),
        (r"\bbin (thinking|feeling|cutting|doing|trying|saving|getting|having)\b", r"been \1"),
        (r"\bnews? ?(is|was)?\b(?= ?noose)", ""),
        (r"\bsleeping pills?\b", "sleeping pills"),
        (r"\bpara ?ceta ?mol\b", "paracetamol"),
        (r"\bty ?len ?ol\b", "tylenol"),
        (r"\bi ill\b", "i will"),
        (r"\bkill (my|me) self\b", "kill myself"),
        (r"\b(he|she|it) is (got|been)\b", r"\1 has \2"),  # "he's got" expanded as "he is"
        # learner English: "i am want to", "me no want live", "want die"
        (r"\b(i|me) am (want|wanting|need|wish)\b", r"i \2"),
        (r"\b(me|i) (no|not|do not|dont) (want|wanna)\b", "i do not want"),
        (r"\b(want|wanting|wish|need) (live|die|exist|kill|end|finish|sleep|be dead)\b", r"\1 to \2"),
        # "my mam's boyfriend" (the possessive was dropped): the second relation is who acts
        (r"\b(my|his|her) (mum|mam|mom|mother|dad|father|sister|brother|friend|daughter|son|mate|nan|gran|aunt|uncle|"
         r"cousin|neighbour|neighbor) (boyfriend|girlfriend|husband|wife|partner|friend|brother|sister|son|daughter|mate|"
         r"dad|fella)\b", r"\1 \3"),
        (r"\bend (my|me) (life|self)\b", r"end my \2"),
        # "hit me up" is slang for getting in touch, not a blow ("hit me up against the wall" is one)
        (r"\b(hit|hits|hitting) (me|you|him|her|us|them) up\b(?! (against|the|into|across|and down|bad|badly|good|real|so)\b)",
         lambda m: {"hit": "contact", "hits": "contacts", "hitting": "contacting"}[m.group(1)] + " " + m.group(2)),
        (r"\bsuicide (thoughts|feelings|urges)\b", r"suicidal \1"),
        (r"\bany ?more\b", "anymore"),
        (r"\bsome ?thing\b", "something"),
        (r"\bno ?one\b", "nobody"),
        (r"\bno ?body\b", "nobody"),
        (r"\bgood ?bye\b", "goodbye"),
        (r"\bwhat is the point\b", "what is the point"),
        (r"\byou know (why|what (it is |that is |they are |it s )?for)\b", "i know what it is for"),
        (r"\byou know\b", " "),
        (r"\bi guess\b", " "),
        (r"\bsort of\b", " "),
        (r"\bkind of\b(?! (thing|person|people|day|job|stuff|guy|music|food))", " "),
    ]
]

_FILLERS = {"um", "umm", "ummm", "uh", "uhh", "uhhh", "uhm", "er", "erm", "err", "ah", "ahh", "hmm",
            "hm", "mm", "mmm", "mhm", "eh", "huh", "basically", "literally", "honestly"}
# "like" is a filler unless it does grammatical work ("i feel like dying", "would like to").
_LIKE_KEEP_BEFORE = {"feel", "feels", "felt", "feeling", "would", "should", "i", "you", "we", "they",
                     "look", "looks", "looked", "seem", "seems", "something", "nothing", "anything",
                     "sounds", "sound", "do", "did", "does", "not", "really", "also", "just", "more",
                     "much", "people", "things", "he", "she", "it", "is", "was", "be", "am", "are",
                     "were", "been", "stuff", "lot"}
# "ill" without its apostrophe is "i'll" except after words that make it the adjective.
_ILL_ADJ_BEFORE = {"am", "is", "are", "was", "were", "be", "been", "being", "feel", "feeling", "felt",
                   "very", "so", "really", "too", "mentally", "terminally", "seriously", "critically",
                   "got", "get", "getting", "fell", "falling", "quite", "pretty", "become", "became",
                   "an", "the", "gravely", "chronically"}
_DYE_OBJECTS = {"my", "her", "his", "their", "your", "the", "it", "them", "hair", "this", "that", "a"}
_NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                 "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100}

_IS_NEXT = {"unconscious", "not", "gone", "going", "getting", "outside", "coming", "trying", "breaking", "hanging",
            "bleeding", "lying", "dead", "blue", "breathing", "having", "locked", "holding", "pointing", "strangling",
            "choking", "hitting", "kicking", "passed", "unresponsive", "collapsing", "turning", "stuck", "on", "in", "at",
            "up", "out", "here", "there", "just", "still", "always", "never", "really", "so", "threatening", "saying"}
_HAS_NEXT = {"been", "got", "taken", "swallowed", "overdosed", "collapsed", "cut", "locked", "tied", "stopped", "left",
             "hung", "drunk", "had"}
# participles that only "has" comes before ("she's injected", "he's written"): "'s" there is never "is"
_HAS_ONLY = {"injected", "written", "sent", "given", "texted", "messaged", "posted", "jumped", "hanged", "disappeared",
             "run", "ran", "bought", "done", "said", "told", "tried", "attempted", "threatened"}
_PRON_S = {"he's": "he", "hes": "he", "she's": "she", "shes": "she", "it's": "it", "its": "it", "that's": "that",
           "thats": "that", "who's": "who", "whos": "who", "there's": "there", "theres": "there"}
# Nouns whose apostrophe-less "Xs" before a state word is "X is" (a closed list: plurals of other nouns are common).
_S_NOUNS = {"rope", "noose", "cord", "belt", "car", "engine", "charcoal", "gas", "sugar", "hose", "inhaler", "face",
            "chest", "heart", "head", "baby", "bath", "water",
            "garage", "bleeding", "blood", "someone", "somebody",
            "bat", "knife", "blade", "razor", "machete", "crowbar", "hammer", "gun", "rifle", "shotgun", "axe"}
_PEOPLE = {"partner", "husband", "wife", "boyfriend", "girlfriend", "dad", "mum", "mom", "brother", "sister", "son", "daughter",
           "mate", "friend", "flatmate", "housemate", "ex", "stepdad", "uncle", "nan", "grandad", "neighbour", "neighbor"}
# what a person is doing, not a modifier of a thing ("my mums sleeping pills" stays a possessive)
_PEOPLE_DOING = {"smashing", "breaking", "banging", "kicking", "shouting", "screaming", "hitting", "threatening", "saying", "texting",
                 "standing", "sitting", "going", "coming", "trying", "drinking", "using", "crying", "talking", "telling",
                 "refusing", "hiding", "holding", "waving", "pointing", "walking", "driving", "climbing", "locked", "stood",
                 "sat", "outside", "gone", "been", "got", "just", "still", "not", "really", "always"}
_WILL_VERBS = {"kill", "hurt", "find", "come", "be", "do", "never", "go", "get", "take", "beat", "stab", "shoot", "murder",
               "make", "leave", "just", "burn", "break", "end", "not", "hit", "really", "definitely", "probably", "strangle",
               "smash", "throw", "wreck", "know", "say"}
_S_NOUN_STATE = {"round", "around", "running", "lit", "loaded", "crashing", "dropping", "shut", "ready", "tied",
                 "burning", "empty", "racing", "pounding", "full", "everywhere", "off", "open", "cocked", "drooping",
                 "droopy", "numb", "against", "pressed", "by"}
_TOKEN_RE = re.compile(r"[a-z0-9']+|[.?!;]")
_SENTENCE_END = {".", "?", "!", ";"}
CLAUSE_BREAK = "|"


def clean(text: str) -> str:
    """Unicode-fold, drop control characters and emoji, lowercase, cap the length."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])
    text = text.translate(_APOSTROPHES).lower()
    # Letters of other scripts stay (they just match nothing); symbols, emoji, controls become spaces.
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in "'.?!;,-":
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)[:MAX_CHARS]


def normalize(text: str) -> str:
    """Canonical form: lowercase words separated by single spaces, sentence ends kept as "|"."""
    tokens = _TOKEN_RE.findall(clean(text).replace("-", " ").replace(",", " , "))
    words: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _SENTENCE_END:
            if words and words[-1] != CLAUSE_BREAK:
                words.append(CLAUSE_BREAK)
            continue
        tok = tok.strip("'")
        if not tok or tok in _FILLERS:
            continue
        if tok == "like":
            prev = words[-1] if words else ""
            if prev not in _LIKE_KEEP_BEFORE:
                continue
        if tok == "ill" and (not words or words[-1] not in _ILL_ADJ_BEFORE):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt and nxt not in _SENTENCE_END:
                words.extend(["i", "will"])
                continue
        if tok in ("hell", "shell", "theyll") and i + 1 < len(tokens) and tokens[i + 1] in _WILL_VERBS:
            # "hell kill me" is "he'll kill me"; "hell" before anything else stays the word
            words.extend([{"hell": "he", "shell": "she", "theyll": "they"}[tok], "will"])
            continue
        if tok == "dye":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt not in _DYE_OBJECTS:
                tok = "die"
        if tok.endswith("'d") and len(tok) > 3 and tok not in _CONTRACTIONS:
            words.extend([tok[:-2], "would"])  # "family'd manage" -> "family would manage"
            continue
        if tok.endswith("'s") and tok not in _CONTRACTIONS:
            # "dad's unconscious", "mate's overdosed": a state or an act follows, so "'s" is "is"/"has";
            # otherwise a possessive: "dad's pills" -> "dad pills"
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt in _IS_NEXT or nxt in _HAS_NEXT:
                words.extend([tok[:-2], "is" if nxt in _IS_NEXT else "has"])
                continue
            tok = tok[:-2]
        if (tok.endswith("s") and tok[:-1] in _PEOPLE and "'" not in tok and words and words[-1] == "my"
                and i + 1 < len(tokens) and (tokens[i + 1] in _PEOPLE_DOING or tokens[i + 1] in ("on", "at", "in", "up"))):
            # "my partners smashing up the kitchen", "my mates on the roof": one person, "is" lost with the apostrophe
            # ("has" before a participle: "my brothers got a rope")
            nxt = tokens[i + 1]
            words.extend([tok[:-1], "has" if nxt in _HAS_NEXT or nxt in _HAS_ONLY else "is"])
            continue
        if tok.endswith("s") and tok[:-1] in _S_NOUNS and "'" not in tok:
            # "the ropes round my neck", "cars running", "someones broke in": speech-to-text drops the apostrophe
            # of "rope's"; before a state or a place word it is "is" ("has" before a participle), as above
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt in _HAS_NEXT or nxt in ("broke", "broken"):
                words.extend([tok[:-1], "has"])
                continue
            if nxt in _IS_NEXT or nxt in _S_NOUN_STATE:
                words.extend([tok[:-1], "is"])
                continue
        if tok in _PRON_S:
            # "shes swallowed her tablets", "hes been cutting": before a participle "'s" is "has", not "is"
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt in _HAS_NEXT or nxt in _HAS_ONLY:
                words.extend([_PRON_S[tok], "has"])
                continue
        rep = _CONTRACTIONS.get(tok)
        if rep is not None:
            if rep:
                words.extend(rep.split())
            continue
        tok = tok.replace("'", "")
        if words and tok == words[-1] and tok not in _NUMBER_WORDS:
            continue  # stutter: "i i want"
        words.append(tok)
    s = " ".join(words)
    for pat, rep in _PHRASES:
        s = pat.sub(rep, s)
    s = re.sub(r"\s+", " ", s).strip()
    s = _fill_subject(s)
    # stutters again after phrase fixes, and a leading/trailing break
    s = re.sub(r"\b(\w+)( \1\b)+", r"\1", s)
    return s.strip(" |")


# Texter-style speech drops the subject ("gonna top myself", "just necked the lot"): put "i" back at the
# start of a clause when the first word is a verb form that only the speaker would open with.
_DROP_AM = {"going", "about", "planning", "sitting", "standing", "thinking", "feeling", "cutting", "saving",
            "hoarding", "collecting", "stood", "sat", "ready", "so", "on", "at", "up", "out", "stuck"}
_DROP_HAVE = {"been", "got", "gotten", "written", "taken", "swallowed", "decided", "bought", "said"}
_DROP_I = {"took", "swallowed", "downed", "necked", "popped", "chugged", "drank", "had", "wrote", "tried",
           "bought", "cut", "want", "wish", "walked", "lit", "picked", "put", "can", "do", "did", "will",
           "would", "keep", "hate", "need", "overdosed", "jumped", "tied", "loaded", "started", "cannot"}
_LEAD_SKIP = {"just", "already", "literally", "honestly", "really", "so", "yeah", "nah", "okay", "well",
              "look", "mate", "and", "then", "also", "still", "now"}


def _fill_subject(s: str) -> str:
    out: list[str] = []
    for clause in s.split(" | "):
        words = clause.split(" ")
        i = 0
        while i < len(words) - 1 and words[i] in _LEAD_SKIP:
            i += 1
        w = words[i] if i < len(words) else ""
        prev = words[i - 1] if i > 0 else ""
        if w and prev not in ("i", "you", "we", "he", "she", "they"):
            j = i  # "just necked" -> "i just necked"
            while j > 0 and words[j - 1] in ("just", "already", "literally", "really", "still", "also"):
                j -= 1
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if w == "done":
                words.insert(j, "i am" if nxt == "with" else "i have")
            elif w in _DROP_AM and nxt and (w != "going" or nxt == "to") and (
                w not in ("on", "at", "up", "out") or i > 0 or nxt in ("the", "a", "my", "top", "on", "at")
            ):
                if w != "so":
                    words.insert(j, "i am")
            elif w in _DROP_HAVE and nxt:
                words.insert(j, "i have")
            elif w in _DROP_I and nxt:
                words.insert(j, "i")
        out.append(" ".join(words))
    return " | ".join(out)


def words_of(text: str) -> list[str]:
    return [w for w in normalize(text).split() if w != CLAUSE_BREAK]
