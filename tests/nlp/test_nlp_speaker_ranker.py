import json
import math
import sys
from pathlib import Path

from tasks.nlp.config import NlpConfig
from tasks.nlp.speaker_ranker import WEIGHTS_FILE, Candidate, choose, confidence_features, probability, rank_score
from tests.nlp.nlp_support import annotated, extract

ROOT = Path(__file__).resolve().parents[2]

# In a statement to the Observer, her adviser, Jake Sullivan, said: “We will not give up.”
# parsed as the small model does: "Sullivan" an apposition of "adviser", itself one of "Observer",
# so "said" has no subject at all
MISPARSED = [
    "ADP prep 13 in", "DET det 2 a", "NOUN pobj 0 statement", "ADP prep 2 to", "DET det 5 the", "PROPN pobj 3 Observer",
    "PUNCT punct 5 ,", "PRON poss 8 her", "NOUN appos 5 adviser", "PUNCT punct 8 ,", "PROPN compound 11 Jake",
    "PROPN appos 8 Sullivan", "PUNCT punct 13 ,", "VERB ROOT 13 say", "PUNCT punct 13 :", "PUNCT punct 19 “",
    "PRON nsubj 19 we", "AUX aux 19 will", "PART neg 19 not", "VERB ccomp 13 give", "ADP prt 19 up", "PUNCT punct 13 .",
    "PUNCT punct 13 ”",
]


def test_the_name_right_before_the_cue_verb_speaks_when_the_parse_gives_it_no_subject():
    text = "In a statement to the Observer, her adviser, Jake Sullivan, said: “We will not give up.”"
    doc = annotated(text, MISPARSED, ents=[(5, 6, "ORG"), (10, 12, "PERSON")])
    (q,) = extract(doc, config=NlpConfig(quote_min_confidence=0.0)).quotes
    assert q.quote == "We will not give up." and q.path is None  # no attribution path finds it
    assert q.speaker == "Jake Sullivan" and 0 < q.confidence < 1


def test_choice_is_the_best_ranked_candidate_and_confidence_the_logistic_probability():
    weights = {"rank": {"coef": {"a": 2.0, "b": -1.0}},
               "confidence": {"intercept": -1.0, "coef": {"score": 0.5, "margin": 0.25, "n_candidates": -0.5, "best_path": 1.0}}}
    good = Candidate("X", "PERSON", {"a": 1.0, "path": 1.0})
    bad = Candidate("Y", "PERSON", {"a": 1.0, "b": 1.0})
    p, best = choose([bad, good], weights)
    assert best is good and rank_score(good.feats, weights["rank"]) == 2.0
    feats = confidence_features([1.0, 2.0], good)
    assert feats == {"score": 2.0, "margin": 1.0, "n_candidates": math.log(2), "best_path": 1.0}
    z = -1.0 + 0.5 * 2.0 + 0.25 * 1.0 - 0.5 * math.log(2) + 1.0
    assert math.isclose(p, 1 / (1 + math.exp(-z))) and math.isclose(probability(feats, weights["confidence"]), p)
    assert choose([], weights) is None


def test_shipped_weights_are_aggregate_numbers_with_their_cross_validated_figures():
    w = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    for model in (w["rank"], w["confidence"]):
        assert isinstance(model["intercept"], float) and model["coef"]
        assert all(isinstance(k, str) and isinstance(v, float) for k, v in model["coef"].items())
    assert w["cv"]["named_n"] > 1000 and 0 < w["cv"]["precision"] <= 1
    # the confidence model reads the ranker's score: a better-ranked choice is more probable
    assert w["confidence"]["coef"]["score"] > 0


