"""The semantic layer's exemplar bank (data only, read by safety.risk.semantic at first use).

- ``exemplars.jsonl``: hand-written exemplars, ``{"text", "group"}``; groups starting "neg:" are risk-free.
- ``labelled_*.jsonl``: labelled utterances ``{"text", "level", "kind"}`` copied from the development and
  earlier held-out sets (tests/data/risk_dev.jsonl, risk_holdout.jsonl, risk_holdout2.jsonl); risk-free ones
  are the brake. Nothing is read from tests/ at run time; later held-out sets are deliberately not here.
- ``model.npz``: the learned layer's weights, vocabulary and bars (safety.risk.learned), written by
  ``python -m safety.risk.train`` (training reads tests/data; run time reads only this file).
"""
