"""Plain words on the public offer pages: the known terms of the glossary
(``GlossaryTerm``, kept by coordinators in the admin) are marked in an
offer's texts and explained in one short sentence.

The mark is a button with the term, described by the explanation
(``aria-describedby``): a screen reader reads the sentence when the button
gets focus; sighted users see it on hover, on focus and on a tap (CSS, and
``static/js/glossary.js`` for a tap and Escape; no inline script). Each
term is marked once per page, where it first appears."""

import re
from itertools import count

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class Glossary:
    """The glossary for one page: it remembers which terms it marked."""

    def __init__(self, terms) -> None:
        self._explanations: dict[str, str] = {}
        forms = []
        for term in terms:
            for form in term.forms:
                self._explanations.setdefault(form.lower(), term.explanation)
                forms.append(form)
        self._term_of = {form.lower(): term.term for term in terms for form in term.forms}
        forms.sort(key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(form) for form in forms) + r")(?!\w)",
            re.IGNORECASE) if forms else None
        self._marked: set[str] = set()
        self._ids = count(1)

    @classmethod
    def load(cls) -> "Glossary":
        from outreach.models import GlossaryTerm

        return cls(list(GlossaryTerm.objects.all()))

    def mark(self, text: str, linebreaks: bool = False) -> SafeString:
        """``text`` escaped, with the first appearance on this page of each
        known term marked and explained; line breaks as <br> if asked."""
        text = str(text or "")
        parts, position = [], 0
        for match in self._pattern.finditer(text) if self._pattern else ():
            term = self._term_of[match.group(1).lower()]
            if term in self._marked:
                continue
            self._marked.add(term)
            parts.append(escape(text[position:match.start()]))
            parts.append(self._button(match.group(1), self._explanations[match.group(1).lower()]))
            position = match.end()
        parts.append(escape(text[position:]))
        html = "".join(parts)
        if linebreaks:
            html = html.replace("\r\n", "\n").replace("\n", "<br>")
        return mark_safe(html)  # noqa: S308 (every part escaped above)

    def _button(self, shown: str, explanation: str) -> str:
        tip = f"term-tip-{next(self._ids)}"
        return format_html(
            '<span class="term"><button type="button" class="term-button" '
            'aria-describedby="{}">{}</button><span class="term-tip" role="tooltip" '
            'id="{}">{}</span></span>', tip, shown, tip, explanation)
