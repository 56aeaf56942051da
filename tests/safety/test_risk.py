"""Risk detection: per-level precision/recall on the labelled development set against the issue's
targets, regression floors on the held-out sets (all SEEN by now; see docs/risk.md for their first-contact
numbers), and the scope mechanisms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safety.risk import assess
from safety.risk.evaluate import evaluate, load
from safety.risk.normalize import normalize
from safety.types import Kind, Level

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def dev_report():
    items = load(DATA / "risk_dev.jsonl")
    assert len(items) >= 400
    return evaluate(items)


def test_dev_set_covers_every_level_and_kind():
    items = load(DATA / "risk_dev.jsonl")
    assert {it["level"] for it in items} == {lvl.value for lvl in Level}
    assert {it["kind"] for it in items} == {k.value for k in Kind}


def test_dev_targets(dev_report):
    print("\n" + dev_report.table())
    assert dev_report.severe_recall >= 0.98
    assert dev_report.risk_recall >= 0.95
    assert dev_report.free_flagged <= 0.05
    assert dev_report.free_high == 0


def test_dev_per_level_precision_recall(dev_report):
    for lvl, d in dev_report.per_level.items():
        assert d["recall"] >= 0.9, (lvl, d)
        assert d["precision"] >= 0.9, (lvl, d)
    assert dev_report.kind_accuracy >= 0.95


def _report(name: str):
    items = load(DATA / name)
    rep = evaluate(items)
    print(f"\n{name}\n" + rep.table())
    for text, gold, pred, kind, sigs in rep.errors:
        print(f"  gold={gold} pred={pred} {kind} {text!r} {list(sigs)}")
    return items, rep


def test_holdout_targets():
    items, rep = _report("risk_holdout.jsonl")
    assert len(items) >= 150
    # This set was SEEN during tuning by all three risk passes and, since the third pass, is part of the
    # semantic bank (safety/risk/bank/): the asserts are regression floors just below the measured level
    # (100 % / 100 %), not evidence of generalisation.
    assert rep.free_high == 0
    assert rep.free_flagged <= 0.02
    assert rep.severe_recall >= 0.98
    assert rep.risk_recall >= 0.97


def test_holdout2_floors():
    items, rep = _report("risk_holdout2.jsonl")
    assert len(items) >= 200
    assert {it["level"] for it in items} == {lvl.value for lvl in Level}
    assert {it["kind"] for it in items} == {k.value for k in Kind}
    # Measured once unseen by the second pass (52.4 % / 57.8 %), tuned on since, and part of the semantic
    # bank since the third pass. Regression floors just below the measured 100 % / 99.3 %.
    assert rep.free_high == 0
    assert rep.free_flagged <= 0.02
    assert rep.severe_recall >= 0.98
    assert rep.risk_recall >= 0.97


@pytest.mark.parametrize(
    ("name", "severe", "risk", "free"),
    [
        # Third pass. Each set was written BEFORE the code changes it then informed and measured once on first
        # contact (docs/risk.md: holdout3 62.8 % / 76.9 %, holdout4 68.6 % / 67.7 %, holdout5 65.6 % / 71.4 %,
        # holdout6 73.1 % / 71.1 %); all were then SEEN, so these are regression floors just below the level
        # measured after tuning (holdout3 98.3 / 99.1 / 1.5 %, holdout4 94.3 / 95.2 / 1.3 %, holdout5
        # 100 / 100 / 0 %, holdout6 88.5 / 93.3 / 0 %), not evidence. None of them is in the semantic bank.
        ("risk_holdout3.jsonl", 0.97, 0.98, 0.03),
        ("risk_holdout4.jsonl", 0.92, 0.93, 0.03),
        ("risk_holdout5.jsonl", 0.97, 0.97, 0.02),
        ("risk_holdout6.jsonl", 0.86, 0.91, 0.02),
    ],
)
def test_third_pass_holdout_floors(name, severe, risk, free):
    items, rep = _report(name)
    assert len(items) >= 95
    assert sum(it["level"] == "none" for it in items) >= 0.4 * len(items)  # hard negatives are a large share
    assert rep.free_high == 0
    assert rep.free_flagged <= free
    assert rep.severe_recall >= severe
    assert rep.risk_recall >= risk


def test_semantic_bank_is_read_from_the_package():
    from safety.risk import semantic

    pkg = Path(semantic.__file__).resolve().parent
    assert semantic.BANK_DIR.resolve().parent == pkg
    names = {p.name for p in semantic.BANK_DIR.glob("*.jsonl")}
    assert {"exemplars.jsonl", "labelled_dev.jsonl", "labelled_holdout.jsonl", "labelled_holdout2.jsonl"} <= names
    items = semantic._bank_items()
    assert len(items) > 900 and any(g.startswith("neg:") for _, g in items)
    # the later held-out sets stay out of the bank, so their numbers are not self-matches
    later = {it["text"] for n in ("risk_holdout3.jsonl", "risk_holdout4.jsonl", "risk_holdout5.jsonl",
                                  "risk_holdout6.jsonl") for it in load(DATA / n)}
    earlier = {it["text"] for n in ("risk_dev.jsonl", "risk_holdout.jsonl", "risk_holdout2.jsonl")
               for it in load(DATA / n)}
    hand = {json.loads(line)["text"] for line in (semantic.BANK_DIR / "exemplars.jsonl").open(encoding="utf-8")}
    assert not ({t for t, _ in items} & (later - earlier - hand))


@pytest.mark.parametrize(
    "text",
    [
        "how many of these would it take",
        "how high does a bridge need to be to be sure",
        "would forty of my sleeping pills be enough",
        "what's the most painless way to go",
        "how long does it take to bleed out",
        "what would happen if i drank bleach",
        "is a fall from the fifth floor enough",
    ],
)
def test_questions_about_lethality_are_method_research(text):
    a = assess(text)
    assert a.level >= Level.HIGH and "preparation:research" in a.signals, a


@pytest.mark.parametrize(
    "text",
    [
        "how many calories would it take to gain a pound",
        "how many ibuprofen can i take in a day for a sprained ankle",
        "what's a lethal dose of caffeine for a cat i think she licked my coffee",
        "how high is the golden gate bridge",
        "how long does it take to drown a tomato plant if you overwater it",
    ],
)
def test_ordinary_dose_and_height_questions_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "what's the point of anything anymore",
        "everyone would be better off if i just wasnt around",
        "i want to go to sleep and not wake up",
        "im tired of existing",
        "being dead would be easier than this",
        "sometimes i think the kids'd have a better life if i wasn't in it",
    ],
)
def test_passive_ideation_variants_reach_low(text):
    assert assess(text).level >= Level.LOW, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "Why did Dylann Roof kill people?",
        "why did the nazis kill people",
        "how did kurt cobain die",
        "i bought a gun for hunting season",
        "i'm saving my pills in a weekly organiser so i don't forget",
        "i'm on the bridge now, be there in five",
        "i'm on the roof of the barn fixing a leak",
    ],
)
def test_other_peoples_history_and_ordinary_purposes_are_not_risk(text):
    assert assess(text).level == Level.NONE, assess(text)


def test_a_threat_is_not_an_idiom_when_the_caller_means_it():
    assert assess("i'm going to kill him when he gets home").level >= Level.HIGH
    assert assess("i'm scared he is going to kill me when he gets out").level >= Level.HIGH
    assert assess("my mom is gonna kill me when she sees my grades").level == Level.NONE


@pytest.mark.parametrize(
    "text",
    [
        "ive necked the whole strip of amitriptyline",
        "been squirrelling away my tramadol for when i do it",
        "got a stash of zopiclone ready for tonight",
        "gun in my lap and its loaded",
        "stood on the platform and this is it",
        "the belt is round my neck",
    ],
)
def test_category_composition_rates_high(text):
    assert assess(text).level >= Level.HIGH, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "i took all my meds this morning like i am supposed to",
        "i'm on the platform waiting for the 8 15 it's late again",
        "i've been saving up for a holiday",
        "i need rope for the tent this weekend",
        "my mind's made up i'm leaving that job friday",
        "this is the last time i lend him money",
        "i wrote my will last year like you do at my age",
    ],
)
def test_category_words_in_ordinary_use_stay_calm(text):
    assert assess(text).level < Level.HIGH, assess(text)
    assert assess(text).level == Level.NONE, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "this job is killing me",
        "i'm dying to see that movie",
        "i killed it at work today",
        "i'm dead tired",
        "i could murder a coffee",
        "how do i kill a python process",
        "my mom is gonna kill me when she sees my grades",
        "i could kill my brother for eating my fries",
        "i was so embarrassed i wanted to die",
        "i'll die if i don't get this job",
        "i want to dye my hair",
    ],
)
def test_idioms_do_not_flag(text):
    a = assess(text)
    assert a.level == Level.NONE, a


@pytest.mark.parametrize(
    "text",
    [
        "i would never kill myself",
        "i'm not suicidal",
        "i don't want to die",
        "i have no intention of hurting myself",
        "killing myself isn't something i'd ever do",
        "i wouldn't do anything to hurt myself",
    ],
)
def test_negations_do_not_flag(text):
    a = assess(text)
    assert a.level == Level.NONE, a
    assert "negated" in a.signals


def test_negation_scope_is_local():
    assert assess("i'm not okay i want to die").level >= Level.LOW
    assert assess("i don't want to die but i don't want to live like this").level == Level.LOW
    assert assess("i'm not suicidal but sometimes i wish i wasn't here").level == Level.LOW


def test_third_party_and_reported_speech():
    a = assess("my friend said she wants to kill herself")
    assert (a.level, a.kind) == (Level.NONE, Kind.THIRD_PARTY)
    assert "third_party" in a.signals
    a = assess("my therapist asked if i ever wanted to kill myself")
    assert a.level == Level.NONE and "reported_speech" in a.signals
    # someone else in danger right now still needs a human
    a = assess("my friend just told me she took a whole bottle of pills")
    assert a.level == Level.HIGH and a.kind == Kind.THIRD_PARTY
    # the caller's own words stay the caller's even when reported
    assert assess("i told my doctor i want to kill myself").level >= Level.MODERATE


def test_topic_and_bereavement():
    for t in ("i watched a documentary about suicide prevention", "my dad died by suicide last year",
              "what is suicide", "suicide rates among veterans are really high"):
        assert assess(t).level == Level.NONE, t


def test_speech_normalisation():
    assert normalize("Um, I-I wanna like, kill my self") == "i want to kill myself"
    assert normalize("im gonna take a hole bottle") == "i am going to take a whole bottle"
    assert assess("i took a hole bottle of tylenol like ten minutes ago").level == Level.IMMINENT
    assert assess("im gonna kill my self tonite").level >= Level.HIGH
    assert assess("i dont wanna be alive").level == Level.LOW


def test_signals_explain_the_level():
    a = assess("i've been saving up my sleeping pills")
    assert a.level == Level.HIGH and "preparation:stockpiling" in a.signals
    a = assess("i'm going to kill myself tonight")
    assert {"intent:future", "time:tonight"} <= set(a.signals)
    a = assess("i tried to kill myself when i was sixteen")
    assert a.level == Level.MODERATE and "time:past_distant" in a.signals
    assert assess("i tried to kill myself last week").level == Level.HIGH


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x07\x1b[31m", "😭😭😭", "estoy muy triste hoy", "我很好", "a" * 100_000,
     ("i had a long day at work " * 5000), "\ud800 broken surrogate"],
)
def test_bad_input_never_crashes(text):
    a = assess(text)
    assert a.level == Level.NONE


def test_long_text_is_windowed_but_still_read():
    text = "i had a long day at work and " * 3000 + "i took all my pills an hour ago"
    a = assess(text)
    assert a.level == Level.IMMINENT


def test_growing_prefix_is_cheap_and_consistent():
    words = "um so i i've been thinking and i took a whole bottle of pills ten minutes ago".split()
    levels = [assess(" ".join(words[: i + 1])).level for i in range(len(words))]
    assert levels[-1] == Level.IMMINENT
    assert assess(" ".join(words)).level == Level.IMMINENT  # cached


# --- learned layer (safety/risk/learned.py, trained by `python -m safety.risk.train`) -------------------------


def test_learned_model_ships_as_plain_numpy():
    import numpy as np

    from safety.risk.learned import MODEL_PATH, get_model

    with np.load(MODEL_PATH, allow_pickle=False) as z:  # no pickled objects: weights, vocabulary, bars only
        assert z["W"].shape[0] == 4 and z["thresholds"].shape == (4,)
    model = get_model()
    assert model is not None and model.vocab and model.n_hash > 0
    # a false high triggers a transfer: the bars stay strict, and a scope wins unless the model is very sure
    assert model.thresholds[2] >= 0.6 and model.veto >= 0.95


def test_learned_layer_names_itself_and_never_lowers():
    a = assess("some nights i think how nice it would be to just fade away for good")  # no pattern hears this
    assert a.level >= Level.LOW
    assert any(s.startswith("learned:") for s in a.signals), a
    assert any(s.startswith("learned:p=") for s in a.signals), a
    # it never lowers the patterns and never concludes imminent
    assert assess("i've just swallowed the whole packet of pills").level == Level.IMMINENT
    assert assess("i would never kill myself i love my kids").level == Level.NONE


def test_runtime_matches_the_training_pipeline():
    """The shipped model gives at run time exactly what training and cross-validation computed (same features:
    embedding, pattern signals, hashed n-grams; same bars), over the whole dev set."""
    import numpy as np

    from safety.risk import analyse
    from safety.risk import train as T
    from safety.risk.learned import get_model

    items = [dict(it, set="dev") for it in load(DATA / "risk_dev.jsonl")]
    prep = T.prepare(items)
    m = get_model()
    model = {"W": m.W, "b": m.b, "vocab": m.vocab, "hidden": m.hidden}
    T.N_HASH = m.n_hash
    idx = np.arange(len(items))
    _, combined = T.combined_levels(T.predict(model, prep, idx), prep, idx, m.thresholds, m.veto)
    runtime = [analyse(it["text"])[0] for it in items]
    assert combined == runtime


# Seventh pass (docs/risk.md): families a blind set showed missing, each with a look-alike that must stay calm.
@pytest.mark.parametrize(
    ("text", "level", "kind"),
    [
        ("im diabetic and im shaky and sweaty and confused", Level.IMMINENT, Kind.MEDICAL),  # signs, counted
        ("my husband collapsed hes making a snoring noise and i cant wake him", Level.IMMINENT, Kind.MEDICAL),
        ("i cancelled the milk and paid off what i owe so nobody gets left with any mess once im gone", Level.HIGH,
         Kind.SUICIDE),
        ("i wrote out who gets what and stuck it on the fridge so whoever finds me knows", Level.HIGH, Kind.SUICIDE),
        ("the belts round the door handle and its round my neck", Level.IMMINENT, Kind.SUICIDE),
        ("im on the railway bridge right now the trains come every ten minutes i just wanted to hear a voice first",
         Level.IMMINENT, Kind.SUICIDE),
        ("the iron is heating up and im going to press it on my arm", Level.IMMINENT, Kind.SELF_HARM),
        ("ive got a bat in the boot and im going round there saturday", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("my stepdad comes in my room when mums at work and i just lie really still", Level.HIGH, Kind.ABUSE),
        ("he put his hands round my throat last night", Level.HIGH, Kind.ABUSE),
        ("my wife just told me shes swallowed her whole box of sleeping tablets", Level.HIGH, Kind.THIRD_PARTY),
    ],
)
def test_seventh_pass_families(text, level, kind):
    a = assess(text)
    assert (a.level, a.kind) == (level, kind), a


@pytest.mark.parametrize(
    "text",
    [
        "we tied a rope to the beam to hang the punch bag up in the garage",
        "sat in the car with the engine running to warm it up before work",
        "i stood at the edge of the cliff for a photo and my mum went mad",
        "my mum is gonna kill me if she finds out i dented her car",
        "my mate dragged me out to the pub last night",
        "i took the box of old tablets back to the chemist like my counsellor suggested",
        "i used to cut when i was a teenager but ive been free of it for eleven years",
        "im shaky and sweaty and dizzy before my exam",
        "booked a one way ticket home to manila im not coming back to this job ever",
    ],
)
def test_seventh_pass_look_alikes_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


@pytest.mark.parametrize(
    ("text", "level", "kind"),
    [
        # a ligature round someone else's neck: that person's act under way
        ("oh god my dads got a cord round his neck in the garage", Level.HIGH, Kind.THIRD_PARTY),
        # serious harm to someone, in so many words
        ("if he turns up at the school gates again i will put him in hospital", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("im gonna wait for him outside the pub after closing and batter him", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("i keep thinking about putting something in her drink and ive looked up what would work", Level.HIGH,
         Kind.HARM_TO_OTHERS),
        ("im sat outside his flat with a can of petrol", Level.HIGH, Kind.HARM_TO_OTHERS),
        # threatened or strangled by someone close
        ("my stepdad said he would break my arms if i told my teacher", Level.HIGH, Kind.ABUSE),
        ("my husband strangled me again last night when i tried to leave", Level.HIGH, Kind.ABUSE),
        # a stockpile in a container
        ("ive been hiding a tin full of my tablets under the bed since the summer", Level.HIGH, Kind.SUICIDE),
        # round 2: passive wishes, past attempts and self-harm in plain words
        ("to be honest ive had enough of living", Level.LOW, Kind.SUICIDE),
        ("my lot would do better without me if im honest", Level.LOW, Kind.SUICIDE),
        ("years ago i gassed myself in the garage but my brother found me", Level.MODERATE, Kind.SUICIDE),
        ("when i was nineteen i jumped off a multi storey and spent a year in hospital", Level.MODERATE, Kind.SUICIDE),
        ("there are new cuts on my arms and i keep them covered at work", Level.MODERATE, Kind.SELF_HARM),
        ("i pinched my thighs so hard it left marks", Level.MODERATE, Kind.SELF_HARM),
    ],
)
def test_eighth_pass_families(text, level, kind):
    a = assess(text)
    assert (a.level, a.kind) == (level, kind), a


@pytest.mark.parametrize(
    "text",
    [
        "he wrapped a scarf round his neck and went out in the snow",
        "i filled up the car with petrol outside her house before the wedding",
        "we had to poison the rats in the barn last winter",
        "the smoke from the bonfire was choking me",
        "i filled a box with my old books for the charity shop",
        "im saving my tablets up for the trip so i dont run out in canada",
        "i got food poisoning from a dodgy curry",
        "ive had enough of living in this damp flat",
        "they will manage fine without me for the weekend while im at my sisters",
        "we jumped off the cliff into the sea on holiday it was amazing",
        "in the game i jumped off the tower about ten times to get the achievement",
        "fresh scratches on my arms from the new kitten",
        "going to australia on a working holiday visa next month",
        "i got a knife set for my birthday and my flatmate keeps nicking it",
        "i bought a gun safe for my hunting rifles and the instructions are useless",
        "im gonna batter him at fifa tonight",
    ],
)
def test_eighth_pass_look_alikes_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # the means and the preparation are for someone else: the kind is harm to others, the level stays
        ("i've got a knife ready for when i see him", Level.IMMINENT),
        ("ive got the gun loaded and im waiting for my boss to come out the office", Level.IMMINENT),
        ("i bought a gun and he wont see it coming", Level.HIGH),
        ("got a knife and hes gonna get whats coming to him", Level.HIGH),
    ],
)
def test_a_weapon_kept_for_someone_is_harm_to_others(text, level):
    a = assess(text)
    assert (a.level, a.kind) == (level, Kind.HARM_TO_OTHERS), a


def test_own_risk_beside_a_threat_stays_suicide():
    a = assess("i want to die and i've got a knife ready and i want to kill him too")
    assert (a.level, a.kind) == (Level.IMMINENT, Kind.SUICIDE), a


@pytest.mark.parametrize(
    "text",
    [
        "she said she will hit me up later",
        "he hit me up last night about the party",
        "my ex keeps hitting me up and i dont want to hear from him",
        "we planned a surprise party and he wont see it coming",
    ],
)
def test_getting_in_touch_and_surprises_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


def test_hit_me_up_against_the_wall_is_still_violence():
    a = assess("he hit me up against the wall last night")
    assert (a.level, a.kind) == (Level.HIGH, Kind.ABUSE), a


def test_a_frightening_intrusive_thought_of_poisoning_someone_is_not_a_plan():
    """Ego-dystonic intrusive thoughts are a strong offer of a person (moderate), not a threat to act on (high)."""
    a = assess("i keep getting this horrible thought about putting something in his drink and it frightens me")
    assert a.level == Level.MODERATE, a


@pytest.mark.parametrize(
    "text, kind",
    [
        # tenth pass: an act under way told by the situation, not named (docs/risk.md "Tenth pass")
        ("im sat in the car in the garage with the engine going and i feel really sleepy", Kind.SUICIDE),
        ("ive swallowed my mums sleeping tablets about twenty minutes ago and im going really drowsy", Kind.SUICIDE),
        ("i necked fifty of them half an hour ago", Kind.SUICIDE),
        ("im up at the gap with my legs over the edge", Kind.SUICIDE),
        ("im on the flyover and ive climbed over the barrier", Kind.SUICIDE),
        ("im stood on the motorway bridge waiting for the lorries", Kind.SUICIDE),
        ("im in the river and the current is pulling me under", Kind.SUICIDE),
        ("theres a tightness in my chest and my jaw aches and im clammy", Kind.MEDICAL),
    ],
)
def test_an_act_under_way_told_by_the_situation_is_imminent(text, kind):
    a = assess(text)
    assert (a.level, a.kind) == (Level.IMMINENT, kind), a


@pytest.mark.parametrize(
    "text",
    [
        "we sat on the harbour wall with our legs over the edge eating chips",
        "we were on the roof terrace with our legs over the edge watching the fireworks",
        "im on the railway bridge waiting for the steam train to get a photo",
        "im on the train bridge waiting for the train to go under so my son can wave",
        "we climbed the fence at the top of the car park to get the ball back",
        "i took my nans tablets to the chemist an hour ago and now im so sleepy",
        "i took my two paracetamol an hour ago and my head is still pounding",
        "pressure in my chest after the gym and sweating loads",
        "theres a pain in my chest when i cough and im sweating with this flu",
        "i was in the sea and the current was pulling me out but the lifeguard got me",
    ],
)
def test_the_same_scenes_as_a_day_out_or_a_chore_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


def test_a_garage_with_the_engine_running_weeks_ago_is_not_happening_now():
    a = assess("a couple of weeks back i sat in the garage with the engine running till my dad came home")
    assert a.level < Level.IMMINENT, a


@pytest.mark.parametrize(
    "text, level, kind",
    [
        # eleventh pass: families the blind pools' misses showed (docs/risk.md "Eleventh pass")
        ("ive swallowed the whole box about ten minutes ago", Level.IMMINENT, Kind.SUICIDE),
        ("i hung the cord off the loft hatch to see if it would take my weight", Level.HIGH, Kind.SUICIDE),
        ("i went up the multi storey again tonight to check which level", Level.HIGH, Kind.SUICIDE),
        ("i wrote letters to my kids and put them under my pillow", Level.HIGH, Kind.SUICIDE),
        ("last month i waded into the river to end it and a fisherman pulled me out", Level.HIGH, Kind.SUICIDE),
        ("he threw a mug at my face last night", Level.HIGH, Kind.ABUSE),
        ("she pinned me against the door by my throat", Level.HIGH, Kind.ABUSE),
        ("the bruises on my arms are from my boyfriend", Level.HIGH, Kind.ABUSE),
        ("im gonna shank that lad on friday", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("if my manager says one more thing im bringing a knife into work tomorrow", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("my dad is stood on a chair in the garage with a rope", Level.HIGH, Kind.THIRD_PARTY),
        ("i have thought about using my dads shotgun on myself", Level.MODERATE, Kind.SUICIDE),
        ("i think about crashing my van into a wall", Level.MODERATE, Kind.SUICIDE),
        ("i wish this illness would hurry up and take me", Level.LOW, Kind.SUICIDE),
        ("my family would manage fine if i was not around", Level.LOW, Kind.SUICIDE),
    ],
)
def test_eleventh_pass_families(text, level, kind):
    a = assess(text)
    assert (a.level, a.kind) == (level, kind), a


def test_someone_shut_in_and_not_answering_is_at_least_high():
    assert assess("my brother has locked himself in the bathroom and he will not answer").level >= Level.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "id rather die than sit through another budget meeting",
        "ive been writing notes for the supply teacher for when im off on paternity leave",
        "we tied the rope to the branch to see if it would hold the swing",
        "my son threw a tantrum at me this morning",
        "my kids bruises are from falling off his bike",
        "if my boss says one more word im bringing my cv into the job centre",
        "i went up the multi storey to find which level my car was on",
    ],
)
def test_eleventh_pass_look_alikes_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


def test_a_note_that_says_home_late_is_no_plan():
    a = assess("i wrote a note for my mum saying id be late for tea and left it on the kitchen table")
    assert a.level < Level.HIGH and "preparation:note" not in a.signals, a


@pytest.mark.parametrize(
    "text, level, kind",
    [
        # twelfth pass (docs/risk.md "Twelfth pass")
        ("the engine is on and the garage door is down and im just sat here", Level.IMMINENT, Kind.SUICIDE),
        ("my son is lying on the railway line at the bottom of our road", Level.HIGH, Kind.THIRD_PARTY),
        ("he forced himself on me again last night", Level.HIGH, Kind.ABUSE),
        ("my boyfriend broke a bottle over my head on saturday", Level.HIGH, Kind.ABUSE),
        ("im going to take a knife into college tomorrow", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("ive been going to the bridge every night to work out when there is nobody about", Level.HIGH, Kind.SUICIDE),
        ("ive been getting paracetamol from different chemists so nobody notices ive got loads now", Level.HIGH, Kind.SUICIDE),
        ("i tied the cord to the door and kept seeing how long i could hold on", Level.HIGH, Kind.SUICIDE),
        ("i googled which part of the river is deepest near the weir", Level.HIGH, Kind.SUICIDE),
        ("ive left my passwords and my funeral songs for my brother for when im gone", Level.HIGH, Kind.SUICIDE),
        ("ive got three drafts of the note on my laptop", Level.HIGH, Kind.SUICIDE),
    ],
)
def test_twelfth_pass_families(text, level, kind):
    a = assess(text)
    assert (a.level, a.kind) == (level, kind), a


@pytest.mark.parametrize(
    "text",
    [
        "i picked up my prescription and the pharmacist counted out the tablets in front of me",
        "my mum will kill me if i forget her birthday again",
        "i bought a one way ticket to lisbon im starting a masters there in september",
        "ive chosen the date for my mums memorial and ive been writing the order of service",
        "i cancelled the gym no point paying for stuff i wont use over christmas",
        "i bought paracetamol from different shops because the first one had sold out",
        "the train is stuck on the tracks and were all sat waiting",
        "the engine is running and the garage door is open while i wait for it to warm up",
        "im working out which bit of the river is deepest for my fishing trip",
        "my husband made me have dinner with his parents even though i said no",
    ],
)
def test_twelfth_pass_look_alikes_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


# Thirteenth pass (docs/risk.md "Thirteenth pass"): families the blind pair holdout22 showed at first contact, in other
# words than its lines; 11 of these 20 fail on the twelfth pass code.
@pytest.mark.parametrize(
    ("text", "level", "kind"),
    [
        ("im gonna do it saturday when my husband is at work", Level.HIGH, Kind.SUICIDE),
        ("ive made my mind up its tonight once everyone has gone to bed", Level.HIGH, Kind.SUICIDE),
        ("ive decided im driving up to the viaduct on friday", Level.HIGH, Kind.SUICIDE),
        ("ive found the spot down by the quarry im going tomorrow", Level.HIGH, Kind.SUICIDE),
        ("i will cut once my flatmate is asleep", Level.HIGH, Kind.SELF_HARM),
        ("ive been clean six months but im gonna cut again tonight", Level.HIGH, Kind.SELF_HARM),
        ("i wrote cards to my boys and left them on the mantelpiece for the morning", Level.HIGH, Kind.SUICIDE),
        ("ive tidied everything i dont want my sister finding a mess after", Level.HIGH, Kind.SUICIDE),
        ("i walked into the canal two weeks ago and a bloke hauled me out", Level.HIGH, Kind.SUICIDE),
        ("me and my cousins are gonna batter him proper when he gets out", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("my ex told me hed slit my throat if i went to the police", Level.HIGH, Kind.ABUSE),
        ("im sat on the railing fourteenth floor with one leg over", Level.IMMINENT, Kind.SUICIDE),
        ("my brother has swallowed a whole bottle of something on purpose and hes getting drowsy", Level.HIGH, Kind.THIRD_PARTY),
        ("ive taken my dads rifle out of the cabinet and its on my lap", Level.IMMINENT, Kind.SUICIDE),
        ("ive done it ive swallowed all of them", Level.IMMINENT, Kind.SUICIDE),
        ("i necked the whole box of my tablets and im starting to feel funny", Level.IMMINENT, Kind.SUICIDE),
        ("cutting myself with a razor as we speak", Level.IMMINENT, Kind.SELF_HARM),
        ("i been going round five different chemists buying co codamol so they dont notice", Level.HIGH, Kind.SUICIDE),
        ("i bought a hose and told the man it was for the garden but i havent got a garden", Level.HIGH, Kind.SUICIDE),
        ("i took an overdose a few weeks back", Level.HIGH, Kind.SUICIDE),
    ],
)
def test_thirteenth_pass_families(text, level, kind):
    a = assess(text)
    assert (a.level, a.kind) == (level, kind), a


# Their look-alikes (12 of these were flagged by the twelfth pass code).
@pytest.mark.parametrize(
    "text",
    [
        "ill do my homework when mum goes to bed",
        "ive picked the spot for the tent im going saturday",
        "ive been clean six months off the drink but im worried ill start again tonight",
        "i wrote a note for the neighbours saying sorry about the noise",
        "i wrote cards to my boys for their birthday and left them on the table",
        "i dont want anyone finding a mess after the party so im cleaning now",
        "i walked into the sea for a swim and the lifeguard pulled me out because of the rip",
        "were gonna do them over again at fifa tonight",
        "he said he will kill me at fifa tonight haha",
        "i got the rifle out of the cabinet to clean it and its on my lap now",
        "ive done it ive taken the driving test and passed",
        "i took the whole box of chocolates and im starting to feel sick",
        "im having a panic attack ive had them for years",
        "i keep dreaming im falling off a cliff",
        "im giving my dog to my mum because the new landlord says no pets",
        "i picked a date to quit smoking its next monday",
        "ive got a knife in my hand because im chopping onions for the soup",
        "im sat on the edge of the pier fishing",
        "i bought a hose for the car wash",
        "my husband pushed me in the pool on holiday and we were all laughing",
        "i cancelled my gym no point paying for it while i am away travelling",
    ],
)
def test_thirteenth_pass_look_alikes_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


def test_a_decided_walk_to_the_cliffs_is_not_a_plan():
    # the learned layer may still ask gently (a decision and a day), but the plan family must not fire on a walk
    a = assess("ive decided im going up to the cliffs on sunday with the dog for a walk")
    assert "plan" not in a.signals and a.level < Level.HIGH, a


# Thirteenth pass, round 2 (docs/risk.md): what holdout23 showed, in other words; 17 of these 20 fail on the twelfth
# pass code.
@pytest.mark.parametrize(
    ("text", "level", "kind"),
    [
        ("im gonna drive my car into the reservoir tomorrow", Level.HIGH, Kind.SUICIDE),
        ("tomorrows the day ive been planning it since christmas", Level.HIGH, Kind.SUICIDE),
        ("its all sorted for friday i know exactly what im doing", Level.HIGH, Kind.SUICIDE),
        ("ive been up to the multi storey twice to have a look i know which level now", Level.HIGH, Kind.SUICIDE),
        ("i found out where he works now and hes going to pay", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("ive been hurting my little sister when she cries i squeeze her too hard", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("my boyfriend burst my lip on saturday", Level.HIGH, Kind.ABUSE),
        ("i gave my bank details to my sister so she can sort my stuff after", Level.HIGH, Kind.SUICIDE),
        ("ive been practising the knot just to see if i can", Level.HIGH, Kind.SUICIDE),
        ("i took a step ladder into the woods by the big tree for tomorrow", Level.HIGH, Kind.SUICIDE),
        ("i tried two weeks ago with my tablets", Level.HIGH, Kind.SUICIDE),
        ("i jumped off the harbour wall last month and a fisherman pulled me out", Level.HIGH, Kind.SUICIDE),
        ("i want to cut myself once my housemates go out", Level.HIGH, Kind.SELF_HARM),
        ("im gonna do it later ive got fresh blades", Level.HIGH, Kind.SELF_HARM),
        ("the noose is up in the shed", Level.IMMINENT, Kind.SUICIDE),
        ("my grandad banged his head and now hes being sick and talking gibberish", Level.IMMINENT, Kind.MEDICAL),
        ("the baby is not breathing", Level.IMMINENT, Kind.MEDICAL),
        ("i changed my will so its all sorted for after im gone", Level.HIGH, Kind.SUICIDE),
        ("i deleted all my socials and put up a goodbye video", Level.HIGH, Kind.SUICIDE),
        ("ive been giving my games away and telling people its because im moving but thats not why", Level.HIGH, Kind.SUICIDE),
    ],
)
def test_thirteenth_pass_round_two_families(text, level, kind):
    a = assess(text)
    assert (a.level, a.kind) == (level, kind), a


@pytest.mark.parametrize(
    "text",
    [
        "im gonna drive into town tomorrow",
        "tonights the night im proposing to her",
        "its all planned for saturday the surprise party for my mum",
        "ive been up to the bridge to take photos of the sunset",
        "i found out where my birth mum lives and im going to write to her",
        "i sold my xbox cause i need the money for rent",
        "i told my brother im gonna kill him cause he ate my chips",
        "i gave my brother my passwords so he can sort my stuff after my operation",
        "ive been practising tying knots for sailing",
        "we put a ladder up the tree to get the cat down",
        "i tried with the tablets the gp gave me for sleep but they made me groggy",
        "the rope is up for the washing",
        "ive got fresh blades for my razor for shaving",
        "posted a goodbye post for the old house on facebook",
        "my mate hit his head at football but hes fine now",
    ],
)
def test_thirteenth_pass_round_two_look_alikes_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


# Thirteenth pass, round 3 (docs/risk.md): what holdout24 showed, in other words; 16 of these 21 fail on the twelfth
# pass code.
@pytest.mark.parametrize(
    ("text", "level", "kind"),
    [
        ("top of the multi storey sat on the wall feet dangling over the drop", Level.IMMINENT, Kind.SUICIDE),
        ("im at the bridge right at the very edge", Level.IMMINENT, Kind.SUICIDE),
        ("ive got a can of cider to wash them down", Level.IMMINENT, Kind.SUICIDE),
        ("my grandson has got into my heart tablets", Level.IMMINENT, Kind.MEDICAL),
        ("doing ninety on the dual carriageway looking for a tree im not stopping", Level.IMMINENT, Kind.SUICIDE),
        ("im walking into the sea its up to my waist", Level.IMMINENT, Kind.SUICIDE),
        ("im pressing the straighteners on my thigh right now", Level.IMMINENT, Kind.SELF_HARM),
        ("fourth chemist today so nobody asks", Level.HIGH, Kind.SUICIDE),
        ("ive been taking my mums morphine home bit by bit i have got enough now", Level.HIGH, Kind.SUICIDE),
        ("watching the express trains and timing the gaps", Level.HIGH, Kind.SUICIDE),
        ("ive booked a travelodge for friday and got everything i need", Level.HIGH, Kind.SUICIDE),
        ("i crashed the car into a tree on purpose two weeks ago", Level.HIGH, Kind.SUICIDE),
        ("i told the nurse i fell down the stairs but it was my husband", Level.HIGH, Kind.ABUSE),
        ("my stepdad pushed me down the stairs", Level.HIGH, Kind.ABUSE),
        ("he grabs me by the throat when hes drunk", Level.HIGH, Kind.ABUSE),
        ("my ex said next time hell finish me off", Level.HIGH, Kind.ABUSE),
        ("the baby kept screaming and i nearly shook her", Level.HIGH, Kind.HARM_TO_OTHERS),
        ("ive left everything in order for my wife afterwards", Level.HIGH, Kind.SUICIDE),
        ("ive wrote down all my passwords for my son", Level.HIGH, Kind.SUICIDE),
        ("the pills are in my drawer waiting for when im ready", Level.HIGH, Kind.SUICIDE),
        ("i told everyone im moving to spain but theres no move and ive given my dog to my sister", Level.HIGH, Kind.SUICIDE),
    ],
)
def test_thirteenth_pass_round_three_families(text, level, kind):
    a = assess(text)
    assert (a.level, a.kind) == (level, kind), a


@pytest.mark.parametrize(
    "text",
    [
        "im on the cliff path with the dog its gorgeous up here",
        "i bought cider to wash down my tea",
        "my grandson got into my makeup bag",
        "im walking into town its freezing",
        "i burnt my arm on the iron this morning doing the shirts",
        "im the third shop today looking for a birthday card",
        "ive booked a travelodge for the wedding and got everything i need",
        "i crashed the car into a tree when i skidded on the ice",
        "my son pushed me in the pool on holiday and we all laughed",
        "i told my mum im going to spain and i am going next week",
        "i keep my meds in a drawer so the grandkids cant reach them",
        "friday is the day im handing my notice in",
        "i gave my brother my passwords so he can sort my stuff after my operation",
    ],
)
def test_thirteenth_pass_round_three_look_alikes_stay_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


# The CBT exercise's own words: the learned layer of the thirteenth pass read "look at the thought" as suicidal thoughts
# and a caller who accepted a thought record was escalated (docs/examples/thought-record); risk said in the same breath
# is still heard.
@pytest.mark.parametrize(
    "text",
    [
        "can we look at the thought",
        "looking at the thought",
        "i want to challenge that thought",
        "can we do the thought record",
        "whats a more balanced thought",
    ],
)
def test_the_exercise_talking_about_a_thought_stays_calm(text):
    assert assess(text).level == Level.NONE, assess(text)


def test_risk_said_while_looking_at_a_thought_is_still_heard():
    a = assess("can we look at the thought that i want to die")
    assert a.level >= Level.LOW and a.kind == Kind.SUICIDE, a
