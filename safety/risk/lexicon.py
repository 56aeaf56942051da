"""Category lexicons combined compositionally, so new wording of a known idea is still caught.

The phrase rules in patterns.py name fixed expressions. These rules are built from broad word
categories instead and combine them: an ingestion verb + a quantity + a medication is an overdose
taken ("necked the whole strip of amitriptyline"), a stockpiling verb + a means is preparation
("squirrelling away my tramadol"), a means + a purpose for oneself is preparation ("a stash of
zopiclone ready for the end"), a lethal means + an at-hand position is means ready ("the belt's round
my neck"), the caller at a place of height + a finality cue is an attempt in progress ("stood on the
platform ... this is it"). Each category is a lexicon that can grow (generic, brand and slang drug
names; UK/US/AU words) without new sentences. The rules are appended to ``patterns.RULES`` and so
get the same scope checks as every other rule: negation, idiom, whose risk, reported speech, topic.
"""

from __future__ import annotations

# --- categories ------------------------------------------------------------------------------------

MED = (
    r"(?:(?:sleeping|sleep|heart|blood pressure|bp|pain|nerve|anxiety|diabetes|water|thyroid|epilepsy|seizure|"
    r"allergy|migraine|cold|period|psych|psychiatric|my|her|his|the|mum|mom|dad|nan|gran) )?"
    r"(?:pills?|tablets?|tabs|meds|medications?|medicines?|capsules?|caps|painkillers?|pain killers|prescriptions?|"
    r"pentobarbital|pentobarbitone|barbiturates?|nembutal|"
    r"script|scripts|sleepers|downers|benzos?|bars|xans|xannies|oxys|oxies|percs|vikes|opioids?|opiates?|"
    r"paracetamol|acetaminophen|tylenol|panadol|panadeine|calpol|ibuprofen|nurofen|advil|motrin|aspirin|"
    r"naproxen|aleve|excedrin|co ?codamol|codeine|dihydrocodeine|tramadol|morphine|oxycodone|oxycontin|"
    r"hydrocodone|vicodin|percocet|fentanyl|methadone|heroin|buprenorphine|subutex|suboxone|"
    r"zopiclone|zolpidem|ambien|zimovane|temazepam|diazepam|valium|lorazepam|ativan|clonazepam|klonopin|"
    r"alprazolam|xanax|sertraline|zoloft|fluoxetine|prozac|citalopram|celexa|escitalopram|lexapro|"
    r"paroxetine|paxil|seroxat|venlafaxine|effexor|duloxetine|cymbalta|mirtazapine|remeron|trazodone|"
    r"amitriptyline|nortriptyline|dosulepin|lithium|quetiapine|seroquel|olanzapine|zyprexa|risperidone|"
    r"lamotrigine|gabapentin|pregabalin|lyrica|propranolol|insulin|insulin pens?|metformin|warfarin|digoxin|"
    r"antidepressants?|anti ?depressants?|antipsychotics?|beta blockers?|benadryl|diphenhydramine|"
    r"sleep aids?|sedatives?|tranquilli[sz]ers?|barbiturates?|ketamine)"
)
POISON = r"(?:bleach|antifreeze|anti freeze|poison|rat poison|weed ?killer|pesticide|drain cleaner|cyanide|paraquat|slug pellets|lighter fluid|petrol)"
LETHAL = (r"(?:rope|noose|belt|cord|ligature|cable|gun|guns|pistol|rifle|shotgun|firearm|handgun|revolver|glock|"
          r"piece|knife|blade|blades|razor|razors|razor blades?|hose|hosepipe|charcoal|helium|plastic bag)")
ALCOHOL = r"(?:alcohol|booze|drink|vodka|wine|whisky|whiskey|gin|rum|beer|cider|goon|spirits|tequila|brandy)"
INGESTED = (r"(?:took|taken|swallowed|eat|eats|downed|necked|popped|chugged|drank|drunk|had|gulped|scoffed|ate|eaten|"
            r"knocked back|washed down|gobbled|snorted|injected|overdosed on|done|smashed)")
QUANT = (r"(?:every (?:one|single one|last one) of|every single|every|all(?: of)?|the (?:whole|entire|full) "
         r"(?:bottle|pack|packet|box|lot|strip|sheet|blister|tub|jar|script|prescription|supply|month supply)(?: of)?|"
         r"(?:a|my|me) (?:whole|full|entire) (?:bottle|pack|packet|box|strip|sheet|blister|tub|jar|script|"
         r"prescription|supply|month supply|load|bunch|handful)(?: of)?|the lot of|the rest of|half (?:a|the) "
         r"(?:bottle|pack|packet|box|strip|jar|tub)(?: of)?|(?:a |the |another |two |three )?(?:bottles?|packs?|"
         r"packets?|boxes|box|strips?|sheets?|tubs?|jars?) of|(?:a |another )?(?:load|bunch|handful|heap|stack|"
         r"pile|ton|fistful|shit ?load|lot)s? of|loads of|heaps of|dozens of|hundreds of|(?:a few |a couple |way |far |a lot |a good few )?too many|"
         r"(?:so )?many|all (?:of )?(?:the )?(?:box|pack|packet|bottle|strip)(?: of)?|"
         r"too much|more than \w+|over \d+|\d\d+|\d+ of|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
         r"a hundred|hundred|fifteen|twelve|eleven|ten)")
GAP3 = r"(?:\w+ ){0,3}"
GAP6 = r"(?:\w+ ){0,6}"
PREP = (r"(?:saving|saved|save|stockpiling|stockpiled|stockpile|squirrel+ing|squirrel+ed|squirrel|hoarding|hoarded|"
        r"hoard|collecting|collected|stashing|stashed|hiding|hid|hidden|storing|stored|building up|built up|"
        r"putting aside|put aside|putting away|put away|keeping back|kept back|stocking up on|stocked up on|"
        r"gathering|gathered|counted out|counting out|lining up|lined up|set aside|setting aside|buying up)")
STASH = r"(?:stash|stockpile|hoard|supply|collection|stock|pile|bag|box|drawer full)"
PURPOSE = (r"(?:for (?:when|the day|the night) i (?:do it|go|end it|am ready|finally do it|need (?:it|them)|decide)|"
           r"for the end|for my (?:wrists?|neck|exit|way out)|(?:it is|they are|that is|these are) for me|"
           r"that is me sorted|to do it with|(?:so|then) i can (?:do it|end it|go)|to end it|"
           r"for (?:tonight|tomorrow(?: night)?|later|after (?:work|everyone is asleep))|ready for (?:tonight|"
           r"tomorrow|when)|i know what (?:it is|they are|that is) for)")
PLACE = (r"(?:bridge|overpass|station|train station|tube station|flyover|viaduct|roof|rooftop|ledge|cliff|cliffs|cliff edge|edge|railing|railings|"
         r"parapet|balcony|platform|train tracks|tracks|railway line|railway|train line|car park|multi ?storey|"
         r"parking garage|tower|top floor|window ledge|pier|dam|quarry|motorway)")
AT_SELF = (r"(?:i am|am|i have been|i am stood|i am sat|i am standing|i am sitting|sitting|standing|stood|sat|"
           r"perched|i climbed|climbed|up|here|i am here|i am right)")
FINAL = (r"(?:this is it|i am done|it is time|time to go|the time has come|goodbye|bye everyone|no (?:going|turning) "
         r"back|(?:going to|about to|gonna|will|ready to|so i can|want to) (?:just )?(?:jump|step off|step out|"
         r"let go|go over|fall|do it|end it|go)|legs over|over the (?:side|edge|railing)|looking down|"
         r"(?:climbing|climb|climbed|getting|got|going) over(?! it| him| her| there| to)|i can (?:hear|see) (?:it|one|the train|a train) coming|(?:train|one) (?:is )?coming|wrong side of|"
         r"trains? (?:comes?|pass(?:es)?|goes|runs|is due) (?:through|by|every|past|at|in)|handbrake (?:is )?off|engine (?:is )?running|"
         r"(?:just |only )?(?:wanted|rang|called|phoned|ringing|calling) (?:to )?(?:hear (?:a |someone s |your |someone )?(?:voice|someone)|"
         r"someone to hear me|say (?:sorry|goodbye|bye)|tell someone)|(?:not|never) (?:going|coming) back (?:to the car|home|down)|"
         r"(?:do not|not) think i am (?:going|coming) back|taken my shoes off|tonight is the night)")
VIOLENT = (r"(?:kill|murder|stab|shoot|strangle|choke|smash|bash|batter|beat|burn|torch|poison|finish|glass|"
           r"knife|run over|slit|cave|kick|hurt|end)")
OTHER = (r"(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|ex|dad|father|mum|mom|mother|stepdad|"
         r"stepmum|stepmom|brother|sister|son|daughter|uncle|carer|flatmate|roommate|fiance|bf|gf))")
TIME_SOON = (r"(?:tonight|tomorrow(?: night| morning)?|this (?:weekend|arvo|afternoon|evening)|on (?:friday|saturday|"
             r"sunday|monday|tuesday|wednesday|thursday)|next week|after work|when (?:\w+ ){1,3}(?:asleep|away|out|"
             r"gone))")

# --- compositional rules: (signals, regex, flags) -----------------------------------------------------
EXTRA_RULES: list[tuple[str, str, str]] = [
    # overdose taken: ingestion verb + quantity + medication (past tense is dated by time words later)
    ("attempt:event method:medication", INGESTED + r" (?:about |like |around |over |maybe |nearly |almost )?"
     + QUANT + r" " + GAP3 + MED, ""),
    ("attempt:event method:medication", INGESTED + r" " + GAP3 + MED + r" " + GAP3 + r"(?:with|and|on) "
     + r"(?:a |half a |the |some |a bottle of |half a bottle of |a load of )?" + ALCOHOL, ""),
    ("attempt:event method:medication", r"overdosed on " + GAP3 + MED, ""),
    ("attempt:event method:poison", INGESTED + r" (?:a |the |some |half a |a whole )?(?:bottle |cup |glass |mug |"
     r"can |jug |lot |bit )?(?:of )?" + POISON, ""),
    # preparation: stockpiling a means, or a means kept for a purpose of one's own
    ("preparation:stockpiling", PREP + r" (?:away |up |aside )?" + GAP3 + r"(?:" + MED + "|" + LETHAL + r")", ""),
    ("preparation:stockpiling", r"(?:" + MED + "|" + LETHAL + r") " + GAP3 + PREP, ""),
    ("preparation:stockpiling", STASH + r" of " + GAP3 + MED, ""),
    ("preparation:stockpiling", r"(?:" + MED + "|" + LETHAL + "|" + POISON + r") " + GAP6 + PURPOSE, ""),
    # method thoughts: how many / would it hold / ways to
    ("ideation:nonspecific method:medication", r"how many (?:" + MED + r" )?(?:it would take|would (?:it take|kill|do it)|"
     r"(?:do )?i would need|does it take|would be enough|to take)", ""),
    ("ideation:nonspecific method:rope", r"(?:rope|belt|cord|beam|banister|bannister) " + GAP6
     + r"(?:would|will|could|might) (?:\w+ )?(?:hold|take) (?:me|my weight)", ""),
    ("ideation:nonspecific method:unspecified", r"(?:thinking|think|thought|thoughts|wondering|wonder) (?:about|of|bout) "
     r"(?:the )?(?:best )?(?:ways?|how|methods?) (?:to|i could|i would|of) (?:end it|die|kill myself|do it|go|end my life)", ""),
    ("ideation:nonspecific method:medication", r"(?:thinking|think|thought|thoughts) (?:about|of|bout) (?:the |my |those )?"
     + MED + r" (?:again|in the (?:cupboard|drawer|cabinet)|keeps? coming)", ""),
    ("ideation:nonspecific method:unspecified", r"(?:least painful|easiest|quickest|painless|surest|best|most "
     r"reliable) (?:way|ways|method|methods) (?:to|of) (?:die|dying|kill myself|go|end it|end my life)", ""),
    ("preparation:note", r"(?:letters?|notes?|messages?|videos?) " + GAP6 + r"(?:explaining|saying|telling (?:them|\w+)) "
     r"why i (?:had to|have to|am going|went|did it|could not|can not|am doing|left|am leaving)", ""),
    ("intent:vague", r"(?:nobody|no one) (?:will|would) (?:have|need) to (?:clean up|deal with|sort out|sort|worry about)"
     r" (?:after me|my|anything|it)|(?:nobody|no one) (?:has|needs) to (?:deal with|sort|clean up) (?:it|anything|my \w+) "
     r"(?:after|when|once) i am (?:gone|dead)|(?:after|when|once) i am (?:gone|dead|not here)|where i am going i "
     r"(?:will not|do not|would not) need", ""),
    ("plan", r"(?:picked|chosen|chose|found) (?:out )?(?:the|a|my) (?:spot|place|location|lay ?by|" + PLACE[3:-1] + r") (?:\w+ ){0,3}"
     r"(?:and|,) (?:the )?(?:day|date|time|when)", ""),
    ("method:vehicle", r"(?:crash|crashing|drive|driving|steer|steering|swerve|swerving|plough|plow|wrap|wrapping) "
     r"(?:my |the )?(?:car|truck|van|ute|bike|motorbike)? ?(?:into|off) (?:\w+ ){0,3}(?:tree|wall|truck|lorry|traffic|"
     r"bridge|cliff|river|lake|pole|barrier|bus|train|pillar|sea)", ""),
    ("attempt:event method:cutting", r"(?:slashed|sliced|cut|slit|opened) my (?:arms?|wrists?|legs?|thighs?|throat|"
     r"veins) (?:open|up|deep)", ""),
    # means ready: a lethal means in an at-hand position
    ("means:ready", LETHAL + r" (?:is |are )?(?:already |all )?(?:\w+ ){0,6}(?:loaded|cocked|(?:round|around) my "
     r"(?:neck|throat)|in my mouth|(?:against|on|to) my (?:wrist|wrists|throat|neck|head|temple|skin|chest)|"
     r"tied (?:up|to|round|around)|hung up|up and|set up|hooked up|(?:is )?up and ready)", ""),
    ("means:ready method:vehicle_exhaust", r"(?:hose|hosepipe|pipe|tube) " + GAP6 + r"(?:exhaust|tailpipe)", ""),
    ("means:ready", r"(?:lit|lighting|burning) (?:the |some )?(?:charcoal|barbecue|bbq|disposable barbecue)", ""),
    ("means:at_hand", r"(?:" + LETHAL + "|" + MED + r") (?:is |are )?(?:right )?(?:in my (?:lap|hand|hands|pocket)|"
     r"on my lap|next to me|beside me|right here|in front of me)", ""),
    ("method:firearm", r"(?:eat|eating|ate) (?:my|a|the) (?:gun|glock|pistol|piece|shotgun|bullet)", ""),
    ("method:vehicle_exhaust", r"(?:car|engine) " + GAP6 + r"(?:hose|hosepipe)|(?:hose|hosepipe) " + GAP6 + r"car|"
     r"charcoal " + GAP3 + r"(?:and|with) " + GAP3 + r"(?:tape|duct tape)", ""),
    # the caller at a place of height or the water, with a finality cue anywhere after it
    ("location:height intent:vague", AT_SELF + r" (?:in (?:the|my) (?:car|van|truck|ute) )?(?:up |out |right )?(?:on|at|onto|over|by) (?:the |a |this |that |my )?"
     r"(?:top of |edge of |side of |end of )?(?:the |a |this |my )?(?:\w+ ){0,4}" + PLACE + r"\b.{0,80}?" + FINAL, ""),
    ("location:height", r"(?:he|she|they|my \w+) (?:is|are) (?:up |out |stood |standing |sat |sitting )?(?:on|at) (?:the )?(?:top of "
     r"|edge of )?(?:the |a )?" + GAP3 + PLACE + r"\b.{0,40}?(?:saying|says|said|texting|texted|telling|threatening)", "third"),
    ("location:height", r"(?:sittin|sitting|sat|standing|stood|perched) on (?:the |a )?(?:ledge|edge|railing|parapet)"
     r" (?:of )?(?:the |a )?" + PLACE, ""),
    ("attempt:in_progress method:drowning", r"(?:walked|waded|went|walking|wading|swam|swimming) (?:out )?into the "
     r"(?:sea|ocean|river|lake|water|waves|loch)\b.{0,40}?(?:up to my (?:chest|neck|chin|shoulders|waist)|can not|keep walking|not "
     r"coming back|keep going)", ""),
    # decisiveness and finality (vague on its own; with any other risk signal it is intent)
    ("intent:vague", r"(?:my )?mind is made up|(?:i have |i )?made up my mind|no (?:going|turning) back|it is settled|"
     r"(?:it is|everything is) (?:all )?(?:planned|sorted|arranged|worked out|organi[sz]ed)(?! for| out for| with)|"
     r"this is it|the time has come|it is time", ""),
    ("intent:future", r"i will be (?:dead|gone) (?:by|before) (?:the )?(?:morning|tomorrow|tonight|the weekend|monday|"
     r"\w+day|then|christmas|next week)|(?:last|final) (?:time|day|night) (?:anyone|anybody|you|they|people|my \w+) "
     r"(?:will )?(?:ever )?(?:hear|hears|see|sees|hearing|seeing) (?:from )?me", ""),
    ("plan", r"(?:worked|figured|planned|sorted) out (?:exactly )?(?:how|when|where) (?:i will|i am going to|to|i would|"
     r"i can) (?:do it|go|end it|die|end my life)|(?:picked|chosen|chose|found|scouted|checked out) (?:the|a|my) "
     r"(?:spot|place|location|date|day) " + GAP6 + r"(?:" + PLACE + r"|to (?:do it|end it|die|jump))", ""),
    ("ideation:active", r"(?:drink|drinking|starve|starving) myself to death|(?:join|be with) (?:him|her|them) "
     r"(?:again )?(?:\w+ ){0,3}(?:worked out|planned|soon|tonight|in heaven|up there)", ""),
    ("intent:future", r"(?:going to|will|about to|planning to|plan is to|plan to) (?:take|swallow|neck|down) (?:all|every|the "
     r"(?:whole|lot)|them all)\b" + GAP3 + r"(?:" + MED + r")?", ""),
    # passive ideation in other words
    ("ideation:passive", r"(?:would|will|could|might) (?:all )?(?:\w+ ){0,2}(?:fine|better|okay|happier|easier) without me"
     r"(?!.{0,40}(?:for (?:a|the|one|two|three|a few|the odd) (?:night|day|days|week|weeks|weekend|month)|while i am|when i am "
     r"(?:away|at|in|on)|on holiday|at work))|"
     r"(?:if|hope|wish|pray) (?:a|the|some) (?:bus|car|truck|lorry|train) (?:would |will )?(?:hit|hits|ran over|"
     r"runs over|run over) me|(?:just )?waiting to die|if i (?:did not|do not|never|would not) (?:wake|woke) up|"
     r"(?:easier|better) (?:for everyone )?if i (?:just )?(?:was|were) (?:not|no longer) (?:around|here|alive)|"
     r"(?:easier|better) (?:for everyone )?if i (?:just )?(?:was|were gone|died|disappeared)|"
     r"(?:lord|god|jesus) (?:just |please )?(?:would |will |to )?(?:take|takes|took|call|calls) me|"
     r"(?:so |really |just )?done with (?:life|living|it all|everything)|what if i (?:just )?(?:ended it|died|was not here|"
     r"were not here|disappeared)|life (?:is not|is no longer|not) worth living", ""),
    # self-harm in other words
    ("self_harm:current", r"(?:cutting|burning|harming|scratching) (?:again|most nights|every (?:night|day)|on my \w+|"
     r"where (?:nobody|no one) \w+|in secret|to cope|to feel)|(?:smash|smashed|smashing|punch|punched|punching|hit|"
     r"hitting|bang|banged|banging|bash|bashed|bashing|burn|burned|burnt|burning|cut|cutting|scratch|scratched|bit|"
     r"bite|biting) (?:my|myself)(?: \w+){0,5} on purpose|(?:cutting|burning) my (?:legs?|arms?|thighs?|wrists?|"
     r"stomach|skin)", ""),
    # violence to or from others
    ("threat:others", r"(?:going to|gonna|will|am going to) (?:smash|bash|cave|kick|batter) (?:his|her|their|my \w+) "
     r"(?:head|face|skull)|(?:bought|got|sharpened|brought|grabbed|took|have) (?:a |the |my )?(?:knife|gun|blade|bat|"
     r"hammer|machete|weapon) (?:to|so i can|and i am going to) (?:stab|shoot|kill|hurt|murder|cut|use (?:it )?on) "
     r"(?:him|her|them|my \w+|that \w+)|(?:going to|will|gonna|am going to) (?:poison|put \w+ in) (?:his|her|their|my \w+)"
     r"(?: \w+)? (?:dinner|food|drink|tea|coffee)", ""),
    ("threat:others", r"(?:shoot|shooting|bomb|bombing|blow|blowing) up (?:\w+ ){0,3}(?:school|office|work|work place|"
     r"workplace|church|mosque|synagogue|mall|place|building|party|class|college|uni|factory|shop|store)", ""),
    ("danger:from_other", OTHER + r" (?:says|said|threatened|threatens|told me|swore|keeps saying|promised|is saying)"
     r" (?:that )?(?:\w+ ){0,4}(?:" + VIOLENT + r")\w* " + GAP6 + r"(?:me|us|my (?:kids|children|son|daughter))\b", "other"),
    ("danger:from_other", OTHER + r" (?:strangled|choked|strangles|chokes|throttled) me|" + OTHER
     + r" (?:put|puts|had|has|has got|got) (?:his|her|their) hands (?:round|around|on) my (?:neck|throat)|" + OTHER
     + r" (?:held|holds|pointed|points|put|pulled) (?:a |the |his |her )?(?:knife|gun|blade|weapon) (?:to|at|on|against) "
     r"(?:me|my)", "other"),
    ("abuse:ongoing danger:weapon", OTHER + r" (?:has|has got|got) me (?:locked|trapped|pinned|cornered|tied)", "other"),
    ("danger:weapon", OTHER + r" (?:has|has got|got|is holding|is carrying|is waving|pulled|took out|grabbed) "
     r"(?:a |the |his |her )?(?:knife|gun|machete|weapon|bat|hammer)", "other"),
    ("abuse:ongoing abuse:violence", r"(?:hits|beats|slaps|hurts|kicks|punches) me (?:with|when|if|every|all)|"
     r"(?:controls|takes) (?:all )?(?:my|the) (?:money|pension|benefits|phone|card)\b.{0,40}(?:hits|scared|shouts|threat)|"
     r"(?:touches|touched) me (?:when|where|at night|and)|forces me to", "other"),
    # a medical emergency in other words
    ("medical:emergency", r"(?:chest|heart) (?:is |feels )?(?:really |so |very )?(?:tight|crushing|pounding|"
     r"hurting)\b.{0,60}?(?:arm|jaw|sweat\w*|breath\w*|dizzy|numb|tingl\w*)|(?:and|but) (?:will not|would not|is not|does not|"
     r"can not) (?:wake up|respond|breathe|breathing)|(?:lips|face) (?:are |is |have |has )?(?:gone |turned |turning )?"
     r"(?:blue|grey)|slurring (?:his|her|my) words", "other"),
]

