#!/usr/bin/env python3
"""Each failed test in the given TRX files, with the head of its message, stack and output, one prefixed line each.

scripts/test.sh prints this just above its closing line, and .ci/run repeats it, because a CI log is read from its
tail: a failure that only happens on a fresh machine must say why there, not only in a TRX file nobody can open.
    scripts/trx-failures.py FILE.trx...
"""
import os
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}
# Enough to name the cause (the first lines of a message, and its last, where a test appends what it saw); the whole
# text stays in the TRX file.
LIMITS = {"message": (10, 30), "stack": (8, 0), "output": (0, 40)}


def lines(element, path, limit):
    """The element's text as lines: its first limit[0] and last limit[1], with "..." where lines were left out."""
    node = element.find(path, NS)
    if node is None or not (node.text or "").strip():
        return []
    text = node.text.strip().splitlines()
    head, tail = limit
    if len(text) <= head + tail:
        return text
    return text[:head] + ["..."] + (text[-tail:] if tail else [])


def main(paths):
    for path in paths:
        if not os.path.exists(path):  # an unmatched glob: no results written
            continue
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as error:
            print(f"test.sh: cannot read {path}: {error}")
            continue
        for result in root.iterfind(".//t:UnitTestResult", NS):
            outcome = result.get("outcome", "")
            if outcome not in FAILED:
                continue
            print(f"test.sh: {outcome}: {result.get('testName', '?')}")
            sections = (
                ("message", lines(result, "t:Output/t:ErrorInfo/t:Message", LIMITS["message"])),
                ("stack", lines(result, "t:Output/t:ErrorInfo/t:StackTrace", LIMITS["stack"])),
                # The end of what the test wrote: where a child process's log says what went wrong.
                ("output", lines(result, "t:Output/t:StdOut", LIMITS["output"])),
            )
            for name, text in sections:
                for line in text:
                    print(f"test.sh:   {name} | {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
