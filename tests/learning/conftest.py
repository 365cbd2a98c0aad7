import pytest

from tests.factories import CampusFactory, OfferingFactory, StrandFactory, TheoryFactory


@pytest.fixture
def campus(personas):
    return personas.district.campuses.get(name="Lakeside Elementary")


@pytest.fixture
def theory(personas):
    strand = StrandFactory(district=personas.district, name="Expectations")
    return TheoryFactory(strand=strand, short_name="Shared discourse")


@pytest.fixture
def offering(personas, theory):
    offering = OfferingFactory(district=personas.district, title="Structured discourse")
    offering.theories.set([theory])
    return offering


@pytest.fixture
def other_campus(personas):
    return CampusFactory(district=personas.other_district, name="Hillcrest Elementary")
