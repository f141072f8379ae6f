"""Entity names: folding for matching, cleaning of titles and possessives, canonical forms.

Pure string functions plus the per-document step that links short forms ("Cavusoglu") to the
full name used in the same document ("Mevlut Cavusoglu"). Cross-document linking lives in
`link.py` because it needs state.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from tasks.common.text import fold
from tasks.nlp.config import NlpConfig
from tasks.nlp.model import read_patterns

_POSSESSIVE = re.compile(r"\s*(?:'s|')$")
_EDGE_JUNK = re.compile(r"^[\s\"'(\[]+|[\s\"',.;:)\]\-–—]+$")


def entity_id(canonical: str) -> str:
    """Stable id of an entity: a hash of its folded canonical name (label-independent)."""
    return "e_" + hashlib.sha1(fold(canonical).encode("utf-8")).hexdigest()[:16]


def has_diacritics(text: str) -> bool:
    return any(ord(c) > 127 and c.isalpha() for c in text)


@functools.lru_cache(maxsize=8)
def load_lexicon(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class Lexicon:
    """The word lists of `lexicon.json` plus the alias map read from the pattern files."""

    titles: tuple[str, ...]
    role_nouns: frozenset[str]
    speech_verbs: frozenset[str]
    demonyms: dict
    capitals: dict
    light_verbs: frozenset[str]
    aliases: dict  # folded alias -> (canonical name, label)

    @classmethod
    def from_config(cls, config: NlpConfig) -> "Lexicon":
        return _lexicon(config.lexicon_file, config.all_pattern_files)

    @property
    def title_words(self) -> frozenset[str]:
        return frozenset(w for t in self.titles for w in t.split()) | self.role_nouns

    def canonical(self, name: str) -> tuple[str, str] | None:
        return self.aliases.get(fold(name))

    def country_of(self, name: str, label: str) -> str | None:
        """The country a demonym ("Turkish") or a capital used as actor ("Ankara") stands for."""
        key = fold(name)
        if label == "NORP" or label not in ("GPE", "LOC", "ORG", "PERSON"):
            key = re.sub(r"s$", "", key) if key not in self.demonyms else key
            return self.demonyms.get(fold(name)) or self.demonyms.get(key)
        if label in ("GPE", "ORG"):
            return self.capitals.get(key)
        return None


@functools.lru_cache(maxsize=8)
def _lexicon(lexicon_file: str, pattern_files: tuple[str, ...]) -> Lexicon:
    lex = load_lexicon(lexicon_file)
    aliases: dict[str, tuple[str, str]] = {}
    for p in read_patterns(pattern_files):
        if "id" not in p:
            continue
        canon, label = p["id"], p["label"]
        aliases.setdefault(fold(canon), (canon, label))
        pat = p["pattern"]
        if isinstance(pat, str):
            aliases.setdefault(fold(pat), (canon, label))
        else:
            for tok in pat:
                orth = tok.get("ORTH")
                if len(pat) == 1 and isinstance(orth, dict) and "IN" in orth:
                    for form in orth["IN"]:
                        aliases.setdefault(fold(form), (canon, label))
                elif len(pat) == 1 and isinstance(orth, str):
                    aliases.setdefault(fold(orth), (canon, label))
    titles = tuple(sorted((fold(t) for t in lex["titles"]), key=len, reverse=True))
    return Lexicon(
        titles=titles,
        role_nouns=frozenset(lex["role_nouns"]),
        speech_verbs=frozenset(lex["speech_verbs"]),
        demonyms={fold(k): v for k, v in lex["demonyms"].items()},
        capitals={fold(k): v for k, v in lex["capitals"].items()},
        light_verbs=frozenset(lex["light_verbs"]),
        aliases=aliases,
    )


def clean_name(text: str, label: str, lexicon: Lexicon) -> str:
    """The name without leading article, titles ("Foreign Minister"), possessive or quotes."""
    name = _EDGE_JUNK.sub("", text.translate(str.maketrans({"’": "'", "‘": "'"})))
    name = _POSSESSIVE.sub("", name)
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    if label == "PERSON":
        changed = True
        while changed:
            changed = False
            low = fold(name)
            for t in lexicon.titles:
                if low.startswith(t + " ") and len(name) > len(t) + 1:
                    name = name[len(t) + 1:].lstrip()
                    changed = True
                    break
    # keep the original spelling (accents, curly apostrophes inside names) where possible
    if fold(name) and fold(name) in fold(text):
        i = fold(text).find(fold(name))
        if len(fold(text)) == len(text):  # folding kept lengths: slice the original
            name = text[i:i + len(name)]
    return name.strip()


def is_junk_name(name: str, label: str = "") -> bool:
    """Names that are not entities: empty, single characters, pure punctuation, bare numbers
    (a PRODUCT like "777" excepted), all-lowercase words (a LAW like "section 404" excepted)."""
    core = re.sub(r"[\W_]+", "", name)
    if len(core) < 2 or name.endswith("-"):
        return True
    if core.isdigit():
        return label != "PRODUCT"
    return name == name.lower() and not (label in ("LAW", "PRODUCT") and any(c.isdigit() for c in name))


@dataclass
class DocMention:
    """An entity mention inside one document (offsets into clean_text)."""

    start: int
    end: int
    text: str
    label: str
    name: str  # cleaned surface form
    canon: str = ""  # canonical name within the document
    canon_label: str | None = None  # label implied by linking (a surname linked to a PERSON)
    fixed: bool = False  # canonical from a pattern id or alias map: never relinked
    words: set[str] = field(default_factory=set)  # descriptors before the name ("russian", "minister")


def link_within_document(mentions: list[DocMention], lexicon: Lexicon) -> None:
    """Set `canon` on every mention: alias map first, then short forms to full PERSON names."""
    for m in mentions:
        hit = None if m.fixed else lexicon.canonical(m.name)
        if hit:
            m.canon, m.canon_label, m.fixed = hit[0], hit[1], True
        elif not m.canon:
            m.canon = m.name
    # full PERSON names by their last token; several full names with one surname stay unlinked
    full: dict[str, set[str]] = {}
    votes = Counter(fold(m.canon) for m in mentions if m.label == "PERSON")
    for m in mentions:
        toks = fold(m.canon).split()
        if len(toks) >= 2 and not m.fixed and (m.label == "PERSON" or votes[fold(m.canon)]):
            full.setdefault(toks[-1], set()).add(m.canon)
    best_form: dict[str, str] = {}
    for forms in full.values():
        for f in forms:
            cur = best_form.get(fold(f))
            if cur is None or (has_diacritics(f) and not has_diacritics(cur)):
                best_form[fold(f)] = f
    for m in mentions:
        if m.fixed:
            continue
        key = fold(m.canon)
        if " " not in key and key in full and len({fold(f) for f in full[key]}) == 1:
            m.canon = best_form[fold(next(iter(full[key])))]
            m.canon_label = "PERSON"
        elif key in best_form:
            m.canon_label = "PERSON" if m.label != "PERSON" and votes[key] else m.canon_label


def best_written(forms: Counter) -> str:
    """The preferred spelling among forms of one name: accented first, then most frequent."""
    return max(forms.items(), key=lambda kv: (has_diacritics(kv[0]), kv[1], len(kv[0]), kv[0]))[0]
