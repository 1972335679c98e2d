#!/usr/bin/env python3
"""bench_panel.py BUILDDIR [N] - what the full-screen program's progress
panel (src/ui/ui-progress.c) costs on an N-note import (default 100,000).

Issue 21 asks that progress reporting cost under 1 % of the work. The
command line's line is measured by bench_import.sh (with and without a
pty). The panel runs only in the full-screen program, so it is measured
in a pty too, as lemma's own CPU time (user + system, /usr/bin/time inside
the pty):

  panel  `lemma --db DB deck.tsv`: the import with the panel over the
         screen, then the program's screen; q once the deck shows.
  parts  `lemma --db DB import deck.tsv` on a pipe (no line, no panel),
         plus `lemma --db DB` in a pty on the imported file, q at once:
         the same work and the same screen, without the panel.

The panel's cost is panel - parts. Runs alternate (default 5 each,
BENCH_RUNS); medians are printed. Not in make check: a figure to record
in bench/results.md.
"""
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def lemma_cpu_in_pty(argv, tfile, wait_for, timeout=300):
    """Run argv (prefixed by /usr/bin/time) in a pty; once wait_for has
    appeared and the output is quiet, send q; return lemma's CPU ms."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execv("/usr/bin/time", ["/usr/bin/time", "-f", "%U %S", "-o",
                                   tfile] + argv)
    out = b""
    seen_at = None
    sent = False
    start = time.time()
    while True:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
            # The deck drawn after the panel's last draw: the import is
            # over (a q during it would cancel it).
            if seen_at is None and out.rfind(wait_for) > out.rfind(b"cancel"):
                seen_at = time.time()
        if seen_at is not None and not sent and time.time() - seen_at > 0.3:
            os.write(fd, b"q")
            sent = True
        if time.time() - start > timeout:
            os.kill(pid, signal.SIGKILL)
            raise SystemExit("bench_panel: timed out")
    os.waitpid(pid, 0)
    os.close(fd)
    with open(tfile) as f:
        user, system = f.read().split()[-2:]
    return (float(user) + float(system)) * 1000


def lemma_cpu_piped(argv, tfile):
    subprocess.run(["/usr/bin/time", "-f", "%U %S", "-o", tfile] + argv,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    with open(tfile) as f:
        user, system = f.read().split()[-2:]
    return (float(user) + float(system)) * 1000


def main():
    builddir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    lemma = os.path.join(builddir, "src", "lemma")
    work = tempfile.mkdtemp(prefix="bench-panel-")
    deck = os.path.join(work, "deck.tsv")
    with open(deck, "w") as f:
        f.write("#separator:tab\n#html:false\n#deck:Bench\n")
        for i in range(n):
            f.write("front %d of the bench deck\tback %d, some words of an "
                    "answer\ttag%d\n" % (i, i, i % 50))
    tiny = os.path.join(work, "tiny.txt")
    with open(tiny, "w") as f:
        f.write("#separator:tab\n#deck:Tiny\nfirst\tone\n")
    tfile = os.path.join(work, "time")
    os.environ["LEMMA_NOW"] = "2026-01-01T10:00:00Z"

    def prepared(name):
        # A file that exists and has today's backup: no start below makes
        # one (a second start on a new file copies it, 300k notes and
        # all, which would be counted against one side only).
        db = os.path.join(work, name)
        for _ in range(2):
            subprocess.run([lemma, "--db", db, "import", tiny],
                           stdout=subprocess.DEVNULL, check=True)
        return db

    panel, parts = [], []
    for i in range(runs):
        db = prepared("panel-%d.db" % i)
        panel.append(lemma_cpu_in_pty([lemma, "--db", db, deck], tfile,
                                      b"Bench"))
        db = prepared("parts-%d.db" % i)
        cpu = lemma_cpu_piped([lemma, "--db", db, "import", deck], tfile)
        cpu += lemma_cpu_in_pty([lemma, "--db", db], tfile, b"Bench")
        parts.append(cpu)
    subprocess.run(["rm", "-rf", work], check=True)
    mp, mq = statistics.median(panel), statistics.median(parts)
    print("bench-panel: %d notes, %d runs each, lemma's CPU time (median)"
          % (n, runs))
    print("  panel: lemma FILE in a pty, the panel up  %6.0f ms (min %.0f, "
          "max %.0f)" % (mp, min(panel), max(panel)))
    print("  parts: import on a pipe + screen in a pty %6.0f ms (min %.0f, "
          "max %.0f)" % (mq, min(parts), max(parts)))
    print("  the panel's cost: %+.0f ms (%+.1f %%)" % (mp - mq,
                                                       (mp - mq) / mq * 100))


if __name__ == "__main__":
    main()
