"""The domain models: ``core`` (bodies, people, plans, objectives with phases and indicators) and
``monitoring`` (the year after publication: periods, progress reports, the measurement rules) and
``relazione`` (the Relazione sulla performance built from the final period)."""

from .core import *  # noqa: F403
from .monitoring import *  # noqa: F403
from .relazione import *  # noqa: F403