# --- third pass: families the first two passes' lexicons did not cover --------------------------------
MEANS_WORD = (r"(?:" + MED + "|" + LETHAL + "|" + POISON + r"|fall|drop|jump|floors?|stor(?:e)?ys|height|dose|overdose|"
              r"amount|train|bridge|building|car park|multi ?storey|water|river|sea|vein|veins|artery|wrists?)")
LETHAL_END = (r"(?:(?:is|are|would be) (?:always |usually |definitely |100 percent )?(?:fatal|lethal|deadly)|"
              r"(?:be|is) too (?:much|many)(?! for (?:my|a|the) (?:stomach|liver|kid|child|dog|cat))|to not come back|"
              r"stop (?:my|your|a|the) heart|to be certain|finish (?:me|you|someone)(?: off)?|do me in|end me|(?:before|until) "
              r"(?:it|that|they) (?:kills?|would kill) (?:you|me|someone)|be enough|is enough|are enough|do it|do the job|do the trick|kill (?:me|you|a person|someone|somebody|"
              r"a grown (?:man|woman|adult))|enough(?= \||$)|be fatal|be lethal|be deadly|to be sure|to make sure|so i (?:do not|would not|"
              r"will not|never) wake up|to not wake up|to never wake up|to die|to be dead|for it to work|for sure)")
EXTRA_RULES += [
    # Questions about lethality are method research: how many / how high / is it enough / which is deadliest.
    # "how many (of these | pills) would it take": the thing counted is a medication or an unnamed "these", and
    # the question ends there or names a lethal purpose ("... to gain a pound", "... for the recipe" are ordinary)
    ("preparation:research method:unspecified", r"how (?:many|much) (?:of )?(?:my |the |these |those |them |her |his )?"
     r"(?:" + MED + r"|of (?:these|those|them)|these|those|them) (?:\w+ ){0,3}(?:would|will|does|do|did|should|could|"
     r"it would|it will|it) (?:it |i |you |one |a person |someone )?(?:take|need|have to (?:take|swallow|drink)|need to "
     r"(?:take|swallow|drink))(?= \||$| to (?:die|kill|end|be fatal|do it|not wake up|never wake up|overdose|be sure|work|"
     r"make sure|bleed (?:out|to death)|stop (?:my|your) heart)| and)", ""),
    ("preparation:research method:medication", r"how (?:many|much) (?:of )?(?:my |the )?" + MED + r" (?:to|would|will|does "
     r"it take to) (?:overdose|od|die|kill (?:yourself|myself|you|me)|end it|not wake up)", ""),
    ("preparation:research method:unspecified", MEANS_WORD + r" " + GAP6 + LETHAL_END, ""),
    ("preparation:research method:height", r"what height (?:\w+ ){0,4}(?:need|have|would|should|must|to)\b.{0,40}"
     r"(?:fall|jump|drop|die|be sure|be certain|enough|kill)", ""),
    ("preparation:research method:height", r"how (?:high|tall|far|many (?:floors|stories|storeys|metres|meters|feet)) "
     + GAP6 + r"(?:need|needs|have|has|would|do|does|should|must|enough|to)\b" + r".{0,40}(?:fall|jump|drop|die|be sure|"
     r"enough|kill|survive)", ""),
    ("preparation:research method:unspecified", r"(?:quickest|fastest|easiest|most painless|least painful|painless|surest|"
     r"most reliable|most effective|best|simplest|cleanest) (?:way|ways|method|methods) (?:to|of) (?:die|dying|go|end it|"
     r"kill (?:myself|yourself|oneself)|do it|commit suicide|end (?:my|your|a) life|not wake up|overdose)", ""),
    ("preparation:research method:unspecified", r"(?:which|what) (?:" + MED + r"|drugs?|method|methods|way|vein|veins|"
     r"artery|bridge|building|poison) " + GAP6 + r"(?:most |more |least )?(?:deadly|deadliest|lethal|fatal|strongest|"
     r"painless|quickest|to cut|do you cut|do i cut|to make sure|would do it|would kill|kills you|kill you)", ""),
    ("preparation:letters", r"(?:the|my) (?:suicide |goodbye |last )?(?:note|notes|letters?) (?:is|are) (?:all )?(?:written|"
     r"done|ready|finished|on the (?:table|side|bed|kitchen table))", ""),
    ("preparation:research method:unspecified", r"how long (?:does|would|will|did) it take (?:for (?:me|you|someone|a "
     r"person) )?to (?:bleed out|bleed to death|die|drown|suffocate|stop breathing|overdose|hang)(?! (?:a|the|my|your|some|it|them)\b)", ""),
    ("preparation:research method:height", r"where (?:is|are|can i find) (?:the )?(?:highest|tallest|nearest|closest|"
     r"biggest) (?:bridge|building|cliff|cliffs|car park|multi ?storey|tower|roof|rooftop|drop)s?\b.{0,30}?(?:round here|"
     r"around here|near (?:me|here)|nearby|in town|to jump|i can get (?:to|up))", ""),
    ("preparation:research method:unspecified", r"(?:looked|looking|look|googled|googling|searched|searching|researched|"
     r"researching|read up on|watched \w+ on) (?:up )?(?:on )?(?:how (?:to|you|do you|i could|i would) (?:tie|make|hang|"
     r"overdose|od|cut|slit|kill|die|drown|suffocate|gas|jump|end)|which (?:way|method|pills|meds|drugs|bridge) )", ""),
    ("preparation:research method:unspecified", r"(?:what|how) (?:would|will|could) (?:happen|it (?:feel|be like)) if i "
     r"(?:drank|drink|took|take|swallowed|swallow|jumped|jump|cut|overdosed|hanged|hung|stepped|crashed)", ""),
    ("preparation:research method:unspecified", r"if i (?:took|take|swallowed|swallow|drank|drink|jumped|jump|had|necked) "
     + GAP6 + r"(?:would|will|could|does|do) (?:that|it|this|they) (?:do it|kill me|be enough|work|be it|finish me)", ""),
    ("method:height", r"(?:jump|jumping|step|stepping|throw myself|throwing myself|leap|leaping) (?:off|from|over) (?:the |a "
     r"|this |that )?(?:top of )?(?:the )?" + GAP3 + PLACE + r"\b", ""),
    ("preparation:acquired method:medication", r"(?:bought|buy|buying|got|ordered|picked up|stocked up on) (?:so many|many|"
     r"lots of|loads of|a lot of|extra|" + QUANT + r") " + GAP3 + MED, ""),
    # Someone else who said goodbye and cannot be reached: in danger now.
    ("attempt:in_progress", r"(?:" + OTHER + r"|my \w+) (?:just )?(?:texted|messaged|sent|rang|called|posted)\b.{0,30}"
     r"(?:goodbye|empty (?:blister |pill )?(?:packs?|packets?|bottles?|boxes)|(?:all )?(?:her|his|their) (?:pills|tablets|meds) (?:gone|"
     r"empty|laid out))\b.{0,50}(?:not answering|will not answer|is not picking up|not picking up|can not (?:reach|get hold of)|"
     r"phone is (?:off|dead)|switched (?:her|his|their) phone off)", "third"),
    # Threats in other words: arson, a weapon kept for someone, a list.
    ("threat:others threat:armed", r"(?:set fire to|burn down|burn|torch|petrol bomb) (?:his|her|their|my \w+|that \w+|"
     r"the \w+) (?:\w+ )?(?:house|flat|car|place|home|shop)\b(?!.{0,20}(?:down by accident|by mistake))", ""),
    ("threat:others threat:armed", r"(?:knife|gun|blade|bat|hammer|machete|weapon|crowbar)(?! (?:set|safe|block|sharpener|rack|"
     r"cabinet|case|drawer|collection|licen[cs]e)) " + GAP6 + r"for (?:when i see |when i find |)(?:him|her|them|that \w+|my (?!"
     r"(?:birthday|christmas|kitchen|hunting|fishing|camping|garden|collection|job|work|trip|holiday|wedding|anniversary|shed|"
     r"allotment|dinner|cooking)\b)\w+|those \w+)", ""),
    ("threat:others", r"(?:make|making) (?:them|him|her|everyone|all of them|them all|every one of them|\w+ \w+) (?:all )?pay\b"
     r".{0,40}(?:list|names|gun|knife|planned)|(?:got|have|made|writing) (?:a|my) (?:hit )?list of (?:people|names|who)", ""),
    # Danger now: someone breaking in.
    ("danger:from_other", OTHER + r" (?:is|are) (?:breaking|kicking|smashing|bashing|banging) (?:down )?(?:the |my |our )?"
     r"(?:door|window|windows|front door|back door)s?", "other"),
    # Means at hand in a setting; the act stated as now.
    ("means:at_hand", r"(?:sitting|sat|lying|laying|standing|stood|i am) (?:in|on|at) (?:the|my) (?:\w+ ){0,2}with (?:a|the|"
     r"my|some|all my) (?:" + LETHAL + "|" + MED + r")", ""),
    ("intent:vague", r"i am doing it(?: now| right now| tonight| today| tomorrow| on \w+day| \w+day)?(?= \||$| but| and)|"
     r"(?:tonight|tomorrow|friday|saturday|sunday|monday|tuesday|wednesday|thursday|this weekend) i (?:do it|go|end it)"
     r"|i am (?:doing|going to do) it (?:on )?(?:friday|saturday|sunday|monday|tuesday|wednesday|thursday)", ""),
    # Decision, secrecy and finality: vague alone, intent with a vague act or preparation.
    ("intent:decided", r"(?:i have|i) (?:decided|made (?:my|the) decision)(?! (?:to|on|about|that|what|which|where|whether|"
     r"against|not) (?!do it|end|die|go through|kill))|(?:not|never) telling (?:anyone|anybody|nobody)|nobody (?:knows|can "
     r"stop me|will stop me|is going to stop me)|(?:nothing|nobody) (?:you|anyone|anybody) (?:can )?say (?:will|can|is "
     r"going to) (?:change|stop)|i am done(?= \||$| \w+day| tonight| tomorrow)|no point talking", ""),
    ("preparation:letters", r"(?:said|say|saying|made|done) (?:all )?my goodbyes|(?:texted|messaged|rang|called|wrote) "
     r"(?:everyone|everybody|them all|my \w+) (?:to say )?goodbye", ""),
    ("intent:vague", r"(?:will not|would not|do not|am not going to) need (?:them|it|this|that|these|those|my \w+|\w+) "
     r"(?:anymore )?(?:where i am going|after (?:tonight|today|this week|tomorrow|i am gone)|much longer)", ""),
    # Drowning, exhaust, hanging point, terse overdose, overdose symptoms.
    ("method:drowning", r"(?:walk|walking|wade|wading|swim|swimming|go|going) (?:out )?into the (?:sea|ocean|river|lake|"
     r"water|waves|loch)(?! (?:for|to) (?:a |go for a )?(?:swim|paddle|dip|surf))", ""),
    ("attempt:in_progress method:drowning", r"i am (?:walking|wading|swimming|going) (?:out )?into the (?:sea|ocean|river|"
     r"lake|water|waves|loch)(?: now| right now)(?! (?:for|to) (?:a )?(?:swim|paddle|dip))", ""),
    ("means:ready method:vehicle_exhaust", r"(?:car|engine) (?:is )?running\b.{0,40}(?:door (?:is )?(?:shut|closed|locked)|"
     r"i am (?:sat |sitting |lying )?in (?:it|the car))", ""),
    ("means:ready method:rope", r"(?:tied|tying|hooked|fixed|attached|hung|looped) (?:it|the rope|the belt|the cord|a rope|"
     r"a belt|a noose|the noose|the cable) (?:up )?(?:to|round|around|on|from|over) (?:the |a )?(?:banister|bannister|beam|"
     r"rafter|rafters|loft hatch|ceiling|hook|door frame|doorframe|tree|stair ?rail|railing)", ""),
    ("attempt:event method:medication", r"(?:pills|tablets|meds|" + MED + r") (?:all|every one|the lot|all of them)"
     r"(?: of them)?(?: \|)? (?:done|gone|taken|down|in me)|(?:took|taken|had|done|did) (?:an |a )?(?:overdose|od)\b(?! (?:call|calls|case|cases|patient|patients|shift|job|"
     r"on (?:my|the) (?:ward|shift)))", ""),
    ("attempt:event method:medication", r"(?:took|taken|swallowed|had|popped|necked|downed) (?!my |me )(?:some |a few |a "
     r"lot of |loads of |a bunch of )?" + MED + r" " + GAP6 + r"(?:feel|feeling|am|getting|going|gone|i am) (?:\w+ )"
     r"{0,2}(?:sleepy|drowsy|dizzy|woozy|numb|faint|heavy|spaced out|out of it|funny|weird|like i am floating)", ""),
    # Past attempts in other words.
    ("attempt:past", r"(?:had|made|survived|after|since) (?:an|a|my|one|that) (?:\w+ )?attempt\b|(?:tried|attempted) "
     r"(?:it )?(?:once|twice|before|a couple of times|a few times)\b.{0,40}(?:pills|tablets|overdose|rope|hang|cut|"
     r"jump|bridge|gas|car|" + MED + r")|(?:last|first) time i (?:tried|attempted)(?: it)?(?= \||$| was| in| when| \w+ "
     r"(?:ago|back))", ""),
    # Method thoughts: a means that would be quick, looking at a means and thinking about it, turning the wheel.
    ("ideation:nonspecific method:unspecified", r"(?:think|thinking|thought|keep thinking|imagine|imagining|wonder|"
     r"wondering) (?:that |if |whether )?(?:the|a|my|jumping|taking) (?:\w+ ){0,2}(?:train|bridge|pills|tablets|rope|"
     r"fall|drop|gun|car|river|sea|water|overdose|belt|beam|lorry|truck) (?:\w+ ){0,4}(?:would|will|could|might) (?:be )?"
     r"(?:quick|quicker|painless|easy|easier|the easiest|do it|end it|work|hold me|hold my weight|be enough|over quick)", ""),
    ("ideation:nonspecific method:unspecified", r"(?:look|looking|stare|staring|looked|stared) at (?:the|my|those|these) "
     r"(?:\w+ ){0,3}(?:knives|knife|pills|tablets|rope|bridge|tracks|gun|razor|blades?|water|" + MED + r")\b.{0,40}?"
     r"(?:think|thinking|thought|wonder|wondering) (?:about (?:it|doing it|using (?:it|them))|how)", ""),
    ("method:vehicle", r"(?:turn|turning|jerk|jerking|yank|yanking|swerve|swerving) (?:the )?(?:steering )?wheel\b", ""),
    # Passive ideation in other words.
    ("ideation:passive", r"(?:i would|i will|i) be doing (?:everyone|everybody|them|the world|my family|people|you all) "
     r"a favou?r|better (?:off )?if i (?:am|was|were) (?:dead|gone|not (?:here|around|alive))|(?:death|dying|being dead)"
     r" (?:sounds|seems|feels|looks) (?:so |really |quite |kind of )?(?:peaceful|nice|good|appealing|like a relief|easier|"
     r"better|like the answer|like the only way)|if i (?:just )?(?:got \w+ and )?(?:died|was dead|were dead|did not wake up|"
     r"never woke up) (?:\w+ ){0,3}(?:would be|would not be|it would be|that would be) (?:okay|fine|alright|a relief|good|"
     r"better|for the best|nice|a bad thing|so bad)|no reason (?:for me )?to (?:be|stay) (?:alive|here|around)|if i (?:got|get|was|were) (?:hit|run over|"
     r"knocked down|killed) by (?:a|the) (?:bus|car|truck|lorry|train) (?:\w+ ){0,3}(?:would not|would|wouldn t) (?:mind|care|"
     r"be (?:okay|fine|sad))", ""),
]

