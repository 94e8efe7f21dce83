#!/usr/bin/env python3
"""Check that the sample output in ld-teach's docs is what the commands print.

A sample in a Markdown file is a fenced block without a language, preceded
(blank lines apart) by a comment naming the command that printed it:

    <!-- sample: cd build/test-bins/musl && LD_DEBUG=libs ../../../ld-teach.so ./interpose -->

The command runs with `sh -c` from the top of the checkout, standard error
merged into standard output.  A sample may shorten the output: a line `...`
stands for any number of lines (none included), and a line ending in ` ...`
matches any line that starts with the text before it.  Without `...` at its
ends, a sample must match the whole output.  `<!-- sample(lines): CMD -->`
checks only that the sample's lines come out in that order, others between;
`<!-- sample(glibc): CMD -->` (or `sample(lines, glibc)`) runs a glibc
program, which needs ld-teach built with glibc's layouts (libc6-dbg).

Compared modulo what changes from run to run and machine to machine: the
process id at the start of trace lines, hexadecimal numbers (and the spaces
that align them), timings and percentages, the size of ld-teach-exec's
stack image (it has a random gap), the device and inode in a prelink
cache's name, the checkout's own path (written
/work/main in the docs), and the values of auxiliary-vector entries that
describe the machine or user; lines that only some kernels print (the
vsyscall page, a separate vDSO clock page, recent auxiliary-vector entries)
are left out on both sides.

A sample may begin with its command, as `$ CMD`, for the reader.

A fenced block with a language (```sh, ```c) is code, not output.  A block
of output that another test checks says so: `<!-- sample-checked-by: FILE -->`
(FILE must exist).  Any other block without a sample comment is an error, so
a sample cannot be added without its command.

  doc-samples.py list FILE...       one line per sample: FILE:LINE, and
                                    " glibc" when it runs a glibc program
  doc-samples.py check FILE:LINE    run that sample's command and compare
  doc-samples.py show FILE:LINE     print what its command prints now, with the
                                    pid as 4242 and the checkout as /work/main
"""
import os
import re
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOC_ROOT = "/work/main"

MARKER = re.compile(r"^<!-- sample(?:\(([a-z, ]+)\))?: (.*) -->$")
OPTIONS = {"lines", "glibc"}
CHECKED_BY = re.compile(r"^<!-- sample-checked-by: (\S+) -->$")

# Values the machine or the user decide, not ld-teach.
# Lines that only some kernels give: dropped from sample and output alike.
KERNEL_OPTIONAL = re.compile(r"\[vvar_vclock\]|\[vsyscall\]|\bAT_RSEQ_|\bAT_MINSIGSTKSZ\b")

MACHINE_AUXV = ("AT_HWCAP", "AT_HWCAP2", "AT_MINSIGSTKSZ", "AT_CLKTCK",
                "AT_UID", "AT_EUID", "AT_GID", "AT_EGID",
                "AT_RSEQ_FEATURE_SIZE", "AT_RSEQ_ALIGN", "AT_PLATFORM")


class Sample:
    def __init__(self, path, line, command, options, lines):
        self.path, self.line, self.command = path, line, command
        self.options, self.lines = options, lines

    @property
    def name(self):
        return "%s:%d" % (os.path.relpath(self.path, TOP), self.line)


def parse(path):
    """The samples of one file; raises ValueError on an unmarked block."""
    samples, pending, fence = [], None, None
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    i = 0
    while i < len(text):
        line = text[i]
        m, c = MARKER.match(line), CHECKED_BY.match(line)
        if m:
            options = {o.strip() for o in (m.group(1) or "").split(",") if o.strip()}
            if not options <= OPTIONS:
                raise ValueError("%s:%d: unknown sample option %s" % (path, i + 1, options - OPTIONS))
            pending = (options, m.group(2), i + 1)
        elif c:
            if not os.path.exists(os.path.join(TOP, c.group(1))):
                raise ValueError("%s:%d: %s does not exist" % (path, i + 1, c.group(1)))
            pending = (None, None, i + 1)
        elif line.startswith("```"):
            lang = line[3:].strip()
            end = i + 1
            while end < len(text) and not text[end].startswith("```"):
                end += 1
            if end == len(text):
                raise ValueError("%s:%d: fence never closed" % (path, i + 1))
            if not lang:
                if pending is None:
                    raise ValueError("%s:%d: output block without a sample comment" % (path, i + 1))
                options, command, _ = pending
                body = text[i + 1:end]
                if body and body[0] == "$ " + (command or ""):
                    body = body[1:]  # the command, shown to the reader
                if options is not None:
                    samples.append(Sample(path, i + 1, command, options, body))
            pending = None
            i = end
        elif line.strip() and pending is not None:
            raise ValueError("%s:%d: text between a sample comment and its block" % (path, pending[2]))
        i += 1
    return samples


