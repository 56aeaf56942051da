"""Real-time risk detection on spoken text: ``assess(text) -> Assessment``.

Two layers (see docs/risk.md): precise patterns with negation, idiom, whose-risk, reported-speech and
topic scope (patterns.py), and semantic similarity to a bank of exemplars with the bundled MiniLM
(semantic.py), so paraphrases nobody wrote a pattern for are still caught. combine.py turns named
signals into a C-SSRS aligned level and a kind. Thread-safe, no I/O, a few milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from safety.types import Assessment, Kind, Level

from . import combine
from .lexicon import BENIGN_USE, COVER_DENIED, MED_CONTEXT, MED_EXPLAINED, MED_STRONG, MED_WEAK
from .normalize import normalize
from .patterns import Hit, find_hits

__all__ = ["assess", "assess_many", "analyse"]

WINDOW_WORDS = 80  # long text is scanned in overlapping windows of this many words
_WINDOW_STEP = 60
MAX_WINDOWS = 400  # about 100 KB of speech-like text; beyond that only the tail is read

_STRONG_THREAT = re.compile(r"\b(kill|killing|murder|shoot|shooting|stab|stabbing|strangle|bomb|blow|slit|smother|run over|poison|batter|down with me|pay)\b")
_WEAK_MODAL = re.compile(r"^(could|would|should|thinking about|thought about|fantasi[sz]ing about)\b")
_WEAPON_NOW = re.compile(r"\b(gun|knife|weapon|bat|machete|hammer|axe|outside|at the door|breaking in|in the house|banging|trying to get in|"
                         r"coming|kicking|smashing|breaking)\b")
# Pattern cues that are not risk alone but, with a semantic match, make the reading credible.
_AGREEING = {"intent:vague", "intent:decided", "means:at_hand", "means:access", "means:ready", "location:height",
             "preparation:letters", "preparation:research", "preparation:acquired", "plan"}
_BENIGN = re.compile(BENIGN_USE)
# Means, doses and research that an ordinary purpose explains ("a gun for hunting season", "a pill organiser so i
# don't forget", "what's a safe dose for my kids"): dropped unless the caller also voiced suicidal thoughts or intent.
_MEANS_ONLY = ("method:", "means:", "preparation:stockpiling", "preparation:acquired", "preparation:research")
_VOICED = ("ideation:", "intent:future", "intent:vague", "intent:decided", "attempt:", "self_harm:", "semantic:")
# A symptom that has passed ("chest pains last year but it was just heartburn") is history, not an emergency.
_RESOLVED = re.compile(r"\b(but it was (just|only|nothing)|from (coughing|sneezing|a cold|the cold|flu|running|the gym|"
                       r"laughing|lifting)|with (this|a|the) (cold|flu|cough)|(doctor|gp|nurse|consultant) (says|said) (it is|it was|its)|"
                       r"we (made up|are (fine|okay|good) now|sorted it)|it was an accident|turned out (to be|it was)|(?<!thought )it was (just|only) "
                       r"(a |an )?\w+|"
                       r"(i am|i feel|she is|he is|they are|we are|both) (fine|ok|okay|alright|better|well|grand) now|(i|we) got help|"
                       r"doctor said it was|(it is|that is) (all )?(well |long |way |far )?(over|behind (us|me|her|him|them)) now|"
                       r"(it is|that is|that was) (all )?(well|long|way|far) behind (us|me|her|him|them))\b")
# Ordinary travel talk ("i'm on the bridge now, be there in five"): a place alone is not an attempt.
_TRAVEL = re.compile(r"\b((walking|driving|cycling|heading) (to work|to school|home|back|into town)|waiting for (my|a|him|her|"
                     r"the (bus|train|tram|tube|ferry|\d+|next one))|"
                     r"fixing|repairing|mending|clearing|cleaning (the|out)|painting|working on|installing|putting up|"
                     r"watching the|taking (photos|pictures)|the view|having (a|my) (picnic|lunch|smoke|coffee|brew)|"
                     r"be there in|be home in|on my way|see you (in|at|soon|there)|stuck in traffic|running late|meet you|"
                     r"pick (you|him|her) up|traffic is|bus is|train is (late|delayed)|my stop|get off at|i (love|like|enjoy|loved) "
                     r"(standing|watching|sitting|being|going|walking)|waiting for the (\w+ ){1,2}(bus|train|tram|ferry)|"
                     r"for (a|the) (photo|picture|selfie|pic)|with the dog|walking the dog|(find|found) a (parking )?(space|spot)|"
                     r"(it is|its) (gorgeous|beautiful|lovely|stunning|amazing) (out )?(here|up here)|bungee|abseil\w*|zip ?line|"
                     r"skydiv\w*|paraglid\w*|coasteering|cliff jumping|diving board|wild swimming|sea swimming|open water swim\w*|"
                     r"paddl\w*|surf\w*|bodyboard\w*|a dip|"
                     # a pastime at the edge ("sat on the edge of the pier fishing")
                     r"fishing|crabbing|angling|my (fishing )?rod|sunbathing|birdwatching|bird watching|tombstoning|"
                     r"out for a walk|first time i have been out|"
                     r"(jumped|jumping|jump) (off|from|in|into) (the )?(pier|harbour|bridge|quay|rocks|cliff|canal|river|lake)s? "
                     r"with (my|the|our) (mates|friends|pals|cousins|brother|sister|kids))\b")
# An ordinary purpose for a rope, a fire or a running engine, said in the same breath ("to hang the punch bag",
# "to warm it up", "so the kids can"): the means and the act it seemed to be drop unless the caller voiced risk.
_PURPOSE = re.compile(r"\b(to hang (up )?(the |a |my |some )?(punch ?bag|punching bag|plants?|pictures?|curtains?|washing|lights|"
                      r"fairy lights|swing|hammock|decorations|bunting|mirror|shelf|bike|coats?)|to warm (it|the car|the engine|"
                      r"her|him) up|so the (kids|children) can|(charcoal|barbecue|bbq|coals)\b.{0,30}(in|out in) the (back )?(garden|yard|"
                      r"backyard)|for (the )?(burgers|"
                      r"sausages|tea|dinner|lunch|barbecue|bbq)|(is|its) (literally )?my job)\b")
_PURPOSE_CUES = ("means:", "method:", "attempt:in_progress", "location:")
# Keeping a supply of one's medicine for a reason ("saving up my tablets for the holiday so i don't run out").
_SUPPLY = re.compile(r"\b(so (that )?i (do not|will not|never) run (out|short)|(for|before) (the|my|our) (holiday|holidays|trip|flight|"
                     r"travels|time away)|while i am (away|abroad|travelling|in \w+)|(pharmacy|chemist|surgery) (is|will be) (shut|closed))\b")
_SUPPLY_CUES = ("preparation:stockpiling", "means:", "method:medication")
_SUPPLY_VETO = re.compile(r"\b(end (it|things|everything|my life)|the end|for good|goodbye|all (of them|at once)|at once|in one go|"
                          r"(take|swallow|have) (them|the lot|it) all|the lot|enough to)\b")


def _supply(norm: str) -> bool:
    return bool(_SUPPLY.search(norm)) and not _SUPPLY_VETO.search(norm)
# A story or a game the caller is making or playing ("a novel where a character jumps", "the level where you have to leap
# off a cliff"): its methods and "have to" are the plot's, unless the caller voices their own thoughts as well.
_FICTION = re.compile(r"\b(novel|short story|screenplay|script|my character|a character|the character|(in|this|the) (video )?game|"
                      r"level (in|of) the game|next level|the level where|fan fiction|fanfic|d and d|dungeons)\b")
_FICTION_CUES = ("method:", "preparation:research", "intent:future", "intent:vague", "location:", "attempt:in_progress", "attempt:past")
# A life event explains goodbyes, giving things away and a will ("retiring on friday", "moving to spain"): those cues drop
# unless the caller also voiced suicidal thoughts. "Do it tonight" followed by what "it" is ("... i'm gonna ask her out")
# is an ordinary plan.
_LIFE_EVENT = re.compile(r"\b(moving (house|flat|away|abroad|out|in|back|to|in with)|we are moving|emigrating|retiring|retirement|"
                         r"relocating|downsizing|declutter\w*|leaving (the|my|this) (job|country|school|company|band|team|firm)|"
                         r"new job|last day (at|of)|my leaving do|(maternity|paternity|parental|study) leave|sabbatical|secondment|"
                         r"starting (a|my) (masters|degree|phd|course|apprenticeship|new job|placement)|care home|going into a home|"
                         r"(holiday|annual leave) days|memorial|order of service|(wedding|christening|engagement|retirement) "
                         r"(party|day|date)|going travelling|gap year|(for|to) charity|the charity shop|(going|flying|ticket|"
                         r"moving|heading) home|(not|never) coming back to (this|the|that) (job|country|city|town|place|company)|"
                         r"new life|start(ing)? (again|over|afresh) (in|at)|funeral plan|(really|very|just|so) organi[sz]ed|"
                         r"(working holiday|work|student|travel) visa|working holiday|(holiday|trip|honeymoon|cruise|itinerary) "
                         r"(planned|booked|sorted)|(planned|booked|sorted) (the|our|my) (holiday|trip|honeymoon|cruise|itinerary)|"
                         # a date set to give something up, or for the move
                         r"(quit|quitting|stop|stopping|give up|giving up) (smoking|drinking|the fags|fags|cigarettes|vaping|the "
                         r"booze|booze|alcohol|the drink|sugar|caffeine|gambling)|(for|before|after) the move|moving day)\b")
# a paid thing paused for a season ("no point paying for the gym over christmas") is not an ending
_PAUSE = re.compile(r"\bno point (in )?(paying|keeping|renewing)\b.{0,60}?\b((over|during|until|till|in|after) (christmas|xmas|the "
                    r"holidays|the summer|the winter|january|lent|ramadan|the new year|half term|my exams)|while i am (away|"
                    r"abroad|off|travelling|in hospital|recovering)|for (the next|the|a|next) (few|couple of) (weeks|months))\b")
_LIFE_CUES = ("preparation:giving_away", "preparation:letters", "intent:future", "intent:vague", "intent:decided", "plan")
_EXPLAINED_IT = re.compile(r"\b(do it|doing it) (tonight|tomorrow|today|this weekend|on \w+day|at last|finally)\b.{0,12}"
                           r"(i am|i will|i) (finally )?(going to |gonna |will )?(tell|ask|say|quit|hand|propose|book|confront|"
                           r"come out|talk|call|phone|text|dump|break up|sign|apply|jump in|go for)\b|\bdo it\b.{0,30}\b(ask (her|him|"
                           r"them) out|propose|hand in my notice|quit my job|come out to|dump (him|her)|break up with)\b")
_WORK = re.compile(r"\bi work (in|at|for) (a|an|the) (pharmacy|chemist|hospital|hospice|surgery|care home|prison|gp surgery|"
                   r"a and e|ward|clinic)\b|\b(i am|as) an? (\w+ )?(pharmacy tech|pharmacy technician|pharmacy assistant|dispenser|nurse|paramedic|doctor|pharmacist|vet|carer|care worker|firefighter|police officer|cop|"
                   r"medic|gp|surgeon|midwife|social worker|counsellor|counselor|therapist|nurse practitioner|healthcare assistant|"
                   r"support worker|psychiatrist|pathologist|coroner)\b|\b(on (shift|nights|a night shift|my shift)|"
                   r"(one of my|my|our) (patients|clients|residents)|(a|one of my|my|our) (patient|client|resident) (came|was brought|"
                   r"overdosed|died|took|had)|at work (today|tonight))\b")
# (not "a patient" or "the ward" alone: a caller who IS the patient, on a ward, saving tablets must stay flagged)
_FOR_ME = re.compile(r"\b(for me|myself|my own|me not to|kill me|end me|taking (\w+ ){0,5}?home|got enough (now|saved|to))\b")
_FIRST_ACT = re.compile(r"\bi (just |have |already |have just )*(took|taken|swallowed|downed|necked|cut|overdosed|jumped|tied|lit)\b")
_PLACE_ONLY = ("location:", "attempt:in_progress", "method:height")
_RECOVERED = re.compile(r"\b(do not|does not|no longer|stopped|quit) (cut|cutting|self harm|self harming|hurt myself|"
                        r"hurting myself|burn|burning)( myself)?( anymore| now| for years)?\b|(have not|had not) (cut|self "
                        r"harmed|hurt myself) (in|for|since)\b")
# "now" after a word that closes the matter ("all sorted now", "fine now") is the caller saying it is over
_WORSE = re.compile(r"\b(worse|again|(?<!sorted )(?<!fine )(?<!okay )(?<!better )(?<!good )(?<!over )(?<!gone )(?<!well )now|right now|"
                    r"still|getting)\b")
_SURVIVED = re.compile(r"\b(i|he|she|they|we) (survived|pulled through|recovered|made it through)\b|\b(he|she|they) (is|are|has been|have "
                       r"been) (fine|okay|ok|alright|well|sober|clean|doing well|doing great|doing fine) (now|since|for)\b|\b(it is|that is) (all )?"
                       r"(over|in the past|behind (us|me|her|him|them)) now\b")
# Recovery in the caller's words ("i'm in a good place now", "twelve years free", "the scars have faded"): with a
# dated or "used to" past and nothing current, old thoughts and old self-harm are history (a past attempt stays moderate).
_WELL_NOW = re.compile(r"\b(in a (really |much |very )?(good|better|great|happy) place|doing (really |so )?(great|well|fine)|"
                       r"(i have|have) been (really )?(well|clean|fine|good|okay|ok|stable) (ever )?since|(been|i am|stayed) (\w+ ){0,2}"
                       r"(free|clean) (of|from) (it|self harm|cutting)|(\w+ )?years? free|scars have faded|closing a chapter|"
                       r"proud of how far|((a lot|years|loads|lots) of) (therapy|help|treatment)|(do not|never) (even )?think about "
                       r"(it|that) (anymore|any more|now)|these days i (actually )?(want to live|love|am happy|enjoy)|"
                       r"(that is|it is|that was) (well |long |way |far )?(behind me|over)|stopped (\w+ ){0,3}years ago|"
                       r"have not (for|in) years|(theyve|they have|it has|that has) gone)\b")
_USED_TO = re.compile(r"\b(used to|back (then|when|in)|when i was (younger|a teenager|\w+teen|at (uni|school|college))|look back|"
                      r"who i was at|(\w+ )?years? (free|clean)|(free|clean) (of|from) (self harm|cutting|it))\b")
_WELL_KEEP = ("time:now", "time:past_recent", "intent:", "means:", "plan", "attempt:in_progress", "danger:", "threat:plan",
              "medical:")
_WELL_DROP = ("ideation:", "self_harm:current", "self_harm:past", "threat:others", "preparation:stockpiling")
_BARE_INTENT = {"intent:vague", "intent:decided"}
# The CBT exercise's own words ("can we look at the thought", "lets challenge that thought", "a thought record"): the
# learned layer reads "thought" as suicidal thoughts; with no risk the patterns heard, it stays out
_TECHNIQUE = re.compile(r"\b((look|looking|looked) at|challeng\w*|examin\w*|question\w*|test\w*|writ\w* down|record\w*|"
                        r"reframe|reframing|balanc\w*|catch\w*|spot\w*|pick|picking|work on|working on|go through|going through) "
                        r"(the |that |this |a |my |one |each |another |an )?(\w+ )?thoughts?\b(?! (of|about|that|like|i|to))|"
                        r"\bthought (record|diary|log)s?\b|\bthinking traps?\b|\b(balanced|automatic|hot|alternative) thoughts?\b")
_WORSE_NOW = re.compile(r"\b(worse|again|right now|still|getting|this morning|today|tonight)\b")
_PANIC = re.compile(r"\b(panic attacks?|anxiety attacks?|panicking|panic|anxious|anxiety)\b")


def _signals_from_hits(hits: list[Hit], text_norm: str) -> tuple[list[str], list[str], set[str], bool, bool]:
    """(self signals, third-party signals, modifiers, strong threat, weapon now)."""
    self_sigs: list[str] = []
    third: list[str] = []
    mods: set[str] = set()
    strong = weapon = False
    panic = bool(_PANIC.search(text_norm))
    times = {sig for h in hits if "noscope" in h.flags for sig in h.signals}
    for h in hits:
        if "attempt:event" in h.signals:
            # a past-tense act: in progress unless the words date it
            if _SURVIVED.search(text_norm) and "time:now" not in times:
                when = ("attempt:past",)  # "... she survived and she's fine now": over, not in progress
            elif "time:past_distant" in times and "time:now" not in times:
                when = ("attempt:past",)
            elif "time:past_recent" in times and "time:now" not in times:
                when = ("attempt:past",)
            else:
                when = ("attempt:in_progress",)
            h.signals = tuple(x for x in h.signals if x != "attempt:event") + when
        if h.blocked:
            mods.add(h.blocked)
            continue
        if "noscope" in h.flags:
            self_sigs.extend(h.signals)
            continue
        if panic and h.signals == ("medical:emergency",) and not re.search(r"\b(blood|bleeding|overdos|took|taken|swallowed|seizure|stroke|unconscious|not breathing)", h.text):
            mods.add("panic")
            continue
        if h.whose == "third":
            third.extend(h.signals)
            if "bereavement" in h.flags:
                mods.add("bereavement")
            continue
        self_sigs.extend(h.signals)
        if h.signals[0] == "threat:others" and _STRONG_THREAT.search(h.text) and not _WEAK_MODAL.search(h.text):
            strong = True
        if h.signals[0] == "danger:from_other" and _WEAPON_NOW.search(h.text):
            weapon = True
    return self_sigs, third, mods, strong, weapon


_DENIED = re.compile(r"\b(not|nothing to do with|never)( really| just| even)?( for)? ?$")
# a purpose told to someone as a cover ("told the fella it was for the garden"): not an ordinary purpose
_COVER = re.compile(r"\b(told|telling|tell|said to) (\w+ ){0,5}?(it|they|the \w+) (was|is|were|are) ?$")


_MED_STRONG = re.compile(r"\b" + MED_STRONG + r"\b")
_MED_WEAK = re.compile(r"\b" + MED_WEAK + r"\b")
_MED_EXPLAINED = re.compile(MED_EXPLAINED)
_MED_CONTEXT = re.compile(MED_CONTEXT)


def _medical_signs(norm: str) -> bool:
    """An emergency told by its signs ("diabetic, confused and sweaty", "lips huge", "can't wake him"): one strong sign or
    three different weaker ones (two with a condition that explains them: diabetes, a new baby, a wound), unless panic,
    an exam, a hangover, the telly or the past explains them."""
    if _MED_EXPLAINED.search(norm):
        return False
    if _MED_STRONG.search(norm):
        return True
    weak = len({m.group(0) for m in _MED_WEAK.finditer(norm)})
    return weak >= 3 or (weak >= 2 and bool(_MED_CONTEXT.search(norm)))


def _benign(norm: str) -> bool:
    """An ordinary purpose, unless it is denied ("a rope ... and it is not for camping")."""
    return any(not _DENIED.search(norm[max(0, m.start() - 24):m.start()])
               and not _COVER.search(norm[max(0, m.start() - 40):m.start()]) for m in _BENIGN.finditer(norm))


def _dedupe(seq: list[str]) -> list[str]:
    return list(dict.fromkeys(seq))


def _windows(norm: str) -> list[str]:
    words = norm.split(" ")
    if len(words) <= WINDOW_WORDS:
        return [norm]
    starts = list(range(0, len(words) - WINDOW_WORDS + _WINDOW_STEP, _WINDOW_STEP))
    if len(starts) > MAX_WINDOWS:
        starts = starts[-MAX_WINDOWS:]
    return [" ".join(words[i:i + WINDOW_WORDS]) for i in starts]


# A cover story told and then denied ("told them im going travelling but im not"): not a life event (lexicon.COVER_DENIED)
_COVER_DENIED = re.compile(COVER_DENIED)

# A pet handed on for a reason anyone would give (a landlord, an allergy, a move, shifts) is not giving things away
_PET_REASON = re.compile(r"\b(cat|cats|dog|dogs|pets?|puppy|kitten|rabbit|budgie|parrot|hamster|horse)\b.{0,100}?\b(landlords?|"
                         r"allerg\w*|asthma|(new|the) baby|moving|move|new (flat|house|job)|(night )?shifts|can not afford|"
                         r"too old|too poorly|too ill|(is|are) not allowed|will not allow|does not allow|no pets)\b|\b(landlords?|"
                         r"allerg\w*|asthma|new baby|moving|new (flat|house|job)|(night )?shifts|can not afford|no pets)\b.{0,80}?"
                         r"\b(giving|gave|given|rehom\w*|re homing|re homed|sorted) (\w+ ){0,2}?(cat|cats|dog|dogs|pets?|puppy|kitten|"
                         r"rabbit|budgie|parrot|hamster|horse)\b")

# Things sold or handed on for the money ("gave my games to my cousin cause i need the money for rent"), unless the caller
# says that is only what they tell people
_MONEY_REASON = re.compile(r"\b((need|needed|needing) the (money|cash)|for (the )?rent\b|skint|(to pay|pay) (off |for )?(the |my )?"
                           r"(rent|bills|debts?|loan|council tax))(?!.{0,40}\b(not (why|the reason|really)|that is not|is not "
                           r"why|what i (tell|told|say)))")

# Ordinary purposes, in order: (does it apply, unless the caller voiced one of these, the cues it drops, its marker).
_ORDINARY_SCOPES = (
    (_benign, _VOICED, _MEANS_ONLY, "benign_use"),
    (_TRAVEL.search, ("ideation:", "intent:", "means:", "preparation:", "self_harm:", "location:over_barrier"), _PLACE_ONLY,
     "travel"),
    (_PURPOSE.search, ("ideation:", "intent:", "self_harm:", "plan"), _PURPOSE_CUES, "benign_use"),
    (_supply, ("ideation:", "intent:", "self_harm:", "plan", "attempt:"), _SUPPLY_CUES, "benign_use"),
    (_FICTION.search, ("ideation:", "self_harm:", "means:", "plan"), _FICTION_CUES, "topic"),
    (lambda n: bool(_PET_REASON.search(n)) and not _COVER_DENIED.search(n),
     ("ideation:", "intent:future", "self_harm:", "plan", "attempt:", "preparation:note"),
     ("preparation:giving_away", "intent:vague"), "life_event"),
    (lambda n: bool(_MONEY_REASON.search(n)) and not _COVER_DENIED.search(n),
     ("ideation:", "intent:", "self_harm:", "plan", "attempt:", "preparation:note", "preparation:letters"),
     ("preparation:giving_away",), "life_event"),
)


@dataclass(frozen=True)
class _PatternState:
    """What the pattern layer concluded on one normalised text, before any semantic layer."""

    self_sigs: tuple[str, ...]
    third: tuple[str, ...]
    mods: frozenset[str]
    strong: bool
    weapon: bool
    level: Level
    kind: Kind


@lru_cache(maxsize=8192)
def _patterns(norm: str) -> _PatternState:
    """The pattern layer's reading, cached: the full reading and the pattern-only one the learned layer takes as
    features share it (the rule scan is the costliest part after the embedding)."""
    self_sigs: list[str] = []
    third: list[str] = []
    mods: set[str] = set()
    strong = weapon = False
    for win in _windows(norm):
        hits = find_hits(win)
        s, t, m, st, wp = _signals_from_hits(hits, win)
        self_sigs += s
        third += t
        mods |= m
        strong |= st
        weapon |= wp
    if "medical:emergency" not in self_sigs and _medical_signs(norm):
        self_sigs.append("medical:emergency")
    for applies, unless, drop, mark in _ORDINARY_SCOPES:
        if applies(norm) and not any(s.startswith(unless) for s in self_sigs):
            kept = [s for s in self_sigs if not s.startswith(drop)]
            if len(kept) != len(self_sigs):
                mods.add(mark)
                self_sigs = kept
    ideation_voiced = any(s.startswith(("ideation:", "self_harm:", "attempt:", "means:ready")) for s in self_sigs)
    if (_LIFE_EVENT.search(norm) or _PAUSE.search(norm)) and not ideation_voiced and not _COVER_DENIED.search(norm):
        kept = [s for s in self_sigs if s not in _LIFE_CUES]
        kept3 = [t for t in third if t not in _LIFE_CUES and not t.startswith("preparation:")]
        if len(kept) != len(self_sigs) or len(kept3) != len(third):
            mods.add("life_event")
            self_sigs, third = kept, kept3
    if _EXPLAINED_IT.search(norm) and "intent:vague" in self_sigs and not ideation_voiced:
        self_sigs = [s for s in self_sigs if s != "intent:vague"]
        mods.add("explained")
    if _WORK.search(norm) and not _FIRST_ACT.search(norm) and not _FOR_ME.search(norm) and not any(
        s.startswith(("ideation:", "intent:", "self_harm:", "time:now", "medical:")) for s in self_sigs
    ) and not any(t.startswith(("medical:", "time:now")) for t in third):
        # a nurse's or a pharmacist's shift: the overdoses and doses are their patients', not the caller's
        kept = [s for s in self_sigs if not s.startswith(("attempt:", "method:", "means:", "preparation:"))]
        if len(kept) != len(self_sigs):
            mods.add("work")
            self_sigs = kept
        if any(t.startswith(("attempt:", "method:", "means:")) for t in third):
            mods.add("work")  # "a patient overdosed on the ward today": the caller's shift, not someone they must save
            third = [t for t in third if not t.startswith(("attempt:", "method:", "means:"))]
    if _RECOVERED.search(norm) and not any(combine.is_risk_signal(s) for s in self_sigs):
        mods.add("resolved")  # "i don't cut anymore and haven't for years": nothing for the semantic layer to guess at
    if _RESOLVED.search(norm) and not any(s.startswith("time:now") for s in self_sigs) and (
        "time:past_distant" in self_sigs or "time:past_recent" in self_sigs or not _WORSE.search(norm)
    ) and not any(s.startswith(("attempt:in_progress", "means:", "intent:", "danger:")) for s in self_sigs):
        # history the caller says is over: an emergency or thoughts then are not risk now (a past attempt still is)
        kept = [s for s in self_sigs if s not in ("medical:emergency", "ideation:passive", "ideation:active",
                                                   "ideation:nonspecific", "abuse:ongoing")]
        if len(kept) != len(self_sigs):
            mods.add("resolved")
            self_sigs = kept
    if _WELL_NOW.search(norm) and ("time:past_distant" in self_sigs or _USED_TO.search(norm)) and not any(
        s.startswith(_WELL_KEEP) for s in self_sigs
    ):
        kept = [s for s in self_sigs if not s.startswith(_WELL_DROP)]
        if len(kept) != len(self_sigs) or not any(combine.is_risk_signal(s) for s in self_sigs):
            mods.add("resolved")
            self_sigs = kept
    if "medical:emergency" in self_sigs and "time:past_distant" in self_sigs and "time:now" not in self_sigs and not _WORSE_NOW.search(norm):
        self_sigs = [s for s in self_sigs if s != "medical:emergency"]  # "lost a lot of blood when i had her, years ago"
        mods.add("resolved")
    level, kind = combine.level_of(self_sigs, strong_threat=strong, weapon_now=weapon)
    return _PatternState(tuple(self_sigs), tuple(third), frozenset(mods), strong, weapon, level, kind)


def _assess_norm(norm: str, semantic: bool) -> tuple[Level, Kind, tuple[str, ...]]:
    st = _patterns(norm)
    self_sigs, third, mods = list(st.self_sigs), list(st.third), set(st.mods)
    strong, weapon, level, kind = st.strong, st.weapon, st.level, st.kind
    if semantic and norm:
        from . import semantic as sem

        extra, cap = sem.semantic_signals(norm, level, mods, bool(third))
        if extra and _AGREEING & set(self_sigs):
            cap = sem.STRONG_CAP  # a partial pattern cue and a paraphrase of risk agree: two layers, one reading
        if extra:
            before = (level, kind)
            self_sigs += extra
            level, kind = combine.level_of(self_sigs, strong_threat=strong, weapon_now=weapon)
            # what the semantic layer adds is capped (moderate for a loose paraphrase, high for a close one);
            # it never lowers what the patterns found
            if level > max(cap, before[0]):
                level = max(cap, before[0])
            if level == before[0]:
                kind = before[1] if before[0] > Level.NONE else kind
    risk = [s for s in _dedupe(self_sigs) if combine.is_risk_signal(s)]
    times = [s for s in _dedupe(self_sigs) if s.startswith("time:")]
    third_lvl = combine.third_party_level(third + times) if third else Level.NONE
    if third and third_lvl > level:
        level, kind = third_lvl, Kind.THIRD_PARTY
    elif third and level == Level.NONE:
        kind = Kind.THIRD_PARTY
    signals = risk + (times if risk or third else [])
    if third:
        signals.append("third_party")
        signals += [f"third_party:{s}" for s in _dedupe(third)]
    signals += sorted(mods)
    return level, kind, tuple(_dedupe(signals))


def _with_learned(norm: str, level: Level, kind: Kind, signals: tuple[str, ...]) -> tuple[Level, Kind, tuple[str, ...]]:
    """Raise the two layers' level with the learned model (learned.py; it concludes at most high), on the vector
    the kNN layer already computed (same cache). It lowers nothing but one case, the brake: a `high` the model
    is all but certain is risk-free becomes `moderate`. `imminent` is never touched."""
    from .learned import get_model

    model = get_model()
    if model is None or level >= Level.IMMINENT or not norm.strip():
        return level, kind, signals
    from safety.embedding import get_embedder

    from .semantic import _focus

    p_level, _, p_sigs = _cached(norm, False, False)
    if _TECHNIQUE.search(norm) and not any(combine.is_risk_signal(x) for x in p_sigs):
        return level, kind, signals
    vec = get_embedder().embed_one(_focus(norm))
    if level == Level.HIGH:
        # The brake: a `high` from the other layers that the model is all but certain is ordinary talk ("a load of
        # tablets to pick up from the chemist for my dad") becomes `moderate` (a strong offer of a person, not a
        # transfer). Random 5-fold CV over every set: removes ~1 in 6 false highs and lost no true severe item.
        p, _ = model.predict(vec, p_sigs, norm)
        if model.brake_applies(p):
            return Level.MODERATE, kind, ("learned:brake", f"learned:p={float(p[0]):.2f}", *signals)
        return level, kind, signals
    lvl, lkind, prob = model.assess(vec, p_sigs, p_level, norm, flagged=level >= Level.LOW)
    risk_sigs = {s for s in p_sigs if combine.is_risk_signal(s)}
    if lvl > Level.LOW and risk_sigs and risk_sigs <= _BARE_INTENT and not _COVER_DENIED.search(norm):
        # "i will do it later" alone: "it" is unsaid. A gentle check-in asks; the call's rolling window still joins it
        # with anything risky said before ("i want to die" ... "i'll do it tomorrow" is high by the patterns)
        lvl = Level.LOW
    if lvl < Level.HIGH and "third_party" in signals and not any(combine.is_risk_signal(s) for s in signals):
        # the patterns heard someone else's thoughts and nothing of the caller's own ("my friend keeps saying everyone
        # would be better off without her"): a milder learned reading of the same words is theirs, not the caller's
        return level, kind, signals
    if lvl <= level:
        return level, kind, signals
    return lvl, lkind, (f"learned:{lvl.value}", f"learned:p={prob:.2f}", *signals)


@lru_cache(maxsize=8192)
def _cached(norm: str, semantic: bool, learned: bool = True) -> tuple[Level, Kind, tuple[str, ...]]:
    level, kind, signals = _assess_norm(norm, semantic)
    if semantic and learned:
        return _with_learned(norm, level, kind, signals)
    return level, kind, signals


def analyse(text: str, *, semantic: bool = True, learned: bool = True) -> tuple[Level, Kind, tuple[str, ...]]:
    """(level, kind, signals); ``semantic=False`` is the pattern layer alone, ``learned=False`` patterns + kNN."""
    return _cached(normalize(text or ""), semantic, learned)


def assess(text: str, *, semantic: bool = True) -> Assessment:
    """One utterance's risk. Never raises on odd input (empty, huge, emoji, other scripts)."""
    text = text if isinstance(text, str) else str(text or "")
    if len(text) > 200_000:
        text = text[-200_000:]
    level, kind, signals = analyse(text, semantic=semantic)
    return Assessment(text=text, level=level, kind=kind, signals=signals)


def assess_many(texts: list[str], *, semantic: bool = True) -> list[Assessment]:
    return [assess(t, semantic=semantic) for t in texts]
