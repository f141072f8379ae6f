"""Readers: files of txt, html, json and jsonl (optionally gzipped) into Documents, streamed.

Every input record becomes exactly one Document, and no input can stop a run: what cannot be
read is a Document too, with `status = "rejected"` and a reason, so nothing disappears silently.
Reasons: `empty`, `binary`, `invalid_json`, `too_deep` (JSON or HTML nested past the parsers'
limits), `too_large`, `too_many_records`, `corrupt_gzip`, `no_text`, `unreadable: ...`,
`read_error` (anything else, with the error in `notes`), and the reasons of `input_problem`
(`not_a_file: fifo`, `dangling_link`, `symlink_loop`, `unreadable_folder: ...`, `unsupported_type`).

JSONL is read line by line from the (decompressed) stream: memory is bounded by one line and by
the records of one file (`max_records_per_file`), whatever the size of the file.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from tasks.read.fields import dump_record, parse_datetime, parse_json, scrub, site_from_url, storable_field
from tasks.read.html_depth import html_too_deep
from tasks.read.inputs import (
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    input_problem,
    input_suffix,
    open_regular,
    storable_path,
)
from tasks.records import Document

TEXT_KEYS = ("text", "maintext", "body", "content", "article", "articleBody")
HTML_KEYS = ("html", "raw_html")
URL_KEYS = ("url", "source_url", "link")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("published", "date_publish", "published_at", "date", "pubdate")
SITE_KEYS = ("source", "source_domain", "site", "sitename")
GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


@dataclass(frozen=True)
class ReadConfig:
    """How inputs are read.

    max_bytes: a text or HTML file (decompressed), or one JSON record's text or one JSONL line,
        larger than this is rejected as `too_large` instead of being cleaned and parsed; the
        default fits any real article page many times over.
    max_json_bytes: the limit for a whole .json file, which is parsed at once (use JSONL, which
        is streamed, for larger dumps).
    max_container_bytes: the limit for a whole .jsonl file (decompressed; bounds the time a
        gzip bomb can take).
    max_records_per_file: records read from one file; the rest of the file is one rejected
        row (`too_many_records`). A run holds its records in memory until its load, so this
        bounds the memory one file can take.
    binary_ratio: share of control bytes above which a text file counts as binary.
    """

    max_bytes: int = 4_000_000
    max_json_bytes: int = 100_000_000
    max_container_bytes: int = 2_000_000_000
    max_records_per_file: int = 100_000
    binary_ratio: float = 0.05


def make_doc_id(source_uri: str, content: str | bytes) -> str:
    """Same source and content, same id; the same text from two sources is two documents."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    h = hashlib.sha1(source_uri.encode("utf-8", "surrogatepass"))
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


def is_binary(sample: bytes, ratio: float) -> bool:
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and control / len(sample) > ratio


