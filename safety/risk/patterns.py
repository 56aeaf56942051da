"""Precise patterns over normalised speech, each with a scope check.

A rule names what it heard (``ideation:passive``, ``method:medication``, ``time:tonight`` ...). Every
match is then scoped, using general mechanisms rather than per-sentence exceptions:

- negation: a negator ("not", "never", "no intention of") governs the match when only function words
  (auxiliaries, "i", "want to", "going to", "thinking about") stand between them;
- idiom: the match lies inside a known figurative span ("dying to", "killed it", "dead tired",
  "could murder a coffee", "kill a python process") or ends in a trivial-reason trailer
  ("i could kill him for eating my fries");
- whose risk: the subject found by walking back from the match (or its reflexive: myself vs herself)
  decides whether it is the caller's own risk or someone else's (``third_party``);
- reported speech: a reporting verb with someone other than "i" as its subject ("my mum thinks i'm
  suicidal", "he told me to kill myself") makes it not the caller's own statement;
- topic: a noun mention of suicide or self-harm next to topic words (documentary, prevention, rates,
  essay) is talk about the subject, not risk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import EXTRA_RULES, IDIOMS_EXTRA
from .normalize import CLAUSE_BREAK

# ---------------------------------------------------------------------------------------------
# lexicons

MEDS = (
    r"(pills?|tablets?|meds|medications?|medicines?|capsules?|paracetamol|acetaminophen|tylenol|"
    r"ibuprofen|advil|aspirin|painkillers?|pain killers?|sleeping pills|sleeping tablets|antidepressants?|"
    r"sertraline|zoloft|prozac|fluoxetine|citalopram|lexapro|xanax|valium|diazepam|lorazepam|ativan|"
    r"klonopin|oxy|oxycodone|oxycontin|percocet|vicodin|fentanyl|heroin|morphine|codeine|tramadol|"
    r"insulin|lithium|seroquel|quetiapine|ambien|zolpidem|benadryl|benzos?|opioids?|opiates?|"
    r"amitriptyline|gabapentin|pregabalin|lyrica|methadone|nurofen|co ?codamol|anti ?depressants|prescriptions?)"
)
ROPE = r"(rope|noose|belt|cord|ligature|extension cord|cable)"
GUN = r"(gun|guns|pistol|rifle|shotgun|firearm|handgun|revolver|glock)"
BLADE = r"(knife|knives|razor|razors|razor blades?|blades?|box cutter|scissors|glass)"
HEIGHT_PLACE = r"(bridge|roof|rooftop|ledge|cliff|balcony|overpass|tower|car park|parking garage|top floor|building)"
NUM = (r"(\d+|a dozen|dozens|a hundred|hundreds|a couple of|a few|several|twenty|thirty|forty|fifty|sixty|"
       r"seventy|eighty|ninety|ten|fifteen|twelve|eleven|a bunch of|a load of|a ton of|a lot of|loads of|"
       r"tons of|lots of|a handful of|handfuls of|a shit ?load of|a heap of)")
BIGNUM = (r"(\d\d+|a dozen|dozens|a hundred|hundreds|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|ten|"
          r"fifteen|twelve|eleven|(a )?(whole |big |huge |massive |shit ?)?(bunch|load|ton|lot|handful|heap|stack|pile)s? of|"
          r"way too many|too many|as many)")
QTY = (r"(all (of )?(my |the |those |these |her |his )?|(the|her|his|my|their) whole (bottle|pack|packet|box|lot|strip|thing) of |"
       r"a whole (bottle|pack|packet|box|strip|jar) of |an entire (bottle|pack|packet|box) of |every |the rest of |"
       + BIGNUM + r" (of )?|too much )(\w+ ){0,2}?")
SELF = r"(myself|my own life|my life)"
REFL = r"(myself|himself|herself|themselves|themself|yourself)"
REL = (r"(friend|friends|mate|buddy|bestie|best friend|brother|sister|mom|mum|mother|dad|father|son|daughter|"
       r"kid|kids|child|husband|wife|partner|boyfriend|girlfriend|ex|cousin|uncle|aunt|grandma|grandpa|"
       r"grandmother|grandfather|roommate|flatmate|coworker|colleague|neighbor|neighbour|classmate|"
       r"teacher|student|client|patient|stepdad|stepmom|stepfather|stepmother|fiance|fiancee|nephew|niece|"
       r"sibling|parent|parents|family|boss|manager|husbands|wifes|bf|gf)")
OTHER_SUBJ = r"(he|she|they|him|her|them|my " + REL + r"|his " + REL + r"|her " + REL + ")"
OTHER_TARGET = (r"(him|her|them|you|everyone|everybody|someone|somebody|people|(that|this|those|these|some) (\w+ )?(guy|man|"
                r"woman|kid|kids|boy|girl|lad|lads|bloke|teacher|person|people|bitch|bastard|prick|idiot|dude|family|"
                r"cunt|twat|arsehole|asshole)|"
                r"my " + REL + r"|the (kids|school|office|whole place|teacher|boss|neighbou?rs?)|his " + REL + r"|"
                r"her " + REL + ")")
FUTURE = (r"(am going to|am gonna|will|am about to|am planning to|plan to|intend to|am ready to|have decided to|decided to|"
          r"am finally going to|is going to|are going to|is planning to|made up my mind to|have made my mind up to)")
WANT = r"(want to|wanted to|wanting to|wish to|wish i could|would like to|need to|feel like|felt like|should just|should)"
DIE_VERB = (r"(die|be dead|not exist|stop existing|not be alive|disappear forever|go to sleep forever|"
            r"sleep forever|not wake up|never wake up|be gone|not be here|not be around|stop living|end it all|"
            r"end everything|fall asleep forever|just disappear|disappear(?! (into|in|for|to|from|off|with|under|inside|behind))|"
            r"(go to sleep|fall asleep) and (never|not) wake up)")
SUICIDE_VERB = (r"(kill myself|killing myself|finish my life|finish myself|end my life|ending my life|end it all|ending it all|take my (own )?life|"
                r"taking my (own )?life|commit suicide|die by suicide|off myself|offing myself|end myself|"
                r"hang myself|hanging myself|shoot myself|shooting myself|overdose|overdosing|od|jump off|"
                r"jump in front of|drown myself|slit my (wrists?|throat)|do myself in|top myself|end things|"
                r"end it|ending it)")

# ---------------------------------------------------------------------------------------------
# rules: (signals, regex, flags)
#   flags: "mention"  topic-sensitive noun mention; "other"  the risk comes from someone else
#          ("he hits me"): no third-party demotion; "noscope"  modifier (time words): never scoped


@dataclass(frozen=True)
class Rule:
    signals: tuple[str, ...]
    pattern: re.Pattern[str]
    flags: frozenset[str] = frozenset()


def _r(signals: str, pattern: str, flags: str = "") -> Rule:
    return Rule(tuple(signals.split()), re.compile(r"\b(?:" + pattern + r")\b"), frozenset(flags.split()))


RULES: list[Rule] = [
    # --- passive ideation and its euphemisms
    _r("ideation:passive", WANT + r" (just )?" + DIE_VERB),
    _r("ideation:passive", r"(want|wanted|wanting|wish|wishing) (it|everything|this|all of this|it all|my life) to (end|be over|stop for good|stop forever)"),
    _r("ideation:passive", r"(do not|did not|never) (really )?(want|wanna|wish) to (live|be alive|exist|be here|wake up|go on|keep going|keep living|be around|be on this earth|carry on|continue)"),
    _r("ideation:passive", r"(not|no longer|never) (sure )?(if |whether )?(i )?(want|wanna) to (live|be alive|exist|be here|wake up|keep going|keep living|go on)"),
    _r("ideation:passive", r"(wish|wishing|hope|hoping|pray|praying) (that )?i (was|were|would be|could be|am) (dead|never born|not born|not here|not alive|gone|not around|in the ground|hit by)"),
    _r("ideation:passive", r"(wish|wishing|hope|hoping|pray|praying) (that )?i (just )?(would|could|will|do not|never|did not|just|would just|could just) (just )?(die|not wake up|never wake up|wake up dead|disappear(?! (into|for|to))|stop breathing|get hit|get (pushed|run over|knocked down)|get sick and die|go to sleep and (never|not)|fall asleep and (never|not)|cease)|(wish|wishing|hope|hoping|pray|praying) (that )?i (just )?(do not|never|would not|will not|did not) wake up"),
    _r("ideation:passive", r"(wish|wishing) i (had |would have |would )?(never|not) (been born|existed|woken up|woke up)"),
    _r("ideation:passive", r"(would|had) (much )?rather (be dead|die|not be (here|alive|around)|not exist|not wake up)|(give|giving|given|gave) up on (life|living|myself|being alive)|(do not|can not) see (the|any) point (anymore|of (being here|living|going on|carrying on|life|me))|what is (even )?the point anymore|sick of being alive"),
    _r("ideation:passive", r"(everyone|everybody|people|my (family|kids|children|wife|husband|parents|mom|mum|partner)|they|the world|things) (would|will|would all|will all|might) be (better|happier|fine|okay) (off )?(without me|if i (was|were|am|was not|were not|died|disappear|disappeared|left|was gone|were gone|did not exist))"),
    _r("ideation:passive", r"better off (without me|if i (was|were|am) (dead|gone|not here|not around)|dead|if i died|if i disappeared|with me gone|if i was not here|if i were not here|if i was not around)"),
    _r("ideation:passive", r"(i am|i feel like|i feel|i have become|i have been|just) (such )?(a|nothing but a) (burden|waste of (space|air|oxygen|life))"),
    _r("ideation:passive", r"(burden (to|on|for) (everyone|everybody|my family|them|the people|you all|my kids|my parents))"),
    _r("ideation:passive", r"(no|not any|not a|there is no|there is not any|can not see (a|any)|do not see (a|any)) (point|reason|purpose|use) (for me )?(in |to |of )?(living|being alive|going on|to live|to go on|to keep going|in life|of life|being here|to be here|to carry on|to stay|staying|carrying on|in trying|trying anymore|anymore)"),
    _r("ideation:passive", r"what is (even )?the (point|use) (of|in) (living|life|being alive|going on|me being here|being here|anything|carrying on|trying|waking up)"),
    _r("ideation:passive", r"(can not|could not|can not really|no longer|not able to|unable to) (go on|keep going|do this anymore|carry on|keep living|live like this|keep doing this|take (it|this) anymore|handle (it|life|this) anymore|face another day|face tomorrow|survive this|cope anymore|keep fighting)"),
    _r("ideation:passive", r"(tired|sick|exhausted) of (living|being alive|life|existing|waking up|being here|breathing|fighting)"),
    _r("ideation:passive", r"(life|living|my life) (is not|is no longer|does not feel|has never been|is not really) worth (it|living|anything|the effort|the pain)"),
    _r("ideation:passive", r"(nobody|no one|none of them|nobody at all|not a single person) (would|will|is going to|would even|will even) (miss|notice|care|even notice|even care|even miss)( me)? (if|when) i (died|was gone|were gone|disappeared|left|killed|was dead|were dead|was not here|stopped)"),
    _r("ideation:passive", r"(just )?(let me die|want out of (this|life|it all)|want out|want to check out|ready to check out|want to go to sleep and never|want the pain to end forever|want to be with (my )?(mom|mum|dad|husband|wife|son|daughter|grandma|grandpa|brother|sister) (again|in heaven|up there))"),
    _r("ideation:passive", r"(would not|would not really|would not even) (mind|care) (if i|dying|if something happened to me|being dead|not waking up|if i did not wake up|if i got hit)"),
    _r("ideation:passive", r"(do not|does not|would not) (matter|care) (if|whether) i (live|lived|die|died|am alive|wake up|was dead)"),
    _r("ideation:passive", r"(thinking|thought|think|thinks) (about|of) ((death|dying) (a lot|all the time|constantly|every day|more and more|lately)|being dead|not being here|not existing|not waking up|not being alive|disappearing forever)"),
    _r("ideation:passive", r"(death|dying) (would be|seems like|feels like|sounds like|is) (a |the )?(relief|release|easier|better|peaceful|welcome|escape|only way out|answer|solution|mercy|blessing|gift|kindness)"),
    _r("ideation:passive", r"(the only way out|only way out is|only way to make it stop|permanent solution|sweet release|eternal sleep)"),
    _r("ideation:passive", r"(ready|want|wanting) to (give up on|be done with) (life|living|everything|it all)"),
    _r("ideation:passive", r"(i am|i feel|i have been|just) (done|finished) with (life|living|everything|this life|it all|existing|this world)"),
    _r("ideation:passive", r"(not|never) (going to|gonna) (be around|be here|make it) (much longer|for long|another (day|week|year)|to (see|christmas|my birthday))"),
    # --- active ideation (the caller's own wish or thought of killing themselves)
    _r("ideation:active", WANT + r" (just )?(to )?" + SUICIDE_VERB),
    _r("ideation:active", r"(want|wanted|wanting|wish|need|going|plan|planning|thinking|thought|think|urge|urges|tempted|considering|consider|close) (about |of |to )?(killing|ending|taking) (myself|my (own )?life|it all)"),
    _r("ideation:active", r"(i am|i feel|i have been|i have been feeling|been feeling|feeling|been|i was|i got|getting|am) (really |very |so |kind of |pretty |a bit |a little |quite |actively |super |extremely |incredibly )?(suicidal)"),
    _r("ideation:active", r"suicidal (thoughts|feelings|urges|ideation|ideas|impulses)|urges? to (kill myself|die|end it)", "mention"),
    _r("ideation:nonspecific", r"thoughts (of|about) (suicide|killing myself|ending (it|my life|things|it all)|dying|death|taking my life|not being here|not being alive)", "mention"),
    _r("ideation:active", r"(kill|killing|kills|killed|end|ending|ended|hang|hanging|shoot|shooting|drown|drowning|off|offing|poison|poisoning|suffocate|suffocating|gas|gassing|electrocute|starve|starving) " + REFL),
    _r("ideation:active", r"(take|taking|took|end|ending|ended|finish|finishing) (my|his|her|their) (own )?lives?"),
    _r("ideation:active", r"(commit|committing|do|doing) suicide|suicide is (the|my) (answer|only option|way out|solution)"),
    _r("ideation:nonspecific", r"(thinking|thought|think|thinks|thoughts|wondering) (about|of|around) (suicide|killing myself|ending it|ending my life|ending things|ending it all|taking my life|how to die|dying by suicide)", "mention"),
    _r("ideation:nonspecific", r"(suicide|ending it|killing myself|ending my life) (has been|is|keeps|keeps coming|has been coming|crossed|crosses|is always) (on|in|into|up in|across|coming into) my mind"),
    _r("ideation:active", r"(suicide|killing myself|ending it|ending my life) (seems|feels|sounds|is starting to (seem|feel|sound)|looks) (like )?(a )?(good|the only|an|my only|better|reasonable) (option|idea|choice|way out)"),
    # --- intent (future), plan, preparation
    _r("intent:future", FUTURE + r" (just |finally |really |actually |definitely )?(to )?(" + SUICIDE_VERB[1:-1] + r"|die|end everything|take (all )?(the|my|those|these) (pills|tablets|meds)|take them all|swallow (them|all of them|the (pills|tablets)))"),
    _r("intent:vague", FUTURE + r" (just |finally |really |actually |definitely )?(to )?(do it|go through with it|jump|end this|do something (stupid|drastic|bad|dangerous|permanent)|not be here|be gone|go away for good|make it stop (for good|forever))"),
    _r("intent:decided", r"(i have|i have made|i made) (up )?my (mind|decision)(?! (to|about|on|that|up to) )|my mind is made up"),
    _r("intent:future", r"(this is|today is|tonight is|it is) (my|the) (last (night|day|time|call|goodbye|week)(?=$| \||,| you| anyone| anybody| we| i (call|ring|speak|talk|will)| of my life)|night(?= \||$| i (do it|die|go|end it))|day i (die|do it|go))"),
    _r("intent:future", r"(will not|am not going to|am not gonna) (be (here|around|alive)|wake up|make it|see|live to see) (tomorrow|much longer|by (morning|tomorrow|the weekend|monday|next week)|another (day|week)|next (week|year)|the morning|christmas|my birthday|the new year|the weekend)"),
    _r("intent:future", r"(this is|i am calling to say|i just wanted to say|i wanted to say|i am saying) (my )?goodbye|(calling|called|ringing|phoning|here|wanted|want|just|only) (just )?to say (my )?goodbyes?|(say|said|saying) (my )?goodbyes? to (everyone|everybody|my (family|kids|children|mom|mum|dad|wife|husband|partner|friends)|people|the (kids|family))|(will not|am not going to|am not gonna) be (around|here|alive) (to|for|anymore|by then|after (tonight|today|this))"),
    _r("intent:vague", r"i am ready( now)?( \||$)|i am ready (to go|now|for it)|(going to|will|about to|gonna) die (tonight|today|this weekend|tomorrow)|(^|\| )going to die( \||$)"),
    _r("plan", r"(i have|i have got|i have made|i made|i worked out|got|there is|i came up with) (a |the |my )?(plan|plans|date|day picked|time picked|place picked)(?! (for|with|to (go|see|meet|visit|get|move|fix|study|save|start|quit|finish|buy|call|travel|leave my job)|on))( to| already| all| in place)?"),
    _r("plan", r"i (know|have figured out|figured out|worked out|have decided|decided|have picked|picked|chose|have chosen|chosen) (exactly |already )?(how|when|where|what) (i am going to|i will|i would|i could|to|i want to) (do it|die|end it|kill myself|go|do this)"),
    _r("method:unspecified ideation:nonspecific", r"(thought|think|thinking|wondered|wondering|imagined|imagining) (about |of )?(exactly )?(how|when|where) (i would|i could|i will|i might|i am going to|to) (do it|die|end it|kill myself|end my life)"),
    _r("plan", r"(have|had|got) (it|everything|this|the whole thing) (all )?(planned|figured|worked|mapped|sorted) (out)?"),
    _r("plan", r"(planning|planned|plan) (my|out my|how to|to) (death|suicide|exit|end|final)"),
    _r("plan", r"(picked|chose|chosen|found|scoped out|have) (a|the) (spot|place|date|day|bridge|tree|building|location) (to|where|for|when)(?! (the|a|our|my) (tent|picnic|party|wedding|photos?|pictures?|barbecue|bbq|caravan|camping|fishing|holiday|trip|meeting|interview|move|do|reunion|christening|funeral|memorial|birthday|match|game|gig|sale|car|van|shed|garden)\b)"),
    _r("preparation:stockpiling", r"(saving|saved|save|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|storing|stored|stashing|stashed|keeping|kept|building up|stocking up|stocked up|gathering|gathered) (up )?(all |a lot of |extra |enough |some )?(my |the |those |these |of my )?" + MEDS),
    _r("preparation:stockpiling", r"(enough|plenty of) " + MEDS + r" (to (do it|kill|die|end|not wake|never wake|overdose|do the job|be sure))"),
    _r("preparation:acquired", r"(bought|buying|got|getting|ordered|purchased|went and got|picked up) (a |some |the |more |extra |another )?(new |strong |long |thick |proper )?(" + GUN[1:-1] + r"|rope|noose|charcoal|bullets|ammo|ammunition|hose|helium|razor blades)"),
    _r("means:access", r"(i have|i have got|i got|got|i own|there is|there are|we have|i can get) (a |the |my |all my |all the |enough |plenty of |access to |his |dad |my dad )(" + MEDS[1:-1] + r"|" + GUN[1:-1] + r"|rope|noose|razor|razors|razor blades|charcoal|bleach)"),
    _r("preparation:research", r"(looked up|looking up|look up|googled|googling|searched|searching|research|researched|researching|read up on|reading up on|checked|checking|reading about|read about|watching videos (on|about)) (how|what|which|the|ways|methods|different ways) (many|much|best way|fastest way|easiest way|quickest way|least painful way|painless way|dose|amount|lethal|height|way to|ways to|methods|to (die|kill myself|end it|overdose|hang))"),
    _r("method:medication preparation:research", r"(how many|how much|enough) (of )?(my |the |those |these |them )?(" + MEDS[1:-1] + r"|of them)? ?(it )?(would|will|does|do|it would|it will|it takes|to) (take|kill|it take) (to (die|kill|end|be fatal|do it))?"),
    _r("preparation:research", r"(lethal|fatal|deadly) (dose|amount|overdose|height)"),
    _r("preparation:note", r"(wrote|written|writing|write|left|leave|leaving|finished|typed|recorded|made|have|got|posted|posting|shared|put up) (a |my |the |some |all |these |those )?(suicide note|goodbye note|goodbye notes|suicide letter|goodbye (note|notes|letter|letters|video|message|messages)|final (note|notes|letter|letters|message|messages)|last (letter|letters|note|notes|message|words))|(notes?|letters?) (saying|to say) goodbye"),
    _r("preparation:letters", r"(wrote|written|writing|write|left|leave|leaving|finished|typed|recorded) (a |my |the |some |all |these |those )?(notes?|letters?|messages?|videos?) (for|to) (everyone|everybody|each of|my (kids|family|children|parents|mom|mum|dad|wife|husband|partner|friends)|the (kids|family)|them|all)"),
    _r("preparation:letters", r"(made|making|wrote|writing|updated|updating|sorted|sorting|changed|changing|rewrote|redone|redid) (out )?(my |a )?(will|affairs|funeral|final arrangements)|(put|putting|got|getting) (my )?affairs in order|(sorted|sorting) (out )?(everything|my stuff|my things) for (after|when) i am gone"),
    _r("preparation:giving_away", r"(giving|gave|given|give|handing|handed|rehomed|rehoming|rehome) (away )?(all |most of |some of )?(my |all my )(stuff|things|belongings|possessions|guitar|games|dog|cat|cats|dogs|pets|jewell?ery|savings|car|records|valuables|prized|favourite|favorite|clothes|trainers|playstation|xbox|console|laptop|bike)"),
    _r("preparation:giving_away", r"(giving|gave|give|given) (away )?(all |most of )?(my |all my )?(stuff|things|belongings|possessions) away|(will|would|am going to) not need (them|it|my (stuff|things|car|savings|dog|clothes)) (anymore|where i am going|much longer|after)"),
    # --- methods (a method alone only matters with suicidal context; see combine.py)
    _r("method:medication", r"(overdose|overdosing|overdosed|od) (on )?(" + QTY + r")?" + MEDS),
    _r("method:medication", QTY + MEDS + r"|" + MEDS + r" (at once|in one go|all at once|at the same time|with (vodka|alcohol|booze|wine|whiskey|beer))"),
    _r("method:medication", r"(overdose|overdosing|overdosed|lethal dose|(take|taking|swallow|swallowing|down|downing) (them all|all of them|the (whole|entire) (bottle|pack|packet|box|lot|jar)|the lot|everything in the (cabinet|cupboard|medicine cabinet)))"),
    _r("method:rope", r"(hang|hanging|hanged|hung) (myself|himself|herself|themselves)|" + ROPE + r" (around|round|on) my neck|(tie|tied|tying|tighten) (a |the )?" + ROPE + r"|(beam|ceiling|rafter|door ?frame|tree|banister|closet rod|shower rod|garage) (to hang|for the rope|for a noose)|noose"),
    _r("method:firearm", r"(shoot|shooting|shot) (myself|me|my (own )?(head|brains) (off|out))|(gun|pistol|barrel) (to|in|against|at) my (head|mouth|temple|chest)|(use|using|get|getting|load|loading|loaded|cock|cocked|bought|buy|grab|holding|hold|have|got|own|has) (a |the |my |his |dad|my dad|my husband)?\s?" + GUN + r"|(bullet|bullets|ammo|ammunition) (in|into|for)"),
    _r("method:height", r"jump( \||$)|(jump|jumping|jumped|throw myself|throwing myself|leap|leaping|fall|falling) (off|from|of) (a |the |my |this |that )?(" + HEIGHT_PLACE[1:-1] + r"|window|top|edge|balcony|cliff|building)|(on|at|to) (the )?(edge|ledge|railing|rail|parapet) (of )?(the |a |this )?(" + HEIGHT_PLACE[1:-1] + r"|roof|window|platform)?|wrong side of the (railing|rail|fence|barrier)|(how|so) high up"),
    _r("method:vehicle_exhaust", r"(car|engine) (is )?(running|on) in (the|a|my) (garage|shed)|(hose|pipe|tube) (to|from|into|on) (the )?(exhaust|tailpipe|car)|carbon monoxide|exhaust fumes|(charcoal|barbecue|bbq) (in|inside) (the|my|a) (car|room|tent|bathroom)|(gas|gassing) myself|(sit|sitting|sat) in the (car|garage) with the engine"),
    _r("attempt:in_progress method:vehicle_exhaust", r"(i am|i am sitting|sitting|i am sat) in the (car|garage) with the engine (on|running)|(car|engine) is running in the (garage|shed)"),
    _r("method:vehicle", r"(crash|crashing|drive|driving|drove|steer|steering|swerve|swerving) (my |the )?(car|truck|bike|motorbike)? ?(into|off) (a |the |oncoming |that )?(tree|wall|truck|traffic|bridge|lorry|cliff|river|lake|pole|barrier|road|ravine|bus|train)|(step|stepping|walk|walking|jump|jumping|throw myself|lie|lying|lay) (out )?(in front of|into|onto|on) (a |the |oncoming |some )?(train|bus|truck|lorry|traffic|tracks|railway|road|car|subway)|(on|near|by) the (train )?(tracks|railway line|rail line)"),
    _r("method:cutting", r"(cut|cutting|slit|slitting|slice|slicing|open) (my|his|her) (wrists?|throat|arms? open|veins)|(cut|cutting) (really |so |very )?(deep|too deep|deeper|deep enough)"),
    _r("method:drowning", r"(drown|drowning) (myself|himself|herself)|(walk|walking|swim|swimming) (into|out into) the (sea|ocean|river|lake|water) (and|until|till) (not|never|keep)"),
    _r("method:poison", r"(drink|drinking|drank|swallow|swallowed|swallowing|take|taking|took|drunk) (some |the |a bottle of |all the )?(bleach|antifreeze|anti freeze|poison|rat poison|weed killer|pesticide|drain cleaner|cyanide|paraquat)"),
    _r("method:suffocation", r"(plastic bag|bag) over my head|(helium|nitrogen) (tank|canister|hood)|suffocat(e|ing) (myself)?"),
    # --- attempts: past and in progress
    _r("attempt:past", r"(tried|try|attempted|attempt|made an attempt|tried again) (to )?(" + SUICIDE_VERB[1:-1] + r"|die|suicide|end it|end my life|take my life|hang myself|od|overdose|jump)|(my|a|the|last|previous|first|second|third|suicide) (suicide )?attempts?|(i|he|she) (overdosed|od ed|od d)|(survived|after|since) (my|an|the) (attempt|overdose)|(was|been|got|ended up) (in )?(hospitali[sz]ed|in (the )?(hospital|psych ward|icu|a&e|er|emergency room)) (after|for|because) (i |my )?(tried|attempt|overdose|overdosed|od|took|cut|swallowed)"),
    _r("attempt:event method:medication", r"(took|taken|swallowed|downed|necked|drank|drunk|had|taking|swallowing) (about |like |around |over )?(" + QTY + r")" + MEDS + r"|(took|taken|swallowed|downed|necked|injected) (the lot|everything in the (medicine )?(cabinet|cupboard)|them all|all of them)|(overdosed|od d|od ed)"),
    _r("attempt:event", r"(slit|cut|slashed|sliced|opened) (my|his|her) (wrists?|throat|veins)|(drank|drunk|swallowed|taken|took|had) (some |the |a bottle of |a cup of |all the )?(bleach|antifreeze|anti freeze|poison|rat poison|weed killer|drain cleaner|pesticide)"),
    _r("attempt:in_progress", r"(climbed|climbing|went|gone|stepped|got) (over|onto|up on|out on|out onto) (the |a )?(railing|rail|barrier|fence|ledge|edge|parapet)|(i am|i am standing|i am sitting|i am lying|standing|sitting|lying) on the (train |railway |subway )?(tracks|track|line)|(knife|blade|razor|gun|pistol|barrel) (is )?(to|against|on|at|in) my (wrist|wrists|throat|head|neck|arm|chest|temple|mouth)|(i am|i have been|i) (holding|have) (a|the|my) (knife|blade|razor|gun|pistol) (to|against|on) my"),
    _r("attempt:in_progress", r"(about to) (jump|do it|take (them|the pills|it)|pull the trigger|step off|let go|end it|kill myself|cut)|(will not|won t) stop bleeding|can not stop the bleeding|(bleeding|blood) (really )?(bad|badly)"),
    _r("attempt:in_progress", r"(i have|i just|i already|i have just|i have already|just|already) (taken|took|swallowed|downed|necked|drank|drunk|had) (them|all of them|the (pills|tablets|lot|whole bottle|whole pack))(?! (for|since|before|all my|on and off|loads|lots|a few|many|twice|once|every|in the past|as a)\b)|(i have|i just|already|just) (swallowed|drank|drunk|taken) (the )?(bleach|antifreeze|poison|rat poison)"),
    _r("attempt:in_progress", r"(i am|i am standing|standing|i am sitting|sitting|i am up|up|i am right|right|i am at|at|i am on|i am here on|here on) (on )?(the |a |this |top of (the |a |this )?)?(edge|ledge|railing|rail|parapet|" + HEIGHT_PLACE[1:-1] + r") (right )?(now|looking down|about to|and (i|it|the water)|of (the|this)|ready|over the)|(standing|sitting|i am) (on )?(the )?(wrong side of the|outside the) (railing|rail|barrier|fence)"),
    _r("attempt:in_progress", r"(rope|noose|belt|cord) (is )?(already )?(around|round|on) my neck|(gun|pistol|barrel) (is )?(in my mouth|to my head|against my head|pointed at my head|at my head)|(i am|i have|i just) (cut|cutting|slit) (my wrists|myself) (and|right now|now|open)|(bleeding|blood) (a lot|everywhere|won ?t stop|will not stop|is not stopping|so much|heavily|badly)|(the )?car is running in the (garage|shed)|(started|lit) the (charcoal|barbecue|bbq|engine) in the (car|garage|bathroom|room)|(i am|i feel) (getting )?(so )?(drowsy|sleepy|dizzy|numb) (from|after|because of) (the |all the |those )?" + MEDS + r"|(already|just) (started|begun|doing it)|i am doing it (now|right now|tonight)|this is me doing it"),
    _r("means:at_hand", r"(" + MEDS[1:-1] + r"|" + GUN[1:-1] + r"|" + ROPE[1:-1] + r"|" + BLADE[1:-1] + r"|bleach|charcoal|poison) (is |are )?(right )?(here|in front of me|next to me|beside me|by me|on the (table|bed|counter|desk|floor|nightstand)|in my (hand|hands|lap|pocket|bag)|with me|ready|counted out|lined up|laid out|all set|set up|tied|loaded)"),
    _r("means:at_hand", r"(i have|i have got|i got|got|i am holding|holding|i am looking at|looking at|staring at|i have in|have in) (the |a |my |all my |all the |all of my |these |those |his |dad )?(" + MEDS[1:-1] + r"|" + GUN[1:-1] + r"|" + ROPE[1:-1] + r"|" + BLADE[1:-1] + r"|bleach) (right )?(here|in front of me|next to me|in my (hand|hands|lap|pocket)|with me|ready|out|counted|on me|on the (table|bed|counter))"),
    _r("means:ready", r"(counted|counting|lined|lining|laid|laying|set|setting) (out|up) (the |all the |my |all my |all of my )?(" + MEDS[1:-1] + r"|rope|noose)|(" + MEDS[1:-1] + r") (are |is )?(all )?(counted|lined|laid|set) (out|up)|(rope|noose) (is )?(tied|set up|ready|hanging)|(the |my )?(gun|pistol|rifle|shotgun) is loaded|loaded (the |my |a )?(gun|pistol|rifle|shotgun)"),
    _r("means:at_hand", r"(holding|i am holding|i have in my hand|in my hand is) (a |the |my )?(" + GUN[1:-1] + r"|" + BLADE[1:-1] + r"|rope|noose|" + MEDS[1:-1] + r")|(" + GUN[1:-1] + r"|" + BLADE[1:-1] + r") (is |are )?in my (hand|hands|lap)|(on|in) my lap"),
    _r("attempt:in_progress method:height", r"(i am|i am standing|i am sitting|i am up|i am here|standing|sitting|i am right|i have climbed|i am stood|i am sat) (up )?(on|at|onto|out on) (the )?(very )?(edge|ledge|window ledge|railing|parapet|cliff edge|rail)"),
    _r("location:height", r"(i am|i am standing|i am sitting|i am up|i am here|standing|sitting|i am at|i am right|i have climbed|i am stood|i am sat|(he|she|they|my " + REL + r") (is|are) (standing |sitting |up )?) ?(up )?(on|at|onto|to) (the )?(top of )?(the |a |this |my |our )?(" + HEIGHT_PLACE[1:-1] + r"|platform)"),
    # --- self-harm
    _r("self_harm:current", r"(cut|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|harm|harming|scratch|scratching|scratched|hit|hitting|punch|punching|bang|banging|starve|starving|carve|carving|pull|pulling out) (myself|herself|himself|themselves|(my|her|his|their) (arms?|wrists?|legs?|thighs?|skin|stomach|hair out)|into (my|her|his|their) (arms?|skin|wrists?|legs?))"),
    _r("self_harm:current", r"(self harm|self harming|self harmed|selfharm|self injury|self injuring|self mutilation)( again)?", "mention"),
    _r("self_harm:current", r"(relapsed|relapse|relapsing|started|starting|went back to|back to) (on |with |into )?(cutting|self harm|self harming|burning myself|hurting myself)|(urge|urges|craving|cravings|itch|need|wanting|want) (to )?(cut|self harm|hurt myself|burn myself|harm myself)"),
    _r("self_harm:past", r"(used to|use to|i would|back in (high )?school i|when i was (younger|a teenager|a kid|in school|\d+)( i)?) (cut|self harm|hurt|burn|harm)|(old|past) (scars|self harm)|(scars|marks) (from|of) (cutting|self harm|when i (used to|would) cut)"),
    # --- harm to others
    _r("threat:others", r"(" + FUTURE[1:-1] + r"|want to|wanna|going to|gonna|thinking about|thought about|fantasi[sz]ing about|fantasi[sz]e about|fantasi[sz]ed about|daydream about|dream about|could|would|should|feel like|urge to|urges to|think about) (really |actually |just |finally |seriously )?(kill|killing|murder|murdering|shoot|shooting|stab|stabbing|strangle|strangling|hurt|hurting|beat up|beating up|beat|beating|batter|battering|poison|poisoning|attack|attacking|run over|choke|choking|slit|smother|burn|burning) " + OTHER_TARGET),
    _r("threat:others", r"(shoot|shooting|bomb|bombing|blow|blowing) (up )?(the |my |this |that )?(school|office|work|workplace|church|mall|place|building|party|class|everyone)|(make|making) (them|him|her|everyone|all of them|them all) pay|(kill|killing|hurt|hurting) (everyone|everybody|them all|all of them|people|some people)|(take|taking) (them|him|her|everyone|some people) (with me|down with me)"),
    # --- danger from someone else (abuse, threats against the caller)
    _r("abuse:ongoing abuse:violence", OTHER_SUBJ + r" (hits|hit|beats|beat|beat me|chokes|choked|strangles|strangled|kicks|kicked|punches|punched|slaps|slapped|hurts|hurt|abuses|abused|rapes|raped|molests|molested|touches|touched|burns|burned|pushes|pushed|shoves|shoved|throws things at|threw|locks|locked|drags|dragged|grabbed|grabs|attacked|attacks|assaulted|assaults|forced|forces|is hurting|has been hurting|keeps hurting|is hitting|has been hitting|keeps hitting|is beating|been beating|beats up|beat up) (me|my (face|head|kids|children|son|daughter|baby)|me up|us)", "other"),
    _r("danger:from_other", OTHER_SUBJ + r" (said|says|threatened|threatens|is threatening|keeps threatening|swore|promised|told me|is going to|is gonna|will|wants to|tried to|is trying to|going to|gonna) (that )?(he|she|they)? ?(would |will |is going to |was going to |to |gonna )?(kill|hurt|shoot|stab|murder|strangle|choke|beat|burn|find|come for|come after|get|take the kids from) (me|us|my (kids|children|son|daughter|family))", "other"),
    _r("danger:from_other", r"(scared|afraid|terrified|frightened|worried|fear) (of|that|for my life|he|she|they|what) (.{0,40})(will |is going to |might |going to |gonna |would )?(kill|hurt|hit|beat|attack|find|come back|do to) (me|us)|(afraid|scared|terrified|fear|fearing|fearful) for my (life|safety)|not safe (at home|in my (own )?(house|home)|with (him|her|them|my))|(he|she|they|someone|somebody|my " + REL + r") (is|are) (outside|at the door|in the house|breaking in|banging on|kicking|trying to get in|following me|coming)( my| the)?( front)?( door| house| room| in)?( with a (knife|gun|bat|weapon))?", "other"),
    _r("abuse:ongoing", r"(afraid|scared|terrified) (to go|of going) (back )?home|not safe (at home|in my (own )?(house|home))", "other"),
    _r("danger:from_other", r"(he|she|they) (will|would|is going to|is gonna) (slit my throat|stab me|shoot me|kill me|strangle me|burn me)|(threatened|threatening|threatens) (to )?(stab|shoot|kill|hurt|strangle|burn|slit) (me|my)", "other"),
    _r("danger:from_other", r"(he|she|they|my " + REL + r"|someone|somebody|a man|a guy|this guy) (has|had|is holding|is waving|pulled|pointed|is pointing) (a |his |her |the )?(gun|knife|weapon|bat|machete) (at|on|to|against) (me|my)", "other"),
    _r("abuse:ongoing abuse:violence", r"(being|been|was|am|get|getting|got) (abused|beaten|raped|assaulted|molested|hit|strangled|choked|trafficked|stalked|threatened) (by(?! (a|the) (car|bus|van|truck|lorry|train|bike|ball|cyclist|taxi))|at home|every|all the time|again)", "other"),
    # --- medical emergency
    _r("medical:emergency", r"(i |he |she )?(can not|can hardly|could not|can barely|struggling to|not able to) breathe|(he|she|they|my " + REL + r") (is|are|is not|are not|has|have|stopped) (not breathing|breathing|unconscious|unresponsive|not responding|blue|turning blue|not waking up|stopped breathing|passed out|collapsed|having a seizure|fitting)|(he|she|they|my " + REL + r") (will not|would not|is not|are not|does not|did not) (wake up|respond|answer)|(chest|heart) (pain|pains|is hurting|hurts|feels tight|is tight|tightness)|(having|think i am having|is having|i am having|she is having|he is having) (a |an )?(heart attack|stroke|seizure|fit|allergic reaction|anaphylactic)|(throat|tongue) is (closing|swelling)|(going to|about to|gonna) pass out|passing out|(coughing|vomiting|throwing) up blood|(bleeding|blood) (a lot|everywhere|heavily|badly|will not stop|won t stop|is not stopping|so much)|(took|taken|swallowed) (too many|too much|way too many)|lost (a lot of|so much) blood|(left )?arm (has )?(gone )?numb and (my )?chest|face is drooping", "other"),
    # --- time frames (modifiers)
    _r("time:now", r"right now|(a few|ten|five|twenty|thirty|\d+|a couple of|couple|an|a half an?) (minutes?|mins|hours?) ago|just now|earlier tonight|an hour ago|as we speak|at the moment", "noscope"),
    _r("time:tonight", r"tonight|this evening|today|later today|(after|when) (my|the) shift (ends|finishes|is over)|after (my|the) shift\b|this weekend|tomorrow|in (a few|an|a couple of|two|three) (hours?|minutes)|this week|by (morning|the morning|the end of the (day|week))|soon|very soon|before (morning|christmas|my birthday|the weekend)|on (friday|saturday|sunday|monday|tuesday|wednesday|thursday)|when (everyone|they|my (wife|husband|family|parents|kids)) (is|are) (asleep|gone|away|out)", "noscope"),
    _r("time:past_recent", r"(took|taken|did|tried|had|swallowed|overdosed|attempted|happened|cut|was|were|went)\b.{0,40}"
       r"\bon (monday|tuesday|wednesday|thursday|friday|saturday|sunday)( night| morning)?\b(?! (night |morning )?i (will|am))|(last|this past) (week|night|weekend|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|(a|one|two|three|four|five|six|couple of|couple|few|\d+) (days?|weeks?) (ago|back)|(a|one|two|three|couple of|few|\d) months? (ago|back)|earlier (today|this (week|month))|this (morning|month)|recently|the other (day|night)|just (last|this)", "noscope"),
    _r("time:past_distant", r"(years?|decades?|(four|five|six|seven|eight|nine|ten|eleven|twelve|\d\d?) months?) (ago|back)|in (19|20)\d\d|when i was ((about|around|like|only|just) )?(younger|a teenager|a teen|a kid|a child|little|in (high )?school|in college|at uni|at university|\d+|(fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirteen|twelve|eleven|ten|nine|eight|seven|six|five))|(back )?in (high school|school|college|uni|my twenties|my teens)|(last|a) year (ago)?|long time ago|a while back|as a teenager|in my (teens|twenties|twenties)|(back )?in the (fifties|sixties|seventies|eighties|nineties|noughties|two thousands)|back in (nineteen|twenty|two thousand)( \w+)?|in (nineteen|twenty|two thousand) (\w+ )?(\w+ty|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|in (his|her|their|my) (first|second|third|final) year|(when|back when) (he|she|they) (was|were) (younger|a teenager|a kid|at school|in school|at uni|in college|\d+)", "noscope"),
]

# Compositional category rules (lexicon.py) get the same scope checks as the phrase rules above.
RULES += [_r(sig, pat, flags) for sig, pat, flags in EXTRA_RULES]

# Figurative spans: a risk match inside one is an idiom, not risk.
IDIOMS = re.compile(
    r"\b(?:"
    r"dying (to|for) (?!die)\w+|dying (of|from|with) (laughter|laughing|embarrassment|boredom|shame|curiosity|"
    r"cuteness|thirst|hunger|heat|envy|jealousy)|(die|died|dying|dead) (of|from) (embarrassment|boredom|"
    r"laughter|laughing|shame|curiosity|cuteness|thirst|hunger)|(almost|nearly|could have|would have|literally) "
    r"(died|die|dead) (laughing|of|when|from)|died laughing|dying laughing|to die for|"
    r"(bored|scared|worried|sick|tired|frightened|freezing|frozen|loved|starved|stressed) (me )?to death|"
    r"dead (tired|on my feet|beat|serious|set|right|wrong|quiet|silent|end|last|center|centre|ahead|easy|"
    r"simple|funny|cute|gorgeous|weight|line|lock|heat|asleep|to the world|ringer|giveaway)|"
    r"(killed|killing|kill|killin|smashed|nailed) it|kill (some |the )?time|"
    r"kill(ing|ed|s)? (the|a|that|this|my) (python |linux |unix |background |stuck |frozen )?(lights?|engine|process|"
    r"processes|task|job|thread|server|app|program|music|mood|vibe|buzz|bugs?|weeds?|germs|bacteria|power|"
    r"tv|game|competition|conversation|pain|headache|battery|signal|spider|fly|mosquito|roaches|mice|rats|"
    r"plants?|noise|switch|deal|idea|joke|story|song|episode|character|boss fight|dragon|zombies?)|"
    r"kill (two|2) birds|(could|would|gonna|going to) (murder|kill|destroy|demolish) (a|an|some|the) "
    r"(coffee|beer|pint|drink|pizza|burger|sandwich|curry|steak|cake|bottle of wine|chocolate|kebab|"
    r"cup of tea|tea|nap|meal|plate|donut|doughnut|ice cream|takeaway)|kill for (a|an|some)|"
    r"(is|are|was|were) killing (me|it)|killing (me|it) (softly|slowly)?|you are killing me|kills me|"
    r"(on )?the edge of (my|your|our|their|his|her) seats?|bridge of (the|a|my|his|our) (ship|boat|vessel|nose)|over my dead body|drop dead|dead battery|deadline|dead end|"
    r"(phone|battery|car|laptop|plant|plants|computer|engine|tv|conversation|party|mood|town|fish|goldfish|"
    r"hamster|printer|charger|headphones|wifi|signal|tree|flowers) (just )?(died|is dead|was dead|dies|is dying)|"
    r"(kill|killing|killed) myself (laughing|with laughter)|could (just )?kill myself for|"
    r"(just )?kill me now|shoot me now|(just|somebody|someone|please) shoot me|"
    r"(shoot|shooting|shot) (a |the |some |an )?(photo|photos|video|videos|film|movie|scene|email|message|"
    r"text|hoops|pool|breeze|shot|goal|basket|for the stars|for the moon)|shoot (me|him|her) (a|an) "
    r"(text|email|message)|photo ?shoot|(hang|hung|hanging) (out|up|a picture|the picture|in there|on|"
    r"around|with|the (laundry|washing|clothes|picture|painting|art|shelf|lights|curtains|decorations))|"
    r"cut (it|that) out|cut (back|down|corners|ties|class|the (cord|crap|cake|grass|lawn))|cut my (hair|nails|"
    r"losses|hours)|cut (myself|my (finger|hand|thumb|foot|leg|knee|lip)) (shaving|cooking|chopping|by "
    r"accident|accidentally|on (a|the|some) (glass|paper|knife|can|fence|edge))|"
    r"(burned|burnt|burn) (myself|my (hand|finger|arm|tongue)) (on the (stove|oven|pan|kettle|iron)|cooking|"
    r"baking|ironing|with (the )?(kettle|iron|coffee|tea))|(hurt|injured|pulled|sprained|twisted|broke|bruised) (myself|my \w+) (at the gym|at football|at rugby|in the (garden|gym|match|game)|when i (fell|slipped|tripped)|while (playing|running|lifting|skiing|training)|doing (sport|sports|yoga|exercise)|"
    r"gym|playing|lifting|running|skiing|working out|falling|at work|moving)|"
    r"overdos(e|ed|ing) on (netflix|sugar|caffeine|coffee|chocolate|tv|candy|sweets|carbs|vitamin|"
    r"social media|work|youtube)|(sugar|caffeine|information|carb) overdose|"
    r"killer (workout|app|deal|heels|party|view|song|look|outfit|whale|bee|bees|instinct)|"
    r"(murder|murders|serial killer) (mystery|mysteries|podcast|show|documentary|series|novel|book|"
    r"movie|case|trial|drama)|suicide (squad|mission|doors|drill|run|runs|king|blonde|sprint|bid)|"
    r"(rather|sooner) die than (wear|eat|watch|sing|dance|listen|go (to )?(the|that|this|a|another) "
    r"(party|wedding|meeting|gym|dentist|class|concert|game)|be seen|admit|lose to|vote|cheer|work for "
    r"(them|him|her))|die (hard|young|trying)|dying (breed|wish|art|battery|phone)|"
    r"(my |the )?(feet|back|knees|head|legs|shoes|boots|neck) (are|is) killing me|"
    r"(bomb|bombed) (the|my|that|this) (test|exam|interview|audition|presentation)|"
    r"(nearly|almost) (killed|kill) (me|myself) (laughing|with|\w+ing|on|falling|in (the|a|my))|dressed to kill|"
    r"(execute|executing|executed) (a |the |my )?(plan|code|command|script|order|trade|program)|"
    r"(take|taking|took) (a |the )?shot|give it a shot|blow (off )?steam|"
    r"end (it|things) with (him|her|them|my)|(break|broke|breaking) up with|"
    r"(see|saw) (my )?life flash|"
    r"so \w+ (that )?i (could|would|wanted to|want to|am going to|will|might|was going to|thought i would) (just |literally |actually )?die|"
    r"(will|would|am going to|going to|could|might) (literally |actually |just )?die if|"
    r"if i (have to|hear|see|eat|watch|get|do not get|miss|lose|sit) .{0,60}(shoot myself|hang myself|jump off (a|the) \w+|die|kill myself)|"
    r"die (my|her|his|their|your|the) hair|(ground|floor|earth) to swallow me|"
    r"(kill|murder|strangle) (me|us) (when|if|once) (she|he|they|mom|mum|dad|my \w+|the \w+) (sees|see|finds out|find out|hears|hear|notices|catches|reads|looks)|"
    r"(kill|murder) me (if|when) i (am|was|get|come|forget|break|lose|miss|fail|spill|crash|scratch|do not (finish|clean|do|call|come|get))( (late|home|back|it|this|that|the|my|his|her|again))?"
    r")\b"
)

# Someone else's risk ("she wants to kill herself") or our caller's, decided by the nearest subject.
_SUBJECT_THIRD = {"he", "she", "they", "someone", "somebody", "people", "everyone", "everybody", "anyone",
                  "his", "her", "their", "them", "him", "guy", "girl", "man", "woman", "kid", "person"}
_REL_WORDS = set(REL[1:-1].split("|"))
_SUBJECT_SELF = {"i", "me", "my", "myself", "you", "we"}
_SKIP = {"really", "just", "actually", "seriously", "still", "also", "even", "ever", "sometimes", "often",
         "always", "probably", "maybe", "kind", "of", "sort", "so", "very", "literally", "totally", "honestly",
         "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did",
         "will", "would", "could", "should", "can", "might", "may", "must", "shall", "want", "wants",
         "wanted", "to", "going", "gonna", "about", "thinking", "think", "thought", "feel", "feels", "felt",
         "feeling", "like", "keep", "keeps", "kept", "started", "starting", "trying", "tried", "try",
         "planning", "plan", "plans", "again", "now", "then", "finally", "already", "getting", "got", "get",
         "wish", "wishes", "wished", "hope", "hopes", "need", "needs", "seems", "seem", "said", "says", "that",
         "the", "a", "an", "all", "not", "never", "no", "tonight", "today", "considering", "considered",
         "decided", "ready", "told", "me", "saying", "talking", "talked", "mentioned", "threatening",
         "threatened", "texted", "wrote", "posted", "asked", "and", "because", "cause"}
# Tokens that may stand between a negator and what it negates.
_NEG_BRIDGE = {"i", "having", "really", "just", "actually", "seriously", "ever", "even", "at", "all", "am", "is", "are",
               "was", "were", "be", "been", "have", "has", "had", "do", "does", "did", "will", "would", "could",
               "should", "can", "might", "going", "to", "gonna", "want", "wanna", "wanting", "plan", "planning",
               "intend", "intending", "think", "thinking", "about", "of", "feel", "feeling", "considering",
               "consider", "anymore", "currently", "right", "now", "any", "thoughts", "thought", "intention",
               "intentions", "plans", "desire", "urge", "urges", "wish", "so", "that", "like", "ready", "once", "since", "a", "the", "try", "tried", "trying", "go", "through",
               "with", "it", "yet", "again", "tonight", "today", "actively", "necessarily",
               "definitely", "certainly", "absolutely", "personally", "myself", "self", "harm", "cut", "hurt",
               "anything"}
_NEGATORS = {"not", "never", "nobody", "nothing", "none"}
_NO_NOUNS = {"intention", "intentions", "plan", "plans", "desire", "thoughts", "thought", "urge", "urges",
             "wish", "way", "interest", "reason", "chance", "need", "longer"}
_REPORT_VERBS = {"said", "says", "say", "told", "tells", "tell", "telling", "asked", "asks", "ask", "asking",
                 "thinks", "think", "thought", "believes", "believe", "believed", "texted", "wrote", "writes",
                 "posted", "posts", "messaged", "mentioned", "mentions", "screamed", "yelled", "shouted",
                 "claims", "claimed", "worries", "worried", "wonders", "wondered", "suggested", "suggests",
                 "wondering", "worry", "accused", "accuses", "saying", "keeps"}
_QUESTION_WORDS = {"if", "whether"}
_TOPIC = {"documentary", "documentaries", "movie", "movies", "film", "films", "show", "shows", "series",
          "book", "books", "novel", "article", "articles", "podcast", "podcasts", "essay", "essays", "paper",
          "papers", "thesis", "class", "lecture", "lectures", "research", "study", "studies", "statistics",
          "stats", "rates", "rate", "prevention", "awareness", "training", "course", "news", "story", "stories",
          "song", "songs", "lyrics", "character", "characters", "episode", "campaign", "fundraiser", "charity",
          "volunteer", "volunteering", "volunteers", "hotline", "helpline", "lifeline", "project", "report",
          "presentation", "assignment", "homework", "debate", "seminar", "workshop", "policy", "policies",
          "definition", "define", "meaning", "means", "history", "historical", "poem", "play", "game",
          "video", "youtube", "tiktok", "reddit", "post", "headline", "headlines", "survey", "data",
          "epidemic", "crisis", "risk", "factors", "signs", "symptoms", "journal", "bill",
          "law", "laws", "legal", "assisted", "euthanasia", "bombers", "bomber", "squad", "clinic", "nurse",
          "counsellor", "counselor", "psychology", "psychiatry", "teach", "teaching", "taught", "learn",
          "learning", "learned", "learnt", "discuss", "discussed", "discussion", "talk", "talks", "why", "how", "what", "who", "which", "people", "teens", "teenagers", "veterans", "men", "women",
          "students", "common", "leading", "cause", "causes", "causing", "percent", "number", "numbers"}
_BEREAVEMENT_VERBS = re.compile(
    r"\b(died|passed|passed away|lost|losing|killed (himself|herself|themselves)|took (his|her|their) (own )?life|"
    r"committed suicide|died by suicide|ended (his|her|their) (own )?life|funeral|grieving|grief|"
    r"anniversary|miss (him|her|them))\b"
)


@dataclass
class Hit:
    signals: tuple[str, ...]
    start: int  # token index
    end: int
    whose: str = "self"  # "self" | "third"
    blocked: str = ""  # "" | "negated" | "idiom" | "reported_speech" | "topic"
    text: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)


def _char_to_token(s: str) -> list[int]:
    idx = [0] * (len(s) + 1)
    tok = 0
    for i, ch in enumerate(s):
        idx[i] = tok
        if ch == " ":
            tok += 1
    idx[len(s)] = tok
    return idx


def _is_negated(tokens: list[str], start: int) -> bool:
    i = start - 1
    steps = 0
    while i >= 0 and steps < 8:
        t = tokens[i]
        if t == CLAUSE_BREAK:
            return False
        if t in _NEGATORS:
            return True
        if t == "no":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            return nxt in _NO_NOUNS or i + 1 == start
        if t not in _NEG_BRIDGE:
            return False
        i -= 1
        steps += 1
    return False


def _subject(tokens: list[str], start: int, match_text: str) -> str:
    """Whose risk: "self" or "third"; the reflexive in the match decides first."""
    if _MY_REL.search(match_text):
        return "third"
    if re.search(r"\b(himself|herself|themselves|themself|his|her|their)\b", match_text) and not re.search(
        r"\b(myself|my|me|i)\b", match_text
    ):
        return "third"
    if re.search(r"\b(myself|my|me|i)\b", match_text):
        return "self"
    i = start - 1
    steps = 0
    while i >= 0 and steps < 7:
        t = tokens[i]
        if t == CLAUSE_BREAK:
            break
        if t in _SUBJECT_SELF:
            return "self"
        if t in _SUBJECT_THIRD:
            return "third"
        if t in _REL_WORDS:
            return "third"
        if t not in _SKIP:
            # no subject right before the match ("a stash of pills hidden"): the clause's nearest subject decides
            for k in range(i, max(-1, i - 10), -1):
                if tokens[k] == CLAUSE_BREAK:
                    break
                if tokens[k] in _SUBJECT_THIRD or tokens[k] in _REL_WORDS:
                    return "third"
                if tokens[k] in _SUBJECT_SELF:
                    return "self"
            break
        i -= 1
        steps += 1
    first_word = match_text.split(" ", 1)[0]
    if first_word in _SUBJECT_THIRD or first_word in ("my",) and match_text.split(" ")[1:2] and (
        match_text.split(" ")[1] in _REL_WORDS
    ):
        return "third"
    return "self"


_MY_REL = re.compile(r"\b(my|his|her|our) " + REL + r" (is|are|was|has|keeps|says|said)\b|^(he|she|they) ")


def _is_reported(tokens: list[str], start: int) -> bool:
    """A reporting verb whose subject is not the caller, before the match in the same sentence."""
    lo = max(0, start - 10)
    for i in range(start - 1, lo - 1, -1):
        t = tokens[i]
        if t == CLAUSE_BREAK:
            return False
        if t in _REPORT_VERBS:
            if t == "thought" and i > 0 and tokens[i - 1] in {"the", "that", "this", "a", "my", "one", "same"}:
                continue  # "the thought that i want to die" is a noun: the caller's own thought, not someone's report
            j = i - 1
            while j >= 0 and tokens[j] in _REPORT_SUBJ_SKIP:
                j -= 1
            subj = tokens[j] if j >= 0 else ""
            if subj == "i":
                # "i told my therapist i want to die" is the caller's own; "i asked if" is a question
                return False
            if subj in ("", CLAUSE_BREAK):
                continue
            if any(tokens[k] in {"if", "whenever"} for k in range(max(0, i - 4), i)):
                continue  # "if that foreman says one more word to me i am bringing ...": a condition, not a report
            return True
        if t in _QUESTION_WORDS and i > 0 and tokens[i - 1] in {"asked", "asks", "ask", "wondered", "wonders",
                                                                   "me", "wondering", "know"}:
            # "she asked me if ..." is reported; "i keep wondering if ..." is the caller's own thought
            j = i - 2
            while j >= 0 and tokens[j] in _REPORT_SUBJ_SKIP:
                j -= 1
            if j < 0 or tokens[j] != "i":
                return True
    return False


# Words that may stand between a reporting verb and its subject ("i just sometimes think ...").
_REPORT_SUBJ_SKIP = {"keeps", "kept", "keep", "always", "just", "even", "once", "has", "have", "had", "really", "also",
                     "then", "and", "would", "will", "to", "might", "probably", "who", "sometimes", "often", "still",
                     "honestly", "actually", "do", "did", "does", "never", "usually", "kind", "of", "am", "been",
                     "genuinely", "seriously", "truly", "now", "maybe", "not", "was", "is", "are"}

# A question about what someone else did ("why did dylann roof kill people", "how did he die"): a topic,
# not the caller's own risk. Only past "did" questions and "why" questions, and only when the subject is not
# the caller or a generic "you" ("how do you kill yourself" stays a method question).
_OTHERS_QUESTION = re.compile(
    r"^(?:so |and |but |okay |yeah )*(?:(?:why|how|when|where|what) did|why (?:do|does|would|was|were|is|are|has|have))"
    r" (?!i |me |my |you |we |u |it (?:take|feel))"
)


def _about_others_question(tokens: list[str], start: int) -> bool:
    j = start - 1
    while j >= 0 and tokens[j] != CLAUSE_BREAK:
        j -= 1
    return bool(_OTHERS_QUESTION.match(" ".join(tokens[j + 1:start]) + " "))


_WH = {"why", "how", "what", "who", "which"}


def _is_topic(tokens: list[str], start: int, end: int) -> bool:
    """Topic words near a noun mention; a wh-word counts only where it opens the question ("what is suicide"),
    not inside "i do not know what to do"."""
    lo, hi = max(0, start - 6), min(len(tokens), end + 6)
    for i in range(lo, hi):
        t = tokens[i]
        if t in _WH:
            if i == 0 or tokens[i - 1] == CLAUSE_BREAK:
                return True
        elif t in _TOPIC:
            return True
    return False


def _idiom_spans(s: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for rx in (IDIOMS, _IDIOMS_EXTRA) for m in rx.finditer(s)]


_IDIOMS_EXTRA = re.compile(r"\b(?:" + IDIOMS_EXTRA + r")\b")


def _trivial_reason(tokens: list[str], end: int) -> bool:
    """ "i could kill him for eating my fries": a trivial-reason trailer marks hyperbole."""
    after = tokens[end:end + 3]
    if not after:
        return False
    if after[0] == "for" and len(after) > 1 and (after[1].endswith("ing") or after[1] in {"that", "this", "it"}):
        return True
    if after[0] in _ANIMALS or (after[0] == "if" and len(after) > 1 and after[1] in {"it", "he", "she", "they", "you"}
                                and re.search(r"\b(once more|again|one more time)\b", " ".join(tokens[end:end + 8]))):
        return True  # "strangle the neighbour's dog if it barks once more"
    if after[0] in {"he", "she", "they"} and len(after) > 1 and after[1] in _GRIEVANCE:
        return True  # "i'm going to strangle my brother he used all the hot water"
    if after[0] in {"cause", "because", "cos", "coz"} and len(after) > 2 and after[1] in {"he", "she", "they"} and (
            after[2] in _GRIEVANCE):
        return True  # "i told my brother im gonna kill him cause he snapped my controller"
    if after[0] in {"with", "using"} and len(after) > 2 and after[2] in _SOFT_OBJECTS:
        return True  # "my sister hit me with a pillow"
    if after[0] in {"at", "in"} and len(after) > 1 and after[1] in _GAMES:
        return True  # "i'm gonna batter him at fifa tonight"
    return after[0] in {"lol", "haha", "hahaha", "lmao", "jk"} or bool(_LAUGH.search(" ".join(tokens[end:end + 12])))


_GRIEVANCE = {"used", "ate", "took", "broke", "drank", "finished", "nicked", "borrowed", "forgot", "left", "stole", "spilled",
              "spilt", "keeps", "always", "never", "scratched", "lost", "read", "wore", "told", "snapped", "smashed",
              "ruined", "deleted", "unplugged", "spoiled", "spoilt", "dented", "hid", "moved"}
_GAMES = {"fifa", "fortnite", "chess", "darts", "pool", "snooker", "squash", "tennis", "badminton", "golf", "monopoly", "scrabble",
          "cards", "poker", "mario", "cod", "halo", "minecraft", "pingpong", "bowling", "table", "quiz", "football", "footy"}
_SOFT_OBJECTS = {"pillow", "pillows", "cushion", "cushions", "balloon", "snowball", "snowballs", "sock", "socks",
                 "teddy", "feather", "water", "nerf", "towel", "tea", "spoon"}
_LAUGH = re.compile(r"\b(lol|haha+|lmao|jk|just kidding|(?<!not )(?<!not even )(?<!no )joking|for a joke|as a joke|for fun|messing (about|around)|play ?fight\w*)\b")


_ANIMALS = {"dog", "dogs", "cat", "cats", "parrot", "budgie", "hamster", "puppy", "kitten", "goldfish", "rooster",
            "cockerel", "seagull", "seagulls", "pigeon", "pigeons", "squirrel", "squirrels"}


_ABOUT_TO = re.compile(r"\babout to( (just|really|actually|go))*$")
_FUTURE_M = re.compile(r"\b(going to|will|plan to|planning to|planning on|intend to|intending to|decided to|ready to|have to|gonna|am gonna)( (just|really|actually|finally|go|definitely|probably|seriously|try and|try to))*$")
_WANT_M = re.compile(r"\b(want to|wanted to|wish i could|feel like|felt like|should|need to|would like to|tempted to|urge to|urges to|wanna|i could just|longing to|desperate to)( (just|really|actually|go|like))*$")
_THINK_M = re.compile(r"\b(picturing myself|imagining myself|imagine myself|see myself|seeing myself|thinking about|think about|thought about|thoughts of|thoughts about|considering|considered|fantasi[sz]e about|fantasi[sz]ing about|imagine|imagining|wonder about|wondering about|dream about|dreaming about|picturing|picture myself|thinking of|think of|thought of)( (just|really|actually|maybe|sometimes|seriously))*$")
_IF_M = re.compile(r"\b(if|what if|in case|suppose|supposing|imagine if)( i| you)?( just| really| actually)?$")
_PAST_M = re.compile(r"\b(used to|use to|old|past|history of|former|previous|healed|faded)( \w+)?$")
_MODAL_FOR = ("method:", "self_harm:current", "location:", "ideation:active", "attempt:event")


def _prefix(tokens: list[str], start: int, n: int = 7) -> str:
    out: list[str] = []
    for i in range(start - 1, max(-1, start - 1 - n), -1):
        if tokens[i] == CLAUSE_BREAK:
            break
        out.append(tokens[i])
    return " ".join(reversed(out))


def _modality(tokens: list[str], hit: Hit) -> tuple[str, ...]:
    """What frame a method or self-harm phrase sits in: about to, going to, want to, thinking about."""
    pre = _prefix(tokens, hit.start)
    sig = hit.signals[0]
    if sig == "self_harm:current":
        if _PAST_M.search(_prefix(tokens, hit.start, 3)):
            return ("self_harm:past",)
        if _FUTURE_M.search(pre) or _ABOUT_TO.search(pre):
            return ("intent:self_harm",)
        return ()
    if sig.startswith("location:"):
        return ()
    if sig in ("ideation:active", "attempt:event"):
        # "thought about hanging myself" is a thought, not a wish; "thinking about taking all my pills"
        # is not an act
        if _THINK_M.search(pre):
            return ("=", "ideation:nonspecific")
        if sig == "attempt:event" and _IF_M.search(pre):
            return ("=", "preparation:research")  # "what would happen if i drank bleach"
        if sig == "attempt:event" and (_FUTURE_M.search(pre) or _WANT_M.search(pre)):
            return ("=", "intent:future" if _FUTURE_M.search(pre) else "ideation:active")
        if sig == "ideation:active" and _FUTURE_M.search(pre):
            return ("intent:future",)
        return ()
    if _ABOUT_TO.search(pre):
        return ("attempt:in_progress",)
    if _FUTURE_M.search(pre):
        return ("intent:future",)
    if _WANT_M.search(pre):
        return ("ideation:active",)
    if _THINK_M.search(pre):
        return ("ideation:nonspecific",)
    return ()


_POST_NEG = {("is", "not"), ("is", "never"), ("was", "never"), ("would", "never"), ("will", "never"),
             ("are", "not"), ("is", "not", "something"), ("has", "never"), ("have", "never")}


def _post_negated(tokens: list[str], end: int) -> bool:
    return tuple(tokens[end:end + 2]) in _POST_NEG


_MED_HYPO = re.compile(r"\b(what (would|will|could) happen if|what happens if|just wondering|hypothetically|if i ever|if you ever|"
                       r"in case)\b")
_WISH_M = re.compile(r"\b(hope|hopes|hoping|wish|wishes|wishing|pray|prays|praying)\b")


def find_hits(s: str) -> list[Hit]:
    """All rule matches in normalised text ``s`` with their scope decided."""
    tokens = s.split(" ") if s else []
    c2t = _char_to_token(s)
    idioms = _idiom_spans(s)
    hits: list[Hit] = []
    for rule in RULES:
        for m in rule.pattern.finditer(s):
            a, b = m.start(), m.end()
            if a == b:
                continue
            ta, tb = c2t[a], c2t[b - 1] + 1
            hit = Hit(rule.signals, ta, tb, text=m.group(0), flags=rule.flags)
            if "noscope" in rule.flags:
                hits.append(hit)
                continue
            in_idiom = any(ia <= a < ib or ia < b <= ib for ia, ib in idioms)
            if in_idiom and rule.signals[0].startswith("self_harm") and (
                _FUTURE_M.search(_prefix(tokens, ta, 4)) or _WANT_M.search(_prefix(tokens, ta, 4))
            ):
                in_idiom = False  # "burnt myself on the iron" is an accident; "going to burn myself with the iron" is not
            if in_idiom or (
                rule.signals[0].startswith(("threat", "danger", "abuse")) and _trivial_reason(tokens, tb)
            ):
                hit.blocked = "idiom"
            elif _is_negated(tokens, ta) or _post_negated(tokens, tb):
                hit.blocked = "negated"
            elif rule.signals[0].startswith(("abuse", "danger")) and _IF_M.search(_prefix(tokens, ta, 3)):
                hit.blocked = "hypothetical"  # "if i got hit by a bus"
            elif rule.signals[0].startswith("medical") and (
                _WISH_M.search(_prefix(tokens, ta, 3)) or _MED_HYPO.search(" ".join(tokens[:ta]))
            ):
                hit.blocked = "hypothetical"  # "he hopes he doesn't wake up": a wish (their ideation), not an emergency
            elif "other" not in rule.flags:
                if "third" in rule.flags:
                    hit.whose = "third"
                elif rule.signals[0].startswith("threat:") and m.group(0).startswith("i "):
                    hit.whose = "self"  # "if he turns up again i will put him in hospital": the caller's own threat
                else:  # a threat's target ("his house") does not say whose risk it is: its subject does
                    hit.whose = _subject(tokens, ta, "" if rule.signals[0].startswith("threat:") else m.group(0))
                if hit.whose == "self" and _is_reported(tokens, ta):
                    hit.blocked = "reported_speech"
                elif hit.whose == "self" and _about_others_question(tokens, ta):
                    hit.blocked = "topic"
                elif "mention" in rule.flags and _is_topic(tokens, ta, tb):
                    hit.blocked = "topic"
            hits.append(hit)
            if not hit.blocked and rule.signals[0].startswith(_MODAL_FOR):
                extra = _modality(tokens, hit)
                if extra == ("self_harm:past",):
                    hit.signals = extra
                elif extra and extra[0] == "=":
                    hit.signals = tuple(x for x in hit.signals if x not in ("ideation:active", "attempt:event")) + extra[1:]
                elif extra:
                    hits.append(Hit(extra, ta, tb, whose=hit.whose, text=hit.text, flags=hit.flags))
    # bare mentions of suicide/self-harm nouns next to topic words ("a documentary about suicide")
    for m in re.finditer(r"\b(suicide|suicides|suicidal|self harm|overdoses?|suicidality)\b", s):
        ta = c2t[m.start()]
        if _is_negated(tokens, ta) and not any(h.start <= ta < h.end for h in hits):
            hits.append(Hit(("negated",), ta, ta + 1, blocked="negated", text=m.group(0)))
            continue
        if _is_topic(tokens, ta, ta + 1) and not any(h.start <= ta < h.end and not h.blocked for h in hits):
            hits.append(Hit(("topic",), ta, ta + 1, blocked="topic", text=m.group(0)))
    if _BEREAVEMENT_VERBS.search(s) and re.search(r"\b(suicide|killed (himself|herself|themselves)|took (his|her|their) (own )?life|overdose|ended (his|her|their) life)\b", s):
        if not any(h.whose == "self" and not h.blocked and "noscope" not in h.flags for h in hits):
            hits.append(Hit(("bereavement",), 0, 0, blocked="bereavement", text=""))
    if _BEREAVEMENT_VERBS.search(s):
        for h in hits:
            if h.whose == "third" and not h.blocked:
                h.flags = h.flags | {"bereavement"}
    return hits
