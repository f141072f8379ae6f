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
    cue_verbs: frozenset[str]  # verbs that attribute a quotation (fitted on PolNeAR train)
    demonyms: dict
    capitals: dict
    light_verbs: frozenset[str]
    aliases: dict  # folded alias -> (canonical name, label)
    org_nouns: dict = field(default_factory=dict)  # "newspaper" -> name words of that kind ("times", ...)
    female_names: frozenset[str] = frozenset()
    male_names: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, config: NlpConfig) -> "Lexicon":
        return _lexicon(config.lexicon_file, config.all_pattern_files, config.first_names_file)

    @functools.cached_property
    def title_words(self) -> frozenset[str]:
        """Every word of a title or role noun, built once per lexicon (read per mention)."""
        return frozenset(w for t in self.titles for w in t.split()) | self.role_nouns

    def canonical(self, name: str) -> tuple[str, str] | None:
        return self.aliases.get(fold(name))

    def sex_of_first_name(self, first: str) -> str | None:
        """ "F" or "M" when a first name is overwhelmingly given to one sex, else None."""
        key = fold(first)
        return "F" if key in self.female_names else "M" if key in self.male_names else None

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
def _lexicon(lexicon_file: str, pattern_files: tuple[str, ...], first_names_file: str | None = None) -> Lexicon:
    lex = load_lexicon(lexicon_file)
    names = load_lexicon(first_names_file) if first_names_file else {}
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
        cue_verbs=frozenset(lex.get("cue_verbs", ())) | frozenset(lex["speech_verbs"]),
        demonyms={fold(k): v for k, v in lex["demonyms"].items()},
        capitals={fold(k): v for k, v in lex["capitals"].items()},
        light_verbs=frozenset(lex["light_verbs"]),
        aliases=aliases,
        org_nouns={k: tuple(fold(w) for w in v) for k, v in lex.get("org_nouns", {}).items()},
        female_names=frozenset(names.get("female", ())),
        male_names=frozenset(names.get("male", ())),
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


# A model code ("F-16", "S-400", "A320", "F/A-18", "MiG-29", "737"): letters and digits, kept.
_MODEL_CODE = re.compile(r"^(?:[A-Za-z]{1,4}[-/]?)+\d{1,4}[A-Za-z]{0,2}$|^\d{3}(?:-\d{3})?$")
# Words that end a fragment rather than a name ("United through", "Tory Treasurer Lord").
_FUNCTION_WORDS = {"through", "and", "or", "of", "the", "in", "on", "at", "to", "for", "with", "from", "by",
                   "as", "after", "before", "against", "over", "under", "than", "that", "which", "who"}


_NAME_PARTICLES = {"de", "da", "del", "der", "van", "von", "bin", "al", "la", "le", "du", "dos", "di", "y"}
_PARTY_WORDS = {"tory", "labour", "democrat", "democratic", "republican", "conservative", "liberal", "treasurer", "party"}


def is_number_like(name: str) -> bool:
    """A price, score or quantity ("300p", "$1.5bn", "1990s", "4-38", "Kent 108-3"), not a name:
    it has a digit and either starts with a digit, sign or currency sign with at most three
    letters, or has at least as many digits as letters; a model code ("F-16", "A320") is not."""
    letters = sum(c.isalpha() for c in name)
    digits = sum(c.isdigit() for c in name)
    if not digits or _MODEL_CODE.match(name.strip()):
        return False
    if re.match(r"^[-+$£€¥#]?\d", name.strip()) and letters <= 3:
        return True
    return digits >= letters


