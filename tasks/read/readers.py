"""Readers: files and folders of txt, html, json and jsonl (optionally gzipped) into Documents.

Every input record becomes exactly one Document. What cannot be read is a Document too, with
`status = "rejected"` and a reason (`empty`, `binary`, `invalid_json`, `unreadable`,
`corrupt_gzip`, `too_large`, `no_text`), so nothing disappears silently.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tasks.common.dates import parse_datetime
from tasks.common.urls import site_from_url
from tasks.records import Document

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

TEXT_KEYS = ("text", "maintext", "body", "content", "article", "articleBody")
HTML_KEYS = ("html", "raw_html")
URL_KEYS = ("url", "source_url", "link")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("published", "date_publish", "published_at", "date", "pubdate")
SITE_KEYS = ("source", "source_domain", "site", "sitename")


@dataclass(frozen=True)
class ReadConfig:
    """How inputs are read.

    max_bytes: a text or HTML file (decompressed), or one JSON record's text, larger than this is
        rejected as `too_large` instead of being cleaned and parsed; the default fits any real
        article page many times over.
    max_container_bytes: the limit for a whole .json / .jsonl file (many records).
    binary_ratio: share of control bytes above which a text file counts as binary.
    """

    max_bytes: int = 4_000_000
    max_container_bytes: int = 2_000_000_000
    binary_ratio: float = 0.05


class InputNotFound(FileNotFoundError):
    """A path given to the run does not exist: an error before anything runs."""


def input_suffix(path: Path) -> str:
    """The format suffix, looking through a trailing `.gz`."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files to read, in a stable order; folders are searched recursively."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputNotFound(f"input path does not exist: {', '.join(missing)}")
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and input_suffix(f) in SUPPORTED
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            files.append(p)
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def make_doc_id(source_uri: str, content: str | bytes) -> str:
    """Same source and content, same id; the same text from two sources is two documents."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    h = hashlib.sha1(source_uri.encode("utf-8"))
    h.update(b"\0")
    h.update(data)
    return "d_" + h.hexdigest()[:20]


def file_fingerprint(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


MIN_COHERENCE = 0.2  # charset-normalizer's language coherence needed to trust its guess


def guess_encoding(data: bytes) -> tuple[str, str]:
    """(encoding, text) of bytes that are not UTF-8, by charset-normalizer's detection.

    The detector's guess is taken when it recognised the language of the text (coherence at
    least `MIN_COHERENCE`: a Russian page in cp1251) and reads differently from cp1252. Else the
    web's legacy default, cp1252, then latin-1, which maps every byte, so no text is lost: a
    Western text with a few accented letters reads the same in several code pages, and a few
    words give the detector too little to go on.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if best is not None and best.coherence >= MIN_COHERENCE and str(best) != western:
        return best.encoding, str(best)
    if western is not None:
        return "cp1252", western
    return "latin-1", data.decode("latin-1")


