"""Site names and headlines without the navigation that pages wrap them in.

A page's site name often comes as "LinkNaija | Nigeria's popular news platform" or
"Autoracing | F1 | Indy | MotoGP | StockCar", and its title as "Headline - Site" or
"Site | Tagline: Headline". `clean_site` keeps the part that names the outlet (the one matching
the domain, else the first); `clean_title` strips leading and trailing parts that match the site
name or the domain, so that the title is the headline.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

# separators between a headline and a site name or between parts of a site name
_SEP = re.compile(r"\s+(?:[|\-–—·•»/]|::)\s+|\s*\|\s*")
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"}


def _compact(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def domain_name(uri: str | None) -> str | None:
    """The registrable name of a URL's host ("linknaija" for https://www.linknaija.com/...,
    "autoracing" for autoracing.com.br), or None for anything that is not a URL."""
    if not uri or "://" not in uri:
        return None
    host = (urlparse(uri).hostname or "").removeprefix("www.")
    labels = [x for x in host.split(".") if x]
    if len(labels) >= 2:
        labels = labels[:-1]
        if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
    return labels[-1] if labels else None


def _names_match(part: str, names: list[str]) -> bool:
    c = _compact(part)
    if not c:
        return False
    for n in names:
        # the part inside the name ("Inexhibit" of "Inexhibit magazine"), or the name inside a
        # part hardly longer ("SpaceNews.com"), never a headline that starts with the name
        if c == n or (len(c) >= 4 and len(n) >= 4 and (c in n or (n in c and len(c) <= len(n) + 6))):
            return True
    return False


def clean_site(site: str | None, uri: str | None = None) -> str | None:
    """The outlet's name out of a site name with navigation or a tagline: the part that matches
    the domain, else the first part."""
    if not site:
        return site
    site = re.sub(r"\s+", " ", site).strip()
    parts = [p.strip() for p in _SEP.split(site) if p.strip()]
    if len(parts) <= 1:
        return site
    label = domain_name(uri)
    if label:
        for p in parts:
            if _names_match(p, [_compact(label)]):
                return p
    return parts[0]


def clean_title(title: str | None, *names: str | None, uri: str | None = None) -> str | None:
    """The headline out of a page title: leading and trailing parts that name the site (any of
    `names`, or the domain of `uri`) go, with their separator (`|`, ` - `, `:` after a leading
    site name). A title that would be left empty is returned as it was."""
    if not title:
        return title
    title = re.sub(r"\s+", " ", title).strip()
    whole = [n.strip() for n in names if n and n.strip()]
    keys = [_compact(n) for n in whole] + ([_compact(domain_name(uri))] if domain_name(uri) else [])
    keys = [k for k in keys if k]
    if not keys:
        return title
    out = title
    for n in sorted(whole, key=len, reverse=True):  # a full site name with its tagline first
        m = re.match(re.escape(n) + r"\s*(?:[|:\-–—·•»]|::)\s*", out, re.IGNORECASE)
        if m and out[m.end():].strip():
            out = out[m.end():]
        m = re.search(r"\s*(?:[|\-–—·•»]|::)\s*" + re.escape(n) + r"$", out, re.IGNORECASE)
        if m and out[:m.start()].strip():
            out = out[:m.start()]
    changed = True
    while changed:
        changed = False
        pieces = _SEP.split(out)
        if len(pieces) >= 2 and _names_match(pieces[-1], keys):
            out = out[: out.rfind(pieces[-1])].rstrip()
            out = re.sub(r"\s*(?:[|\-–—·•»/]|::)$", "", out).strip()
            changed = bool(out)
        elif len(pieces) >= 2 and _names_match(pieces[0], keys):
            out = out[len(pieces[0]):]
            out = re.sub(r"^\s*(?:[|\-–—·•»/]|::)\s*", "", out).strip()
            changed = bool(out)
        else:
            head, colon, rest = out.partition(": ")
            if colon and rest.strip() and _names_match(head, keys):
                out, changed = rest.strip(), True
    return out.strip() or title
