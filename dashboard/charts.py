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


# --- Line charts: this year against the year before ---------------------------

LINE_WIDTH = 640
LINE_HEIGHT = 200
LEFT = 48  # room for the value axis
BOTTOM = 24  # room for the month names


@dataclass
class Line:
    points: str  # "x,y x,y …" for <polyline>
    css: str  # "line-now" or "line-before"


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class Label:
    text: str
    x: float


@dataclass
class LineChart:
    lines: list[Line]
    ticks: list[Tick]
    labels: list[Label]
    width: int = LINE_WIDTH + LEFT + 8
    height: int = LINE_HEIGHT + BOTTOM + 8
    left: int = LEFT
    bottom_y: int = LINE_HEIGHT + 4


def _nice_top(largest: int) -> int:
    """A round number at or above ``largest`` for the top of the axis, so
    that its four steps are whole round numbers too (4, 8, 20, 40, 200 …)."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if 4 * step * magnitude >= largest:
                return 4 * step * magnitude
        magnitude *= 10


def line_chart(series: list[tuple[list[int], str]], labels: list[tuple[int, str]]) -> LineChart:
    """Lines for ``series`` (values per step, and the CSS class of the line)
    on one scale; ``labels`` are (step, text) pairs under the x axis."""
    steps = max((len(values) for values, _css in series), default=1)
    top = _nice_top(max((max(values, default=0) for values, _css in series), default=0))
    dx = LINE_WIDTH / max(steps - 1, 1)

    def y(value: int) -> float:
        return round(4 + LINE_HEIGHT * (1 - value / top), 1)

    lines = [Line(points=" ".join(f"{round(LEFT + i * dx, 1)},{y(v)}"
                                  for i, v in enumerate(values)), css=css)
             for values, css in series]
    ticks = [Tick(value=top * n // 4, y=y(top * n // 4)) for n in range(5)]
    return LineChart(lines=lines, ticks=ticks,
                     labels=[Label(text=text, x=round(LEFT + step * dx, 1))
                             for step, text in labels])
