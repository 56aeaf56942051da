"""Calibrate the endpointer's "unsure ending" rule on sentences that are NOT the bench's script.

    .venv/bin/python -m voice.bench.endpoint_calibration [--json out.json] [--voices piper,espeak]

Each calibration line is an everyday sentence split at natural hesitation points. It is spoken by a
synthetic caller (Piper and espeak-ng, ``voice.bench.corpus.synth``) with 0.5-1.2 s pauses at those
points, passed through the phone path (16 kHz -> 8 kHz µ-law -> 16 kHz) and fed frame by frame to the
real ``Endpointer``. At every ``SILENCE_START`` the turn so far (``ep.utterance()``, exactly what the
call loop decodes speculatively) goes through the real transcriber, and the decode is labelled:

- ``prefix``: the silence is a mid-sentence hesitation (the caller WILL go on). If its words look
  finished (``turn_shape`` COMPLETE) and the recogniser is sure of them, the line would answer after
  360 ms: a false cut-in. These are the *danger* set.
- ``final``: the silence after the last word. If its words are flagged unsure, the turn waits the
  long silence: the *cost* set.
- ``inner``: a short silence inside a piece (a stop consonant, a comma); reported, not scored.

For every decode it records token-level confidences (greedy decoding's softmax probability of each
token, and of end-of-text after the last one) and prints, per candidate feature and threshold, how
many danger decodes are caught and how many finals are flagged, per voice. It also measures how much
silence the endpointer counts inside the longest (1.2 s) hesitations, which bounds the "unsure" wait.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from voice.audio import resample, ulaw_decode, ulaw_encode
from voice.bench.corpus import synth
from voice.vad import FRAME_SAMPLES, Endpointer, Shape, VadConfig, VadEvent, squeeze_pauses, turn_shape

RATE = 16_000

# Mild everyday worries, like the bench's but none of its sentences; split where people hesitate:
# mostly after a word that needs more ("to", "that", "I", "been"), sometimes after a clause that could
# be finished on its own ("The bus was late again ... and I missed my appointment").
LINES: tuple[tuple[str, ...], ...] = (
    ("I've been finding it", "hard to focus at work."),
    ("My sister and I", "had an argument on the phone last week."),
    ("I think I'm just", "a bit stressed about money right now."),
    ("The thing is", "I don't really have anyone to talk to about it."),
    ("Every morning I", "wake up feeling tired even after eight hours."),
    ("I'm worried that", "my exams won't go well next month."),
    ("My neighbour plays", "loud music late at night", "and I can't get to sleep."),
    ("Sometimes I feel like", "nobody at work listens to me."),
    ("I've been meaning to", "call my mum but I keep putting it off."),
    ("We moved to a new city", "and I haven't made any friends yet."),
    ("I get nervous when", "I have to speak in front of people."),
    ("My back has been", "hurting for a few weeks now."),
    ("I spend too much time", "worrying about little things."),
    ("I don't know if", "I should look for a new job."),
    ("My partner works nights so", "we barely see each other."),
    ("The house feels", "really quiet since the kids moved out."),
    ("I tried to", "go to the gym but", "I only lasted ten minutes."),
    ("I keep forgetting", "to eat lunch when I'm busy."),
    ("It's been", "a long week and I'm worn out."),
    ("My friend cancelled on me", "again this weekend."),
    ("I feel a bit", "left out at family dinners."),
    ("Our landlord wants to", "raise the rent in the spring."),
    ("I was hoping to", "finish my project before the holidays."),
    ("Lately I've been", "eating a lot of junk food."),
    ("My dog is getting old and", "I worry about him."),
    ("I'm not sure how to", "tell my boss I need a day off."),
    ("The bus was late again", "and I missed my appointment."),
    ("I think my", "phone is making me more anxious."),
    ("After dinner I usually", "watch television until midnight."),
    ("My brother never", "answers my messages."),
    ("I've started", "walking to work in the mornings", "and it helps a bit."),
    ("I'd like to", "get better at saying no to people."),
    ("Whenever it rains I", "feel a little down."),
    ("My new job is", "more stressful than I expected."),
    ("I used to", "paint a lot but I stopped last year."),
    ("I've been thinking about", "taking a short holiday."),
    ("It bothers me that", "I can't seem to save any money."),
    ("On Sundays I", "get this feeling of dread about the week."),
    ("My flatmate leaves", "dishes in the sink all the time."),
    ("I'm trying to", "cut down on coffee", "but it's hard."),
    ("My daughter starts school", "next week and I'm nervous for her."),
    ("I would like to", "sleep better at night."),
    ("I'm a little", "nervous about my driving test."),
    ("My mum has been", "calling me every day this week."),
    ("I think I need to", "spend less time on my phone."),
    ("It's hard to", "relax when the flat is so messy."),
    ("I've noticed that", "I get grumpy when I'm hungry."),
    ("We were supposed to", "go away this weekend but it got cancelled."),
    ("My boss asked me to", "stay late again tonight."),
    ("I feel like I'm always", "running behind on everything."),
    ("I keep putting off", "going to the dentist."),
    ("Our car broke down and", "the repair is going to be expensive."),
    ("I've got so much", "laundry piled up at home."),
    ("The weather has been", "so grey that it gets me down."),
    ("My son doesn't", "talk to me much these days."),
    ("I'm starting a new", "course in September and I'm a bit nervous."),
    ("Sometimes I wonder if", "I'm doing enough for my parents."),
    ("I had a", "strange dream last night about my old school."),
    ("I've been trying to", "drink more water during the day."),
    ("My best friend is", "moving to another country."),
    ("I get annoyed when", "people talk during films."),
    ("I was going to", "bake a cake but I ran out of eggs."),
    ("It feels like", "the days are getting shorter and shorter."),
    ("I've been a bit", "lonely since my roommate moved out."),
    ("My team at work", "doesn't really get along."),
    ("I wish I could", "take a proper break from everything."),
    ("Whenever I", "check my emails", "I feel overwhelmed."),
    ("I'm not very good at", "asking for help."),
    ("My grandmother is", "in hospital and I'm worried about her."),
    ("I always feel", "a bit awkward at parties."),
    ("The noise from the", "building site wakes me up early."),
    ("I've been having", "trouble remembering names lately."),
    ("I can never", "decide what to cook for dinner."),
    ("My cat has been", "hiding under the bed all day."),
    ("I think about", "my old job more than I should."),
    ("I'd really like to", "learn to play the guitar."),
    ("My parents keep asking", "when I'm going to settle down."),
    ("I'm a bit worried about", "the cost of heating this winter."),
    ("When I'm tired I", "get short with my kids."),
    ("I haven't been", "outside much this week."),
    ("There's a lot of", "pressure at my new school."),
    ("I just want to", "feel like myself again."),
)
PAUSES_S = (0.8, 1.2, 0.5, 1.0, 0.6, 1.2, 0.9, 0.7, 1.1, 1.2)  # cycled over the hesitations
LEAD_S, TAIL_S = 0.6, 2.0


@dataclass
class Decode:
    voice: str
    line: int
    kind: str  # prefix | final | inner
    truth: str  # what the caller has said so far
    truth_shape: str
    text: str
    shape: str
    avg_logprob: float
    end_prob: float  # AsrResult.end_prob as the transcriber computed it
    tokens: list[str] = field(default_factory=list)
    probs: list[float] = field(default_factory=list)  # softmax prob of each chosen token
    p_eot: float = 1.0  # prob of end-of-text after the last token
    # the most likely tokens (and their probs) at each of the last TOP_STEPS steps, end-of-text step included
    top: list[list[tuple[str, float]]] = field(default_factory=list)


@dataclass
class PauseSilence:
    voice: str
    pause_s: float
    counted_ms: int  # longest trailing silence the endpointer counted inside this pause


def phone_path(pcm: np.ndarray) -> np.ndarray:
    """16 kHz -> 8 kHz -> G.711 µ-law -> 16 kHz, as a caller reaches the server."""
    narrow = resample(pcm, RATE, 8000)
    return resample(ulaw_decode(ulaw_encode(narrow)), 8000, RATE)


TOP_STEPS, TOP_K = 6, 8


def _token_probs(model, pcm: np.ndarray) -> tuple[list[int], list[float], float, list[list[tuple[str, float]]]]:
    """Greedy-decode one utterance exactly as ``voice.asr._Model.decode`` does and return the chosen
    tokens, each one's softmax probability, the probability of end-of-text after the last, and the
    top alternatives at the last few steps."""
    r = model.generate([pcm])[0]
    tokens = list(r.sequences_ids[0])
    probs = []
    eot = 1.0
    top = []
    steps = list(r.logits[0])
    for i, step in enumerate(steps):
        row = np.asarray(step, dtype=np.float64).ravel()
        p = np.exp(row - row.max())
        p /= p.sum()
        if i < len(tokens):
            probs.append(float(p[tokens[i]]))
        else:
            eot = float(p[model.tokenizer.eot])
        if i >= len(steps) - TOP_STEPS:
            best = np.argsort(p)[::-1][:TOP_K]
            top.append([("<eot>" if t == model.tokenizer.eot else model.tokenizer.decode([int(t)]), float(p[t])) for t in best])
    return tokens, probs, eot, top


def _build(pieces: tuple[str, ...], voice: str, pauses: list[float]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The caller's stream (phone path applied) and each piece's (start, end) in samples."""
    parts = [np.zeros(int(LEAD_S * RATE), np.int16)]
    spans = []
    pos = len(parts[0])
    for k, piece in enumerate(pieces):
        pcm = synth(piece, voice)
        spans.append((pos, pos + len(pcm)))
        parts.append(pcm)
        pos += len(pcm)
        gap = np.zeros(int((pauses[k] if k < len(pauses) else TAIL_S) * RATE), np.int16)
        parts.append(gap)
        pos += len(gap)
    return phone_path(np.concatenate(parts)), spans


