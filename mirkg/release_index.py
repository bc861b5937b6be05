"""The store a person's questions to a built release read. A small release (under
IN_MEMORY_BYTES of N-Triples, 100 times the real data included) is loaded into memory for each
question: Oxigraph reads 42 MB in under half a second, while making a database of them takes
1.2 s, so each question stays under a second. A larger one becomes an on-disk Oxigraph database,
kept in the user's cache folder and named by the release files it holds: the first question on
the release makes it (about 10 s at scale 1000, where loading into memory would cost 5 s for
every question) and every later one opens it in tens of milliseconds.

The database is not part of the release: dist/ stays byte for byte what the build wrote. A
rebuild writes new files, which name a new database; the oldest are removed beyond KEEP. When
the cache folder cannot be written, the release loads into memory, as it did before."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from .queries import store_from_ntriples

CACHE_VARIABLE = "MIRKG_CACHE"  # a folder for the databases, before $XDG_CACHE_HOME/mirkg
KEEP = 3  # databases kept: the releases most recently asked
IN_MEMORY_BYTES = 48 << 20  # a release this small is loaded for each question, without a database
STALE_SECONDS = 3600  # a half-made database this old was left by a process that was killed


def cache_folder() -> Path:
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mirkg" / "stores"


def release_key(files: list[Path]) -> str:
    """The name of the database of these files as they are now: their place, size and time of
    writing (hashing them would cost a second at scale 1000; a build replaces every file, so a
    new build is a new name)."""
    digest = hashlib.sha256()
    for f in files:
        stat = f.stat()
        digest.update(f"{f.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def loads_in_memory(files: list[Path]) -> bool:
    """Whether release_store loads these release files into memory, not into a database."""
    return sum(f.stat().st_size for f in files) < IN_MEMORY_BYTES


def release_store(files: list[Path], folder: Path | None = None) -> ox.Store:
    """The store of the release files (N-Triples): in memory when they are smaller than
    IN_MEMORY_BYTES, else their cached database, read-only, made now when there is none."""
    if loads_in_memory(files):
        return store_from_ntriples(*files, checked=False)
    folder = folder or cache_folder()
    database = folder / release_key(files)
    if database.is_dir():
        try:
            store = ox.Store.read_only(str(database))
            os.utime(database)  # the most recently asked is the last removed
            return store
        except (OSError, RuntimeError):  # RocksDB reports a damaged database as RuntimeError
            shutil.rmtree(database, ignore_errors=True)  # made again below
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _make(files, database)
    except OSError:
        return store_from_ntriples(*files, checked=False)
    _prune(folder, keep=database)
    return ox.Store.read_only(str(database))


def _make(files: list[Path], database: Path) -> None:
    """The database made in a folder of its own and renamed into place when complete, so that a
    reader never opens half of one; an interruption (Ctrl-C, SIGTERM turned into an exception)
    removes the half."""
    partial = database.with_name(f".{database.name}.{os.getpid()}.partial")
    try:
        store = store_from_ntriples(*files, checked=False, into=ox.Store(str(partial)))
        store.flush()
        del store  # closes the database before it moves
        try:
            partial.rename(database)
        except OSError:
            if not database.is_dir():  # another process made it meanwhile: theirs is kept
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _prune(folder: Path, keep: Path) -> None:
    """Half-made databases left by killed processes, and all but the KEEP most recently asked."""
    now, made = time.time(), []
    for entry in folder.iterdir():
        try:
            mtime = entry.stat().st_mtime
        except OSError:
            continue  # removed meanwhile by another process's pruning
        if entry.name.endswith(".partial"):
            if now - mtime > STALE_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
        else:
            made.append((mtime, entry))
    for _, entry in sorted(made, reverse=True)[KEEP:]:
        if entry != keep:
            shutil.rmtree(entry, ignore_errors=True)
