"""Members comment on a meeting as on any record (comments.registry); its facilitator is told."""

from django.urls import reverse

from comments.models import Notification
from tests.factories import MeetingFactory


def test_a_board_member_comments_on_a_meeting_and_its_facilitator_is_told(as_member, personas):
    meeting = MeetingFactory(
        district=personas.district, facilitator=personas.cabinet.memberships.get()
    )
    client = as_member(personas.board)
    thread = reverse("comments:thread", args=["lakeside", "meeting", meeting.pk])
    response = client.post(thread, {"body": "Can families read the agenda first?"}, follow=True)
    assert "Can families read the agenda first?" in response.content.decode()
    told = Notification.objects.get(recipient=personas.cabinet)
    assert told.reason == Notification.Reason.OWNER
    page = client.get(reverse("meetings:meeting", args=["lakeside", meeting.pk])).text
    assert "1 open comment" in page
    assert thread in page
