"""Which campuses are most like a campus (district_plan.likeness): same level first, then the
closest in enrollment and in each student group's share of their students."""

from district_plan.likeness import Profile, most_alike, shares_of, unlikeness

ALL, POOR, BILINGUAL = 1, 2, 3


def ids(profiles):
    return [p.pk for p in profiles]


def test_campuses_of_the_same_level_come_before_closer_ones_of_another_level():
    here = Profile(1, "elementary", 500, {POOR: 0.5})
    twin_high = Profile(2, "high", 500, {POOR: 0.5})
    far_elementary = Profile(3, "elementary", 1500, {POOR: 0.9})
    assert ids(most_alike(here, [twin_high, far_elementary])) == [3, 2]


def test_within_a_level_the_closest_enrollment_and_group_shares_come_first():
    here = Profile(1, "middle", 800, {POOR: 0.6, BILINGUAL: 0.2})
    same_size_other_shares = Profile(2, "middle", 800, {POOR: 0.1, BILINGUAL: 0.7})
    a_little_bigger_same_shares = Profile(3, "middle", 880, {POOR: 0.6, BILINGUAL: 0.2})
    twice_as_big = Profile(4, "middle", 1600, {POOR: 0.6, BILINGUAL: 0.2})
    ranked = most_alike(here, [twice_as_big, same_size_other_shares, a_little_bigger_same_shares])
    assert ids(ranked) == [3, 4, 2]
    assert unlikeness(here, a_little_bigger_same_shares) == 80 / 880


def test_what_a_campus_does_not_know_counts_as_far_apart():
    here = Profile(1, "elementary", 500, {POOR: 0.5})
    unknown = Profile(2, "elementary", None, {})
    known_but_different = Profile(3, "elementary", 300, {POOR: 0.2})
    assert ids(most_alike(here, [unknown, known_but_different])) == [3, 2]
    assert unlikeness(here, unknown) == 2.0


def test_the_campus_itself_is_never_listed_and_the_list_stops_at_the_limit():
    here = Profile(1, "high", 1000)
    others = [Profile(pk, "high", 1000 + pk) for pk in range(2, 12)]
    ranked = most_alike(here, [here, *others], limit=3)
    assert ids(ranked) == [2, 3, 4]


def test_ties_are_broken_by_id_so_the_list_is_the_same_every_time():
    here = Profile(5, "high", 1000)
    assert ids(most_alike(here, [Profile(9, "high", 1000), Profile(7, "high", 1000)])) == [7, 9]


def test_shares_are_of_the_all_students_count_or_else_of_the_enrollment():
    assert shares_of({ALL: 400, POOR: 100}, total_group=ALL, enrollment=999) == {POOR: 0.25}
    assert shares_of({POOR: 100}, total_group=ALL, enrollment=500) == {POOR: 0.2}
    assert shares_of({POOR: 100}, total_group=None, enrollment=None) == {}
