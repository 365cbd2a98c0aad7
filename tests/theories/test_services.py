import pytest
from django.core.exceptions import ValidationError

from core.history import Change, events_of
from core.versioning import EditConflict
from tests.factories import MeasureFactory, MeasureValueFactory, StrandFactory, TheoryFactory
from theories import services
from theories.models import Strand, TheoryOfAction
from theories.selectors import theory_history


def _entries(theory, action):
    return [e for e in theory_history(theory) if e.action == action]


@pytest.fixture
def strand(personas):
    return StrandFactory(district=personas.district, name="Expectations")


def test_create_records_history_with_the_new_values(strand, personas):
    theory = services.theory_create(
        district=personas.district,
        user=personas.cabinet,
        strand=strand,
        if_clause="we publish look-fors",
        then_clause="walkthroughs will agree",
    )
    [entry] = _entries(theory, "created")
    assert entry.user == personas.cabinet
    assert (
        Change("if_clause", "IF (what the adults will do)", "", "we publish look-fors")
        in entry.changes
    )


def test_update_bumps_the_version_and_keeps_old_and_new_values(strand, personas):
    theory = TheoryFactory(strand=strand, then_clause="old then")
    saved = services.theory_update(
        theory=theory, expected_version=1, user=personas.cabinet, data={"then_clause": "new then"}
    )
    assert saved.version == 2
    [entry] = _entries(theory, "changed")
    assert entry.changes == [
        Change("then_clause", "THEN (what we will see in practice)", "old then", "new then")
    ]


def test_second_save_from_a_stale_version_is_a_conflict_not_an_overwrite(strand, personas):
    theory = TheoryFactory(strand=strand, then_clause="original")
    services.theory_update(
        theory=theory, expected_version=1, user=personas.cabinet, data={"then_clause": "first"}
    )
    with pytest.raises(EditConflict) as caught:
        services.theory_update(
            theory=theory, expected_version=1, user=personas.admin, data={"then_clause": "second"}
        )
    assert caught.value.current.then_clause == "first"
    theory.refresh_from_db()
    assert (theory.then_clause, theory.version) == ("first", 2)


def test_saving_without_changes_keeps_the_version(strand, personas):
    theory = TheoryFactory(strand=strand)
    saved = services.theory_update(
        theory=theory, expected_version=1, user=personas.cabinet, data={"owner": ""}
    )
    assert saved.version == 1
    assert not _entries(theory, "changed")


def test_empty_if_is_refused_and_nothing_is_saved(strand, personas):
    with pytest.raises(ValidationError):
        services.theory_create(
            district=personas.district,
            user=personas.cabinet,
            strand=strand,
            if_clause=" ",
            then_clause="x",
        )
    assert not TheoryOfAction.objects.exists()
    assert not events_of(TheoryOfAction).exists()


def test_on_track_needs_a_measure_value(strand, personas):
    theory = TheoryFactory(strand=strand)
    with pytest.raises(ValidationError, match="on track only when one of its measures has a value"):
        services.theory_update(
            theory=theory, expected_version=1, user=personas.cabinet, data={"progress": "on_track"}
        )
    MeasureValueFactory(
        measure=MeasureFactory(goal=None, theory=theory, district=personas.district)
    )
    saved = services.theory_update(
        theory=theory, expected_version=1, user=personas.cabinet, data={"progress": "on_track"}
    )
    assert saved.progress == "on_track"


def test_action_on_track_needs_evidence(strand, personas):
    theory = TheoryFactory(strand=strand)
    action = services.action_create(
        theory=theory, user=personas.cabinet, description="Train coaches"
    )
    with pytest.raises(ValidationError, match="only with evidence"):
        services.action_update(
            action=action, expected_version=1, user=personas.cabinet, data={"progress": "on_track"}
        )


def test_move_reorders_within_the_strand_and_is_kept_in_history(strand, personas):
    first, second, third = (TheoryFactory(strand=strand, order=i) for i in range(3))
    services.theory_move(theory=third, offset=-2, user=personas.cabinet)
    assert list(strand.theories.order_by("order").values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
        second.pk,
    ]
    moved = _entries(third, "changed")
    assert [(e.user, e.changes) for e in moved] == [
        (personas.cabinet, [Change("order", "Position", "3", "1")])
    ]
    services.theory_move(theory=third, offset=-5, user=personas.cabinet)
    assert strand.theories.order_by("order").first() == third
    assert len(_entries(third, "changed")) == 1


def test_moving_to_another_strand_puts_it_at_the_end(strand, personas):
    other = StrandFactory(district=personas.district)
    TheoryFactory(strand=other, order=0)
    theory = TheoryFactory(strand=strand)
    saved = services.theory_update(
        theory=theory, expected_version=1, user=personas.cabinet, data={"strand": other}
    )
    assert (saved.strand, saved.order) == (other, 1)


def test_a_strand_with_theories_cannot_be_deleted(strand, personas):
    TheoryFactory(strand=strand)
    with pytest.raises(ValidationError, match="Move or delete this strand's theories first"):
        services.strand_delete(strand=strand, user=personas.cabinet)
    assert Strand.objects.filter(pk=strand.pk).exists()


def test_import_reuses_strands_by_name_and_is_all_or_nothing(strand, personas):
    created = services.theories_import(
        district=personas.district,
        user=personas.cabinet,
        strands=[
            ("expectations", [{"if_clause": "a", "then_clause": "b", "so_that": ""}]),
            ("Family", [{"if_clause": "c", "then_clause": "d", "so_that": "e"}]),
        ],
    )
    assert created == 2
    assert Strand.objects.filter(district=personas.district).count() == 2
    with pytest.raises(ValidationError):
        services.theories_import(
            district=personas.district,
            user=personas.cabinet,
            strands=[
                (
                    "New",
                    [
                        {"if_clause": "ok", "then_clause": "ok", "so_that": ""},
                        {"if_clause": "", "then_clause": "missing if", "so_that": ""},
                    ],
                )
            ],
        )
    assert not Strand.objects.filter(name="New").exists()
    assert TheoryOfAction.objects.count() == 2
