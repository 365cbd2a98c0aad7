"""Reading @mentions out of a comment."""

from comments.mentions import Mentionable, find_mentions

MARIA = Mentionable(1, "María López", "maria.lopez@district.test")
ANA = Mentionable(2, "Ana Ruiz", "ana@district.test")
ANABEL = Mentionable(3, "Anabel Soto", "anabel@district.test")
MEMBERS = [MARIA, ANA, ANABEL]


def test_a_member_is_mentioned_by_the_local_part_of_their_email():
    assert find_mentions("Thanks @maria.lopez.", MEMBERS) == ([1], [])


def test_a_member_is_mentioned_by_their_full_name_in_any_case():
    assert find_mentions("@maría lópez, can you look?", MEMBERS) == ([1], [])


def test_the_longest_name_wins_so_a_shorter_handle_inside_it_is_not_taken():
    assert find_mentions("@anabel and @ana", MEMBERS) == ([3, 2], [])


def test_a_handle_naming_nobody_is_reported_and_an_email_address_is_not_a_mention():
    found, unknown = find_mentions("Ask @nobody.here or write to ana@district.test", MEMBERS)
    assert found == []
    assert unknown == ["nobody.here"]


def test_a_member_mentioned_twice_is_told_once():
    assert find_mentions("@ana @Ana Ruiz", MEMBERS) == ([2], [])