def is_junk_name(name: str, label: str = "", lexicon: "Lexicon | None" = None) -> bool:
    """Names that are not entities: empty, single characters, pure punctuation, number-like
    ("300p", "Kent 108-3"; a model code like "S-400" or a pattern's "777" excepted), all-lowercase
    words (a LAW like "section 404" excepted), fragments ending in a function word ("United
    through") and runs of titles with no name ("Tory Treasurer Lord")."""
    core = re.sub(r"[\W_]+", "", name)
    if len(core) < 2 or name.endswith("-"):
        return True
    if core.isdigit():
        return not (label == "PRODUCT" and _MODEL_CODE.match(name.strip()))
    if is_number_like(name) and label != "LAW":
        return True
    words = fold(name).split()
    if len(words) > 1 and (words[-1] in _FUNCTION_WORDS or (name.split()[-1].islower() and words[-1] not in _NAME_PARTICLES
                                                             and label in ("PERSON", "GPE", "LOC", "ORG", "NORP"))):
        return True  # a fragment: "United through", "Blair were"
    if lexicon is not None and label == "PERSON" and len(words) > 1 and words[-1] in set(lexicon.titles) \
            and any(w in lexicon.title_words or w in _PARTY_WORDS for w in words[:-1]):
        return True  # titles and party words before a title: "Tory Treasurer Lord", the name is missing
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
    field: str = "clean_text"  # the document field the offsets point into: "clean_text" or "title"
    country: str | None = None  # ISO-3166 alpha-3 code when the mention names a country
    lone_word: bool = False  # tagged PERSON, but a lone word no person of the document is named by (`doubt_lone_persons`)


def _name_word(w: str) -> bool:
    """A word a written name is made of: letters (a hyphen or apostrophe inside), capitalised,
    not all capitals ("Donghai", "Song-ho", "O’Neill"; not "8-0", "BEAT", "at")."""
    letters = re.sub(r"[-'’]", "", w)
    return letters.isalpha() and w[0].isupper() and not (len(letters) > 1 and letters.isupper())


def link_within_document(mentions: list[DocMention], lexicon: Lexicon) -> None:
    """Set `canon` on every mention: alias map first, then short forms to full PERSON names: a
    lone surname to the one full name it ends ("Cavusoglu"), else a lone word tagged PERSON that
    is no known first name or demonym to the one full name it begins, for names written family
    name first ("Xi" of "Xi Jinping"; not a word tagged ORG: "Yahoo" is not "Yahoo Search", a
    name the small model calls a person)."""
    place_names = {fold(m.name) for m in mentions if m.label in ("GPE", "LOC")}
    for m in mentions:
        hit = None if m.fixed else lexicon.canonical(m.name)
        if hit:
            m.canon, m.canon_label, m.fixed = hit[0], hit[1], True
        elif not m.canon:
            m.canon = m.name
        country_code(m, place_names)
    # full PERSON names by their last token; several full names with one surname stay unlinked
    full: dict[str, set[str]] = {}
    family_first: dict[str, set[str]] = {}
    votes = Counter(fold(m.canon) for m in mentions if m.label == "PERSON")
    for m in mentions:
        toks = fold(m.canon).split()
        if len(toks) >= 2 and not m.fixed and (m.label == "PERSON" or votes[fold(m.canon)]):
            full.setdefault(toks[-1], set()).add(m.canon)
            if len(toks) <= 3 and all(_name_word(w) for w in m.canon.split()):
                family_first.setdefault(toks[0], set()).add(m.canon)
    for key in [k for k in family_first if k in full or lexicon.sex_of_first_name(k) or not k.isalpha()
                or is_demonym(k, lexicon)]:
        del family_first[key]
    best_form: dict[str, str] = {}
    for forms in [*full.values(), *family_first.values()]:
        for f in forms:
            cur = best_form.get(fold(f))
            if cur is None or (has_diacritics(f) and not has_diacritics(cur)):
                best_form[fold(f)] = f
    for m in mentions:
        if m.fixed:
            continue
        key = fold(m.canon)
        forms = full.get(key) or (family_first.get(key) if m.label == "PERSON" else None)
        if " " not in key and forms and len({fold(f) for f in forms}) == 1:
            m.canon = best_form[fold(next(iter(forms)))]
            m.canon_label = "PERSON"
        elif key in best_form:
            m.canon_label = "PERSON" if m.label != "PERSON" and votes[key] else m.canon_label


