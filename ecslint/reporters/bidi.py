"""Bidirectional controls made visible in messages that a web page renders.

A value quoted from a user's file can hold U+202E and its kin, which reorder the text around them
when it is displayed ("Trojan Source", CVE-2021-42574): a reviewer would read a different value
than the file holds.  The text reporter shows them as ``<U+202E>`` on the terminal; the
annotation, merge-request, test-report and SARIF formats do the same in their messages.  The
JSON report keeps every value exactly: it is data for programs.
"""

from __future__ import annotations

# The explicit bidirectional formatting characters (Unicode UAX #9, section 2; CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bidi_visible(text: str) -> str:
    """``text`` with each bidirectional control shown as ``<U+202E>``: a message rendered in a web
    page (an annotation, a merge request widget, a test report) must not reorder what a reviewer
    reads ("Trojan Source").  Line breaks stay: those formats escape them their own way."""
    if text.isascii():
        return text
    return "".join(f"<U+{ord(char):04X}>" if char in BIDI_CONTROLS else char for char in text)
