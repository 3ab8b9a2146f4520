"""Server-rendered bar charts: geometry computed here, drawn by the
template as SVG with a title and description (the same figures are always
shown as a table beside it)."""

from dataclasses import dataclass

ROW_HEIGHT = 28
LABEL_WIDTH = 240
BAR_AREA = 300


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int


@dataclass
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA

    @property
    def width(self) -> int:
        return self.label_width + self.bar_area + 60

    @property
    def value_x_offset(self) -> int:
        return self.label_width + 6


def bar_chart(rows: list[list]) -> BarChart:
    """Horizontal bars for ``[label, number, …]`` rows, scaled to the largest."""
    largest = max((row[1] or 0 for row in rows), default=0) or 1
    bars = [
        Bar(label=str(row[0]), value=row[1] or 0, y=index * ROW_HEIGHT + 4,
            width=round(BAR_AREA * (row[1] or 0) / largest), text_y=index * ROW_HEIGHT + 20)
        for index, row in enumerate(rows)
    ]
    return BarChart(bars=bars, height=max(len(bars), 1) * ROW_HEIGHT + 8)