def _decode(data: bytes) -> tuple[str, str]:
    """Bytes to (text, encoding): UTF-8, else the detected legacy encoding (`guess_encoding`)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        encoding, text = guess_encoding(data)
        return text, encoding


def decode_text(data: bytes, *, binary_ratio: float = 0.05) -> tuple[str | None, str | None, dict]:
    """Bytes to text: (text, rejection reason, notes). UTF-8, else the detected legacy encoding
    (`guess_encoding`), recorded in the notes as `encoding`."""
    notes: dict[str, Any] = {}
    if not data.strip():
        return None, "empty", notes
    if is_binary(data[:65536], binary_ratio):
        return None, "binary", notes
    if b"\0" in data:
        notes["nul_bytes_removed"] = data.count(b"\0")
        data = data.replace(b"\0", b"")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text, encoding = _decode(data)
    if encoding != "utf-8":
        notes["encoding"] = encoding
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


def _uri(path: Path, record_no: int | None) -> str:
    return storable_path(path) if record_no is None else f"{storable_path(path)}#{record_no}"


def _rejected(path: Path, reason: str, data: bytes = b"", *, raw_text: str = "", record_no: int | None = None,
              notes: dict | None = None) -> Document:
    uri = _uri(path, record_no)
    raw_text, _ = scrub(raw_text)
    return Document(
        doc_id=make_doc_id(uri, data or raw_text.encode("utf-8", "replace") or reason.encode()),
        source_uri=uri, raw_text=raw_text, status="rejected", status_reason=reason,
        file_path=storable_path(path), record_no=record_no, notes=dict(notes or {}),
    )


def rejected_file(path: Path, reason: str, notes: dict | None = None) -> Document:
    """A whole file that could not be read (too large, corrupt, unreadable, not a file): one rejected row."""
    try:
        size = path.stat().st_size
    except OSError:
        size = None
    return _rejected(path, reason, notes={"size": size, **(notes or {})})


def record_to_document(record: Any, path: Path, record_no: int, config: ReadConfig) -> Document:
    """One JSON record as crawlers write it (news-please, Common Crawl extracts, ...). Text fields
    lose NUL and lone surrogates (counted in notes); an odd record is a rejected row, never an error."""
    try:
        return _record_to_document(record, path, record_no, config)
    except (RecursionError, MemoryError) as exc:
        return _rejected(path, "too_deep" if isinstance(exc, RecursionError) else "too_large", record_no=record_no)
    except Exception as exc:  # noqa: BLE001 - one odd record must not stop its file
        return _rejected(path, "read_error", raw_text=dump_record(record), record_no=record_no,
                         notes={"error": f"{type(exc).__name__}: {exc}"[:500]})


def _record_to_document(record: Any, path: Path, record_no: int, config: ReadConfig) -> Document:
    if not isinstance(record, dict):
        return _rejected(path, "invalid_json", raw_text=dump_record(record), record_no=record_no)
    notes: dict[str, Any] = {k: record[k] for k in ("id", "category", "authors", "language") if k in record}
    url = storable_field(_first(record, URL_KEYS), notes, "url")
    uri = url or _uri(path, record_no)
    html = _first(record, HTML_KEYS)
    text = _first(record, TEXT_KEYS)
    content, content_type = (text, "text") if text is not None else (html, "html")
    if not isinstance(content, str) or not content.strip():
        return _rejected(path, "no_text", raw_text=dump_record(record), record_no=record_no, notes=notes)
    if len(content) > config.max_bytes:
        return _rejected(path, "too_large", raw_text=content[:10000], record_no=record_no, notes=notes)
    content, removed = scrub(content)
    if removed:
        notes["chars_removed"] = removed
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    if content_type == "html" and html_too_deep(content):
        return _rejected(path, "too_deep", raw_text=content[:10000], record_no=record_no, notes=notes)
    published = _first(record, DATE_KEYS)
    published_at = parse_datetime(published)
    if published is not None and published_at is None:
        notes["published_unparsed"] = storable_field(published, {}, "published")
    return Document(
        doc_id=make_doc_id(uri, content), source_uri=uri, raw_text=content, content_type=content_type,
        title=storable_field(_first(record, TITLE_KEYS), notes, "title"),
        site=storable_field(_first(record, SITE_KEYS), notes, "site") or site_from_url(uri),
        published_at=published_at, file_path=storable_path(path), record_no=record_no, notes=notes,
    )


def read_bytes(path: Path, config: ReadConfig) -> tuple[bytes | None, str | None]:
    """The file's (decompressed) bytes, or a rejection reason; for files read whole (not JSONL)."""
    reason = input_problem(path)
    if reason:
        return None, reason
    suffix = input_suffix(path)
    limit = config.max_json_bytes if suffix in JSON_SUFFIXES else (
        config.max_container_bytes if suffix in JSONL_SUFFIXES else config.max_bytes)
    raw = open_regular(path)
    try:
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if path.suffix.lower() == ".gz" else raw
        data = stream.read(limit + 1)
    except GZIP_ERRORS:
        return None, "corrupt_gzip"
    finally:
        raw.close()
    if len(data) > limit:
        return None, "too_large"
    return data, None


def read_file(path: Path, config: ReadConfig = ReadConfig(), data: bytes | None = None) -> Iterator[Document]:
    """Every record of one file as a Document (rejections included), as it is read.

    `data` is the file's decompressed bytes when the caller has them already. An error that is
    not about the content (an I/O error mid-file) ends the file with one rejected row; the
    records before it are kept."""
    try:
        yield from _read_file(path, config, data)
    except OSError as exc:
        yield rejected_file(path, f"unreadable: {exc.strerror or type(exc).__name__}")
    except Exception as exc:  # noqa: BLE001 - one file must never stop a run
        yield rejected_file(path, "read_error", notes={"error": f"{type(exc).__name__}: {exc}"[:500]})