# Passive ideation as a composition: the caller's absence + a benefit or indifference, in either order
# ("the kids would have a better life if i wasn't in it", "being dead would be easier", "no one would care if i vanished").
ABSENT = (r"(?:if (?:it|this|everything|it all) (?:was|were|is) (?:all )?(?:over|finished)|if it all (?:ended|stopped)|"
          r"if i (?:was|were) (?:not |no longer )?(?:in it|in the picture|here|around|alive|gone|dead)|(?:and |with )?me "
          r"gone|if i (?:just )?(?:vanished|disappeared|died|did not exist|stopped existing|left for good|was not in it|"
          r"were not in it)|being dead|(?:not|never) (?:get|wake) up (?:at all )?ever again|(?:someone|a car|a lorry|a "
          r"truck|a bus) (?:crashed|ran|drove|ploughed) into me|if i (?:was|were) never born)")
BENEFIT = (r"(?:better|easier|happier|a relief|would not be (?:so |that |too )?bad|(?:no one|nobody|none of them) would "
           r"(?:care|notice|miss)|sooner|rather|a favou?r|at peace|in peace)")
EXTRA_RULES += [
    ("ideation:passive", ABSENT + r"\b.{0,50}?" + BENEFIT + "|" + BENEFIT + r"\b.{0,50}?" + ABSENT, ""),
    ("ideation:passive", r"(?:the )?point (?:of|in) me\b(?! (?:going|coming|doing|being there|telling|asking))", ""),
    ("ideation:passive", r"(?:hope|hoping|pray|praying|wish) (?:that )?i (?:do not|will not|never|would not) (?:make it|last|"
     r"get) (?:through|to|past|till|until) (?:the |this |next |another )?(?:winter|christmas|night|year|week|spring|summer|"
     r"morning|birthday)|(?:waiting|ready) for (?:my|the) (?:turn|time) to (?:go|die)|(?:have|got|still have) (?:the |my )?"
     r"(?:old )?scars\b", ""),
    ("self_harm:past", r"(?:have|got|still have|still got) (?:the |my |all the )?(?:old )?(?:scars|marks) (?:from (?:cutting|"
     r"self harm|when i)|on my (?:arms?|wrists?|legs?|thighs?))|(?:have not|had not|not) (?:cut|self harmed|hurt myself) "
     r"(?:in|for|since) \w+", ""),
    ("threat:others", r"(?:urges?|want|wanting|tempted|feel like) (?:to )?push (?:people|someone|somebody|him|her|them|"
     r"strangers) (?:in front of|off|under|down)", ""),
    # a symbolic date or "after this call" makes a vague "do it" intent; a plain "tomorrow" alone stays vague
    ("intent:future", r"i am (?:going to|gonna) do it (?:on my birthday|on (?:his|her|their|our) (?:birthday|anniversary)|"
     r"after this call|after (?:the|his|her) funeral|on christmas(?: day| eve)?|at new year|on (?:the )?anniversary)(?= \||$)", ""),
    ("method:rope", r"(?:strong|sturdy|solid|thick) (?:enough )?(?:branch|beam|hook|tree|rafter)|(?:branch|beam|hook|rafter) "
     r"(?:that )?(?:will|would|can|could) (?:hold|take) (?:me|my weight)", ""),
    ("intent:future", r"i will (?:finally )?be (?:free|at peace|at rest|with (?:mum|mom|dad|god|nan|him|her)|out of (?:here|"
     r"it|this)) (?:after|by|from|before) (?:tonight|tomorrow|today|the weekend|\w+day|christmas|morning)", ""),
    ("preparation:research method:unspecified", r"(?:searched|searching|looked|looking|googled|googling|researched|"
     r"researching) (?:online |on the internet |on google )?(?:for |up |into |about )(?:the )?(?:least painful|most "
     r"painless|painless|quickest|easiest|best|surest|fastest) (?:way|method|ways|methods)", ""),
    ("threat:others threat:armed", r"(?:taking|bringing|carrying|take|bring|carry) (?:a|my|the|\w+) (?:\w+ )?(?:knife|gun|blade|"
     r"weapon|machete|bat) (?:in )?(?:to|into) (?:school|work|college|class|uni|the party|his house|her house)", ""),
    ("preparation:letters", r"(?:my )?will (?:is )?(?:done|sorted|written|signed|finished)|cleared (?:my|out my) (?:desk|"
     r"room|locker|flat)", ""),
    ("intent:vague", r"it is (?:tomorrow|tonight|today|this weekend|monday|tuesday|wednesday|thursday|friday|saturday|"
     r"sunday)(?= \||$)", ""),
    ("means:at_hand", r"locked (?:myself|himself|herself|themselves) in (?:the |my |his |her )?(?:\w+ )?with (?:a|the|my|his|"
     r"her|some) (?:" + LETHAL + "|" + MED + r")", ""),
    ("danger:from_other", OTHER + r" (?:is|are) (?:trying to )?(?:break|kick|smash|bash|force) (?:down )?(?:the |my |our )?"
     r"(?:door|window|front door|back door)s?", "other"),
    ("attempt:in_progress method:vehicle_exhaust", r"i am (?:sat |sitting |lying )?in (?:the|my) (?:garage|car) with the "
     r"(?:car|engine|motor) (?:on|running)(?! (?:to|so i can|while i) (?:warm|defrost|charge|heat|clear))", ""),
    ("preparation:stockpiling", r"(?:put|putting|set|setting|keep|keeping|kept|squirrel+ing) " + GAP3 + MED
     + r" (?:aside|away|back|by)\b", ""),
    ("threat:others", r"(?:going to|gonna|will|am going to) (?:go|come|head|drive|walk|get) (?:\w+ ){0,3}and (?:stab|shoot|"
     r"kill|murder|hurt|batter|beat|strangle|knife|glass|smash) (?:him|her|them|that \w+|my \w+|the \w+|those \w+)", ""),
    ("threat:others", r"(?:going to|gonna|will|am going to) (?:shoot|stab|kill|murder|hurt) (?:the|all the|all of the) "
     r"(?:\w+ )?(?:lads|guys|boys|girls|kids|people|teachers|bullies|students|staff|lot of them|bastards)", ""),
    ("preparation:letters", r"(?:written|wrote|writing|write) to (?:my|\w+) \w+ explaining|explaining (?:everything|why) "
     r"(?:to|in)", ""),
    ("preparation:giving_away", r"(?:given|gave|giving|give) (?:away )?(?:the|my) (?:cat|dog|dogs|cats|pets?|guitar|car|"
     r"savings|things|stuff|jewell?ery) (?:away )?to (?:next door|the neighbou?rs?|my \w+|a friend|\w+)", ""),
    ("plan", r"i (?:already )?know (?:exactly )?(?:how and when|when and how|where and when|how and where|when and where)", ""),
    ("intent:future", r"(?:will not|am not going to|am not gonna) be (?:here|around|alive) (?:on |by |after |for |this |next )?"
     r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|christmas|the weekend|the end of the week)", ""),
    ("attempt:in_progress method:drowning", r"i am (?:in|into) the (?:river|sea|water|lake|loch|canal)\b.{0,30}?(?:up to my "
     r"(?:chest|neck|chin|shoulders)|going under|not coming back)", ""),
    ("attempt:in_progress", r"(?:" + OTHER + r"|my \w+|someone|somebody) (?:is )?(?:found )?hanging (?:in|from|off) (?:the|a)"
     r" (?:garage|loft|shed|tree|stairs|banister|bannister|bedroom|barn|wardrobe|door|attic|beam)", "third"),
    ("medical:emergency", r"(?:gone|going|turned|turning|is|has gone) (?:all )?(?:floppy|limp|blue|grey)(?: and (?:blue|"
     r"floppy|limp|cold|grey))?", "other"),
    ("ideation:nonspecific method:rope", r"(?:look|looking|stare|staring|looked|stared) (?:up )?at (?:the|a|that) (?:\w+ ){0,2}"
     r"(?:rafters?|beams?|banister|bannister|loft hatch|hook)\b.{0,30}?(?:and )?(?:thinking|wondering)", ""),
    ("self_harm:current", r"(?:carve|carving|carved|scratch|scratching|scratched|etch|etching) (?:\w+ ){0,2}into my (?:arms?|"
     r"legs?|skin|wrists?|thighs?|stomach|hands?)", ""),
    ("danger:from_other time:now", OTHER + r" (?:is|are) (?:strangling|choking|hitting|beating|stabbing|attacking|hurting|"
     r"kicking|punching|throttling|smothering|raping|dragging) (?:me|us)\b", "other"),
    ("abuse:ongoing abuse:violence", OTHER + r" (?:threatens|threatened|bullies|intimidates) me\b.{0,40}(?:pushes|pushed|hits|hit|shoves|"
     r"shoved|grabs|slaps) me", "other"),
    ("ideation:passive", r"(?:do not|can not|cannot) see why i am (?:still )?(?:here|alive|around|bothering|living)|why am i "
     r"(?:still )?(?:here|alive|bothering)(?= \||$)", ""),
    ("self_harm:current", r"(?:punched|hit|kicked|smashed|banged) (?:the |a )?(?:wall|door|mirror|window) (?:\w+ ){0,3}on "
     r"purpose|so i (?:would|could|can) feel something", ""),
]

# --- sixth pass: families the blind sets showed missing (general categories, not sentences) ------------------
# Medical emergencies now, in the words people use for them: stroke signs, a hypo, an asthma attack, heavy
# bleeding (after a birth too), a bad burn, anaphylaxis. A "resolved" trailer ("but it was just ...") still wins.
MED_NOW = (
    r"(?:worst headache (?:of|in) my life|(?:my |his |her |half (?:of )?(?:my |his |her )?|one side of (?:my |his |her )?)"
    r"face (?:is |has )?(?:gone |going |all )?(?:droopy|drooping|dropped|numb|slumped|lopsided)|(?:words|speech) "
    r"(?:is |are )?(?:all )?(?:slurred|slurring|coming out wrong)|can not (?:move|feel|lift) (?:my |his |her )?(?:left|right) "
    r"(?:arm|leg|side)|(?:sugar|sugars|blood sugar|glucose|levels) (?:is |are )?(?:crashing|crashed|dropping|dropped|"
    r"plummeting|tanking|gone (?:really |very |so )?low|really low|very low|so low|through the floor)|face (?:is |has )?"
    r"(?:gone |going |all )?(?:droopy|drooping|dropped|lopsided)|can not (?:lift|move|raise) (?:my|his|her) (?:arm|arms|"
    r"leg)\b.{0,30}(?:talk|speak|face|words)|(?:diabetic|diabetes|type one|type 1)\b.{0,60}(?:shaking|shakin|sweating|sweatin)"
    r"\b.{0,40}(?:can not think|confused|can not see|dizzy|can not find|sugar)|(?:blood |it is |it )?(?:spurting|pumping out|"
    r"gushing out|squirting|pulsing out)|(?:having|having a|"
    r"in the middle of|got) (?:a |an )?(?:really |very |bad |severe |massive )*(?:hypo|asthma attack|anaphylactic|"
    r"allergic reaction)|inhaler (?:is )?(?:empty|not working|run out|ran out|gone|lost)|(?:no|lost my|can not find my|"
    r"left my|forgot my) (?:inhaler|epipen|epi pen)|(?:lips|tongue|throat|face) (?:is |are )?(?:swelling|swollen|"
    r"closing|blowing up)|bleeding (?:really |so |very )?(?:heavy|heavily)|(?:soaking|soaked|pouring) through (?:the |my |"
    r"everything|towels?|pads?)|skin (?:is )?(?:coming|peeling|hanging) off|(?:burnt|burned|scalded) (?:my|his|her) "
    r"(?:\w+ ){0,2}(?:really |so |very )(?:bad|badly)|(?:waters|contractions) .{0,30}(?:bleeding|blood)|"
    r"(?:took|taken|had) (?:my |his |her )?(?:\w+ ){0,2}(?:tablets|pills|meds|insulin|dose) twice\b.{0,40}(?:dizzy|"
    r"racing|faint|sick|can not breathe|confused|shaking))"
)
SIXTH_RULES: list[tuple[str, str, str]] = [
    ("medical:emergency", MED_NOW, "other"),
    # an act going on as the caller speaks: self-harm "right now / as we speak" is in progress, not history
    ("self_harm:current self_harm:in_progress", r"i am (?:cutting|burning|slicing|hurting|scratching|carving) "
     r"(?:myself |my (?:arms?|legs?|wrists?|thighs?|skin) )?(?:right now|as we speak|at the moment|now(?= \||$))", ""),
    # means laid out or sealed in: pills emptied out in front of the caller, a room taped up, a fire lit
    ("means:at_hand", r"(?:emptied|tipped|poured|laid|lined|spread|popped|counted) (?:them )?(?:out )?(?:all )?(?:of )?(?:the |my |them |those )?"
     r"(?:" + MED + r" )?(?:out |up )?(?:\w+ ){0,3}?(?:onto|on|in front of|across) (?:the |my )?(?:table|bed|floor|counter|desk|me|"
     r"bedside table|side|bedside|kitchen table|worktop)", ""),
    ("means:ready", r"(?:charcoal|barbecue|bbq|disposable barbecue|coals) (?:is |are )?(?:lit|burning|going|glowing)|"
     r"(?:taped|sealed|blocked) (?:up )?(?:the |all the )?(?:door|doors|window|windows|vents|gaps|cracks)\b.{0,40}"
     r"(?:charcoal|barbecue|bbq|gas|fumes|engine|car)|(?:charcoal|barbecue|bbq|gas|fumes|engine)\b.{0,40}(?:taped|sealed) "
     r"(?:up )?(?:the |all the )?(?:door|doors|window|windows|vents|gaps)", ""),
    # an overdose with drink, the drug unnamed or unknown to the lexicon ("necked the whole box with a slab of beer")
    ("attempt:event method:medication", INGESTED + r" (?:the |my |a |me )?(?:whole|entire|full) (?:box|bottle|pack|packet|"
     r"strip|month|months|week|weeks|supply|prescription|script)(?: s)?(?: supply)? (?:of )?(?:\w+ ){0,2}(?:with|and|on) "
     r"(?:a |half a |the |some |a bottle of |a slab of |a case of |a load of )?" + ALCOHOL, ""),
    ("attempt:event method:medication", INGESTED + r" (?:my |the |a |me )?(?:whole|entire|full) (?:month|months|week|weeks)"
     r"(?: s)? (?:supply |worth )?of " + GAP3 + MED, ""),
    # danger from someone right now: a break-in, someone attacking another person within earshot
    ("danger:from_other time:now", r"(?:someone|somebody|a man|men|people|some guy|a guy|they) (?:has |have |is |are )?"
     r"(?:broken|broke|breaking|just broke) in(?:to)?\b", "other"),
    ("danger:from_other time:now", r"(?:hear|hearing|see|seeing|watching) (?:him|her|them|my \w+|\w+ \w+) (?:\w+ )?(?:hitting|"
     r"beating|strangling|choking|attacking|stabbing|kicking|punching|battering|hurting) (?:her|him|them|my \w+)"
     r"(?! (?:on|in) (?:the )?(?:tv|telly|film|movie|game))", "third"),
    # someone controlling and threatening the caller
    ("danger:from_other", OTHER + r" (?:says|said|threatened|threatens|told me|swore|keeps saying|promised|is saying) "
     r"(?:that )?(?:if|when|once) i (?:\w+ ){0,5}(?:he|she|they) (?:will|would|is going to|is gonna|will just) (?:" + VIOLENT
     + r")\w* (?:me|us|my (?:kids|children|son|daughter))\b", "other"),
    ("abuse:ongoing", r"(?:took|takes|has taken|keeps|has got|hid|hides|locked up) (?:away )?my (?:passport|papers|id|documents|"
     r"visa|phone|car keys|bank card|cards)\b.{0,40}(?:can not|can t|won t|will not) (?:leave|go|get out|call)", "other"),
    ("abuse:ongoing abuse:violence", r"(?:hits|beats|slaps|hurts|kicks|punches|shoves|pushes) me (?:around|about|and|over)\b|"
     r"(?:takes|controls|has) (?:all )?"
     r"(?:my|the) (?:money|pension|benefits|wages)\b.{0,40}(?:shoves|pushes|afraid|scared|frightened|terrified)", "other"),
    # the caller planning harm to a named person, or coming close to it
    ("threat:others threat:plan", r"(?:planning|plan|planned|working out|worked out|figuring out) (?:exactly )?how (?:i would|i "
     r"could|i am going to|i will|to|id) (?:hurt|kill|stab|shoot|get|attack|run over|poison|batter) (?:him|her|them|my \w+|"
     r"that \w+|the \w+)", ""),
    ("threat:others threat:armed", r"(?:i am|sat|sitting|parked|waiting) (?:in my (?:car|truck|van|ute) )?(?:outside|"
     r"across from|near) (?:my exes|my ex s|my ex|his|her|their|the) (?:\w+ ){0,2}(?:place|house|flat|work|home)\b.{0,40}"
     r"(?:with (?:my|a|the) (?:rifle|gun|shotgun|knife|machete|bat|crossbow))", ""),
    ("threat:others", r"(?:came|come|got) (?:really |so |very )?close to (?:shaking|hurting|hitting|smothering|strangling|"
     r"throwing|killing) (?:the|my|our) (?:baby|babies|kids?|son|daughter|child|children|toddler|newborn)", ""),
    # intent in plain words: "i mean to take my own life"
    ("intent:future", r"i (?:really |fully |do )?(?:mean|means|meant|am meaning|fully intend) to (?:take my own life|kill "
     r"myself|end my life|end it all|end it|do myself in|top myself)", ""),
    # a place known for it, reached with a finality cue
    ("location:height intent:vague", r"(?:drive|driving|go|going|head|heading|walk|walking|get|getting|take|taking) (?:\w+ )?"
     r"(?:down |up |out |over )?to (?:the )?(?:beachy head|the gap|gap park|golden gate|niagara|the cliffs?|the bridge|the "
     r"viaduct|the dam|the quarry)\b.{0,50}(?:(?:that|this) (?:will|is going to|is gonna) be it|that is it|this is it|not "
     r"coming back|for the last time|one last time|and end it|and be done|and jump)", ""),
    ("intent:vague", r"(?:will not|won t|wont|am not going to) (?:be )?need(?:ing)? (?:it|them|any of it|any of this|"
     r"my \w+) (?:anymore|any more|where i am going|after|much longer|for long)|i (?:will not|won t|wont) be (?:needing|using) "
     r"(?:it|them|any of it)\b", ""),
]
EXTRA_RULES += SIXTH_RULES

