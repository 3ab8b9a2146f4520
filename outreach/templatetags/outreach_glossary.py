"""``{{ text|explain:glossary }}``: mark the known terms of the glossary in
a text (``outreach.glossary``; the view loads the page's ``Glossary``)."""

from django import template

from outreach.glossary import Glossary

register = template.Library()


@register.filter
def explain(text, glossary: Glossary):
    return glossary.mark(text)


@register.filter
def explain_lines(text, glossary: Glossary):
    """As ``explain``, with line breaks kept (as ``linebreaksbr``)."""
    return glossary.mark(text, linebreaks=True)
