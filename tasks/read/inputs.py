"""What counts as an input: files and folders to a stable list of paths, and which of them can be read.

Only regular files with a supported suffix are read. Everything else that a run meets (a FIFO, a
socket or device, a dangling or looping symlink, a folder it may not list, a file under /proc) is
still listed, so that the reader turns it into a rejected row with a reason (`input_problem`):
nothing is skipped without a trace, and nothing blocks (a FIFO is never opened for reading).
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from pathlib import Path
from typing import BinaryIO

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
# pseudo file systems: their "regular" files are the kernel's state (environment, memory maps)
PSEUDO_ROOTS = ("/proc", "/sys", "/dev")

log = logging.getLogger("newsdag.read")


class InputNotFound(FileNotFoundError):
    """A path given to the run does not exist: an error before anything runs."""


def input_suffix(path: Path) -> str:
    """The format suffix, looking through a trailing `.gz`."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def storable_path(path: str | os.PathLike) -> str:
    """A path as text that any database takes: file-name bytes that are not UTF-8 (Python keeps
    them as lone surrogates) become `\\xNN` escapes, so `café` in latin-1 is stored as `caf\\xe9`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def input_key(path: Path) -> str:
    """The absolute, resolved path as stored in `ingested_files` (a looping link keeps its own path)."""
    try:
        return storable_path(path.resolve())
    except (OSError, RuntimeError):
        return storable_path(os.path.abspath(path))


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:
        return False


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Inputs in a stable order: folders are searched recursively (following symlinked folders
    once each; hidden entries and files of other types are not inputs), files are taken as given.

    Entries that are not regular files (FIFOs, sockets, dangling or looping links) and folders
    that cannot be listed are returned too: `input_problem` names what is wrong with them and the
    reader records it. A path given that does not exist is an error (`InputNotFound`)."""
    missing = [str(p) for p in paths if not Path(p).exists() and not _is_link(Path(p))]
    if missing:
        raise InputNotFound(f"input path does not exist: {', '.join(missing)}")
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(_walk(p))
        else:
            files.append(p)
    seen: set[str] = set()
    unique = []
    for f in files:
        key = input_key(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _walk(root: Path) -> list[Path]:
    """Candidate inputs under one folder, sorted; each real folder is visited once."""
    found: list[Path] = []
    visited: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        log.warning("cannot list %s: %s", storable_path(exc.filename or root), exc.strerror)
        found.append(Path(exc.filename or root))

    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in visited:  # a symlinked folder seen already (or a cycle)
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            try:
                regular = stat.S_ISREG(os.stat(path).st_mode)
            except OSError:
                regular = False  # dangling or looping link: reported by the reader
            if not regular or input_suffix(path) in SUPPORTED:
                found.append(path)
    return sorted(found)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"


def input_problem(path: Path) -> str | None:
    """Why this path is not a readable input (a rejection reason), or None when it is one.

    Transient errors (a flaky mount, a file locked for a moment) are raised as OSError, for the
    caller to retry; what retrying cannot change is returned as a reason."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "dangling_link" if _is_link(path) else "vanished"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink_loop"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return f"unreadable: {exc.strerror}"
        raise
    if stat.S_ISDIR(st.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            return f"unreadable_folder: {exc.strerror}"
        return "not_a_file: folder"
    if not stat.S_ISREG(st.st_mode):
        return f"not_a_file: {_kind(st.st_mode)}"
    real = os.path.realpath(path)
    if any(real == root or real.startswith(root + "/") for root in PSEUDO_ROOTS):
        return f"not_a_file: {real.split('/')[1]}"
    if input_suffix(path) not in SUPPORTED:
        return "unsupported_type"
    return None


def open_regular(path: Path) -> BinaryIO:
    """Open a file for reading only if it is still a regular file (never blocks on a FIFO that
    replaced it since it was listed)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def fingerprint_file(path: Path, block: int = 1 << 20) -> tuple[str | None, str | None]:
    """(sha1 of the file's bytes as stored, None), or (None, reason) when it is not a readable
    input. Reads in blocks: memory does not grow with the file. OSError is left to the caller
    (transient I/O is retried there)."""
    reason = input_problem(path)
    if reason:
        return None, reason
    h = hashlib.sha1()
    with open_regular(path) as fh:
        while chunk := fh.read(block):
            h.update(chunk)
    return h.hexdigest(), None
