"""Deadlines and conditions as agreements state them, on sentences written for these tests."""

from __future__ import annotations

import pytest

from graph.qualifiers import conditions, deadlines


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Council will publish its plan by 2020/21.", [("by 2020/21", "by", None, "2021-03-31")]),
        ("Funding will be provided between 2022-23 and 2024-25.",
         [("between 2022-23 and 2024-25", "in", "2022-04-01", "2025-03-31")]),
        ("Payments run from 2017 to 2020.", [("from 2017 to 2020", "from", "2017-01-01", "2020-12-31")]),
        ("The Board meets in January 2016 and reports by March 2017.",
         [("in January 2016", "in", "2016-01-01", "2016-01-31"), ("by March 2017", "by", None, "2017-03-31")]),
        ("The Board will report by 1 September each year.", [("by 1 September each year", "by", None, None)]),
        ("We will reply within ten working days of its conclusion.",
         [("within ten working days of its conclusion", "within", None, None)]),
        ("Papers go out no later than six weeks before the start of each round, as agreed.",
         [("no later than six weeks before the start of each round", "by", None, None)]),
        ("A party may withdraw at least three months before the review.",
         [("at least three months before the review", "by", None, None)]),
        ("The chair rotates for its first two years.", [("for its first two years", "within", None, None)]),
        # Not deadlines: no date, a bare "between", counts of things.
        ("Between 2020 and the end of the programme, much changed.", []),
        ("The forum has at least 20 members and met 12 times in the year.", []),
    ],
)
def test_deadlines_as_stated_and_as_periods(sentence, expected):
    found = [(sentence[a:b], kind, nb, na) for kind, a, b, nb, na in deadlines(sentence)]
    assert found == [(text, kind, nb, na) for text, kind, nb, na in expected]


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Department will delegate the budget if interventions prove successful "
         "and if local organisations are in agreement.",
         ["if interventions prove successful", "if local organisations are in agreement"]),
        ("Once progress has been shown through the evaluation, and the decision criteria have been met, "
         "the Board will delegate its functions.",
         ["Once progress has been shown through the evaluation", "the decision criteria have been met"]),
        ("The Authority will fund the scheme subject to the approval of its business case.",
         ["subject to the approval of its business case"]),
        ("The Council will review the plan once the strategy under clause 4.1(a) is final.",
         None),  # the bracket opened in the condition is closed in it
        ("The parties will meet, provided that a quorum is present.", ["provided that a quorum is present"]),
    ],
)
def test_conditions_one_per_clause(nlp, sentence, expected):
    found = [sentence[a:b] for _, a, b in conditions(nlp(sentence))]
    if expected is None:
        assert found and all(c.count("(") == c.count(")") for c in found), found
    else:
        assert found == expected
