"""Build-speed benchmark: our full build against plain Pelican and Markdown alone.

    python tools/bench.py            # N = 500 and 2000 news items per language
    python tools/bench.py 50 200     # other sizes (or BENCH_N="50 200")

For each N it generates synthetic bilingual news in our content format (about
400 words each, with headings, lists, links, domains and partners) next to the
real pages, partners and domains, and measures, each in a fresh process:

- Markdown only: Python-Markdown converting the synthetic files (lower bound);
- plain Pelican: the same synthetic articles, Pelican's default theme and
  settings, no plugins (the reference);
- cold: our full configuration into an empty output and cache folder;
- warm: the same again after editing one news item;
- make html cold and warm: the same two through tools/build.py, the safe build
  editors run (a temporary folder swapped in for the output).

Then it builds the real site with BENCH_IMAGES (default 200) news items that
each have a lead photo, cold and again with nothing changed, and prints
`images: <s> s cold, <s> s warm for 200 images`.

Each is measured BENCH_RUNS times (default 5), in rounds that run them one
after the other, and the median is shown: on a shared machine one run can be
slowed by others. The cold builds of a round come first, and start only when
the files the last round's rebuilds removed are 30 s old: on a file system
without a journal, files created just after thousands were removed take much
longer (see `settle`), which would time the round before, not the build.
Wall time and CPU time are printed as a table, with the peak memory of the
builds (the process and its children, summed as proportional set size), which
is sampled in runs of their own so that the sampling does not slow the timed
runs; the next line sums it up for the largest N.

A timed build that reports an error stops the benchmark with its log.

The last line is the live preview (tools/serve.py): seconds from saving a news
item to the reload event the open browser tab gets, the median of five saves,
for the real site and for the largest N.
"""

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REAL_KINDS = ["pages", "partners", "domains", "editions", "tips", "events", "news", "data",
              "images"]
LANGS = ("nl", "en")
WORDS = {
    "nl": ("regio samenwerking innovatie bedrijven onderzoek grens economie project "
           "mobiliteit energie talent opleiding netwerk partners investering kennis "
           "toekomst ruimte bereikbaarheid werkgelegenheid ondernemers campus").split(),
    "en": ("region cooperation innovation companies research border economy project "
           "mobility energy talent training network partners investment knowledge "
           "future space accessibility employment entrepreneurs campus").split(),
}
DOMAINS = ["high-tech", "biobased", "mobility"]
IMAGE_COUNT = int(os.environ.get("BENCH_IMAGES", "200"))
PARTNERS = ["brainport", "metropoolregio-eindhoven", "pom-antwerpen", "pom-limburg",
            "streekplatform-kempen"]
# A timed build that logs an error fails the benchmark (Pelican exits non-zero):
# a build that dropped content must not be timed as a good one.
REPORT_ERRORS = ["--fatal", "errors", "--log-handler", "plain"]
PREVIEW_EDITS = 5
MARKDOWN_ONLY = """
import sys, pathlib, markdown
md = markdown.Markdown(extensions=["extra", "toc"], output_format="html5")
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    md.reset()
    md.convert(path.read_text("utf-8"))
"""


def sentence(rng, lang, words=12):
    text = " ".join(rng.choice(WORDS[lang]) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, lang, sentences=5):
    return " ".join(sentence(rng, lang) for _ in range(sentences))


def news_item(number, lang, n):
    """One synthetic news item of about 400 words in our content format."""
    rng = random.Random(f"{number}-{lang}")
    other = number % n + 1
    day = f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}"
    title = sentence(rng, lang, 6).rstrip(".") + f" {number}"
    heading = {"nl": "Meer weten", "en": "Read more"}[lang]
    body = "\n\n".join([
        paragraph(rng, lang),
        "## " + sentence(rng, lang, 4).rstrip("."),
        paragraph(rng, lang),
        "\n".join(f"- {sentence(rng, lang, 6)}" for _ in range(4)),
        "## " + sentence(rng, lang, 3).rstrip("."),
        paragraph(rng, lang, 6),
        f"{heading}: [{sentence(rng, lang, 3).rstrip('.')}]"
        f"({{filename}}/news/bench-{other:05d}.{lang}.md).",
        paragraph(rng, lang, 4),
    ])
    return textwrap.dedent(f"""\
        Title: {title}
        Slug: bench-{number:05d}-{lang}
        Date: {day}
        Domains: {DOMAINS[number % len(DOMAINS)]}
        Partners: {PARTNERS[number % len(PARTNERS)]}
        Summary: {sentence(rng, lang, 14)}

        """) + body + "\n"


