"""voice/vad.py on real speech: speech detection, semantic endpointing (with the real recogniser
supplying the words, as the call loop does), the fixed-silence baseline, and barge-in."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.voice.speech import (
    click,
    codec2_8k,
    concat,
    cough,
    frames,
    noise,
    phone_quality,
    silence,
    synth_speech,
    trim_silence,
)
from voice.vad import (
    BargeInDetector,
    Endpointer,
    Shape,
    VadConfig,
    VadEvent,
    looks_complete,
    turn_shape,
    voiced_ms,
)


def run_endpointer(pcm: np.ndarray, config: VadConfig | None = None, transcriber=None) -> tuple[Endpointer, list]:
    """Feed a signal frame by frame as a call would. When a transcriber is given, do what the call
    loop does: decode the turn so far on SILENCE_START and hand the words back (set_text) once the
    real decode time has passed in stream time; drop them on SPEECH_RESUMED."""
    ep = Endpointer(config or VadConfig())
    log: list[tuple[int, str, int]] = []  # (stream ms, event, trailing silence ms at that moment)
    pending: tuple[int, str, int, float] | None = None
    for f in frames(pcm):
        events = ep.push(f)
        if pending is not None and ep.now_ms >= pending[0]:
            ep.set_text(pending[1], upto_ms=pending[2], avg_logprob=pending[3])
            pending = None
            events += ep.poll()
        for e in events:
            log.append((ep.now_ms, e, ep.silence_ms))
            if e is VadEvent.SILENCE_START and transcriber is not None:
                t0 = time.perf_counter()
                result = transcriber.transcribe_sync(ep.utterance())
                decode_ms = int((time.perf_counter() - t0) * 1000)
                pending = (ep.now_ms + decode_ms, result.text, ep.now_ms, result.avg_logprob)
            elif e is VadEvent.SPEECH_RESUMED:
                pending = None
    return ep, log


def kinds(log) -> list[VadEvent]:
    return [e for _, e, _ in log]


@pytest.fixture(scope="module")
def sentence():
    return trim_silence(phone_quality(synth_speech("I have been feeling anxious about work.")))


# --- speech vs silence ------------------------------------------------------------------------


@pytest.mark.parametrize("voice", ["piper", "espeak"])
def test_vad_detects_speech_not_silence_or_noise(voice: str) -> None:
    speech = phone_quality(synth_speech("Hello, I would like to talk to someone please.", voice))
    assert voiced_ms(speech) > 0.6 * len(speech) / 16
    assert voiced_ms(silence(2000)) == 0
    # steady line noise at a normal level is not speech
    assert voiced_ms(phone_quality(noise(2000, rms=150))) <= 100
    _, log = run_endpointer(concat(silence(400), speech, silence(2000)))
    assert kinds(log)[0] is VadEvent.SPEECH_START
    start_ms = log[0][0]
    assert 400 < start_ms <= 400 + 250  # found within ~a quarter second of the first word
    # silence and noise alone start no turn
    for quiet in (silence(3000), phone_quality(noise(3000, rms=150))):
        _, log = run_endpointer(quiet)
        assert log == []


def test_utterance_keeps_the_whole_turn_with_preroll(sentence) -> None:
    ep, log = run_endpointer(concat(silence(500), sentence, silence(2000)))
    assert VadEvent.TURN_END in kinds(log)
    turn = ep.utterance()
    # the turn's audio starts just before the speech (pre-roll) and contains all of it
    assert len(turn) >= len(sentence)
    assert np.abs(turn[: 16 * 100].astype(np.int32)).max() < 50  # begins in the silence before
    assert ep.speech_start_ms is not None and ep.speech_start_ms <= 500



def _level_db(frame: bytes) -> float:
    x = np.frombuffer(frame, dtype=np.int16).astype(np.float64)
    return 10.0 * float(np.log10(np.dot(x, x) / len(x) + 1.0))


@pytest.mark.parametrize("voice", ["piper", "espeak"])
@pytest.mark.parametrize("hiss_rms", [0, 100])
def test_end_of_speech_is_where_the_voice_stops_not_where_webrtcvad_lets_go(voice: str, hiss_rms: int) -> None:
    """webrtcvad keeps saying "speech" for ~100 ms after a voice stops (its hangover), even over
    silence or line hiss. Turn latency and every silence wait are counted from ``last_voiced_ms``, so
    it must sit at the real end: the last frame within 40 dB of the sentence's loudest (a final stop
    consonant's release after its silent closure included)."""
    spoken = trim_silence(phone_quality(synth_speech("I have been feeling anxious about work.", voice)))
    clean = concat(silence(1000), spoken, silence(1500))
    levels = [_level_db(f) for f in frames(clean)]
    true_end = (max(i for i, lv in enumerate(levels) if lv > max(levels) - 40.0) + 1) * 20
    pcm = clean.astype(np.float64)
    if hiss_rms:
        pcm += noise(len(pcm) // 16 + 1, rms=hiss_rms, seed=3)[: len(pcm)]
    pcm = phone_quality(np.clip(pcm, -32768, 32767).astype(np.int16))
    ends = {}
    for name, config in (("ours", VadConfig()), ("webrtcvad alone", VadConfig(noise_margin_db=None))):
        ep = Endpointer(config)
        for f in frames(pcm):
            ep.push(f)
        ends[name] = ep.last_voiced_ms - true_end
    assert -20 <= ends["ours"] <= 40, ends
    if voice == "piper":  # the hangover this corrects is really there (espeak's closure hides it)
        assert ends["webrtcvad alone"] >= ends["ours"] + 60, ends

# --- endpointing ------------------------------------------------------------------------------


def test_looks_complete() -> None:
    for text in [
        "I have been feeling anxious about work.",
        "Yes.",
        "No, thanks.",
        "Can I talk to a real person?",
        "My mum passed away last year.",
        "Thank you.",
        "Not really.",
        "I'm fine.",
        "I don't know what to do.",
        "I'm not doing well.",
        "I think so.",
        "What are you talking about?",
        "It's over.",
        "I'm exhausted.",
    ]:
        assert looks_complete(text), text
    for text in [
        "",
        "I have been feeling really",
        "i have been feeling really...",
        "I went to the doctor and",
        "It's just that, um",
        "I think I",
        "so",
        "Work.",  # one word that is not an answer on its own
        "Sorry",  # "Sorry, I just need ..." after a breath: Whisper gives no full stop
        "no",
        "My sister.",  # too short to tell
        "I'm just.",
        "I was talking to my",
        "I feel like,",
        "and so",
        "I'm so",
        "I've been feeling really.",  # Whisper often puts a full stop on a trailing-off fragment
        "My boss said that the",
    ]:
        assert not looks_complete(text), text


@pytest.mark.parametrize(
    ("text", "shape", "wait"),
    [
        ("I have been feeling anxious about work.", Shape.COMPLETE, VadConfig().complete_silence_ms),
        ("I have been feeling anxious about work", Shape.COMPLETE, VadConfig().complete_silence_ms),
        ("Yes.", Shape.SHORT, 700),
        ("Not really.", Shape.SHORT, 700),
        ("ok", Shape.SHORT, 1000),  # tiny.en often drops the stop on one word
        ("Sorry", Shape.SHORT, 1000),  # "Sorry, [breath] I just ..."
        ("My sister.", Shape.INCOMPLETE, 1500),
        ("I have been feeling really", Shape.INCOMPLETE, 1500),
        ("", Shape.INCOMPLETE, 1500),
    ],
)
def test_wait_depends_on_how_finished_the_words_look(text: str, shape: Shape, wait: int, sentence) -> None:
    assert turn_shape(text) is shape
    ep = Endpointer(VadConfig())
    for f in frames(concat(silence(300), sentence, silence(200))):
        ep.push(f)
    assert ep.paused
    ep.set_text(text)  # decoded from audio reaching into this pause
    assert ep.required_silence_ms() == wait
    assert VadConfig.baseline().fixed_silence_ms == 800


def test_complete_sentence_ends_after_short_silence(sentence, transcriber) -> None:
    config = VadConfig()
    ep, log = run_endpointer(concat(silence(500), sentence, silence(2500)), config, transcriber)
    assert kinds(log) == [VadEvent.SPEECH_START, VadEvent.SILENCE_START, VadEvent.TURN_END]
    end_ms, _, trailing = log[-1]
    assert looks_complete(ep.text)
    # ended on the short silence (or as soon as the speculative decode's words came back, if later)
    assert config.complete_silence_ms <= trailing < config.incomplete_silence_ms
    assert end_ms - ep.last_voiced_ms == trailing


@pytest.mark.parametrize("voice", ["piper", "espeak"])
def test_mid_sentence_pause_of_1200ms_is_not_cut_off(voice: str, transcriber) -> None:
    first = trim_silence(phone_quality(synth_speech("i have been feeling really", voice)))
    rest = trim_silence(phone_quality(synth_speech("anxious about work.", voice)))
    pcm = concat(silence(500), first, silence(1200), rest, silence(2500))
    ep, log = run_endpointer(pcm, VadConfig(), transcriber)
    ks = kinds(log)
    assert ks.count(VadEvent.TURN_END) == 1, log
    assert VadEvent.SPEECH_RESUMED in ks
    # the only turn end comes after the second half was spoken
    end_ms = log[ks.index(VadEvent.TURN_END)][0]
    rest_start_ms = 500 + len(first) // 16 + 1200
    assert end_ms > rest_start_ms + len(rest) // 16
    assert "anxious" in ep.text.lower() and "work" in ep.text.lower()
    # and once complete, it still answered promptly
    assert log[-1][2] < 1000


def background_chatter(n: int, level_rms: float) -> np.ndarray:
    """Other people talking in the room (three voices, reversed so no words leak): speech to any VAD."""
    voices = [
        synth_speech(t)[::-1].astype(np.float64)
        for t in (
            "the weather today is quite nice and sunny",
            "we went to the market and bought some bread",
            "please remember to close the door behind you",
        )
    ]
    m = min(len(v) for v in voices)
    x = np.tile(sum(v[:m] for v in voices), n // m + 1)[:n]
    return x / np.sqrt(np.mean(x**2)) * level_rms


@pytest.mark.parametrize("gate", [20.0, None])
def test_turn_ends_over_background_chatter(sentence, gate) -> None:
    """A TV or people nearby 25 dB below the caller: the caller's turn still ends. Without the level
    gate it would not (webrtcvad rightly calls background voices speech)."""
    clean = concat(silence(500), sentence, silence(3000)).astype(np.float64)
    rms = np.sqrt(np.mean(sentence.astype(np.float64) ** 2))
    noisy = np.clip(clean + background_chatter(len(clean), rms / 10 ** (25 / 20)), -32768, 32767)
    ep, log = run_endpointer(phone_quality(noisy.astype(np.int16)), VadConfig(level_gate_db=gate))
    if gate is None:
        assert VadEvent.TURN_END not in kinds(log)
    else:
        assert kinds(log)[-1] is VadEvent.TURN_END
        # it ended in the silence after the sentence, not inside it
        assert log[-1][0] > 500 + len(sentence) // 16


@pytest.mark.parametrize("voice", ["piper", "espeak"])
def test_a_first_word_then_a_breath_is_not_a_turn(voice: str, transcriber) -> None:
    """ "Sorry, [breath] I just need someone to talk to tonight." must be one turn."""
    first = trim_silence(phone_quality(synth_speech("Sorry,", voice)))
    rest = trim_silence(phone_quality(synth_speech("I just need someone to talk to tonight.", voice)))
    ep, log = run_endpointer(concat(silence(500), first, silence(600), rest, silence(2500)), VadConfig(), transcriber)
    assert kinds(log).count(VadEvent.TURN_END) == 1, log
    assert "someone to talk" in ep.text.lower(), ep.text  # the whole sentence is in the one turn


def test_a_short_answer_ends_the_turn_promptly(transcriber) -> None:
    yes = trim_silence(phone_quality(synth_speech("Yes.")))
    config = VadConfig()
    ep, log = run_endpointer(concat(silence(500), yes, silence(2500)), config, transcriber)
    assert kinds(log)[-1] is VadEvent.TURN_END
    assert ep.text.strip().lower().startswith("yes")
    assert log[-1][2] < config.incomplete_silence_ms


def test_unsure_words_do_not_shorten_the_wait(sentence) -> None:
    """A fragment misheard as a sentence ("Last night I" -> "Left eye-tie.") comes with a low
    log-probability: it must not pick the short silence."""
    ep = Endpointer(VadConfig())
    for f in frames(concat(silence(300), sentence, silence(200))):
        ep.push(f)
    ep.set_text("I have been feeling anxious about work.", avg_logprob=-0.2)
    assert ep.required_silence_ms() == VadConfig().complete_silence_ms
    ep.set_text("When I get through my jut.", avg_logprob=-1.04)
    assert ep.required_silence_ms() == VadConfig().unsure_silence_ms  # long enough for a 1.2 s hesitation


@pytest.mark.parametrize(
    "pieces",
    [("Last night I", "couldn't sleep at all because my mind kept racing."), ("Maybe I could", "write it down.")],
)
@pytest.mark.parametrize("voice", ["piper", "espeak"])
def test_no_cut_in_at_a_one_second_pause_after_a_fragment(pieces, voice: str, transcriber) -> None:
    first, rest = (trim_silence(phone_quality(synth_speech(p, voice))) for p in pieces)
    _, log = run_endpointer(concat(silence(400), first, silence(1000), rest, silence(2500)), VadConfig(), transcriber)
    ends = [ms for ms, e, _ in log if e is VadEvent.TURN_END]
    assert len(ends) == 1 and ends[0] > 400 + (len(first) + len(rest)) // 16 + 1000, log


def test_no_words_means_the_long_silence(sentence) -> None:
    config = VadConfig()
    _, log = run_endpointer(concat(silence(500), sentence, silence(2500)), config)
    assert kinds(log)[-1] is VadEvent.TURN_END
    assert log[-1][2] == config.incomplete_silence_ms


def test_words_from_before_the_pause_cannot_shorten_it(sentence) -> None:
    """A partial that looked complete but was decoded before the pause began (the caller may have
    added "and..." since) must not pick the short silence."""
    config = VadConfig()
    ep = Endpointer(config)
    events: list[tuple[int, VadEvent]] = []
    for i, f in enumerate(frames(concat(silence(500), sentence, silence(2500)))):
        if i == 60:  # mid-speech: a complete-looking partial arrives
            ep.set_text("I have been feeling anxious.")
        events += [(ep.now_ms, e) for e in ep.push(f)]
    assert events[-1][1] is VadEvent.TURN_END
    assert ep.silence_ms == config.incomplete_silence_ms


def test_fixed_silence_baseline_ends_exactly_after_800ms(sentence) -> None:
    config = VadConfig.baseline()
    assert config.fixed_silence_ms == 800
    ep = Endpointer(config)
    end_at = None
    for f in frames(concat(silence(500), sentence, silence(2000))):
        if VadEvent.TURN_END in ep.push(f):
            end_at = ep.now_ms
        ep.set_text("anything at all")  # words are ignored in the baseline
    assert end_at is not None
    assert end_at - ep.last_voiced_ms == 800


def test_reset_forgets_the_turn(sentence) -> None:
    ep = Endpointer(VadConfig())
    for f in frames(concat(silence(300), sentence[: 16 * 600])):
        ep.push(f)
    assert ep.in_speech
    ep.set_text("I have been feeling anxious about work.")
    ep.reset()
    assert not ep.in_speech and not ep.paused and ep.text == "" and ep.silence_ms == 0
    # silence after a reset starts no turn and ends none
    assert [e for f in frames(silence(2000)) for e in ep.push(f)] == []


def test_max_turn_length_forces_an_end() -> None:
    long_speech = phone_quality(synth_speech("I keep talking and talking without ever stopping at all, on and on and on."))
    config = VadConfig(max_turn_ms=2000)
    _, log = run_endpointer(long_speech, config)
    assert kinds(log)[:2] == [VadEvent.SPEECH_START, VadEvent.TURN_END]


def test_bad_frame_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="640-byte"):
        Endpointer().push(b"\x00" * 100)
    with pytest.raises(ValueError):
        BargeInDetector().push(b"\x00" * 641)


# --- barge-in ---------------------------------------------------------------------------------


def fires_at(pcm: np.ndarray, detector: BargeInDetector | None = None) -> int | None:
    d = detector or BargeInDetector()
    for i, f in enumerate(frames(pcm)):
        if d.push(f):
            return (i + 1) * 20
    return None


@pytest.mark.parametrize(
    "make",
    [
        lambda: phone_quality(synth_speech("Wait, stop, I need to say something.")),
        lambda: phone_quality(synth_speech("No, that's not it.", "espeak")),
        lambda: codec2_8k("hts1a")[0],  # a real voice over an 8 kHz line
        lambda: phone_quality(synth_speech("yes")),
    ],
    ids=["piper", "espeak", "real-8k", "short-yes"],
)
def test_barge_in_fires_on_speech(make) -> None:
    pcm = make()
    onset = int(np.flatnonzero(np.abs(pcm.astype(np.int32)) > 500)[0] / 16)
    at = fires_at(concat(silence(200), pcm, silence(300)))
    assert at is not None
    # within ~half a second of the caller starting to speak
    assert at - 200 - onset <= 500


@pytest.mark.parametrize(
    "make",
    [
        lambda: click(60),
        lambda: phone_quality(click(60)),
        lambda: cough(300),
        lambda: phone_quality(cough(500, seed=1)),
        lambda: phone_quality(noise(1500, rms=2000)),
        lambda: silence(1000),
    ],
    ids=["click", "click-phone", "cough", "cough-phone", "loud-noise", "silence"],
)
def test_barge_in_ignores_clicks_coughs_and_noise(make) -> None:
    assert fires_at(concat(silence(200), make(), silence(300))) is None


def test_barge_in_fires_once_until_reset() -> None:
    speech = phone_quality(synth_speech("Hang on, hang on, can I just say something here?"))
    d = BargeInDetector()
    fired = [d.push(f) for f in frames(speech)]
    assert fired.count(True) == 1
    d.reset()
    assert fires_at(speech, d) is not None
