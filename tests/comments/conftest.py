import pytest

from tests.factories import ActionFactory, StrandFactory, TheoryFactory


@pytest.fixture
def theory(personas):
    """A theory of action owned by the cabinet member (its owner is written as their name)."""
    return TheoryFactory(
        strand=StrandFactory(district=personas.district),
        if_clause="we coach every new teacher weekly",
        owner=personas.cabinet.full_name,
    )


@pytest.fixture
def action(theory, personas):
    return ActionFactory(theory=theory, owner=personas.visit_team.email)