def generate(folder, n, real=True):
    """Synthetic news (and, for our build, the real pages) into `folder`."""
    if real:
        for kind in REAL_KINDS:
            if (ROOT / "content" / kind).exists():
                shutil.copytree(ROOT / "content" / kind, folder / kind)
    news = folder / "news"
    news.mkdir(parents=True, exist_ok=True)
    for number in range(1, n + 1):
        for lang in LANGS:
            (news / f"bench-{number:05d}.{lang}.md").write_text(news_item(number, lang, n), "utf-8")
    return news / f"bench-{1:05d}.nl.md"


def _memory(pid):
    """Proportional set size (shared pages split between the processes sharing
    them, so forked workers are not counted twice); resident size as fallback."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def tree_memory(pid):
    """Memory of a process and all its descendants, in bytes."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            total += _memory(current)
        except OSError:
            continue
    return total


def measure(cmd, cwd, env=None, memory=False):
    """Run `cmd`; returns wall seconds and CPU seconds of its process tree, and
    with `memory` the peak MB of the tree, sampled every 50 ms. Sampling costs
    CPU (about a tenth of a core for a build with workers), which a build that
    uses both cores loses, so times come from runs without it."""
    log = tempfile.TemporaryFile()
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG if memory else 0)
        if pid:
            break
        peak = max(peak, tree_memory(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        log.seek(0)
        output = log.read().decode(errors="replace")
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed:\n{output[-3000:]}")
    return {"wall": seconds, "cpu": usage.ru_utime + usage.ru_stime, "mb": peak / 2**20}


def settle(removal):
    """Wait until the files a build removed at `removal` (time.monotonic(),
    or None) no longer slow the next.

    A file system without a journal (ext4 as set up on many virtual machines)
    does not give out again for a while the inodes of files removed within
    the last `dirty_expire_centisecs` (30 s): every new file then looks past
    all of them, so a build that creates thousands of files just after
    thousands were removed is slower, by how many both are (seen here, a few
    seconds after removing the output of the same site: plain Pelican 10 to
    25 % slower, our build, which creates four times as many files, 40 to
    60 %). Every cold build is timed on the same terms: none within that
    time of a removal."""
    if removal is None:
        return
    try:
        with open("/proc/sys/vm/dirty_expire_centisecs", encoding="ascii") as handle:
            window = int(handle.read()) / 100 + 1
    except (OSError, ValueError):
        window = 31.0
    wait = removal + window - time.monotonic()
    if wait > 0:
        print(f"bench: waiting {wait:.0f} s for the files removed by the last rebuilds "
              "to age", file=sys.stderr, flush=True)
        time.sleep(wait)


def edit(path, number):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nEen extra zin na bewerking {number}.\n")


def bench(n, work, runs=5):
    env = dict(os.environ, SITEURL="http://localhost:8000", TZ="Europe/Brussels")
    ours, plain = work / f"ours-{n}", work / f"plain-{n}"
    edited = generate(ours / "content", n)
    generate(plain / "content", n, real=False)

    def plain_build(output):
        return [BIN / "pelican", "content", "-o", output, *REPORT_ERRORS]

    def our_build(output, cache):
        return [BIN / "pelican", ours / "content", "-o", ours / output,
                "-s", ROOT / "pelicanconf.py", "--cache-path", ours / cache, *REPORT_ERRORS]

    def safe_build(number):
        return [BIN / "python", ROOT / "tools" / "build.py", "-s", ROOT / "pelicanconf.py",
                "-c", ours / "content", "-o", ours / f"html-{number}",
                "--cache-path", ours / f"html-cache-{number}"]

    timed = {"markdown": [], "plain": [], "cold": [], "warm": [], "html_cold": [], "html_warm": []}
    removal = None  # when the last rebuild removed files
    for number in range(1, runs + 1):
        timed["markdown"].append(
            measure([BIN / "python", "-c", MARKDOWN_ONLY, plain / "content"], work))
        # The cold builds first, each into new folders, after the files the
        # last round's rebuilds removed are old enough not to slow them.
        settle(removal)
        timed["plain"].append(measure(plain_build(f"output-{number}"), plain, env))
        timed["cold"].append(measure(our_build(f"output-{number}", f"cache-{number}"), ROOT, env))
        timed["html_cold"].append(measure(safe_build(number), ROOT, env))
        edit(edited, number)
        timed["warm"].append(measure(our_build(f"output-{number}", f"cache-{number}"), ROOT, env))
        edit(edited, f"{number}b")
        timed["html_warm"].append(measure(safe_build(number), ROOT, env))
        removal = time.monotonic()  # both rebuilds replaced files (the safe one a folder)
        print(f"bench: N={n} round {number}/{runs}: plain {timed['plain'][-1]['wall']:.1f} s, "
              f"cold {timed['cold'][-1]['wall']:.1f} s, warm {timed['warm'][-1]['wall']:.1f} s",
              file=sys.stderr, flush=True)
    row = {"n": n}
    for kind, found in timed.items():
        row[kind] = {key: statistics.median(m[key] for m in found) for key in ("wall", "cpu")}
    # Peak memory from runs of their own (cold, then warm after another edit).
    settle(removal)
    row["plain"]["mb"] = measure(plain_build("output-memory"), plain, env, memory=True)["mb"]
    row["cold"]["mb"] = measure(our_build("output-memory", "cache-memory"), ROOT, env,
                                memory=True)["mb"]
    edit(edited, runs + 1)
    row["warm"]["mb"] = measure(our_build("output-memory", "cache-memory"), ROOT, env,
                                memory=True)["mb"]
    row["ours"] = ours
    return row


def preview_reload(content, edited, work, edits=PREVIEW_EDITS):
    """Seconds from saving `edited` to the reload event of tools/serve.py,
    the median of `edits` saves; the preview's first build is not timed."""
    import http.client
    import json
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = Path(tempfile.mkdtemp(prefix="preview-", dir=work))
    env = dict(os.environ, SITEURL=f"http://127.0.0.1:{port}", TZ="Europe/Brussels")
    log = open(folder / "serve.log", "w+")
    process = subprocess.Popen(
        [BIN / "python", ROOT / "tools" / "serve.py", "-s", ROOT / "pelicanconf.py",
         "-c", content, "-o", folder / "output", "--port", str(port)],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)

    def fail(why):
        process.terminate()
        process.wait()
        log.seek(0)
        sys.exit(f"bench: preview: {why}\n{log.read()[-3000:]}")

    def status():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/__preview__/status")
        return json.load(connection.getresponse())

    deadline = time.monotonic() + 600
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            fail("the preview did not start")
        try:
            if status()["build"] >= 1:
                break
        except OSError:
            pass
        time.sleep(0.2)
    events = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    events.request("GET", "/__preview__/events")
    stream = events.getresponse()

    def next_build():
        while True:
            line = stream.readline()
            if not line:
                fail("the event stream ended")
            if line.startswith(b"data: "):
                return int(line[6:])

    shown = next_build()
    seconds = []
    try:
        for number in range(1, edits + 1):
            time.sleep(0.3)  # saves an editor makes, not one burst
            start = time.perf_counter()
            edit(edited, 100 + number)
            shown = next_build()
            seconds.append(time.perf_counter() - start)
            if status()["problems"]:
                fail(f"the build after edit {number} reported problems: {status()['problems']}")
    finally:
        events.close()
        process.terminate()
        process.wait()
        log.close()
    return statistics.median(seconds)


def bench_images(work, count=200):
    """Cold and warm build of the real site plus `count` news items, each
    with its own lead photo (1600x1067 JPEG, made here): the price of making
    every image's widths, formats and share card, and of finding them all in
    the cache on the next build."""
    from PIL import Image

    env = dict(os.environ, SITEURL="http://localhost:8000", TZ="Europe/Brussels")
    site = work / "images"
    content = site / "content"
    for kind in REAL_KINDS:
        if (ROOT / "content" / kind).exists():
            shutil.copytree(ROOT / "content" / kind, content / kind)
    (content / "images").mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        rng = random.Random(number)
        bands = [Image.linear_gradient("L").rotate(rng.randrange(360)).resize((1600, 1067))
                 for _ in range(3)]
        noise = Image.effect_noise((1600, 1067), 40)
        photo = Image.merge("RGB", [Image.blend(band, noise, 0.3) for band in bands])
        photo.save(content / "images" / f"bench-{number:03d}.jpg", quality=90)
        for lang in LANGS:
            alt = {"nl": f"Testbeeld {number}", "en": f"Test picture {number}"}[lang]
            text = news_item(number, lang, count).replace(
                "Summary:", f"Image: images/bench-{number:03d}.jpg\nImage_alt: {alt}\nSummary:", 1)
            (content / "news" / f"bench-{number:05d}.{lang}.md").write_text(text, "utf-8")

    def build():
        return [BIN / "pelican", content, "-o", site / "output", "-s", ROOT / "pelicanconf.py",
                "--cache-path", site / "cache", *REPORT_ERRORS]

    cold = measure(build(), ROOT, env)["wall"]
    warm = measure(build(), ROOT, env)["wall"]
    return cold, warm


def table(rows):
    """Wall time first; CPU time (all processes) in brackets."""
    def cell(m):
        return f"{m['wall']:.1f} s ({m['cpu']:.1f} s CPU)"

    lines = [
        "| N per language | Markdown only | plain Pelican | our cold build "
        "| our warm build (1 item edited) | peak memory: plain / ours "
        "| cold / plain | warm / cold |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {cell(r['markdown'])} | {cell(r['plain'])} | {cell(r['cold'])} "
            f"| {cell(r['warm'])} | {r['plain']['mb']:.0f} MB / {r['cold']['mb']:.0f} MB "
            f"| {r['cold']['wall'] / r['plain']['wall']:.2f}x "
            f"| {r['warm']['wall'] / r['cold']['wall']:.2f}x |"
        )
    return "\n".join(lines)


def main(argv):
    sizes = [int(a) for a in (argv or os.environ.get("BENCH_N", "500 2000").split())]
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    if runs < 1:
        sys.exit("bench: BENCH_RUNS must be 1 or more")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for n in sizes:
            rows.append(bench(n, Path(tmp), runs))
            print(f"bench: N={n} done", file=sys.stderr, flush=True)
        site = Path(tmp) / "site"
        shutil.copytree(ROOT / "content", site)
        preview_site = preview_reload(site, site / "news" / "delegation.nl.md", Path(tmp))
        largest = rows[-1]["ours"] / "content"
        preview_large = preview_reload(largest, largest / "news" / f"bench-{1:05d}.nl.md", Path(tmp))
        images = bench_images(Path(tmp), IMAGE_COUNT)
    print(table(rows))
    last = rows[-1]
    print(f"bench: cold {last['cold']['wall'] / last['plain']['wall']:.2f}x plain pelican, "
          f"warm {last['warm']['wall'] / last['cold']['wall']:.2f}x cold, "
          f"peak {max(last['cold']['mb'], last['warm']['mb']):.0f} MB (N={last['n']})")
    print(f"bench: make html cold {last['html_cold']['wall'] / last['plain']['wall']:.2f}x "
          f"plain pelican, warm {last['html_warm']['wall'] / last['html_cold']['wall']:.2f}x "
          f"cold ({last['html_cold']['wall']:.1f} s, {last['html_warm']['wall']:.1f} s, "
          f"N={last['n']})")
    print(f"preview: edit-to-reload {preview_site:.2f} s at site size, "
          f"{preview_large:.2f} s at N={last['n']}")
    print(f"images: {images[0]:.1f} s cold, {images[1]:.1f} s warm for {IMAGE_COUNT} images")


if __name__ == "__main__":
    main(sys.argv[1:])
