"""Hard links into a new output folder, made by a process of its own.

A safe build (tools/build.py) writes into a new, empty folder and hard-links
from the previous build's folder every file that did not change: at N=2000
about 4,000 pages, 4,000 share cards and 4,000 files of the search index,
each a `link` (and sometimes a `mkdir`) in the file system, a third of a
second of a rebuild when the build process makes them one by one. Queued
here instead, they are made by a small process beside the build, on the
other core, while the build goes on:

    linker.link(output, source, target)     # queued; made beside the build
    linker.wait(output)                     # before reading what was linked
    linker.finish(output)                   # at the end of the build: all made

`output` is the output folder the links go into: a build has one process.

A link that cannot be made (another file system) becomes a copy; a target
that is already there is left as it is (this build wrote it). What could be
neither linked nor copied is reported as a problem record by `finish`.
Without a process (it could not start) the links are made at once.
"""

import logging
import os
import shutil
import subprocess
import sys

logger = logging.getLogger(__name__)

# Bytes a pipe to the process can hold before the build would wait for it.
PIPE_SIZE = 1 << 20
# Requests are sent in pieces of about this size (one write each).
BATCH = 1 << 15

_linkers = {}  # output folder -> Popen
_queued = {}  # output folder -> requests not sent yet
_folders = {}  # an output folder as given -> as an absolute path


def _start(output):
    try:
        # This file run as a program: the standard library only, no site packages.
        process = subprocess.Popen(
            [sys.executable, "-S", "-I", os.path.abspath(__file__)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
    except OSError as error:
        logger.debug("[linker] no linking process (%s): links are made at once", error)
        return None
    try:
        import fcntl

        fcntl.fcntl(process.stdin.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_SIZE)
    except (ImportError, OSError):
        pass  # a smaller pipe: the build waits now and then for the process
    _linkers[output] = process
    return process


def _folder(output):
    if output not in _folders:
        _folders[output] = os.path.abspath(output)
    return _folders[output]


def link(output, source, target):
    """Hard-link `source` to `target` (below `output`), now or soon."""
    output = _folder(output)
    process = _linkers.get(output) or _start(output)
    if process is None:
        link_now(source, target)
        return
    queued = _queued.setdefault(output, bytearray())
    queued += os.fsencode(source) + b"\0" + os.fsencode(target) + b"\0"
    if len(queued) >= BATCH:
        _send(output)


def _send(output):
    """Write what is queued for `output` to its process."""
    queued, _queued[output] = _queued.get(output) or b"", bytearray()
    view = memoryview(queued)
    try:
        while view:
            view = view[_linkers[output].stdin.write(view):]
    except BrokenPipeError:  # the process is gone: `finish` says so
        pass


def _send_all():
    for output in list(_linkers):
        _send(output)


def link_now(source, target, made=None):
    """One link, made now (a copy where no link can be made); a target that
    is there stays. `made`: folders known to exist, added to."""
    folder = os.path.dirname(target)
    if made is None or folder not in made:
        os.makedirs(folder, exist_ok=True)
        if made is not None:
            made.add(folder)
    try:
        os.link(source, target)
    except FileExistsError:
        pass  # written by this build: it is the one it wrote
    except OSError:
        shutil.copy2(source, target)


def serve(requests, answers):
    """The linking process: `source NUL target NUL` pairs from `requests`
    (a file descriptor) are linked; a lone NUL (a barrier) is answered with
    `OK`; a pair that cannot be made with one line saying why."""
    made, rest = set(), b""
    while chunk := os.read(requests, 1 << 16):
        fields = (rest + chunk).split(b"\0")
        rest = fields.pop()  # the start of a field still to come
        index = 0
        while index < len(fields):
            if not fields[index]:
                answers.write("OK\n")
                answers.flush()
                index += 1
            elif index + 1 == len(fields):  # a pair whose target is still to come
                rest = fields[index] + b"\0" + rest
                break
            else:
                source, target = os.fsdecode(fields[index]), os.fsdecode(fields[index + 1])
                index += 2
                try:
                    link_now(source, target, made)
                except OSError as error:
                    answers.write(f"{target}: {error.strerror or error}\n")
                    answers.flush()


def _answers(process, until_ok):
    """Failures the process reported, up to its next `OK` (or its end)."""
    failures = []
    for line in iter(process.stdout.readline, b""):
        text = line.decode("utf-8", "replace").rstrip("\n")
        if text == "OK" and until_ok:
            break
        if text != "OK":
            failures.append(text)
    return failures


def wait(output):
    """Return once every link queued so far into `output` is made."""
    output = _folder(output)
    process = _linkers.get(output)
    if process is None:
        return
    _queued.setdefault(output, bytearray()).extend(b"\0")
    _send(output)
    _report(_answers(process, until_ok=True))


def finish(output):
    """Every link into `output` made; the process ends. Call at the end of
    every build that may have queued links."""
    output = _folder(output)
    if output not in _linkers:
        return
    _send(output)
    process = _linkers.pop(output)
    _queued.pop(output, None)
    process.stdin.close()  # unbuffered: closing sends nothing
    failures = _answers(process, until_ok=False)
    process.wait()
    if process.returncode:
        failures.append(f"the linking process stopped (exit status {process.returncode})")
    _report(failures)


def stop():
    """A build that stops half-way: the processes end without finishing."""
    _queued.clear()
    while _linkers:
        _, process = _linkers.popitem()
        process.kill()
        process.wait()
        process.stdin.close()  # unbuffered: nothing left to send
        process.stdout.close()


def _report(failures):
    from portal import problems  # imported here: the linking process runs this file alone

    for failure in failures:
        problems.report("linker", "(site)", "output",
                        f"a file could not be put into the new output folder: {failure}; "
                        f"is the disk full or the folder read-only?")


def _forget_in_child():
    """A forked process (a page writer) must not hold the pipes open: the
    linking process would not see the end of its input until it ended. (What
    was queued is sent before the fork, by the build process alone.)"""
    _queued.clear()
    while _linkers:
        _, process = _linkers.popitem()
        for stream in (process.stdin, process.stdout):
            stream.close()  # unbuffered: nothing of the parent's is sent from here


os.register_at_fork(before=_send_all, after_in_child=_forget_in_child)


def pending():
    """Output folders with a linking process, for tests."""
    return sorted(_linkers)


if __name__ == "__main__":
    serve(0, sys.stdout)
