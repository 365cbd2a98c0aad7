import datetime

import pytest

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.services import analysis_create


@pytest.fixture
def analysis(personas):
    """A spring analysis of the district and its one campus, on a copy of the built-in
    framework (a module that needs another scope or framework defines its own)."""
    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    return analysis_create(
        district=personas.district,
        user=personas.cabinet,
        name="Discovery",
        framework=framework,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
        campuses=[personas.district.campuses.get()],
    )
