"""From original text to sections, paragraphs, numbered items, footnotes and sentences.

Nothing is deleted from the original text: furniture (running headers, logo text, page
numbers), Markdown emphasis and footnote markers are only *marked as dropped*, and the clean
segments keep the offset of each character they keep (see :mod:`rcm_graph.stages.reading.segment`).

Furniture is recognised by shape, not by name: a short line without final punctuation that
recurs in the document next to a page break (two or more blank lines) is a running header or a
logo; so are lines that are only a page number. Because several RCM documents open with the
bilingual name of the process as a logo, the process names of the reference data also count as
furniture when they stand alone on a line next to a page break.

A paragraph interrupted by a page break continues on the next page when it has no final
punctuation and the next block starts in lower case, or when it is long (a sentence, not a
heading) and a page break lies between them.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Literal

from rcm_graph.stages.reading.segment import (
    SUPERSCRIPT_DIGITS,
    Segment,
    build_segment,
    superscript_number,
)

BlockKind = Literal["heading", "paragraph", "item", "footnote"]

_SUP = f"[{SUPERSCRIPT_DIGITS}]+"
_FOOTNOTE_DEF = re.compile(rf"^\s*(?:({_SUP})|\[\^?(\d{{1,3}})\]:?|\((\d{{1,3}})\))\s+\S")
_MARKER = re.compile(rf"(?<=[^\s{SUPERSCRIPT_DIGITS}])({_SUP})|\[\^?(\d{{1,3}})\](?!:)")
_MARKER_CHAR = re.compile(rf"[{SUPERSCRIPT_DIGITS}\[]")
# bullets as typed and as symbol fonts leave them in extracted text (U+F0B7, U+F0A7, U+F076
# and U+F0D8 are Symbol and Wingdings bullets in the private use area)
_BULLETS = "-•·–—*▪●◦■□➢\uf0b7\uf0a7\uf076\uf0d8"
_ITEM = re.compile(
    rf"^\s*(?:[{_BULLETS}]\s+)?"
    r"(?:(\d{1,2}(?:\.\d{1,2})*|[a-zA-Z]|[ivxIVX]{1,4})[.)]|\(([a-z0-9]{1,3})\))\s+(?=\S)"
)
_BULLET = re.compile(rf"^\s*[{_BULLETS}]\s+(?=\S)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*\d{1,3}\s*-|\d{1,3}|(?:page|página|pág\.)\s*\d{1,3}(?:\s*(?:of|de)\s*\d{1,3})?"
    r"|\d{1,3}\s*/\s*\d{1,3})\s*$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


def _page_number(line: str) -> bool:
    """A line that is only a page number ("12", "- 12 -", "Page 3 of 9"). Every form has a
    digit: the digit test first spares the case-insensitive pattern most lines."""
    return _DIGIT.search(line) is not None and _PAGE_NUMBER.match(line) is not None


_EMPHASIS = re.compile(r"\*+|(?<![\w])_{1,2}(?=\w)|(?<=\w)_{1,2}(?![\w])|^#{1,6}\s", re.MULTILINE)
_ESCAPE = re.compile(r"\\(?=[$*_#\[\]()\\.-])")
_TERMINAL = '.:;!?)”"»'
#: Words whose full stop ends no sentence (public: the person-title lexicon must stay within it).
ABBREVIATIONS = frozenset(
    [
        "Mr",
        "Ms",
        "Mrs",
        "Dr",
        "Sr",
        "Sra",
        "Srta",
        "Ing",
        "No",
        "Nos",
        "Art",
        "St",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "Vol",
        "p",
        "pp",
        "U.S",
        "U.N",
        "Jr",
        "Amb",
        "Emb",
        "Excmo",
        "Excma",
        # honorifics written before a name ("Mtro. Ana Ruiz", "Licda. Ana Ruiz"): the
        # abbreviated honorifics of the person-titles lexicon
        "Mtro",
        "Mtra",
        "Dra",
        "Lic",
        "Licda",
        "Lcda",
        "Lcdo",
        "Inga",
        "Abog",
        "Arq",
        "Prof",
        "Profa",
        "Hon",
        "Rev",
        "Gral",
        "Sres",
        "Sras",
        "Mme",
        "H.E",
        "S.E",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Ene",
        "Abr",
        "Ago",
        "Dic",
        "ene",
        "feb",
        "abr",
        "ago",
        "sept",
        "oct",
        "nov",
        "dic",
    ]
)
_WORD_CUT = re.compile(r"[\s(]")  # the word before a sentence end: compiled once
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“¿¡(]?[A-ZÁÉÍÓÚÑ0-9])")


@dataclass
class Block:
    """A heading, paragraph, list item or footnote, as clean text mapped to the original."""

    kind: BlockKind
    segment: Segment
    number: str | None = None  # item or heading number as printed ("4", "b")
    section: str | None = None  # the text of the nearest heading above
    markers: list[tuple[int, str]] = field(default_factory=list)  # (clean index, footnote no.)
    sentences: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.segment.text


@dataclass
class Structure:
    blocks: list[Block]
    footnotes: dict[str, Block]
    dropped: bytearray


def analyse(text: str, furniture_lines: frozenset[str] = frozenset()) -> Structure:
    """Mark furniture, find blocks, join page-broken paragraphs, split sentences."""
    dropped = bytearray(len(text))
    lines = _lines(text)
    _mark_furniture(text, lines, dropped, furniture_lines)
    # each mark needs its character: a text without one is not scanned (a 1 MB text costs
    # 0.1 s per pattern otherwise)
    if "*" in text or "_" in text or "#" in text:
        for m in _EMPHASIS.finditer(text):
            dropped[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    if "\\" in text:
        for m in _ESCAPE.finditer(text):
            dropped[m.start()] = 1
    form_feed = text.find("\f")  # a page break: found by str.find, not a loop per character
    while form_feed >= 0:
        dropped[form_feed] = 1
        form_feed = text.find("\f", form_feed + 1)
    plain = _plain_footnotes(text, lines, dropped)
    raw_blocks = _raw_blocks(text, lines, dropped, plain.defs)
    blocks: list[Block] = []
    footnotes: dict[str, Block] = {}
    section: str | None = None
    for start, end, gap_has_break in _join_page_breaks(text, raw_blocks, dropped, plain.defs):
        block = _make_block(text, dropped, start, end, plain)
        if block is None:
            continue
        if block.kind == "footnote" and block.number is not None:
            footnotes.setdefault(block.number, block)
        if block.kind == "heading":
            section = block.text
        block.section = section if block.kind != "heading" else block.text
        block.sentences = split_sentences(block.segment)
        blocks.append(block)
        del gap_has_break
    return Structure(blocks, footnotes, dropped)


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _norm(line: str) -> str:
    return " ".join(line.replace("*", "").split()).casefold()


# A web page's accessibility link, kept in the text of a saved page ("Skip to main content" on
# a line of its own, in the page's language): never part of the document, wherever it stands
_SKIP_LINK = re.compile(
    r"(?:skip to (?:the )?(?:main )?content|skip navigation|saltar al contenido(?: principal)?|"
    r"(?:ir|pasar) al contenido(?: principal)?|aller au contenu(?: principal)?|"
    r"pular para o conte[uú]do(?: principal)?|перейти к основному содержанию)"
)


def _mark_furniture(
    text: str, lines: list[tuple[int, int]], dropped: bytearray, known: frozenset[str]
) -> None:
    counts: dict[str, int] = {}
    for s, e in lines:
        key = _norm(text[s:e])
        if key:
            counts[key] = counts.get(key, 0) + 1
            if len(key) < 40 and _SKIP_LINK.fullmatch(key):
                dropped[s:e] = b"\x01" * (e - s)
    blank = [not text[s:e].strip() for s, e in lines]
    n = len(lines)
    # group consecutive non-blank lines into blocks
    i = 0
    while i < n:
        if blank[i]:
            i += 1
            continue
        j = i
        while j < n and not blank[j]:
            j += 1
        before = _blank_run(blank, i - 1, -1)
        after = _blank_run(blank, j, 1)
        near_break = before >= 2 or after >= 2 or i == _first_nonblank(blank)
        block_lines = [text[s:e] for s, e in lines[i:j]]
        if near_break and all(_is_furniture_line(ln, counts, known) for ln in block_lines):
            for s, e in lines[i:j]:
                dropped[s:e] = b"\x01" * (e - s)
        elif j - i == 1 and (before >= 1 or after >= 1):  # a lone line (tested first: cheap)
            s, e = lines[i]
            if _page_number(text[s:e]):
                dropped[s:e] = b"\x01" * (e - s)
        i = j
    _mark_page_edges(text, lines, blank, counts, dropped, known)


def _mark_page_edges(
    text: str,
    lines: list[tuple[int, int]],
    blank: list[bool],
    counts: dict[str, int],
    dropped: bytearray,
    known: frozenset[str],
) -> None:
    """Running headers glued to the body (as pypdf extracts them): at the top and bottom of
    each page, drop the lines that recur on a good share of the pages."""
    page_number = [
        not blank[k] and _page_number(text[lines[k][0] : lines[k][1]]) for k in range(len(lines))
    ]
    starts = [
        k
        for k in range(len(lines))
        if not blank[k]
        and (
            k == 0 or _blank_run(blank, k - 1, -1) >= 2 or _after_page_number(page_number, blank, k)
        )
    ]
    if len(starts) < 2:
        return
    threshold = max(2, int(0.4 * len(starts) + 0.5))

    def candidate(k: int) -> bool:
        line = text[lines[k][0] : lines[k][1]]
        key = _norm(line)
        if _page_number(line) or key in known:
            return True
        return (
            len(key) <= 70
            and key[-1:] not in (".", ";", ":", "!", "?")
            and counts.get(key, 0) >= threshold
        )

    ends = [*starts[1:], len(lines)]
    for start, end in zip(starts, ends, strict=False):
        k = start
        while k < end and (blank[k] or candidate(k)):
            s, e = lines[k]
            dropped[s:e] = b"\x01" * (e - s)
            k += 1
        k = end - 1
        while k > start and (blank[k] or candidate(k)):
            s, e = lines[k]
            dropped[s:e] = b"\x01" * (e - s)
            k -= 1


def _after_page_number(page_number: list[bool], blank: list[bool], k: int) -> bool:
    """Line ``k`` follows a lone page number: a new page starts (text without blank lines)."""
    j = k - 1
    while j >= 0 and blank[j]:
        j -= 1
    return j >= 0 and page_number[j] and not page_number[k]


def _first_nonblank(blank: list[bool]) -> int:
    return next((k for k, b in enumerate(blank) if not b), 0)


def _blank_run(blank: list[bool], start: int, step: int) -> int:
    run = 0
    k = start
    while 0 <= k < len(blank) and blank[k]:
        run += 1
        k += step
    if k < 0 or k >= len(blank):
        return 99  # document edge counts as a page break
    return run


def _is_furniture_line(line: str, counts: dict[str, int], known: frozenset[str]) -> bool:
    key = _norm(line)
    if not key:
        return True
    if _page_number(line):
        return True
    if key in known:
        return True
    short = len(key) <= 70 and key[-1] not in ".;:!?"
    return short and counts.get(key, 0) >= 2


@dataclass
class _PlainFootnotes:
    """Footnotes whose markers are plain digits, as pypdf extracts superscripts: "champion1
    countries" ... "1 Azerbaijan, Colombia". Accepted only when a line near the end of a page
    starts with the number *and* the same number is glued to a word earlier in the text."""

    defs: dict[int, str] = field(default_factory=dict)  # line start offset -> number
    markers: dict[int, str] = field(default_factory=dict)  # marker offset -> number


_PLAIN_DEF = re.compile(r"^\s*(\d{1,2})\s+(?=[A-ZÁÉÍÓÚÑ])")
_PLAIN_MARKER = r"(?<=[a-záéíóúñ)])({n})(?=[\s,.;:)])"


def _plain_footnotes(
    text: str, lines: list[tuple[int, int]], dropped: bytearray
) -> _PlainFootnotes:
    found = _PlainFootnotes()
    # each number's markers, found once: searching the text before every definition again
    # was quadratic in documents with many numbered lines
    markers: dict[str, list[int]] = {}
    visible: list[bool] = []  # per line, made when a line first looks like a definition
    for k, (s, e) in enumerate(lines):
        m = _PLAIN_DEF.match(text[s:e])
        if not m:
            continue
        if not visible:
            visible = [bool(_visible(text, dropped, s, e)) for s, e in lines]
        if not visible[k]:
            continue
        # near a page end: only a few visible lines before a page break or the document end
        ahead = 0
        j = k + 1
        while j < len(lines) and ahead < 4:
            if not visible[j]:
                if not text[lines[j][0] : lines[j][1]].strip() or dropped[lines[j][0]]:
                    blank_or_furniture = True
                else:
                    blank_or_furniture = False
                if blank_or_furniture and j + 1 < len(lines) and not visible[j + 1]:
                    break
            else:
                ahead += 1
            j += 1
        if ahead >= 4:
            continue
        number = m.group(1)
        if number not in markers:
            marker = re.compile(_PLAIN_MARKER.format(n=number))
            markers[number] = [x.start() for x in marker.finditer(text) if not dropped[x.start()]]
        # the last marker before the definition (the line before it ends with "\n", so no
        # match found in the whole text reaches past the definition's start)
        before = bisect_left(markers[number], s)
        if before:
            found.defs[s] = number
            found.markers[markers[number][before - 1]] = number
    return found


def _raw_blocks(
    text: str,
    lines: list[tuple[int, int]],
    dropped: bytearray,
    plain_defs: dict[int, str] | None = None,
) -> list[tuple[int, int]]:
    """Runs of lines with visible characters, as original offsets; a new block also starts at
    a list item, a footnote, and after a short line of hard-wrapped text (see _wrapped_cuts)."""
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    for s, e in lines:
        shown = _visible(text, dropped, s, e)
        if shown:
            starts_item = bool(
                _ITEM.match(shown)
                or _BULLET.match(shown)
                or _FOOTNOTE_DEF.match(shown)
                or s in (plain_defs or {})
            )
            if cur and starts_item:
                runs.append(cur)
                cur = []
            cur.append((s, e, shown))
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    blocks: list[tuple[int, int]] = []
    for run in runs:
        start = 0
        for cut in [*_wrapped_cuts(run), len(run)]:
            if cut > start:
                blocks.append((run[start][0], run[cut - 1][1]))
                start = cut
    return blocks


def _stacked_lines(run: list[tuple[int, int, str]]) -> bool:
    """Whether a run of lines is a stack of headings, as a saved web page prints its title
    block ("International Information Programs / East Asia-Pacific Issues / Bali Ministerial
    Conference on ... / February 27-28, 2002 / Bali, Indonesia"): every line short and none
    ending a sentence or opening a list; not a numbered item wrapped over short lines. Such
    lines are one heading each, not one paragraph."""
    if _ITEM.match(run[0][2]) or _BULLET.match(run[0][2]):
        return False  # a numbered item wrapped over short lines
    return all(len(shown) <= _STACK_WIDTH and shown[-1] not in ".;:!?" for _s, _e, shown in run)


_STACK_WIDTH = 80
# a title line that goes on in the next one: "Conference on People Smuggling," / "Trafficking …"
_GOES_ON = re.compile(
    r"(?i)(?:[,\-–—&/]|\b(?:of|on|and|for|the|to|in|at|with|de|del|la|el|los|las|y|e|en|para|"
    r"sobre|con|a))\s*$"
)


# … or begins with one: "REUNION DEL GRUPO REGIONAL DE CONSULTA" / "DE LA CONFERENCIA …"
_GOES_ON_FROM = re.compile(
    r"(?i)(?:of|on|and|for|to|de|del|y|e|para|sobre|con|entre|between|among)\b"
)


def _title_goes_on(line: str, nxt: str) -> bool:
    return bool(_GOES_ON.search(line) or _GOES_ON_FROM.match(nxt)) or nxt[:1].islower()


def _wrapped_cuts(run: list[tuple[int, int, str]]) -> list[int]:
    """Paragraph ends inside hard-wrapped text without blank lines (as pypdf extracts PDFs):
    a line clearly shorter than the run's full lines ends a paragraph or is a heading, unless
    the sentence obviously goes on (no final punctuation and a lower-case next line)."""
    if len(run) >= 2 and _stacked_lines(run):
        return [i + 1 for i in range(len(run) - 1) if not _title_goes_on(run[i][2], run[i + 1][2])]
    if len(run) < 4:
        return []
    width = sorted(len(shown) for _s, _e, shown in run)[-max(1, len(run) // 4)]
    if width < 50:
        return []
    cuts = []
    for i, (_s, _e, shown) in enumerate(run[:-1]):
        nxt = run[i + 1][2]
        if shown[-1] in ".:;!?" and len(nxt) < 0.7 * width and nxt[-1] not in _TERMINAL + ",":
            cuts.append(i + 1)  # a heading line after a finished sentence
            continue
        if len(shown) >= 0.7 * width:
            continue
        if shown[-1] not in _TERMINAL and nxt[:1].islower():
            continue
        cuts.append(i + 1)
    return cuts


def _visible(text: str, dropped: bytearray, s: int, e: int) -> str:
    if dropped.count(0, s, e) == e - s:  # nothing dropped (counted in C, no copy)
        return text[s:e].strip()
    return "".join(c for k, c in enumerate(text[s:e], s) if not dropped[k]).strip()


def _join_page_breaks(
    text: str,
    blocks: list[tuple[int, int]],
    dropped: bytearray,
    plain_defs: dict[int, str] | None = None,
) -> list[tuple[int, int, bool]]:
    out: list[tuple[int, int, bool]] = []
    notes = plain_defs or {}
    for s, e in blocks:
        if out and s not in notes and out[-1][0] not in notes:
            ps, pe, _ = out[-1]
            prev = _visible(text, dropped, ps, pe)
            cur = _visible(text, dropped, s, e)
            gap = text[pe:s]
            page_break = gap.count("\n") >= 3 or dropped.count(0, pe, s) < s - pe
            if prev and cur and _continues(prev, cur, page_break):
                out[-1] = (ps, e, True)
                continue
        out.append((s, e, False))
    return out


def _continues(prev: str, cur: str, page_break: bool) -> bool:
    if _FOOTNOTE_DEF.match(prev) or _FOOTNOTE_DEF.match(cur) or _ITEM.match(cur):
        return False
    if _BULLET.match(cur):
        return False
    if prev[-1] in _TERMINAL:
        return False
    if cur[0].islower():
        return True
    return page_break and len(prev) > 150


def _make_block(
    text: str,
    dropped: bytearray,
    start: int,
    end: int,
    plain: _PlainFootnotes | None = None,
) -> Block | None:
    visible = _visible(text, dropped, start, end)
    if not visible:
        return None
    # The block's own marks (list marker, footnote markers) are written into the document's
    # array and its range is restored afterwards: a copy of the whole array per block made
    # reading quadratic in the document's length. Nothing outside [start, end) is written
    # or read here.
    saved = dropped[start:end]
    try:
        return _marked_block(text, dropped, start, end, visible, plain)
    finally:
        dropped[start:end] = saved


def _marked_block(
    text: str,
    local: bytearray,
    start: int,
    end: int,
    visible: str,
    plain: _PlainFootnotes | None,
) -> Block | None:
    """:func:`_make_block` once ``local`` may take the block's own marks."""
    markers: list[tuple[int, str]] = []
    kind: BlockKind = "paragraph"
    number: str | None = None
    fdef = _FOOTNOTE_DEF.match(visible)
    plain_def = _PLAIN_DEF.match(visible) if plain and start in plain.defs else None
    if plain_def:
        kind = "footnote"
        number = plain_def.group(1)
        _drop_prefix(text, local, start, end, plain_def.end())
    elif fdef:
        kind = "footnote"
        number = superscript_number(fdef.group(1) or fdef.group(2) or fdef.group(3))
        _drop_prefix(text, local, start, end, fdef.end() - 1)
    else:
        item = _ITEM.match(visible)
        if item and not _looks_like_date_or_number(visible):
            number = item.group(1) or item.group(2)
            _drop_prefix(text, local, start, end, item.end())
            kind = "item"
        elif (bullet := _BULLET.match(visible)) is not None:
            _drop_prefix(text, local, start, end, bullet.end())
            kind = "item"
    # every marker holds a superscript digit or "[": a block without one is not scanned
    found = _MARKER.finditer(text, start, end) if _MARKER_CHAR.search(text, start, end) else ()
    for m in found:
        if not local[m.start()]:
            for k in range(m.start(), m.end()):
                local[k] = 1
            markers.append((m.start(), superscript_number(m.group(1) or m.group(2))))
    for pos, num in plain.markers.items() if plain else ():
        if start <= pos < end and not local[pos]:
            for k in range(pos, min(pos + len(num), end)):  # what lies beyond is not read
                local[k] = 1
            markers.append((pos, num))
    segment = build_segment(text, local, start, end)
    if not segment.text:
        return None
    # marker positions as clean indexes: the first kept char after the marker
    clean_markers = []
    for pos, num in markers:
        idx = next((i for i, o in enumerate(segment.offsets) if o > pos), len(segment.text))
        clean_markers.append((idx, num))
    short_numbered = kind == "item" and number is not None and len(segment.text) < 80
    if (kind == "paragraph" or short_numbered) and _is_heading(segment.text):
        kind = "heading"
    return Block(kind, segment, number, markers=clean_markers)


def _looks_like_date_or_number(visible: str) -> bool:
    return bool(re.match(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b", visible))


def _drop_prefix(text: str, dropped: bytearray, start: int, end: int, n_visible: int) -> None:
    """Drop the first ``n_visible`` visible characters of ``[start, end)`` (a list marker)."""
    seen = 0
    k = start
    while k < end and seen < n_visible:
        if not dropped[k]:
            # count only characters that the visible string (stripped) contains
            if seen > 0 or not text[k].isspace():
                seen += 1
            dropped[k] = 1
        k += 1


def _is_heading(clean: str) -> bool:
    if len(clean) > 160 or clean[-1] in ".;,?":
        return False
    if clean[-1] == ":" and len(clean) > 40:
        return False
    first = clean.lstrip('–—-"“ ')[:1]
    if not first or not (first.isupper() or first.isdigit()):
        return False
    # a heading is in capitals or Title Case; "The States commit to promo" (a sentence cut off
    # at the end of a document) is not
    words = re.findall(r"[^\W\d_]{4,}", clean)
    if len(words) >= 3 and not clean.isupper():
        capitalised = sum(w[0].isupper() for w in words)
        return bool(capitalised * 2 >= len(words))
    return True


def split_sentences(segment: Segment) -> list[Segment]:
    """Sentences of a clean segment (abbreviation-aware, no model)."""
    text = segment.text
    cuts = [0]
    for m in _SENTENCE_END.finditer(text):
        before = text[max(0, m.start() - 6) : m.start()]
        word = _WORD_CUT.split(before)[-1].rstrip(".")
        if word in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    out = []
    for a, b in itertools.pairwise(cuts):
        sub = segment.sub(a, b)
        if sub.text:
            out.append(sub)
    return out
