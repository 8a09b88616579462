"""The domain models: ``core`` (bodies, people, plans, objectives with phases and indicators) and
``monitoring`` (the year after publication: periods, progress reports, the measurement rules)."""

from .core import *  # noqa: F403
from .monitoring import *  # noqa: F403
