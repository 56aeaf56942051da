"""How long the dialogue manager takes per reply, embedding included: ``python -m dialogue.timing``.

Runs the scripted example conversations (docs/examples/*.txt) and the flow scripts many times, with
the embedding cache cleared before every turn so each reply pays for a fresh MiniLM embedding, as a
new caller sentence would. Prints the median and 95th percentile in milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

SCRIPTS = [
    ["yes", "i've been really anxious about work and i can't sleep", "about a four", "breathing please", "yeah ready",
     "a bit calmer", "no thanks", "yes", "go for a walk tomorrow", "it was helpful thanks"],
    ["yeah", "um im feeling really low my boss shouted at me", "a sex out of ten", "can we look at the thought",
     "it was in the meeting", "i thought im such an idiot", "ate", "the report was late",
     "i finished three other projects", "maybe im not useless", "about a five", "yes", "talk to my boss", "good"],
    ["okay", "mm", "i dont know i'm just tired", "hmm", "uh", "low i guess", "second one", "yes", "fine", "no",
     "say that again", "slow down", "i want to talk to a person", "bye"],
]


def measure(rounds: int = 20) -> dict[str, float]:
    from dialogue.manager import DialogueManager, warm_up
    from safety.embedding import _cached_embed

    warm_up()
    scripts = list(SCRIPTS)
    examples = Path(__file__).resolve().parent.parent / "docs" / "examples"
    for f in sorted(examples.glob("*.txt")):
        scripts.append(f.read_text().splitlines())
    times: list[float] = []
    for r in range(rounds):
        for lines in scripts:
            m = DialogueManager(seed=r)
            m.greeting()
            for line in lines:
                _cached_embed.cache_clear()
                t0 = time.perf_counter()
                m.respond(line, None)
                times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"turns": len(times), "median_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * (len(times) - 1))], "max_ms": times[-1]}


if __name__ == "__main__":
    res = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
    print(f"dialogue reply time over {res['turns']} turns (embedding cache cleared each turn): "
          f"median {res['median_ms']:.2f} ms, p95 {res['p95_ms']:.2f} ms, max {res['max_ms']:.2f} ms")
