"""The theory reader against the shapes real documents take beyond one-line statements."""

import pytest

from theories.paste_import import parse_theories


def only(result):
    [statement] = result.statements
    return statement


def nothing_vanished(text, result):
    """Every line with words in it is in a statement, an unread row or the left-out list."""
    numbers = [n for n, raw in enumerate(text.splitlines(), 1) if any(c.isalnum() for c in raw)]
    assert result.accounted_lines == numbers


def test_if_we_block_of_actions_with_the_then_in_a_sentence_below():
    text = (
        "Instruction\n"
        "If we\n"
        "• adopt high-quality reading materials\n"
        "• coach teachers every two weeks\n"
        "Then teachers will plan lessons from the materials.\n"
    )
    statement = only(parse_theories(text))
    assert statement.clauses()["if_clause"] == (
        "adopt high-quality reading materials; coach teachers every two weeks"
    )
    assert statement.clauses()["then_clause"] == "teachers will plan lessons from the materials."
    assert statement.review == []


def test_then_implied_by_a_will_sentence_after_the_list_is_flagged():
    text = (
        "If we:\n"
        "- publish grade-level look-fors\n"
        "- visit every campus monthly\n"
        "Leaders will see the same expectations in every classroom.\n"
    )
    result = parse_theories(text)
    statement = only(result)
    assert statement.clauses()["then_clause"] == (
        "Leaders will see the same expectations in every classroom."
    )
    assert statement.review == ["The THEN was read from the sentence after the list: check it."]
    nothing_vanished(text, result)


def test_so_that_followed_by_bullets_keeps_the_bullets():
    text = (
        "IF we build advisory periods, THEN every student has an adult who knows them\n"
        "So that:\n"
        "- attendance rises\n"
        "- fewer students leave school early\n"
    )
    result = parse_theories(text)
    assert only(result).clauses()["so_that"] == (
        "attendance rises; fewer students leave school early"
    )
    nothing_vanished(text, result)


def test_lead_in_before_a_list_is_kept_with_the_list():
    text = (
        "IF we teach through projects, THEN students will work on real problems,\n"
        "so that all students are ready to:\n"
        "• collaborate\n"
        "• communicate in two languages\n"
    )
    assert only(parse_theories(text)).clauses()["so_that"] == (
        "all students are ready to: collaborate; communicate in two languages"
    )


def test_if_then_without_a_comma_is_split_and_flagged():
    statement = only(parse_theories("If we coach new teachers then fewer will leave\n"))
    assert statement.clauses()["if_clause"] == "we coach new teachers"
    assert statement.clauses()["then_clause"] == "fewer will leave"
    assert statement.review == ["THEN had no comma before it: check where the IF ends."]


@pytest.mark.parametrize(
    "line",
    [
        "We believe that if we share data weekly, then teams will act sooner.",
        "Our theory of action is that IF we share data weekly, THEN teams will act sooner.",
    ],
)
def test_we_believe_that_prefix_leads_in_to_the_if(line):
    assert only(parse_theories(line)).clauses()["if_clause"] == "we share data weekly"


def test_trailing_punctuation_and_dangling_and_are_trimmed_from_list_items():
    text = (
        "If we:\n"
        "- train tutors;\n"
        "- schedule tutoring in the day, and\n"
        "- track each student's sessions.\n"
        "Then students will get tutoring three times a week.\n"
    )
    assert only(parse_theories(text)).clauses()["if_clause"] == (
        "train tutors; schedule tutoring in the day; track each student's sessions."
    )


def test_a_document_title_and_an_empty_heading_are_left_out_and_counted():
    text = (
        "Springfield ISD Theory of Action 2026\n"
        "Expectations\n"
        "IF we publish look-fors, THEN walkthroughs will be consistent.\n"
    )
    result = parse_theories(text)
    assert only(result).strand == "Expectations"
    assert [(item.line, item.text) for item in result.left_out] == [
        (1, "Springfield ISD Theory of Action 2026")
    ]
    nothing_vanished(text, result)


def test_next_steps_heading_is_not_a_strand_and_its_lines_are_offered_as_actions():
    text = (
        "Attendance\n"
        "IF we call home on the first absence, THEN families will tell us what gets in the way.\n"
        "Next steps:\n"
        "- Draft the call script\n"
        "- Train front-office staff\n"
        "IF we share attendance weekly, THEN teams will spot patterns.\n"
    )
    result = parse_theories(text)
    first, second = result.statements
    assert result.strands == ["Attendance"]
    assert first.actions == ["Draft the call script", "Train front-office staff"]
    assert first.review == ["Lines under this theory were read as its next steps (actions)."]
    assert second.actions == []
    nothing_vanished(text, result)


