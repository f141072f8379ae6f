"""English stopwords, one list per use, each built from the one before.

`LINE_STOPWORDS` (cleaning: how much a line reads like prose) is a subset of `FUNCTION_WORDS`
(the line model's stopword feature; the shipped weights were fitted with exactly this set), which
is a subset of `NEWS_STOPWORDS` (story terms: function words plus the vocabulary every news report
shares: reporting verbs, weekdays, agencies, URL parts). The sets are data of trained or tuned
components: changing one changes their figures.
"""
from __future__ import annotations

LINE_STOPWORDS = frozenset(
    "the a an and or but of to in on at for with by from as is are was were be been it its this that "
    "these those he she they we you i his her their our not no have has had will would can could said "
    "says who which what when where after before about into over than then also".split()
)

FUNCTION_WORDS = LINE_STOPWORDS | frozenset(
    "above again against all am any because being below between both did do does doing down during each "
    "few further having here hers herself him himself how if itself just me more most my myself nor now "
    "off once only other ours out own same should so some such theirs them themselves there through too "
    "under until up very while whom why your yours say".split()
)

NEWS_STOPWORDS = FUNCTION_WORDS | frozenset(
    "according ap back cent com day days even first friday get go going got htm html http last like made "
    "make many may might monday month mr mrs ms much must new news one ourselves people per percent report "
    "reported reports reuters saturday since still sunday thursday time today told tuesday two us way "
    "wednesday week well went www year years yesterday yourself yourselves".split()
)
