"""``Marks`` answers by bisection what scanning the line from its start answered (issue 23):
the laws below compare each answer with the slice it replaces, on texts made of marks."""

from __future__ import annotations

import re
from itertools import accumulate

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb_lint.articles.kinds.words import CLOSES, LEAD_LABEL, OPENS, _quoted, _quoted_name
from kb_lint.articles.marks import Marks

# Letters, spaces and line breaks, and every mark a question counts.
TEXTS = st.text(alphabet="ab .!\n\"“”'‘’*_[]\0\1:", max_size=60)


def _marks(text: str) -> Marks:
    lengths = accumulate(len(line) + 1 for line in text.split("\n"))
    return Marks(text, [0, *list(lengths)[:-1]])


def _offsets(text: str) -> st.SearchStrategy[int]:
    return st.integers(0, len(text))


@settings(max_examples=300)
@given(st.data())
def test_each_answer_is_that_of_the_slice_before_the_offset(data):
    text = data.draw(TEXTS)
    offset = data.draw(_offsets(text))
    marks = _marks(text)
    line = text.rfind("\n", 0, offset) + 1
    assert marks.line_start(offset) == line
    for literal in ('"', "“", "**", "__", "["):
        assert marks.count(literal, line, offset) == text[line:offset].count(literal)
    assert marks.last("[", line, offset) == text.rfind("[", line, offset)
    start = data.draw(st.integers(0, offset))
    assert marks.hidden(start, offset) == bool(re.search("[\0\1]", text[start:offset]))
    # A pattern's lookarounds see past the part counted: the whole text is its context.
    before = [m.start() for m in OPENS.finditer(text) if line <= m.start() < offset]
    assert marks.count(OPENS, line, offset) == len(before)


def _quoted_by_slice(prose: str, start: int) -> bool:
    """What ``_quoted`` answered by slicing the line up to the word (until issue 23)."""
    line = prose.rfind("\n", 0, start) + 1
    if prose.count('"', line, start) % 2:
        return True
    if prose.count("“", line, start) > prose.count("”", line, start):
        return True
    before = prose[line : start + 1]
    return len(OPENS.findall(before)) > len(CLOSES.findall(before))


def _in_a_name_by_slice(prose: str, start: int) -> bool:
    """What ``_quoted_name`` answered (bold, a link's text) by slicing (until issue 23)."""
    line = prose.rfind("\n", 0, start) + 1
    before = prose[line:start]
    bold = before.count("**") + before.count("__")
    if bold % 2 and not (bold == 1 and LEAD_LABEL.match(prose, line)):
        return True
    bracket = before.rfind("[")
    if bracket > 0 and before[bracket - 1] == "!":
        bracket = -1
    after = before[bracket:]
    return bracket >= 0 and "]" not in after and not re.search("[\0\1]", after)


@settings(max_examples=300)
@given(TEXTS, st.integers(0, 60))
@example("'a'", 2)  # a closing quote at the word itself counts (as the slice's last character)
@example("x\n'a b", 2)  # an opening quote at the start of a line
@example("![a b", 4)  # an image's alt text is the writer's own words
def test_quoted_and_quoted_name_answer_as_the_slices_did(text, offset):
    offset = min(offset, max(0, len(text) - 1))
    marks = _marks(text)
    assert _quoted(marks, offset) == _quoted_by_slice(text, offset)
    # Untitled words: only bold and link text decide.
    assert _quoted_name(marks, offset, offset, False) == _in_a_name_by_slice(text, offset)
