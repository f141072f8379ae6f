"""MinHash signatures and LSH buckets are deterministic for a seed; verification is exact."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.dedup import MinhashConfig
from tasks.dedup.minhash import band_buckets, jaccard, shingle_hashes, signature

TEXT = st.lists(st.sampled_from("the a cat dog sat on mat ran far near home away".split()), min_size=0, max_size=60).map(" ".join)


@settings(max_examples=50, deadline=None)
@given(TEXT, st.integers(min_value=0, max_value=2**32))
def test_signature_deterministic_for_seed(text, seed):
    cfg = MinhashConfig(seed=seed)
    sh = shingle_hashes(text, cfg.n_grams)
    assert np.array_equal(signature(sh, cfg), signature(shingle_hashes(text, cfg.n_grams), MinhashConfig(seed=seed)))
    assert band_buckets(signature(sh, cfg), cfg) == band_buckets(signature(sh, cfg), cfg)


def test_seed_changes_signature():
    sh = shingle_hashes("one two three four five six seven eight nine ten eleven")
    assert not np.array_equal(signature(sh, MinhashConfig(seed=1)), signature(sh, MinhashConfig(seed=2)))


@given(TEXT, TEXT)
def test_jaccard_matches_python_sets(a, b):
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    expected = 1.0 if not (len(sa) or len(sb)) else len(set(sa) & set(sb)) / len(set(sa) | set(sb))
    assert jaccard(sa, sb) == expected


def test_signature_estimates_jaccard():
    words = [f"w{i}" for i in range(400)]
    a = " ".join(words)
    b = " ".join(words[:360] + [f"x{i}" for i in range(40)])
    cfg = MinhashConfig(num_perm=256, bands=64)
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    estimate = float(np.mean(signature(sa, cfg) == signature(sb, cfg)))
    assert abs(estimate - jaccard(sa, sb)) < 0.08


def test_shingles_ignore_case_and_punctuation():
    assert np.array_equal(shingle_hashes("The cat, sat on the MAT today."), shingle_hashes("the cat sat on the mat today"))