def _read_file(path: Path, config: ReadConfig, data: bytes | None) -> Iterator[Document]:
    suffix = input_suffix(path)
    if suffix in JSONL_SUFFIXES:
        if data is not None:
            yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), path, config)
            return
        reason = input_problem(path)
        if reason:
            yield rejected_file(path, reason)
            return
        raw = open_regular(path)
        try:
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if path.suffix.lower() == ".gz" else raw
            yield from read_jsonl(stream, path, config)
        finally:
            raw.close()
        return
    if data is None:
        data, reason = read_bytes(path, config)
        if reason:
            yield rejected_file(path, reason)
            return
    text, reason, notes = decode_text(data, binary_ratio=config.binary_ratio)
    if reason:
        yield _rejected(path, reason, data, notes=notes)
        return
    if suffix in JSON_SUFFIXES:
        parsed, reason = parse_json(text)
        if reason:
            yield _rejected(path, reason, data, raw_text=text[:10000])
            return
        records = parsed if isinstance(parsed, list) else [parsed]
        if not records:
            yield _rejected(path, "empty", data)
        for n, record in enumerate(records[: config.max_records_per_file], start=1):
            yield record_to_document(record, path, n, config)
        if len(records) > config.max_records_per_file:
            yield _too_many(path, config.max_records_per_file + 1, config)
        return
    uri = storable_path(path)
    html = suffix in HTML_SUFFIXES
    if html and html_too_deep(text):
        yield _rejected(path, "too_deep", data, raw_text=text[:10000], notes=notes)
        return
    yield Document(
        doc_id=make_doc_id(uri, text), source_uri=uri, raw_text=text, content_type="html" if html else "text",
        file_path=uri, notes=notes,
    )


def _too_many(path: Path, record_no: int, config: ReadConfig) -> Document:
    return _rejected(path, "too_many_records", record_no=record_no,
                     notes={"max_records_per_file": config.max_records_per_file})


def read_jsonl(stream: BinaryIO, path: Path, config: ReadConfig) -> Iterator[Document]:
    """Records of a JSONL stream, one line at a time; a line longer than `max_bytes` is skipped
    (rejected `too_large`) without being held; a stream that breaks off (truncated gzip) keeps
    the records before and ends with one `corrupt_gzip` row."""
    n = 0
    total = 0
    records = 0
    try:
        head = stream.peek(65536)[:65536]
        if head and is_binary(head, config.binary_ratio):
            yield _rejected(path, "binary", head)
            return
        while True:
            line = stream.readline(config.max_bytes + 1)
            if not line:
                break
            n += 1
            total += len(line)
            if len(line) > config.max_bytes and not line.endswith(b"\n"):
                rest = line
                while rest and not rest.endswith(b"\n") and total <= config.max_container_bytes:
                    rest = stream.readline(1 << 20)
                    total += len(rest)
                yield _rejected(path, "too_large", line[:10000], record_no=n)
                records += 1
            elif line.strip():
                if records >= config.max_records_per_file:
                    yield _too_many(path, n, config)
                    return
                records += 1
                yield _jsonl_record(line, path, n, config)
            if total > config.max_container_bytes:
                yield _rejected(path, "too_large", record_no=n + 1,
                                notes={"max_container_bytes": config.max_container_bytes})
                return
    except GZIP_ERRORS:
        yield _rejected(path, "corrupt_gzip", record_no=n + 1)
        return
    if records == 0:
        yield _rejected(path, "empty", notes={"size": total})


def _jsonl_record(line: bytes, path: Path, n: int, config: ReadConfig) -> Document:
    text, _ = _decode(line.replace(b"\0", b"").removeprefix(b"\xef\xbb\xbf"))
    record, reason = parse_json(text)
    if reason:
        return _rejected(path, reason, raw_text=text[:10000], record_no=n)
    return record_to_document(record, path, n, config)
