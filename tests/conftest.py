"""Hypothesis profiles for tests/test_fuzz.py.

``ci`` (the default): a few hundred examples in all, derandomised so that CI is
repeatable. ``long``: many more, random each run, for a fuzzing session:
``python -m pytest tests/test_fuzz.py --hypothesis-profile=long``.
"""

from __future__ import annotations

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass
else:
    _SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
    settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True, database=None,
                              suppress_health_check=_SLOW, print_blob=True)
    settings.register_profile("long", max_examples=1500, deadline=None, suppress_health_check=_SLOW,
                              print_blob=True)
    settings.load_profile("ci")
