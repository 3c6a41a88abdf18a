"""Write a file whole or not at all: the one way the validator writes (export, generated docs, `new`, the unit cache).

The new content goes to a temporary file that only this call can have created (mkstemp: a unique
name, O_EXCL, so a planted `.NAME.tmp` link is never followed), is flushed to disk, and is then
renamed over the target, so a reader or a racing writer sees the old file or the new one, never
half of one. Only a regular file (or nothing) is replaced: a link, a device or a pipe at the target
is refused rather than turned into a regular file. The temporary is removed on any failure,
including an interrupt or SIGTERM; only SIGKILL can leave one (named `.NAME.*.tmp`, never the target).
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator


class AtomicWriteError(Exception):
    """The target cannot be written; the message says why (the command exits with status 2)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_target(path: Path, overwrite: bool) -> int:
    """The mode the new file gets (the old file's, else what open() would give); raise if it may not be written."""
    if not path.parent.is_dir():
        raise AtomicWriteError(f"cannot write {path}: the folder {path.parent} does not exist")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as err:
        raise AtomicWriteError(f"cannot write {path}: {err.strerror}") from None
    if stat.S_ISDIR(mode):
        raise AtomicWriteError(f"cannot write {path}: it is a folder; name a file")
    if stat.S_ISLNK(mode):
        raise AtomicWriteError(f"cannot write {path}: it is a symbolic link; it is not replaced (name the file it points to)")
    if not stat.S_ISREG(mode):
        raise AtomicWriteError(f"cannot write {path}: it is not a regular file (a device, pipe or socket); it is not replaced")
    if not overwrite:
        raise FileExistsError(path)
    return stat.S_IMODE(mode)


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """Make SIGTERM (a CI timeout, `kill`) unwind like an interrupt, so the temporary is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_atomically(path: Path, write: Callable[[BinaryIO], None], *, overwrite: bool = True) -> None:
    """Write `path` through `write(binary stream)`; with overwrite=False, raise FileExistsError rather than replace a file."""
    path = Path(path)
    mode = _check_target(path, overwrite)
    with _sigterm_unwinds():
        try:
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as err:
            raise AtomicWriteError(f"cannot write {path}: {err.strerror}") from None
        try:
            os.chmod(temporary, mode)  # mkstemp makes it 0600
            with os.fdopen(handle, "wb") as stream:
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())
            if overwrite:
                os.replace(temporary, path)
            else:
                os.link(temporary, path)  # fails, rather than replaces, if the file appeared meanwhile
        except OSError as err:
            if isinstance(err, FileExistsError) and not overwrite:
                raise
            raise AtomicWriteError(f"cannot write {path}: {err.strerror or err}") from None
        finally:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass  # renamed into place
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder is flushed; where folders cannot be opened, this is best effort.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_text_atomically(path: Path, text: str, *, overwrite: bool = True) -> None:
    write_atomically(path, lambda stream: stream.write(text.encode("utf-8")), overwrite=overwrite)