def normalise(line):
    line = re.sub(r"^ *[0-9]+:(\t|$)", "PID:\t", line).rstrip()
    line = line.replace(TOP, DOC_ROOT)
    # Numbers of other widths shift the columns of a table.
    line = re.sub(r" +(0x[0-9a-fA-F]+)", r" \1", line)
    line = re.sub(r"0x[0-9a-fA-F]+", "0xN", line)
    line = re.sub(r"[0-9]+\.[0-9]+ ms", "T ms", line)
    line = re.sub(r"\([0-9]+%\)", "(P%)", line)
    # A prelink cache is named after its program's device and inode.
    if "cache" in line:
        line = re.sub(r"([\w.+]+)-[0-9a-f]{1,16}-[0-9a-f]{1,16}(?=[ )]|$)", r"\1-DEV-INO", line)
    # The loader's memory holds the paths it was given, which name the checkout.
    line = re.sub(r"(loader memory in use: )[0-9]+ bytes \(peak [0-9]+\)", r"\1M bytes (peak M)", line)
    # ld-teach-exec's stack image includes a random gap, as the kernel's does.
    line = re.sub(r"(exec: stack: .*[ ,])[0-9]+ bytes", r"\1N bytes", line)
    m = re.match(r"^(AT_\w+):( +)", line)
    if m and m.group(1) in MACHINE_AUXV:
        line = m.group(0) + "V"
    return line


def is_gap(line):
    return line in ("...", "PID:\t...")


def line_matches(want, got):
    if want.endswith(" ..."):
        return got.startswith(want[:-4])
    return want == got


def match_whole(want, got):
    """Does got match want, where a '...' line in want stands for any lines?"""
    # Memoised search over (position in want, position in got).
    memo = {}

    def at(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(want):
            r = j == len(got)
        elif is_gap(want[i]):
            r = any(at(i + 1, k) for k in range(j, len(got) + 1))
        else:
            r = j < len(got) and line_matches(want[i], got[j]) and at(i + 1, j + 1)
        memo[key] = r
        return r

    sys.setrecursionlimit(100000)
    return at(0, 0)


def first_unmatched_in_order(want, got):
    """The first wanted line not found (in order) in got, or None."""
    j = 0
    for w in want:
        if is_gap(w):
            continue
        while j < len(got) and not line_matches(w, got[j]):
            j += 1
        if j == len(got):
            return w
        j += 1
    return None


def run(sample):
    p = subprocess.run(["sh", "-c", sample.command], cwd=TOP, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode("utf-8", "replace").split("\n")
    if out and out[-1] == "":
        out.pop()
    return out


def check(sample):
    want = [normalise(l) for l in sample.lines if not KERNEL_OPTIONAL.search(l)]
    got = [normalise(l) for l in run(sample) if not KERNEL_OPTIONAL.search(l)]
    if "lines" in sample.options:
        missing = first_unmatched_in_order(want, got)
        if missing is None:
            return True
        print("# %s: this line does not come out, in order: %s" % (sample.name, missing))
    else:
        if match_whole(want, got):
            return True
        print("# %s: the output of `%s` differs from the sample" % (sample.name, sample.command))
        report_first_difference(want, got)
    print("# the command printed (normalised):")
    for l in got[:60]:
        print("#   " + l)
    return False


def report_first_difference(want, got):
    j = 0
    for w in want:
        if is_gap(w):
            continue
        k = j
        while k < len(got) and not line_matches(w, got[k]):
            k += 1
        if k == len(got):
            print("# first sample line not printed where expected: %s" % w)
            return
        j = k + 1


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "list":
        try:
            for path in sys.argv[2:]:
                for s in parse(path):
                    print(s.name + (" glibc" if "glibc" in s.options else ""))
        except ValueError as e:
            print("doc-samples: %s" % e, file=sys.stderr)
            return 2
        return 0
    if len(sys.argv) == 3 and sys.argv[1] in ("check", "show"):
        path, line = sys.argv[2].rsplit(":", 1)
        for s in parse(os.path.join(TOP, path)):
            if s.line == int(line) and sys.argv[1] == "show":
                for l in run(s):
                    print(re.sub(r"^ *[0-9]+:(\t|$)", "     4242:\t", l).replace(TOP, DOC_ROOT))
                return 0
            if s.line == int(line):
                return 0 if check(s) else 1
        print("doc-samples: no sample at %s" % sys.argv[2], file=sys.stderr)
        return 2
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
