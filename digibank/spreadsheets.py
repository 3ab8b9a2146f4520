"""Cells a spreadsheet program would run as a formula are written as text.

A value someone typed (a channel called ``=HYPERLINK(…)``, a resident's
words in a repair) that starts with ``= + - @`` (or a tab or carriage
return) becomes a formula when the CSV or workbook is opened: it is written
with a leading apostrophe instead. Numbers stay numbers. Every CSV export
writes through ``csv_writer``; a test fails on a ``csv.writer`` elsewhere.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)*%?$")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([escape_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **options) -> _SafeWriter:
    """``csv.writer`` whose cells cannot become formulas."""
    return _SafeWriter(csv.writer(stream, **options))
