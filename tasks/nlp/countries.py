"""Countries: every form a text uses for one (name, short form, demonym, capital, government
metonym) -> its ISO-3166 alpha-3 code and one canonical name.

The ISO names come from `pycountry` (data shipped in the wheel, nothing downloaded); news forms
that ISO does not list ("Britain", "UK", "Russia", "South Korea", "the Kremlin", "Turkish") are
in `countries.json` beside this module. Entities use it to make Britain, UK and United Kingdom one
entity with a code; events use it to code an actor's country.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

import pycountry

DATA = Path(__file__).with_name("countries.json")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^the\s+", "", text.replace("’", "'").strip())
    return re.sub(r"\s+", " ", re.sub(r"[.]", "", text))


class CountryTable:
    """Lookups from a country form to its code, and from a code to its canonical name."""

    def __init__(self, extra: dict):
        self.names: dict[str, str] = {}  # code -> canonical name
        self.codes: dict[str, str] = {}  # folded form -> code
        self.demonym_codes: dict[str, str] = {}  # folded demonym -> code
        self.metonym_codes: dict[str, str] = {}  # capitals and seats of government -> code
        for c in pycountry.countries:
            self.names[c.alpha_3] = getattr(c, "common_name", None) or c.name
            for attr in ("name", "common_name", "official_name"):
                value = getattr(c, attr, None)
                if value:
                    self.codes.setdefault(_fold(value), c.alpha_3)
        for code, canon in extra["canonical"].items():
            self.names[code] = canon
            self.codes[_fold(canon)] = code
        for code, forms in extra["forms"].items():
            for f in forms:
                self.codes[_fold(f)] = code
        for code, forms in extra["demonyms"].items():
            for f in forms:
                self.demonym_codes[_fold(f)] = code
        for code, forms in extra["metonyms"].items():
            for f in forms:
                self.metonym_codes[_fold(f)] = code

    def code(self, name: str | None) -> str | None:
        """The ISO alpha-3 code of a country's name or short form ("UK", "Britain" -> GBR)."""
        return self.codes.get(_fold(name)) if name else None

    def demonym_code(self, word: str | None) -> str | None:
        """The code a demonym stands for ("Turkish", "Russians" -> TUR, RUS)."""
        if not word:
            return None
        key = _fold(word)
        return self.demonym_codes.get(key) or (self.demonym_codes.get(key[:-1]) if key.endswith("s") else None)

    def metonym_code(self, name: str | None) -> str | None:
        """The code a capital or seat of government stands for as an actor ("the Kremlin")."""
        return self.metonym_codes.get(_fold(name)) if name else None

    def name(self, code: str) -> str | None:
        """The canonical name newsdag uses for a country code."""
        return self.names.get(code)


@functools.lru_cache(maxsize=1)
def countries() -> CountryTable:
    """The table, built once per process."""
    return CountryTable(json.loads(DATA.read_text(encoding="utf-8")))