def test_fitting_ranks_the_candidate_with_the_telling_feature_first():
    sys.path.insert(0, str(ROOT / "scripts"))
    from fit_speaker_ranker import figures, fit, pairs

    rows = [{"article": f"a{k % 7}", "kind": "named",
             "cands": [({"subject": 1.0, "near": 0.2}, True), ({"near": 0.9}, False), ({"near": 0.5, "label_ORG": 1.0}, False)]}
            for k in range(40)]
    X, y = pairs(rows, range(len(rows)))
    assert len(X) == 2 * 2 * len(rows) and sum(y) == len(X) // 2  # each right-wrong pair both ways
    rank = fit(X, y, 1.0, intercept=False)
    assert rank["intercept"] == 0.0 and rank["coef"]["subject"] > 0 > rank["coef"]["near"]
    best = [(1.0, max(r["cands"], key=lambda c: rank_score(c[0], rank))[1]) for r in rows]
    assert figures(rows, best, 0.5)["named"] == 1.0


class _NameKeys:
    """The scorer's name keys, as far as these tests need them: capitalised words."""

    @staticmethod
    def name_keys(source):
        return {w.lower() for w in source.replace(",", " ").split() if w[0].isupper()}


def test_a_gold_source_span_names_the_entity_in_apposition_to_its_root_wherever_the_text_moved():
    sys.path.insert(0, str(ROOT / "scripts"))
    from quotes_dev import SourceNames, same_speaker

    from tasks.nlp.coref import References
    from tasks.nlp.document import ParsedText
    from tasks.nlp.entities import Lexicon
    from tasks.nlp.mentions import MentionIndex

    text = "In a statement to the Observer, her adviser, Jake Sullivan, said: “We will not give up.”"
    doc = annotated(text, MISPARSED, ents=[(5, 6, "ORG"), (10, 12, "PERSON")])
    lexicon = Lexicon.from_config(NlpConfig())
    parsed = ParsedText(text, [(0, doc)])
    refs = References(parsed, MentionIndex(parsed, NlpConfig(), lexicon), lexicon)
    article_text = "A headline\n\n" + text.replace(", said", ",  said")  # the article's own spacing differs
    at = article_text.index("her adviser")
    source = "her adviser, Jake Sullivan"
    article = {"text": article_text, "attributions": [{"source": {"spans": [[at, at + len(source)]], "text": source}}]}
    names = SourceNames(article, _NameKeys(), text, parsed, refs)
    assert names.to_clean(at) == text.index("her adviser")
    # the span's root is "adviser" (an apposition of "Observer" in this parse): its own apposition names it
    assert names.name_of({"speaker_at": at, "named": True}) == "Jake Sullivan"
    assert names.name_of({"speaker_at": None, "named": False}) is None
    assert same_speaker("Sullivan", "Jake Sullivan") and not same_speaker("Observer", "Jake Sullivan")


def test_the_ceiling_steps_count_each_kind_of_quote_apart():
    sys.path.insert(0, str(ROOT / "scripts"))
    import quotes_dev
    from quotes_ceiling import ceiling

    class Scorer:
        @staticmethod
        def speaker_ok(pred, gold):
            # a toy matcher with the real one's kind of blind spot: only the source's first word counts
            words = lambda x: x.lower().replace(",", " ").split()
            return bool(pred) and bool(set(words(pred)) & set(words(gold)[:1]))

    rows = [
        {"kind": "named", "resolved": "Weingarten, a supporter", "source_name": "Randi Weingarten", "clean": [True, False],
         "cands": [({"subject": 1.0}, True), ({}, False)]},
        {"kind": "named", "resolved": "Clinton, a candidate", "source_name": None, "clean": [False],
         "cands": [({}, False)]},
        {"kind": "resolved", "resolved": "Trump", "source_name": "Donald Trump", "clean": [False, True],
         "cands": [({"subject": 1.0}, False), ({}, True)]},
    ]
    real = quotes_dev.scorer
    quotes_dev.scorer = lambda: Scorer
    try:
        out = ceiling(rows, {"rank": {"coef": {"subject": 1.0}}})
    finally:
        quotes_dev.scorer = real
    assert out["named"] == {"n": 2, "gold span text": 1.0, "true entity": 0.5, "true in cands": 0.5, "scorer in cands": 0.5, "ranker": 0.5}
    assert out["resolved"]["true in cands"] == 1.0 and out["resolved"]["ranker"] == 0.0
