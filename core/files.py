"""Files kept in the storage (reports, evidence), handed only to a view that checked who asks."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def stored_file_response(name, *, filename, content_type=None):
    """The stored file as a download; a record whose file has gone from the storage (a restored
    database, a bucket emptied by hand) answers not found rather than failing mid-download."""
    if not default_storage.exists(name):
        raise Http404("The file is no longer in the storage.")
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
