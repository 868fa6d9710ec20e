"""Progress is drawn only on a terminal; the summary table always goes out."""

from __future__ import annotations

import io

from processor.replay.progress import print_table, tracker


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_shows_done_of_total() -> None:
    """On a terminal the bar shows records done out of the total."""
    out = _Terminal()
    with tracker("replay rp-1", stream=out) as bar:
        bar.update(5, 10)
        bar.update(10, 10)
    assert "10/10" in out.getvalue() and "replay rp-1" in out.getvalue()


def test_no_progress_when_piped() -> None:
    """Piped (not a terminal), nothing is drawn."""
    out = io.StringIO()
    with tracker("replay rp-1", stream=out) as bar:
        bar.update(5, 10)
    assert out.getvalue() == ""


def test_summary_table_lists_rows() -> None:
    """The summary table carries every row given."""
    out = io.StringIO()
    print_table("replay rp-1", ("", "value"), [("records read", 20), ("ruleset", "abc123")],
                stream=out)
    text = out.getvalue()
    assert "records read" in text and "20" in text and "abc123" in text
