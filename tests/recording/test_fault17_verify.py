"""verify() names its path argument when it is not a path."""

from __future__ import annotations

from typing import Any

import pytest

from palaver.recording.verify import verify


@pytest.mark.parametrize("bad", [5, None, "", b"x"])
def test_a_path_that_is_not_a_path_is_refused_naming_it(bad: Any) -> None:
    with pytest.raises(TypeError, match=r"^path must be a non-empty str or path \(os.PathLike\)"):
        verify(bad)