_PLACE_PREPOSITIONS = {"in", "at", "from", "near"}


def is_demonym(word: str, lexicon: Lexicon) -> bool:
    """ "Welsh", "Briton", "Iraqis": a people named after a country (countries.json or the lexicon)."""
    from tasks.nlp.countries import countries

    return bool(countries().demonym_code(word) or lexicon.country_of(word, "NORP"))


def doubt_lone_persons(mentions: list[DocMention], lexicon: Lexicon, text: str) -> None:
    """Relabel a one-word PERSON mention that no person of the document is named by.

    News names a person in full before it shortens the name, so a single capitalised word that
    the small model calls PERSON, that is no word of a fuller person name in the document, no
    known first name and never has a title before it ("Mr Blair"), is seldom a person: a club, a
    company, a county in a results line, a place ("Everton", "Yukos", "Surrey 429-7"). On the
    CoNLL-2003 dev stories such mentions are an organisation 89 times, a place 36 and a person
    56 (scripts/lone_person_labels.py). Its label becomes, in order: the label the document gives
    the same name elsewhere; NORP for a demonym ("Welsh", "Briton"); GPE after "in", "at",
    "from" or "near"; else ORG (the commonest kind). The mention keeps
    `lone_word`, so that linking across documents makes it a person again when the warehouse
    knows a person of that surname (`link.link_batch`). `text`: the field the body's offsets
    point into (clean_text); title mentions are judged without context."""
    person_words = {w for m in mentions if (m.canon_label or m.label) == "PERSON" and len(m.canon.split()) >= 2
                    for w in fold(m.canon).split()}
    # "President Obama" or "Ms Druyun" once is enough
    titled = {fold(m.canon) for m in mentions if (m.words | set(fold(m.text).split()[:-1])) & lexicon.title_words}
    others: dict[str, Counter] = {}
    for m in mentions:
        if m.label != "PERSON":
            others.setdefault(fold(m.canon), Counter())[m.label] += 1
    for m in mentions:
        key = fold(m.canon)
        if (m.label != "PERSON" or m.fixed or m.canon_label or " " in key or key in person_words
                or lexicon.sex_of_first_name(key) or key in titled):
            continue
        if key in others:
            label = others[key].most_common(1)[0][0]
        elif is_demonym(m.canon, lexicon):
            label = "NORP"
        else:
            before = re.findall(r"[\w']+", text[max(0, m.start - 12):m.start]) if m.field == "clean_text" else []
            label = "GPE" if before and before[-1].lower() in _PLACE_PREPOSITIONS else "ORG"
        m.canon_label, m.lone_word = label, True


def country_code(m: DocMention, place_names: set[str] = frozenset()) -> None:
    """Make a mention of a country (any of its forms: Britain, UK, United Kingdom) name the
    country itself, with its ISO alpha-3 code and label GPE. A one-word name tagged PERSON
    ("Jordan") stays a person; one tagged ORG is the country only when the document also names it
    as a place."""
    from tasks.nlp.countries import countries

    if m.label not in ("GPE", "LOC", "PERSON", "ORG", "FAC"):
        return
    table = countries()
    code = table.code(m.canon) or table.code(m.name)
    if code is None:
        return
    if m.label == "PERSON" and len(m.name.split()) < 2:
        return  # "Jordan" the film director stays a person; "Sri Lanka" tagged PERSON is the country
    if m.label in ("ORG", "FAC") and len(m.name.split()) < 2 and fold(m.name) not in place_names:
        return
    m.country, m.canon, m.canon_label, m.fixed = code, table.name(code) or m.canon, "GPE", True


def best_written(forms: Counter) -> str:
    """The preferred spelling among forms of one name: accented first, then most frequent."""
    return max(forms.items(), key=lambda kv: (has_diacritics(kv[0]), kv[1], len(kv[0]), kv[0]))[0]
