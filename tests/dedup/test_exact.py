"""The exact-dedup key ignores whitespace, case and punctuation, and nothing else."""
from hypothesis import given
from hypothesis import strategies as st

from tasks.dedup import exact_key

WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüß0123456789", min_size=1, max_size=8),
                 min_size=1, max_size=30)
SEPARATORS = st.text(alphabet=" \t\n\r.,;:!?\"'()-–—…«»“”’", min_size=1, max_size=4)


@given(WORDS, st.data())
def test_key_ignores_separators(words, data):
    seps = [data.draw(SEPARATORS) for _ in words]
    varied = "".join(s + w for s, w in zip(seps, words)) + data.draw(SEPARATORS)
    assert exact_key(varied) == exact_key(" ".join(words))


@given(WORDS)
def test_key_ignores_case(words):
    text = " ".join(words)
    assert exact_key(text.upper()) == exact_key(text) == exact_key(text.title())


PLAIN_WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
                       min_size=1, max_size=30)  # no "ß": it case-folds to "ss", on purpose


@given(PLAIN_WORDS, PLAIN_WORDS)
def test_key_tells_different_words_apart(a, b):
    if a != b:
        assert exact_key(" ".join(a)) != exact_key(" ".join(b))


def test_key_is_sha1_hex():
    key = exact_key("Hello, World!")
    assert key == exact_key("hello world") and len(key) == 40
