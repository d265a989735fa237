"""Reading the plots a report page embeds."""

from __future__ import annotations

import base64
import io
import re


def ink(png: bytes) -> float:
    """The share of pixels that are not white: a plot that drew nothing has almost none."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")[..., :3]
    return float((pixels.sum(axis=2) < 2.8).mean())


def embedded_plots(page: str) -> dict[str, bytes]:
    """Each embedded plot's PNG bytes, by its title."""
    found = re.findall(
        r'data-plot="([^"]*)"><img alt="[^"]*" src="data:image/png;base64,([^"]+)"', page
    )
    return {title: base64.b64decode(data) for title, data in found}