# --- seventh pass: families holdout13 showed missing (general categories; docs/risk.md "Seventh pass") ------------
WEAPON = r"(?:baseball bat|bat|knife|knives|machete|crowbar|hammer|axe|gun|rifle|shotgun|pistol|blade|cleaver|army knife)"
PAYBACK = (r"(?:going (?:round|over|to (?:his|her|their))|go round|gone round|pay (?:him|her|them) a visit|(?:has|have) (?:got )?it "
           r"coming|get what (?:he|she|they) deserves?|teach (?:him|her|them) a lesson|sort (?:him|her|them) out|waiting for (?:him|"
           r"her|them)|when (?:he|she|they) (?:comes? out|gets? home|leaves?|finishes|walks past)|ready for (?:him|her|them|when)|"
           r"(?:is not|will not|won t) (?:be )?walk(?:ing)? out of (?:that|the|this) (?:house|place|flat|pub))")
FEAR = (r"(?:scared|frightened|afraid|terrified|regret it|or else|punish\w*|eggshells|(?:is|gets) worse|report me|send me back|"
        r"goes (?:mental|mad|ballistic|crazy)|kicks off|"
        r"deport\w*|throw me out|kick me out)")
CONTROL = (r"(?:(?:reads|checks|goes through|went through|tracks) (?:all )?my (?:messages|texts|phone|emails|location)|(?:tells|decides|"
           r"chooses) (?:me )?(?:who|where|what) i (?:am allowed|can|may)|(?:will not|does not|never) let me (?:see|go out|leave|have|"
           r"talk|work|out)|tracks my (?:phone|location|car)|(?:takes|took|keeps|hides|hid|locks|lock) (?:away )?my (?:hearing aids?|glasses|walking (?:stick|frame)|frame|stick|"
           r"wheelchair|medication|tablets|food|phone|money|pension|keys|passport)|locks the (?:wifi|door|doors|phone))")
MED_SIGN = (r"(?:dizzy|racing|faint|sick|can not breathe|confused|shaking|drowsy|barely (?:keep|stay)|can not (?:stay awake|keep my "
            r"eyes open)|bleeding|pounding|woozy|feel (?:really |a bit |so )?(?:off|weird|strange|funny|wrong|ill|awful|rough))")
HIGH_PLACE = (r"(?:bridge|roof|rooftop|car park|multi ?storey|cliffs?|balcony|building|tower|viaduct|flyover|overpass|motorway|"
              r"top floor|dam|pier|quarry)")
SEVENTH_RULES: list[tuple[str, str, str]] = [
    # someone over the barrier of a height: in progress, whoever it is (the subject decides third party)
    ("location:height attempt:in_progress", r"(?:(?:on|over) the wrong side of (?:the )?(?:railings?|barrier|parapet|balcony|safety "
     r"rail)|(?:climbed|climbing|got|getting) over (?:the )?(?:railings?|barrier|parapet|safety rail))\b(?=.{0,60}\b" + HIGH_PLACE
     + r"\b)|\b" + HIGH_PLACE + r"\b.{0,60}?(?:(?:on|over) the wrong side of (?:the )?(?:railings?|barrier|parapet|balcony|safety "
     r"rail|it)|(?:climbed|climbing|got|getting) over (?:the )?(?:railings?|barrier|parapet|safety rail|edge))", ""),
    # a medical emergency told by its signs, not its name
    ("medical:emergency", r"(?:chest|heart) (?:\w+ ){0,3}(?:tight|tightness|crushing|pressure|heavy|pains?|hurts|hurting)\b.{0,60}?"
     r"(?:arm (?:is |has )?(?:\w+ )?(?:tingl\w*|numb|dead|aching|hurt\w*|pain\w*)|jaw|sweat\w*|clammy|can not breathe|breathless|short of "
     r"breath|pass out)", "other"),
    ("medical:emergency", r"(?:words|speech) (?:is |are )?(?:all )?(?:coming out )?(?:all |really )?(?:slurred|slurring|wrong|jumbled|"
     r"muddled|garbled)|(?:sugar|sugars|blood sugar|glucose|levels) (?:has |have |is |are )?(?:crashed|crashing|dropped|dropping|"
     r"plummeted|tanked|bottomed out|gone (?:really |very |so )?low)", "other"),
    ("medical:emergency", r"(?:inhaler|asthma|wheez\w*|allergic|allergy|throat)\b.{0,60}(?:can not|cannot|can barely|struggling to) "
     r"(?:get (?:a |my )?breath|catch my breath|breathe)|(?:can not|cannot|can barely|struggling to) (?:get (?:a |my )?breath(?: in)?|"
     r"catch my breath|breathe)\b.{0,60}(?:inhaler|asthma|wheez\w*|allergic|allergy|throat|lips)(?: (?:is|are) not (?:doing "
     r"anything|helping|working))?|inhaler (?:is )?(?:not doing anything|"
     r"not helping|does nothing|doing nothing|not touching it)", "other"),
    # too much of a medicine by mistake, with what it is doing now: an emergency, not an attempt
    ("medical:emergency", r"(?:by mistake|by accident|accidentally|mixed up|muddled|double(?:d)? (?:up|dosed|my|the)|(?:took|taken|had) "
     r"(?:them |it |my \w+ )?twice)\b.{0,100}?" + MED_SIGN, "other"),
    # armed and going after someone, or knowing where they are and arming
    ("threat:others threat:armed", r"i (?:\w+ ){0,3}?(?:got|have got|have|bought|sharpened|sharpening|sharpen|grabbed|took|taking|bringing|loaded|"
     r"loading) (?:a |my |the |an |me |his )?(?:\w+ ){0,2}" + WEAPON + r"s?\b.{0,70}?" + PAYBACK, "other"),
    ("threat:others threat:armed", r"i (?:\w+ ){0,3}?(?:know|found out|got|have got|found) (?:where|his|her|their) (?:\w+ ){0,6}(?:lives|parks|"
     r"address|works|drinks?|house)\b.{0,80}?(?:" + WEAPON + r"|sharpen\w*)", "other"),
    ("threat:others threat:plan", r"i (?:\w+ ){0,3}?know (?:what time|when) (?:he|she|they) (?:\w+ ){0,2}(?:leaves|locks up|finishes|gets "
     r"home|gets off|walks|closes)\b(?=.{0,80}\b(?:glass|stab|hurt|kill|batter|smash|jump)\b)|(?:glass|stab|hurt|kill|batter|"
     r"smash|jump) (?:him|her|them)\b.{0,80}i (?:\w+ ){0,3}?know (?:what time|when) (?:he|she|they)", "other"),
    ("threat:others", r"(?:urge|urges|want|wanting) to (?:lash out at|hurt|hit|attack|strangle|punch) (?:one of them|him|her|them|someone|"
     r"my \w+)(?=.{0,60}\b(?:frighten|scare|terrif|afraid)\w*)|i (?:swear )?(?:he|she|they) (?:will|ll) regret (?:it|this)|"
     r"i (?:have )?(?:shook|shaken|hit|slapped|smacked|hurt) (?:the|my|our) (?:baby|newborn|little one|toddler)", ""),
    ("threat:others threat:plan", r"i (?:\w+ ){0,10}?(?:working out|worked out|figuring out|watching|waiting for|know) when (?:he|she|they) (?:is|are|will "
     r"be|gets?) (?:on (?:his|her|their) own|alone|home alone|by (?:himself|herself))", "other"),
    # intrusive thoughts of harming a baby or child, which scare the caller: a wish to hurt someone (moderate)
    ("threat:others", r"(?:thoughts?|thinking|urges?|images?) (?:of|about) (?:shaking|hurting|hitting|dropping|throwing|smothering) "
     r"(?:her|him|the baby|my baby|my (?:son|daughter|little one|newborn))", ""),
    # hands at the throat; control with fear
    ("abuse:ongoing abuse:violence", r"(?:put|puts|had|has|got|squeezed) (?:his|her|their|both) (?:hands?|fingers) (?:round|around) "
     r"my (?:throat|neck)(?! to (?:show|demonstrate|teach))", "other"),
    ("abuse:ongoing", CONTROL + r"\b.{0,100}(?:" + FEAR + "|" + CONTROL + ")|" + FEAR + r"\b.{0,100}" + CONTROL, "other"),
    # passive wishes in other words
    ("ideation:passive", r"(?:hope|hoping|wish|wishing|pray|praying)\b.{0,25}?heart (?:would |will )?(?:just )?(?:quietly |finally )?"
     r"(?:stops?|gives? out|packs? in)|(?:go|went|going) to sleep and (?:never|not) (?:wake up|come round|come to|wake)|switch "
     r"(?:myself )?off (?:for ever|forever|for good|permanently)|(?:thoughts?|thinking|think) (?:about|of) (?:not existing|not being "
     r"here|not being alive|disappearing for good)|(?:stop|stopped) existing", ""),
    # a method weighed, a dose worked out
    ("ideation:nonspecific method:medication", r"(?:counting|count|worked out|working out|doing the maths? on) how many (?:of )?"
     r"(?:my |the |these |those )?(?:\w+ )?" + MED + r"\b.{0,20}?(?:it would take|would take|would do it|would be enough|it takes)",
     ""),
    ("preparation:research method:medication", r"(?:which|what) (?:of )?(?:my |the )?(?:\w+ )?" + MED + r"\b.{0,40}?(?:would|will|"
     r"could) (?:stop|end|do it|kill|finish)", ""),
    # affairs put in order "for after"
    ("intent:vague preparation:giving_away", r"(?:cancelled|cancelling|cancel|paid off|paying off|settled|sorted out|sorting out|closed|"
     r"closing|given notice on|handed in (?:my )?notice on) (?:\w+ ){0,10}?(?:so (?:that )?(?:nobodys|(?:nobody|no one) (?:is|gets|will be|has "
     r"to be))(?: left with)|(?:once|when|after|for when) i am (?:gone|not here|not around|dead))", ""),
    # self-harm about to happen or to go further
    ("self_harm:current self_harm:in_progress", r"(?:iron|lighter|blade|razor|knife|cigarette|poker|pan|kettle)\b.{0,60}?(?:going to|"
     r"gonna|about to|am|i am) (?:press|pressing|hold|holding|put|putting|burn|burning) (?:it|the \w+) (?:just )?(?:on|against|into|"
     r"onto|over|to) my (?:arms?|legs?|skin|wrists?|thighs?|stomach|hands?)|(?:going to|gonna|about to) (?:press|hold|put|burn) "
     r"(?:it|the \w+) (?:on|against|into|onto) my (?:arms?|legs?|skin|wrists?|thighs?|stomach|hands?)\b.{0,30}(?:as soon as|when|now|"
     r"once)", ""),
    ("self_harm:current intent:self_harm", r"(?:planning|going|gonna|want|about) to (?:go|cut|burn) (?:deeper|worse|further|harder)",
     ""),
    ("attempt:in_progress method:cutting", r"my (?:wrists?|arms?|legs?|thighs?) (?:is |are )?(?:wide |cut |sliced )?open\b", ""),
]
# Oblique finality: what people say when they are putting their affairs in order for after their death, without
# naming it (a one-way ticket, who gets what, "so whoever finds me", "for after", goodbyes written and addressed).
FINALITY = (r"(?:(?:whoever|the person who|the one who|someone who|whoever it is that) (?:finds|find|will find) me|for after (?:i am gone|"
            r"i have gone|you know|i go|(?:\w+ ){0,2}(?:gone|dead))|(?:all )?(?:written down|sorted|ready|clear) (?:\w+ ){0,4}for after\b|"
            r"before the end\b|(?:it is|its|it was|this is) (?:my |our )?goodbye|one way (?:ticket|train|trip|flight)|(?:did not|didnt|"
            r"no need to|not going to) (?:bother with|get|buy) a return|nothing left for (?:anyone|anybody|them|\w+) to (?:go through|"
            r"sort|deal with|clear)|less for (?:\w+ ){1,2}to (?:deal with|sort out|clear)|(?:my )?goodbyes? (?:are|is) (?:all )?written|"
            r"(?:music|songs?|playlist|hymns?|flowers|readings?) for (?:the|my) funeral|who gets (?:what|my \w+)|"
            r"rehomed (?:my|the|our) (?:\w+ )?(?:dog|cat|dogs|cats|collie|spaniel|lab|labrador|terrier|rabbit|pets?)\b.{0,80}"
            r"(?:hear a voice|goodbye|before (?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|the weekend|tonight))|(?:when|once) i am not (?:here|"
            r"around) (?:any ?more|anymore)|(?:there is )?no sense keeping (?:them|it|any of it))")