def decode_text(data: bytes, *, binary_ratio: float = 0.05) -> tuple[str | None, str | None, dict]:
    """Bytes to text: (text, rejection reason, notes). UTF-8, else the detected legacy encoding
    (`guess_encoding`), recorded in the notes as `encoding`."""
    notes: dict[str, Any] = {}
    if not data.strip():
        return None, "empty", notes
    sample = data[:65536]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if control / len(sample) > binary_ratio:
        return None, "binary", notes
    if b"\0" in data:
        notes["nul_bytes_removed"] = data.count(b"\0")
        data = data.replace(b"\0", b"")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        notes["encoding"], text = guess_encoding(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, "empty", notes
    return text, None, notes


def _first(record: dict, keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = record.get(k)
        if v not in (None, "", [], {}):
            return v
    return None


def _rejected(path: Path, reason: str, data: bytes = b"", *, raw_text: str = "", record_no: int | None = None,
              notes: dict | None = None) -> Document:
    uri = str(path) if record_no is None else f"{path}#{record_no}"
    return Document(
        doc_id=make_doc_id(uri, data or raw_text.encode("utf-8", "replace") or reason.encode()),
        source_uri=uri, raw_text=raw_text, status="rejected", status_reason=reason,
        file_path=str(path), record_no=record_no, notes=dict(notes or {}),
    )


def rejected_file(path: Path, reason: str) -> Document:
    """A whole file that could not be read (too large, corrupt, unreadable): one rejected row."""
    try:
        size = path.stat().st_size
    except OSError:
        size = None
    return _rejected(path, reason, notes={"size": size})


def record_to_document(record: Any, path: Path, record_no: int, config: ReadConfig) -> Document:
    """One JSON record as crawlers write it (news-please, Common Crawl extracts, ...)."""
    if not isinstance(record, dict):
        return _rejected(path, "invalid_json", raw_text=json.dumps(record, ensure_ascii=False)[:10000], record_no=record_no)
    url = _first(record, URL_KEYS)
    uri = str(url) if url else f"{path}#{record_no}"
    html = _first(record, HTML_KEYS)
    text = _first(record, TEXT_KEYS)
    content, content_type = (text, "text") if text is not None else (html, "html")
    notes = {k: record[k] for k in ("id", "category", "authors", "language") if k in record}
    if not isinstance(content, str) or not content.strip():
        return _rejected(path, "no_text", raw_text=json.dumps(record, ensure_ascii=False, default=str)[:10000],
                         record_no=record_no, notes=notes)
    if len(content) > config.max_bytes:
        return _rejected(path, "too_large", raw_text=content[:10000], record_no=record_no, notes=notes)
    content = content.replace("\0", "").replace("\r\n", "\n").replace("\r", "\n")
    site = _first(record, SITE_KEYS)
    return Document(
        doc_id=make_doc_id(uri, content), source_uri=uri, raw_text=content, content_type=content_type,
        title=str(_first(record, TITLE_KEYS)).strip() if _first(record, TITLE_KEYS) else None,
        site=str(site) if site else site_from_url(uri),
        published_at=parse_datetime(_first(record, DATE_KEYS)),
        file_path=str(path), record_no=record_no, notes=notes,
    )


def read_bytes(path: Path, config: ReadConfig) -> tuple[bytes | None, str | None]:
    """The file's (decompressed) bytes, or a rejection reason."""
    container = input_suffix(path) in JSON_SUFFIXES | JSONL_SUFFIXES
    limit = config.max_container_bytes if container else config.max_bytes
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                data = fh.read(limit + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error):
        return None, "corrupt_gzip"
    if len(data) > limit:
        return None, "too_large"
    return data, None


def read_file(path: Path, config: ReadConfig = ReadConfig(), data: bytes | None = None) -> Iterator[Document]:
    """Every record of one file as a Document (rejections included)."""
    if data is None:
        data, reason = read_bytes(path, config)
        if reason:
            yield rejected_file(path, reason)
            return
    suffix = input_suffix(path)
    if suffix in JSONL_SUFFIXES:
        text, reason, notes = decode_text(data, binary_ratio=config.binary_ratio)
        if reason:
            yield _rejected(path, reason, data)
            return
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                yield _rejected(path, "invalid_json", raw_text=line[:10000], record_no=n)
                continue
            yield record_to_document(record, path, n, config)
        return
    text, reason, notes = decode_text(data, binary_ratio=config.binary_ratio)
    if reason:
        yield _rejected(path, reason, data, notes=notes)
        return
    if suffix in JSON_SUFFIXES:
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            yield _rejected(path, "invalid_json", data, raw_text=text[:10000])
            return
        records = parsed if isinstance(parsed, list) else [parsed]
        if not records:
            yield _rejected(path, "empty", data)
        for n, record in enumerate(records, start=1):
            yield record_to_document(record, path, n, config)
        return
    uri = str(path)
    yield Document(
        doc_id=make_doc_id(uri, text), source_uri=uri, raw_text=text,
        content_type="html" if suffix in HTML_SUFFIXES else "text",
        file_path=str(path), notes=notes,
    )
