"""One run -> one frozen result: it carries what its viewers would otherwise compute on the GUI
thread (the recurrent radius: an SVD)."""

import numpy as np
import pytest

from sim.analysis import recurrent_radius
from sim.run import MODELS, SessionConfig, compute


@pytest.mark.parametrize("model", MODELS)
def test_a_run_carries_the_radius_of_the_weights_it_used(model):
    plain = compute(SessionConfig(model=model, hidden=4, length=5))
    assert plain.radius == recurrent_radius(plain.forward.params)
    scaled = compute(SessionConfig(model=model, hidden=4, length=5, radius=0.7))
    assert scaled.radius == pytest.approx(0.7, rel=1e-9)  # the radius the config asked for
    assert not np.isclose(plain.radius, 0.7)


def test_the_model_and_task_bases_refuse_to_be_made_without_their_parts():
    from sim._model import SequenceModel
    from sim._pair import PairModel
    from sim.tasks import _Seq2SeqSymbols

    for base in (SequenceModel, PairModel):
        with pytest.raises(TypeError, match="abstract"):
            base(2, 3, 2)
    with pytest.raises(TypeError, match="abstract"):
        _Seq2SeqSymbols()