def calibration_lines() -> list[tuple[tuple[str, ...], list[float]]]:
    """LINES with their hesitation lengths (PAUSES_S, cycled)."""
    out, hes = [], 0
    for pieces in LINES:
        out.append((pieces, [PAUSES_S[(hes + j) % len(PAUSES_S)] for j in range(len(pieces) - 1)]))
        hes += len(pieces) - 1
    return out


def bench_lines() -> list[tuple[tuple[str, ...], list[float]]]:
    """The bench's own script: a held-out check only, never used to pick the rule."""
    from voice.bench.corpus import SCRIPT

    return [(line.pieces, list(line.pauses)) for line in SCRIPT]


def collect(
    voices: list[str],
    lines: list[tuple[tuple[str, ...], list[float]]] | None = None,
    log: Callable[[str], None] = print,
) -> tuple[list[Decode], list[PauseSilence]]:
    from voice.asr import get_transcriber

    tr = get_transcriber()
    tr.warmup()
    decodes: list[Decode] = []
    silences: list[PauseSilence] = []
    for li, (pieces, pauses) in enumerate(lines if lines is not None else calibration_lines()):
        for voice in voices:
            stream, spans = _build(pieces, voice, pauses)
            ep = Endpointer(VadConfig())  # no words are given, so it never ends a turn at a 1.2 s pause
            longest = [0] * len(pauses)
            for i in range(len(stream) // FRAME_SAMPLES):
                events = ep.push(stream[i * FRAME_SAMPLES : (i + 1) * FRAME_SAMPLES].tobytes())
                pos = (i + 1) * FRAME_SAMPLES
                after = sum(1 for _, e in spans if e <= pos)  # pieces fully spoken so far
                if ep.paused and 0 < after < len(pieces) and pos < spans[after][0]:
                    longest[after - 1] = max(longest[after - 1], ep.silence_ms)
                if VadEvent.SILENCE_START not in events:
                    continue
                # where the stream is now: between two pieces (a hesitation), after the last, or inside one
                inside = after == 0 or (after < len(pieces) and pos >= spans[after][0])
                kind = "inner" if inside else ("final" if after == len(pieces) else "prefix")
                utt = ep.utterance().copy()
                res = tr.transcribe_sync(utt)
                if res is None or res.skipped:
                    continue
                toks, probs, eot, top = _token_probs(tr._model, squeeze_pauses(utt, max_pause_ms=tr.max_pause_ms))
                truth = " ".join(pieces[: max(after, 1)])
                d = Decode(
                    voice=voice,
                    line=li,
                    kind=kind,
                    truth=truth,
                    truth_shape=str(turn_shape(truth)),
                    text=res.text,
                    shape=str(turn_shape(res.text)),
                    avg_logprob=res.avg_logprob,
                    end_prob=res.end_prob,
                    tokens=[tr._model.tokenizer.decode([t]) for t in toks],
                    probs=probs,
                    p_eot=eot,
                    top=top,
                )
                decodes.append(d)
                flag = "!" if kind == "prefix" and d.shape == Shape.COMPLETE else " "
                log(f"{flag} {voice:6} {kind:6} {d.shape:10} end={d.end_prob:.2f} lp={d.avg_logprob:+.2f} {res.text!r}")
            silences += [PauseSilence(voice, p, ms) for p, ms in zip(pauses, longest, strict=True)]
    return decodes, silences


# --- features and rules ---------------------------------------------------------------------------


def _is_punct(tok: str) -> bool:
    piece = tok.strip()
    return bool(piece) and not any(ch.isalnum() for ch in piece)


def _words_last(k: int) -> Callable[[Decode], float]:
    """Lowest prob over the last ``k`` tokens that are not punctuation."""

    def f(d: Decode) -> float:
        ps = [p for t, p in zip(d.tokens, d.probs, strict=True) if not _is_punct(t)]
        return min([1.0, *ps[-k:]])

    return f


def _tokens_last(k: int) -> Callable[[Decode], float]:
    """Lowest prob over the last ``k`` tokens, punctuation included (the first end_prob)."""
    return lambda d: min([1.0, *d.probs[-k:]])


def _punct(d: Decode) -> float:
    return d.probs[-1] if d.tokens and _is_punct(d.tokens[-1]) else 1.0


def _p_stop(d: Decode) -> float:
    """Probability mass of ". ? ! <eot>" at the step right after the last word."""
    b = len(d.tokens)
    while b > 0 and _is_punct(d.tokens[b - 1]):
        b -= 1
    j = b - (len(d.tokens) + 1 - len(d.top))
    if not 0 <= j < len(d.top):
        return 1.0
    return sum(p for t, p in d.top[j] if t == "<eot>" or t.strip() in {".", "?", "!"})


FEATURES: dict[str, Callable[[Decode], float]] = {
    "tokens_last3 (incl. punct)": _tokens_last(3),
    "words_last1": _words_last(1),
    "words_last2": _words_last(2),
    "words_last3": _words_last(3),
    "words_last4": _words_last(4),
    "min_all": lambda d: min([1.0, *d.probs]),
    "punct": _punct,
    "p_eot": lambda d: d.p_eot,
    "p_stop": _p_stop,
    "exp(avg_logprob)": lambda d: float(np.exp(d.avg_logprob)),
}
THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


def _trusted(d: Decode, cfg: VadConfig, unsure: Callable[[Decode], bool]) -> bool:
    """Would these words end the turn after the short silence?"""
    return d.shape == Shape.COMPLETE and d.avg_logprob >= cfg.unsure_logprob and not unsure(d)


def _outcome(decodes: list[Decode], voice: str, cfg: VadConfig, unsure: Callable[[Decode], bool]) -> str:
    pre = [d for d in decodes if d.voice == voice and d.kind == "prefix"]
    frag = [d for d in pre if d.truth_shape != Shape.COMPLETE]
    fin = [d for d in decodes if d.voice == voice and d.kind == "final"]
    cut = sum(_trusted(d, cfg, unsure) for d in pre)
    cut_frag = sum(_trusted(d, cfg, unsure) for d in frag)
    slow = sum(not _trusted(d, cfg, unsure) for d in fin)
    flagged = sum(d.shape == Shape.COMPLETE and d.avg_logprob >= cfg.unsure_logprob and unsure(d) for d in fin)
    return (
        f"{voice:6} cut-ins {cut:2}/{len(pre):2} (truth-incomplete {cut_frag:2}/{len(frag):2} = "
        f"{100 * cut_frag / max(1, len(frag)):4.1f}%)  finals waiting long {slow:2}/{len(fin):2} "
        f"({flagged:2} by this rule)"
    )


def report(decodes: list[Decode], silences: list[PauseSilence], voices: list[str]) -> None:
    cfg = VadConfig()
    print("\nCOMPLETE-shaped decodes at hesitations (the line would answer after 360 ms if it trusted them):")
    for v in voices:
        pre = [d for d in decodes if d.voice == v and d.kind == "prefix"]
        cp = [d for d in pre if d.shape == Shape.COMPLETE]
        ti = [d for d in cp if d.truth_shape != Shape.COMPLETE]
        lowlp = [d for d in cp if d.avg_logprob < cfg.unsure_logprob]
        print(
            f"  {v:6} {len(cp):2} of {len(pre):2} hesitations: {len(ti):2} misheard fragments (what was said "
            f"is INCOMPLETE-shaped), {len(cp) - len(ti):2} whose true words already look complete to "
            f"turn_shape; {len(lowlp):2} already distrusted by avg_logprob < {cfg.unsure_logprob}"
        )
    print(
        "\ndanger = COMPLETE-shaped hesitation decodes with avg_logprob >= "
        f"{cfg.unsure_logprob} (misheard fragments in brackets); cost = COMPLETE-shaped finals "
        "with avg_logprob >= that; cells = caught or flagged when feature < threshold"
    )
    print("  feature                     thr " + "".join(f"| {v:6} danger (frag)  cost   " for v in voices))
    for name, f in FEATURES.items():
        for thr in THRESHOLDS:
            row = f"  {name:27} {thr:.2f}"
            for v in voices:
                dv = [d for d in decodes if d.voice == v and d.kind == "prefix" and d.shape == Shape.COMPLETE]
                dv = [d for d in dv if d.avg_logprob >= cfg.unsure_logprob]
                frag = [d for d in dv if d.truth_shape != Shape.COMPLETE]
                fv = [d for d in decodes if d.voice == v and d.kind == "final" and d.shape == Shape.COMPLETE]
                fv = [d for d in fv if d.avg_logprob >= cfg.unsure_logprob]
                row += (
                    f"| {sum(f(d) < thr for d in dv):2}/{len(dv):2} ({sum(f(d) < thr for d in frag):2}/{len(frag):2})"
                    f"  {sum(f(d) < thr for d in fv):2}/{len(fv):2} "
                )
            print(row)
    for tag in ("punct",):
        for v in voices:
            fin = [FEATURES[tag](d) for d in decodes if d.voice == v and d.kind == "final" and _is_punct(d.tokens[-1] if d.tokens else "")]
            dan = [
                FEATURES[tag](d)
                for d in decodes
                if d.voice == v and d.kind == "prefix" and d.shape == Shape.COMPLETE and d.tokens and _is_punct(d.tokens[-1])
            ]
            if fin and dan:
                print(
                    f"  {v:6} median prob of the final punctuation: finals {np.median(fin):.2f} (n={len(fin)}), "
                    f"complete-looking hesitations {np.median(dan):.2f} (n={len(dan)})"
                )
    rules: dict[str, Callable[[Decode], bool]] = {
        "avg_logprob only (before end_prob)": lambda d: False,
        "tokens_last3 (incl. punct) < 0.5 (first end_prob)": lambda d: _tokens_last(3)(d) < 0.5,
        f"AsrResult.end_prob < {cfg.unsure_end_prob} (implemented)": lambda d: d.end_prob < cfg.unsure_end_prob,
    }
    print(f"\noutcome per rule (with avg_logprob < {cfg.unsure_logprob} as well):")
    for name, rule in rules.items():
        print(f"  {name}")
        for v in voices:
            print(f"    {_outcome(decodes, v, cfg, rule)}")
    print("\nsilence the endpointer counts inside a hesitation (ms), by pause length:")
    for v in voices:
        for p in sorted({s.pause_s for s in silences}):
            ms = [s.counted_ms for s in silences if s.voice == v and s.pause_s == p]
            if ms:
                print(f"  {v:6} pause {p:.1f} s: max {max(ms)} ms, median {int(np.median(ms))} ms (n={len(ms)})")
    print(f"  (VadConfig.unsure_silence_ms = {cfg.unsure_silence_ms} ms)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--voices", default="piper,espeak")
    ap.add_argument("--bench-script", action="store_true", help="held-out check on the bench's own lines")
    ap.add_argument("--json", help="write every decode (and the pause silences) here")
    ap.add_argument("--load", help="analyse a JSON written by --json instead of decoding again")
    ap.add_argument("--quiet", action="store_true", help="do not print each decode")
    args = ap.parse_args(argv)
    voices = [v.strip() for v in args.voices.split(",") if v.strip()]
    if args.load:
        with open(args.load) as fh:
            data = json.load(fh)
        decodes = [Decode(**d) for d in data["decodes"]]
        silences = [PauseSilence(**s) for s in data["silences"]]
    else:
        lines = bench_lines() if args.bench_script else calibration_lines()
        decodes, silences = collect(voices, lines, log=(lambda s: None) if args.quiet else print)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump({"decodes": [asdict(d) for d in decodes], "silences": [asdict(s) for s in silences]}, fh, indent=1)
    report(decodes, silences, voices)
    return 0


if __name__ == "__main__":
    sys.exit(main())
