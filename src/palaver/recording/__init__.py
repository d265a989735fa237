"""Recording simulations: the recorder, its storage, queries and exports.

``SimulationRecorder(model, output_dir=...)`` records a Palaver world (every
event on its bus, automatically) or a Mesa 3 model (what user code hands to
``record_event``), streaming events to Parquet as they happen.
``palaver.recording.open(path)`` reads a recording back (``strict=False``
salvages a damaged one, listing what is missing as :class:`MissingEvents`);
``palaver.recording.verify.verify(path)`` checks one completely. See
docs/recording.md.
"""

# First: it decides pyarrow's memory pool before pyarrow is imported.
import palaver._util.arrow_pool  # noqa: F401 (imported for its effect)
from palaver.recording.capture import DETAIL_LEVELS
from palaver.recording.decorator import record_model
from palaver.recording.errors import (
    CorruptRecordingError,
    OutputDirError,
    OutputDirExistsError,
    QueryError,
    RecordingChangedError,
    RecordingError,
    RecordingWarning,
)
from palaver.recording.event import SimulationEvent
from palaver.recording.integrity import MissingEvents
from palaver.recording.opening import open
from palaver.recording.reader import RecordingReader
from palaver.recording.recorder import SimulationRecorder
from palaver.recording.schema import EVENT_SCHEMA
from palaver.recording.state import observable_state
from palaver.recording.stats import STATS_SCHEMA
from palaver.recording.views import EventView

__all__ = [
    "DETAIL_LEVELS",
    "EVENT_SCHEMA",
    "STATS_SCHEMA",
    "CorruptRecordingError",
    "EventView",
    "MissingEvents",
    "OutputDirError",
    "OutputDirExistsError",
    "QueryError",
    "RecordingChangedError",
    "RecordingError",
    "RecordingReader",
    "RecordingWarning",
    "SimulationEvent",
    "SimulationRecorder",
    "observable_state",
    "open",
    "record_model",
]
