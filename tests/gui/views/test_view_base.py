"""A view class that forgets its one drawing method is refused when it is made."""

import pytest

from gui.views import load
from gui.views.base import View


def test_a_named_view_without_draw_is_refused_when_made():
    with pytest.raises(TypeError, match="defines no _draw"):
        type("Forgetful", (View,), {"name": "forgetful"})
    assert all(cls._draw is not View._draw for cls in load().values())