FINALITY_RULES: list[tuple[str, str, str]] = [
    # passive wishes said as hopes about accidents or quiet
    ("ideation:passive", r"(?:hoping|hope|wishing|wish|praying) (?:that )?something (?:bad )?(?:happens|would happen|will happen) to me|"
     r"(?:want|wanting|wish) (?:everything|it all|it|the world) to go (?:quiet|dark|away) for good", ""),
    # self-harm again, soon
    ("intent:self_harm", r"(?:planning|going|gonna|want|about) to (?:do it|do that|cut) again (?:tonight|once|when|after|later|as soon as)",
     ""),
    ("danger:from_other time:now", r"(?:has|has got|got) my (?:arm|arms|hands|wrists?|neck) (?:pinned|twisted|held) (?:down |behind "
     r"(?:me|my back) )?", "other"),
    ("intent:vague preparation:giving_away", FINALITY, ""),
    # means in place right now
    ("means:ready", r"(?:it is|its|it s|the \w+ is|belt is|cord is|cable is|rope is) (?:already )?(?:tied )?(?:round|around) my neck|"
     r"(?:knot|knots|noose|loop) (?:is |are )?(?:done|tied|ready|up)\b", ""),
    ("means:at_hand method:rope", r"(?:belt|rope|cord|cable|noose|scarf|tie) (?:is |already )?(?:round|around|tied (?:to|round|around)|"
     r"over|on) the (?:banister|bannister|beam|rafters?|loft hatch|hook|door|stair rail|tree|pipe)", ""),
    ("attempt:in_progress method:medication", r"(?:taking|swallowing|downing) (?:them|it|the \w+) one (?:at a time|by one|after another)|"
     r"(?:working|making my way) through (?:them|it|the (?:pills|tablets|bottle|box|lot))|(?:tip|tipping|pour|pouring|put|putting) "
     r"(?:them|it|the (?:pills|tablets)) (?:in|into) my mouth", ""),
    ("location:height attempt:in_progress", r"i (?:have )?(?:climbed|climbed over|got over|am over) the (?:fence|railings?|barrier|wall|"
     r"parapet)\b(?=.{0,60}\b" + HIGH_PLACE + r"\b)|\b" + HIGH_PLACE + r"\b.{0,60}?i (?:have )?(?:climbed|got over|am over) (?:the )?"
     r"(?:fence|railings?|barrier|parapet)", ""),
    # avoiding being seen or stopped, with a place or a time: research for an attempt
    ("preparation:research", r"(?:which|what) (?:side|bit|part|level|floor|end|night|time|day)\b.{0,40}(?:(?:no|does not have|do not "
     r"have|without|has no) (?:the |any )?(?:cameras?|cctv|people|anyone|nets?|railings?|barriers?|fence)|nobody (?:patrols|goes|"
     r"checks|comes|walks|will see|would see)|(?:is )?(?:the )?(?:darkest|quietest|emptiest))|"
     r"(?:whether|if) the driver (?:would|will|could) see me|how long (?:it takes|does it take) (?:the |a )?train to stop|"
     r"how deep (?:it gets|the water is|it is)\b", ""),
    # sexual abuse said obliquely; forced marriage; violence at home described
    ("abuse:ongoing abuse:violence", r"(?:says|said|tells me) (?:it is|its|this is) (?:our|a) (?:little |special )?secret|makes me do "
     r"things|(?:comes|came|keeps coming|creeps) (?:in|into) my (?:room|bed|bedroom) (?:when|at night|while|after)|(?:keeps )?touching "
     r"me (?:in|when|at|and|where|under)|(?:marry|married off to|marry me off to) (?:a man|a woman|someone|somebody|him|her|a stranger) "
     r"i (?:have )?(?:never|not) (?:met|seen)|(?:forcing|force|forced|making) me (?:to )?(?:marry|get married)|(?:throws|threw|throwing) "
     r"(?:stuff|things|plates|bottles|chairs|cups) at (?:me|us|my \w+)|(?:hits|hit|slaps|beats) me where (?:it|the bruises) (?:does not|"
     r"do not|will not|won t) show|(?:pressed|presses|pressing|squeezed|squeezes|squeezing) (?:on |down on )?my (?:throat|neck)|"
     r"(?:broke|broken|has broken) my (?:nose|arm|ribs?|jaw|wrist|finger|fingers|cheekbone)", "other"),
    ("danger:from_other", r"with (?:me|us|the kids|the children|my (?:kids|children)) (?:still )?in it|(?:that is|thats|it is|its) for "
     r"you if you (?:ever )?(?:go|leave|tell|try)|next time (?:he|she|they) (?:will not|won t|wont) stop|next time (?:he|she|they) (?:will|"
     r"ll) (?:finish|kill|end) (?:me|you)", "other"),
]
FINALITY_RULES += [
    # drink and then the pills; means on the side with the door locked; a decision with a day
    ("attempt:event method:medication", r"(?:drank|downed|necked|had) (?:a |the )?(?:whole |full |hole )?bottle of " + ALCOHOL
     + r"\b.{0,40}?(?:took|taken|swallowed|necked|downed|popped) (?:the |my |all (?:of )?(?:the |my )?)?(?:\w+ )?" + MED, ""),
    ("means:at_hand", r"(?:blades?|razors?|knife|knives|pills|tablets|rope) (?:is |are )?(?:all )?(?:on the side|out on the side|laid "
     r"out|ready)\b", ""),
    ("intent:vague", r"so (?:nobody|no one|noone) (?:can|could|will) stop me|(?:just )?(?:wanted|want) (?:someone|somebody|you) to "
     r"know (?:first|before)|(?:wiped|reset|factory reset) my (?:phone|laptop)\b.{0,40}(?:notes?|letters?|goodbye)|"
     r"(?:notes?|letters?|goodbye)\b.{0,40}(?:wiped|reset) my (?:phone|laptop)", ""),
    ("intent:future", r"(?:decided|made up my mind|settled on) (?:it is|its|it will be) (?:happening|going to happen|gonna happen|on|"
     r"for) (?:tonight|tomorrow|this weekend|next week|on \w+day|\w+day)", ""),
    ("preparation:stockpiling", r"(?:round|to|from|at) (?:\w+ )?(?:different|several|multiple|a few|three|four|two|loads of) (?:chemists|"
     r"pharmacies|shops|supermarkets|garages)\b.{0,60}" + MED + r"|" + MED + r"\b.{0,40}without (?:them|anyone|anybody) "
     r"asking", ""),
    ("intent:vague preparation:giving_away", r"for when i am not (?:here|around|there)|(?:giving|taking|handing|rehoming|given|"
     r"taken|handed) (?:my |the |our )?(?:\w+ )?(?:dog|cat|pets?|guitar|games|ring|watch|car)\b.{0,40}(?:for good|to keep (?:them|it)"
     r" for good)", ""),
    ("plan", r"(?:picked|chosen|set) (?:a|the) date\b.{0,60}so i (?:do not|dont|will not) (?:ruin|spoil|wreck)", ""),
    ("preparation:note", r"note (?!(?:for|to|through) (?:the |my |our |a |next door )?(?:neighbours?|teacher|school|landlord|milkman|"
     r"postman|cleaner|babysitter|boss|manager|council|driver|nursery|childminder|office)\b)(?:\w+ ){0,6}(?:saying|that says|to "
     r"say) (?:sorry|goodbye|bye|i love)", ""),
    ("attempt:past", r"had a go at (?:ending (?:it|things|my life)|killing myself|topping myself|taking my (?:own )?life)", ""),
    ("ideation:passive", r"(?:wish|wishing|wished) (?:that )?(?:it|this|everything) (?:was|were) (?:all )?over|giving up on "
     r"(?:everything )?(?:including |even )?living", ""),
    ("self_harm:current", r"(?:making|make|made) myself sick (?:after|again|every|when|most)", ""),
    ("abuse:ongoing", r"(?:says|said|threatens|threatened) (?:she|he|they) (?:will|would|ll) leave me (?:in bed|without|alone|on my "
     r"own|in the dark|wet)|(?:letting himself|lets himself|letting herself|lets herself) (?:in|into) my (?:room|bed|flat)", "other"),
    ("abuse:ongoing abuse:violence", OTHER + r" (?:bit|burned|burnt|scalded|stabbed|kicked|punched|slapped|headbutted) me\b", "other"),
    ("danger:from_other time:now", r"(?:hiding|hid|locked myself|locked us) (?:in|under) (?:the |a )?(?:wardrobe|bathroom|cupboard|"
     r"bedroom|toilet|loft)\b.{0,60}(?:" + OTHER + r"|partner|husband|boyfriend|dad) (?:is )?(?:smashing|breaking|banging|kicking|"
     r"shouting|screaming|looking)", "other"),
    ("threat:others", r"(?:nearly|almost) (?:hit|slapped|punched|shook|hurt|strangled) (?:my|the|our) (?:nan|gran|mum|mom|dad|baby|kids?|"
     r"son|daughter|partner|wife|husband|child|toddler|girlfriend|boyfriend)", ""),
    ("medical:emergency", r"(?:waters|water) (?:have|has) (?:gone|broken|broke)\b.{0,60}(?:alone|on my own|ambulance|coming|no one|"
     r"nobody)|(?:took|taken|had|done) (?:my |the )?(?:\w+ ){0,2}(?:tablets|pills|meds|dose|insulin|injection) twice by (?:accident|"
     r"mistake)|double (?:dose|dosed|up) by (?:accident|mistake)", "other"),

    # payback said first, the weapon after ("he's got it coming ... the bat by the front door ready for when he walks past")
    ("threat:others threat:armed", PAYBACK + r"\b.{0,80}?(?:with|got|have|keep|kept|bringing|the|my|a) (?:\w+ ){0,2}" + WEAPON + r"s?\b|"
     r"(?:watching|waiting for|following|followed) (?:him|her|them)\b.{0,40}with (?:a|the|my) (?:\w+ ){0,2}" + WEAPON + r"\b|"
     + WEAPON + r" is (?:ready|in my (?:boot|car|van|bag|pocket)|by the (?:front )?door)\b.{0,40}(?:for (?:him|her|them|when)|next "
     r"time|ready)", ""),
    ("threat:others threat:plan", r"(?:know|learned|learnt|worked out) (?:his|her|their) (?:whole |daily |every )?(?:routine|movements|"
     r"shifts)\b.{0,60}(?:pick the day|pick a day|get him|get her|do it)|(?:followed|following) (?:him|her|them) home\b.{0,60}"
     r"(?:routine|pick the day|next time)", ""),
    # gas, a knife at the wrist, standing in deep water: means in place now
    ("means:ready method:gas", r"(?:switched|turned|put) (?:the )?gas on\b.{0,40}(?:shut|closed|sealed|blocked) (?:all )?(?:the )?"
     r"(?:windows|doors|vents)|(?:shut|closed|sealed) (?:all )?(?:the )?(?:windows|doors)\b.{0,40}(?:gas is on|gas on)", ""),
    ("attempt:in_progress method:cutting", r"(?:knife|blade|razor) is (?:against|on|at|pressed to|to) my (?:wrist|wrists|throat|neck|"
     r"arm)", ""),
    ("attempt:in_progress method:drowning", r"(?:standing|stood|i am) in the (?:river|sea|water|lake|loch|canal|reservoir) up to my "
     r"(?:waist|chest|neck|chin|shoulders)", ""),
    ("means:ready", r"(?:counted|laid|lined|tipped|emptied) (?:them |it )?(?:all )?(?:out|up)\b.{0,60}(?:glass of water|tonight is the "
     r"night)", ""),
    ("means:at_hand", r"(?:got|have) (?:the |my |all )?(?:\w+ ){0,2}(?:tablets|pills|meds) out on the (?:side|table|counter|bed)", ""),
    ("attempt:past", r"(?:that|which) i (?:had|took|used) last time", ""),
    # a plan, a date, research, a stockpile, in other words
    ("plan", r"(?:picked|chosen|set|chose) (?:the|a) date\b.{0,60}(?:ends|end it|the end|goodbye|it all|tidy)|(?:have|got) it all "
     r"planned(?: out)?\b(?=.{0,0})|(?:decided|made up my mind) (?:it is|its|it will be) (?:going to be )?(?:the )?(?:railway|"
     r"train|bridge|pills|tablets|rope|car|cliff|river|sea|gun)", ""),
    ("preparation:research method:medication", r"(?:which|what) (?:" + MED + r"|drugs?) (?:work|works|act|acts|kill|kills|would "
     r"work) (?:the )?(?:fastest|quickest|best)", ""),
    ("preparation:stockpiling", r"(?:keeping|kept|putting|put|holding) (?:back|aside|by) (?:a few|some|one or two|a couple) (?:\w+ )?"
     r"(?:from|of|out of) (?:every|each|my) (?:repeat|prescription|script|packet|box)", ""),
    ("intent:vague preparation:giving_away", r"(?:when|once|after) i am not (?:about|around|there)\b|(?:no need|not need) (?:for )?any "
     r"of it after|(?:will not|won t|wont) be living anywhere|so it (?:does not|doesnt) (?:all )?(?:pile up|fall|land) on|"
     r"(?:can|could|gets to|is going to) (?:have|keep) my (?:car|records|guitar|watch|things|stuff|bike|flat|savings)\b.{0,40}"
     r"(?:not joking|was not joking|serious|meant it)|(?:life insurance|policy) (?:\w+ ){0,4}pays? out", ""),
]
EXTRA_RULES += SEVENTH_RULES + FINALITY_RULES

# Eighth pass (2026-12-07): families from two fresh blind sets (docs/risk.md "Eighth pass").
_PERSON_ME = (r"(?:he|she|they|my (?:partner|husband|wife|boyfriend|girlfriend|dad|father|mum|mom|mother|stepdad|stepmum|ex|brother|"
              r"sister|son|daughter|uncle|carer|flatmate|landlord))")
_FUEL = r"(?:(?:can|canister|bottle|jerry can|container|drum) of (?:petrol|lighter fluid|gasoline|paraffin)|(?:doused|soaked|pour\w*|splash\w*) (?:\w+ ){0,3}(?:in|with) (?:petrol|lighter fluid|gasoline|paraffin))"
EIGHTH_RULES: list[tuple[str, str, str]] = [
    # a ligature round someone's neck: an act under way, whoever it is (the subject decides third party)
    ("method:rope attempt:in_progress", r"(?:rope|belt|cord|ligature|noose|cable|flex|dressing gown cord) (?:\w+ ){0,2}"
     r"(?:round|around) (?:his|her|their) neck", ""),
    # going to do someone serious harm, in so many words
    ("threat:others threat:plan", r"i (?:will|am going to|am gonna|swear i will|am gonna wait (?:for (?:him|her|them) )?and) (?:\w+ ){0,10}?"
     r"(?:put (?:him|her|them|that \w+) in (?:the )?(?:hospital|a wheelchair|the ground|intensive care)|batter (?:him|her|them)\b"
     r"(?! (?:at|in) (?:pool|darts|chess|fifa|the game))|kick (?:his|her|their) head in|smash (?:his|her|their) face in|glass (?:him|"
     r"her|them))", ""),
    # poisoning someone's food or drink (not food poisoning, not the rats)
    ("threat:others threat:plan", r"(?:poison|poisoning|put something in|putting something in|spike|spiking) (?:(?:his|her|their) |my (?:\w+ ){1,2}?)(?:tea|food|"
     r"drink|drinks|coffee|dinner|meal|tablets|medicine|pint)(?! (?:bowl|recall))(?!.{0,60}(?:frighten|scare|terrif|horrif|do not "
     r"want to|would never|could never|intrusive))", ""),
    # a can of petrol at someone's door
    ("threat:others threat:armed", r"(?:outside|at|round) (?:her|his|their|my \w+) (?:house|flat|door|place|window)\b.{0,50}"
     + _FUEL + r"|" + _FUEL + r".{0,50}(?:outside|at|round) (?:her|his|their|my \w+) (?:house|flat|door|place|window)", ""),
    # threatened by someone close: bones broken, hurt, if the caller tells or leaves
    ("abuse:ongoing abuse:violence", _PERSON_ME + r" (?:says|said|keeps saying|threatened|told me|has threatened) (?:\w+ ){0,3}?(?:is "
     r"going to|will|would|is gonna|going to) (?:break my (?:legs|arms|neck|jaw|fingers|nose)|hurt me|beat me|batter me|hit me(?! up)|"
     r"put me in (?:the )?hospital)", "other"),
    # strangled by someone ("keeps choking me", "choked me again"), not by smoke or a tie
    ("abuse:ongoing abuse:violence", _PERSON_ME + r" (?:\w+ ){0,2}?(?:chokes|choked|choking|strangles|strangled|strangling|throttles|"
     r"throttled|throttling) me\b", "other"),
    # a stockpile in a container
    ("preparation:stockpiling", r"(?:filling|filled|fill|keeping|kept|hiding|hid|stashing|stashed|saving) (?:up )?(?:a|an|the|my|this) "
     r"(?:\w+ ){0,2}(?:box|shoebox|bag|tin|jar|drawer|sock|pot|envelope) (?:with|of|full of) (?:my |all my |the |old )?" + MED, ""),
    # round 2, from the same blind sets' misses
    ("ideation:passive", r"(?:had|have had|am done with|sick of having) enough of (?:living|life|being alive|this life|it all)\b"
     r"(?! (?:in|with|here|there|like|on|at|next|near|under|by|out|off|under|above|so close|in this))", ""),
    ("ideation:passive", r"(?:theyd|theyll|(?:they|everyone|everybody|my (?:family|kids|wife|husband|partner|lot)) (?:would|will|d|ll)) "
     r"(?:all )?"
     r"(?:manage|cope|get on|do|be) (?:fine|better|okay|ok|alright|just fine)? ?without me(?: around| here| in the picture)?\b"
     r"(?!.{0,40}(?:for (?:a|the|one|two|three|a few|the odd) (?:night|day|days|week|weeks|weekend|month)|while i am|when i am "
     r"(?:away|at|in|on)|on holiday|at work|at the))", ""),
    ("attempt:past method:gas", r"(?:gassed|hanged) myself\b|(?:tried|attempted) to gas myself", ""),
    ("attempt:past method:height", r"i (?:\w+ ){0,2}?jumped (?:off|from) (?:a|the|that) (?:\w+ ){0,2}?" + HIGH_PLACE +
     r"\b(?!.{0,60}(?:into the (?:sea|water|lake|river|pool|harbour)|for a (?:laugh|dare|bet)|bungee|parachute|zip ?wire|"
     r"tombstoning|coasteer\w*|onto (?:a|the) (?:mat|crash mat|trampoline)))", ""),
    ("self_harm:current", r"(?:fresh|new) (?:cuts|marks|burns|scratches|scars) on my (?:arms?|thighs?|legs?|wrists?|stomach|"
     r"tummy|hips?|ankles?)\b.{0,60}(?:hide|hiding|hid|hidden|cover|covering|covered|long sleeves|joggers|nobody|no one|did it|again|myself)", ""),
    ("self_harm:current", r"(?:bit|bite|biting|scratched|scratching|punched|punching|pinched|pinching) (?:myself|my "
     r"(?:arms?|hands?|legs?|thighs?|face|wrists?|stomach))\b.{0,40}(?:till|until|so hard (?:that )?it) (?:it )?(?:bled|"
     r"bleeds|went (?:purple|black|blue)|bruised|was bruised|left (?:a )?marks?)", ""),
]
EXTRA_RULES += EIGHTH_RULES

# A weapon and a veiled threat in one breath: "i bought a gun and he won't see it coming". Without the weapon the
# same words are a surprise party.
_WEAPON = r"(?:knife|knives|gun|rifle|shotgun|pistol|blade|machete|hammer|crowbar|baseball bat|acid|petrol)"
EXTRA_RULES += [
    ("threat:others threat:armed", _WEAPON + r"\b.{0,60}\b(?:he|she|they|him|her|them)\b (?:\w+ ){0,2}"
     r"(?:will not|will never|is not going to|are not going to|never) (?:see|know) (?:it|what is|what) coming|" + _WEAPON
     + r"\b.{0,60}\b(?:get|gets|getting) what is coming to (?:him|her|them)|(?:he|she|they) (?:will not|will never) know what "
     r"hit (?:him|her|them)\b.{0,60}" + _WEAPON, ""),
]

# Tenth pass (2026-12-07): acts under way told by the situation, not named (docs/risk.md "Tenth pass").
_SOMEONE_ELSES = (r"(?:my )?(?:husband|wife|partner|mum|mom|mam|dad|nan|nana|gran|granny|grandad|grandma|brother|sister|flatmate|"
                  r"son|daughter|boyfriend|girlfriend)s")
# counts that say an overdose by themselves ("all my tablets" is also how people say a day's dose: not here)
_COUNT = (r"(?:forty|fifty|thirty|sixty|seventy|eighty|ninety|a hundred|\d\d+|every (?:single )?one|(?:the|my|a) (?:whole|entire|full) "
          r"(?:lot|box|packet|pack|bottle|strip|pen|tub|jar|month s supply)|(?:loads|a load|a handful|a fistful|heaps|dozens) of|"
          r"(?:way |far )?too many|the lot)")
_DOSE = (r"(?:" + _COUNT + r") (?:of )?(?:\w+ ){0,2}?(?:them|it|those|these|" + MED + r")|" + _SOMEONE_ELSES + r" (?:\w+ )?" + MED)
_AGO = (r"(?:\b(?:an?|one|two|three|half an?|about an?|like an?|\w+) (?:hours?|minutes?|mins?) ago|just now|before i (?:rang|called|"
        r"phoned))")
_SEDATED = (r"(?:drowsy|sleepy|slurr\w*|ears (?:are )?ringing|ringing in my ears|can not (?:keep my eyes open|stay awake|feel my)|"
            r"heart (?:is )?(?:racing|pounding)|being sick|been sick|going numb|everything is (?:going )?(?:blurry|spinning)|"
            r"(?:getting|going) (?:really |so |a bit )?(?:drowsy|sleepy|woozy|dizzy|fuzzy))")
_LEDGE_PLACE = (r"(?:bridge|railway bridge|motorway bridge|roof|rooftop|car park|multi ?storey|cliffs?|cliff top|clifftop|the gap|"
                r"beachy head|viaduct|flyover|overpass|tower|top floor|reservoir|dam|quarry|balcony)")
# a reason that makes the same scene a day out or a chore (a photo, a wave, a ball to fetch)
_ERRAND = (r"(?!.{0,80}\b(?:photos?|pictures?|pics?|film\w*|video|spotting|spotter|wave|waving|to (?:get|fetch|grab|find|rescue) "
           r"(?:the|a|my|our|his|her)|with (?:my|the) (?:son|daughter|kids|boy|girl|grandson|granddaughter|little one))\b)")
TENTH_RULES: list[tuple[str, str, str]] = [
    # a large or someone else's dose taken a little while ago, with what it is doing now (a count alone says it too)
    ("attempt:in_progress method:medication", r"i (?:have |had )?(?:just )?" + INGESTED + r" (?:" + _DOSE + r")\b"
     r"(?! (?:to|back|round|in|into|for|over|out|down|up)\b).{0,60}?" + _AGO + r"\b.{0,80}?" + _SEDATED, ""),
    ("attempt:in_progress method:medication", r"i (?:have |had )?(?:just )?" + INGESTED + r" (?:" + _COUNT + r") (?:of )?(?:them|those|"
     r"these|my \w+|the \w+|" + MED + r")\b(?! (?:to|back|round|in|into|for|over|out|down|up)\b).{0,30}?" + _AGO, ""),
    # sitting in a car in a closed garage with the engine running now, however the sentence runs ("i sat ... a month ago" is a
    # past attempt, read elsewhere)
    ("attempt:in_progress method:vehicle_exhaust", r"i am (?:\w+ ){0,3}?in (?:the|my|our) (?:car|van)\b(?: \w+){0,4}? (?:in|inside) "
     r"(?:the|my|our) garage\b.{0,30}?with the engine (?:on|running|going)|i am (?:\w+ ){0,3}?in (?:the|my|our) garage\b"
     r"(?: \w+){0,5}? with the engine (?:on|running|going)(?!.{0,60}\b(?:door|doors|shutter) (?:is |are |wide |left )?open\b)", ""),
    # at a height with legs over the edge or shoes off (a picnic or the fireworks still read as a day out) ...
    ("location:height attempt:in_progress", r"\bi (?:am|was|have been)\b.{0,30}?" + _LEDGE_PLACE + r"\b.{0,60}?(?:(?:my|me) legs "
     r"(?:dangling |hanging )?over (?:the )?(?:edge|side)|(?:taken|took) (?:my|me) shoes off)", ""),
    # ... or having climbed the barrier, or waiting on a rail or motorway bridge for a train or the lorries: an act under
    # way; its own signal keeps the "on my way / watching the view" scope from reading it as a day out
    ("location:height attempt:in_progress location:over_barrier", _ERRAND + _LEDGE_PLACE + r"\b.{0,60}?i (?:have )?(?:climbed|got|"
     r"gone) (?:over )?the (?:fence|railings?|barrier|parapet|safety rail)|" + _ERRAND + r"i (?:have )?(?:climbed|got) (?:over )?the "
     r"(?:fence|railings?|barrier|parapet|safety rail)\b.{0,60}?" + _LEDGE_PLACE, ""),
    ("location:height attempt:in_progress location:over_barrier", r"i am (?:on|up on|stood on|standing on|sat on|sitting on) the "
     r"(?:railway|rail|train|motorway) bridge\b" + _ERRAND + r".{0,40}?(?:waiting for|watching) (?:the )?(?:\w+ ){0,3}(?:train|"
     r"trains|lorries|lorry|traffic)", ""),
    # in the water and losing to it
    ("attempt:in_progress method:drowning", r"i am (?:in|into) the (?:water|sea|river|canal|lake|loch|reservoir)(?: now| right now)?\b"
     r".{0,60}?(?:current (?:is )?(?:pulling|taking|dragging)|pulling me (?:out|under)|going under|can not (?:get back|swim back|get out|"
     r"touch the bottom)|out of my depth)", ""),
    # chest pain said the other way round, or as a weight sitting on it (not after the gym or with a cough)
    ("medical:emergency", r"(?!.{0,100}\b(?:gym|workout|cough\w*|flu|a cold|panic\w*|anxiety|anxious)\b)(?:(?:pains?|pressure|"
     r"tightness|crushing|heaviness|weight) (?:\w+ ){0,2}in (?:my|the|his|her) chest\b.{0,60}?(?:arm|jaw|sweat\w*|clammy|can not "
     r"breathe|breathless|short of breath|pass out|elephant)|elephant (?:sitting|sat|standing) on (?:my|his|her) chest)", "other"),
]
EXTRA_RULES += TENTH_RULES