def test_problem_and_root_cause_go_to_the_theory_that_answers_them():
    text = (
        "Problem: Too few ninth graders pass algebra.\n"
        "Root cause: Teachers have no shared view of grade-level work.\n"
        "IF we calibrate on student work monthly, THEN grading will be consistent.\n"
    )
    result = parse_theories(text)
    assert only(result).clauses()["problem"] == (
        "Too few ninth graders pass algebra. "
        "Root cause: Teachers have no shared view of grade-level work."
    )
    nothing_vanished(text, result)


def test_a_problem_with_no_theory_after_it_is_kept_unread_with_its_strand():
    result = parse_theories("Literacy\nProblem: Students read below grade level.\n")
    [unread] = result.unparsed
    assert unread.strand == "Literacy"
    assert unread.clauses["problem"] == "Students read below grade level."
    assert unread.reason == "A problem statement with no theory after it."


def test_an_if_without_then_keeps_its_strand_and_every_line_it_took():
    text = "Culture\nIf we:\n- greet students at the door\n- hold morning meetings\n"
    result = parse_theories(text)
    assert result.statements == []
    [unread] = result.unparsed
    assert unread.strand == "Culture"
    assert unread.clauses["if_clause"] == "greet students at the door; hold morning meetings"
    assert result.unread_line_count == 3
    nothing_vanished(text, result)


def test_three_column_table_pasted_with_pipes():
    text = (
        "IF | THEN | SO THAT\n"
        "we coach teachers | lessons are more rigorous | students read on grade level\n"
        "IF we hire counselors | THEN students get help sooner | SO THAT fewer miss school\n"
    )
    result = parse_theories(text)
    assert [tuple(s.clauses().values())[:3] for s in result.statements] == [
        ("we coach teachers", "lessons are more rigorous", "students read on grade level"),
        ("we hire counselors", "students get help sooner", "fewer miss school"),
    ]
    nothing_vanished(text, result)


def test_problem_root_cause_theory_table_pasted_with_tabs():
    text = (
        "Problem\tRoot cause\tTheory of action\n"
        "Chronic absence is rising\tFamilies are not reached\t"
        "If we call home the first day, then families will tell us why, so that absence falls\n"
    )
    statement = only(parse_theories(text))
    assert statement.clauses() == {
        "if_clause": "we call home the first day",
        "then_clause": "families will tell us why",
        "so_that": "absence falls",
        "problem": "Chronic absence is rising Root cause: Families are not reached",
    }


def test_a_table_of_other_columns_is_unread_row_by_row():
    text = "Name | Role\nAna | Principal\n"
    result = parse_theories(text)
    assert result.statements == []
    assert result.unread_line_count == 2
    nothing_vanished(text, result)


def test_a_long_mixed_document_accounts_for_every_line():
    text = (
        "District plan 2026\n"
        "Introduction\n"
        "Strand 1: Instruction\n"
        "Problem: Lessons vary from room to room.\n"
        "We believe that if we:\n"
        "1. adopt shared units\n"
        "2. coach every teacher\n"
        "then lessons will follow the units\n"
        "So that:\n"
        "- students meet grade-level work\n"
        "Next steps\n"
        "- choose units by March\n"
        "Strand 2: Families\n"
        "if families hear from us weekly then they will trust the school\n"
        "A stray sentence nobody can place.\n"
    )
    result = parse_theories(text)
    assert result.strands == ["Strand 1: Instruction", "Strand 2: Families"]
    assert result.statements[0].actions == ["choose units by March"]
    assert result.unread_line_count == 1
    assert [item.text for item in result.left_out] == ["District plan 2026", "Introduction"]
    nothing_vanished(text, result)


def test_numbered_strand_headings_are_strands_and_numbered_steps_are_actions():
    text = (
        "1. Expectations\n"
        "IF we publish look-fors, THEN walkthroughs will be consistent.\n"
        "1. Draft the look-fors\n"
        "2. Motivation\n"
        "IF students set goals, THEN they will track their own progress.\n"
    )
    result = parse_theories(text)
    assert result.strands == ["Expectations", "Motivation"]
    assert result.statements[0].actions == ["Draft the look-fors"]
    nothing_vanished(text, result)
