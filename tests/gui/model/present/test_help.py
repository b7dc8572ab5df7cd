"""Help names the article section of every tab the window has, and its notation table covers
every model kind a session can be."""

from gui import views
from gui.model.present import help as pages
from sim.run import MODELS


def test_every_tab_has_its_article_section():
    titles = {title for title, _ in views.tabs()}
    described = {row[0] for row in pages.TAB_SECTIONS}
    assert titles <= described, f"tabs without a Help row: {sorted(titles - described)}"
    html = pages.tabs_html()
    assert all(f"<b>{t}</b>" in html for t in titles)


def test_the_notation_table_covers_every_model_kind():
    rows = " ".join(q for q, _, _ in pages.NOTATION).lower()
    for words in ("simple rnn", "lstm", "gru", "bidirectional", "encoder-decoder"):
        assert words in rows
    assert len(MODELS) == 5  # a new model kind needs its row here
