"""Due dates of commitments: which date of a commitment sentence is its deadline, and its year.

A date is a commitment's deadline in three shapes, each named in the provenance:

- ``due-deadline`` - a deadline word stands right before it: "no later than 9 August",
  "by 30 June", "before 1 March", "a más tardar el 15 de julio", "para el 30 de junio";
- ``due-event`` - the action is tied to an event the sentence dates in the future: "a meeting
  to be held on 3-4 October", "scheduled for 9 May", "organized for 20 June", "(on 7 May,
  tentatively)", "que se celebrará el 4 de agosto", or the action is to hold the event
  ("Hold the next meeting in Quito on 3-4 May"); the event's first day is the deadline;
- ``due-referenced-event`` - the sentence has no date but acts "before the <online meeting>"
  that an earlier commitment of the same document dated.

A date without a year keeps it open unless the document makes the year certain; the
document's year is inferred by the one mechanism meeting dates use too
(:func:`rcm_graph.stages.extraction.dates.infer_year` over
:func:`rcm_graph.stages.extraction.meetings.year_context`), with the deadline read as lying in the
future. Its rule is named after the deadline's (``date.year-from-document``: on or after the
document's own date, in its year; ``date.year-from-planning``: an undated document that says
what is planned "this year" and for which year). Otherwise the deadline stays open
(``year-open``), flagged uncertain, and a warning says so. The names are appended to the
commitment's extraction method with ``+``
("rule:commitment-operative-item+due-event+date.year-from-document"), so a wrong deadline can
be traced to the rule that set it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rcm_graph.model.facts import DateValue
from rcm_graph.stages.extraction.context import DocContext, Sentence
from rcm_graph.stages.extraction.dates import DateMatch, infer_year
from rcm_graph.stages.extraction.meetings import year_context
from rcm_graph.stages.extraction.prefilter import quick

_DEADLINE = re.compile(
    r"(?i)\b(?:no later than|not later than|by|before|prior to|until|up to|"
    r"a m[aá]s tardar(?:\s+el)?|antes del?|hasta el|para el|plazo(?: hasta)?(?: el)?)"
    r"(?:\s+(?:the|el|la))?\s*$"
)
_FUTURE_EVENT = quick(
    r"(?i)\b(?:(?:to be|will be|would be|is to be|are to be|shall be)\s+"
    r"(?:held|celebrated|conducted|convened|organi[sz]ed|scheduled|carried out)|"
    r"scheduled(?:\s+to\s+be\s+held)?|organi[sz]ed\s+for|planned\s+for|set\s+for|"
    r"(?:will|would|shall|to)\s+take\s+place|tendr[aá]\s+lugar|"
    r"a\s+(?:realizarse|celebrarse|llevarse\s+a\s+cabo)|"
    r"se\s+(?:realizar[aá]n?|celebrar[aá]n?|llevar[aá]n?\s+a\s+cabo)|"
    r"(?:previst|programad|planificad|convocad)[oa]s?\s+para)\b"
    r"[^.;:]{0,45}?$"
)
_HOLD = re.compile(
    r"(?i)^(?:to\s+)?(?:hold|convene|organi[sz]e|celebrar|realizar|convocar|organizar|"
    r"llevar a cabo)\b"
)
_HELD_ON = re.compile(r"(?i)(?:\bon|\bel|\bdel|\blos d[ií]as|\bfrom|,)\s*$")
_TENTATIVE = re.compile(r"(?i)^[\s,]*(?:tentatively|ideally|tentativamente|preferiblemente)\b")
_REFERENCED = quick(
    r"(?i)\b(?:before|prior to|ahead of|antes de)\s+(?:the|la|el)\s+"
    r"((?:[\w-]+\s+){0,3}?(?:meeting|session|videoconference|conference|workshop|consultation|"
    r"reuni[oó]n|sesi[oó]n|videoconferencia|conferencia|taller|consulta))\b"
)


def due_date(
    ctx: DocContext, s: Sentence, earlier: list[tuple[str, DateValue]]
) -> tuple[DateValue | None, str]:
    """The deadline of the commitment sentence ``s`` and the rules that found it ("" when
    none). ``earlier`` holds the (sentence text, due) of the document's earlier commitments,
    for a deadline stated by reference to an event they dated."""
    for d in s.dates:
        if d.first.month is None or d.first.day is None:
            continue  # "in 2024" or "September 2018" is a period, not a deadline
        before = s.text[: d.start]
        if _DEADLINE.search(before[-40:]):
            rule = "due-deadline"
        elif _FUTURE_EVENT.search(before[-70:]) and not _other_date_between(s, d):
            rule = "due-event"
        elif _TENTATIVE.match(s.text[d.end :]) and re.search(r"\(\s*(?:on|el)\s*$", before):
            rule = "due-event"  # "(on 24 May, tentatively)"
        elif _HOLD.match(s.text) and _HELD_ON.search(before) and d is s.dates[0]:
            rule = "due-event"  # "Hold the next meeting in Quito on 3-4 May": the meeting's date
        else:
            continue
        return _with_year(ctx, d.first, rule)
    m = _REFERENCED.search(s.text)
    if m and not s.dates:
        words = _words(m.group(1))
        for text, due in reversed(earlier):
            if words and words <= _words(text):
                return due, "due-referenced-event"
    return None, ""


def _other_date_between(s: Sentence, d: DateMatch) -> bool:
    """The future-event cue belongs to an earlier date of the sentence."""
    return any(o.end <= d.start and o.end > d.start - 70 for o in s.dates if o is not d)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


def _with_year(ctx: DocContext, value: DateValue, rule: str) -> tuple[DateValue, str]:
    """The deadline with the year the document makes certain, and the rules that set it."""
    if value.year is not None:
        return value, rule
    completed, year_rule = infer_year(value, year_context(ctx), future=True)
    if year_rule is not None:
        return completed, f"{rule}+{year_rule}"
    ctx.warnings.append(f"deadline year left open: {value.span.text!r}")
    return replace(value, uncertain=True), f"{rule}+year-open"
