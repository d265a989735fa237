"""NegMAS's mechanism.plot(): the report layer's figure, found through an entry point."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from palaver import SAOMechanism, make_issue
from palaver.mechanisms import plotting
from palaver.negotiators import BoulwareTBNegotiator, LinearTBNegotiator
from palaver.preferences import AffineFun, IdentityFun, LinearAdditiveUtilityFunction


def _session() -> SAOMechanism:
    m = SAOMechanism(issues=[make_issue(name="price", values=50)], n_steps=20, seed=1)
    seller = LinearAdditiveUtilityFunction(values=[IdentityFun()], outcome_space=m.outcome_space)
    buyer = LinearAdditiveUtilityFunction(
        values=[AffineFun(slope=-1)], outcome_space=m.outcome_space
    )
    m.add(BoulwareTBNegotiator(name="seller"), ufun=seller.normalize())
    m.add(LinearTBNegotiator(name="buyer"), ufun=buyer.normalize())
    m.run()
    return m


def test_plot_draws_the_negotiation_and_saves_it(tmp_path: Path) -> None:
    m = _session()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = m.plot(save_fig=True, path=str(tmp_path), fig_name="deal.png", show=True)
    assert isinstance(figure, Figure) and (tmp_path / "deal.png").stat().st_size > 0
    assert len(figure.axes) == 2


def test_negmas_styling_options_are_named_in_a_warning() -> None:
    with pytest.warns(UserWarning, match=r"\['colors', 'mark_max_welfare_points'\]") as seen:
        _session().plot(mark_max_welfare_points=False, colors=["r", "b"])
    assert Path(seen[0].filename).name == "test_mechanism_plot.py"  # points at the caller


def test_without_a_plotter_the_error_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plotting, "_plotter", None)
    monkeypatch.setattr(plotting, "_found", lambda: None)
    with pytest.raises(RuntimeError, match="plot_negotiation"):
        _session().plot()


def test_a_path_that_is_a_file_is_refused_naming_it(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("mine")
    with pytest.raises(NotADirectoryError, match=r"plot\(path=\.\.\.\) must be a folder.*notes"):
        _session().plot(save_fig=True, path=str(plain), fig_name="deal.png")
    assert plain.read_text() == "mine"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"ufuns": [1, 2]}, TypeError, r"ufuns must be a mapping .* got list"),
        ({"ufuns": {"seller": None}}, ValueError, r"ufuns apply to a recording's negotiation"),
        ({"outcome_space": "x"}, ValueError, r"outcome_space apply to a recording's"),
        ({"negotiation_id": "other"}, ValueError, r"negotiation_id apply to a recording's"),
    ],
)
def test_what_a_mechanism_ignores_is_refused_not_dropped(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    """A mechanism draws with its own negotiators' functions: utility functions
    given for it would otherwise be dropped without a word."""
    from palaver.report import negotiation_trace, plot_negotiation

    m = _session()
    with pytest.raises(error, match=message):
        plot_negotiation(m, **kwargs)  # type: ignore[arg-type]
    assert negotiation_trace(m, m.id).negotiation_id == m.id
