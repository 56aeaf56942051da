"""Speech detection, endpointing and barge-in detection on 20 ms PCM16 16 kHz frames.

webrtcvad (GMM, ~2 µs a frame) classifies each frame; the classes here add smoothing so one noisy
frame neither starts a turn nor ends one.

Endpointing is semantic as well as acoustic: the turn ends after a short silence when the words so far
look complete ("I've been feeling anxious about work.") and after a long one when they don't
("I've been feeling really ..."), so a caller who pauses mid-sentence is not cut off. The call loop
feeds the words in with ``set_text`` - typically the speculative final decode it starts on
``SILENCE_START`` - and only words decoded from audio that reaches into the current pause can shorten
the wait. ``fixed_silence_ms`` gives the naive baseline (a fixed silence, words ignored).

Background voices (a TV, people in the room) are speech to any VAD, so a turn would never end over
them. Once the caller has spoken, frames more than ``level_gate_db`` below the caller's own level
(90th percentile of their recent voiced frames) count as silence; a pause made of such frames must
last ``gated_silence_start_ms`` (quiet consonants fall under the gate too).

We chose webrtcvad over Silero: on Piper, espeak and the codec2 recordings through 8 kHz µ-law, and
on white/pink line noise down to 10 dB SNR, it separates speech from silence reliably at
aggressiveness 2 with the smoothing here, at ~1/40th of Silero's cost. Barge-in adds a pitch check
(band-passed, centre-clipped autocorrelation) so clicks, coughs, hum and noise don't stop the line.

Typical use (what voice/turns.py does)::

    ep = Endpointer(VadConfig())          # VadConfig.baseline() for the naive 800 ms mode
    for ev in ep.push(frame):             # every 20 ms caller frame
        if ev is VadEvent.SILENCE_START:  # start decoding ep.utterance() now; when it returns:
            ...                           #   ep.set_text(text, upto_ms=<ep.now_ms at SILENCE_START>)
                                          #   events = ep.poll()  (may be [TURN_END] at once)
        elif ev is VadEvent.TURN_END:     # answer; ep.utterance() is the finished turn's audio
            ...
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import webrtcvad

SAMPLE_RATE = 16_000
FRAME_MS = 20
_SILENT_DB = 20.0  # frame level (dB of mean square, int16) of a line with no background at all (-70 dBFS)
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2

__all__ = [
    "BargeInDetector",
    "Endpointer",
    "VadConfig",
    "VadEvent",
    "is_pitched",
    "looks_complete",
    "pitched_ms",
    "squeeze_pauses",
    "Shape",
    "turn_shape",
    "voiced_ms",
]


class VadEvent(StrEnum):
    SPEECH_START = "speech_start"  # the caller started a turn
    SILENCE_START = "silence_start"  # a pause began: start the (speculative) final decode now
    SPEECH_RESUMED = "speech_resumed"  # the pause was only a pause: throw the speculative decode away
    TURN_END = "turn_end"  # the caller finished: answer (use the speculative decode if it is done)


@dataclass
class VadConfig:
    aggressiveness: int = 2  # webrtcvad mode 0-3
    start_window_ms: int = 200  # speech starts when start_voiced_ms of the last start_window_ms are voiced
    start_voiced_ms: int = 120
    # SILENCE_START after this much silence: the speculative decode (and reply) starts. 80 (was 120 until
    # 2026-12-07) has the prepared reply's first audio ready by the 360 ms turn end, for ~0.1 extra
    # speculative decodes per turn (docs/performance.md).
    silence_start_ms: int = 80
    resume_window_ms: int = 120  # during a pause, speech resumes when resume_voiced_ms of the last
    resume_voiced_ms: int = 80  # resume_window_ms are voiced (one noisy frame does not count)
    # turn ends after this silence when the words look complete and the recogniser was sure of them (360 until
    # 2026-11-26, then 300 measured from the end of webrtcvad's ~100 ms hangover, i.e. ~400 ms of real
    # silence; since 2026-12-07 silence is measured from the real end of speech: 360 keeps a caller's
    # 250-350 ms breath between two clauses from ending the turn, docs/performance.md); mid-sentence
    # pauses of 0.5-1.2 s are the unsure/incomplete waits' job
    complete_silence_ms: int = 360
    short_answer_silence_ms: int = 700  # ... when they are a one- or two-word answer ("Yes.", "Not really.")
    short_unstopped_silence_ms: int = 1000  # ... the same without a full stop ("ok", "Sorry")
    incomplete_silence_ms: int = 1500  # ... and after this one when they don't (or are unknown)
    # Words that look complete but that the recogniser was unsure of wait unsure_silence_ms: longer than
    # any hesitation we must ride out (a 1.2 s mid-sentence pause counts as up to 1240 ms of silence
    # here), a little shorter than the incomplete wait. Unsure means a low average log-prob ...
    unsure_logprob: float = -0.7
    # ... or last words decoded below this probability (AsrResult.end_prob: the lowest of the last 3
    # word tokens, punctuation skipped). A misheard mid-sentence fragment looks finished ("I guess I
    # worry that" -> "I guess I will be there."), but Whisper is unsure of exactly those words; below
    # 0.5 its pick was less likely than the alternatives together. Calibrated on 82 sentences that are
    # not the bench's (python -m voice.bench.endpoint_calibration): of 110 hesitations after unfinished
    # words it still ends the turn at 1 (Piper), and it flags 1/79 of Piper's finished sentences but
    # 24/51 of espeak's (tiny.en mishears espeak's last words at real ends too).
    unsure_end_prob: float = 0.5
    unsure_silence_ms: int = 1400
    fixed_silence_ms: int | None = None  # naive baseline: always this silence (e.g. 800), words ignored
    max_turn_ms: int = 25_000  # force a turn end (Whisper sees 30 s at most)
    preroll_ms: int = 300  # audio kept before SPEECH_START, so the first syllable is not clipped
    # Background voices (a TV, people nearby) are speech to any VAD. Once we know how loud the caller
    # is, frames this many dB below their (peak-tracking) speech level count as silence, so a turn can
    # end over background chatter. None turns the gate off.
    level_gate_db: float | None = 20.0
    # a pause made of such quiet frames must last this long to count. Word endings often fall under the
    # gate, so this delays the speculative decode at most turn ends; 240 (was 300) starts it ~60 ms
    # sooner for ~0.2 extra speculative decodes per turn (measured by voice/bench, docs/performance.md).
    gated_silence_start_ms: int = 240
    gated_tail_ms: int = 120  # right after speech, this much gated audio is the word's quiet end
    # webrtcvad keeps saying "speech" for 60-120 ms after a voice stops (its hangover), even over
    # digital silence; counted as the word's tail, that delayed every turn end by ~100 ms. A frame
    # this close to the line's own noise floor (the level of the frames webrtcvad calls non-speech)
    # is silence whatever webrtcvad says. None keeps webrtcvad's word.
    noise_margin_db: float | None = 6.0

    @classmethod
    def baseline(cls, silence_ms: int = 800) -> VadConfig:
        return cls(fixed_silence_ms=silence_ms)


def _check_frame(frame: bytes) -> None:
    if len(frame) != FRAME_BYTES:
        raise ValueError(f"expected a {FRAME_BYTES}-byte frame (20 ms PCM16 16 kHz), got {len(frame)}")


# --- does the sentence look finished? --------------------------------------------------------

# Words after which a speaker is almost always going to go on: conjunctions, articles, fillers, "I".
_HARD_CONTINUERS = frozenset(
    """
    and but or nor so because cause cos if although though unless whereas
    the a an my your his her their our its this these those every each
    um uh er erm ah hmm uhm eh
    i i'm im i've ive i'd id i'll ill
    """.split()
)
# Words that usually need more after them (prepositions, auxiliaries, intensifiers); a question mark
# after them ("What are you talking about?") still ends the turn.
_SOFT_CONTINUERS = frozenset(
    """
    to of in on at for with about from by into onto under after before through between against
    without within during toward towards upon across behind than as like that which who whose whether
    while when whenever until
    really very just quite pretty kind sort even also
    am is are was were be been being have has had having
    feel feeling felt get getting want wanted need needed trying try going gonna wanna gotta
    keep keeps kept started start it's there's
    can could would should will might must never always asking telling
    """.split()
)
# "so" ends a sentence after these ("I think so.", "I hope so.").
_SO_ENDERS = frozenset("think guess hope suppose believe said says say do did not".split())

# One-word turns that are complete on their own.
_STANDALONE = frozenset(
    """
    yes yeah yep yup no nope nah okay ok sure right fine alright thanks hello hi hey bye goodbye
    maybe please nothing nobody never always sometimes definitely absolutely exactly true correct
    stop help sorry good bad great terrible awful tired sad scared angry lonely anxious mm hmm
    """.split()
)

# Two-word turns that are complete on their own.
_SHORT_ANSWERS = frozenset(
    a.strip()
    for a in """
    thank you|not really|not sure|not yet|not much|not now|not today|of course|i guess|i know|i don't
    i do|i can't|i can|i am|i'm not|i'm okay|i'm fine|i'm good|i'm tired|i'm scared|i'm alone
    me too|all right|i see|go on|very bad|pretty bad|kind of|sort of|why not|no idea|who knows
    """.replace("\n", "|").split("|")
    if a.strip()
)

_SUBJECT_VERBS = frozenset("i'm im it's its that's thats we're they're you're he's she's".split())

_WORD = re.compile(r"[a-z0-9']+")


class Shape(StrEnum):
    COMPLETE = "complete"  # a finished sentence of 3+ words
    SHORT = "short"  # a one- or two-word answer ("Yes.", "Not really.", "ok")
    INCOMPLETE = "incomplete"  # trails off, or too short to tell


def turn_shape(text: str) -> Shape:
    """How finished do these words look? Conservative: when unsure, INCOMPLETE (a longer wait costs
    a second; cutting in on a caller costs their trust)."""
    t = text.strip().lower().replace("\u2019", "'")
    if not t or t.endswith(("...", "\u2026", ",", "-", "\u2014", "\u2013", ":", ";")):
        return Shape.INCOMPLETE
    words = _WORD.findall(t)
    if not words:
        return Shape.INCOMPLETE
    last = words[-1]
    if len(words) <= 2:
        if last in _STANDALONE or words[0] in _STANDALONE or " ".join(words) in _SHORT_ANSWERS:
            return Shape.SHORT
        # "It's over." "I'm exhausted." "That's true.": a subject and verb, and a word that ends things
        if (
            len(words) == 2
            and words[0] in _SUBJECT_VERBS
            and last not in _HARD_CONTINUERS
            and last not in _SOFT_CONTINUERS
        ):
            return Shape.SHORT
        return Shape.INCOMPLETE
    if last == "so":
        return Shape.COMPLETE if words[-2] in _SO_ENDERS else Shape.INCOMPLETE
    if last in _HARD_CONTINUERS:
        return Shape.INCOMPLETE
    if last in _SOFT_CONTINUERS:
        return Shape.COMPLETE if t.endswith("?") else Shape.INCOMPLETE
    return Shape.COMPLETE


def looks_complete(text: str) -> bool:
    """Could the caller have finished? A sentence, or a short answer Whisper closed with a full stop.
    ("Sorry" without one is usually "Sorry, I just ..." after a breath.)"""
    shape = turn_shape(text)
    if shape is Shape.SHORT:
        return text.strip().endswith((".", "!", "?"))
    return shape is Shape.COMPLETE


# --- frame-level helpers ---------------------------------------------------------------------


_PITCH_NFFT = 2048
_PITCH_FREQS = np.fft.rfftfreq(_PITCH_NFFT, 1 / SAMPLE_RATE)
_PITCH_BAND = (_PITCH_FREQS >= 90) & (_PITCH_FREQS <= 1000)  # where voice harmonics are strongest
_LAG_LO, _LAG_HI = SAMPLE_RATE // 400, SAMPLE_RATE // 70 + 1  # pitch 70-400 Hz


def pitch_strength(window: np.ndarray) -> float:
    """Peak normalised autocorrelation (0..1) over voice pitch lags of a short window (40 ms works
    well), after a 90-1000 Hz band-pass and centre clipping (the classic trick that keeps the pitch
    pulses and drops formant ringing, hum leakage and noise)."""
    x = np.asarray(window, dtype=np.float64)
    n = len(x)
    if n <= _LAG_HI:
        raise ValueError(f"pitch window too short: {n} samples")
    spec = np.fft.rfft(x - x.mean(), _PITCH_NFFT)
    spec[~_PITCH_BAND] = 0
    y = np.fft.irfft(spec, _PITCH_NFFT)[:n]
    clip = 0.3 * np.abs(y).max()
    y = np.where(y > clip, y - clip, np.where(y < -clip, y + clip, 0.0))
    yy = np.fft.rfft(y, _PITCH_NFFT)
    ac = np.fft.irfft(yy * np.conj(yy), _PITCH_NFFT)[:n]
    energy = np.concatenate([[0.0], np.cumsum(y * y)])
    lags = np.arange(_LAG_LO, _LAG_HI)
    norm = np.sqrt(energy[n - lags] * (energy[n] - energy[lags])) + 1e-9
    return float((ac[_LAG_LO:_LAG_HI] / norm).max())


def is_pitched(window: np.ndarray, *, threshold: float = 0.6, min_rms: float = 100.0) -> bool:
    """True when a short window (e.g. the last two 20 ms frames) is periodic at a voice pitch:
    vowels are; coughs, clicks, breaths, hum and line noise are not."""
    x = np.asarray(window, dtype=np.float64)
    if np.sqrt(np.mean((x - x.mean()) ** 2)) < min_rms:
        return False
    return pitch_strength(x) >= threshold


def voiced_ms(
    pcm: np.ndarray, *, aggressiveness: int = 2, vad: webrtcvad.Vad | None = None, stop_at_ms: int | None = None
) -> int:
    """How much of a PCM16 16 kHz signal webrtcvad calls speech (in ms); used to skip decoding noise.
    With ``stop_at_ms`` it stops counting once that much is found."""
    v = vad or webrtcvad.Vad(aggressiveness)
    pcm = np.asarray(pcm, dtype=np.int16)
    n = len(pcm) // FRAME_SAMPLES
    if n == 0:
        return 0
    buf = pcm[: n * FRAME_SAMPLES].tobytes()
    count = 0
    for i in range(n):
        if v.is_speech(buf[i * FRAME_BYTES : (i + 1) * FRAME_BYTES], SAMPLE_RATE):
            count += 1
            if stop_at_ms is not None and count * FRAME_MS >= stop_at_ms:
                break
    return count * FRAME_MS


def pitched_ms(pcm: np.ndarray, *, aggressiveness: int = 2, stop_at_ms: int | None = None) -> int:
    """How much of a PCM16 16 kHz signal is voiced *and* periodic at a voice pitch (vowels), in ms.
    Noise, breaths and coughs that webrtcvad may call speech score ~0."""
    v = webrtcvad.Vad(aggressiveness)
    pcm = np.asarray(pcm, dtype=np.int16)
    n = len(pcm) // FRAME_SAMPLES
    count = 0
    for i in range(1, n):
        frame = pcm[i * FRAME_SAMPLES : (i + 1) * FRAME_SAMPLES]
        if v.is_speech(frame.tobytes(), SAMPLE_RATE) and is_pitched(pcm[(i - 1) * FRAME_SAMPLES : (i + 1) * FRAME_SAMPLES]):
            count += 1
            if stop_at_ms is not None and count * FRAME_MS >= stop_at_ms:
                break
    return count * FRAME_MS


def squeeze_pauses(pcm: np.ndarray, *, max_pause_ms: int = 400, aggressiveness: int = 2) -> np.ndarray:
    """Shorten every stretch of non-speech longer than ``max_pause_ms`` to that length (keeping its
    two edges). Whisper tiny.en often stops transcribing at a long pause inside a turn ("When I get
    home I just [0.9 s] sit on the couch and [0.5 s] scroll on my phone." came back as "When I get home
    I just."); with the pauses squeezed it hears the whole turn, and decodes less audio."""
    pcm = np.asarray(pcm, dtype=np.int16)
    n = len(pcm) // FRAME_SAMPLES
    keep = max(1, max_pause_ms // FRAME_MS)
    if n <= keep:
        return pcm
    v = webrtcvad.Vad(aggressiveness)
    buf = pcm[: n * FRAME_SAMPLES].tobytes()
    voiced = np.fromiter(
        (v.is_speech(buf[i * FRAME_BYTES : (i + 1) * FRAME_BYTES], SAMPLE_RATE) for i in range(n)), bool, n
    )
    mask = np.ones(n, dtype=bool)  # frames to keep
    i = 0
    while i < n:
        if voiced[i]:
            i += 1
            continue
        j = i
        while j < n and not voiced[j]:
            j += 1
        if j - i > keep:
            if i == 0:
                mask[: j - keep] = False  # leading silence: keep the end
            elif j == n:
                mask[i + keep :] = False  # trailing silence: keep the start
            else:
                mask[i + keep // 2 : j - (keep - keep // 2)] = False
        i = j
    if mask.all():
        return pcm
    frames = pcm[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES)[mask].reshape(-1)
    return np.concatenate([frames, pcm[n * FRAME_SAMPLES :]])


# --- endpointing -----------------------------------------------------------------------------


class Endpointer:
    """Turn-taking for one call. Feed every incoming 20 ms frame to ``push``; it returns the events
    the frame caused (usually none).

    Timing attributes (stream time in ms, counted from the first frame pushed) for latency accounting:
    ``now_ms``, ``speech_start_ms``, ``last_voiced_ms`` (end of the last voiced frame of the turn: turn
    latency is measured from here), ``silence_ms`` (current trailing silence).
    """

    def __init__(self, config: VadConfig | None = None) -> None:
        self.config = config or VadConfig()
        self._vad = webrtcvad.Vad(self.config.aggressiveness)
        c = self.config
        self._start_win: deque[bool] = deque(maxlen=max(1, c.start_window_ms // FRAME_MS))
        self._resume_win: deque[bool] = deque(maxlen=max(1, c.resume_window_ms // FRAME_MS))
        self._preroll: deque[bytes] = deque(maxlen=max(0, c.preroll_ms // FRAME_MS) + 1)
        self._turn: list[bytes] = []
        self._last_turn: list[bytes] = []
        self.now_ms = 0
        self.in_speech = False
        self.paused = False  # SILENCE_START emitted and speech not resumed
        self.speech_start_ms: int | None = None
        self.last_voiced_ms = 0
        self.silence_ms = 0
        self._text = ""
        self._text_upto_ms: int | None = None
        self._text_logprob: float | None = None
        self._text_end_prob: float | None = None
        self.speech_level_db: float | None = None  # the caller's voice level (dB), from voiced frames
        self._levels: deque[float] = deque(maxlen=500)
        self._levels_new = 0
        self._gated = False  # the last frame was voice-like but far below the caller's level
        self._gated_in_pause = False
        self._since_loud_ms = 0  # stream ms since the last voiced frame at the caller's own level
        self._noise: deque[float] = deque(maxlen=100)  # levels (dB) of recent non-speech frames (2 s)
        self._noise_new = 0
        self.noise_floor_db = _SILENT_DB  # the line's background level, before we have heard any

    # -- words ----------------------------------------------------------------------------
    def set_text(
        self,
        text: str,
        *,
        upto_ms: int | None = None,
        avg_logprob: float | None = None,
        end_prob: float | None = None,
    ) -> None:
        """The latest words of this turn (partial or speculative final). ``upto_ms`` is the stream time
        the decoded audio reached (default: now). Only words that cover the current pause can pick the
        short silence. ``avg_logprob`` (``AsrResult.avg_logprob``): words the recogniser was unsure of
        (misheard fragments often read as finished sentences) never pick the short silence; nor do
        words whose ending was unsure (``end_prob``, ``AsrResult.end_prob``)."""
        self._text = text
        self._text_upto_ms = self.now_ms if upto_ms is None else upto_ms
        self._text_logprob = avg_logprob
        self._text_end_prob = end_prob

    @property
    def text(self) -> str:
        return self._text

    def required_silence_ms(self) -> int:
        """How long the current pause must last to end the turn, given what we know now."""
        c = self.config
        if c.fixed_silence_ms is not None:
            return c.fixed_silence_ms
        fresh = self._text_upto_ms is not None and self._text_upto_ms >= self.last_voiced_ms
        if not fresh:
            return c.incomplete_silence_ms
        shape = turn_shape(self._text)
        if shape is Shape.COMPLETE:
            unsure = (self._text_logprob is not None and self._text_logprob < c.unsure_logprob) or (
                self._text_end_prob is not None and self._text_end_prob < c.unsure_end_prob
            )
            return max(c.unsure_silence_ms, c.complete_silence_ms) if unsure else c.complete_silence_ms
        if shape is Shape.SHORT:
            # A first word then a breath ("Sorry, ... I just") is common, and tiny.en often drops the
            # full stop on one word ("ok"): short answers wait longer, longer still without a stop.
            stopped = self._text.strip().endswith((".", "!", "?"))
            return c.short_answer_silence_ms if stopped else c.short_unstopped_silence_ms
        return c.incomplete_silence_ms

    # -- audio ----------------------------------------------------------------------------
    def utterance(self) -> np.ndarray:
        """The current turn's audio so far (from just before SPEECH_START), or after TURN_END the
        finished turn's audio, as np.int16."""
        frames = self._turn if self.in_speech else self._last_turn
        return np.frombuffer(b"".join(frames), dtype=np.int16)

    def reset(self) -> None:
        """Forget the current turn (e.g. the line started talking and the call loop discards it)."""
        self._start_win.clear()
        self._resume_win.clear()
        self._turn = []
        self.in_speech = False
        self.paused = False
        self.silence_ms = 0
        self._gated_in_pause = False
        self._text, self._text_upto_ms, self._text_logprob, self._text_end_prob = "", None, None, None

    def _classify(self, frame: bytes) -> bool:
        self._gated = False
        c = self.config
        voiced = self._vad.is_speech(frame, SAMPLE_RATE)
        if c.level_gate_db is None and c.noise_margin_db is None:
            return voiced
        x = np.frombuffer(frame, dtype=np.int16).astype(np.float32)
        level = 10.0 * float(np.log10(np.dot(x, x) / len(x) + 1.0))
        if not voiced:
            self._track_noise(level)
            return False
        if c.noise_margin_db is not None and level < self.noise_floor_db + c.noise_margin_db:
            return False  # webrtcvad's hangover over the line's background: silence, not a word's tail
        if c.level_gate_db is None:
            return True
        if self.speech_level_db is not None and level < self.speech_level_db - c.level_gate_db:
            self._gated = True
            return False  # far quieter than this caller speaks: background, not them
        if self.in_speech:
            self._levels.append(level)
            self._levels_new += 1
            if self.speech_level_db is None or self._levels_new >= 10:
                # the caller's loud syllables over the last ~10 s of their speech
                self.speech_level_db = float(np.percentile(np.fromiter(self._levels, float), 90))
                self._levels_new = 0
        return True

    def _track_noise(self, level: float) -> None:
        self._noise.append(level)
        self._noise_new += 1
        if self._noise_new >= 10:  # every 200 ms: the quiet end of the recent non-speech frames
            self.noise_floor_db = max(_SILENT_DB, float(np.percentile(np.fromiter(self._noise, float), 20)))
            self._noise_new = 0

    def push(self, frame: bytes) -> list[VadEvent]:
        _check_frame(frame)
        c = self.config
        voiced = self._classify(frame)
        self.now_ms += FRAME_MS
        events: list[VadEvent] = []

        if not self.in_speech:
            self._preroll.append(frame)
            self._start_win.append(voiced)
            if sum(self._start_win) * FRAME_MS >= c.start_voiced_ms:
                self.in_speech = True
                self.paused = False
                self._turn = list(self._preroll)
                self._preroll.clear()
                self.speech_start_ms = self.now_ms - len(self._turn) * FRAME_MS
                self.last_voiced_ms = self.now_ms
                self.silence_ms = 0
                self._text, self._text_upto_ms, self._text_logprob, self._text_end_prob = "", None, None, None
                self._resume_win.clear()
                events.append(VadEvent.SPEECH_START)
            return events

        self._turn.append(frame)
        self._resume_win.append(voiced)
        self._since_loud_ms = 0 if voiced else self._since_loud_ms + FRAME_MS
        if not self.paused:
            # A word's quiet tail ("tasks", a fading vowel, the release of a final "k" after its
            # silent closure) falls under the level gate: gated frames up to gated_tail_ms after the
            # last frame at the caller's level are the word's end, not a pause.
            tail = self._gated and self._since_loud_ms <= c.gated_tail_ms
            if voiced or tail:
                self.last_voiced_ms = self.now_ms
                self.silence_ms = 0
                self._gated_in_pause = False
            else:
                self.silence_ms += FRAME_MS
                self._gated_in_pause |= self._gated
                # quiet consonants also fall under the level gate: such a pause must be longer
                need = max(c.silence_start_ms, c.gated_silence_start_ms) if self._gated_in_pause else c.silence_start_ms
                if self.silence_ms >= need:
                    self.paused = True
                    events.append(VadEvent.SILENCE_START)
        else:
            if sum(self._resume_win) * FRAME_MS >= c.resume_voiced_ms:
                # Speech resumed: the voiced run that got us here is part of the turn again.
                self.paused = False
                self.silence_ms = 0
                self._gated_in_pause = False
                self.last_voiced_ms = self.now_ms
                events.append(VadEvent.SPEECH_RESUMED)
            elif not voiced:
                # a voiced frame here may be speech coming back (SPEECH_RESUMED needs a few): it is
                # not silence, so the wait does not run out on the first syllable of the next word
                self.silence_ms += FRAME_MS

        turn_ms = self.now_ms - (self.speech_start_ms or 0)
        if (self.paused and self.silence_ms >= self.required_silence_ms()) or turn_ms >= c.max_turn_ms:
            events.append(VadEvent.TURN_END)
            self._last_turn = self._turn
            self._turn = []
            self.in_speech = False
            self.paused = False
            self._start_win.clear()
            self._resume_win.clear()
        return events

    def poll(self) -> list[VadEvent]:
        """Re-check the turn end without a new frame (after ``set_text`` arrives mid-pause). Returns
        [TURN_END] when the words now allow it; the next frame would end it anyway."""
        if self.in_speech and self.paused and self.silence_ms >= self.required_silence_ms():
            self._last_turn = self._turn
            self._turn = []
            self.in_speech = False
            self.paused = False
            self._start_win.clear()
            self._resume_win.clear()
            return [VadEvent.TURN_END]
        return []


# --- barge-in --------------------------------------------------------------------------------


class BargeInDetector:
    """Caller speech while the line is talking. Fires once (``push`` returns True) when at least
    ``min_voiced_ms`` of the last ``window_ms`` are voiced by webrtcvad and at least ``min_pitched_ms``
    of them are periodic at a voice pitch, so a click, a cough or a door does not stop the line.
    Calls are 4-wire (the line's own audio is not in the caller's stream), so no echo cancelling.
    Call ``reset()`` when the line starts a new utterance."""

    def __init__(
        self,
        *,
        min_voiced_ms: int = 200,
        window_ms: int = 260,
        min_pitched_ms: int = 80,
        aggressiveness: int = 3,
    ) -> None:
        self.min_voiced_ms = min_voiced_ms
        self.min_pitched_ms = min_pitched_ms
        self._vad = webrtcvad.Vad(aggressiveness)
        n = max(1, window_ms // FRAME_MS)
        self._voiced: deque[bool] = deque(maxlen=n)
        self._pitched: deque[bool] = deque(maxlen=n)
        self._prev = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        self.fired = False

    def reset(self) -> None:
        self._voiced.clear()
        self._pitched.clear()
        self._prev = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        self.fired = False

    def push(self, frame: bytes) -> bool:
        _check_frame(frame)
        voiced = self._vad.is_speech(frame, SAMPLE_RATE)
        cur = np.frombuffer(frame, dtype=np.int16)
        # pitch on 40 ms (this frame and the last) so low voices (long periods) are seen
        pitched = voiced and is_pitched(np.concatenate([self._prev, cur]))
        self._prev = cur
        self._voiced.append(voiced)
        self._pitched.append(pitched)
        if self.fired:
            return False
        if (
            sum(self._voiced) * FRAME_MS >= self.min_voiced_ms
            and sum(self._pitched) * FRAME_MS >= self.min_pitched_ms
        ):
            self.fired = True
            return True
        return False