# Eleventh pass (2026-12-07): families the blind pools' misses showed, holdout19 included (docs/risk.md "Eleventh pass").
_FOODS = (r"(?:crisps|biscuits|sweets|chocolates?|cereal|wine|beer|vodka|cider|water|juice|pop|coke|milk|tea|chips|cookies|"
          r"doughnuts|grapes|gum|mints|jaffa cakes|haribo|nuts)")
_ARMS = WEAPON + "s?"  # the seventh pass's weapons, plural too ("theres guns about")
_KIN = (r"(?:kids|children|weans|bairns|boys|girls|mum|mam|mom|dad|wife|husband|partner|family|son|daughter|grandchildren|"
        r"grandkids|parents|sister|brother)")
ELEVENTH_RULES: list[tuple[str, str, str]] = [
    # a whole container swallowed a moment ago, the medicine unnamed ("ive taken the whole packet just now")
    ("attempt:in_progress method:medication", r"i (?:have |had )?(?:just )?(?:taken|took|swallowed|downed|necked) (?:the|a|my) "
     r"(?:whole|entire|full) (?:packet|pack|box|bottle|strip|blister|tub|jar)\b(?! (?:of " + _FOODS + r"|to|back|round|in|into|"
     r"for|over|out|down|up)\b).{0,30}?" + _AGO, ""),
    # going to fetch or do something "and end things": the end named after another step
    ("intent:future", r"(?:going to|will|planning to|gonna) (?:\w+ ){1,6}?and (?:then )?(?:end things|end it all|end my life|kill "
     r"myself|take my (?:own )?life|top myself|do myself in|finish myself off)\b", ""),
    # a note or letters written and left for family, or scheduled to go out (not one saying "i'll be late")
    ("preparation:note", r"\bi (?:have |had )?(?:just |already |finally )?(?:written|wrote|writing|finished|left) (?:a |my |the )?(?:suicide |goodbye |last )?(?:note|notes|letters?)"
     r"\b(?: (?:for|to) (?:my |the |each of my |all my |all of my )?(?:\w+ ){0,2}?" + _KIN + r")?"
     r"(?!.{0,60}\b(?:saying|to say|about|asking|reminding|to remind|to let (?:\w+ )?know|cover|supply|maternity|paternity|leave|"
     r"holiday|off work|off sick|for (?:the )?(?:milkman|teacher|school|"
     r"landlord|postman|cleaner|babysitter))\b).{0,60}?(?:\b(?:in|under|on|inside) (?:the|my|her|his) (?:kitchen |bedside )?"
     r"(?:drawer|draw|pillow|glovebox|bed|bedside)|\bscheduled\b|\bto send (?:on|at|tomorrow|when)|\bfor when i\b|\bfor after\b|"
     r"\b(?:nobody|no one) knows)", ""),
    # walked into the sea "to end it": an attempt, dated by the time words around it
    ("attempt:past method:drowning", r"i (?:walked|waded|went|swam|jumped) (?:out )?(?:into|in|off) (?:the|a) (?:sea|river|canal|lake|"
     r"loch|reservoir|harbour|pier|bridge) (?:\w+ ){0,3}?to (?:end it|end things|end my life|die|drown|kill myself|not come back)",
     ""),
    # a ligature tried for strength: a rehearsal, which is a plan
    ("plan method:hanging", r"(?:tied|tie|tying|hung|put|tested|testing|practi[sc]\w*|tried) (?:\w+ ){0,4}?(?:belt|rope|cord|cable|"
     r"scarf|noose|ligature|dressing gown cord)\b(?!.{0,60}\b(?:swing|hammock|tree house|treehouse|boat|tow|climb\w*|abseil\w*|"
     r"washing|tent|trailer|load|sled)\b).{0,50}?(?:(?:to see|seeing) how long i (?:can|could) (?:hold on|last|keep it|stay)|(?:to see|seeing) (?:if|whether) (?:it|itd|they|i)(?: would| d| will| could| can)? "
     r"(?:hold\b(?! (?:the|a|our|my|his|her|up|on|them|it))|take my weight|go through with it|do it|actually do it)|take my weight)",
     ""),
    # which floor of a car park or a tower, looked at night after night
    ("preparation:research method:height", r"(?:multi ?storey|car park|tower block|tower|bridge|roof)\b.{0,60}?(?:work out|working "
     r"out|figure out|figuring out|find out|finding out|see|check|checking|pick|picking) which (?:floor|level|side|bit|spot)\b(?! "
     r"(?:has|had|is (?:the )?(?:cheapest|free|open|closed)|for|to park|i parked|my car|the car|we|they|i left))"
     r"(?: (?:is|are) not (?:fenced|covered|watched|locked|gated|railed)| has no (?:fence|railings?|barrier|cameras?))?", ""),
    # a passive wish that an illness or an accident would take them; the family "would cope if i was not around"
    ("ideation:passive", r"(?:wish|hope|hoping|wishing|pray) (?:\w+ ){0,4}?(?:would|will|could) (?:just )?(?:hurry up and )?(?:take "
     r"me|finish me off|get me)\b(?! (?:to|home|out|there|back|a|some|one|in)\b)|(?:would|will|d) (?:all )?(?:cope|manage|be fine|be "
     r"okay|be alright|be better off|get by) (?:\w+ ){0,2}?(?:if|when) i (?:was|were|am) (?:not|never) (?:around|here|there|alive)", ""),
    # a method weighed in the caller's own words: crashing the car, using a gun "on myself"
    ("method:vehicle", r"crash(?:ing)? (?:the|my) (?:car|van|motorbike|bike|lorry|truck)\b(?= (?:into|on|off|at)\b)", ""),
    ("ideation:nonspecific method:firearm", _ARMS + r"\b.{0,80}?(?:thought|thinking|think|thoughts) (?:about|of) using (?:one|it|"
     r"them) on myself|(?:thought|thinking|think|thoughts) (?:about|of) using (?:a |the |my |his )?(?:dads? |grandads? |brothers? )?(?:gun|"
     r"shotgun|rifle|pistol) on "
     r"myself", ""),
    # a caller's own threat in street words, or a weapon taken in to someone who crossed them
    ("threat:others threat:armed", r"i (?:am |will )?(?:\w+ ){0,2}?(?:going to|gonna|will|want to) (?:\w+ ){0,2}?(?:shank|merk|stab) "
     r"(?:him|her|them|that \w+|the \w+)\b", ""),
    ("threat:others threat:armed", _ARMS + r"\b.{0,60}?(?:going to|gonna|will) (?:\w+ ){0,2}?do (?:him|her|them) in\b|do (?:him|her|"
     r"them) in\b.{0,60}?\b" + _ARMS + r"\b", ""),
    ("threat:others threat:armed", r"i (?:am |will |will be |am going to be )?(?:bringing|bring|taking|take) (?:my |his |a |the |me "
     r"|our )?(?:\w+s? )?" + _ARMS
     + r" (?:in|into (?:work|school|college|uni|the \w+))\b(?=.{0,40}\b(?:tomorrow|monday|tuesday|wednesday|thursday|friday|mean it|"
     r"not joking|see|then)\b)", ""),
    ("threat:others threat:plan", r"if (?:that |the |my |this )?(?:\w+ )?(?:says|does|fails|looks|touches|sacks|reports|grasses)\b.{0,40}?"
     r"(?:bringing|bring|taking) (?:something|summat|a \w+|my \w+|my \w+ \w+) (?:in|into) (?:work|school|college|uni|the (?:office|"
     r"site|yard|depot|school))\b", ""),
    # thrown at the caller, held by the throat, bruises that are someone's doing
    ("abuse:ongoing abuse:violence", r"(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|dad|stepdad|mum|ex|son|brother)) "
     r"(?:\w+ )?(?:threw|throws|has thrown|chucked|hurled|lobbed) (?:a |the |his |her |some )?(?:kettle|pan|frying pan|knife|"
     r"plate|glass|bottle|chair|mug|iron|brick|hammer|ashtray|boiling water|hot (?:water|tea|coffee)|bleach|acid)(?: of (?:boiling|hot) "
     r"water)? (?:at|over) (?:me|my (?:head|face|back|legs|arm))", "other"),
    ("abuse:ongoing abuse:violence", r"(?:held|pinned|pushed|grabbed|holds|pins|had|lifted) me (?:\w+ ){0,4}?by (?:my|the) "
     r"(?:throat|neck)", "other"),
    ("abuse:ongoing abuse:violence", r"(?:bruises?|black eye|marks) (?:\w+ ){0,3}(?:are |is |were |was )?(?:from|off) (?:him|her|them|"
     r"my (?:husband|partner|boyfriend|wife|girlfriend|dad|stepdad|mum))\b(?! (?:playing|at|in the|fall\w*|rugby|football))|"
     r"(?:he|she) (?:gave|gives) me (?:the |a |these |this )?(?:bruises?|black eye)", "other"),
    # someone else in danger now: shut in with a blade or not answering, on a roof or a chair with a cord
    ("attempt:in_progress", r"(?:locked|shut|barricaded) (?:herself|himself|themselves) in (?:the|her|his|their) (?:bathroom|room|"
     r"bedroom|toilet|car|garage)\b.{0,80}?(?:cutting|razor|blade|knife|pills|tablets|no answer|not answering|(?:will not|would not) "
     r"(?:answer|open|come out|respond)|(?:two|three|four|few) hours|screaming)", "third"),
    ("attempt:in_progress", r"(?:he|she|they|my \w+|mum|dad) (?:is |are )?(?:stood|standing|sat|sitting|up) on (?:the|a) (?:chair|"
     r"stool|ladder)\b.{0,40}?(?:cable|rope|belt|cord|noose|flex)|(?:he|she|they|my \w+) (?:is |are )?(?:stood|standing|sat|sitting|"
     r"up) on (?:the|a) (?:roof|ledge|edge)\b.{0,60}?(?:called me|will not come down|screaming|police|teachers?)", "third"),
]
EXTRA_RULES += ELEVENTH_RULES

# Twelfth pass (2026-12-07): what holdout20's misses showed (docs/risk.md "Twelfth pass").
TWELFTH_RULES: list[tuple[str, str, str]] = [
    # the engine running and the garage shut, said without "in the garage"
    ("attempt:in_progress method:vehicle_exhaust", r"engines? (?:is |are )?(?:running|on|going)\b.{0,40}?garage (?:doors? )?(?:is |are )?"
     r"(?:shut|closed|down|locked)|garage (?:doors? )?(?:is |are )?(?:shut|closed|down|locked)\b.{0,40}?engines? (?:is |are )?(?:running|"
     r"on|going)", ""),
    # someone else on the tracks, or dragged off screaming, right now
    ("attempt:in_progress location:railway", r"(?:he|she|they|my \w+|brother|sister|son|daughter|dad|mum|mate|friend) (?:is |are |has )?"
     r"(?:sat|sitting|standing|stood|lying|lay|laid) (?:down )?on (?:the )?(?:train |railway )?(?:tracks|track|line|railway line|level "
     r"crossing)\b", "third"),
    ("danger:from_other", r"(?:being|been|getting) (?:dragged|pulled|bundled|forced) into (?:a|the|his|their) (?:car|van)\b.{0,40}?"
     r"(?:scream\w*|help|crying|struggl\w*)", "third"),
    # sexual violence at home, and a blow with a plate or a bottle
    ("abuse:ongoing abuse:violence", r"(?:forces|forced|forcing) (?:himself|herself|themselves) (?:on|onto) me|(?:makes|made|making) me "
     r"(?:have sex|do (?:stuff|things|sexual))\b.{0,30}(?:when|even though|after) i (?:say|said|tell|told|begged)|(?:raped|rapes|"
     r"raping|assaulted|assaults) me\b", "other"),
    ("abuse:ongoing abuse:violence", r"(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|dad|stepdad|mum|ex|son|brother)) "
     r"(?:\w+ )?(?:smashed|broke|cracked|brought down) (?:a |the |his |her )?(?:plate|bottle|glass|chair|mug|pan|lamp|vase) (?:over|on|"
     r"across) my (?:head|face)", "other"),
    # a weapon to be taken into school or work, said with "going to"
    ("threat:others threat:armed", r"i (?:am |will )?(?:going to |gonna )(?:take|bring) (?:my |his |a |the |me |our )?(?:\w+s? )?"
     + _ARMS + r" (?:in|into) (?:work|school|college|uni|the \w+)\b", ""),
    # cut down, found hanging: an attempt
    ("attempt:past method:hanging", r"(?:cut|got|get|getting) me down\b(?=.{0,40}\b(?:rope|belt|cord|noose|hanging|neck)\b)|(?:rope|"
     r"belt|cord|noose)\b.{0,60}?(?:cut|got) me down|found me (?:hanging|with the (?:rope|belt|cord|noose))", ""),
    # working out when nobody is about, or which part of a pier is deepest
    ("preparation:research method:height", r"(?:bridge|car park|multi ?storey|cliffs?|tower|roof|viaduct|flyover|railway|tracks|pier)\b"
     r".{0,60}?(?:work\w* out|figur\w* out|check\w*|watch\w*) (?:when|what time) (?:there is|there are|it is|it gets) (?:nobody|no "
     r"one|quiet|empty|dark)", ""),
    ("preparation:research method:drowning", r"(?:looked up|looking up|checked|checking|googled|googling|found out) (?:\w+ ){0,8}?which "
     r"(?:bit|part|side|end|spot) of (?:the|that) (?:pier|bridge|river|harbour|quay|canal|reservoir|loch|lake) is (?:the )?(?:deepest|"
     r"highest|quietest|fastest)", ""),
    # medicine bought in several shops so nobody notices, or counted up to a hundred
    ("preparation:stockpiling", r"(?:buying|bought|getting|got|picking up|picked up) (?:\w+ ){0,2}?" + MED + r" (?:\w+ ){0,5}?(?:from|in|at) "
     r"(?:different|lots of|loads of|several|a few|all the|various) (?:shops|chemists|pharmacies|supermarkets|places)\b(?=.{0,80}\b"
     r"(?:so (?:they|nobody|no one|the \w+) (?:do not |does not |will not |would not )?(?:notices?|knows?|asks?|suspects?|twigs?|clocks?)|got "
     r"(?:about |like |over |nearly )?(?:a hundred|\d\d+|loads|dozens|hundreds)|stock ?pil\w*|saving them)\b)", ""),
    # affairs closed because they will not be needed, passwords and music left "for when i'm gone"
    ("intent:vague preparation:giving_away", r"(?:cancelled|cancelling|cancel|stopped|stopping|closed|closing) (?:\w+ ){0,16}?no point "
     r"(?:in )?(?:paying|keeping|renewing) (?:for )?(?:\w+ ){0,2}?i (?:will not|wont|am not going to) (?:need|use|be (?:here|around))\b",
     ""),
    ("intent:vague preparation:giving_away", r"(?:written|wrote|writing|left|leaving|sorted|chosen|picked) (?:\w+ ){0,4}?(?:passwords?|pin "
     r"numbers?|bank details|funeral music|funeral songs?|hymns?)\b.{0,40}?for when i am (?:gone|not here|not around|dead)", ""),
    # a pet handed on "for good", when nothing else explains it
    ("intent:vague preparation:giving_away", r"(?:sorted|arranged|rehomed|re homed|given|gave|giving) (?:\w+ ){0,3}?(?:the |my |our )?"
     r"(?:cat|dog|pets?|rabbit|budgie|parrot|hamster|horse)\b(?!.{0,80}\b(?:allerg\w*|baby|new job|moving|landlord|flat|house|hours|"
     r"shifts|because|cos|as|since)\b)(?: \w+){0,8}? for good\b", ""),
    # the note drafted
    ("preparation:note", r"what i (?:will|am going to|would|should) (?:write|say|put) in (?:the|my) note|drafts? (?:of|for) (?:the|my) "
     r"note|\bthe note\b.{0,40}\bdrafts?\b", ""),
    # someone else with pills, then shut in
    ("attempt:in_progress", r"(?:pills|tablets|razor|blade|knife)\b.{0,60}?(?:locked|shut|barricaded) (?:herself|himself|themselves) "
     r"in (?:the|her|his|their) (?:bathroom|room|bedroom|toilet|car|garage)", "third"),
]
EXTRA_RULES += TWELFTH_RULES

# Thirteenth pass (2026-12-08): families the blind pair holdout22 showed at first contact (docs/risk.md "Thirteenth pass").
# a time picked for when nobody will be there to stop it ("once the kids are at their dads", "after everyone is asleep")
_ALONE_TIME = (r"(?:when|once|after|while) (?:everyone|everybody|the (?:kids|house|others)|they|she|he|my (?:\w+ )?(?:wife|husband|"
               r"partner|mum|mam|mom|dad|kids|family|parents|flatmates?|housemates?|roommates?|girlfriend|boyfriend)) (?:is|are|has|"
               r"have|goes|go|has gone|have gone|gets|get|falls|fall)? ?(?:asleep|in bed|to bed|to sleep|out|away|at (?:work|school|"
               r"their \w+|her \w+|his \w+|the \w+)|at her|at his|at their|on nights|on holiday)\b")
