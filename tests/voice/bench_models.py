"""Model-level benchmark for the voice stack (not a test; timing lives in benchmarks, not asserts).

    .venv/bin/python -m tests.voice.bench_models [--reps 7] [--json out.json]

Measures, on real phone-quality speech: ASR per-request decode time (median, queueing included) and
the wall time for N utterances arriving together, batched vs one at a time, with the adaptive encoder
window and with Whisper's fixed 30 s window; and TTS time to the first chunk, cached vs uncached.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time

from tests.voice.speech import phone_quality, synth_speech
from voice.asr import Transcriber, _Model, resolve_model_path
from voice.tts import Synthesizer, bundled_voice_path, load_piper_voice

UTTERANCES = [
    "I have been feeling really anxious about work lately.",
    "I can't sleep at night and I keep worrying.",
    "My sister said I should call someone.",
    "Yes, that sounds like a good idea to me.",
]
REPLY = "Thank you for telling me. That sounds really heavy to carry on your own. Would you like to say more?"


def bench_asr(reps: int) -> list[dict]:
    audio = [phone_quality(synth_speech(t)) for t in UTTERANCES]
    threads = os.cpu_count() or 1
    rows = []
    for window, min_window_s in (("adaptive", 10.0), ("30s", 30.0)):
        model = _Model(resolve_model_path(None), threads, min_window_s=min_window_s)
        for batching in (True, False):
            tr = Transcriber(model, batching=batching)
            tr.warmup()
            for n in (1, 4, 8):
                per_req, walls = [], []
                for _ in range(reps):
                    t0 = time.perf_counter()
                    futs = [tr.submit(audio[i % len(audio)]) for i in range(n)]
                    res = [f.result() for f in futs]
                    walls.append((time.perf_counter() - t0) * 1000)
                    per_req += [r.decode_ms for r in res]
                rows.append(
                    {
                        "window": window,
                        "batching": batching,
                        "concurrent": n,
                        "decode_ms_p50": round(statistics.median(per_req)),
                        "decode_ms_max": round(max(per_req)),
                        "wall_ms_p50": round(statistics.median(walls)),
                    }
                )
            tr.close()
    return rows


async def bench_tts(reps: int) -> dict:
    voice = load_piper_voice(bundled_voice_path())
    uncached = Synthesizer(bundled_voice_path(), cache=False, voice=voice)
    cached = Synthesizer(bundled_voice_path(), cache=True, voice=voice)
    uncached.warmup()

    async def first_chunk_ms(s: Synthesizer) -> float:
        t0 = time.perf_counter()
        gen = s.stream(REPLY)
        await gen.__anext__()
        ms = (time.perf_counter() - t0) * 1000
        await gen.aclose()
        return ms

    un = [await first_chunk_ms(uncached) for _ in range(reps)]
    await cached.prewarm([REPLY])
    ca = [await first_chunk_ms(cached) for _ in range(reps)]
    return {"first_chunk_ms_uncached_p50": round(statistics.median(un), 1),
            "first_chunk_ms_cached_p50": round(statistics.median(ca), 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    asr = bench_asr(args.reps)
    tts = asyncio.run(bench_tts(args.reps))
    print(f"{'window':9s} {'batching':9s} {'n':>3s} {'decode p50':>10s} {'max':>6s} {'wall p50':>9s}")
    for r in asr:
        print(f"{r['window']:9s} {str(r['batching']):9s} {r['concurrent']:3d} {r['decode_ms_p50']:10d} "
              f"{r['decode_ms_max']:6d} {r['wall_ms_p50']:9d}")
    print(f"TTS first chunk: uncached {tts['first_chunk_ms_uncached_p50']} ms, cached {tts['first_chunk_ms_cached_p50']} ms")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"asr": asr, "tts": tts, "cpus": os.cpu_count()}, f, indent=2)


if __name__ == "__main__":
    main()
