"""Measurement: how answers and ratings become a place on the ladder.

- ``items``: the item model (3PL), authored priors from a question's difficulty label.
- ``ladder``: the ladder model, linking a learner's position on the ladder to each competency.
- ``estimation``: posteriors from evidence; the probability of each level.
- ``placement``: the adaptive placement test (item selection, content balance, stopping).
- ``calibration``: item parameters from real answers; item analysis for content authors.
- ``simulation``: learners of known level, to judge every change by accuracy, not by looks.

Plain functions over numpy arrays; no database or HTTP here (``assessments.standing`` and
``assessments.placement_tests`` load and store).
"""
