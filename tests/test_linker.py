"""Hard links made beside the build (portal.linker): every file a safe rebuild
takes from the previous build's folder is that very file, made before the
build ends, and what cannot be made is a problem record."""

import os
import threading

from conftest import page, run_build, write_files as write

from portal import linker, problems


def test_queued_links_are_the_source_files_once_waited_for(tmp_path):
    source = tmp_path / "previous"
    write(source, {"a/b/index.html": "one", "c.txt": "two", "kept.txt": "old"})
    output = tmp_path / "output"
    write(output, {"kept.txt": "written by this build"})
    for rel in ("a/b/index.html", "c.txt", "kept.txt"):
        linker.link(output, source / rel, output / rel)
    linker.wait(output)
    assert (output / "a/b/index.html").stat().st_ino == (source / "a/b/index.html").stat().st_ino
    assert (output / "c.txt").read_text() == "two"
    assert (output / "kept.txt").read_text() == "written by this build"
    with problems.collecting() as found:
        linker.finish(output)
    assert found == []
    assert linker.pending() == []


def test_a_file_that_cannot_be_made_is_a_problem_record(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    linker.link(output, tmp_path / "gone.png", output / "images" / "cards" / "gone.png")
    with problems.collecting() as found:
        linker.finish(output)
    assert [(p.plugin, p.path, p.field) for p in found] == [("linker", "(site)", "output")]
    assert "gone.png" in found[0].message and "disk full" in found[0].message


def test_a_forked_process_does_not_keep_the_linking_process_waiting(tmp_path):
    """Page writers are forked while links are queued; the linking process
    ends when the build says so, not when the last of them ends."""
    write(tmp_path / "previous", {"index.html": "x"})
    output = tmp_path / "output"
    linker.link(output, tmp_path / "previous" / "index.html", output / "index.html")
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # holds on until the test lets it go
        os.close(write_end)
        os.read(read_end, 1)
        os._exit(0)
    os.close(read_end)
    try:
        done = threading.Thread(target=linker.finish, args=(output,))
        done.start()
        done.join(timeout=30)
        finished = not done.is_alive()
    finally:
        os.close(write_end)
        os.waitpid(child, 0)
    assert finished
    assert (output / "index.html").read_text() == "x"


def test_a_stopped_build_leaves_no_linking_process(tmp_path):
    write(tmp_path / "previous", {"index.html": "x"})
    linker.link(tmp_path / "output", tmp_path / "previous" / "index.html",
                tmp_path / "output" / "index.html")
    assert linker.pending() == [str(tmp_path / "output")]
    linker.stop()
    assert linker.pending() == []


SITE = {
    "pages/home.nl.md": page("Thuis", template="home"),
    "pages/home.en.md": page("Home", template="home"),
    "news/first.nl.md": page("Eerste", date="2026-03-18"),
    "news/first.en.md": page("First", date="2026-03-18"),
    "news/second.nl.md": page("Tweede", date="2026-03-19"),
    "news/second.en.md": page("Second", date="2026-03-19"),
}


def test_a_rebuild_takes_unchanged_pages_cards_and_index_files_from_the_last_build(tmp_path):
    content = tmp_path / "content"
    write(content, SITE)
    assert run_build(tmp_path, content).returncode == 0
    out = tmp_path / "output"

    def inodes(pattern):
        return {p.relative_to(out).as_posix(): p.stat().st_ino
                for p in out.glob(pattern) if p.is_file()}

    kinds = ["nl/nieuws/*/index.html", "images/cards/*.png", "pagefind*/fragment/*"]
    before = {kind: inodes(kind) for kind in kinds}
    assert all(before.values())
    write(content, {"news/second.en.md": page("Second", "A new sentence.", date="2026-03-19")})
    result = run_build(tmp_path, content)
    assert result.returncode == 0, result.stderr
    after = {kind: inodes(kind) for kind in kinds}
    # The Dutch pages and every card did not change: the very files of the last build.
    assert after["nl/nieuws/*/index.html"] == before["nl/nieuws/*/index.html"]
    assert after["images/cards/*.png"] == before["images/cards/*.png"]
    # The index files of the Dutch pages too; the English part was indexed anew.
    kept = set(after["pagefind*/fragment/*"].items()) & set(before["pagefind*/fragment/*"].items())
    assert 0 < len(kept) < len(after["pagefind*/fragment/*"])
    assert "A new&nbsp;sentence." in (out / "en/news/second/index.html").read_text("utf-8")


def test_the_linking_process_reads_pairs_cut_anywhere(tmp_path):
    """Requests come through a pipe in pieces of any size: every pair is
    linked, every barrier answered, in order."""
    import io
    import random

    previous = tmp_path / "previous"
    names = [f"page-{n}/index.html" for n in range(40)]
    write(previous, {name: name for name in names})
    stream = b""
    for number, name in enumerate(names):
        stream += os.fsencode(previous / name) + b"\0" + os.fsencode(tmp_path / "out" / name) + b"\0"
        if number % 10 == 9:
            stream += b"\0"
    stream += os.fsencode(tmp_path / "missing") + b"\0" + os.fsencode(tmp_path / "out/x") + b"\0"
    read_end, write_end = os.pipe()
    rng = random.Random(7)

    def send():
        at = 0
        while at < len(stream):
            step = rng.randint(1, 50)
            os.write(write_end, stream[at:at + step])
            at += step
        os.close(write_end)

    sender = threading.Thread(target=send)
    sender.start()
    answers = io.StringIO()
    linker.serve(read_end, answers)
    sender.join()
    os.close(read_end)
    lines = answers.getvalue().splitlines()
    assert lines[:4] == ["OK"] * 4
    assert lines[4:] == [f"{tmp_path / 'out' / 'x'}: No such file or directory"]
    assert all((tmp_path / "out" / name).read_text() == name for name in names)