# A move, a trip, a birthday or a reason told to people and then denied ("told them im going travelling but im not"): a
# secret kept (the rule below), and no ordinary purpose (risk/__init__.py: not a life event, not bare vague intent)
COVER_DENIED = (r"\b(?:told|telling|tell|saying|said to) (?:\w+ ){0,3}?(?:that )?(?:it is|they are|i am|it was|they were|there is)\b"
                r".{0,50}?\b(?:but )?(?:(?:it is|they are|i am|it was|they were) not (?:really|true|going|moving)|(?:that is|thats) "
                r"not (?:why|true|it)|but i am not|but there is no|there is no (?:move|trip|holiday))\b")
# something to stand on, taken somewhere a rope could hang, and the chores that explain it instead
_STEP_UP = r"(?:put|left|set up|taken|took|carried) (?:a |the |my )?(?:stool|step ?ladder|ladder|crate)\b"
_CHORE = (r"\b(?:paint\w*|fix\w*|clean\w*|gutter\w*|prun\w*|apples?|cat|kitten|decorat\w*|christmas|lights|birds?|treehouse|"
          r"tree house|storage|boxes)\b")
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|this weekend|the weekend)"
THIRTEENTH_RULES: list[tuple[str, str, str]] = [
    # "it", or a height, timed for when nobody is there, or decided on: a plan ("i'll do my homework when mum goes to bed"
    # names its act and is not read)
    ("intent:vague plan", r"(?:going to|gonna|will|am) (?:do it|doing it|go through with it|end it|end things)\b(?=(?: \w+){0,3}? " + _ALONE_TIME + ")",
     ""),
    ("plan", r"(?:decided|made my mind up|made up my mind|it is decided)\b(?=.{0,60}?" + _ALONE_TIME + ")", ""),
    ("plan method:height", r"(?:decided|made my mind up|made up my mind|i have got it (?:all )?planned)\b.{0,40}?(?:going|go|head|"
     r"heading|walk|walking|drive|driving) (?:up |down |out )?to (?:the )?(?:cliffs?|bridge|viaduct|multi ?storey|car park roof|"
     r"tower|quarry|tracks|railway)\b(?!.{0,60}\b(?:walk|walking|dog|picnic|photos?|pictures?|view|sunset|sunrise|run|cycle|"
     r"bike|fish\w*|birds?|paint\w*|climb\w*|with (?:the|my|our) (?:kids|family|friends|mates|son|daughter|wife|husband)))", ""),
    # the place picked and the day set ("picked the spot up the forest, i'm going sunday")
    ("plan", r"(?:picked|chosen|found|sorted) (?:the|a|my) (?:spot|place)\b(?! (?:for|where we|to (?:park|camp|fish|pitch|eat|meet|"
     r"sit)))(?: \w+){0,6}? i am (?:going|doing it|going to do it)(?: on)? " + _WEEKDAY, ""),
    # self-harm again tonight, planned, or waited for when the house is asleep
    ("intent:self_harm time:tonight", r"i (?:will|am going to|am gonna) cut\b(?! (?:the|it|a|an|some|my hair|his|her|down|back|"
     r"up|out|off|in|through|across|them|you|him|costs|ties|corners|class|school))(?=(?: \w+){0,2}? " + _ALONE_TIME + ")", ""),
    ("intent:self_harm", r"(?:been (?:good|clean|doing (?:so )?well|ok|okay|strong)|(?:months|weeks|days) clean|clean for)\b"
     r"(?!.{0,80}\b(?:drink\w*|drunk|booze|using|drugs?|gear|smok\w*|vap\w*|gambl\w*|bet\w*|weed|coke|pills)\b).{0,60}?(?:going "
     r"to|gonna|will) (?:do it|cut|hurt myself|start) again\b", ""),
    # letters written to family and left where they will be found in the morning
    ("preparation:note", r"\bi (?:have |had )?(?:just |already )?(?:written|wrote|writing|finished|left) (?:\w+ )?(?:letters?|notes?|"
     r"cards?) (?:to|for) (?:my |the |each of my |all my )?(?:\w+ )?" + _KIN + r"\b(?!.{0,60}\b(?:saying|to say|about|asking|"
     r"reminding|to remind|birthday|christmas|thank you|thanks|school|teacher|trip|holiday|party)\b).{0,50}?(?:(?:on|under|by) "
     r"(?:the|my) (?:kitchen )?(?:table|mantelpiece|mantel|side|doormat|stairs|kettle)|for the morning|where (?:they|she|he|\w+) "
     r"(?:will|ll) find)", ""),
    # the flat cleaned so nobody finds a mess "after"
    ("intent:vague preparation:giving_away", r"(?:do not|dont|did not) want (?:anyone|anybody|them|my \w+|\w+) (?:finding|to find|"
     r"having to (?:deal with|sort|clean))\b.{0,30}?\bafter(?:wards)?\b(?! (?:the|my|a|work|school|tea|dinner|lunch|this|that|"
     r"their|his|her|we|they|i)\b)", ""),
    # walked into the water and was pulled out: an attempt, dated by the time words around it
    ("attempt:past method:drowning", r"\bi (?:walked|waded|went|swam|jumped) (?:straight |right |out )?(?:into|in|off) (?:the|a) (?:sea|river|"
     r"canal|lake|loch|reservoir|harbour|water)\b(?!.{0,60}\b(?:swim\w*|paddl\w*|cool off|cool down|fetch|(?:my|the|our) dog|ball|kids|surf\w*"
     r"board|wetsuit|cramp|rip|to get|to save|to help|laugh|dare|for fun|mates|friends|bomb\w*|tombston\w*)\b).{0,60}?"
     r"(?:pulled|dragged|got|fished|hauled) me (?:out|back)", ""),
    # a group going to "do him over" or "do him proper": a planned beating
    ("threat:others threat:plan", r"(?:going to|gonna|are going to|will|we will) (?:do|batter|jump) (?:him|her|them) (?:over|in|"
     r"proper|properly|good)\b(?! (?:again|the|a|an|my|at|on)\b)", ""),
    # a threat from someone said to the caller, words a recogniser ran together included ("he said hell slit my throat")
    ("danger:from_other", r"(?:he|she|they|my (?:\w+ )?(?:ex|husband|wife|partner|boyfriend|girlfriend|dad|stepdad|brother|son)) "
     r"(?:said|says|keeps saying|told me|texted|messaged|threatened|swore) (?:that )?(?:(?:he|she|they) (?:will|would|is going "
     r"to|are going to|d|gonna)|hell|shell|theyll|hed|shed) (?:\w+ )?(?:kill|slit|stab|cut|strangle|burn|shoot|bury|smash|"
     r"break) (?:me|us|my (?:throat|neck|face|legs|head|kids))\b", "other"),
    # at a height astride the rail
    ("location:height attempt:in_progress", r"i am (?:sat|sitting|stood|standing|perched) on (?:the|a|my) (?:balcony |bridge |roof )?"
     r"(?:rail|railings?|ledge|parapet)\b.{0,50}?(?:(?:one|a|my|me) legs? over|(?:legs|feet) (?:dangling|hanging) over|"
     r"(?:\w+ )?(?:floor|storey|floors up|storeys up))", ""),
    # someone else swallowed a whole box on purpose and is going under
    ("attempt:in_progress method:medication", r"(?:he|she|they|my \w+|\w+) (?:has |have |had )?(?:swallowed|taken|took|necked|"
     r"downed) (?:a|the) (?:whole|entire|full) (?:box|packet|pack|bottle|strip|tub|jar)\b(?! of " + _FOODS + r")(?=.{0,60}\b(?:on "
     r"purpose|deliberately|to end it|sleepy|drowsy|will not wake|not making sense|slurring)\b)", "third"),
    # a gun got out of the safe and held, on the lap, in the hand (not to clean or for the range)
    ("means:ready method:firearm", r"(?:got|taken|took|getting) (?:my |his |her |the )?(?:\w+ ){0,2}?(?:gun|rifle|shotgun|pistol|revolver) "
     r"out (?:of )?(?:the |his |her |my )?(?:safe|cabinet|cupboard|wardrobe|loft|case|drawer)\b(?!.{0,80}\b(?:clean\w*|oil\w*|"
     r"show\w*|sell\w*|range|season|hunting|shoot (?:clays|rabbits|pigeons)|licen[cs]e|police)\b).{0,40}?(?:on my lap|in my "
     r"(?:hands?|lap|mouth)|next to me|beside me|it is loaded|loaded it)", ""),
    # "i've done it" with a dose or a whole pen taken, and what it is doing now
    ("attempt:in_progress method:medication", r"\bi have (?:just )?(?:gone and )?done it\b.{0,30}?\b(?:taken|swallowed|injected|"
     r"necked|had) (?:all (?:of )?(?:them|those|my \w+|the \w+)|the whole (?:lot|box|packet|pack|bottle|pen)|the lot|every (?:one|"
     r"single one|last one)|(?:the |my |all my |all the )?(?:\w+ )?" + MED + r")\b", ""),
    ("attempt:in_progress method:medication", r"i (?:have |had )?(?:just )?" + INGESTED + r" (?:the \w+ )?(?:" + _COUNT + r")\b"
     r"(?! (?:of " + _FOODS + r"|to|back|round|in|into|for|over|out|down|up)\b).{0,40}?i am (?:starting to|beginning to|going|"
     r"getting) (?:shake|shaky|shaking|drowsy|sleepy|dizzy|woozy|numb|feel (?:funny|weird|strange|sick))", ""),
    # round several chemists buying a medicine so nobody clocks it (the order the twelfth pass's rule does not read)
    ("preparation:stockpiling", r"(?:going|went|gone|been going|been) (?:round|around|to) (?:\w+ )?(?:different|several|lots of|"
     r"loads of|a few|all the|various|two|three|four|five|six) (?:shops|chemists|pharmacies|supermarkets|places)\b.{0,30}?"
     r"(?:buying|getting|to buy|to get) (?:\w+ ){0,2}?" + MED + r"\b(?=.{0,60}\b(?:so (?:they|nobody|no one|the \w+) (?:do not |"
     r"does not |will not |would not )?(?:notice|know|ask|suspect|twig|clock)|stock ?pil\w*|saving them)\b)", ""),
    # a purpose given as cover, then denied ("told the fella it was for the garden, i havent got a garden"): secrecy
    ("intent:decided", r"told (?:\w+ ){0,3}?(?:it|they|them) (?:was|were|is|are) for (?:the |my |a |an )?(\w+)\b.{0,30}?\bi (?:have "
     r"not|do not|have never) (?:even )?(?:got|have|own|had)(?: an?| any| the)? \1\b", ""),
    # --- second round (docs/risk.md "Thirteenth pass", round 2: what holdout23 showed)
    # driving into a quarry, a river, a wall: a method and an intent in one
    ("intent:future method:vehicle", r"(?:going to|gonna|will|want to|wanna|planning to|plan to) (?:drive|crash|steer|put|smash) "
     r"(?:my |the |our )?(?:car |van |truck |motor )?(?:into|off|over) (?:the|a) (?:quarry|river|canal|sea|reservoir|cliffs?|edge|wall|"
     r"tree|lorry|truck|bridge|harbour|lake|loch|embankment|oncoming traffic)\b", ""),
    # "tonight's the night", after weeks of planning it
    ("plan intent:vague time:tonight", r"(?:tonight|today|tomorrow)(?: is|s) the (?:night|day)\b(?!.{0,50}\b(?:propos\w*|ask (?:her|him)|"
     r"party|gig|date|match|game|show|premiere|opening|launch|wedding|exam|results|interview)\b).{0,60}?(?:planning it|planned it|"
     r"thought it (?:all )?through)|(?:planning|planned) (?:it|this) (?:for|since) (?:\w+ )?(?:weeks?|months?|ages|a while|days|"
     r"years?)\b.{0,40}?(?:tonight|today|tomorrow)(?: is|s) the (?:night|day)\b", ""),
    ("plan intent:vague", r"\bit is (?:all )?(?:planned|sorted|set)(?: out| up)? (?:for )?(?:tonight|tomorrow|this weekend|on \w+day|"
     r"\w+day)\b(?!.{0,40}\b(?:party|dinner|date|surprise|wedding|trip|holiday|meal|birthday|do)\b)", ""),
    # visits to a height to check it out, and knowing which bit
    ("preparation:research method:height", _ERRAND + r"(?:been|gone|went|going) (?:to|up to|down to|out to) the (?:bridge|cliffs?|car "
     r"park|multi ?storey|viaduct|tracks|railway|tower|roof|quarry)\b(?: \w+){0,4}? to (?:check it out|look|have a look|suss it "
     r"out|scope it out|check)\b|i know (?:which|what) (?:bit|part|side|spot|floor|level)\b.{0,20}?(?:i am going back|going "
     r"back|i will go back)", ""),
    # threats with the target's whereabouts found out ("found out where he lives ... hes gonna pay")
    ("threat:others threat:plan", r"(?:found out|worked out|figured out|know|knows) (?:where|when|what time|which way) (?:he|she|"
     r"they|the \w+) (?:lives?|walks? home|walks?|goes|go|works?|parks?|finishes|leaves?)\b.{0,40}?(?:he|she|they) (?:is |are )?"
     r"(?:gonna|going to) (?:pay|get it|regret it)\b", ""),
    ("threat:others threat:plan", r"(?:hurting|hurt|batter\w*|stab\w*|get(?:ting)? back at|do(?:ing)? in|jump\w*) (?:him|her|them|the "
     r"\w+|those \w+)\b.{0,60}?(?:worked out|found out|figured out|know) (?:where|when|what time|which way) (?:he|she|they) "
     r"(?:lives?|walks? home|walk|walks|goes|go|works?|parks?|finishes|leaves?)\b", ""),
    # a child already being hurt by the caller
    ("threat:others threat:plan", r"i (?:have been|keep|kept|have|am) (?:squeezing|shaking|hitting|pinching|smacking|hurting) "
     r"(?:him|her|the baby|my (?:baby |little )?(?:brother|sister|son|daughter|baby|boy|girl))\b(?: \w+){0,2}? (?:too hard|so "
     r"hard|really hard|hard|when (?:he|she) cries)", ""),
    # violence that left a mark, from someone at home
    ("abuse:ongoing abuse:violence", r"(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|dad|stepdad|mum|ex|brother|son)) "
     r"(?:\w+ )?(?:split|burst|busted|cut) my (?:lip|eyebrow|head)\b|(?:he|she|they|my (?:husband|wife|partner|boyfriend|"
     r"girlfriend|dad|stepdad|mum|ex|brother|son)) (?:\w+ )?(?:gave|has given|given) me (?:a )?(?:black eye|fat lip|"
     r"concussion)\b(?!.{0,50}\b(?:playing|rugby|football|boxing|sparring|accident|by accident|when we were|years ago)\b)", "other"),
    # accounts deleted and a goodbye posted; a reason given to people and then denied ("saying its cause im skint but
    # thats not why")
    ("preparation:note", r"deleted (?:all )?(?:of )?my (?:accounts|socials|social media|profiles?|instagram|facebook|tiktok|snap"
     r"(?:chat)?)\b.{0,40}?goodbye (?:story|stories|post|posts|status|video|message)", ""),
    ("intent:decided", r"(?:saying|telling (?:people|them|everyone|\w+)|told (?:people|them|everyone|\w+)) (?:it is|that it is|that "
     r"i am|i am) (?:\w+ ){0,2}?(?:cause|because|cos)\b.{0,40}?(?:not why|not the reason|that is not (?:why|it|true)|is not true)",
     ""),
    # passwords or affairs handed on "so he can deal with my stuff after"
    ("intent:vague preparation:giving_away", r"(?:deal with|sort out|sort|handle|look after|take care of) (?:all )?my (?:stuff|things|"
     r"affairs|accounts|bits|pets?|cat|dog)\b(?: \w+){0,2}? after(?:wards)?\b(?! (?:the|my|a|work|school|this|that|i|christmas|"
     r"surgery|the op|my op)\b)", ""),
    # rehearsing the knot "just to see if i can"
    ("plan method:hanging", r"practi[sc]\w* (?:\w+ ){0,2}?(?:tying|the knot|knots?)\b(?!.{0,50}\b(?:scouts?|sailing|boat|climbing|"
     r"ties?|shoelaces?|laces|fishing|hair|bow|bows|ribbon|macrame)\b).{0,20}?(?:to see if i (?:can|could)|just in case)", ""),
    # thanks said "before i go", the mind made up
    ("intent:vague intent:decided", r"(?:made up my mind|made my mind up|i have decided)\b(?=.{0,60}\b(?:say|saying) (?:thanks|thank "
     r"you|goodbye|bye|sorry)\b(?: \w+){0,4}? before i go\b)|(?<=before i go )i have (?:made up my mind|made my mind up|"
     r"decided)\b", ""),
    # a stool or a ladder taken to the woods, a tree or a beam
    ("preparation:acquired method:hanging", r"(?:woods|tree|beam|loft|garage)\b.{0,80}?" + _STEP_UP + r"(?!.{0,40}" + _CHORE + r")|"
     + _STEP_UP + r"(?!.{0,60}" + _CHORE + r")(?: \w+){0,3}? (?:in|into|under|by|out to|up to) (?:the|a) (?:woods|tree|beam|loft|"
     r"garage)\b", ""),
    # an attempt said as "i tried ... with pills", dated
    ("attempt:past", r"\bi tried(?: (?:a few|two|three|four|couple of|a couple of|\w+) (?:days?|weeks?|months?|years?) (?:back|ago)| "
     r"last (?:week|month|year|night|\w+day)) (?:with|using) (?:the |my |some |a )?(?:pills|tablets|meds|medication|paracetamol|"
     r"rope|belt|cord|knife|car|exhaust|bleach|insulin)\b", ""),
    # a baby or a child not breathing, said with "the" ("the baby's not breathing")
    ("medical:emergency", r"\b(?:the|my|our|his|her|their) (?:\w+ )?(?:baby|child|kid|toddler|little one|newborn|boy|girl) (?:is not|"
     r"has stopped|stopped|is barely|can not|cannot) (?:breathing|breathe)\b", "other"),
    # a rope up and ready (not for the washing, a swing or the gym)
    ("means:ready method:hanging", r"\bthe (?:rope|noose|belt|cord) is (?:up|tied up|hung up|hanging up|ready|in place)\b(?!.{0,40}"
     r"\b(?:washing|swing|hammock|tent|boat|climb\w*|gym|punch ?bag|lights|decorations?|bunting|pe|class)\b)", ""),
    # self-harm waited for when the house is empty, or the blades bought for it
    ("intent:self_harm time:tonight", r"(?:want to|wanna|going to|gonna|will) (?:burn|cut|hurt) myself\b(?=.{0,60}?" + _ALONE_TIME
     + r")|(?:gonna|going to|will) do it\b.{0,60}?(?:bought|got|picked up) (?:some |new |fresh )?(?:blades|razors?|razor blades)"
     r"\b(?!.{0,40}\b(?:shav\w*|beard|legs|face)\b)", ""),
    # --- third round (docs/risk.md "Thirteenth pass", round 3: what holdout24 showed)
    # on a wall or at the edge of a high place, legs over the side, at the very edge
    ("location:height attempt:in_progress", _ERRAND + r"(?:i am|im) (?:sat|sitting|stood|standing|perched) on (?:the|a) (?:wall|"
     r"ledge|edge|rail|railings?|parapet)\b.{0,30}?(?:legs|feet) (?:dangling |hanging )?over (?:the )?(?:side|edge|drop)|"
     + _ERRAND + _LEDGE_PLACE + r"\b.{0,60}?(?:sat|sitting) on the (?:wall|ledge|edge)\b.{0,30}?(?:legs|feet) (?:dangling |hanging )?"
     r"over", ""),
    ("location:height method:height", _ERRAND + r"i am (?:\w+ ){0,3}?(?:at|on|up) (?:the )?" + _LEDGE_PLACE + r"\b(?: \w+){0,4}? (?:right |"
     r"really )?(?:at|on) the (?:very )?edge\b", ""),
    # pills in hand with a drink to wash them down; a child into the tablets
    ("means:ready method:medication", r"(?:pint|drink|vodka|water|bottle|can|wine|whisky|beer)\b.{0,20}?to wash (?:them|it|the \w+) "
     r"down", ""),
    ("medical:emergency", r"(?:my|our|the) (?:little |baby |toddler |youngest )?(?:\w+ )?(?:boy|girl|son|daughter|toddler|baby|kid|one|"
     r"grandson|granddaughter)s? (?:has |is |s )?(?:got into|eaten|been at) (?:my|the|his|her|some|all|all my|all the) (?:\w+ )?(?:tablets|pills|meds|medicine|"
     r"capsules)\b", "other"),
    # at speed looking for something to hit; walking into the water now
    ("attempt:in_progress method:vehicle", r"looking for (?:a|the) (?:bridge pillar|pillar|wall|tree|lorry|bridge support|central "
     r"reservation)\b(?=.{0,60}\b(?:not stopping|not going to stop|foot down|flat out|a hundred|ninety|miles an hour|mph)\b)|(?:a "
     r"hundred|ninety|\d\d\d?) (?:and \w+ )?(?:miles an hour |mph )?on the (?:motorway|m\d+|road)\b.{0,40}?looking for (?:a|the) "
     r"(?:bridge|pillar|wall|tree|lorry)", ""),
    ("attempt:in_progress method:drowning", r"(?:walking|wading|going|walked|waded) (?:in|into|out into)\b(?: (?:the )?(?:water|river|"
     r"sea|lake|loch|canal))?.{0,30}?(?:up to my (?:knees|waist|chest|neck|thighs)|it is up to my)", ""),
    # a hot thing held to the skin now
    ("self_harm:current self_harm:in_progress", r"(?:holding|pressing|pressed|put|putting|held) (?:the |a |my )?(?:lighter|iron|"
     r"straighteners|cigarette|fag|lit \w+|hot \w+|blade|razor|knife) (?:on|to|against|into) my (?:arm|arms|leg|legs|wrist|wrists|"
     r"skin|thigh|thighs|hand|stomach)\b(?=.{0,50}\b(?:right now|as we speak|blister\w*|bleed\w*|again|now)\b)", ""),
    # a third shop so they don't ask; enough got together now
    ("preparation:stockpiling", r"(?:second|third|fourth|fifth|another) (?:shop|chemist|pharmacy|supermarket)\b.{0,30}?so (?:they|"
     r"nobody|no one|the \w+) (?:do not |does not |will not |would not )?(?:ask|asks|notice|notices|clock|clocks|twig|suspect)", ""),
    ("preparation:stockpiling", r"(?:taking|took|been taking|saving|saved|stashing|hiding) (?:\w+ ){0,6}?(?:home|aside|away|up)\b.{0,40}?"
     r"i have got enough (?:now|saved|to do it|stored)", ""),
    # watching the trains to work out the times, and a day named
    ("preparation:research method:railway", r"(?:watching|timing|checking|clocking) (?:the )?(?:fast |express |through |non stop )?"
     r"trains\b.{0,40}?(?:working out|timing|checking|noting|writing down) (?:the )?(?:times|timetable|gaps)", ""),
    ("intent:vague", r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)(?: is|s) the day\b(?!.{0,40}\b(?:we|move|"
     r"moving|wedding|party|interview|exam|results|match|game|gig|date|funeral|operation|op|appointment|notice|handing|quit\w*|"
     r"resign\w*|job|start\w*|tell|telling|ask|asking)\b)", ""),
    # looking at the means "longer than i should": a method thought
    ("ideation:passive", r"(?:look|looking|stare|staring) at (?:it|them|the \w+) (?:for )?(?:a bit |a lot )?(?:longer than i should|too "
     r"long|for ages)\b", ""),
    # a hotel room booked with everything needed; a crash on purpose
    ("plan", r"booked (?:a|the) (?:hotel|b and b|airbnb|travelodge|premier inn)(?: room)?\b(?! (?:for|near) (?:the|a|my|our|his|"
     r"her) (?:wedding|party|holiday|trip|conference|night out|weekend|gig|match|concert|graduation|interview|course|hen|stag))"
     r".{0,40}?(?:got everything i need|everything "
     r"is ready|got it all)", ""),
    ("attempt:past method:vehicle", r"(?:drove|crashed|steered|swerved|aimed) (?:my |the )?(?:car |van )?(?:in|into|off|at) (?:a|the) "
     r"\w+(?: \w+)?\b.{0,20}?on purpose", ""),
    # a baby shaken, or nearly, when she would not stop crying
    ("threat:others threat:plan", r"(?:crying|screaming|cries|will not stop|wont stop)\b.{0,80}?(?:i (?:shook|nearly shook|almost shook|"
     r"squeezed|smacked|hit)|(?:close|near) to (?:shaking|hurting|smothering)) (?:her|him|the baby)\b", "other"),
    # "i told them i fell but it was him"; knocked down the stairs; grabs me by the neck; "next time hell finish the job"
    ("abuse:ongoing abuse:violence", r"told (?:them|the \w+|everyone|\w+) (?:that )?i (?:fell|walked into|tripped|slipped)\b.{0,30}?"
     r"(?:but )?it was (?:him|her|my \w+)\b", "other"),
    ("abuse:ongoing abuse:violence", r"(?:he|she|they|my (?:\w+ )?(?:husband|wife|partner|boyfriend|girlfriend|dad|stepdad|mum|ex|"
     r"brother|son)) (?:\w+ ){0,2}?(?:knocked|pushed|threw|shoved|kicked) me (?:down|off|into|against|across) (?:the )?(?:stairs|"
     r"wall|floor|table|door|kitchen)\b", "other"),
    ("abuse:ongoing abuse:violence", r"(?:grabs|grabbed|grabbing|holds|held|pins|pinned) me (?:up )?by the (?:neck|throat)", "other"),
    ("danger:from_other", r"(?:next time|one day|when he gets out|when she gets out) (?:he|she|they|hell|shell|theyll) (?:will |is going "
     r"to |is gonna )?finish (?:the job|me off|what (?:he|she|they) started)", "other"),
    ("danger:from_other", r"(?:he|she|they|my (?:\w+ )?(?:ex|husband|wife|partner|boyfriend|girlfriend|dad|stepdad)) (?:said|says|"
     r"told me|swore)\b.{0,30}?(?:hed|shed|he would|she would|he will|she will|hell|shell) (?:\w+ ){0,3}?(?:and )?kill me\b", "other"),
    # someone else's goodbye posted and no answer now
    ("intent:vague time:now", r"(?:saying|said|posted|put) (?:see you all|goodbye (?:everyone|all)|bye (?:everyone|all))\b.{0,40}?"
     r"(?:can not|cannot|cant|could not) (?:reach|get hold of|get through to) (?:him|her|them)", "third"),
    # affairs left tidy "for him after"; passwords written down; means kept "for when im ready"
    ("intent:vague preparation:giving_away", r"(?:all )?(?:tidy|sorted|in order|easy|straight) for (?:him|her|them|my \w+|the \w+) "
     r"after(?:wards)?\b(?! (?:the|my|a|work|school|this|that|i|christmas|surgery)\b)|(?:so|for) (?:my \w+|she|he|they|them) (?:can|"
     r"could|will be able to) (?:\w+ ){0,3}?(?:everything|my (?:stuff|things|affairs|accounts|money))\b(?: \w+){0,2}? after"
     r"(?:wards)?\b(?! (?:the|my|a|work|school|this|that|i|christmas|surgery|the op|my op)\b)", ""),
    ("preparation:giving_away", r"(?:written|wrote|writing|write) (?:down )?(?:all )?(?:the |my )?passwords\b|(?:written|wrote|writing) "
     r"(?:it all|everything|all the \w+) down (?:for (?:my \w+|her|him|them) )?so (?:she|he|they) (?:knows?|can find)", ""),
    ("means:access intent:vague", r"(?:rope|noose|hose|hosepipe|pills|tablets|gun|knife|blades?)\b.{0,50}?(?:there|ready|waiting|"
     r"put by|put away) for when i am ready\b", ""),
    ("intent:future", r"(?:kill myself|end it|end my life|end things|do it) and i am (?:going to|gonna)\b", ""),
    # a cover story told to someone and then denied ("told her theyre for their eighteenth birthdays, theyre not really")
    ("intent:decided", COVER_DENIED, "other"),
    # burning or cutting "as we speak", the tool named between
    ("self_harm:current self_harm:in_progress", r"(?:cutting|burning|slicing|scratching|carving) (?:myself|my (?:arms?|legs?|"
     r"wrists?|thighs?|skin))(?: \w+){0,5}? (?:right now|as we speak)", ""),
]
EXTRA_RULES += THIRTEENTH_RULES

# Signs of a medical emergency, counted (risk/__init__.py ``_medical_signs``): one strong sign, or three different
# weaker ones together, is an emergency now; panic, exams, a hangover or the past explain them otherwise.
MED_STRONG = (r"(?:bleeding (?:right |straight )?through (?:the |my |a |\w+ )?(?:pads?|towels?|bandages?|dressing|clothes)|(?:can not|cannot|could not|struggling to) wake (?:him|her|them|my \w+|the baby)|(?:he|she|they|the baby) (?:is not|"
              r"will not|won t|wont) (?:wake up|waking up)|(?:not|is not) waking up properly|hard to wake|(?:lips|face|fingers) (?:are |is |have |has |look |looks |looking )?(?:gone |going |turned |turning )?(?:blue|"
              r"grey)|seeing double|(?:coughing|bringing|throwing|coming) up blood|blood (?:is )?coming up|(?:can|could) see (?:the )?bone|"
              r"can not feel my (?:legs|arms|feet|left|right)|(?:rash|spots) (?:that )?(?:does not|do not|will not|won t) (?:go|fade)|"
              r"snoring noise|(?:tongue|lips|throat|face) (?:feels |is |are |has gone |have gone )?(?:massive|huge|swollen|swelling|"
              r"closing|blown up)|elephant (?:sat|sitting|is sitting) on (?:my|his|her) chest|not making (?:any )?sense|(?:can not|"
              r"cannot) (?:talk|speak) in (?:full )?sentences|(?:really |so )?floppy|meter (?:says|reads|is) (?:one|two|1|2)\b|"
              r"(?:breathing|breath) (?:feels |is |has gone )?(?:slow|shallow|funny|weird|rattly)|hands are shaking too much)")
MED_WEAK = (r"(?:breathless|swelling|swollen|confused|muddled|sweaty|sweating|clammy|shaky|shaking|dizzy|pale|faint|fainted|passed out|been sick|being sick|"
            r"vomiting|sleepy|drowsy|cold and blotchy|blotchy|burning up|pounding|racing|slurr\w*|droopy|can not think straight|"
            r"can not catch my breath|sharp pain|talking (nonsense|gibberish|rubbish)|grunting)")
# a condition that makes two weaker signs enough ("type one ... sweaty and confused", "had a baby ... faint")
MED_CONTEXT = (r"\b(?:diabetic|diabetes|type one|type 1|insulin|hypo|sugars?|asthma|asthmatic|allergic|allergy|epipen|pregnant|"
               r"had (?:a|the|my) baby|gave birth|c section|surgery|operation|out of hospital|wound|stitches|epilepsy|epileptic|"
               r"heart condition|chemo|dialysis|(hit|banged|bashed|smacked|cracked) (his|her|their|my) head|head injury|knocked "
               r"(out|himself out|herself out))\b")
MED_EXPLAINED = (r"\b(?:panic|anxiety|anxious|nervous|nerves|exam|exams|interview|hangover|hungover|gym|workout|run|running|"
                 r"sauna|film|drama|programme|show|telly|tv|if i ever|last (?:year|summer|winter|month|week)|years ago|used to)\b")

# Whole-utterance purposes that make a means or a dose ordinary (hunting, a pill organiser, safe dosing, a pet).
BENIGN_USE = (
    r"\bfor (?:hunting|the hunting season|hunting season|deer season|target practice|the range|the shooting range|"
    r"clay pigeons?|camping|the tent|climbing|the garden|gardening|my job|the farm|fishing|cooking|the kitchen|decorating|"
    r"diy|a project|self defen[cs]e|the allotment)\b|to warm (?:it|the car|the engine) up|defrost|"
    r"\b(?:hunting|deer|duck|pheasant|grouse|shooting|rabbit|fox) season\b|\bwhen (?:the )?season (?:opens|starts)\b|"
    r"\b(?:locked|lock) (?:up |away )?in (?:the|a|my) (?:cabinet|gun cabinet|safe|gun safe)\b|\bgun (?:safe|cabinet|licen[cs]e)\b|"
    r"\btrigger locks?\b|\b(?:cos|cause|because|since|for) (?:i get|of|of my|my) (?:\w+ )?(?:migraines?|headaches?|back pain|"
    r"period pains?|arthritis|bad back|cramps|toothache|hay ?fever)\b|"
    r"\b(?:weekly |pill |dosette )?(?:organi[sz]er|dosette|pill box|"
    r"blister packs?)\b|\b(?:vitamins?|multivitamins?|supplements?|probiotics?)\b|so i (?:do not|will not) forget|(?:to be|stay|keep (?:\w+ )?|being) safe\b|\bsafely\b|"
    r"\b(?:can|should|do|could) i (?:safely )?(?:take|give|have)\b|"
    # a knife for the cooking, a hose for the car wash
    r"\bfor (?:the )?(?:foxes|rabbits|vermin|pests|crows|pigeons|rats|deer)\b|"
    r"\b(?:chopping|dicing|peeling|slicing) (?:up )?(?:the |some )?(?:onions?|veg|vegetables|carrots?|potatoes|spuds|garlic|meat|"
    r"chicken|apples?|bread)\b|\bfor the (?:soup|stew|curry|roast|salad)\b|\bto clean (?:it|them|the (?:gun|rifle|shotgun|barrel))\b|\bcar wash\w*|\bwash(?:ing)? (?:the|my|his|her|"
    r"people s) cars?\b|\bvalet\w*|\b(?:in|per) (?:a )?day\b|\bfor (?:a|my|the|our) "
    r"(?:cat|dog|kid|kids|child|children|baby|toddler|son|daughter|pet|puppy|kitten|dad|mum|mom|nan|gran|grandad|grandma|"
    r"grandpa|mother|father)\b|\bmy (?:cat|dog|puppy|kitten) "
    r"(?:ate|licked|swallowed|got into|chewed)|\bthe (?:label|leaflet|instructions|box) (?:says|said|is)\b"
)

# Compliance and ordinary use: "took all my meds this morning like i am supposed to", "two for my headache".
IDIOMS_EXTRA = (
    # pushed in the pool on holiday, laughing: horseplay
    r"(?:pushed|threw|chucked|shoved) (?:me|him|her|us) (?:in|into) the (?:pool|sea|water|lake|river|snow|sand|paddling pool)\b"
    r"(?=.{0,80}\b(?:laugh\w*|holiday|joke|photo|fun|mucking|messing|party)\b)|"
    # a dream of falling is a dream ("i keep dreaming im falling off a cliff")
    r"(?:dream|dreams|dreaming|dreamt|dreamed|nightmares?) (?:\w+ ){0,4}?(?:falling|fall|fell) (?:off|from|down)(?: \w+){0,3}|"
    # the pharmacist counting out a prescription is dispensing, not a stockpile (first: "the pharmacist" below would
    # take the words before this can)
    r"(?:the )?(?:pharmacist|chemist|nurse|doctor|gp|carer|girl|lady|man) (?:\w+ ){0,3}?(?:counted|counts|counting) (?:out )?"
    r"(?:the |my |all the |all my )?(?:\w+ )?(?:tablets|pills|meds|capsules)|"
    r"(?:rather|sooner) (?:die|be dead) than (?!(?:keep|live|living|carry on|carrying on|go on|going on|keep going|keep living|feel|"
    r"feeling|be alive|being alive|wake up|face|exist|be here|be like this|spend my life|go back to him|go back to her))\w+|"
    r"(?:(?:took|take|taken|had|have) all (?:of )?(?:my|the) (?:meds|medication|medications|tablets|pills) (?:this morning|"
    r"on time|like i (?:am|was) (?:supposed|meant) to|as (?:prescribed|usual)|every (?:day|morning|night)))|"
    r"(?:meds|pills|tablets|paracetamol|ibuprofen) (?:\w+ ){0,3}for (?:my|the|a|this) (?:headache|cold|flu|back|"
    r"period|pain|tooth|teeth|hay fever|migraine|blood pressure|cough|temperature|fever)|"
    r"(?:save|saving|saved) (?:up )?(?:for|money)|prescribed|the pharmacist|the chemist|pharmacy|"
    # handing means back is a safety step, not an attempt ("took the box of old tablets back to the chemist")
    r"(?:took|take|taking|taken|handed|hand|handing|dropped|drop) (?:\w+ ){0,6}(?:back to|in to|into|over to) (?:the )?(?:chemist|"
    r"pharmacy|pharmacist|doctor|gp|surgery|police|station)|"
    # "she's gonna kill me if she finds out": a telling-off, not a threat
    r"(?:going to|gonna|will|would|is going to) (?:actually |literally )?kill me (?:if|when) (?:\w+ ){0,3}(?:finds?|found) out|"
    r"(?:going to|gonna|will|would|d|is going to) (?:actually |literally )?(?:kill|murder|strangle|throttle|slaughter) me (?:if|when) i "
    r"(?:\w+ ){0,2}?(?:spoil\w*|eat|ate|touch\w*|forget|forgot|miss|am late|break|broke|use|used|wear|wore|tell|told|drink|drank|"
    r"finish\w*|lose|lost|scratch\w*|dent\w*|burn|burnt)\b|"
    r"(?:finds?|found) out\b.{0,50}(?:going to|gonna|will|would) (?:actually |literally )?kill me|"
    # "my mate dragged me out to the pub", "dragged me up on the karaoke": coaxed, not hurt
    r"(?:dragged|dragging|drags|pulled) me (?:along|out|up|round) (?:to|on|onto|for|with)"
)
