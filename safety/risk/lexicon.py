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
INGESTED = (r"(?:took|taken|swallowed|downed|necked|popped|chugged|drank|drunk|had|gulped|scoffed|ate|eaten|"
            r"knocked back|washed down|gobbled|snorted|injected|overdosed on|done|smashed)")
QUANT = (r"(?:every (?:one|single one|last one) of|every single|every|all(?: of)?|the (?:whole|entire|full) "
         r"(?:bottle|pack|packet|box|lot|strip|sheet|blister|tub|jar|script|prescription|supply|month supply)(?: of)?|"
         r"(?:a|my|me) (?:whole|full|entire) (?:bottle|pack|packet|box|strip|sheet|blister|tub|jar|script|"
         r"prescription|supply|month supply|load|bunch|handful)(?: of)?|the lot of|the rest of|half (?:a|the) "
         r"(?:bottle|pack|packet|box|strip|jar|tub)(?: of)?|(?:a |the |another |two |three )?(?:bottles?|packs?|"
         r"packets?|boxes|box|strips?|sheets?|tubs?|jars?) of|(?:a |another )?(?:load|bunch|handful|heap|stack|"
         r"pile|ton|fistful|shit ?load|lot)s? of|loads of|heaps of|dozens of|hundreds of|way too many|too many|"
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
PLACE = (r"(?:bridge|overpass|flyover|viaduct|roof|rooftop|ledge|cliff|cliffs|cliff edge|edge|railing|railings|"
         r"parapet|balcony|platform|train tracks|tracks|railway line|railway|train line|car park|multi ?storey|"
         r"parking garage|tower|top floor|window ledge|pier|dam|quarry|motorway)")
AT_SELF = (r"(?:i am|am|i have been|i am stood|i am sat|i am standing|i am sitting|sitting|standing|stood|sat|"
           r"perched|i climbed|climbed|up|here|i am here|i am right)")
FINAL = (r"(?:this is it|i am done|it is time|time to go|the time has come|goodbye|bye everyone|no (?:going|turning) "
         r"back|(?:going to|about to|gonna|will|ready to|so i can|want to) (?:just )?(?:jump|step off|step out|"
         r"let go|go over|fall|do it|end it|go)|legs over|over the (?:side|edge|railing)|looking down|"
         r"i can (?:hear|see) (?:it|one|the train|a train) coming|(?:train|one) is coming|wrong side of)")
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
    ("plan", r"(?:picked|chosen|chose|found) (?:the|a|my) (?:spot|place|location|" + PLACE[3:-1] + r") (?:\w+ ){0,3}"
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
    ("location:height intent:vague", AT_SELF + r" (?:up |out |right )?(?:on|at|onto|over|by) (?:the |a |this |that |my )?"
     r"(?:top of |edge of |side of |end of )?(?:the |a |this |my )?" + GAP3 + PLACE + r"\b.{0,80}?" + FINAL, ""),
    ("location:height", r"(?:sittin|sitting|sat|standing|stood|perched) on (?:the |a )?(?:ledge|edge|railing|parapet)"
     r" (?:of )?(?:the |a )?" + PLACE, ""),
    ("attempt:in_progress method:drowning", r"(?:walked|waded|went|walking|wading|swam|swimming) (?:out )?into the "
     r"(?:sea|ocean|river|lake|water|waves|loch)\b.{0,40}?(?:up to my (?:chest|neck|chin|shoulders)|can not|not "
     r"coming back|keep going)", ""),
    # decisiveness and finality (vague on its own; with any other risk signal it is intent)
    ("intent:vague", r"(?:my )?mind is made up|(?:i have |i )?made up my mind|no (?:going|turning) back|it is settled|"
     r"(?:it is|everything is) (?:all )?(?:planned|sorted|arranged|worked out|organi[sz]ed)(?: for \w+)?(?: \||$)|"
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
    ("ideation:passive", r"(?:would|will|could|might) (?:all )?(?:\w+ ){0,2}(?:fine|better|okay|happier|easier) without me|"
     r"(?:if|hope|wish|pray) (?:a|the|some) (?:bus|car|truck|lorry|train) (?:would |will )?(?:hit|hits|ran over|"
     r"runs over|run over) me|(?:just )?waiting to die|if i (?:did not|do not|never|would not) wake up|"
     r"(?:easier|better) (?:for everyone )?if i (?:just )?(?:was|were) (?:not|no longer) (?:around|here|alive)|"
     r"(?:easier|better) (?:for everyone )?if i (?:just )?(?:was|were gone|died|disappeared)|"
     r"(?:lord|god|jesus) (?:would |will |to )?(?:take|takes|took|call|calls) me|"
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
     r" (?:that )?(?:\w+ ){0,3}(?:" + VIOLENT + r")\w* " + GAP6 + r"(?:me|us|my (?:kids|children|son|daughter))\b", "other"),
    ("danger:from_other", OTHER + r" (?:strangled|choked|strangles|chokes|throttled) me|" + OTHER
     + r" (?:put|puts|had|has) (?:his|her|their) hands (?:round|around) my (?:neck|throat)|" + OTHER
     + r" (?:held|holds|pointed|points|put|pulled) (?:a |the |his |her )?(?:knife|gun|blade|weapon) (?:to|at|on|against) "
     r"(?:me|my)", "other"),
    ("abuse:ongoing danger:weapon", OTHER + r" (?:has|has got|got) me (?:locked|trapped|pinned|cornered|tied)", "other"),
    ("danger:weapon", OTHER + r" (?:has|has got|got|is holding|is carrying|is waving|pulled|took out|grabbed) "
     r"(?:a |the |his |her )?(?:knife|gun|machete|weapon|bat|hammer)", "other"),
    ("abuse:ongoing", r"(?:hits|beats|slaps|hurts|kicks|punches) me (?:with|when|if|every|all)|"
     r"(?:controls|takes) (?:all )?(?:my|the) (?:money|pension|benefits|phone|card)\b.{0,40}(?:hits|scared|shouts|threat)|"
     r"(?:touches|touched) me (?:when|where|at night|and)|forces me to", "other"),
    # a medical emergency in other words
    ("medical:emergency", r"(?:chest|heart) (?:is |feels )?(?:really |so |very )?(?:tight|crushing|pounding|"
     r"hurting)\b.{0,60}?(?:arm|jaw|sweat|breath|dizzy|numb|tingl)|(?:and|but) (?:will not|would not|is not|does not|"
     r"can not) (?:wake up|respond|breathe|breathing)|(?:lips|face) (?:are |is |have |has )?(?:gone |turned |turning )?"
     r"(?:blue|grey)|slurring (?:his|her|my) words", "other"),
]

# Compliance and ordinary use: "took all my meds this morning like i am supposed to", "two for my headache".
IDIOMS_EXTRA = (
    r"(?:(?:took|take|taken|had|have) all (?:of )?(?:my|the) (?:meds|medication|medications|tablets|pills) (?:this morning|"
    r"on time|like i (?:am|was) (?:supposed|meant) to|as (?:prescribed|usual)|every (?:day|morning|night)))|"
    r"(?:meds|pills|tablets|paracetamol|ibuprofen) (?:\w+ ){0,3}for (?:my|the|a|this) (?:headache|cold|flu|back|"
    r"period|pain|tooth|teeth|hay fever|migraine|blood pressure|cough|temperature|fever)|"
    r"(?:save|saving|saved) (?:up )?(?:for|money)|prescribed|the pharmacist|the chemist|pharmacy"
)
